/* k_string.c - string kernels: length, upper, lower, strip, substr,
 * replace, split_part, concat, and the predicates contains, regexp_matches
 * (PCRE2, JIT-compiled once per batch), starts_with, ends_with, like and
 * ilike.
 *
 * Lengths and positions count UTF-8 characters, not bytes. upper/lower map
 * ASCII and the Latin-1 letters (U+00C0..U+00FE); other characters are
 * kept as they are. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "expr/kernel.h"

#include <ctype.h>
#include <pcre2.h>

static int64_t utf8_len(const char *s, int64_t n) {
  int64_t c = 0;
  for (int64_t i = 0; i < n; i++) c += ((uint8_t)s[i] & 0xC0) != 0x80;
  return c;
}

/* Byte offset of character k of s (clamped to n). */
static int64_t utf8_offset(const char *s, int64_t n, int64_t k) {
  int64_t i = 0;
  while (i < n && k > 0) {
    i++;
    while (i < n && ((uint8_t)s[i] & 0xC0) == 0x80) i++;
    k--;
  }
  return i;
}

static void change_case(const char *s, int64_t n, char *o, int upper) {
  for (int64_t i = 0; i < n; i++) {
    uint8_t c = (uint8_t)s[i];
    if (c < 0x80) {
      o[i] = (char)(upper ? toupper(c) : tolower(c));
    } else if (c == 0xC3 && i + 1 < n) {
      uint8_t d = (uint8_t)s[i + 1];
      o[i++] = (char)c;
      if (upper && d >= 0xA0 && d <= 0xBE && d != 0xB7) d -= 0x20;
      if (!upper && d >= 0x80 && d <= 0x9E && d != 0x97) d += 0x20;
      o[i] = (char)d;
    } else {
      o[i] = (char)c;
    }
  }
}

/* SQL LIKE: % any run, _ one character; ci folds ASCII case. */
static int like_match(const char *s, int64_t n, const char *p, int64_t m, int ci) {
  int64_t i = 0, j = 0, star_j = -1, star_i = 0;
  while (i < n) {
    if (j < m && p[j] == '%') {
      star_j = j++;
      star_i = i;
    } else if (j < m && p[j] == '_') {
      i++;
      while (i < n && ((uint8_t)s[i] & 0xC0) == 0x80) i++;
      j++;
    } else if (j < m && (ci ? tolower((uint8_t)s[i]) == tolower((uint8_t)p[j]) : s[i] == p[j])) {
      i++;
      j++;
    } else if (star_j >= 0) {
      j = star_j + 1;
      i = ++star_i;
    } else {
      return 0;
    }
  }
  while (j < m && p[j] == '%') j++;
  return j == m;
}

static const char *find(const char *h, int64_t hn, const char *nd, int64_t nn) {
  if (nn == 0) return h;
  if (nn > hn) return NULL;
  return memmem(h, (size_t)hn, nd, (size_t)nn);
}

static auk_status predicate(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  const auk_array *a = args[0].a;
  const expr_value *pat = args[1].s;
  auk_array *o = k_new(AUK_TYPE_BOOL, n, err);
  if (!o) return err->code;
  uint8_t *r = auk_array_data(o);
  memset(r, 0, (size_t)auk_bitmap_bytes(n));
  if (pat->is_null || a->type == AUK_TYPE_NULL) {
    auk_array_release(o);
    *out = auk_array_new_nulls(AUK_TYPE_BOOL, n, err);
    return *out ? AUK_OK : err->code;
  }
  const char *p = pat->s;
  int64_t m = pat->len;
  pcre2_code *re = NULL;
  pcre2_match_data *md = NULL;
  if (b->fn == FN_REGEX) {
    int ec;
    PCRE2_SIZE eo;
    re =
        pcre2_compile((PCRE2_SPTR)p, (PCRE2_SIZE)m, PCRE2_UTF | PCRE2_NO_UTF_CHECK, &ec, &eo, NULL);
    if (!re) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(ec, msg, sizeof msg);
      auk_array_release(o);
      return k_value_error(b, err, "invalid regular expression at offset %zu: %s", (size_t)eo,
                           (const char *)msg);
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md) {
      pcre2_code_free(re);
      auk_array_release(o);
      return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "out of memory for a regex match");
    }
  }
  for (int64_t i = 0; i < n; i++) {
    int64_t len;
    const char *s = auk_array_str(a, i, &len);
    int hit;
    switch (b->fn) {
      case FN_CONTAINS: hit = find(s, len, p, m) != NULL; break;
      case FN_STARTS_WITH: hit = len >= m && !memcmp(s, p, (size_t)m); break;
      case FN_ENDS_WITH: hit = len >= m && !memcmp(s + len - m, p, (size_t)m); break;
      case FN_REGEX:
        hit = pcre2_match(re, (PCRE2_SPTR)s, (PCRE2_SIZE)len, 0, 0, md, NULL) >= 0;
        break;
      default: hit = like_match(s, len, p, m, b->fn == FN_ILIKE); break;
    }
    if (hit) auk_bit_set(r, i);
  }
  if (md) pcre2_match_data_free(md);
  if (re) pcre2_code_free(re);
  auk_status st = k_and_validity(o, args, 1, err);
  if (st) {
    auk_array_release(o);
    return st;
  }
  *out = o;
  return AUK_OK;
}

static auk_status put(auk_string_builder *sb, const char *s, int64_t len, auk_error *err) {
  return auk_string_builder_append(sb, len ? s : "", len, err);
}

/* Makes *tmp hold at least need bytes. */
static auk_status reserve(char **tmp, int64_t *cap, int64_t need, auk_error *err) {
  if (need <= *cap) return AUK_OK;
  int64_t nc = need * 2 + 64;
  char *t = auk_mem_realloc(*tmp, (size_t)*cap, (size_t)nc, err);
  if (!t) return err->code;
  *tmp = t;
  *cap = nc;
  return AUK_OK;
}

/* lpad/rpad: s cut or filled (repeating fill) to w characters. */
static auk_status pad(const bexpr *b, kd *args, const char *s, int64_t len, auk_string_builder *sb,
                      char **tmp, int64_t *cap, auk_error *err) {
  int64_t w = args[1].s->i, nch = utf8_len(s, len);
  const expr_value *f = args[2].s;
  if (w <= 0) return put(sb, "", 0, err);
  if (nch >= w) return put(sb, s, utf8_offset(s, len, w), err);
  if (f->len == 0) return put(sb, s, len, err);
  int64_t fill = w - nch, fch = utf8_len(f->s, f->len);
  if (reserve(tmp, cap, len + (fill / fch + 1) * f->len, err)) return err->code;
  int64_t o = 0;
  if (b->fn == FN_RPAD) {
    memcpy(*tmp, s, (size_t)len);
    o = len;
  }
  for (int64_t left = fill; left > 0;) {
    int64_t take = left < fch ? left : fch;
    int64_t bytes = utf8_offset(f->s, f->len, take);
    memcpy(*tmp + o, f->s, (size_t)bytes);
    o += bytes;
    left -= take;
  }
  if (b->fn == FN_LPAD) {
    memcpy(*tmp + o, s, (size_t)len);
    o += len;
  }
  return put(sb, *tmp, o, err);
}

/* regexp_replace(s, pattern, replacement[, 'g']): the first match (every
 * match with g) replaced; $1 in the replacement is the first group. */
typedef struct re_state {
  pcre2_code *re;
  pcre2_match_data *md;
  uint32_t opts;
} re_state;

static auk_status re_compile(const bexpr *b, const expr_value *p, re_state *rs, auk_error *err) {
  int ec;
  PCRE2_SIZE eo;
  rs->re = pcre2_compile((PCRE2_SPTR)p->s, (PCRE2_SIZE)p->len, PCRE2_UTF | PCRE2_NO_UTF_CHECK, &ec,
                         &eo, NULL);
  if (!rs->re) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(ec, msg, sizeof msg);
    return k_value_error(b, err, "invalid regular expression at offset %zu: %s", (size_t)eo,
                         (const char *)msg);
  }
  rs->md = pcre2_match_data_create_from_pattern(rs->re, NULL);
  if (!rs->md) {
    pcre2_code_free(rs->re);
    rs->re = NULL;
    return auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "out of memory for a regex match");
  }
  return AUK_OK;
}

static auk_status re_replace(const bexpr *b, const re_state *rs, const expr_value *rep,
                             const char *s, int64_t len, auk_string_builder *sb, char **tmp,
                             int64_t *cap, auk_error *err) {
  if (reserve(tmp, cap, len + rep->len + 64, err)) return err->code;
  for (;;) {
    PCRE2_SIZE outlen = (PCRE2_SIZE)*cap;
    int rc = pcre2_substitute(
        rs->re, (PCRE2_SPTR)s, (PCRE2_SIZE)len, 0, rs->opts | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
        rs->md, NULL, (PCRE2_SPTR)rep->s, (PCRE2_SIZE)rep->len, (PCRE2_UCHAR *)*tmp, &outlen);
    if (rc == PCRE2_ERROR_NOMEMORY) {
      if (reserve(tmp, cap, (int64_t)outlen + 1, err)) return err->code;
      continue;
    }
    if (rc < 0) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(rc, msg, sizeof msg);
      return k_value_error(b, err, "regexp_replace: %s", (const char *)msg);
    }
    return put(sb, *tmp, (int64_t)outlen, err);
  }
}

/* regexp_extract(s, pattern[, group]): the text of the group (0: the whole
 * match) in the first match, '' when nothing matches or the group took no
 * part (or the pattern has no such group), as DuckDB. */
static auk_status re_extract(const bexpr *b, const re_state *rs, int64_t group, const char *s,
                             int64_t len, auk_string_builder *sb, auk_error *err) {
  int rc = pcre2_match(rs->re, (PCRE2_SPTR)s, (PCRE2_SIZE)len, 0, 0, rs->md, NULL);
  if (rc == PCRE2_ERROR_NOMATCH || (rc > 0 && group >= rc)) return put(sb, "", 0, err);
  if (rc < 0) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    return k_value_error(b, err, "regexp_extract: %s", (const char *)msg);
  }
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rs->md);
  if (ov[2 * group] == PCRE2_UNSET) return put(sb, "", 0, err);
  return put(sb, s + ov[2 * group], (int64_t)(ov[2 * group + 1] - ov[2 * group]), err);
}

/* Bytes of the UTF-8 character at s[i] (1 for a stray byte), not past e. */
static int64_t utf8_char_len(const char *s, int64_t i, int64_t e) {
  int64_t k = i + 1;
  while (k < e && ((uint8_t)s[k] & 0xC0) == 0x80) k++;
  return k - i;
}

/* Where the UTF-8 character that ends at s[e - 1] starts, not before a. */
static int64_t utf8_char_start(const char *s, int64_t a, int64_t e) {
  int64_t k = e - 1;
  while (k > a && ((uint8_t)s[k] & 0xC0) == 0x80) k--;
  return k;
}

/* Whether trim cuts the character of s[a, e) at its front (front) or its
 * back: one of set's characters, or white space without a set. */
static int cut_char(const expr_value *set, const char *s, int64_t a, int64_t e, int front) {
  int64_t at = front ? a : utf8_char_start(s, a, e);
  int64_t n = front ? utf8_char_len(s, a, e) : e - at;
  if (!set) return n == 1 && isspace((uint8_t)s[at]);
  for (int64_t k = 0; k < set->len;) {
    int64_t m = utf8_char_len(set->s, k, set->len);
    if (m == n && !memcmp(set->s + k, s + at, (size_t)n)) return 1;
    k += m;
  }
  return 0;
}

/* Appends the result of one row's transform. */
static auk_status transform_row(const bexpr *b, kd *args, int64_t i, const char *s, int64_t len,
                                auk_string_builder *sb, char **tmp, int64_t *tmp_cap,
                                auk_error *err) {
  switch (b->fn) {
    case FN_UPPER:
    case FN_LOWER: {
      if (len > *tmp_cap) {
        int64_t cap = len * 2 + 64;
        char *t = auk_mem_realloc(*tmp, (size_t)*tmp_cap, (size_t)cap, err);
        if (!t) return err->code;
        *tmp = t;
        *tmp_cap = cap;
      }
      change_case(s, len, *tmp, b->fn == FN_UPPER);
      return put(sb, *tmp, len, err);
    }
    case FN_STRIP:
    case FN_LTRIM:
    case FN_RTRIM: {
      const expr_value *set = b->nargs > 1 ? args[1].s : NULL;
      int64_t a = 0, e = len;
      if (b->fn != FN_RTRIM)
        while (a < e && cut_char(set, s, a, e, 1)) a += utf8_char_len(s, a, e);
      if (b->fn != FN_LTRIM)
        while (e > a && cut_char(set, s, a, e, 0)) e = utf8_char_start(s, a, e);
      return put(sb, s + a, e - a, err);
    }
    case FN_SUBSTR: {
      int64_t nch = utf8_len(s, len), start = args[1].s->i, from;
      if (start > 0)
        from = start - 1;
      else if (start < 0)
        from = nch + start;
      else
        from = -1;
      int64_t to = b->nargs > 2 ? from + args[2].s->i : nch;
      if (from < 0) from = 0;
      if (to > nch) to = nch;
      if (to <= from) return put(sb, "", 0, err);
      int64_t bf = utf8_offset(s, len, from);
      int64_t bt = bf + utf8_offset(s + bf, len - bf, to - from);
      return put(sb, s + bf, bt - bf, err);
    }
    case FN_REPLACE: {
      const expr_value *f = args[1].s, *t = args[2].s;
      if (f->len == 0) return put(sb, s, len, err);
      int64_t pos = 0;
      /* build into tmp: worst case every byte replaced */
      int64_t need = len + (len / f->len + 1) * t->len + 1;
      if (need > *tmp_cap) {
        char *nt = auk_mem_realloc(*tmp, (size_t)*tmp_cap, (size_t)need, err);
        if (!nt) return err->code;
        *tmp = nt;
        *tmp_cap = need;
      }
      int64_t w = 0;
      while (pos <= len) {
        const char *hit = find(s + pos, len - pos, f->s, f->len);
        int64_t upto = hit ? hit - s : len;
        memcpy(*tmp + w, s + pos, (size_t)(upto - pos));
        w += upto - pos;
        if (!hit) break;
        memcpy(*tmp + w, t->s, (size_t)t->len);
        w += t->len;
        pos = upto + f->len;
      }
      return put(sb, *tmp, w, err);
    }
    case FN_REVERSE: {
      /* by characters: each UTF-8 sequence keeps its byte order */
      if (reserve(tmp, tmp_cap, len, err)) return err->code;
      int64_t w = len;
      for (int64_t p = 0; p < len;) {
        int64_t q = p + 1;
        while (q < len && ((uint8_t)s[q] & 0xC0) == 0x80) q++;
        w -= q - p;
        memcpy(*tmp + w, s + p, (size_t)(q - p));
        p = q;
      }
      return put(sb, *tmp, len, err);
    }
    case FN_REPEAT: {
      int64_t k = args[1].s->i;
      if (k <= 0 || len == 0) return put(sb, "", 0, err);
      if (k > (INT64_C(1) << 31) / len)
        return k_value_error(b, err, "repeat: the result would be larger than 2 GiB");
      if (reserve(tmp, tmp_cap, k * len, err)) return err->code;
      for (int64_t j = 0; j < k; j++) memcpy(*tmp + j * len, s, (size_t)len);
      return put(sb, *tmp, k * len, err);
    }
    case FN_LEFT:
    case FN_RIGHT: {
      int64_t k = args[1].s->i, nch = utf8_len(s, len);
      int64_t keep = k >= 0 ? (k < nch ? k : nch) : (nch + k > 0 ? nch + k : 0);
      if (b->fn == FN_LEFT) return put(sb, s, utf8_offset(s, len, keep), err);
      int64_t from = utf8_offset(s, len, nch - keep);
      return put(sb, s + from, len - from, err);
    }
    case FN_LPAD:
    case FN_RPAD: return pad(b, args, s, len, sb, tmp, tmp_cap, err);
    case FN_SPLIT_PART: {
      const expr_value *sep = args[1].s;
      int64_t k = args[2].s->i;
      if (sep->len == 0)
        return put(sb, k == 1 || k == -1 ? s : "", k == 1 || k == -1 ? len : 0, err);
      /* collect part boundaries lazily: count parts first for negative k */
      int64_t parts = 1;
      for (const char *q = s; (q = find(q, len - (q - s), sep->s, sep->len)) != NULL; q += sep->len)
        parts++;
      if (k < 0) k = parts + k + 1;
      if (k < 1 || k > parts) return put(sb, "", 0, err);
      const char *start = s;
      for (int64_t j = 1; j < k; j++)
        start = find(start, len - (start - s), sep->s, sep->len) + sep->len;
      const char *end = find(start, len - (start - s), sep->s, sep->len);
      return put(sb, start, (end ? end : s + len) - start, err);
    }
    default:
      (void)i;
      return auk_error_set(err, AUK_ERR_INTERNAL, "string kernel %s", expr_fn_name(b->fn));
  }
}

static auk_status concat(kd *args, int nargs, int64_t n, auk_array **out, auk_error *err) {
  auk_string_builder sb;
  if (auk_string_builder_init(&sb, n, n * 16, err)) return err->code;
  char *tmp = NULL;
  int64_t cap = 0;
  auk_status st = AUK_OK;
  for (int64_t i = 0; i < n && !st; i++) {
    /* nulls are skipped, as SQL's concat() does */
    int64_t w = 0;
    for (int k = 0; k < nargs; k++) {
      int64_t len = 0;
      const char *p = NULL;
      if (args[k].a) {
        if (auk_array_is_valid(args[k].a, i)) p = auk_array_str(args[k].a, i, &len);
      } else if (!args[k].s->is_null) {
        p = args[k].s->s;
        len = args[k].s->len;
      }
      if (!len) continue;
      if (w + len > cap) {
        int64_t nc = (w + len) * 2 + 64;
        char *t = auk_mem_realloc(tmp, (size_t)cap, (size_t)nc, err);
        if (!t) {
          st = err->code;
          break;
        }
        tmp = t;
        cap = nc;
      }
      memcpy(tmp + w, p, (size_t)len);
      w += len;
    }
    if (!st) st = auk_string_builder_append(&sb, w ? tmp : "", w, err);
  }
  if (tmp) auk_mem_free(tmp, (size_t)cap);
  if (st) {
    auk_string_builder_reset(&sb);
    return st;
  }
  *out = auk_string_builder_finish(&sb, err);
  return *out ? AUK_OK : err->code;
}

auk_status k_string(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  switch (b->fn) {
    case FN_CONTAINS:
    case FN_REGEX:
    case FN_STARTS_WITH:
    case FN_ENDS_WITH:
    case FN_LIKE:
    case FN_ILIKE: return predicate(b, args, n, out, err);
    case FN_CONCAT: return concat(args, b->nargs, n, out, err);
    case FN_STRPOS:
    case FN_LENGTH: { /* a count of characters per string */
      const expr_value *f = b->fn == FN_STRPOS ? args[1].s : NULL;
      if (f && f->is_null) {
        *out = auk_array_new_nulls(AUK_TYPE_INT64, n, err);
        return *out ? AUK_OK : err->code;
      }
      auk_array *o = k_new(AUK_TYPE_INT64, n, err);
      if (!o) return err->code;
      int64_t *r = auk_array_data(o);
      for (int64_t i = 0; i < n; i++) {
        int64_t len;
        const char *s = auk_array_str(args[0].a, i, &len);
        if (!f) {
          r[i] = utf8_len(s, len);
        } else { /* 1-based position of the first match, 0 when none */
          const char *hit = f->len ? find(s, len, f->s, f->len) : s;
          r[i] = hit ? utf8_len(s, hit - s) + 1 : 0;
        }
      }
      if (k_and_validity(o, args, 1, err)) {
        auk_array_release(o);
        return err->code;
      }
      *out = o;
      return AUK_OK;
    }
    default: break;
  }
  for (int k = 1; k < b->nargs; k++)
    if (args[k].s && !args[k].a && args[k].s->is_null) {
      *out = auk_array_new_nulls(AUK_TYPE_STRING, n, err);
      return *out ? AUK_OK : err->code;
    }
  const auk_array *a = args[0].a;
  const int64_t *off = auk_array_offsets(a);
  auk_string_builder sb;
  if (auk_string_builder_init(&sb, n, off[n] - off[0], err)) return err->code;
  char *tmp = NULL;
  int64_t tmp_cap = 0;
  auk_status st = AUK_OK;
  re_state rs = {0};
  if (b->fn == FN_REGEXP_REPLACE) {
    const expr_value *fl = b->nargs > 3 ? args[3].s : NULL;
    for (int64_t k = 0; fl && k < fl->len && !st; k++) {
      if (fl->s[k] == 'g')
        rs.opts |= PCRE2_SUBSTITUTE_GLOBAL;
      else if (fl->s[k] == 'i')
        ; /* handled below by compiling with (?i) */
      else
        st = k_value_error(b, err, "regexp_replace: unknown option '%c' (g, i)", fl->s[k]);
    }
    if (!st) {
      expr_value pat = *args[1].s;
      char *withi = NULL;
      if (fl && memchr(fl->s, 'i', (size_t)fl->len)) {
        withi = auk_mem_alloc((size_t)pat.len + 5, err);
        if (!withi)
          st = err->code;
        else {
          memcpy(withi, "(?i)", 4);
          memcpy(withi + 4, pat.s, (size_t)pat.len);
          pat.s = withi;
          pat.len += 4;
        }
      }
      if (!st) st = re_compile(b, &pat, &rs, err);
      if (withi) auk_mem_free(withi, (size_t)args[1].s->len + 5);
    }
  }
  int64_t group = b->fn == FN_REGEXP_EXTRACT && b->nargs > 2 ? args[2].s->i : 0;
  if (b->fn == FN_REGEXP_EXTRACT) { /* groups 0-9 as DuckDB; one the pattern lacks gives '' */
    st = group < 0 || group > 9 ? k_value_error(b, err,
                                                "regexp_extract: the group must be between 0 "
                                                "and 9, not %lld",
                                                (long long)group)
                                : re_compile(b, args[1].s, &rs, err);
  }
  for (int64_t i = 0; i < n && !st; i++) {
    if (!auk_array_is_valid(a, i)) {
      st = auk_string_builder_append_null(&sb, err);
      continue;
    }
    int64_t len;
    const char *s = auk_array_str(a, i, &len);
    if (b->fn == FN_REGEXP_REPLACE)
      st = re_replace(b, &rs, args[2].s, s, len, &sb, &tmp, &tmp_cap, err);
    else if (b->fn == FN_REGEXP_EXTRACT)
      st = re_extract(b, &rs, group, s, len, &sb, err);
    else
      st = transform_row(b, args, i, s, len, &sb, &tmp, &tmp_cap, err);
  }
  if (rs.md) pcre2_match_data_free(rs.md);
  if (rs.re) pcre2_code_free(rs.re);
  if (tmp) auk_mem_free(tmp, (size_t)tmp_cap);
  if (st) {
    auk_string_builder_reset(&sb);
    return st;
  }
  *out = auk_string_builder_finish(&sb, err);
  return *out ? AUK_OK : err->code;
}
