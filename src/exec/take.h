/* take.h - moving rows: gathering by index, filtering by a mask, and
 * concatenating arrays. Shared by filter, sort and slice. */
#ifndef AUK_EXEC_TAKE_H
#define AUK_EXEC_TAKE_H
#include "core/batch.h"
#include "core/frame.h"
#include "expr/expr.h"

/* out[i] = a[idx[i]] for i < n (idx within a's length). */
auk_status take_array(const auk_array *a, const int64_t *idx, int64_t n, auk_array **out,
                      auk_error *err);
/* 1 when a[x] and b[y] (arrays of one type) hold equal values, as keys
 * compare in distinct, group-by and joins: null equals null, NaN equals
 * NaN, -0.0 and 0.0 as stored. */
int exec_cells_equal(const auk_array *a, int64_t x, const auk_array *b, int64_t y);
/* out[i] = x[rows[i]], null where rows[i] < 0 (x may be NULL or empty:
 * all null, of out_type). */
auk_status take_rows(const auk_array *x, const int64_t *rows, int64_t n, auk_type_id out_type,
                     auk_array **out, auk_error *err);
/* Positions of rows in a column held as one array per batch: batch b, row
 * i is (b << 32 | i), so positions order like the rows they name. */
#define EXEC_POS(b, i) ((int64_t)(b) << 32 | (int64_t)(i))
static inline int64_t exec_pos_batch(int64_t p) {
  return p >> 32;
}
static inline int64_t exec_pos_row(int64_t p) {
  return p & 0xffffffff;
}
/* out[i] = parts[batch of pos[i]][row of pos[i]], null where pos[i] < 0;
 * parts[0..nparts) (one type; any may be NULL when no position names it)
 * is a column split by batch. out_type is used only when every position is
 * negative. */
auk_status take_pos(auk_array *const *parts, int64_t nparts, const int64_t *pos, int64_t n,
                    auk_type_id out_type, auk_array **out, auk_error *err);
/* The rows of in where mask (bool) is true; *out is NULL when none is. */
auk_status take_filter(const auk_batch *in, const auk_array *mask, auk_batch **out, auk_error *err);
/* One array holding arrays[0..k) one after another. */
auk_status concat_arrays(auk_array *const *arrays, int64_t k, auk_array **out, auk_error *err);

/* b evaluated over every batch of in on all workers, joined into one array
 * (errors: the first failing batch's). */
auk_status exec_eval_joined(const bexpr *b, const auk_frame *in, auk_array **out, auk_error *err);
#endif
