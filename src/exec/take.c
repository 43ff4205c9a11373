/* take.c - gathers, filters and concatenations over whole columns: one
 * loop per value width, strings in two passes (sizes, then bytes), so no
 * per-row allocation and no per-row type dispatch. */
#include "exec/take.h"

#include "core/alloc.h"
#include "core/error.h"
#include "core/pool.h"
#include "core/types.h"

#include <string.h>

static auk_status gather_validity(const auk_array *a, const int64_t *idx, int64_t n, auk_array *o,
                                  auk_error *err) {
  if (!a->validity) return AUK_OK;
  if (auk_array_add_validity(o, err)) return err->code;
  uint8_t *v = o->validity->data;
  int64_t nulls = 0;
  for (int64_t i = 0; i < n; i++)
    if (!auk_bit_get(a->validity->data, a->offset + idx[i])) {
      auk_bit_clear(v, i);
      nulls++;
    }
  o->null_count = nulls;
  if (!nulls) {
    auk_buffer_release(o->validity);
    o->validity = NULL;
  }
  return AUK_OK;
}

/* Gathers start loading the value this many rows ahead (random gathers
 * from big columns miss the cache on every row). */
enum { AHEAD = 16 };

auk_status take_array(const auk_array *a, const int64_t *idx, int64_t n, auk_array **out,
                      auk_error *err) {
  *out = NULL;
  if (a->type == AUK_TYPE_NULL) {
    *out = auk_array_new_nulls(AUK_TYPE_NULL, n, err);
    return *out ? AUK_OK : err->code;
  }
  if (a->type == AUK_TYPE_STRING) {
    const int64_t *off = auk_array_offsets(a);
    const char *bytes = (const char *)a->values->data;
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) total += off[idx[i] + 1] - off[idx[i]];
    auk_buffer *ob = auk_buffer_new((n + 1) * 8, err);
    /* 16 bytes of slack: short strings are copied as one 16-byte block
     * (inlined) instead of a memcpy call each */
    auk_buffer *bb = ob ? auk_buffer_new(total + 16, err) : NULL;
    if (!bb) {
      auk_buffer_release(ob);
      return err->code;
    }
    int64_t *o = (int64_t *)ob->data, w = 0, src_size = a->values->size;
    o[0] = 0;
    for (int64_t i = 0; i < n; i++) {
      /* two stages: the offset 16 rows ahead, the bytes 8 ahead (whose
       * offset was asked for 8 rows ago) */
      if (i + AHEAD < n) __builtin_prefetch(&off[idx[i + AHEAD]]);
      if (i + AHEAD / 2 < n) __builtin_prefetch(bytes + off[idx[i + AHEAD / 2]]);
      int64_t s = off[idx[i]], len = off[idx[i] + 1] - s;
      if (len <= 16 && s + 16 <= src_size)
        memcpy(bb->data + w, bytes + s, 16);
      else
        memcpy(bb->data + w, bytes + s, (size_t)len);
      w += len;
      o[i + 1] = w;
    }
    ob->size = (n + 1) * 8;
    bb->size = w;
    auk_array *r = auk_array_new_from(AUK_TYPE_STRING, n, 0, NULL, bb, ob, err);
    auk_buffer_release(ob);
    auk_buffer_release(bb);
    if (!r) return err->code;
    if (gather_validity(a, idx, n, r, err)) {
      auk_array_release(r);
      return err->code;
    }
    *out = r;
    return AUK_OK;
  }
  auk_array *r = auk_array_new_fixed(a->type, n, err);
  if (!r) return err->code;
  void *d = auk_array_data(r);
  const uint8_t *s = a->values->data;
  int64_t off = a->offset;
  switch (a->type == AUK_TYPE_BOOL ? 0 : auk_type_width(a->type)) {
    case 0:
      memset(d, 0, (size_t)auk_bitmap_bytes(n));
      for (int64_t i = 0; i < n; i++)
        if (auk_bit_get(s, off + idx[i])) auk_bit_set(d, i);
      break;
    case 1:
      for (int64_t i = 0; i < n; i++) ((uint8_t *)d)[i] = s[off + idx[i]];
      break;
    case 2:
      for (int64_t i = 0; i < n; i++) ((uint16_t *)d)[i] = ((const uint16_t *)s)[off + idx[i]];
      break;
    case 4:
      for (int64_t i = 0; i < n; i++) {
        if (i + AHEAD < n) __builtin_prefetch(&((const uint32_t *)s)[off + idx[i + AHEAD]]);
        ((uint32_t *)d)[i] = ((const uint32_t *)s)[off + idx[i]];
      }
      break;
    default:
      for (int64_t i = 0; i < n; i++) {
        if (i + AHEAD < n) __builtin_prefetch(&((const uint64_t *)s)[off + idx[i + AHEAD]]);
        ((uint64_t *)d)[i] = ((const uint64_t *)s)[off + idx[i]];
      }
      break;
  }
  if (gather_validity(a, idx, n, r, err)) {
    auk_array_release(r);
    return err->code;
  }
  *out = r;
  return AUK_OK;
}

auk_status take_filter(const auk_batch *in, const auk_array *mask, auk_batch **out,
                       auk_error *err) {
  *out = NULL;
  if (mask->type == AUK_TYPE_NULL || !mask->values) return AUK_OK; /* WHERE NULL: no row */
  int64_t n = in->nrows, k = 0;
  const uint8_t *v = mask->values->data, *ok = mask->validity ? mask->validity->data : NULL;
  int64_t mo = mask->offset;
  int64_t *idx = auk_mem_alloc(sizeof(int64_t) * (size_t)(n ? n : 1), err);
  if (!idx) return err->code;
  if (!(mo & 7)) {
    /* a word of the mask at a time: selective filters skip empty words */
    const uint8_t *vb = v + mo / 8, *ob = ok ? ok + mo / 8 : NULL;
    int64_t words = n / 64;
    for (int64_t w = 0; w < words; w++) {
      uint64_t m;
      memcpy(&m, vb + w * 8, 8);
      if (ob) {
        uint64_t o;
        memcpy(&o, ob + w * 8, 8);
        m &= o;
      }
      while (m) {
        idx[k++] = w * 64 + __builtin_ctzll(m);
        m &= m - 1;
      }
    }
    for (int64_t i = words * 64; i < n; i++)
      if (auk_bit_get(vb, i) & (ob ? auk_bit_get(ob, i) : 1)) idx[k++] = i;
  } else {
    for (int64_t i = 0; i < n; i++) {
      idx[k] = i;
      k += auk_bit_get(v, mo + i) & (ok ? auk_bit_get(ok, mo + i) : 1);
    }
  }
  auk_status st = AUK_OK;
  if (k == n) {
    *out = auk_batch_slice(in, 0, n, err);
    if (!*out) st = err->code;
  } else if (k > 0) {
    auk_batch *b = auk_batch_new(in->schema, k, err);
    if (!b) {
      st = err->code;
    } else {
      for (int c = 0; c < in->ncols && !st; c++)
        st = take_array(in->cols[c], idx, k, &b->cols[c], err);
      if (st)
        auk_batch_free(b);
      else
        *out = b;
    }
  }
  auk_mem_free(idx, sizeof(int64_t) * (size_t)(n ? n : 1));
  return st;
}

auk_status concat_arrays(auk_array *const *arrays, int64_t k, auk_array **out, auk_error *err) {
  *out = NULL;
  if (k == 1) {
    *out = auk_array_retain(arrays[0]);
    return AUK_OK;
  }
  int64_t n = 0;
  for (int64_t i = 0; i < k; i++) n += arrays[i]->length;
  /* a gather over (array, row) pairs written as one index per array */
  auk_type_id t = k ? arrays[0]->type : AUK_TYPE_NULL;
  if (t == AUK_TYPE_STRING) {
    /* bytes copied per array in one block, offsets shifted */
    int64_t total = 0, nulls = 0;
    for (int64_t i = 0; i < k; i++) {
      const int64_t *o = auk_array_offsets(arrays[i]);
      total += o[arrays[i]->length] - o[0];
      nulls += arrays[i]->null_count;
    }
    auk_buffer *ob = auk_buffer_new((n + 1) * 8, err);
    auk_buffer *vb = ob ? auk_buffer_new(total ? total : 1, err) : NULL;
    if (!vb) {
      auk_buffer_release(ob);
      return err->code;
    }
    int64_t *o = (int64_t *)ob->data, at = 0, w = 0;
    o[0] = 0;
    for (int64_t i = 0; i < k; i++) {
      const auk_array *a = arrays[i];
      const int64_t *src = auk_array_offsets(a);
      int64_t bytes = src[a->length] - src[0], shift = w - src[0];
      if (bytes) memcpy(vb->data + w, a->values->data + src[0], (size_t)bytes);
      for (int64_t r = 1; r <= a->length; r++) o[at + r] = src[r] + shift;
      at += a->length;
      w += bytes;
    }
    ob->size = (n + 1) * 8;
    vb->size = w;
    auk_array *r = auk_array_new_from(AUK_TYPE_STRING, n, 0, NULL, vb, ob, err);
    auk_buffer_release(ob);
    auk_buffer_release(vb);
    if (!r) return err->code;
    if (nulls) {
      if (auk_array_add_validity(r, err)) {
        auk_array_release(r);
        return err->code;
      }
      int64_t base = 0;
      for (int64_t i = 0; i < k; i++) {
        const auk_array *a = arrays[i];
        if (a->null_count)
          for (int64_t j = 0; j < a->length; j++)
            if (!auk_array_is_valid(a, j)) auk_bit_clear(r->validity->data, base + j);
        base += a->length;
      }
      r->null_count = nulls;
    }
    *out = r;
    return AUK_OK;
  }
  auk_array *r =
      t == AUK_TYPE_NULL ? auk_array_new_nulls(t, n, err) : auk_array_new_fixed(t, n, err);
  if (!r) return err->code;
  if (t == AUK_TYPE_NULL) {
    *out = r;
    return AUK_OK;
  }
  int any_nulls = 0;
  for (int64_t i = 0; i < k; i++) any_nulls |= arrays[i]->null_count > 0;
  if (any_nulls && auk_array_add_validity(r, err)) {
    auk_array_release(r);
    return err->code;
  }
  int w = auk_type_width(t);
  uint8_t *d = auk_array_data(r);
  if (t == AUK_TYPE_BOOL) memset(d, 0, (size_t)auk_bitmap_bytes(n));
  int64_t at = 0, nulls = 0;
  for (int64_t i = 0; i < k; i++) {
    const auk_array *a = arrays[i];
    if (t == AUK_TYPE_BOOL) {
      for (int64_t j = 0; j < a->length; j++)
        if (auk_bit_get(a->values->data, a->offset + j)) auk_bit_set(d, at + j);
    } else {
      memcpy(d + at * w, a->values->data + a->offset * w, (size_t)(a->length * w));
    }
    if (any_nulls && a->validity)
      for (int64_t j = 0; j < a->length; j++)
        if (!auk_array_is_valid(a, j)) {
          auk_bit_clear(r->validity->data, at + j);
          nulls++;
        }
    at += a->length;
  }
  r->null_count = nulls;
  *out = r;
  return AUK_OK;
}

auk_status take_rows(const auk_array *x, const int64_t *rows, int64_t n, auk_type_id out_type,
                     auk_array **out, auk_error *err) {
  if (!x || x->length == 0) {
    *out = auk_array_new_nulls(out_type, n, err);
    return *out ? AUK_OK : err->code;
  }
  int64_t *idx = auk_mem_alloc(sizeof(int64_t) * (size_t)(n ? n : 1), err);
  uint8_t *ok = idx ? auk_mem_alloc((size_t)(n ? n : 1), err) : NULL;
  if (!ok) {
    if (idx) auk_mem_free(idx, sizeof(int64_t) * (size_t)(n ? n : 1));
    return err->code;
  }
  for (int64_t g = 0; g < n; g++) {
    ok[g] = rows[g] >= 0;
    idx[g] = rows[g] >= 0 ? rows[g] : 0;
  }
  auk_status st = take_array(x, idx, n, out, err);
  if (!st) {
    int64_t bad = 0;
    for (int64_t g = 0; g < n; g++) bad += !ok[g];
    if (bad) {
      if (!(*out)->validity && auk_array_add_validity(*out, err)) st = err->code;
      for (int64_t g = 0; !st && g < n; g++)
        if (!ok[g]) auk_bit_clear((*out)->validity->data, g);
      if (!st) (*out)->null_count = n - auk_bitmap_count((*out)->validity->data, 0, n);
    }
  }
  auk_mem_free(idx, sizeof(int64_t) * (size_t)(n ? n : 1));
  auk_mem_free(ok, (size_t)(n ? n : 1));
  return st;
}

int exec_cells_equal(const auk_array *a, int64_t x, const auk_array *b, int64_t y) {
  int vx = auk_array_is_valid(a, x), vy = auk_array_is_valid(b, y);
  if (!vx || !vy) return vx == vy;
  const uint8_t *da = a->values ? a->values->data : NULL, *db = b->values ? b->values->data : NULL;
  switch (auk_type_storage(a->type)) {
    case AUK_TYPE_STRING: {
      int64_t lx, ly;
      const char *px = auk_array_str(a, x, &lx), *py = auk_array_str(b, y, &ly);
      return lx == ly && (lx == 0 || !memcmp(px, py, (size_t)lx));
    }
    case AUK_TYPE_BOOL: return auk_bit_get(da, a->offset + x) == auk_bit_get(db, b->offset + y);
    case AUK_TYPE_FLOAT64: {
      double u = ((const double *)da)[a->offset + x], v = ((const double *)db)[b->offset + y];
      return u == v || (u != u && v != v);
    }
    case AUK_TYPE_NULL: return 1;
    default: {
      int w = auk_type_width(a->type);
      return !memcmp(da + (a->offset + x) * w, db + (b->offset + y) * w, (size_t)w);
    }
  }
}

typedef struct eval_ctx {
  const bexpr *b;
  const auk_frame *in;
  auk_array **parts;
  auk_status *st;
  auk_error *errs;
} eval_ctx;

static void eval_task(void *ctx, int64_t i, int worker) {
  (void)worker;
  eval_ctx *e = ctx;
  e->st[i] = bexpr_eval(e->b, e->in->batches[i], &e->parts[i], &e->errs[i]);
}

auk_status exec_eval_joined(const bexpr *b, const auk_frame *in, auk_array **out, auk_error *err) {
  int64_t nb = in->nbatches;
  auk_status st = AUK_OK;
  auk_array **parts = auk_mem_calloc(sizeof(auk_array *) * (size_t)(nb + 1), err);
  auk_status *sts = parts ? auk_mem_calloc(sizeof(auk_status) * (size_t)(nb + 1), err) : NULL;
  auk_error *errs = sts ? auk_mem_alloc(sizeof(auk_error) * (size_t)(nb + 1), err) : NULL;
  if (!errs) {
    st = err->code;
  } else {
    eval_ctx c = {b, in, parts, sts, errs};
    auk_pool_run(nb, eval_task, &c);
    for (int64_t i = 0; i < nb && !st; i++)
      if (sts[i]) { /* the first failing batch, in order */
        *err = errs[i];
        st = sts[i];
      }
    if (!st && nb) st = concat_arrays(parts, nb, out, err);
    if (!st && !nb) st = (*out = auk_array_new_nulls(b->type, 0, err)) ? AUK_OK : err->code;
  }
  if (parts)
    for (int64_t i = 0; i < nb; i++) auk_array_release(parts[i]);
  if (errs) auk_mem_free(errs, sizeof(auk_error) * (size_t)(nb + 1));
  if (sts) auk_mem_free(sts, sizeof(auk_status) * (size_t)(nb + 1));
  if (parts) auk_mem_free(parts, sizeof(auk_array *) * (size_t)(nb + 1));
  return st;
}

/* Copies a string of len bytes; short ones (most keys) without a call. */
static inline void copy_short(uint8_t *dst, const uint8_t *src, int64_t len) {
  if (len > 16) {
    memcpy(dst, src, (size_t)len);
    return;
  }
  for (int64_t k = 0; k < len; k++) dst[k] = src[k];
}

auk_status take_pos(auk_array *const *parts, int64_t nparts, const int64_t *pos, int64_t n,
                    auk_type_id out_type, auk_array **out, auk_error *err) {
  *out = NULL;
  const auk_array *any = NULL;
  for (int64_t i = 0; i < n && !any; i++)
    if (pos[i] >= 0) any = parts[exec_pos_batch(pos[i])];
  if (!any || any->type == AUK_TYPE_NULL) {
    *out = auk_array_new_nulls(any ? any->type : out_type, n, err);
    return *out ? AUK_OK : err->code;
  }
  auk_type_id t = any->type;
  auk_array *r = NULL;
  if (t == AUK_TYPE_STRING) {
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) {
      if (pos[i] < 0) continue;
      const auk_array *a = parts[exec_pos_batch(pos[i])];
      const int64_t *off = auk_array_offsets(a);
      int64_t j = exec_pos_row(pos[i]);
      total += off[j + 1] - off[j];
    }
    auk_buffer *ob = auk_buffer_new((n + 1) * 8, err);
    auk_buffer *bb = ob ? auk_buffer_new(total ? total : 1, err) : NULL;
    if (!bb) {
      auk_buffer_release(ob);
      return err->code;
    }
    int64_t *o = (int64_t *)ob->data, w = 0;
    o[0] = 0;
    for (int64_t i = 0; i < n; i++) {
      if (pos[i] >= 0) {
        const auk_array *a = parts[exec_pos_batch(pos[i])];
        const int64_t *off = auk_array_offsets(a);
        int64_t j = exec_pos_row(pos[i]), s = off[j], len = off[j + 1] - s;
        copy_short(bb->data + w, a->values->data + s, len);
        w += len;
      }
      o[i + 1] = w;
    }
    ob->size = (n + 1) * 8;
    bb->size = w;
    r = auk_array_new_from(AUK_TYPE_STRING, n, 0, NULL, bb, ob, err);
    auk_buffer_release(ob);
    auk_buffer_release(bb);
    if (!r) return err->code;
  } else {
    if (!(r = auk_array_new_fixed(t, n, err))) return err->code;
    uint8_t *d = auk_array_data(r);
#define GATHER(T)                                                                 \
  for (int64_t i = 0; i < n; i++) {                                               \
    if (pos[i] < 0) {                                                             \
      ((T *)d)[i] = 0;                                                            \
      continue;                                                                   \
    }                                                                             \
    const auk_array *a = parts[exec_pos_batch(pos[i])];                           \
    ((T *)d)[i] = ((const T *)a->values->data)[a->offset + exec_pos_row(pos[i])]; \
  }
    switch (t == AUK_TYPE_BOOL ? 0 : auk_type_width(t)) {
      case 0:
        memset(d, 0, (size_t)auk_bitmap_bytes(n));
        for (int64_t i = 0; i < n; i++) {
          if (pos[i] < 0) continue;
          const auk_array *a = parts[exec_pos_batch(pos[i])];
          if (auk_bit_get(a->values->data, a->offset + exec_pos_row(pos[i]))) auk_bit_set(d, i);
        }
        break;
      case 1: GATHER(uint8_t); break;
      case 2: GATHER(uint16_t); break;
      case 4: GATHER(uint32_t); break;
      default: GATHER(uint64_t); break;
    }
#undef GATHER
  }
  /* validity only when a part has nulls or a position is negative */
  int maybe = 0;
  for (int64_t b = 0; b < nparts && !maybe; b++) maybe = parts[b] && parts[b]->null_count > 0;
  for (int64_t i = 0; i < n && !maybe; i++) maybe = pos[i] < 0;
  int64_t nulls = 0;
  for (int64_t i = 0; maybe && i < n; i++)
    nulls += pos[i] < 0 || !auk_array_is_valid(parts[exec_pos_batch(pos[i])], exec_pos_row(pos[i]));
  if (nulls) {
    if (auk_array_add_validity(r, err)) {
      auk_array_release(r);
      return err->code;
    }
    for (int64_t i = 0; i < n; i++)
      if (pos[i] < 0 || !auk_array_is_valid(parts[exec_pos_batch(pos[i])], exec_pos_row(pos[i])))
        auk_bit_clear(r->validity->data, i);
    r->null_count = nulls;
  }
  *out = r;
  return AUK_OK;
}
