/* parquet_write.c - writing frames as Parquet. Rows are cut into row groups
 * of opts->row_group_rows; every (row group, column) chunk is encoded in
 * memory as one task on the thread pool (a window of row groups at a time)
 * and the chunks are written in order. A chunk is dictionary-encoded when
 * its distinct values are few (a hash pass decides and builds the
 * dictionary); otherwise its values are PLAIN. Each batch piece becomes one
 * data page (v1) with RLE definition levels. Statistics (min, max, null
 * count) are kept per chunk. The file goes to a temporary name beside the
 * target and is renamed over it only when complete. */
#include "core/alloc.h"
#include "core/error.h"
#include "core/pool.h"
#include "core/types.h"
#include "io/atomic.h"
#include "io/parquet_encode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct wctx {
  const auk_frame *f;
  const auk_parquet_write_options *o;
  int codec;
  int ncols;
  int64_t rg_first; /* first row group of the window */
  int64_t rg_rows;
  pq_chunk_out *outs; /* [window rg * ncols + c] */
} wctx;

static void encode_task(void *ctx, int64_t t, int worker) {
  (void)worker;
  wctx *w = ctx;
  int64_t r0 = (w->rg_first + t / w->ncols) * w->rg_rows;
  int64_t r1 = r0 + w->rg_rows < w->f->nrows ? r0 + w->rg_rows : w->f->nrows;
  pq_encode_chunk(w->f, (int)(t % w->ncols), r0, r1, w->codec, w->o->dictionary, w->o->data_page_v2,
                  &w->outs[t]);
}

/* ---------------------------------------------------------- the schema */

static void schema_el(const auk_field *fd, pq_schema_el *e) {
  memset(e, 0, sizeof *e);
  e->name.p = fd->name;
  e->name.n = (int32_t)strlen(fd->name);
  e->type = pq_phys_of(fd->type);
  e->repetition = PQ_OPTIONAL;
  e->converted = -1;
  if (auk_type_is_decimal(fd->type)) {
    e->logical = PQ_LT_DECIMAL;
    e->converted = PQ_CT_DECIMAL;
    e->lt_precision = e->precision = auk_decimal_precision(fd->type);
    e->lt_scale = e->scale = auk_decimal_scale(fd->type);
    return;
  }
  switch (fd->type) {
    case AUK_TYPE_STRING:
      e->logical = PQ_LT_STRING;
      e->converted = PQ_CT_UTF8;
      break;
    case AUK_TYPE_DATE:
      e->logical = PQ_LT_DATE;
      e->converted = PQ_CT_DATE;
      break;
    case AUK_TYPE_DATETIME:
      e->logical = PQ_LT_TIMESTAMP;
      e->lt_unit = PQ_UNIT_MICROS;
      e->lt_utc = fd->timezone != NULL;
      if (e->lt_utc) e->converted = PQ_CT_TIMESTAMP_MICROS;
      break;
    case AUK_TYPE_NULL: e->logical = PQ_LT_UNKNOWN; break;
    case AUK_TYPE_INT8:
    case AUK_TYPE_INT16:
    case AUK_TYPE_INT32:
    case AUK_TYPE_INT64:
    case AUK_TYPE_UINT8:
    case AUK_TYPE_UINT16:
    case AUK_TYPE_UINT32:
    case AUK_TYPE_UINT64: {
      int sign = auk_type_is_signed(fd->type), bits = auk_type_width(fd->type) * 8;
      e->logical = PQ_LT_INTEGER;
      e->lt_bits = bits;
      e->lt_signed = sign;
      int k = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;
      e->converted = (sign ? PQ_CT_INT_8 : PQ_CT_UINT_8) + k;
      break;
    }
    default: break;
  }
}

/* ------------------------------------------------------------ the file */

static auk_status write_all(FILE *out, const void *p, size_t n, const char *path, auk_error *err) {
  if (n && fwrite(p, 1, n, out) != n)
    return auk_error_set(err, AUK_ERR_IO, "%s: write failed: %s", path, strerror(errno));
  return AUK_OK;
}

static auk_status write_stream(const auk_frame *f, FILE *out, const char *path,
                               const auk_parquet_write_options *o, auk_error *err) {
  int ncols = f->schema->nfields;
  int64_t nrg = f->nrows ? (f->nrows + o->row_group_rows - 1) / o->row_group_rows : 0;
  int codec = o->compression == AUK_PARQUET_UNCOMPRESSED ? PQ_CODEC_UNCOMPRESSED
              : o->compression == AUK_PARQUET_ZSTD       ? PQ_CODEC_ZSTD
              : o->compression == AUK_PARQUET_GZIP       ? PQ_CODEC_GZIP
                                                         : PQ_CODEC_SNAPPY;
  pq_file_meta m;
  memset(&m, 0, sizeof m);
  auk_status st = AUK_OK;
  pq_chunk_out *outs = NULL;
  int64_t window = 1;
  if (ncols > 0) {
    window = (auk_pool_threads() * 2 + ncols - 1) / ncols;
    if (window < 1) window = 1;
  }
  m.version = 1;
  m.num_rows = f->nrows;
  m.nschema = ncols + 1;
  m.schema = pq_arena_alloc(&m.arena, sizeof(pq_schema_el) * (size_t)(ncols + 1), err);
  m.rgs = pq_arena_alloc(&m.arena, sizeof(pq_row_group) * (size_t)(nrg + 1), err);
  outs = auk_mem_calloc(sizeof(pq_chunk_out) * (size_t)(window * ncols + 1), err);
  if (!m.schema || !m.rgs || !outs) goto oom;
  m.nrgs = (int)nrg;
  m.created_by.p = "auk";
  m.created_by.n = 3;
  memset(&m.schema[0], 0, sizeof(pq_schema_el));
  m.schema[0].type = -1;
  m.schema[0].repetition = -1;
  m.schema[0].converted = -1;
  m.schema[0].name.p = "schema";
  m.schema[0].name.n = 6;
  m.schema[0].num_children = ncols;
  for (int c = 0; c < ncols; c++) schema_el(&f->schema->fields[c], &m.schema[c + 1]);
  if ((st = write_all(out, "PAR1", 4, path, err))) goto done;
  int64_t pos = 4;
  for (int64_t first = 0; first < nrg; first += window) {
    int64_t n = nrg - first < window ? nrg - first : window;
    memset(outs, 0, sizeof(pq_chunk_out) * (size_t)(window * ncols));
    wctx w = {f, o, codec, ncols, first, o->row_group_rows, outs};
    auk_pool_run(n * ncols, encode_task, &w);
    for (int64_t t = 0; t < n * ncols && !st; t++)
      if (outs[t].failed) {
        *err = outs[t].err;
        st = err->code;
      }
    for (int64_t g = 0; g < n && !st; g++) {
      pq_row_group *rg = &m.rgs[first + g];
      rg->ncols = ncols;
      rg->cols = pq_arena_alloc(&m.arena, sizeof(pq_chunk) * (size_t)(ncols + 1), err);
      if (!rg->cols) goto oom;
      int64_t r0 = (first + g) * o->row_group_rows;
      rg->num_rows = (f->nrows - r0 < o->row_group_rows ? f->nrows - r0 : o->row_group_rows);
      for (int c = 0; c < ncols; c++) {
        pq_chunk_out *co = &outs[g * ncols + c];
        pq_chunk *ch = &rg->cols[c];
        pq_column_meta *cm = &ch->meta;
        ch->file_offset = pos;
        ch->has_meta = 1;
        cm->type = m.schema[c + 1].type;
        cm->codec = codec;
        cm->num_values = co->num_values;
        cm->total_uncompressed = co->uncompressed;
        cm->total_compressed = (int64_t)co->buf.len;
        cm->dictionary_page_offset = co->dict_bytes ? pos : -1;
        cm->data_page_offset = pos + co->dict_bytes;
        cm->path = &m.schema[c + 1].name;
        cm->npath = 1;
        cm->has_stats = 1;
        cm->stats.null_count = co->nulls;
        if (co->has_minmax) {
          uint8_t *mm = pq_arena_alloc(&m.arena, (size_t)(co->min_len + co->max_len + 1), err);
          if (!mm) goto oom;
          memcpy(mm, co->min, (size_t)co->min_len);
          memcpy(mm + co->min_len, co->max, (size_t)co->max_len);
          cm->stats.min = (pq_str){(const char *)mm, co->min_len};
          cm->stats.max = (pq_str){(const char *)mm + co->min_len, co->max_len};
          cm->stats.has_min = cm->stats.has_max = 1;
        }
        rg->total_byte_size += co->uncompressed;
        if ((st = write_all(out, co->buf.data, co->buf.len, path, err))) break;
        pos += (int64_t)co->buf.len;
      }
    }
    for (int64_t t = 0; t < window * ncols; t++) pq_writer_free(&outs[t].buf);
    if (st) goto done;
  }
  pq_writer fw;
  pq_writer_init(&fw, err);
  pq_write_file_meta(&fw, &m);
  if (fw.failed) {
    pq_writer_free(&fw);
    goto oom;
  }
  uint32_t flen = (uint32_t)fw.len;
  uint8_t tail[8] = {(uint8_t)flen,
                     (uint8_t)(flen >> 8),
                     (uint8_t)(flen >> 16),
                     (uint8_t)(flen >> 24),
                     'P',
                     'A',
                     'R',
                     '1'};
  st = write_all(out, fw.data, fw.len, path, err);
  if (!st) st = write_all(out, tail, 8, path, err);
  pq_writer_free(&fw);
  goto done;
oom:
  st = err->code ? err->code : AUK_ERR_OUT_OF_MEMORY;
done:
  auk_mem_free(outs, sizeof(pq_chunk_out) * (size_t)(window * ncols + 1));
  pq_meta_free(&m);
  return st;
}

typedef struct pq_body {
  const auk_frame *f;
  const char *path;
  const auk_parquet_write_options *o;
} pq_body;

static auk_status write_pq_body(FILE *out, void *ctx, auk_error *err) {
  pq_body *b = ctx;
  return write_stream(b->f, out, b->path, b->o, err);
}

auk_status pq_write_frame(const auk_frame *f, const char *path, const auk_parquet_write_options *o,
                          auk_error *err) {
  pq_body b = {f, path, o};
  return auk_write_atomic(path, "write_parquet", write_pq_body, &b, 0, err);
}
