/* describe.c - summary statistics of every column (count, null_count, mean,
 * std, min, max), as Polars' describe without percentiles. Each batch is
 * summarized on the pool; partial results merge in batch order with Chan's
 * formula for the variance, so the answer does not depend on the number of
 * threads. */
#include "core/alloc.h"
#include "core/datetime.h"
#include "core/error.h"
#include "core/frame.h"
#include "core/pool.h"
#include "core/decimal.h"
#include "core/types.h"
#include "io/csv.h"
#include "io/format.h"
#include "io/source.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

typedef struct part {
  int64_t n, nulls;
  double mean, m2;  /* numeric */
  double mn, mx;    /* numeric (bool as 0/1) */
  int64_t imn, imx; /* temporal */
  char *smn, *smx;  /* strings: owned copies (auk_mem_alloc, len + 1) */
  int64_t lmn, lmx;
} part;

/* Byte-wise order; the first 8 bytes compare as one big-endian word. */
static inline int str_less(const char *a, int64_t la, const char *b, int64_t lb) {
  uint64_t wa = 0, wb = 0;
  memcpy(&wa, a, (size_t)(la < 8 ? la : 8));
  memcpy(&wb, b, (size_t)(lb < 8 ? lb : 8));
  wa = __builtin_bswap64(wa);
  wb = __builtin_bswap64(wb);
  if (wa != wb) return wa < wb;
  if (la <= 8 || lb <= 8) return la < lb;
  int c = memcmp(a + 8, b + 8, (size_t)((la < lb ? la : lb) - 8));
  return c < 0 || (c == 0 && la < lb);
}

static void part_clear(part *p) {
  if (p->smn) auk_mem_free(p->smn, (size_t)p->lmn + 1);
  if (p->smx) auk_mem_free(p->smx, (size_t)p->lmx + 1);
  memset(p, 0, sizeof *p);
}

static int set_str(char **dst, int64_t *dlen, const char *s, int64_t len) {
  char *c = auk_mem_alloc((size_t)len + 1, NULL);
  if (!c) return -1;
  memcpy(c, s, (size_t)len);
  c[len] = 0;
  if (*dst) auk_mem_free(*dst, (size_t)*dlen + 1);
  *dst = c;
  *dlen = len;
  return 0;
}

/* Sum, min, max, then the sum of squared deviations: two passes over the
 * typed values, with a branch-free loop when there are no nulls. */
#define MOMENTS(T)                                       \
  {                                                      \
    const T *v = (const T *)a->values->data + a->offset; \
    double s = 0, mn = INFINITY, mx = -INFINITY, m2 = 0; \
    if (a->null_count == 0) {                            \
      for (int64_t i = 0; i < len; i++) {                \
        double x = (double)v[i];                         \
        s += x;                                          \
        mn = x < mn ? x : mn;                            \
        mx = x > mx ? x : mx;                            \
      }                                                  \
      double mean = s / (double)p->n;                    \
      for (int64_t i = 0; i < len; i++) {                \
        double dx = (double)v[i] - mean;                 \
        m2 += dx * dx;                                   \
      }                                                  \
    } else {                                             \
      for (int64_t i = 0; i < len; i++) {                \
        if (!auk_array_is_valid(a, i)) continue;         \
        double x = (double)v[i];                         \
        s += x;                                          \
        mn = x < mn ? x : mn;                            \
        mx = x > mx ? x : mx;                            \
      }                                                  \
      double mean = s / (double)p->n;                    \
      for (int64_t i = 0; i < len; i++) {                \
        if (!auk_array_is_valid(a, i)) continue;         \
        double dx = (double)v[i] - mean;                 \
        m2 += dx * dx;                                   \
      }                                                  \
    }                                                    \
    p->mean = s / (double)p->n;                          \
    p->m2 = m2;                                          \
    p->mn = mn;                                          \
    p->mx = mx;                                          \
  }                                                      \
  break;

/* Statistics of one array into p (cleared first). Returns -1 when out of
 * memory for the string copies. */
static int summarize(const auk_array *a, part *p) {
  part_clear(p);
  int64_t len = a->length;
  p->nulls = a->type == AUK_TYPE_NULL ? len : a->null_count;
  p->n = len - p->nulls;
  if (p->n == 0) return 0;
  if (auk_type_is_decimal(a->type)) { /* the unscaled values, then scaled (f64 statistics) */
    auk_array v = *a;
    v.type = AUK_TYPE_INT64;
    summarize(&v, p);
    double f = (double)auk_pow10_i64[auk_decimal_scale(a->type)];
    p->mean /= f;
    p->m2 /= f * f;
    p->mn /= f;
    p->mx /= f;
    return 0;
  }
  switch (a->type) {
    case AUK_TYPE_INT8: MOMENTS(int8_t)
    case AUK_TYPE_INT16: MOMENTS(int16_t)
    case AUK_TYPE_INT32: MOMENTS(int32_t)
    case AUK_TYPE_INT64: MOMENTS(int64_t)
    case AUK_TYPE_UINT8: MOMENTS(uint8_t)
    case AUK_TYPE_UINT16: MOMENTS(uint16_t)
    case AUK_TYPE_UINT32: MOMENTS(uint32_t)
    case AUK_TYPE_UINT64: MOMENTS(uint64_t)
    case AUK_TYPE_FLOAT32: MOMENTS(float)
    case AUK_TYPE_FLOAT64: MOMENTS(double)
    case AUK_TYPE_BOOL: {
      int64_t ones = 0;
      for (int64_t i = 0; i < len; i++)
        ones += auk_array_is_valid(a, i) && auk_bit_get(a->values->data, a->offset + i);
      double mean = (double)ones / (double)p->n;
      p->mean = mean;
      p->m2 = (double)ones * (1 - mean) * (1 - mean) + (double)(p->n - ones) * mean * mean;
      p->mn = ones == p->n ? 1 : 0;
      p->mx = ones > 0 ? 1 : 0;
      break;
    }
    case AUK_TYPE_DATE:
    case AUK_TYPE_DATETIME: {
      int64_t mn = INT64_MAX, mx = INT64_MIN;
      for (int64_t i = 0; i < len; i++) {
        if (!auk_array_is_valid(a, i)) continue;
        int64_t v = a->type == AUK_TYPE_DATE ? ((const int32_t *)a->values->data)[a->offset + i]
                                             : ((const int64_t *)a->values->data)[a->offset + i];
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
      }
      p->imn = mn;
      p->imx = mx;
      break;
    }
    case AUK_TYPE_STRING: {
      const char *smn = NULL, *smx = NULL;
      int64_t lmn = 0, lmx = 0;
      for (int64_t i = 0; i < len; i++) {
        if (!auk_array_is_valid(a, i)) continue;
        int64_t l;
        const char *s = auk_array_str(a, i, &l);
        if (!smn || str_less(s, l, smn, lmn)) smn = s, lmn = l;
        if (!smx || str_less(smx, lmx, s, l)) smx = s, lmx = l;
      }
      if (set_str(&p->smn, &p->lmn, smn, lmn) || set_str(&p->smx, &p->lmx, smx, lmx)) return -1;
      break;
    }
    default: break;
  }
  return 0;
}
#undef MOMENTS

/* Folds p into acc (p is left as it was). */
static int merge(part *acc, const part *p, auk_type_id t) {
  if (p->n == 0) {
    acc->nulls += p->nulls;
    return 0;
  }
  if (acc->n == 0) {
    acc->n = p->n;
    acc->nulls += p->nulls;
    acc->mean = p->mean;
    acc->m2 = p->m2;
    acc->mn = p->mn;
    acc->mx = p->mx;
    acc->imn = p->imn;
    acc->imx = p->imx;
    if (t == AUK_TYPE_STRING && (set_str(&acc->smn, &acc->lmn, p->smn, p->lmn) ||
                                 set_str(&acc->smx, &acc->lmx, p->smx, p->lmx)))
      return -1;
    return 0;
  }
  int64_t n = acc->n + p->n;
  if (t == AUK_TYPE_STRING) {
    if (str_less(p->smn, p->lmn, acc->smn, acc->lmn) &&
        set_str(&acc->smn, &acc->lmn, p->smn, p->lmn))
      return -1;
    if (str_less(acc->smx, acc->lmx, p->smx, p->lmx) &&
        set_str(&acc->smx, &acc->lmx, p->smx, p->lmx))
      return -1;
  } else if (auk_type_is_temporal(t)) {
    acc->imn = p->imn < acc->imn ? p->imn : acc->imn;
    acc->imx = p->imx > acc->imx ? p->imx : acc->imx;
  } else {
    double delta = p->mean - acc->mean;
    acc->mean += delta * (double)p->n / (double)n;
    acc->m2 += p->m2 + delta * delta * (double)acc->n * (double)p->n / (double)n;
    acc->mn = p->mn < acc->mn ? p->mn : acc->mn;
    acc->mx = p->mx > acc->mx ? p->mx : acc->mx;
  }
  acc->n = n;
  acc->nulls += p->nulls;
  return 0;
}

static const char *const stat_names[6] = {"count", "null_count", "mean", "std", "min", "max"};

/* The describe frame from merged statistics of columns typed by `schema`. */
static auk_status build_result(const auk_schema *in, const part *acc, auk_frame **out,
                               auk_error *err) {
  int nc = in->nfields;
  auk_schema *schema = auk_schema_new(nc + 1, err);
  auk_batch *b = NULL;
  auk_frame *res = NULL;
  auk_status st = AUK_OK;
  auk_string_builder sb;
  if (!schema) return err->code;
  if (auk_schema_set(schema, 0, "statistic", AUK_TYPE_STRING, err)) goto fail;
  for (int c = 0; c < nc; c++) {
    auk_type_id t = in->fields[c].type;
    auk_type_id rt = auk_type_is_numeric(t) || auk_type_is_decimal(t) || t == AUK_TYPE_BOOL
                         ? AUK_TYPE_FLOAT64
                         : AUK_TYPE_STRING;
    if (auk_schema_set(schema, c + 1, in->fields[c].name, rt, err)) goto fail;
  }
  if (!(b = auk_batch_new(schema, 6, err))) goto fail;
  if (auk_string_builder_init(&sb, 6, 64, err)) goto fail;
  for (int k = 0; k < 6; k++)
    if (auk_string_builder_append(&sb, stat_names[k], (int64_t)strlen(stat_names[k]), err)) {
      auk_string_builder_reset(&sb);
      goto fail;
    }
  if (!(b->cols[0] = auk_string_builder_finish(&sb, err))) goto fail;
  for (int c = 0; c < nc; c++) {
    const part *p = &acc[c];
    auk_type_id t = in->fields[c].type;
    if (schema->fields[c + 1].type == AUK_TYPE_FLOAT64) {
      auk_array *a = auk_array_new_fixed(AUK_TYPE_FLOAT64, 6, err);
      if (!a || auk_array_add_validity(a, err)) {
        auk_array_release(a);
        goto fail;
      }
      double *v = auk_array_data(a);
      v[0] = (double)p->n;
      v[1] = (double)p->nulls;
      v[2] = p->mean;
      v[3] = p->n > 1 ? sqrt(p->m2 / (double)(p->n - 1)) : 0;
      v[4] = p->mn;
      v[5] = p->mx;
      int valid[6] = {1, 1, p->n > 0, p->n > 1, p->n > 0, p->n > 0};
      for (int k = 0; k < 6; k++)
        if (!valid[k]) {
          v[k] = 0;
          auk_bit_clear(a->validity->data, k);
          a->null_count++;
        }
      b->cols[c + 1] = a;
      continue;
    }
    if (auk_string_builder_init(&sb, 6, 64, err)) goto fail;
    char tmp[64];
    int n, bad = 0;
    n = auk_format_int(p->n, tmp);
    bad |= auk_string_builder_append(&sb, tmp, n, err) != AUK_OK;
    n = auk_format_int(p->nulls, tmp);
    bad |= auk_string_builder_append(&sb, tmp, n, err) != AUK_OK;
    bad |= auk_string_builder_append_null(&sb, err) != AUK_OK;
    bad |= auk_string_builder_append_null(&sb, err) != AUK_OK;
    for (int k = 0; k < 2; k++) {
      if (p->n == 0) {
        bad |= auk_string_builder_append_null(&sb, err) != AUK_OK;
      } else if (t == AUK_TYPE_STRING) {
        bad |=
            auk_string_builder_append(&sb, k ? p->smx : p->smn, k ? p->lmx : p->lmn, err) != AUK_OK;
      } else if (auk_type_is_temporal(t)) {
        int64_t v = k ? p->imx : p->imn;
        n = t == AUK_TYPE_DATE ? auk_format_date((int32_t)v, tmp) : auk_format_datetime(v, tmp);
        bad |= auk_string_builder_append(&sb, tmp, n, err) != AUK_OK;
      } else {
        bad |= auk_string_builder_append_null(&sb, err) != AUK_OK;
      }
    }
    if (bad) {
      auk_string_builder_reset(&sb);
      goto fail;
    }
    if (!(b->cols[c + 1] = auk_string_builder_finish(&sb, err))) goto fail;
  }
  if (!(res = auk_frame_new(schema, err))) goto fail;
  st = auk_frame_append(res, b, err);
  b = NULL;
  if (st) goto fail;
  *out = res;
  auk_schema_release(schema);
  return AUK_OK;
fail:
  st = err->code ? err->code : AUK_ERR_INTERNAL;
  auk_batch_free(b);
  auk_frame_free(res);
  auk_schema_release(schema);
  return st;
}

/* ------------------------------------------------------- over a frame */

typedef struct desc_ctx {
  const auk_frame *f;
  part *parts; /* [batch * ncols + col] */
  _Atomic int failed;
} desc_ctx;

static void describe_task(void *ctx, int64_t b, int worker) {
  (void)worker;
  desc_ctx *x = ctx;
  const auk_batch *batch = x->f->batches[b];
  for (int c = 0; c < batch->ncols; c++)
    if (summarize(batch->cols[c], &x->parts[b * batch->ncols + c])) x->failed = 1;
}

static auk_status merge_all(const auk_schema *schema, part *parts, int64_t nrows_of_parts,
                            auk_frame **out, auk_error *err) {
  int nc = schema->nfields;
  part *acc = auk_mem_calloc(sizeof(part) * (size_t)(nc + 1), err);
  if (!acc) return err->code;
  auk_status st = AUK_OK;
  for (int64_t i = 0; i < nrows_of_parts && !st; i++)
    for (int c = 0; c < nc && !st; c++)
      if (merge(&acc[c], &parts[i * nc + c], schema->fields[c].type))
        st = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "describe: out of memory");
  if (!st) st = build_result(schema, acc, out, err);
  for (int c = 0; c < nc; c++) part_clear(&acc[c]);
  auk_mem_free(acc, sizeof(part) * (size_t)(nc + 1));
  return st;
}

auk_status auk_frame_describe(const auk_frame *f, auk_frame **out, auk_error *err) {
  auk_error local;
  if (!err) err = &local;
  if (!f || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "describe: NULL argument");
  *out = NULL;
  int nc = f->schema->nfields;
  size_t nparts = (size_t)(f->nbatches * nc + 1);
  part *parts = auk_mem_calloc(sizeof(part) * nparts, err);
  if (!parts) return err->code;
  desc_ctx x = {f, parts, 0};
  auk_pool_run(f->nbatches, describe_task, &x);
  auk_status st = x.failed ? auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "describe: out of memory")
                           : merge_all(f->schema, parts, f->nbatches, out, err);
  for (size_t i = 0; i < nparts; i++) part_clear(&parts[i]);
  auk_mem_free(parts, sizeof(part) * nparts);
  return st;
}

/* ------------------------------------------------ streaming over a CSV */

typedef struct chunk_parts {
  part *parts; /* [seq * ncols + col] */
  int64_t n, cap;
} chunk_parts;

typedef struct stream_ctx {
  int ncols;
  chunk_parts *chunks;
  int64_t nchunks;
} stream_ctx;

static void stream_reset(void *ctx, int64_t from) {
  stream_ctx *x = ctx;
  for (int64_t i = from; i < x->nchunks; i++) {
    chunk_parts *c = &x->chunks[i];
    for (int64_t k = 0; k < c->n * x->ncols; k++) part_clear(&c->parts[k]);
    auk_mem_free(c->parts, sizeof(part) * (size_t)(c->cap * x->ncols));
    memset(c, 0, sizeof *c);
  }
}

static auk_status stream_begin(void *ctx, int64_t nchunks, auk_error *err) {
  stream_ctx *x = ctx;
  stream_reset(x, 0);
  auk_mem_free(x->chunks, sizeof(chunk_parts) * (size_t)x->nchunks);
  x->nchunks = 0;
  x->chunks = auk_mem_calloc(sizeof(chunk_parts) * (size_t)nchunks, err);
  if (!x->chunks) return err->code;
  x->nchunks = nchunks;
  return AUK_OK;
}

static auk_status stream_batch(void *ctx, int64_t chunk, int64_t seq, auk_array *const *cols,
                               int64_t nrows, auk_error *err) {
  (void)nrows;
  stream_ctx *x = ctx;
  chunk_parts *c = &x->chunks[chunk];
  int nc = x->ncols ? x->ncols : 1;
  if (seq >= c->cap) {
    int64_t cap = c->cap ? c->cap * 2 : 16;
    part *np = auk_mem_realloc(c->parts, sizeof(part) * (size_t)(c->cap * nc),
                               sizeof(part) * (size_t)(cap * nc), err);
    if (!np) return err->code;
    memset(np + c->cap * nc, 0, sizeof(part) * (size_t)((cap - c->cap) * nc));
    c->parts = np;
    c->cap = cap;
  }
  for (int k = 0; k < x->ncols; k++)
    if (summarize(cols[k], &c->parts[seq * nc + k]))
      return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "describe: out of memory");
  if (seq + 1 > c->n) c->n = seq + 1;
  return AUK_OK;
}

auk_status auk_describe_csv(const char *path, const auk_csv_read_options *opts, auk_frame **out,
                            auk_error *err) {
  auk_error local;
  if (!err) err = &local;
  if (!path || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "describe: NULL argument");
  *out = NULL;
  auk_csv_read_options defaults;
  if (!opts) {
    auk_csv_read_options_init(&defaults);
    opts = &defaults;
  }
  auk_source src;
  if (auk_source_open(&src, path, opts->compression, opts->encoding, err)) return err->code;
  /* The number of output columns is known only after the header: count it
   * from a zero-row read first (cheap: header and sample only). */
  auk_csv_read_options probe = *opts;
  probe.max_rows = 0;
  auk_frame *head = NULL;
  auk_status st = auk_csv_read_source(&src, &probe, &head, err);
  stream_ctx x = {0};
  auk_schema *schema = NULL;
  char notes[4096] = "";
  if (!st) {
    x.ncols = auk_frame_num_columns(head);
    auk_frame_free(head);
    auk_csv_sink sink = {&x, stream_begin, stream_batch, stream_reset};
    st = auk_csv_scan_source(&src, opts, &sink, &schema, notes, sizeof notes, err);
  }
  if (!st) {
    /* Merge chunk by chunk, batch by batch: the order a serial read has. */
    int64_t total = 0;
    for (int64_t i = 0; i < x.nchunks; i++) total += x.chunks[i].n;
    part *all = auk_mem_calloc(sizeof(part) * (size_t)(total * (x.ncols ? x.ncols : 1) + 1), err);
    if (!all) {
      st = err->code;
    } else {
      int64_t k = 0;
      for (int64_t i = 0; i < x.nchunks; i++) {
        memcpy(all + k * x.ncols, x.chunks[i].parts,
               sizeof(part) * (size_t)(x.chunks[i].n * x.ncols));
        k += x.chunks[i].n;
      }
      st = merge_all(schema, all, total, out, err);
      for (char *line = notes, *nl; !st && *line; line = nl + 1) { /* carry the notes */
        if (!(nl = strchr(line, '\n'))) break;
        *nl = 0;
        st = auk_frame_add_note(*out, line, err);
      }
      if (st && *out) {
        auk_frame_free(*out);
        *out = NULL;
      }
      auk_mem_free(all, sizeof(part) * (size_t)(total * (x.ncols ? x.ncols : 1) + 1));
    }
  }
  stream_reset(&x, 0);
  auk_mem_free(x.chunks, sizeof(chunk_parts) * (size_t)x.nchunks);
  auk_schema_release(schema);
  auk_source_close(&src);
  return st;
}
