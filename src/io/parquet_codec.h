/* parquet_codec.h - page compression through Debian's libraries: snappy,
 * gzip (zlib), zstd, lz4 (raw blocks and the Hadoop framing), brotli. */
#ifndef AUK_IO_PARQUET_CODEC_H
#define AUK_IO_PARQUET_CODEC_H

#include "auk.h"

#include <stddef.h>
#include <stdint.h>

/* Static name of a codec id ("SNAPPY"); "unknown" for others. */
const char *pq_codec_name(int codec);
/* Decompresses src into exactly dst_len bytes of dst. A stream that yields
 * more or fewer bytes than dst_len is an error (the page header declared
 * the size). Errors carry no file name; the caller prefixes it. */
auk_status pq_decompress(int codec, const uint8_t *src, size_t src_len, uint8_t *dst,
                         size_t dst_len, auk_error *err);
/* Upper bound of the compressed size of n bytes. */
size_t pq_compress_bound(int codec, size_t n);
/* Compresses src into dst (room for pq_compress_bound bytes); *out_len
 * gets the size. Codecs: UNCOMPRESSED, SNAPPY, GZIP, ZSTD. */
auk_status pq_compress(int codec, const uint8_t *src, size_t n, uint8_t *dst, size_t *out_len,
                       auk_error *err);

#endif
