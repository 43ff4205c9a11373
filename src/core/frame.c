/* frame.c - frames as lists of batches. */
#include "core/frame.h"

#include "core/alloc.h"
#include "core/error.h"

#include <string.h>

auk_frame *auk_frame_new(auk_schema *schema, auk_error *err) {
  auk_frame *f = auk_mem_calloc(sizeof *f, err);
  if (!f) return NULL;
  f->notes = auk_str_dup("", err);
  if (!f->notes) {
    auk_mem_free(f, sizeof *f);
    return NULL;
  }
  f->schema = auk_schema_retain(schema);
  return f;
}

auk_status auk_frame_append(auk_frame *f, auk_batch *b, auk_error *err) {
  if (f->nbatches == f->cap_batches) {
    int64_t cap = f->cap_batches ? f->cap_batches * 2 : 16;
    auk_batch **nb = auk_mem_realloc(f->batches, sizeof(auk_batch *) * (size_t)f->cap_batches,
                                     sizeof(auk_batch *) * (size_t)cap, err);
    if (!nb) {
      auk_batch_free(b);
      return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
    }
    f->batches = nb;
    f->cap_batches = cap;
  }
  f->batches[f->nbatches++] = b;
  f->nrows += b->nrows;
  if (f->row_starts) {
    auk_mem_free(f->row_starts, sizeof(int64_t) * (size_t)(f->nbatches));
    f->row_starts = NULL;
  }
  return AUK_OK;
}

auk_status auk_frame_add_note(auk_frame *f, const char *line, auk_error *err) {
  size_t a = strlen(f->notes), b = strlen(line);
  char *n = auk_mem_alloc(a + b + 2, err);
  if (!n) return err ? err->code : AUK_ERR_OUT_OF_MEMORY;
  memcpy(n, f->notes, a);
  memcpy(n + a, line, b);
  n[a + b] = '\n';
  n[a + b + 1] = 0;
  auk_str_free(f->notes);
  f->notes = n;
  return AUK_OK;
}

int64_t auk_frame_locate(auk_frame *f, int64_t row, int64_t *local) {
  if (!f->row_starts) {
    int64_t *rs = auk_mem_alloc(sizeof(int64_t) * (size_t)(f->nbatches + 1), NULL);
    if (!rs) { /* fall back to a linear walk */
      for (int64_t i = 0; i < f->nbatches; i++) {
        if (row < f->batches[i]->nrows) {
          *local = row;
          return i;
        }
        row -= f->batches[i]->nrows;
      }
      *local = 0;
      return f->nbatches - 1;
    }
    int64_t s = 0;
    for (int64_t i = 0; i < f->nbatches; i++) {
      rs[i] = s;
      s += f->batches[i]->nrows;
    }
    rs[f->nbatches] = s;
    f->row_starts = rs;
  }
  int64_t lo = 0, hi = f->nbatches - 1;
  while (lo < hi) { /* last batch with start <= row and rows > 0 */
    int64_t mid = (lo + hi + 1) / 2;
    if (f->row_starts[mid] <= row)
      lo = mid;
    else
      hi = mid - 1;
  }
  while (lo > 0 && f->batches[lo]->nrows == 0) lo--;
  *local = row - f->row_starts[lo];
  return lo;
}

void auk_frame_free(auk_frame *f) {
  if (!f) return;
  for (int64_t i = 0; i < f->nbatches; i++) auk_batch_free(f->batches[i]);
  auk_mem_free(f->batches, sizeof(auk_batch *) * (size_t)f->cap_batches);
  if (f->row_starts) auk_mem_free(f->row_starts, sizeof(int64_t) * (size_t)(f->nbatches + 1));
  auk_schema_release(f->schema);
  auk_str_free(f->notes);
  auk_mem_free(f, sizeof *f);
}
