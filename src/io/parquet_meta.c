/* parquet_meta.c - FileMetaData and PageHeader, parsed and serialized with
 * the compact protocol. Field ids follow parquet.thrift of parquet-format.
 * Lists are sized from their headers only after checking that the bytes
 * left could hold them, so corrupt counts cannot ask for huge arrays. */
#include "io/parquet_meta.h"

#include "core/alloc.h"
#include "core/error.h"

#include <string.h>

struct pq_arena_block {
  struct pq_arena_block *next;
  size_t size;
};

void *pq_arena_alloc(pq_arena *a, size_t n, auk_error *err) {
  size_t total = sizeof(struct pq_arena_block) + n;
  struct pq_arena_block *b = auk_mem_calloc(total, err);
  if (!b) return NULL;
  b->size = total;
  b->next = a->head;
  a->head = b;
  return b + 1;
}

void pq_arena_free(pq_arena *a) {
  struct pq_arena_block *b = a->head;
  while (b) {
    struct pq_arena_block *next = b->next;
    auk_mem_free(b, b->size);
    b = next;
  }
  a->head = NULL;
}

typedef struct parse_ctx {
  pq_reader r;
  pq_arena *arena;
  auk_error *err;
  int oom;
} parse_ctx;

static void *ctx_alloc(parse_ctx *c, int64_t n, size_t size) {
  void *p = pq_arena_alloc(c->arena, (size_t)n * size, c->err);
  if (!p) {
    c->oom = 1;
    c->r.bad = 1;
  }
  return p;
}

static pq_str read_str(pq_reader *r) {
  pq_str s;
  s.p = (const char *)pq_read_binary(r, &s.n);
  return s;
}

static void parse_stats(pq_reader *r, pq_stats *s) {
  memset(s, 0, sizeof *s);
  s->null_count = -1;
  pq_str legacy_min = {0}, legacy_max = {0};
  int has_lmin = 0, has_lmax = 0;
  int16_t saved = pq_struct_begin(r), id;
  int t;
  while (pq_read_field(r, &id, &t)) {
    if (id == 1 && t == PQ_T_BINARY) {
      legacy_max = read_str(r);
      has_lmax = 1;
    } else if (id == 2 && t == PQ_T_BINARY) {
      legacy_min = read_str(r);
      has_lmin = 1;
    } else if (id == 3 && t == PQ_T_I64) {
      s->null_count = pq_read_i64(r);
    } else if (id == 5 && t == PQ_T_BINARY) {
      s->max = read_str(r);
      s->has_max = 1;
    } else if (id == 6 && t == PQ_T_BINARY) {
      s->min = read_str(r);
      s->has_min = 1;
    } else {
      pq_skip(r, t);
    }
  }
  pq_struct_end(r, saved);
  if (!s->has_min && has_lmin) s->min = legacy_min, s->has_min = 1, s->legacy = 1;
  if (!s->has_max && has_lmax) s->max = legacy_max, s->has_max = 1, s->legacy = 1;
}

/* A union with one struct member: returns the member's id; `inner` reads
 * the member struct's fields. */
static void parse_time_unit(pq_reader *r, int *unit) {
  int16_t saved = pq_struct_begin(r), id;
  int t;
  while (pq_read_field(r, &id, &t)) {
    if (t == PQ_T_STRUCT) *unit = id;
    pq_skip(r, t);
  }
  pq_struct_end(r, saved);
}

static void parse_logical(pq_reader *r, pq_schema_el *e) {
  int16_t saved = pq_struct_begin(r), id;
  int t;
  while (pq_read_field(r, &id, &t)) {
    if (t != PQ_T_STRUCT) {
      pq_skip(r, t);
      continue;
    }
    e->logical = id;
    int16_t s2 = pq_struct_begin(r), fid;
    int ft;
    while (pq_read_field(r, &fid, &ft)) {
      if ((id == PQ_LT_TIME || id == PQ_LT_TIMESTAMP) && fid == 1 &&
          (ft == PQ_T_TRUE || ft == PQ_T_FALSE))
        e->lt_utc = pq_bool_of(ft);
      else if ((id == PQ_LT_TIME || id == PQ_LT_TIMESTAMP) && fid == 2 && ft == PQ_T_STRUCT)
        parse_time_unit(r, &e->lt_unit);
      else if (id == PQ_LT_DECIMAL && fid == 1 && ft == PQ_T_I32)
        e->lt_scale = pq_read_i32(r);
      else if (id == PQ_LT_DECIMAL && fid == 2 && ft == PQ_T_I32)
        e->lt_precision = pq_read_i32(r);
      else if (id == PQ_LT_INTEGER && fid == 1 && ft == PQ_T_BYTE)
        e->lt_bits = pq_read_byte(r);
      else if (id == PQ_LT_INTEGER && fid == 2 && (ft == PQ_T_TRUE || ft == PQ_T_FALSE))
        e->lt_signed = pq_bool_of(ft);
      else
        pq_skip(r, ft);
    }
    pq_struct_end(r, s2);
  }
  pq_struct_end(r, saved);
}

static void parse_schema_el(pq_reader *r, pq_schema_el *e) {
  memset(e, 0, sizeof *e);
  e->name.p = ""; /* a missing name reads as empty */
  e->type = -1;
  e->repetition = -1;
  e->converted = -1;
  int16_t saved = pq_struct_begin(r), id;
  int t;
  while (pq_read_field(r, &id, &t)) {
    if (id == 1 && t == PQ_T_I32)
      e->type = pq_read_i32(r);
    else if (id == 2 && t == PQ_T_I32)
      e->type_length = pq_read_i32(r);
    else if (id == 3 && t == PQ_T_I32)
      e->repetition = pq_read_i32(r);
    else if (id == 4 && t == PQ_T_BINARY)
      e->name = read_str(r);
    else if (id == 5 && t == PQ_T_I32)
      e->num_children = pq_read_i32(r);
    else if (id == 6 && t == PQ_T_I32)
      e->converted = pq_read_i32(r);
    else if (id == 7 && t == PQ_T_I32)
      e->scale = pq_read_i32(r);
    else if (id == 8 && t == PQ_T_I32)
      e->precision = pq_read_i32(r);
    else if (id == 10 && t == PQ_T_STRUCT)
      parse_logical(r, e);
    else
      pq_skip(r, t);
  }
  pq_struct_end(r, saved);
}

static void parse_column_meta(parse_ctx *c, pq_column_meta *m) {
  pq_reader *r = &c->r;
  memset(m, 0, sizeof *m);
  m->dictionary_page_offset = -1;
  m->type = -1;
  m->codec = -1;
  int16_t saved = pq_struct_begin(r), id;
  int t;
  while (pq_read_field(r, &id, &t)) {
    if (id == 1 && t == PQ_T_I32) {
      m->type = pq_read_i32(r);
    } else if (id == 3 && t == PQ_T_LIST) {
      int et;
      int64_t n = pq_read_list(r, &et);
      if (et != PQ_T_BINARY && n) r->bad = 1;
      m->path = ctx_alloc(c, n, sizeof(pq_str));
      m->npath = m->path ? (int)n : 0;
      for (int64_t i = 0; i < m->npath && !r->bad; i++) m->path[i] = read_str(r);
    } else if (id == 4 && t == PQ_T_I32) {
      m->codec = pq_read_i32(r);
    } else if (id == 5 && t == PQ_T_I64) {
      m->num_values = pq_read_i64(r);
    } else if (id == 6 && t == PQ_T_I64) {
      m->total_uncompressed = pq_read_i64(r);
    } else if (id == 7 && t == PQ_T_I64) {
      m->total_compressed = pq_read_i64(r);
    } else if (id == 9 && t == PQ_T_I64) {
      m->data_page_offset = pq_read_i64(r);
    } else if (id == 11 && t == PQ_T_I64) {
      m->dictionary_page_offset = pq_read_i64(r);
    } else if (id == 12 && t == PQ_T_STRUCT) {
      parse_stats(r, &m->stats);
      m->has_stats = 1;
    } else {
      pq_skip(r, t);
    }
  }
  pq_struct_end(r, saved);
}

static void parse_column_chunk(parse_ctx *c, pq_chunk *ch) {
  pq_reader *r = &c->r;
  memset(ch, 0, sizeof *ch);
  int16_t saved = pq_struct_begin(r), id;
  int t;
  while (pq_read_field(r, &id, &t)) {
    if (id == 2 && t == PQ_T_I64) {
      ch->file_offset = pq_read_i64(r);
    } else if (id == 4 && t == PQ_T_I64) {
      ch->oi_offset = pq_read_i64(r);
    } else if (id == 5 && t == PQ_T_I32) {
      ch->oi_length = pq_read_i32(r);
    } else if (id == 6 && t == PQ_T_I64) {
      ch->ci_offset = pq_read_i64(r);
    } else if (id == 7 && t == PQ_T_I32) {
      ch->ci_length = pq_read_i32(r);
    } else if (id == 3 && t == PQ_T_STRUCT) {
      parse_column_meta(c, &ch->meta);
      ch->has_meta = 1;
    } else {
      pq_skip(r, t);
    }
  }
  pq_struct_end(r, saved);
}

static void parse_row_group(parse_ctx *c, pq_row_group *g) {
  pq_reader *r = &c->r;
  memset(g, 0, sizeof *g);
  int16_t saved = pq_struct_begin(r), id;
  int t;
  while (pq_read_field(r, &id, &t)) {
    if (id == 1 && t == PQ_T_LIST) {
      int et;
      int64_t n = pq_read_list(r, &et);
      if (et != PQ_T_STRUCT && n) r->bad = 1;
      g->cols = ctx_alloc(c, n, sizeof(pq_chunk));
      g->ncols = g->cols ? (int)n : 0;
      for (int i = 0; i < g->ncols && !r->bad; i++) parse_column_chunk(c, &g->cols[i]);
    } else if (id == 2 && t == PQ_T_I64) {
      g->total_byte_size = pq_read_i64(r);
    } else if (id == 3 && t == PQ_T_I64) {
      g->num_rows = pq_read_i64(r);
    } else {
      pq_skip(r, t);
    }
  }
  pq_struct_end(r, saved);
}

auk_status pq_meta_parse(const uint8_t *p, size_t n, pq_file_meta *m, auk_error *err) {
  memset(m, 0, sizeof *m);
  parse_ctx c = {.arena = &m->arena, .err = err};
  pq_reader_init(&c.r, p, n);
  pq_reader *r = &c.r;
  int have_schema = 0, have_rgs = 0, have_rows = 0;
  int16_t saved = pq_struct_begin(r), id;
  int t;
  while (pq_read_field(r, &id, &t)) {
    if (id == 1 && t == PQ_T_I32) {
      m->version = pq_read_i32(r);
    } else if (id == 2 && t == PQ_T_LIST) {
      int et;
      int64_t k = pq_read_list(r, &et);
      if (et != PQ_T_STRUCT && k) r->bad = 1;
      m->schema = ctx_alloc(&c, k, sizeof(pq_schema_el));
      m->nschema = m->schema ? (int)k : 0;
      for (int i = 0; i < m->nschema && !r->bad; i++) parse_schema_el(r, &m->schema[i]);
      have_schema = 1;
    } else if (id == 3 && t == PQ_T_I64) {
      m->num_rows = pq_read_i64(r);
      have_rows = 1;
    } else if (id == 4 && t == PQ_T_LIST) {
      int et;
      int64_t k = pq_read_list(r, &et);
      if (et != PQ_T_STRUCT && k) r->bad = 1;
      m->rgs = ctx_alloc(&c, k, sizeof(pq_row_group));
      m->nrgs = m->rgs ? (int)k : 0;
      for (int i = 0; i < m->nrgs && !r->bad; i++) parse_row_group(&c, &m->rgs[i]);
      have_rgs = 1;
    } else if (id == 5 && t == PQ_T_LIST) {
      int et;
      int64_t k = pq_read_list(r, &et);
      if (et != PQ_T_STRUCT && k) r->bad = 1;
      m->kv = ctx_alloc(&c, k, sizeof(pq_kv));
      m->nkv = m->kv ? (int)k : 0;
      for (int i = 0; i < m->nkv && !r->bad; i++) {
        int16_t s2 = pq_struct_begin(r), fid;
        int ft;
        while (pq_read_field(r, &fid, &ft)) {
          if (fid == 1 && ft == PQ_T_BINARY)
            m->kv[i].key = read_str(r);
          else if (fid == 2 && ft == PQ_T_BINARY)
            m->kv[i].value = read_str(r);
          else
            pq_skip(r, ft);
        }
        pq_struct_end(r, s2);
      }
    } else if (id == 6 && t == PQ_T_BINARY) {
      m->created_by = read_str(r);
    } else if (id == 8) {
      m->encrypted = 1;
      pq_skip(r, t);
    } else {
      pq_skip(r, t);
    }
  }
  pq_struct_end(r, saved);
  if (c.oom) {
    pq_meta_free(m);
    return err->code;
  }
  if (r->bad) {
    pq_meta_free(m);
    return auk_error_set(err, AUK_ERR_PARSE,
                         "corrupt metadata: the footer's Thrift data is malformed or cut short");
  }
  if (!have_schema || !have_rgs || !have_rows || m->nschema < 1) {
    pq_meta_free(m);
    return auk_error_set(err, AUK_ERR_PARSE,
                         "corrupt metadata: the footer lacks the schema, row count or row groups");
  }
  return AUK_OK;
}

void pq_meta_free(pq_file_meta *m) {
  pq_arena_free(&m->arena);
  memset(m, 0, sizeof *m);
}

auk_status pq_page_header_parse(const uint8_t *p, size_t n, pq_page_header *h, size_t *used,
                                auk_error *err) {
  memset(h, 0, sizeof *h);
  h->type = -1;
  h->uncompressed_size = h->compressed_size = -1;
  h->is_compressed = 1;
  pq_reader rd, *r = &rd;
  pq_reader_init(r, p, n);
  int16_t saved = pq_struct_begin(r), id;
  int t;
  while (pq_read_field(r, &id, &t)) {
    if (id == 1 && t == PQ_T_I32) {
      h->type = pq_read_i32(r);
    } else if (id == 2 && t == PQ_T_I32) {
      h->uncompressed_size = pq_read_i32(r);
    } else if (id == 3 && t == PQ_T_I32) {
      h->compressed_size = pq_read_i32(r);
    } else if ((id == 5 || id == 7 || id == 8) && t == PQ_T_STRUCT) {
      int16_t s2 = pq_struct_begin(r), fid;
      int ft;
      if (id == 5) h->has_data = 1;
      if (id == 7) h->has_dict = 1;
      if (id == 8) h->has_v2 = 1;
      while (pq_read_field(r, &fid, &ft)) {
        if (fid == 1 && ft == PQ_T_I32) {
          h->num_values = pq_read_i32(r);
        } else if (id != 8 && fid == 2 && ft == PQ_T_I32) {
          h->encoding = pq_read_i32(r);
        } else if (id == 5 && fid == 3 && ft == PQ_T_I32) {
          h->def_encoding = pq_read_i32(r);
        } else if (id == 5 && fid == 4 && ft == PQ_T_I32) {
          h->rep_encoding = pq_read_i32(r);
        } else if (id == 8 && ft == PQ_T_I32 && fid >= 2 && fid <= 6) {
          int32_t v = pq_read_i32(r);
          if (fid == 2) h->num_nulls = v;
          if (fid == 3) h->num_rows = v;
          if (fid == 4) h->encoding = v;
          if (fid == 5) h->def_len = v;
          if (fid == 6) h->rep_len = v;
        } else if (id == 8 && fid == 7 && (ft == PQ_T_TRUE || ft == PQ_T_FALSE)) {
          h->is_compressed = pq_bool_of(ft);
        } else {
          pq_skip(r, ft);
        }
      }
      pq_struct_end(r, s2);
    } else {
      pq_skip(r, t);
    }
  }
  pq_struct_end(r, saved);
  if (r->bad)
    return auk_error_set(err, AUK_ERR_PARSE, "corrupt page header (malformed or cut short)");
  if (h->type < 0 || h->uncompressed_size < 0 || h->compressed_size < 0)
    return auk_error_set(err, AUK_ERR_PARSE,
                         "corrupt page header (missing type or sizes, or negative sizes)");
  *used = (size_t)(r->p - p);
  return AUK_OK;
}

/* ---------------------------------------------------------- serializing */

void pq_write_page_header(pq_writer *w, const pq_page_header *h) {
  pq_write_struct_begin(w, 0);
  pq_write_i32_field(w, 1, h->type);
  pq_write_i32_field(w, 2, h->uncompressed_size);
  pq_write_i32_field(w, 3, h->compressed_size);
  if (h->type == PQ_PAGE_DATA) {
    pq_write_struct_begin(w, 5);
    pq_write_i32_field(w, 1, h->num_values);
    pq_write_i32_field(w, 2, h->encoding);
    pq_write_i32_field(w, 3, h->def_encoding);
    pq_write_i32_field(w, 4, h->rep_encoding);
    pq_write_struct_end(w);
  } else if (h->type == PQ_PAGE_DATA_V2) {
    pq_write_struct_begin(w, 8);
    pq_write_i32_field(w, 1, h->num_values);
    pq_write_i32_field(w, 2, h->num_nulls);
    pq_write_i32_field(w, 3, h->num_rows);
    pq_write_i32_field(w, 4, h->encoding);
    pq_write_i32_field(w, 5, h->def_len);
    pq_write_i32_field(w, 6, h->rep_len);
    pq_write_struct_end(w);
  } else if (h->type == PQ_PAGE_DICTIONARY) {
    pq_write_struct_begin(w, 7);
    pq_write_i32_field(w, 1, h->num_values);
    pq_write_i32_field(w, 2, h->encoding);
    pq_write_struct_end(w);
  }
  pq_write_struct_end(w);
}

void pq_write_stats(pq_writer *w, int16_t id, const pq_stats *s) {
  pq_write_struct_begin(w, id);
  if (s->null_count >= 0) pq_write_i64_field(w, 3, s->null_count);
  if (s->has_max) pq_write_binary_field(w, 5, s->max.p, (size_t)s->max.n);
  if (s->has_min) pq_write_binary_field(w, 6, s->min.p, (size_t)s->min.n);
  pq_write_struct_end(w);
}

static void write_unit(pq_writer *w, int unit) {
  pq_write_struct_begin(w, 2);
  pq_write_struct_begin(w, (int16_t)unit);
  pq_write_struct_end(w);
  pq_write_struct_end(w);
}

static void write_schema_el(pq_writer *w, const pq_schema_el *e) {
  pq_write_struct_begin(w, 0);
  if (e->type >= 0) pq_write_i32_field(w, 1, e->type);
  if (e->type == PQ_FIXED) pq_write_i32_field(w, 2, e->type_length);
  if (e->repetition >= 0) pq_write_i32_field(w, 3, e->repetition);
  pq_write_binary_field(w, 4, e->name.p, (size_t)e->name.n);
  if (e->type < 0) pq_write_i32_field(w, 5, e->num_children);
  if (e->converted >= 0) pq_write_i32_field(w, 6, e->converted);
  if (e->converted == PQ_CT_DECIMAL) {
    pq_write_i32_field(w, 7, e->scale);
    pq_write_i32_field(w, 8, e->precision);
  }
  if (e->logical) {
    pq_write_struct_begin(w, 10);
    pq_write_struct_begin(w, (int16_t)e->logical);
    if (e->logical == PQ_LT_TIMESTAMP || e->logical == PQ_LT_TIME) {
      pq_write_bool_field(w, 1, e->lt_utc);
      write_unit(w, e->lt_unit);
    } else if (e->logical == PQ_LT_INTEGER) {
      pq_write_field(w, 1, PQ_T_BYTE);
      uint8_t b = (uint8_t)e->lt_bits;
      pq_write_bytes(w, &b, 1);
      pq_write_bool_field(w, 2, e->lt_signed);
    } else if (e->logical == PQ_LT_DECIMAL) {
      pq_write_i32_field(w, 1, e->lt_scale);
      pq_write_i32_field(w, 2, e->lt_precision);
    }
    pq_write_struct_end(w);
    pq_write_struct_end(w);
  }
  pq_write_struct_end(w);
}

static void write_chunk(pq_writer *w, const pq_chunk *ch) {
  const pq_column_meta *m = &ch->meta;
  pq_write_struct_begin(w, 0);
  pq_write_i64_field(w, 2, ch->file_offset);
  pq_write_struct_begin(w, 3);
  pq_write_i32_field(w, 1, m->type);
  int dict = m->dictionary_page_offset >= 0;
  pq_write_list_begin(w, 2, PQ_T_I32, dict ? 3 : 2);
  pq_write_zigzag(w, PQ_ENC_PLAIN);
  pq_write_zigzag(w, PQ_ENC_RLE);
  if (dict) pq_write_zigzag(w, PQ_ENC_RLE_DICTIONARY);
  pq_write_list_begin(w, 3, PQ_T_BINARY, m->npath);
  for (int i = 0; i < m->npath; i++) {
    pq_write_varint(w, (uint64_t)m->path[i].n);
    pq_write_bytes(w, m->path[i].p, (size_t)m->path[i].n);
  }
  pq_write_i32_field(w, 4, m->codec);
  pq_write_i64_field(w, 5, m->num_values);
  pq_write_i64_field(w, 6, m->total_uncompressed);
  pq_write_i64_field(w, 7, m->total_compressed);
  pq_write_i64_field(w, 9, m->data_page_offset);
  if (dict) pq_write_i64_field(w, 11, m->dictionary_page_offset);
  if (m->has_stats) pq_write_stats(w, 12, &m->stats);
  pq_write_struct_end(w);
  pq_write_struct_end(w);
}

void pq_write_file_meta(pq_writer *w, const pq_file_meta *m) {
  pq_write_struct_begin(w, 0);
  pq_write_i32_field(w, 1, m->version);
  pq_write_list_begin(w, 2, PQ_T_STRUCT, m->nschema);
  for (int i = 0; i < m->nschema; i++) write_schema_el(w, &m->schema[i]);
  pq_write_i64_field(w, 3, m->num_rows);
  pq_write_list_begin(w, 4, PQ_T_STRUCT, m->nrgs);
  for (int g = 0; g < m->nrgs; g++) {
    const pq_row_group *rg = &m->rgs[g];
    pq_write_struct_begin(w, 0);
    pq_write_list_begin(w, 1, PQ_T_STRUCT, rg->ncols);
    for (int c = 0; c < rg->ncols; c++) write_chunk(w, &rg->cols[c]);
    pq_write_i64_field(w, 2, rg->total_byte_size);
    pq_write_i64_field(w, 3, rg->num_rows);
    pq_write_struct_end(w);
  }
  if (m->nkv) {
    pq_write_list_begin(w, 5, PQ_T_STRUCT, m->nkv);
    for (int i = 0; i < m->nkv; i++) {
      pq_write_struct_begin(w, 0);
      pq_write_binary_field(w, 1, m->kv[i].key.p, (size_t)m->kv[i].key.n);
      pq_write_binary_field(w, 2, m->kv[i].value.p, (size_t)m->kv[i].value.n);
      pq_write_struct_end(w);
    }
  }
  if (m->created_by.n) pq_write_binary_field(w, 6, m->created_by.p, (size_t)m->created_by.n);
  /* column_orders: TYPE_ORDER for every leaf, so min_value/max_value hold */
  int leaves = m->nschema - 1;
  pq_write_list_begin(w, 7, PQ_T_STRUCT, leaves);
  for (int i = 0; i < leaves; i++) {
    pq_write_struct_begin(w, 0);
    pq_write_struct_begin(w, 1);
    pq_write_struct_end(w);
    pq_write_struct_end(w);
  }
  pq_write_struct_end(w);
}
