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
#include "core/types.h"
#include "io/format.h"

#include <math.h>
#include <string.h>

typedef struct part {
  int64_t n, nulls;
  double mean, m2;  /* numeric */
  double mn, mx;    /* numeric (bool as 0/1) */
  int64_t imn, imx; /* temporal */
  const char *smn, *smx; /* strings: borrowed from the frame */
  int64_t lmn, lmx;
} part;

typedef struct desc_ctx {
  const auk_frame *f;
  part *parts; /* [batch * ncols + col] */
} desc_ctx;

static inline int str_less(const char *a, int64_t la, const char *b, int64_t lb) {
  int c = memcmp(a, b, (size_t)(la < lb ? la : lb));
  return c < 0 || (c == 0 && la < lb);
}

/* Mean and M2 of x[0..n) by two passes (exact enough and vectorizable). */
static void moments(const double *x, int64_t n, part *p) {
  double s = 0, mn = INFINITY, mx = -INFINITY;
  for (int64_t i = 0; i < n; i++) {
    s += x[i];
    mn = x[i] < mn ? x[i] : mn;
    mx = x[i] > mx ? x[i] : mx;
  }
  double mean = s / (double)n, m2 = 0;
  for (int64_t i = 0; i < n; i++) m2 += (x[i] - mean) * (x[i] - mean);
  p->mean = mean;
  p->m2 = m2;
  p->mn = mn;
  p->mx = mx;
}

/* Gathers valid values of a numeric array as doubles into tmp; returns n. */
static int64_t gather(const auk_array *a, double *tmp) {
  const void *d = a->values->data;
  int64_t n = 0, off = a->offset, len = a->length;
#define GATHER(T)                                                   \
  {                                                                 \
    const T *v = (const T *)d + off;                                \
    if (!a->validity || a->null_count == 0) {                       \
      for (int64_t i = 0; i < len; i++) tmp[i] = (double)v[i];      \
      n = len;                                                      \
    } else {                                                        \
      for (int64_t i = 0; i < len; i++)                             \
        if (auk_array_is_valid(a, i)) tmp[n++] = (double)v[i];      \
    }                                                               \
  }                                                                 \
  break;
  switch (a->type) {
    case AUK_TYPE_INT8: GATHER(int8_t)
    case AUK_TYPE_INT16: GATHER(int16_t)
    case AUK_TYPE_INT32: GATHER(int32_t)
    case AUK_TYPE_INT64: GATHER(int64_t)
    case AUK_TYPE_UINT8: GATHER(uint8_t)
    case AUK_TYPE_UINT16: GATHER(uint16_t)
    case AUK_TYPE_UINT32: GATHER(uint32_t)
    case AUK_TYPE_UINT64: GATHER(uint64_t)
    case AUK_TYPE_FLOAT32: GATHER(float)
    case AUK_TYPE_FLOAT64: GATHER(double)
    case AUK_TYPE_BOOL:
      for (int64_t i = 0; i < len; i++)
        if (auk_array_is_valid(a, i)) tmp[n++] = auk_bit_get(d, off + i);
      break;
    default:
      break;
  }
#undef GATHER
  return n;
}

static void summarize(const auk_array *a, part *p, double *tmp) {
  memset(p, 0, sizeof *p);
  p->nulls = a->type == AUK_TYPE_NULL ? a->length : a->null_count;
  p->n = a->length - p->nulls;
  if (p->n == 0) return;
  if (a->type == AUK_TYPE_STRING) {
    int first = 1;
    for (int64_t i = 0; i < a->length; i++) {
      if (!auk_array_is_valid(a, i)) continue;
      int64_t len;
      const char *s = auk_array_str(a, i, &len);
      if (first || str_less(s, len, p->smn, p->lmn)) p->smn = s, p->lmn = len;
      if (first || str_less(p->smx, p->lmx, s, len)) p->smx = s, p->lmx = len;
      first = 0;
    }
  } else if (auk_type_is_temporal(a->type)) {
    int64_t mn = INT64_MAX, mx = INT64_MIN;
    for (int64_t i = 0; i < a->length; i++) {
      if (!auk_array_is_valid(a, i)) continue;
      int64_t v = a->type == AUK_TYPE_DATE ? ((const int32_t *)a->values->data)[a->offset + i]
                                           : ((const int64_t *)a->values->data)[a->offset + i];
      mn = v < mn ? v : mn;
      mx = v > mx ? v : mx;
    }
    p->imn = mn;
    p->imx = mx;
  } else {
    int64_t n = gather(a, tmp);
    moments(tmp, n, p);
  }
}

static void describe_task(void *ctx, int64_t b, int worker) {
  (void)worker;
  desc_ctx *x = ctx;
  const auk_batch *batch = x->f->batches[b];
  double *tmp = auk_mem_alloc(sizeof(double) * (size_t)(batch->nrows + 1), NULL);
  for (int c = 0; c < batch->ncols; c++) {
    part *p = &x->parts[b * batch->ncols + c];
    if (!tmp && batch->cols[c]->type != AUK_TYPE_STRING &&
        !auk_type_is_temporal(batch->cols[c]->type)) {
      p->n = -1; /* out of memory: reported by the merge */
      continue;
    }
    summarize(batch->cols[c], p, tmp);
  }
  auk_mem_free(tmp, sizeof(double) * (size_t)(batch->nrows + 1));
}

static void merge(part *acc, const part *p, auk_type_id t) {
  if (p->n == 0) {
    acc->nulls += p->nulls;
    return;
  }
  if (acc->n == 0) {
    int64_t nulls = acc->nulls;
    *acc = *p;
    acc->nulls += nulls;
    return;
  }
  int64_t n = acc->n + p->n;
  if (t == AUK_TYPE_STRING) {
    if (str_less(p->smn, p->lmn, acc->smn, acc->lmn)) acc->smn = p->smn, acc->lmn = p->lmn;
    if (str_less(acc->smx, acc->lmx, p->smx, p->lmx)) acc->smx = p->smx, acc->lmx = p->lmx;
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
}

static const char *const stat_names[6] = {"count", "null_count", "mean", "std", "min", "max"};

auk_status auk_frame_describe(const auk_frame *f, auk_frame **out, auk_error *err) {
  auk_error local;
  if (!err) err = &local;
  if (!f || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "describe: NULL argument");
  *out = NULL;
  int nc = f->schema->nfields;
  size_t nparts = (size_t)(f->nbatches * nc + 1);
  part *parts = auk_mem_calloc(sizeof(part) * nparts, err);
  part *acc = auk_mem_calloc(sizeof(part) * (size_t)(nc + 1), err);
  auk_schema *schema = auk_schema_new(nc + 1, err);
  auk_batch *b = NULL;
  auk_frame *res = NULL;
  auk_status st = AUK_OK;
  if (!parts || !acc || !schema) goto fail;
  desc_ctx x = {f, parts};
  auk_pool_run(f->nbatches, describe_task, &x);
  for (int64_t i = 0; i < f->nbatches; i++)
    for (int c = 0; c < nc; c++) {
      const part *p = &parts[i * nc + c];
      if (p->n < 0) {
        auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "describe: out of memory");
        goto fail;
      }
      merge(&acc[c], p, f->schema->fields[c].type);
    }
  if (auk_schema_set(schema, 0, "statistic", AUK_TYPE_STRING, err)) goto fail;
  for (int c = 0; c < nc; c++) {
    auk_type_id t = f->schema->fields[c].type;
    auk_type_id rt = auk_type_is_numeric(t) || t == AUK_TYPE_BOOL ? AUK_TYPE_FLOAT64 : AUK_TYPE_STRING;
    if (auk_schema_set(schema, c + 1, f->schema->fields[c].name, rt, err)) goto fail;
  }
  if (!(b = auk_batch_new(schema, 6, err))) goto fail;
  auk_string_builder sb;
  if (auk_string_builder_init(&sb, 6, 64, err)) goto fail;
  for (int k = 0; k < 6; k++)
    if (auk_string_builder_append(&sb, stat_names[k], (int64_t)strlen(stat_names[k]), err)) {
      auk_string_builder_reset(&sb);
      goto fail;
    }
  if (!(b->cols[0] = auk_string_builder_finish(&sb, err))) goto fail;
  for (int c = 0; c < nc; c++) {
    const part *p = &acc[c];
    auk_type_id rt = schema->fields[c + 1].type;
    if (rt == AUK_TYPE_FLOAT64) {
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
          auk_bit_clear(a->validity->data, k);
          a->null_count++;
        }
      b->cols[c + 1] = a;
    } else {
      if (auk_string_builder_init(&sb, 6, 64, err)) goto fail;
      char tmp[64];
      int n;
      st = AUK_OK;
      n = auk_format_int(p->n, tmp);
      st |= auk_string_builder_append(&sb, tmp, n, err);
      n = auk_format_int(p->nulls, tmp);
      st |= auk_string_builder_append(&sb, tmp, n, err);
      st |= auk_string_builder_append_null(&sb, err);
      st |= auk_string_builder_append_null(&sb, err);
      for (int k = 0; k < 2; k++) {
        if (p->n == 0) {
          st |= auk_string_builder_append_null(&sb, err);
        } else if (f->schema->fields[c].type == AUK_TYPE_STRING) {
          st |= auk_string_builder_append(&sb, k ? p->smx : p->smn, k ? p->lmx : p->lmn, err);
        } else if (auk_type_is_temporal(f->schema->fields[c].type)) {
          int64_t v = k ? p->imx : p->imn;
          n = f->schema->fields[c].type == AUK_TYPE_DATE ? auk_format_date((int32_t)v, tmp)
                                                         : auk_format_datetime(v, tmp);
          st |= auk_string_builder_append(&sb, tmp, n, err);
        } else {
          st |= auk_string_builder_append_null(&sb, err);
        }
      }
      if (st) {
        auk_string_builder_reset(&sb);
        goto fail;
      }
      if (!(b->cols[c + 1] = auk_string_builder_finish(&sb, err))) goto fail;
    }
  }
  if (!(res = auk_frame_new(schema, err))) goto fail;
  if (auk_frame_append(res, b, err)) {
    b = NULL;
    goto fail;
  }
  b = NULL;
  *out = res;
  res = NULL;
  st = AUK_OK;
  goto done;
fail:
  st = err->code ? err->code : AUK_ERR_INTERNAL;
done:
  auk_batch_free(b);
  auk_frame_free(res);
  auk_schema_release(schema);
  auk_mem_free(parts, sizeof(part) * nparts);
  auk_mem_free(acc, sizeof(part) * (size_t)(nc + 1));
  return st;
}
