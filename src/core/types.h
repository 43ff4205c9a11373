/* types.h - facts about the logical types: storage width, names, classes. */
#ifndef AUK_CORE_TYPES_H
#define AUK_CORE_TYPES_H

#include "auk.h"

/* The physical type a type is stored as: decimals are int64 unscaled
 * values, so storage-based operations (gather, hash, sort keys, group and
 * join keys) switch on this, never on the packed decimal id. */
static inline auk_type_id auk_type_storage(auk_type_id t) {
  return auk_type_is_decimal(t) ? AUK_TYPE_INT64 : t;
}
/* 1 for the plain types and decimals with valid parameters. */
int auk_type_valid(auk_type_id t);
/* Bytes per value of a fixed-width type; 0 for bool (bit-packed), string
 * and null. */
int auk_type_width(auk_type_id t);
int auk_type_is_integer(auk_type_id t);
int auk_type_is_signed(auk_type_id t);
int auk_type_is_float(auk_type_id t);
/* Integers and floats; decimals are numeric too (auk_type_is_decimal) but
 * compute by their own rules, so callers ask for them separately. */
static inline int auk_type_is_numeric(auk_type_id t) {
  return auk_type_is_integer(t) || auk_type_is_float(t);
}
int auk_type_is_temporal(auk_type_id t);

#endif
