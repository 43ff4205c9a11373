/* k_temporal.c - date and time kernels: field extraction (year .. second,
 * ISO weekday, day of year), truncation, strptime and strftime.
 *
 * Dates are days and datetimes microseconds since the epoch; a zoned
 * datetime is a UTC instant, so fields are read in UTC. Formats use the
 * C/Polars directives: %Y %y %m %d %j %H %I %M %S %f %p %b %B %a %A %z %F
 * %T %D %%. strptime is strict: text that does not match the format is an
 * error naming the text and the format. */
#include "core/datetime.h"
#include "expr/kernel.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

static const char *month_names[12] = {"January",   "February", "March",    "April",
                                      "May",       "June",     "July",     "August",
                                      "September", "October",  "November", "December"};
static const char *day_names[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                   "Friday", "Saturday", "Sunday"};

static inline int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return q - ((a % b != 0) & ((a < 0) != (b < 0)));
}

typedef struct parts {
  int64_t y;
  int m, d, H, M, S, us, wday, yday;
} parts;

static void split(int64_t v, int is_date, parts *p) {
  int64_t days = is_date ? v : floor_div(v, AUK_USEC_PER_DAY);
  int64_t us = is_date ? 0 : v - days * AUK_USEC_PER_DAY;
  auk_civil_from_days(days, &p->y, &p->m, &p->d);
  p->H = (int)(us / 3600000000);
  p->M = (int)(us / 60000000 % 60);
  p->S = (int)(us / 1000000 % 60);
  p->us = (int)(us % 1000000);
  p->wday = (int)((floor_div(days, 1) % 7 + 7 + 3) % 7) + 1; /* 1970-01-01 was a Thursday */
  p->yday = (int)(days - auk_days_from_civil(p->y, 1, 1)) + 1;
}

static int64_t field(expr_fn fn, const parts *p) {
  switch (fn) {
    case FN_YEAR: return p->y;
    case FN_MONTH: return p->m;
    case FN_DAY: return p->d;
    case FN_HOUR: return p->H;
    case FN_MINUTE: return p->M;
    case FN_SECOND: return p->S;
    case FN_WEEKDAY: return p->wday;
    default: return p->yday;
  }
}

static auk_status extract(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  const auk_array *a = args[0].a;
  int is_date = a->type == AUK_TYPE_DATE;
  auk_array *o = k_new(AUK_TYPE_INT32, n, err);
  if (!o) return err->code;
  int32_t *r = auk_array_data(o);
  if (is_date && b->fn == FN_YEAR) {
    const int32_t *x = k_vals(a);
    for (int64_t i = 0; i < n; i++) {
      int64_t y;
      int m, d;
      auk_civil_from_days(x[i], &y, &m, &d);
      r[i] = (int32_t)y;
    }
  } else if (!is_date && (b->fn == FN_HOUR || b->fn == FN_MINUTE || b->fn == FN_SECOND)) {
    const int64_t *x = k_vals(a);
    int64_t unit = b->fn == FN_HOUR ? 3600000000 : b->fn == FN_MINUTE ? 60000000 : 1000000;
    int64_t mod = b->fn == FN_HOUR ? 24 : 60;
    for (int64_t i = 0; i < n; i++) {
      int64_t us = x[i] - floor_div(x[i], AUK_USEC_PER_DAY) * AUK_USEC_PER_DAY;
      r[i] = (int32_t)(us / unit % mod);
    }
  } else {
    for (int64_t i = 0; i < n; i++) {
      parts p;
      int64_t v = is_date ? ((const int32_t *)k_vals(a))[i] : ((const int64_t *)k_vals(a))[i];
      split(v, is_date, &p);
      r[i] = (int32_t)field(b->fn, &p);
    }
  }
  if (k_and_validity(o, args, 1, err)) {
    auk_array_release(o);
    return err->code;
  }
  *out = o;
  return AUK_OK;
}

static auk_status truncate(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  const expr_value *u = args[0].s;
  const auk_array *a = args[1].a;
  int is_date = a->type == AUK_TYPE_DATE;
  enum { YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND };
  const char *names[] = {"year", "quarter", "month", "week", "day", "hour", "minute", "second"};
  int unit = -1;
  for (int k = 0; k < 8; k++)
    if (u->s && !strcasecmp(u->s, names[k])) unit = k;
  if (unit < 0)
    return k_value_error(b, err,
                         "unknown unit '%s' (year, quarter, month, week, day, hour, "
                         "minute, second)",
                         u->s ? u->s : "null");
  auk_array *o = k_new(a->type, n, err);
  if (!o) return err->code;
  for (int64_t i = 0; i < n; i++) {
    int64_t v = is_date ? ((const int32_t *)k_vals(a))[i] : ((const int64_t *)k_vals(a))[i];
    int64_t days = is_date ? v : floor_div(v, AUK_USEC_PER_DAY), r;
    if (unit >= HOUR) {
      int64_t step = unit == HOUR ? 3600000000 : unit == MINUTE ? 60000000 : 1000000;
      r = is_date ? v : floor_div(v, step) * step;
    } else {
      if (unit == DAY) {
        r = days;
      } else if (unit == WEEK) {
        r = days - ((days % 7 + 7 + 3) % 7); /* back to Monday */
      } else {
        int64_t y;
        int m, d;
        auk_civil_from_days(days, &y, &m, &d);
        if (unit == YEAR) m = 1;
        if (unit == QUARTER) m = (m - 1) / 3 * 3 + 1;
        r = auk_days_from_civil(y, m, 1);
      }
      if (!is_date) r *= AUK_USEC_PER_DAY;
    }
    if (is_date)
      ((int32_t *)auk_array_data(o))[i] = (int32_t)r;
    else
      ((int64_t *)auk_array_data(o))[i] = r;
  }
  if (k_and_validity(o, &args[1], 1, err)) {
    auk_array_release(o);
    return err->code;
  }
  *out = o;
  return AUK_OK;
}

/* ------------------------------------------------------------ strptime */

static int num(const char *s, int64_t n, int64_t *i, int min_d, int max_d, int64_t *v) {
  int64_t k = *i, x = 0;
  int d = 0;
  while (k < n && d < max_d && isdigit((uint8_t)s[k])) x = x * 10 + (s[k++] - '0'), d++;
  if (d < min_d) return 0;
  *i = k;
  *v = x;
  return 1;
}

static int name(const char *s, int64_t n, int64_t *i, const char **names, int count, int *v) {
  for (int k = 0; k < count; k++) {
    size_t full = strlen(names[k]);
    if ((int64_t)full <= n - *i && !strncasecmp(s + *i, names[k], full)) {
      *i += (int64_t)full;
      *v = k;
      return 1;
    }
  }
  for (int k = 0; k < count; k++)
    if (n - *i >= 3 && !strncasecmp(s + *i, names[k], 3)) {
      *i += 3;
      *v = k;
      return 1;
    }
  return 0;
}

/* Parses s by fmt; returns 1 with *usec (or days when want_date). */
static int strptime_one(const char *s, int64_t n, const char *fmt, int want_date, int64_t *out) {
  int64_t y = 1970, mo = 1, d = 1, H = 0, M = 0, S = 0, us = 0, off = 0, i = 0, v;
  int pm = -1, tmp, yday = 0;
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') {
      if (isspace((uint8_t)*f)) {
        while (i < n && isspace((uint8_t)s[i])) i++;
        continue;
      }
      if (i >= n || s[i] != *f) return 0;
      i++;
      continue;
    }
    f++;
    switch (*f) {
      case 'Y': {
        int neg = i < n && s[i] == '-';
        i += neg;
        if (!num(s, n, &i, 4, 4, &y)) return 0;
        if (neg) y = -y;
        break;
      }
      case 'y':
        if (!num(s, n, &i, 2, 2, &y)) return 0;
        y += y < 69 ? 2000 : 1900;
        break;
      case 'm':
        if (!num(s, n, &i, 1, 2, &mo)) return 0;
        break;
      case 'd':
      case 'e':
        if (!num(s, n, &i, 1, 2, &d)) return 0;
        break;
      case 'j':
        if (!num(s, n, &i, 1, 3, &v)) return 0;
        yday = (int)v;
        break;
      case 'H':
      case 'I':
        if (!num(s, n, &i, 1, 2, &H)) return 0;
        break;
      case 'M':
        if (!num(s, n, &i, 1, 2, &M)) return 0;
        break;
      case 'S':
        if (!num(s, n, &i, 1, 2, &S)) return 0;
        break;
      case 'f': {
        int64_t st = i;
        if (!num(s, n, &i, 1, 9, &v)) return 0;
        for (int64_t k = i - st; k < 6; k++) v *= 10;
        for (int64_t k = i - st; k > 6; k--) v /= 10;
        us = v;
        break;
      }
      case 'p':
        if (n - i >= 2 && !strncasecmp(s + i, "AM", 2))
          pm = 0;
        else if (n - i >= 2 && !strncasecmp(s + i, "PM", 2))
          pm = 1;
        else
          return 0;
        i += 2;
        break;
      case 'b':
      case 'B':
      case 'h':
        if (!name(s, n, &i, month_names, 12, &tmp)) return 0;
        mo = tmp + 1;
        break;
      case 'a':
      case 'A':
        if (!name(s, n, &i, day_names, 7, &tmp)) return 0;
        break;
      case 'z': {
        if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
          i++;
          break;
        }
        if (i >= n || (s[i] != '+' && s[i] != '-')) return 0;
        int neg = s[i++] == '-';
        int64_t hh, mm = 0;
        if (!num(s, n, &i, 2, 2, &hh)) return 0;
        if (i < n && s[i] == ':') i++;
        num(s, n, &i, 2, 2, &mm);
        off = (neg ? -1 : 1) * (hh * 60 + mm) * 60000000;
        break;
      }
      case 'F':
      case 'T':
      case 'D': {
        const char *sub = *f == 'F' ? "%Y-%m-%d" : *f == 'T' ? "%H:%M:%S" : "%m/%d/%y";
        /* parse the composite by recursion on the remaining text */
        int64_t j = i;
        int64_t yy = y, mm2 = mo, dd = d, HH = H, MM = M, SS = S;
        for (const char *g = sub; *g; g++) {
          if (*g != '%') {
            if (j >= n || s[j] != *g) return 0;
            j++;
            continue;
          }
          g++;
          switch (*g) {
            case 'Y':
              if (!num(s, n, &j, 4, 4, &yy)) return 0;
              break;
            case 'y':
              if (!num(s, n, &j, 2, 2, &yy)) return 0;
              yy += yy < 69 ? 2000 : 1900;
              break;
            case 'm':
              if (!num(s, n, &j, 1, 2, &mm2)) return 0;
              break;
            case 'd':
              if (!num(s, n, &j, 1, 2, &dd)) return 0;
              break;
            case 'H':
              if (!num(s, n, &j, 1, 2, &HH)) return 0;
              break;
            case 'M':
              if (!num(s, n, &j, 1, 2, &MM)) return 0;
              break;
            default:
              if (!num(s, n, &j, 1, 2, &SS)) return 0;
              break;
          }
        }
        i = j;
        y = yy, mo = mm2, d = dd, H = HH, M = MM, S = SS;
        break;
      }
      case '%':
        if (i >= n || s[i] != '%') return 0;
        i++;
        break;
      default: return 0;
    }
  }
  if (i != n) return 0;
  if (pm >= 0) {
    if (H < 1 || H > 12) return 0;
    H = H % 12 + (pm ? 12 : 0);
  }
  if (mo < 1 || mo > 12 || d < 1 || H > 23 || M > 59 || S > 60) return 0;
  int64_t days;
  if (yday) {
    days = auk_days_from_civil(y, 1, 1) + yday - 1;
  } else {
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap)) return 0;
    days = auk_days_from_civil(y, (int)mo, (int)d);
  }
  if (want_date) {
    *out = days;
    return 1;
  }
  *out = days * AUK_USEC_PER_DAY + ((H * 60 + M) * 60 + S) * 1000000 + us - off;
  return 1;
}

static auk_status parse(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  const auk_array *a = args[0].a;
  const char *fmt = args[1].s->s;
  int want_date = b->type == AUK_TYPE_DATE;
  auk_array *o = k_new(b->type, n, err);
  if (!o) return err->code;
  for (int64_t i = 0; i < n; i++) {
    if (!auk_array_is_valid(a, i)) continue;
    int64_t len, v;
    const char *s = auk_array_str(a, i, &len);
    if (!strptime_one(s, len, fmt, want_date, &v)) {
      char q[200] = "";
      auk_error_quote(q, sizeof q, s, (size_t)len);
      auk_array_release(o);
      return k_value_error(b, err, "%s does not match the format \"%s\"", q, fmt);
    }
    if (want_date)
      ((int32_t *)auk_array_data(o))[i] = (int32_t)v;
    else
      ((int64_t *)auk_array_data(o))[i] = v;
  }
  if (k_and_validity(o, args, 1, err)) {
    auk_array_release(o);
    return err->code;
  }
  *out = o;
  return AUK_OK;
}

/* ------------------------------------------------------------ strftime */

static int format_one(int64_t v, int is_date, const char *fmt, char *o, int cap) {
  parts p;
  split(v, is_date, &p);
  int w = 0;
  for (const char *f = fmt; *f && w < cap - 40; f++) {
    if (*f != '%' || !f[1]) {
      o[w++] = *f;
      continue;
    }
    f++;
    switch (*f) {
      case 'Y': w += snprintf(o + w, 40, "%04lld", (long long)p.y); break;
      case 'y': w += snprintf(o + w, 40, "%02d", (int)(((p.y % 100) + 100) % 100)); break;
      case 'm': w += snprintf(o + w, 40, "%02d", p.m); break;
      case 'd': w += snprintf(o + w, 40, "%02d", p.d); break;
      case 'e': w += snprintf(o + w, 40, "%2d", p.d); break;
      case 'j': w += snprintf(o + w, 40, "%03d", p.yday); break;
      case 'H': w += snprintf(o + w, 40, "%02d", p.H); break;
      case 'I': w += snprintf(o + w, 40, "%02d", p.H % 12 ? p.H % 12 : 12); break;
      case 'M': w += snprintf(o + w, 40, "%02d", p.M); break;
      case 'S': w += snprintf(o + w, 40, "%02d", p.S); break;
      case 'f': w += snprintf(o + w, 40, "%06d", p.us); break;
      case 'p': w += snprintf(o + w, 40, "%s", p.H < 12 ? "AM" : "PM"); break;
      case 'b': w += snprintf(o + w, 40, "%.3s", month_names[p.m - 1]); break;
      case 'B': w += snprintf(o + w, 40, "%s", month_names[p.m - 1]); break;
      case 'a': w += snprintf(o + w, 40, "%.3s", day_names[p.wday - 1]); break;
      case 'A': w += snprintf(o + w, 40, "%s", day_names[p.wday - 1]); break;
      case 'u': w += snprintf(o + w, 40, "%d", p.wday); break;
      case 'F': w += snprintf(o + w, 40, "%04lld-%02d-%02d", (long long)p.y, p.m, p.d); break;
      case 'T': w += snprintf(o + w, 40, "%02d:%02d:%02d", p.H, p.M, p.S); break;
      case 'D':
        w += snprintf(o + w, 40, "%02d/%02d/%02d", p.m, p.d, (int)(((p.y % 100) + 100) % 100));
        break;
      case '%': o[w++] = '%'; break;
      default: o[w++] = '%'; o[w++] = *f;
    }
  }
  return w;
}

static auk_status format(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  const auk_array *a = args[0].a;
  const char *fmt = args[1].s->s;
  int is_date = a->type == AUK_TYPE_DATE;
  auk_string_builder sb;
  if (auk_string_builder_init(&sb, n, n * 20, err)) return err->code;
  char buf[512];
  for (int64_t i = 0; i < n; i++) {
    auk_status st;
    if (!auk_array_is_valid(a, i)) {
      st = auk_string_builder_append_null(&sb, err);
    } else {
      int64_t v = is_date ? ((const int32_t *)k_vals(a))[i] : ((const int64_t *)k_vals(a))[i];
      int len = format_one(v, is_date, fmt, buf, sizeof buf);
      st = auk_string_builder_append(&sb, buf, len, err);
    }
    if (st) {
      auk_string_builder_reset(&sb);
      return st;
    }
  }
  (void)b;
  *out = auk_string_builder_finish(&sb, err);
  return *out ? AUK_OK : err->code;
}

auk_status k_temporal(const bexpr *b, kd *args, int64_t n, auk_array **out, auk_error *err) {
  if (b->fn == FN_DATE_TRUNC) return truncate(b, args, n, out, err);
  if (b->fn == FN_STRPTIME) {
    if (args[1].s->is_null) {
      *out = auk_array_new_nulls(b->type, n, err);
      return *out ? AUK_OK : err->code;
    }
    return parse(b, args, n, out, err);
  }
  if (b->fn == FN_STRFTIME) {
    if (args[1].s->is_null) {
      *out = auk_array_new_nulls(AUK_TYPE_STRING, n, err);
      return *out ? AUK_OK : err->code;
    }
    return format(b, args, n, out, err);
  }
  return extract(b, args, n, out, err);
}
