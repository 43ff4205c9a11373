/* k_compare.c - comparison kernels: ==, !=, <, <=, >, >=, is_between and
 * is_in over equal storage types (binding made them equal).
 *
 * Results are bit-packed booleans. Each loop writes 0/1 bytes into a small
 * stack block that is then packed eight to a byte, so the compare loop
 * itself is branch-free and vectorizes. Floats use a total order as Polars
 * and DuckDB do: NaN equals NaN and sorts above every number. */
#include "expr/kernel.h"

#include <math.h>
#include <stdlib.h>

enum { BLOCK = 4096 };

static void pack(uint8_t *bits, int64_t start, const uint8_t *c, int64_t m) {
  /* start is a multiple of 8 (blocks are) */
  uint8_t *o = bits + start / 8;
  int64_t full = m / 8;
  for (int64_t j = 0; j < full; j++) {
    const uint8_t *p = c + j * 8;
    o[j] = (uint8_t)(p[0] | p[1] << 1 | p[2] << 2 | p[3] << 3 | p[4] << 4 | p[5] << 5 | p[6] << 6 |
                     p[7] << 7);
  }
  if (m % 8) {
    uint8_t v = 0;
    for (int64_t k = full * 8; k < m; k++) v |= (uint8_t)(c[k] << (k - full * 8));
    o[full] = v;
  }
}

/* Branch-free, so that the compare loops vectorize. */
static inline int flt_lt(double a, double b) {
  return (a < b) | ((a == a) & (b != b));
}
static inline int flt_eq(double a, double b) {
  return (a == b) | ((a != a) & (b != b));
}

/* One comparison over a block, for every shape; OPV(a, b) gives 0/1. */
#define CMP_BLOCK(T, SA, SB, OPV)                                            \
  do {                                                                       \
    if (A && B) {                                                            \
      const T *px_ = (const T *)A + s, *py_ = (const T *)B + s;              \
      for (int64_t i = 0; i < m; i++) c[i] = (uint8_t)(OPV(px_[i], py_[i])); \
    } else if (A) {                                                          \
      const T *px_ = (const T *)A + s;                                       \
      const T py_ = (T)(SB);                                                 \
      for (int64_t i = 0; i < m; i++) c[i] = (uint8_t)(OPV(px_[i], py_));    \
    } else {                                                                 \
      const T px_ = (T)(SA);                                                 \
      const T *py_ = (const T *)B + s;                                       \
      for (int64_t i = 0; i < m; i++) c[i] = (uint8_t)(OPV(px_, py_[i]));    \
    }                                                                        \
  } while (0)

#define OP_EQ(a, b) ((a) == (b))
#define OP_NE(a, b) ((a) != (b))
#define OP_LT(a, b) ((a) < (b))
#define OP_LE(a, b) ((a) <= (b))
#define OP_GT(a, b) ((a) > (b))
#define OP_GE(a, b) ((a) >= (b))
#define F_EQ(a, b) flt_eq(a, b)
#define F_NE(a, b) (!flt_eq(a, b))
#define F_LT(a, b) flt_lt(a, b)
#define F_LE(a, b) (!flt_lt(b, a))
#define F_GT(a, b) flt_lt(b, a)
#define F_GE(a, b) (!flt_lt(a, b))

#define CMP_ALL(T, SA, SB, PRE)                       \
  switch (fn) {                                       \
    case FN_EQ: CMP_BLOCK(T, SA, SB, PRE##EQ); break; \
    case FN_NE: CMP_BLOCK(T, SA, SB, PRE##NE); break; \
    case FN_LT: CMP_BLOCK(T, SA, SB, PRE##LT); break; \
    case FN_LE: CMP_BLOCK(T, SA, SB, PRE##LE); break; \
    case FN_GT: CMP_BLOCK(T, SA, SB, PRE##GT); break; \
    default: CMP_BLOCK(T, SA, SB, PRE##GE); break;    \
  }

/* Equal bytes; short strings without a library call. */
static inline int bytes_eq(const char *a, const char *b, int64_t n) {
  if (n > 16) return !memcmp(a, b, (size_t)n);
  unsigned diff = 0;
  for (int64_t i = 0; i < n; i++) diff |= (unsigned)(a[i] ^ b[i]);
  return diff == 0;
}

static int str_cmp(const char *a, int64_t la, const char *b, int64_t lb) {
  int64_t m = la < lb ? la : lb;
  int c = m ? memcmp(a, b, (size_t)m) : 0;
  return c ? c : (la > lb) - (la < lb);
}

static int cmp_result(expr_fn fn, int c) {
  switch (fn) {
    case FN_EQ: return c == 0;
    case FN_NE: return c != 0;
    case FN_LT: return c < 0;
    case FN_LE: return c <= 0;
    case FN_GT: return c > 0;
    default: return c >= 0;
  }
}

/* Fills bits (n) with fn(x, y) for the two datums. */
static void compare_into(expr_fn fn, auk_type_id t, const kd *x, const kd *y, int64_t n,
                         uint8_t *bits) {
  uint8_t c[BLOCK];
  const void *A = x->a ? k_vals(x->a) : NULL, *B = y->a ? k_vals(y->a) : NULL;
  for (int64_t s = 0; s < n; s += BLOCK) {
    int64_t m = n - s < BLOCK ? n - s : BLOCK;
    switch (auk_type_storage(t)) {
      case AUK_TYPE_FLOAT64: CMP_ALL(double, x->s->f, y->s->f, F_); break;
      case AUK_TYPE_DATE:
      case AUK_TYPE_INT32: CMP_ALL(int32_t, x->s->i, y->s->i, OP_); break;
      case AUK_TYPE_STRING:
        for (int64_t i = 0; i < m; i++) {
          int64_t la, lb;
          const char *pa = x->a ? auk_array_str(x->a, s + i, &la) : (la = x->s->len, x->s->s);
          const char *pb = y->a ? auk_array_str(y->a, s + i, &lb) : (lb = y->s->len, y->s->s);
          if (fn == FN_EQ || fn == FN_NE)
            c[i] = (uint8_t)((la == lb && bytes_eq(pa, pb, la)) == (fn == FN_EQ));
          else
            c[i] = (uint8_t)cmp_result(fn, str_cmp(pa, la, pb, lb));
        }
        break;
      case AUK_TYPE_BOOL:
        for (int64_t i = 0; i < m; i++) {
          int a = x->a ? auk_bit_get(k_bits(x->a), s + i) : (int)x->s->i;
          int b = y->a ? auk_bit_get(k_bits(y->a), s + i) : (int)y->s->i;
          c[i] = (uint8_t)cmp_result(fn, (a > b) - (a < b));
        }
        break;
      default: /* int64, datetime */ CMP_ALL(int64_t, x->s->i, y->s->i, OP_); break;
    }
    pack(bits, s, c, m);
  }
}

/* ---------------------------------------------------------------- is_in */

typedef struct in_set {
  auk_type_id t;
  int n;
  const expr_value **v;
} in_set;

static int value_cmp(auk_type_id t, const expr_value *a, const expr_value *b) {
  switch (auk_type_storage(t)) {
    case AUK_TYPE_FLOAT64: return flt_lt(a->f, b->f) ? -1 : flt_lt(b->f, a->f) ? 1 : 0;
    case AUK_TYPE_STRING: return str_cmp(a->s, a->len, b->s, b->len);
    default: return (a->i > b->i) - (a->i < b->i);
  }
}

/* 1 when the probe value is in the sorted set. */
static int in_lookup(const in_set *set, const expr_value *probe) {
  int lo = 0, hi = set->n;
  while (lo < hi) {
    int mid = (lo + hi) / 2, c = value_cmp(set->t, set->v[mid], probe);
    if (c == 0) return 1;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

static auk_status is_in(const bexpr *b, kd *args, int64_t n, auk_array *o, auk_error *err) {
  auk_type_id t = b->args[0]->type;
  in_set set = {t, 0, NULL};
  size_t bytes = sizeof(expr_value *) * (size_t)b->nargs;
  set.v = auk_mem_alloc(bytes, err);
  if (!set.v) return err->code;
  for (int i = 1; i < b->nargs; i++)
    if (!args[i].s->is_null) set.v[set.n++] = args[i].s;
  /* Insertion sort: lists are literals written by a person, and the set
   * is sorted once per batch. */
  for (int i = 1; i < set.n; i++)
    for (int j = i; j > 0 && value_cmp(t, set.v[j - 1], set.v[j]) > 0; j--) {
      const expr_value *tmp = set.v[j];
      set.v[j] = set.v[j - 1];
      set.v[j - 1] = tmp;
    }
  uint8_t *bits = auk_array_data(o);
  memset(bits, 0, (size_t)auk_bitmap_bytes(n));
  const auk_array *a = args[0].a;
  for (int64_t i = 0; i < n; i++) {
    expr_value p = {.type = t};
    if (a) {
      switch (auk_type_storage(t)) {
        case AUK_TYPE_FLOAT64: p.f = ((const double *)k_vals(a))[i]; break;
        case AUK_TYPE_STRING: p.s = (char *)auk_array_str(a, i, &p.len); break;
        case AUK_TYPE_DATE:
        case AUK_TYPE_INT32: p.i = ((const int32_t *)k_vals(a))[i]; break;
        case AUK_TYPE_BOOL: p.i = auk_bit_get(k_bits(a), i); break;
        default: p.i = ((const int64_t *)k_vals(a))[i];
      }
    } else {
      p = *args[0].s;
    }
    if (in_lookup(&set, &p)) auk_bit_set(bits, i);
  }
  auk_mem_free(set.v, bytes);
  return k_and_validity(o, args, 1, err);
}

auk_status k_compare(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  auk_array *o = k_new(AUK_TYPE_BOOL, n, err);
  if (!o) return err->code;
  auk_status st = AUK_OK;
  auk_type_id t = b->args[0]->type;
  if (b->fn == FN_IS_IN) {
    st = is_in(b, args, n, o, err);
  } else if (b->fn == FN_BETWEEN) {
    /* lo <= x and x <= hi, combined byte by byte */
    st = k_and_validity(o, args, 3, err);
    if (!st && !(n > 0 && o->null_count == n)) {
      int64_t bytes = auk_bitmap_bytes(n);
      uint8_t *tmp = auk_mem_alloc((size_t)bytes, err);
      if (!tmp) {
        st = err->code;
      } else {
        compare_into(FN_GE, t, &args[0], &args[1], n, auk_array_data(o));
        compare_into(FN_LE, t, &args[0], &args[2], n, tmp);
        uint8_t *r = auk_array_data(o);
        for (int64_t i = 0; i < bytes; i++) r[i] &= tmp[i];
        auk_mem_free(tmp, (size_t)bytes);
      }
    }
  } else {
    st = k_and_validity(o, args, 2, err);
    if (!st && !(n > 0 && o->null_count == n)) {
      auk_type_id t2 = b->args[1]->type;
      if ((auk_type_is_decimal(t) || auk_type_is_decimal(t2)) && t2 != t) /* i64 is scale 0 */
        k_decimal_compare(b->fn, t, t2, &args[0], &args[1], n, auk_array_data(o));
      else
        compare_into(b->fn, t, &args[0], &args[1], n, auk_array_data(o));
    }
  }
  if (st) {
    auk_array_release(o);
    return st;
  }
  *out = o;
  return AUK_OK;
}

/* ---------------------------------------------------------------- logic */

/* Kleene logic on (value, validity) bitmaps a byte at a time:
 * and: false if either is known false, true if both known true;
 * or: true if either is known true, false if both known false. */
auk_status k_logic(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  int64_t bytes = auk_bitmap_bytes(n);
  auk_array *o = k_new(AUK_TYPE_BOOL, n, err);
  if (!o) return err->code;
  uint8_t *val = auk_array_data(o);
  auk_buffer *vb = auk_buffer_new(bytes, err);
  if (!vb) {
    auk_array_release(o);
    return err->code;
  }
  vb->size = bytes;
  uint8_t *valid = vb->data;
  for (int64_t j = 0; j < bytes; j++) {
    uint8_t tv[2], fv[2];
    for (int k = 0; k < b->nargs; k++) {
      uint8_t v, ok;
      if (args[k].a) {
        v = k_bits(args[k].a)[j];
        ok = args[k].a->validity ? k_valid(args[k].a)[j] : 0xff;
      } else {
        v = args[k].s->i ? 0xff : 0;
        ok = args[k].s->is_null ? 0 : 0xff;
      }
      tv[k] = v & ok;
      fv[k] = (uint8_t)(~v & ok);
    }
    uint8_t t, f;
    if (b->fn == FN_NOT) {
      t = fv[0];
      f = tv[0];
    } else if (b->fn == FN_AND) {
      t = tv[0] & tv[1];
      f = fv[0] | fv[1];
    } else {
      t = tv[0] | tv[1];
      f = fv[0] & fv[1];
    }
    val[j] = t;
    valid[j] = t | f;
  }
  int64_t nvalid = auk_bitmap_count(valid, 0, n);
  if (nvalid == n) {
    auk_buffer_release(vb);
  } else {
    o->validity = vb;
    o->null_count = n - nvalid;
  }
  *out = o;
  return AUK_OK;
}
