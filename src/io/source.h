/* source.h - the bytes of an input file, whole and contiguous: a private
 * read-only mapping for plain files (no copy), or a decoded buffer on the
 * memory budget for gzip input and for Latin-1 text transcoded to UTF-8.
 * A UTF-8 byte order mark is skipped. Parsers keep a reference to the
 * source only while they run; results never point into it. */
#ifndef AUK_IO_SOURCE_H
#define AUK_IO_SOURCE_H

#include "auk.h"

#include <stddef.h>
#include <stdint.h>

typedef struct auk_source {
  const uint8_t *data; /* after any BOM */
  int64_t len;
  char *name;    /* for messages */
  int truncated; /* only a prefix was read (auk_source_open_prefix) */
  /* private */
  void *map;
  size_t map_len;
  uint8_t *owned;
  size_t owned_cap;
} auk_source;

/* Opens path; compression AUTO picks gzip for names ending in ".gz". */
auk_status auk_source_open(auk_source *src, const char *path, auk_compression compression,
                           auk_encoding encoding, auk_error *err);
/* Like auk_source_open, but compressed input is inflated only up to about
 * max_bytes (0: all), cut back to whole lines; `truncated` tells whether
 * more follows. Plain files are mapped whole (pages load lazily anyway). */
auk_status auk_source_open_prefix(auk_source *src, const char *path, auk_compression compression,
                                  auk_encoding encoding, int64_t max_bytes, auk_error *err);
/* Wraps caller memory (copied only when transcoding is needed). */
auk_status auk_source_from_memory(auk_source *src, const void *data, size_t len, const char *name,
                                  auk_encoding encoding, auk_error *err);
void auk_source_close(auk_source *src);

#endif
