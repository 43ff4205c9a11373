/* csv.h - the CSV reader and writer as the rest of auk sees them. */
#ifndef AUK_IO_CSV_H
#define AUK_IO_CSV_H

#include "auk.h"
#include "io/source.h"

/* Reads all of src into a new frame. */
auk_status auk_csv_read_source(const auk_source *src, const auk_csv_read_options *opts,
                               auk_frame **out, auk_error *err);
/* Counts data rows (tokenizing only). */
auk_status auk_csv_count_source(const auk_source *src, const auk_csv_read_options *opts,
                                int64_t *rows, auk_error *err);

#endif
