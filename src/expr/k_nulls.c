/* k_nulls.c - null tests and choosing between values: is_null,
 * is_not_null, coalesce (fill_null) and when/then/otherwise.
 *
 * coalesce and when first decide, per row, which argument supplies the
 * value (a byte per row), then gather from that argument in one pass per
 * type; no per-row dispatch on the type. */
#include "expr/kernel.h"

enum { NONE = 255 };

static int kd_valid(const kd *d, int64_t i) {
  if (!d->a) return !d->s->is_null;
  return auk_array_is_valid(d->a, i);
}

/* Builds the result of type t taking row i from src[sel[i]] (NONE: null). */
static auk_status gather(auk_type_id t, const kd *src, const uint8_t *sel, int64_t n,
                         auk_array **out, auk_error *err) {
  if (t == AUK_TYPE_STRING) {
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) {
      if (sel[i] == NONE) continue;
      const kd *d = &src[sel[i]];
      if (d->a) {
        int64_t len;
        auk_array_str(d->a, i, &len);
        total += len;
      } else {
        total += d->s->len;
      }
    }
    auk_string_builder sb;
    if (auk_string_builder_init(&sb, n, total, err)) return err->code;
    for (int64_t i = 0; i < n; i++) {
      auk_status st;
      if (sel[i] == NONE) {
        st = auk_string_builder_append_null(&sb, err);
      } else {
        const kd *d = &src[sel[i]];
        int64_t len = d->s ? d->s->len : 0;
        const char *p = d->a ? auk_array_str(d->a, i, &len) : d->s->s;
        st = auk_string_builder_append(&sb, p, len, err);
      }
      if (st) {
        auk_string_builder_reset(&sb);
        return st;
      }
    }
    *out = auk_string_builder_finish(&sb, err);
    return *out ? AUK_OK : err->code;
  }
  auk_array *o = k_new(t, n, err);
  if (!o) return err->code;
  int64_t nulls = 0;
  for (int64_t i = 0; i < n; i++) nulls += sel[i] == NONE;
  if (nulls && auk_array_add_validity(o, err)) {
    auk_array_release(o);
    return err->code;
  }
  int w = auk_type_width(t);
  uint8_t *r = auk_array_data(o);
  if (t == AUK_TYPE_BOOL) memset(r, 0, (size_t)auk_bitmap_bytes(n));
  for (int64_t i = 0; i < n; i++) {
    if (sel[i] == NONE) {
      auk_bit_clear(o->validity->data, i);
      continue;
    }
    const kd *d = &src[sel[i]];
    if (t == AUK_TYPE_BOOL) {
      int v = d->a ? auk_bit_get(k_bits(d->a), i) : (int)d->s->i;
      if (v) auk_bit_set(r, i);
    } else if (d->a) {
      memcpy(r + i * w, (const uint8_t *)k_vals(d->a) + i * w, (size_t)w);
    } else if (t == AUK_TYPE_FLOAT64) {
      ((double *)r)[i] = d->s->f;
    } else if (t == AUK_TYPE_FLOAT32) {
      ((float *)r)[i] = (float)d->s->f;
    } else if (w == 8) {
      ((int64_t *)r)[i] = d->s->i;
    } else if (w == 4) {
      ((int32_t *)r)[i] = (int32_t)d->s->i;
    } else if (w == 2) {
      ((int16_t *)r)[i] = (int16_t)d->s->i;
    } else {
      r[i] = (uint8_t)d->s->i;
    }
  }
  o->null_count = nulls;
  *out = o;
  return AUK_OK;
}

static int cond_true(const kd *d, int64_t i) {
  if (!d->a) return !d->s->is_null && d->s->i;
  return auk_array_is_valid(d->a, i) && auk_bit_get(k_bits(d->a), i);
}

auk_status k_nulls(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  if (b->fn == FN_IS_NULL || b->fn == FN_IS_NOT_NULL) {
    auk_array *o = k_new(AUK_TYPE_BOOL, n, err);
    if (!o) return err->code;
    uint8_t *r = auk_array_data(o);
    int64_t bytes = auk_bitmap_bytes(n);
    const auk_array *a = args[0].a;
    int want_null = b->fn == FN_IS_NULL;
    if (!a || !a->validity || a->type == AUK_TYPE_NULL) {
      int is_null = a ? a->type == AUK_TYPE_NULL : args[0].s->is_null;
      memset(r, is_null == want_null ? 0xff : 0, (size_t)bytes);
    } else {
      const uint8_t *v = k_valid(a);
      for (int64_t j = 0; j < bytes; j++) r[j] = want_null ? (uint8_t)~v[j] : v[j];
    }
    *out = o;
    return AUK_OK;
  }
  uint8_t *sel = auk_mem_alloc((size_t)n + 1, err);
  if (!sel) return err->code;
  if (b->fn == FN_COALESCE) {
    for (int64_t i = 0; i < n; i++) {
      sel[i] = NONE;
      for (int k = 0; k < b->nargs; k++)
        if (kd_valid(&args[k], i)) {
          sel[i] = (uint8_t)k;
          break;
        }
    }
    auk_status st = gather(b->type, args, sel, n, out, err);
    auk_mem_free(sel, (size_t)n + 1);
    return st;
  }
  /* when: conditions at even positions, values after them, otherwise last.
   * Values are gathered from a compact list so indices fit in a byte. */
  int nv = b->nargs / 2 + 1;
  kd vals[128];
  if (nv > 128) {
    auk_mem_free(sel, (size_t)n + 1);
    return auk_error_set(err, AUK_ERR_UNSUPPORTED, "when/then chains are limited to 127 branches");
  }
  for (int k = 0; k < nv - 1; k++) vals[k] = args[2 * k + 1];
  vals[nv - 1] = args[b->nargs - 1];
  for (int64_t i = 0; i < n; i++) {
    int k = 0;
    while (k < nv - 1 && !cond_true(&args[2 * k], i)) k++;
    sel[i] = kd_valid(&vals[k], i) ? (uint8_t)k : NONE;
  }
  auk_status st = gather(b->type, vals, sel, n, out, err);
  auk_mem_free(sel, (size_t)n + 1);
  return st;
}
