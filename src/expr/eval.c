/* eval.c - evaluating a bound expression over a batch: arguments become
 * datums (a literal stays a scalar, so `v3 > 99.9` never builds a column of
 * 99.9s), then one kernel call per node works on the whole column. */
#include "expr/kernel.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

auk_array *k_new(auk_type_id type, int64_t n, auk_error *err) {
  return auk_array_new_fixed(type, n, err);
}

auk_status k_set_validity(auk_array *out, const uint8_t *bits, auk_error *err) {
  if (!bits) return AUK_OK;
  int64_t bytes = auk_bitmap_bytes(out->length);
  int64_t valid = auk_bitmap_count(bits, 0, out->length);
  if (valid == out->length) return AUK_OK;
  auk_buffer *v = auk_buffer_new(bytes, err);
  if (!v) return err->code;
  memcpy(v->data, bits, (size_t)bytes);
  v->size = bytes;
  if (out->validity) auk_buffer_release(out->validity);
  out->validity = v;
  out->null_count = out->length - valid;
  return AUK_OK;
}

auk_status k_and_validity(auk_array *out, const kd *args, int nargs, auk_error *err) {
  int64_t n = out->length, bytes = auk_bitmap_bytes(n);
  int any = 0;
  for (int i = 0; i < nargs; i++) {
    if (kd_null_scalar(&args[i])) {
      auk_buffer *v = auk_buffer_new(bytes, err);
      if (!v) return err->code;
      memset(v->data, 0, (size_t)bytes);
      v->size = bytes;
      if (out->validity) auk_buffer_release(out->validity);
      out->validity = v;
      out->null_count = n;
      return AUK_OK;
    }
    any |= args[i].a && args[i].a->validity != NULL;
  }
  if (!any) return AUK_OK;
  auk_buffer *v = auk_buffer_new(bytes, err);
  if (!v) return err->code;
  v->size = bytes;
  memset(v->data, 0xff, (size_t)bytes);
  for (int i = 0; i < nargs; i++) {
    if (!args[i].a || !args[i].a->validity) continue;
    const uint8_t *s = k_valid(args[i].a);
    for (int64_t j = 0; j < bytes; j++) v->data[j] &= s[j];
  }
  if (out->validity) auk_buffer_release(out->validity);
  out->validity = v;
  out->null_count = n - auk_bitmap_count(v->data, 0, n);
  if (!out->null_count) {
    auk_buffer_release(v);
    out->validity = NULL;
  }
  return AUK_OK;
}

auk_status k_broadcast(const expr_value *v, int64_t n, auk_array **out, auk_error *err) {
  auk_type_id t = v->type;
  if (v->is_null || t == AUK_TYPE_NULL) {
    *out = auk_array_new_nulls(t, n, err);
    return *out ? AUK_OK : err->code;
  }
  if (t == AUK_TYPE_STRING) {
    auk_string_builder sb;
    if (auk_string_builder_init(&sb, n, v->len * n, err)) return err->code;
    for (int64_t i = 0; i < n; i++)
      if (auk_string_builder_append(&sb, v->s, v->len, err)) {
        auk_string_builder_reset(&sb);
        return err->code;
      }
    *out = auk_string_builder_finish(&sb, err);
    return *out ? AUK_OK : err->code;
  }
  auk_array *a = k_new(t, n, err);
  if (!a) return err->code;
  void *d = auk_array_data(a);
  switch (auk_type_storage(t)) {
    case AUK_TYPE_BOOL: memset(d, v->i ? 0xff : 0, (size_t)auk_bitmap_bytes(n)); break;
    case AUK_TYPE_FLOAT64:
      for (int64_t i = 0; i < n; i++) ((double *)d)[i] = v->f;
      break;
    case AUK_TYPE_FLOAT32:
      for (int64_t i = 0; i < n; i++) ((float *)d)[i] = (float)v->f;
      break;
    case AUK_TYPE_INT32:
    case AUK_TYPE_DATE:
      for (int64_t i = 0; i < n; i++) ((int32_t *)d)[i] = (int32_t)v->i;
      break;
    case AUK_TYPE_INT64:
    case AUK_TYPE_DATETIME:
      for (int64_t i = 0; i < n; i++) ((int64_t *)d)[i] = v->i;
      break;
    case AUK_TYPE_INT8:
    case AUK_TYPE_UINT8: memset(d, (int)(uint8_t)v->i, (size_t)n); break;
    case AUK_TYPE_INT16:
    case AUK_TYPE_UINT16:
      for (int64_t i = 0; i < n; i++) ((uint16_t *)d)[i] = (uint16_t)v->i;
      break;
    case AUK_TYPE_UINT32:
      for (int64_t i = 0; i < n; i++) ((uint32_t *)d)[i] = (uint32_t)v->i;
      break;
    case AUK_TYPE_UINT64:
      for (int64_t i = 0; i < n; i++) ((uint64_t *)d)[i] = (uint64_t)v->i;
      break;
    default:
      auk_array_release(a);
      return auk_error_set(err, AUK_ERR_INTERNAL, "cannot broadcast a %s value", auk_type_name(t));
  }
  *out = a;
  return AUK_OK;
}

auk_status k_materialize(const kd *d, auk_type_id type, int64_t n, auk_array **out,
                         auk_error *err) {
  if (d->a) {
    *out = auk_array_retain(d->a);
    return AUK_OK;
  }
  if (d->s->is_null) {
    *out = auk_array_new_nulls(type, n, err);
    return *out ? AUK_OK : err->code;
  }
  return k_broadcast(d->s, n, out, err);
}

auk_status k_value_error(const bexpr *b, auk_error *err, const char *fmt, ...) {
  char what[600], text[400] = "";
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (b && b->src) expr_to_string(b->src, text, sizeof text);
  if (!text[0]) return auk_error_set(err, AUK_ERR_PARSE, "%s", what);
  return auk_error_set(err, AUK_ERR_PARSE, "%s in `%s`", what, text);
}

/* A copy of a with offset 0, for the rare slice whose bitmaps do not start
 * on a byte boundary. */
static auk_status compact(auk_array *a, auk_array **out, auk_error *err) {
  int64_t n = a->length;
  if (a->type == AUK_TYPE_STRING) {
    auk_string_builder sb;
    const int64_t *o = auk_array_offsets(a);
    if (auk_string_builder_init(&sb, n, o[n] - o[0], err)) return err->code;
    for (int64_t i = 0; i < n; i++) {
      int64_t len;
      const char *s = auk_array_str(a, i, &len);
      auk_status st = auk_array_is_valid(a, i) ? auk_string_builder_append(&sb, s, len, err)
                                               : auk_string_builder_append_null(&sb, err);
      if (st) {
        auk_string_builder_reset(&sb);
        return st;
      }
    }
    *out = auk_string_builder_finish(&sb, err);
    return *out ? AUK_OK : err->code;
  }
  auk_array *c = k_new(a->type, n, err);
  if (!c) return err->code;
  if (a->type == AUK_TYPE_BOOL) {
    uint8_t *d = auk_array_data(c);
    memset(d, 0, (size_t)auk_bitmap_bytes(n));
    for (int64_t i = 0; i < n; i++)
      if (auk_bit_get(a->values->data, a->offset + i)) auk_bit_set(d, i);
  } else if (a->type != AUK_TYPE_NULL) {
    int w = auk_type_width(a->type);
    memcpy(auk_array_data(c), a->values->data + a->offset * w, (size_t)(n * w));
  }
  if (a->validity) {
    if (auk_array_add_validity(c, err)) {
      auk_array_release(c);
      return err->code;
    }
    for (int64_t i = 0; i < n; i++)
      if (!auk_array_is_valid(a, i)) auk_bit_clear(c->validity->data, i);
    c->null_count = a->null_count;
  }
  *out = c;
  return AUK_OK;
}

static auk_status eval_call(const bexpr *b, const auk_batch *batch, auk_array **out,
                            auk_error *err) {
  enum { SMALL = 8 };
  kd small[SMALL], *args = small;
  int n = b->nargs;
  if (n > SMALL && !(args = auk_mem_calloc(sizeof(kd) * (size_t)n, err))) return err->code;
  auk_status st = AUK_OK;
  int done = 0;
  for (; done < n; done++) {
    const bexpr *c = b->args[done];
    args[done].a = NULL;
    args[done].s = &c->lit;
    if (c->kind != EXPR_LIT && (st = bexpr_eval(c, batch, &args[done].a, err))) break;
  }
  /* Kernels assume at least one argument is a column: an expression of
   * literals alone (constant folding evaluates those) gets its first
   * argument broadcast. */
  int any_array = 0;
  for (int i = 0; i < done; i++) any_array |= args[i].a != NULL;
  if (!st && n > 0 && !any_array) {
    int v = b->fn == FN_DATE_TRUNC ? 1 : 0; /* the value, not the unit */
    st = k_materialize(&args[v], b->args[v]->type, batch->nrows, &args[v].a, err);
  }
  if (!st) {
    int64_t rows = batch->nrows;
    switch (b->fn) {
      case FN_ADD:
      case FN_SUB:
      case FN_MUL:
      case FN_DIV:
      case FN_FLOORDIV:
      case FN_MOD:
      case FN_NEG: st = k_arith(b, args, rows, out, err); break;
      case FN_ABS:
      case FN_ROUND:
      case FN_FLOOR:
      case FN_CEIL:
      case FN_SQRT:
      case FN_POW:
      case FN_LOG:
      case FN_LOG10:
      case FN_LOG2:
      case FN_EXP: st = k_math(b, args, rows, out, err); break;
      case FN_EQ:
      case FN_NE:
      case FN_LT:
      case FN_LE:
      case FN_GT:
      case FN_GE:
      case FN_BETWEEN:
      case FN_IS_IN: st = k_compare(b, args, rows, out, err); break;
      case FN_AND:
      case FN_OR:
      case FN_NOT: st = k_logic(b, args, rows, out, err); break;
      case FN_IS_NULL:
      case FN_IS_NOT_NULL:
      case FN_COALESCE:
      case FN_WHEN: st = k_nulls(b, args, rows, out, err); break;
      case FN_YEAR:
      case FN_MONTH:
      case FN_DAY:
      case FN_HOUR:
      case FN_MINUTE:
      case FN_SECOND:
      case FN_WEEKDAY:
      case FN_DAY_OF_YEAR:
      case FN_DATE_TRUNC:
      case FN_STRPTIME:
      case FN_STRFTIME: st = k_temporal(b, args, rows, out, err); break;
      default: st = k_string(b, args, rows, out, err); break;
    }
  }
  for (int i = 0; i < done; i++) auk_array_release(args[i].a);
  if (args != small) auk_mem_free(args, sizeof(kd) * (size_t)n);
  return st;
}

auk_status bexpr_eval(const bexpr *b, const auk_batch *batch, auk_array **out, auk_error *err) {
  *out = NULL;
  switch (b->kind) {
    case EXPR_COL: {
      auk_array *a = batch->cols[b->col];
      if ((a->offset & 7) && (a->validity || a->type == AUK_TYPE_BOOL)) return compact(a, out, err);
      *out = auk_array_retain(a);
      return AUK_OK;
    }
    case EXPR_LIT: {
      if (b->lit.is_null) {
        *out = auk_array_new_nulls(b->type, batch->nrows, err);
        return *out ? AUK_OK : err->code;
      }
      return k_broadcast(&b->lit, batch->nrows, out, err);
    }
    case EXPR_CAST: {
      auk_array *a;
      if (bexpr_eval(b->args[0], batch, &a, err)) return err->code;
      auk_status st = k_cast_array(b, a, b->type, b->strict, out, err);
      auk_array_release(a);
      return st;
    }
    case EXPR_CALL: return eval_call(b, batch, out, err);
    default:
      return auk_error_set(err, AUK_ERR_INTERNAL, "cannot evaluate expression kind %d", b->kind);
  }
}

/* The value at row i of a as a scalar. */
auk_status k_array_value(const auk_array *a, int64_t i, expr_value *v, auk_error *err) {
  memset(v, 0, sizeof *v);
  v->type = a->type;
  if (a->type == AUK_TYPE_NULL || !auk_array_is_valid(a, i)) {
    v->is_null = 1;
    return AUK_OK;
  }
  const uint8_t *d = a->values->data;
  int64_t k = a->offset + i;
  switch (auk_type_storage(a->type)) {
    case AUK_TYPE_BOOL: v->i = auk_bit_get(d, k); break;
    case AUK_TYPE_INT8: v->i = ((const int8_t *)d)[k]; break;
    case AUK_TYPE_INT16: v->i = ((const int16_t *)d)[k]; break;
    case AUK_TYPE_INT32:
    case AUK_TYPE_DATE: v->i = ((const int32_t *)d)[k]; break;
    case AUK_TYPE_UINT8: v->i = d[k]; break;
    case AUK_TYPE_UINT16: v->i = ((const uint16_t *)d)[k]; break;
    case AUK_TYPE_UINT32: v->i = ((const uint32_t *)d)[k]; break;
    case AUK_TYPE_INT64:
    case AUK_TYPE_UINT64:
    case AUK_TYPE_DATETIME: v->i = ((const int64_t *)d)[k]; break;
    case AUK_TYPE_FLOAT32: v->f = ((const float *)d)[k]; break;
    case AUK_TYPE_FLOAT64: v->f = ((const double *)d)[k]; break;
    case AUK_TYPE_STRING: {
      int64_t len;
      const char *s = auk_array_str(a, i, &len);
      v->s = auk_mem_alloc((size_t)len + 1, err);
      if (!v->s) return err->code;
      memcpy(v->s, s, (size_t)len);
      v->s[len] = 0;
      v->len = len;
      break;
    }
    default: break;
  }
  return AUK_OK;
}

auk_status bexpr_eval_const(const bexpr *b, expr_value *out, auk_error *err) {
  auk_batch one = {.schema = NULL, .ncols = 0, .nrows = 1, .cols = NULL};
  auk_array *a;
  if (bexpr_eval(b, &one, &a, err)) return err->code;
  auk_status st = k_array_value(a, 0, out, err);
  auk_array_release(a);
  return st;
}
