/* datetime.c - civil calendar conversions by era arithmetic: a 400-year era
 * has 146097 days; counting years from March puts the leap day last. */
#include "core/datetime.h"

#include <stdio.h>

int64_t auk_days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void auk_civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static inline int digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    unsigned c = (unsigned char)s[i] - '0';
    if (c > 9) return 0;
    v = v * 10 + (int)c;
  }
  *out = v;
  return 1;
}

static int days_in_month(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dm[m - 1];
}

static int parse_ymd(const char *s, int *y, int *m, int *d) {
  if (s[4] != '-' || s[7] != '-') return 0;
  if (!digits(s, 4, y) || !digits(s + 5, 2, m) || !digits(s + 8, 2, d)) return 0;
  if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m)) return 0;
  return 1;
}

int auk_parse_date(const char *s, size_t len, int32_t *days) {
  int y, m, d;
  if (len != 10 || !parse_ymd(s, &y, &m, &d)) return 0;
  *days = (int32_t)auk_days_from_civil(y, m, d);
  return 1;
}

int auk_parse_datetime(const char *s, size_t len, int64_t *usec) {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  int64_t frac = 0;
  if (len < 10 || !parse_ymd(s, &y, &mo, &d)) return 0;
  size_t i = 10;
  if (len > 10) {
    if ((s[10] != ' ' && s[10] != 'T') || len < 16) return 0;
    if (!digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi)) return 0;
    i = 16;
    if (i < len && s[i] == ':') {
      if (len < 19 || !digits(s + 17, 2, &sec)) return 0;
      i = 19;
      if (i < len && s[i] == '.') {
        i++;
        int nd = 0;
        int64_t scale = 100000;
        while (i < len && (unsigned)(s[i] - '0') <= 9) {
          if (nd < 6) frac += (s[i] - '0') * scale;
          scale /= 10;
          nd++;
          i++;
        }
        if (nd == 0 || nd > 9) return 0;
      }
    }
    if (i != len || h > 23 || mi > 59 || sec > 59) return 0;
  }
  int64_t days = auk_days_from_civil(y, mo, d);
  *usec = days * AUK_USEC_PER_DAY + ((int64_t)h * 3600 + mi * 60 + sec) * 1000000 + frac;
  return 1;
}

int auk_parse_datetime_tz(const char *s, size_t len, int64_t *usec) {
  if (len < 17) return 0;
  size_t cut;
  int64_t off = 0;
  if (s[len - 1] == 'Z') {
    cut = len - 1;
  } else {
    cut = len;
    while (cut > 16 && s[cut - 1] != '+' && s[cut - 1] != '-') cut--;
    if (cut <= 16) return 0;
    cut--; /* at the sign */
    const char *t = s + cut + 1;
    size_t n = len - cut - 1;
    int h, m = 0;
    if (!(n == 2 || n == 4 || (n == 5 && t[2] == ':'))) return 0;
    if (!digits(t, 2, &h) || (n > 2 && !digits(t + n - 2, 2, &m)) || h > 23 || m > 59) return 0;
    off = ((int64_t)h * 60 + m) * 60 * 1000000;
    if (s[cut] == '-') off = -off;
  }
  int64_t local;
  if (!auk_parse_datetime(s, cut, &local) || cut <= 10) return 0;
  *usec = local - off;
  return 1;
}

static int put_year(int64_t y, char *out) {
  if (y >= 0 && y <= 9999) {
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    return 4;
  }
  return snprintf(out, 16, "%lld", (long long)y);
}

static void put2(int v, char *out) {
  out[0] = (char)('0' + v / 10);
  out[1] = (char)('0' + v % 10);
}

int auk_format_date(int32_t days, char *out) {
  int64_t y;
  int m, d;
  auk_civil_from_days(days, &y, &m, &d);
  int n = put_year(y, out);
  out[n] = '-';
  put2(m, out + n + 1);
  out[n + 3] = '-';
  put2(d, out + n + 4);
  out[n + 6] = 0;
  return n + 6;
}

int auk_format_datetime(int64_t usec, char *out) {
  int64_t days = usec / AUK_USEC_PER_DAY, rem = usec % AUK_USEC_PER_DAY;
  if (rem < 0) {
    rem += AUK_USEC_PER_DAY;
    days--;
  }
  int n = auk_format_date((int32_t)days, out);
  int64_t secs = rem / 1000000, frac = rem % 1000000;
  out[n] = ' ';
  put2((int)(secs / 3600), out + n + 1);
  out[n + 3] = ':';
  put2((int)(secs / 60 % 60), out + n + 4);
  out[n + 6] = ':';
  put2((int)(secs % 60), out + n + 7);
  n += 9;
  if (frac) {
    out[n++] = '.';
    for (int64_t scale = 100000; scale; scale /= 10) out[n++] = (char)('0' + frac / scale % 10);
  }
  out[n] = 0;
  return n;
}
