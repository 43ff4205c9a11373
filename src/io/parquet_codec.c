/* parquet_codec.c - page (de)compression. Each codec is one library call;
 * the Hadoop LZ4 framing (big-endian decompressed and compressed sizes
 * before each block) is unwrapped here, falling back to a raw LZ4 block for
 * files that say LZ4 but hold raw blocks (older parquet-cpp). */
#include "io/parquet_codec.h"

#include "core/error.h"
#include "io/parquet_meta.h"

#include <brotli/decode.h>
#include <lz4.h>
#include <snappy-c.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

const char *pq_codec_name(int codec) {
  switch (codec) {
    case PQ_CODEC_UNCOMPRESSED: return "UNCOMPRESSED";
    case PQ_CODEC_SNAPPY: return "SNAPPY";
    case PQ_CODEC_GZIP: return "GZIP";
    case PQ_CODEC_LZO: return "LZO";
    case PQ_CODEC_BROTLI: return "BROTLI";
    case PQ_CODEC_LZ4: return "LZ4";
    case PQ_CODEC_ZSTD: return "ZSTD";
    case PQ_CODEC_LZ4_RAW: return "LZ4_RAW";
    default: return "unknown";
  }
}

static auk_status size_mismatch(int codec, size_t got, size_t want, auk_error *err) {
  return auk_error_set(err, AUK_ERR_PARSE,
                       "%s page decompressed to %zu bytes, but its header declares %zu",
                       pq_codec_name(codec), got, want);
}

static auk_status damaged(int codec, const char *why, auk_error *err) {
  return auk_error_set(err, AUK_ERR_PARSE, "%s page data is damaged (%s)", pq_codec_name(codec),
                       why);
}

/* gzip or zlib, possibly several concatenated members. */
static auk_status inflate_all(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len,
                              auk_error *err) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 15 + 32) != Z_OK) return damaged(PQ_CODEC_GZIP, "zlib init", err);
  size_t in = 0, out = 0;
  for (;;) {
    z.next_in = (Bytef *)(src + in);
    z.avail_in = (uInt)(n - in > (1u << 30) ? (1u << 30) : n - in);
    z.next_out = dst + out;
    z.avail_out = (uInt)(dst_len - out > (1u << 30) ? (1u << 30) : dst_len - out);
    uInt ai = z.avail_in, ao = z.avail_out;
    int rc = inflate(&z, Z_NO_FLUSH);
    in += ai - z.avail_in;
    out += ao - z.avail_out;
    if (rc == Z_STREAM_END) {
      if (in < n && out < dst_len) { /* another member follows */
        inflateReset(&z);
        continue;
      }
      break;
    }
    if (rc == Z_BUF_ERROR && out == dst_len) {
      inflateEnd(&z);
      return size_mismatch(PQ_CODEC_GZIP, out + 1, dst_len, err);
    }
    if (rc != Z_OK || (ai == z.avail_in && ao == z.avail_out)) {
      inflateEnd(&z);
      return damaged(PQ_CODEC_GZIP, z.msg ? z.msg : "truncated stream", err);
    }
  }
  inflateEnd(&z);
  if (out != dst_len) return size_mismatch(PQ_CODEC_GZIP, out, dst_len, err);
  return AUK_OK;
}

static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Hadoop framing: [u32 BE raw size][u32 BE compressed size][block]... */
static int lz4_hadoop(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len) {
  size_t in = 0, out = 0;
  while (in < n) {
    if (n - in < 8) return 0;
    uint32_t raw = be32(src + in), comp = be32(src + in + 4);
    in += 8;
    if (comp > n - in || raw > dst_len - out) return 0;
    int got = LZ4_decompress_safe((const char *)src + in, (char *)dst + out, (int)comp, (int)raw);
    if (got < 0 || (uint32_t)got != raw) return 0;
    in += comp;
    out += raw;
  }
  return out == dst_len;
}

auk_status pq_decompress(int codec, const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len,
                         auk_error *err) {
  switch (codec) {
    case PQ_CODEC_UNCOMPRESSED:
      if (n != dst_len) return size_mismatch(codec, n, dst_len, err);
      if (n) memcpy(dst, src, n);
      return AUK_OK;
    case PQ_CODEC_SNAPPY: {
      size_t len;
      if (snappy_uncompressed_length((const char *)src, n, &len) != SNAPPY_OK)
        return damaged(codec, "bad length header", err);
      if (len != dst_len) return size_mismatch(codec, len, dst_len, err);
      if (snappy_uncompress((const char *)src, n, (char *)dst, &len) != SNAPPY_OK)
        return damaged(codec, "invalid snappy data", err);
      return AUK_OK;
    }
    case PQ_CODEC_GZIP: return inflate_all(src, n, dst, dst_len, err);
    case PQ_CODEC_ZSTD: {
      size_t got = ZSTD_decompress(dst, dst_len, src, n);
      if (ZSTD_isError(got)) {
        if (ZSTD_getErrorCode(got) == ZSTD_error_dstSize_tooSmall)
          return size_mismatch(codec, dst_len + 1, dst_len, err);
        return damaged(codec, ZSTD_getErrorName(got), err);
      }
      if (got != dst_len) return size_mismatch(codec, got, dst_len, err);
      return AUK_OK;
    }
    case PQ_CODEC_LZ4_RAW:
    case PQ_CODEC_LZ4: {
      if (n > INT32_MAX || dst_len > INT32_MAX) return damaged(codec, "page too large", err);
      if (codec == PQ_CODEC_LZ4 && lz4_hadoop(src, n, dst, dst_len)) return AUK_OK;
      int got = LZ4_decompress_safe((const char *)src, (char *)dst, (int)n, (int)dst_len);
      if (got < 0) return damaged(codec, "invalid lz4 block", err);
      if ((size_t)got != dst_len) return size_mismatch(codec, (size_t)got, dst_len, err);
      return AUK_OK;
    }
    case PQ_CODEC_BROTLI: {
      size_t len = dst_len;
      BrotliDecoderResult rc = BrotliDecoderDecompress(n, src, &len, dst);
      if (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT)
        return size_mismatch(codec, dst_len + 1, dst_len, err);
      if (rc != BROTLI_DECODER_RESULT_SUCCESS) return damaged(codec, "invalid brotli data", err);
      if (len != dst_len) return size_mismatch(codec, len, dst_len, err);
      return AUK_OK;
    }
    default:
      return auk_error_set(err, AUK_ERR_UNSUPPORTED, "compression codec %s (%d) is not supported",
                           pq_codec_name(codec), codec);
  }
}

size_t pq_compress_bound(int codec, size_t n) {
  switch (codec) {
    case PQ_CODEC_SNAPPY: return snappy_max_compressed_length(n);
    case PQ_CODEC_GZIP: return compressBound((uLong)n) + 32;
    case PQ_CODEC_ZSTD: return ZSTD_compressBound(n);
    default: return n;
  }
}

auk_status pq_compress(int codec, const uint8_t *src, size_t n, uint8_t *dst, size_t *out_len,
                       auk_error *err) {
  switch (codec) {
    case PQ_CODEC_UNCOMPRESSED:
      if (n) memcpy(dst, src, n);
      *out_len = n;
      return AUK_OK;
    case PQ_CODEC_SNAPPY: {
      size_t len = snappy_max_compressed_length(n);
      if (snappy_compress((const char *)src, n, (char *)dst, &len) != SNAPPY_OK)
        return auk_error_set(err, AUK_ERR_INTERNAL, "snappy compression failed");
      *out_len = len;
      return AUK_OK;
    }
    case PQ_CODEC_GZIP: {
      z_stream z;
      memset(&z, 0, sizeof z);
      if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return auk_error_set(err, AUK_ERR_INTERNAL, "gzip compression failed to start");
      z.next_in = (Bytef *)src;
      z.avail_in = (uInt)n;
      z.next_out = dst;
      z.avail_out = (uInt)pq_compress_bound(codec, n);
      int rc = deflate(&z, Z_FINISH);
      *out_len = z.total_out;
      deflateEnd(&z);
      if (rc != Z_STREAM_END)
        return auk_error_set(err, AUK_ERR_INTERNAL, "gzip compression failed");
      return AUK_OK;
    }
    case PQ_CODEC_ZSTD: {
      size_t got = ZSTD_compress(dst, ZSTD_compressBound(n), src, n, 3);
      if (ZSTD_isError(got))
        return auk_error_set(err, AUK_ERR_INTERNAL, "zstd compression failed: %s",
                             ZSTD_getErrorName(got));
      *out_len = got;
      return AUK_OK;
    }
    default:
      return auk_error_set(err, AUK_ERR_UNSUPPORTED, "writing %s is not supported",
                           pq_codec_name(codec));
  }
}
