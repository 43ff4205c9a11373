/* source.c - mapping, decompressing and transcoding input files. */
#include "io/source.h"

#include "core/alloc.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static size_t latin1_utf8_len(const uint8_t *p, int64_t n) {
  size_t extra = 0;
  for (int64_t i = 0; i < n; i++) extra += p[i] >> 7;
  return (size_t)n + extra;
}

static void latin1_to_utf8(const uint8_t *p, int64_t n, uint8_t *out) {
  for (int64_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c < 0x80) {
      *out++ = c;
    } else {
      *out++ = (uint8_t)(0xC0 | (c >> 6));
      *out++ = (uint8_t)(0x80 | (c & 0x3F));
    }
  }
}

/* Replaces src->data with its UTF-8 transcoding (owned). */
static auk_status transcode(auk_source *src, auk_error *err) {
  size_t n = latin1_utf8_len(src->data, src->len);
  if (n == (size_t)src->len) return AUK_OK; /* pure ASCII */
  uint8_t *out = auk_mem_alloc(n ? n : 1, err);
  if (!out) return err->code;
  latin1_to_utf8(src->data, src->len, out);
  if (src->owned) auk_mem_free(src->owned, src->owned_cap);
  if (src->map) munmap(src->map, src->map_len);
  src->map = NULL;
  src->owned = out;
  src->owned_cap = n ? n : 1;
  src->data = out;
  src->len = (int64_t)n;
  return AUK_OK;
}

static void skip_bom(auk_source *src) {
  if (src->len >= 3 && src->data[0] == 0xEF && src->data[1] == 0xBB && src->data[2] == 0xBF) {
    src->data += 3;
    src->len -= 3;
  }
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && !strcmp(s + a - b, suffix);
}

/* Inflates a gzip file (all members) into an owned buffer, or only its
 * first max_bytes (> 0) bytes, cut back to the last newline. The trailer's
 * size field gives a first guess of the output size. */
static auk_status read_gzip(auk_source *src, const char *path, int64_t max_bytes, auk_error *err) {
  size_t cap = 1 << 20;
  FILE *f = fopen(path, "rb");
  if (f) {
    unsigned char t[4];
    if (fseek(f, -4, SEEK_END) == 0 && fread(t, 1, 4, f) == 4) {
      size_t isize = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
      if (isize + 1 > cap) cap = isize + 1;
    }
    fclose(f);
  }
  if (max_bytes > 0 && cap > (size_t)max_bytes) cap = (size_t)max_bytes;
  gzFile gz = gzopen(path, "rb");
  if (!gz)
    return auk_error_set(err, AUK_ERR_IO, "%s: cannot open: %s", path,
                         strerror(errno ? errno : ENOMEM));
  gzbuffer(gz, 1 << 18);
  uint8_t *buf = auk_mem_alloc(cap, err);
  if (!buf) {
    gzclose(gz);
    return err->code;
  }
  size_t len = 0;
  for (;;) {
    if (max_bytes > 0 && len >= (size_t)max_bytes) {
      src->truncated = 1;
      break;
    }
    if (len == cap) {
      size_t ncap = cap * 2;
      uint8_t *nb = auk_mem_realloc(buf, cap, ncap, err);
      if (!nb) {
        auk_mem_free(buf, cap);
        gzclose(gz);
        return err->code;
      }
      buf = nb;
      cap = ncap;
    }
    size_t want = cap - len;
    if (want > (1u << 30)) want = 1u << 30;
    int got = gzread(gz, buf + len, (unsigned)want);
    if (got < 0) {
      int zerr;
      const char *msg = gzerror(gz, &zerr);
      auk_error_set(err, AUK_ERR_IO, "%s: gzip data is damaged after %zu decompressed bytes: %s",
                    path, len, msg);
      auk_mem_free(buf, cap);
      gzclose(gz);
      return AUK_ERR_IO;
    }
    if (got == 0) break;
    len += (size_t)got;
  }
  /* gzread stops quietly at a truncated stream; gzclose_r reports it. */
  int zerr;
  gzerror(gz, &zerr);
  int rc = gzclose(gz);
  if (!src->truncated && (rc == Z_BUF_ERROR || zerr == Z_BUF_ERROR)) {
    auk_mem_free(buf, cap);
    return auk_error_set(err, AUK_ERR_IO, "%s: gzip stream is truncated (%zu bytes decompressed)",
                         path, len);
  }
  if (src->truncated) { /* keep whole lines only */
    while (len > 0 && buf[len - 1] != '\n') len--;
  }
  src->owned = buf;
  src->owned_cap = cap;
  src->data = buf;
  src->len = (int64_t)len;
  return AUK_OK;
}

auk_status auk_source_open(auk_source *src, const char *path, auk_compression compression,
                           auk_encoding encoding, auk_error *err) {
  return auk_source_open_prefix(src, path, compression, encoding, 0, err);
}

auk_status auk_source_open_prefix(auk_source *src, const char *path, auk_compression compression,
                                  auk_encoding encoding, int64_t max_bytes, auk_error *err) {
  memset(src, 0, sizeof *src);
  src->name = auk_str_dup(path, err);
  if (!src->name) return err->code;
  struct stat st;
  if (stat(path, &st) != 0) {
    auk_error_set(err, errno == ENOENT ? AUK_ERR_NOT_FOUND : AUK_ERR_IO, "%s: cannot open: %s",
                  path, strerror(errno));
    goto fail;
  }
  if (S_ISDIR(st.st_mode)) {
    auk_error_set(err, AUK_ERR_IO, "%s: is a directory, not a file", path);
    goto fail;
  }
  int gz = compression == AUK_COMPRESSION_GZIP ||
           (compression == AUK_COMPRESSION_AUTO && ends_with(path, ".gz"));
  if (gz) {
    if (read_gzip(src, path, max_bytes, err)) goto fail;
  } else {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
      auk_error_set(err, AUK_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
      goto fail;
    }
    if (st.st_size > 0) {
      void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (m == MAP_FAILED) {
        auk_error_set(err, AUK_ERR_IO, "%s: cannot map the file: %s", path, strerror(errno));
        close(fd);
        goto fail;
      }
      madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
      src->map = m;
      src->map_len = (size_t)st.st_size;
      src->data = m;
      src->len = st.st_size;
    } else {
      src->data = (const uint8_t *)"";
    }
    close(fd);
  }
  if (encoding == AUK_ENCODING_LATIN1 && transcode(src, err)) goto fail;
  skip_bom(src);
  return AUK_OK;
fail:
  auk_source_close(src);
  return err ? err->code : AUK_ERR_IO;
}

auk_status auk_source_from_memory(auk_source *src, const void *data, size_t len, const char *name,
                                  auk_encoding encoding, auk_error *err) {
  memset(src, 0, sizeof *src);
  src->name = auk_str_dup(name ? name : "<memory>", err);
  if (!src->name) return err->code;
  src->data = len ? data : (const uint8_t *)"";
  src->len = (int64_t)len;
  if (encoding == AUK_ENCODING_LATIN1 && transcode(src, err)) {
    auk_source_close(src);
    return err->code;
  }
  skip_bom(src);
  return AUK_OK;
}

void auk_source_close(auk_source *src) {
  if (src->map) munmap(src->map, src->map_len);
  if (src->owned) auk_mem_free(src->owned, src->owned_cap);
  auk_str_free(src->name);
  memset(src, 0, sizeof *src);
}
