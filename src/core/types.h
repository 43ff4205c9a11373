/* types.h - facts about the logical types: storage width, names, classes. */
#ifndef AUK_CORE_TYPES_H
#define AUK_CORE_TYPES_H

#include "auk.h"

/* Bytes per value of a fixed-width type; 0 for bool (bit-packed), string
 * and null. */
int auk_type_width(auk_type_id t);
int auk_type_is_integer(auk_type_id t);
int auk_type_is_signed(auk_type_id t);
int auk_type_is_float(auk_type_id t);
static inline int auk_type_is_numeric(auk_type_id t) {
  return auk_type_is_integer(t) || auk_type_is_float(t);
}
int auk_type_is_temporal(auk_type_id t);

#endif
