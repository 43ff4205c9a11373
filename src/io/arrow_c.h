/* arrow_c.h - the Arrow C Data Interface under the public entry points:
 * schemas and batches out (zero-copy, the export retains auk's arrays), and
 * foreign arrays in (zero-copy where auk's layout is Arrow's, converted
 * where it is not). The public rules are in include/auk.h. */
#ifndef AUK_IO_ARROW_C_H
#define AUK_IO_ARROW_C_H

#include "core/frame.h"

/* Fills *out with a struct type ("+s") naming and typing every field. On
 * failure *out is zeroed (released). */
auk_status auk_arrow_export_schema(const auk_schema *s, struct ArrowSchema *out, auk_error *err);
/* Fills *out with the batch as a struct array whose children point into the
 * batch's buffers; each child retains its auk_array until released. On
 * failure *out is zeroed. */
auk_status auk_arrow_export_batch(const auk_batch *b, struct ArrowArray *out, auk_error *err);

/* A foreign schema parsed once, for importing one or many arrays. */
typedef struct auk_arrow_import auk_arrow_import;

/* Parses `schema` (borrowed: the caller still releases it) into the auk
 * schema and the per-column conversions. */
auk_status auk_arrow_import_new(const struct ArrowSchema *schema, auk_arrow_import **out,
                                auk_error *err);
/* The auk schema of the import (borrowed). */
auk_schema *auk_arrow_import_schema(const auk_arrow_import *imp);
/* Imports one array described by the parsed schema and appends its rows to
 * `dst` as batches of at most AUK_BATCH_ROWS rows. Takes ownership of
 * *array (moved out, also on failure); its release callback runs once the
 * last auk buffer sharing its memory is released. */
auk_status auk_arrow_import_array(const auk_arrow_import *imp, struct ArrowArray *array,
                                  auk_frame *dst, auk_error *err);
void auk_arrow_import_free(auk_arrow_import *imp);

#endif
