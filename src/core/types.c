/* types.c - type names and widths. */
#include "core/types.h"

#include "core/decimal.h"
#include "core/error.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <ctype.h>
#include <string.h>
#include <strings.h>

int auk_type_width(auk_type_id t) {
  switch (auk_type_storage(t)) {
    case AUK_TYPE_INT8:
    case AUK_TYPE_UINT8: return 1;
    case AUK_TYPE_INT16:
    case AUK_TYPE_UINT16: return 2;
    case AUK_TYPE_INT32:
    case AUK_TYPE_UINT32:
    case AUK_TYPE_FLOAT32:
    case AUK_TYPE_DATE: return 4;
    case AUK_TYPE_INT64:
    case AUK_TYPE_UINT64:
    case AUK_TYPE_FLOAT64:
    case AUK_TYPE_DATETIME: return 8;
    default: return 0;
  }
}

int auk_type_is_integer(auk_type_id t) {
  return t >= AUK_TYPE_INT8 && t <= AUK_TYPE_UINT64;
}
int auk_type_is_signed(auk_type_id t) {
  return t >= AUK_TYPE_INT8 && t <= AUK_TYPE_INT64;
}
int auk_type_is_float(auk_type_id t) {
  return t == AUK_TYPE_FLOAT32 || t == AUK_TYPE_FLOAT64;
}
int auk_type_is_temporal(auk_type_id t) {
  return t == AUK_TYPE_DATE || t == AUK_TYPE_DATETIME;
}

static const char *const short_names[AUK_TYPE_COUNT_] = {
    "null", "bool", "i8",  "i16", "i32", "i64",  "u8",           "u16",
    "u32",  "u64",  "f32", "f64", "str", "date", "datetime[μs]", "decimal"};

/* "decimal(p,s)" for every valid (p, s), filled once. */
static char decimal_names[AUK_DECIMAL_MAX_PRECISION + 1][AUK_DECIMAL_MAX_PRECISION + 1][16];
static pthread_once_t decimal_names_once = PTHREAD_ONCE_INIT;
static void fill_decimal_names(void) {
  for (int p = 1; p <= AUK_DECIMAL_MAX_PRECISION; p++)
    for (int s = 0; s <= p; s++) snprintf(decimal_names[p][s], 16, "decimal(%d,%d)", p, s);
}

int auk_type_valid(auk_type_id t) {
  if (auk_type_is_decimal(t))
    return ((int)t >> 24) == 0 && auk_decimal_valid(auk_decimal_precision(t), auk_decimal_scale(t));
  return (int)t >= 0 && t < AUK_TYPE_COUNT_ && t != AUK_TYPE_DECIMAL;
}

const char *auk_type_name(auk_type_id t) {
  if (!auk_type_valid(t)) return "?";
  if (auk_type_is_decimal(t)) {
    pthread_once(&decimal_names_once, fill_decimal_names);
    return decimal_names[auk_decimal_precision(t)][auk_decimal_scale(t)];
  }
  return short_names[t];
}

/* "decimal(p,s)", "decimal(p)", "decimal" (also "numeric"); 0 when the name
 * is not a decimal, -1 when it is one with bad parameters. */
static int parse_decimal_name(const char *name, auk_type_id *out) {
  const char *rest;
  if (!strncasecmp(name, "decimal", 7))
    rest = name + 7;
  else if (!strncasecmp(name, "numeric", 7))
    rest = name + 7;
  else
    return 0;
  while (*rest == ' ') rest++;
  if (!*rest) {
    *out = AUK_DECIMAL_DEFAULT;
    return 1;
  }
  if (*rest != '(') return 0;
  char *end;
  long p = strtol(rest + 1, &end, 10), s = 0;
  if (end == rest + 1) return -1;
  while (*end == ' ') end++;
  if (*end == ',') {
    const char *b = end + 1;
    s = strtol(b, &end, 10);
    if (end == b) return -1;
    while (*end == ' ') end++;
  }
  if (*end != ')' || end[1]) return -1;
  if (!auk_decimal_valid((int)p, (int)s)) return -1;
  *out = AUK_DECIMAL(p, s);
  return 1;
}

auk_status auk_type_parse(const char *name, auk_type_id *out, auk_error *err) {
  static const struct {
    const char *name;
    auk_type_id t;
  } names[] = {
      {"null", AUK_TYPE_NULL},          {"bool", AUK_TYPE_BOOL},
      {"boolean", AUK_TYPE_BOOL},       {"i8", AUK_TYPE_INT8},
      {"int8", AUK_TYPE_INT8},          {"tinyint", AUK_TYPE_INT8},
      {"i16", AUK_TYPE_INT16},          {"int16", AUK_TYPE_INT16},
      {"smallint", AUK_TYPE_INT16},     {"i32", AUK_TYPE_INT32},
      {"int32", AUK_TYPE_INT32},        {"int", AUK_TYPE_INT32},
      {"integer", AUK_TYPE_INT32},      {"i64", AUK_TYPE_INT64},
      {"int64", AUK_TYPE_INT64},        {"bigint", AUK_TYPE_INT64},
      {"u8", AUK_TYPE_UINT8},           {"uint8", AUK_TYPE_UINT8},
      {"u16", AUK_TYPE_UINT16},         {"uint16", AUK_TYPE_UINT16},
      {"u32", AUK_TYPE_UINT32},         {"uint32", AUK_TYPE_UINT32},
      {"u64", AUK_TYPE_UINT64},         {"uint64", AUK_TYPE_UINT64},
      {"f32", AUK_TYPE_FLOAT32},        {"float32", AUK_TYPE_FLOAT32},
      {"real", AUK_TYPE_FLOAT32},       {"float", AUK_TYPE_FLOAT32},
      {"f64", AUK_TYPE_FLOAT64},        {"float64", AUK_TYPE_FLOAT64},
      {"double", AUK_TYPE_FLOAT64},     {"str", AUK_TYPE_STRING},
      {"string", AUK_TYPE_STRING},      {"utf8", AUK_TYPE_STRING},
      {"varchar", AUK_TYPE_STRING},     {"text", AUK_TYPE_STRING},
      {"date", AUK_TYPE_DATE},          {"datetime", AUK_TYPE_DATETIME},
      {"timestamp", AUK_TYPE_DATETIME}, {"datetime[μs]", AUK_TYPE_DATETIME},
  };
  if (!name || !out) return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "type name missing");
  int d = parse_decimal_name(name, out);
  if (d > 0) return AUK_OK;
  if (d < 0)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "bad decimal type '%s': precision must be 1..18 and scale 0..precision "
                         "(auk stores decimals in 64 bits)",
                         name);
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcasecmp(name, names[i].name)) {
      *out = names[i].t;
      return AUK_OK;
    }
  return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                       "unknown type '%s' (known: bool, i8..i64, u8..u64, f32, f64, str, "
                       "date, datetime, decimal(p,s))",
                       name);
}
