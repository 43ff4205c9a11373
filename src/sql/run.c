/* run.c - runs one SQL statement: parse it, then plan and collect a query,
 * or change the catalog (CREATE, INSERT, DROP, COPY), or describe it (SHOW
 * TABLES, DESCRIBE, SUMMARIZE, EXPLAIN). A statement that fails changes
 * nothing: tables are replaced only once their new contents are complete,
 * and COPY TO writes through a temporary file. */
#include "core/alloc.h"
#include "core/cancel.h"
#include "core/progress.h"
#include "core/error.h"
#include "core/frame.h"
#include "expr/expr.h"
#include "sql/catalog.h"
#include "sql/lexer.h"
#include "sql/lower.h"
#include "sql/sql.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Views may name views; this bounds the nesting (and catches a view that
 * reaches itself through OR REPLACE). */
static _Thread_local int view_depth;

/* A frame of string columns from cells[row * ncols + col] (NULL: null). */
static auk_status text_frame(int ncols, const char *const *names, int64_t nrows,
                             const char *const *cells, auk_frame **out, auk_error *err) {
  *out = NULL;
  auk_schema *s = auk_schema_new(ncols, err);
  if (!s) return err->code;
  for (int c = 0; c < ncols; c++)
    if (auk_schema_set(s, c, names[c], AUK_TYPE_STRING, err))
      return auk_schema_release(s), err->code;
  auk_frame *f = auk_frame_new(s, err);
  if (!f) return auk_schema_release(s), err->code;
  for (int64_t start = 0; start < nrows; start += AUK_BATCH_ROWS) {
    int64_t n = nrows - start < AUK_BATCH_ROWS ? nrows - start : AUK_BATCH_ROWS;
    auk_batch *b = auk_batch_new(s, n, err);
    if (!b) goto fail;
    for (int c = 0; c < ncols; c++) {
      auk_string_builder sb;
      if (auk_string_builder_init(&sb, n, n * 16, err)) {
        auk_batch_free(b);
        goto fail;
      }
      for (int64_t r = start; r < start + n; r++) {
        const char *v = cells[r * ncols + c];
        if (v ? auk_string_builder_append(&sb, v, (int64_t)strlen(v), err)
              : auk_string_builder_append_null(&sb, err)) {
          auk_string_builder_reset(&sb);
          auk_batch_free(b);
          goto fail;
        }
      }
      if (!(b->cols[c] = auk_string_builder_finish(&sb, err))) {
        auk_batch_free(b);
        goto fail;
      }
    }
    if (auk_frame_append(f, b, err)) goto fail;
  }
  auk_schema_release(s);
  *out = f;
  return AUK_OK;
fail:
  auk_schema_release(s);
  auk_frame_free(f);
  return err->code;
}

static auk_status plan_text(auk_db *db, const char *text, size_t start, arena *a,
                            const ast_query *q, auk_lazy **out, auk_error *err) {
  (void)start;
  planner P = {.db = db, .text = text, .a = a, .err = err};
  return plan_query_named(&P, q, out);
}

auk_status sql_plan_query(auk_db *db, const char *sql, auk_lazy **out, auk_error *err) {
  if (view_depth > 32)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "views nest more than 32 deep (does a view refer to itself?)");
  arena a;
  arena_init(&a, err);
  ast_stmt *s;
  size_t end;
  auk_status st = sql_parse(sql, 0, &a, &s, &end, err);
  if (!st && (!s || s->kind != STMT_QUERY))
    st = auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "expected one query (SELECT, VALUES, WITH)");
  if (!st && sql[end] && strspn(sql + end, " \t\r\n;") != strlen(sql + end))
    st = sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, sql, end,
                      "expected one query, found more text");
  if (!st) {
    view_depth++;
    st = plan_text(db, sql, 0, &a, s->query, out, err);
    view_depth--;
  }
  arena_free(&a);
  return st;
}

static auk_status collect_query(auk_db *db, const char *text, arena *a, const ast_query *q,
                                auk_frame **out, auk_error *err) {
  auk_lazy *lf;
  if (plan_text(db, text, 0, a, q, &lf, err)) return err->code;
  auk_status st = auk_lazy_collect(lf, out, err);
  auk_lazy_free(lf);
  return st;
}

static auk_status not_found(auk_db *db, const char *text, size_t pos, const char *name,
                            auk_error *err) {
  const char *s = catalog_suggest(db, name);
  char hint[300] = "";
  if (s) snprintf(hint, sizeof hint, " (did you mean '%s'?)", s);
  return sql_error_at(err, AUK_ERR_NOT_FOUND, text, pos, "unknown table '%s'%s", name, hint);
}

/* The value of a COPY/SET option as text (identifiers and strings) or a
 * boolean/integer. */
static const char *opt_text(const ast_expr *v) {
  if (!v) return "true";
  if (v->kind == AST_STRING) return v->sval;
  if (v->kind == AST_COLUMN) return v->name;
  if (v->kind == AST_BOOL) return v->ival ? "true" : "false";
  return NULL;
}

static int opt_bool(const ast_expr *v, int *out) {
  if (!v) return *out = 1, 1;
  if (v->kind == AST_BOOL || v->kind == AST_INT) return *out = v->ival != 0, 1;
  const char *t = opt_text(v);
  if (t && (!strcasecmp(t, "true") || !strcasecmp(t, "on"))) return *out = 1, 1;
  if (t && (!strcasecmp(t, "false") || !strcasecmp(t, "off"))) return *out = 0, 1;
  return 0;
}

/* Table `name` (now `table`) with the rows of add shaped by sel[0..n)
 * (taken: the table's columns in order) appended, replacing the table only
 * once the new contents are complete. Takes add. */
static auk_status append_rows(auk_db *db, const char *name, const auk_frame *table, auk_lazy *add,
                              int n, auk_expr **sel, auk_error *err) {
  auk_lazy *old = NULL;
  auk_status st = auk_lazy_select(add, n, sel, err);
  if (!st) st = auk_frame_lazy(table, &old, err);
  if (!st) {
    st = auk_lazy_concat(old, add, err);
    add = NULL;
  }
  auk_frame *f = NULL;
  if (!st) st = auk_lazy_collect(old, &f, err);
  auk_lazy_free(old);
  auk_lazy_free(add);
  if (st) return st;
  return catalog_put(db, name, f, NULL, NULL, err);
}

static auk_status run_copy(auk_db *db, const char *text, arena *a, const ast_stmt *s,
                           auk_error *err) {
  size_t len = strlen(s->path);
  int parquet = len > 8 && !strcasecmp(s->path + len - 8, ".parquet");
  auk_csv_write_options wo;
  auk_csv_write_options_init(&wo);
  auk_csv_read_options ro;
  auk_csv_read_options_init(&ro);
  auk_parquet_write_options po;
  auk_parquet_write_options_init(&po);
  for (int i = 0; i < s->nopts; i++) {
    const char *k = s->opt_names[i];
    const ast_expr *v = s->opt_values[i];
    const char *t = opt_text(v);
    int b;
    if (!strcasecmp(k, "format") && t) {
      if (!strcasecmp(t, "parquet"))
        parquet = 1;
      else if (!strcasecmp(t, "csv"))
        parquet = 0;
      else
        return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, v->pos,
                            "unknown format '%s' (csv or parquet)", t);
    } else if (!strcasecmp(k, "header") && opt_bool(v, &b)) {
      wo.header = b;
      ro.has_header = b;
    } else if ((!strcasecmp(k, "delimiter") || !strcasecmp(k, "delim") || !strcasecmp(k, "sep")) &&
               t && strlen(t) == 1) {
      wo.delimiter = t[0];
      ro.delimiter = t[0];
    } else if (!strcasecmp(k, "compression") && t && parquet) {
      if (!strcasecmp(t, "zstd"))
        po.compression = AUK_PARQUET_ZSTD;
      else if (!strcasecmp(t, "snappy"))
        po.compression = AUK_PARQUET_SNAPPY;
      else if (!strcasecmp(t, "gzip"))
        po.compression = AUK_PARQUET_GZIP;
      else if (!strcasecmp(t, "uncompressed") || !strcasecmp(t, "none"))
        po.compression = AUK_PARQUET_UNCOMPRESSED;
      else
        return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, v->pos,
                            "unknown compression '%s' (zstd, snappy, gzip, uncompressed)", t);
    } else if (!strcasecmp(k, "row_group_size") && v && v->kind == AST_INT && v->ival > 0) {
      po.row_group_rows = v->ival;
    } else {
      return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, s->pos,
                          "unknown or malformed COPY option '%s' (format, header, delimiter, "
                          "compression, row_group_size)",
                          k);
    }
  }
  if (s->to) {
    auk_frame *f;
    if (s->query) {
      if (collect_query(db, text, a, s->query, &f, err)) return err->code;
    } else {
      catalog_entry *e = catalog_find(db, s->name);
      if (!e) return not_found(db, text, s->name_pos, s->name, err);
      auk_lazy *lf;
      if (auk_db_table(db, s->name, &lf, err)) return err->code;
      auk_status st = auk_lazy_collect(lf, &f, err);
      auk_lazy_free(lf);
      if (st) return st;
    }
    auk_status st =
        parquet ? auk_write_parquet(f, s->path, &po, err) : auk_write_csv(f, s->path, &wo, err);
    auk_frame_free(f);
    return st;
  }
  /* COPY t FROM file: the file's columns by position, cast to the table's. */
  catalog_entry *e = catalog_find(db, s->name);
  if (!e) return not_found(db, text, s->name_pos, s->name, err);
  if (!e->frame)
    return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, s->name_pos,
                        "'%s' is a view; COPY FROM needs a table", s->name);
  auk_frame *in;
  auk_status st =
      parquet ? auk_read_parquet(s->path, NULL, &in, err) : auk_read_csv(s->path, &ro, &in, err);
  if (st) return st;
  int n = auk_frame_num_columns(e->frame);
  /* decimal columns of the table read their text exactly (as DuckDB reads
   * with the table's types): read again with those columns as text, then
   * cast, instead of going through a double */
  if (!parquet && auk_frame_num_columns(in) == n) {
    const char **names = arena_alloc(a, sizeof *names * (size_t)(n ? n : 1));
    auk_type_id *types = arena_alloc(a, sizeof *types * (size_t)(n ? n : 1));
    int k = 0;
    for (int c = 0; names && types && c < n; c++)
      if (auk_type_is_decimal(auk_frame_column_type(e->frame, c)) &&
          auk_frame_column_type(in, c) != AUK_TYPE_STRING) {
        names[k] = arena_strdup(a, auk_frame_column_name(in, c));
        types[k++] = AUK_TYPE_STRING;
      }
    if (!names || !types) return auk_frame_free(in), err->code;
    if (k) {
      ro.type_names = names;
      ro.types = types;
      ro.num_types = k;
      auk_frame_free(in);
      if ((st = auk_read_csv(s->path, &ro, &in, err))) return st;
    }
  }
  if (auk_frame_num_columns(in) != n) {
    int m = auk_frame_num_columns(in);
    auk_frame_free(in);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "COPY FROM '%s': the file has %d columns, table '%s' has %d", s->path, m,
                         s->name, n);
  }
  auk_lazy *add = NULL;
  auk_expr **sel = arena_alloc(a, sizeof *sel * (size_t)(n ? n : 1));
  if (!sel) return auk_frame_free(in), err->code;
  for (int c = 0; c < n; c++)
    sel[c] = auk_alias(
        auk_cast(auk_col(auk_frame_column_name(in, c)), auk_frame_column_type(e->frame, c)),
        auk_frame_column_name(e->frame, c));
  st = auk_frame_lazy(in, &add, err);
  auk_frame_free(in);
  if (st) {
    for (int c = 0; c < n; c++) expr_release(sel[c]);
    return st;
  }
  return append_rows(db, s->name, e->frame, add, n, sel, err);
}

static auk_status run_insert(auk_db *db, const char *text, arena *a, const ast_stmt *s,
                             auk_error *err) {
  catalog_entry *e = catalog_find(db, s->name);
  if (!e) return not_found(db, text, s->name_pos, s->name, err);
  if (!e->frame)
    return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, s->name_pos,
                        "cannot insert into view '%s'", s->name);
  auk_frame *t = e->frame;
  int n = auk_frame_num_columns(t);
  auk_lazy *src;
  if (plan_text(db, text, 0, a, s->query, &src, err)) return err->code;
  int m = auk_lazy_num_columns(src);
  int want = s->ncols ? s->ncols : n;
  if (m != want) {
    auk_lazy_free(src);
    return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, s->query_pos,
                        "INSERT into '%s' gives %d values for %d columns", s->name, m, want);
  }
  auk_expr **sel = arena_alloc(a, sizeof *sel * (size_t)(n ? n : 1));
  if (!sel) return auk_lazy_free(src), err->code;
  for (int c = 0; c < n; c++) {
    const char *tn = auk_frame_column_name(t, c);
    int from = s->ncols ? -1 : c;
    for (int k = 0; k < s->ncols; k++)
      if (!strcasecmp(s->col_names[k], tn)) from = k;
    auk_expr *v = from >= 0 ? auk_col(auk_lazy_column_name(src, from)) : auk_lit_null();
    auk_type_id ty = auk_frame_column_type(t, c);
    sel[c] = auk_alias(auk_cast(sql_cast_prepare(src, v, ty, 1), ty), tn);
  }
  for (int k = 0; k < s->ncols; k++)
    if (auk_frame_column_index(t, s->col_names[k]) < 0) {
      int found = 0;
      for (int c = 0; c < n; c++)
        if (!strcasecmp(auk_frame_column_name(t, c), s->col_names[k])) found = 1;
      if (!found) {
        for (int c = 0; c < n; c++) expr_release(sel[c]);
        auk_lazy_free(src);
        return sql_error_at(err, AUK_ERR_NOT_FOUND, text, s->pos, "table '%s' has no column '%s'",
                            s->name, s->col_names[k]);
      }
    }
  return append_rows(db, s->name, t, src, n, sel, err);
}

static auk_status run_create(auk_db *db, const char *text, arena *a, const ast_stmt *s,
                             auk_error *err) {
  catalog_entry *e = catalog_find(db, s->name);
  if (e && s->if_not_exists) return AUK_OK;
  if (e && !s->or_replace)
    return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, s->name_pos,
                        "a %s named '%s' already exists (use CREATE OR REPLACE)",
                        e->frame ? "table" : "view", s->name);
  if (s->kind == STMT_CREATE_VIEW) {
    auk_lazy *lf; /* planned now to report errors now */
    if (plan_text(db, text, 0, a, s->query, &lf, err)) return err->code;
    auk_lazy_free(lf);
    size_t n = s->query_end - s->query_pos;
    char *q = arena_alloc(a, n + 1);
    if (!q) return err->code;
    memcpy(q, text + s->query_pos, n);
    q[n] = 0;
    return catalog_put(db, s->name, NULL, NULL, q, err);
  }
  auk_frame *f;
  if (s->query) {
    if (collect_query(db, text, a, s->query, &f, err)) return err->code;
  } else {
    auk_schema *sc = auk_schema_new(s->ncols, err);
    if (!sc) return err->code;
    for (int c = 0; c < s->ncols; c++) {
      for (int k = 0; k < c; k++)
        if (!strcasecmp(s->col_names[k], s->col_names[c])) {
          auk_schema_release(sc);
          return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, s->pos,
                              "column '%s' is named twice", s->col_names[c]);
        }
      if (auk_schema_set(sc, c, s->col_names[c], s->col_types[c], err))
        return auk_schema_release(sc), err->code;
    }
    f = auk_frame_new(sc, err);
    auk_schema_release(sc);
    if (!f) return err->code;
  }
  return catalog_put(db, s->name, f, NULL, NULL, err);
}

static auk_status run_describe(auk_db *db, const char *text, arena *a, const ast_stmt *s,
                               auk_frame **out, auk_error *err) {
  auk_lazy *lf;
  if (s->query) {
    if (plan_text(db, text, 0, a, s->query, &lf, err)) return err->code;
  } else {
    if (!catalog_find(db, s->name)) return not_found(db, text, s->name_pos, s->name, err);
    if (auk_db_table(db, s->name, &lf, err)) return err->code;
  }
  auk_status st;
  if (s->kind == STMT_SUMMARIZE) {
    auk_frame *f;
    st = auk_lazy_collect(lf, &f, err);
    auk_lazy_free(lf);
    if (st) return st;
    st = auk_frame_describe(f, out, err);
    auk_frame_free(f);
    return st;
  }
  int n = auk_lazy_num_columns(lf);
  const char **cells = arena_alloc(a, sizeof *cells * (size_t)(3 * n + 1));
  if (!cells) return auk_lazy_free(lf), err->code;
  for (int c = 0; c < n; c++) {
    cells[3 * c] = arena_strdup(a, auk_lazy_column_name(lf, c));
    cells[3 * c + 1] = auk_type_name(auk_lazy_column_type(lf, c));
    cells[3 * c + 2] = "YES";
  }
  auk_lazy_free(lf);
  static const char *const names[] = {"column_name", "column_type", "null"};
  return text_frame(3, names, n, cells, out, err);
}

static auk_status run_set(const char *text, const ast_stmt *s, auk_error *err) {
  const ast_expr *v = s->opt_values[0];
  if (!strcasecmp(s->name, "threads") || !strcasecmp(s->name, "worker_threads")) {
    if (v->kind != AST_INT || v->ival < 0 || v->ival > 1024)
      return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, v->pos,
                          "threads must be an integer from 0 (the default) to 1024");
    auk_set_threads((int)v->ival);
    return AUK_OK;
  }
  if (!strcasecmp(s->name, "memory_limit") || !strcasecmp(s->name, "max_memory")) {
    uint64_t bytes;
    const char *t = opt_text(v);
    if (!t || auk_parse_size(t, &bytes, err))
      return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, v->pos,
                          "memory_limit takes a size such as '4GB'");
    auk_set_memory_limit(bytes);
    return AUK_OK;
  }
  return sql_error_at(err, AUK_ERR_NOT_FOUND, text, s->name_pos,
                      "unknown setting '%s' (threads, memory_limit)", s->name);
}

static auk_status run_explain(auk_db *db, const char *text, arena *a, const ast_stmt *s,
                              auk_frame **out, auk_error *err) {
  auk_lazy *lf;
  if (plan_text(db, text, 0, a, s->query, &lf, err)) return err->code;
  char *plan;
  auk_status st = auk_lazy_explain(lf, 1, &plan, err);
  auk_lazy_free(lf);
  if (st) return st;
  int64_t lines = 0;
  for (char *p = plan; *p; p++) lines += *p == '\n';
  const char **cells = arena_alloc(a, sizeof *cells * (size_t)(lines + 1));
  int64_t n = 0;
  if (cells)
    for (char *p = plan, *nl; *p; p = nl + 1) {
      nl = strchr(p, '\n');
      if (!nl) nl = p + strlen(p) - 1;
      size_t len = (size_t)(nl - p) + (nl[0] != '\n');
      char *line = arena_alloc(a, len + 1);
      if (!line) break;
      memcpy(line, p, len);
      line[len] = 0;
      cells[n++] = line;
      if (!nl[0] || !nl[1]) break;
    }
  auk_free(plan);
  if (!cells || a->failed) return err->code;
  static const char *const names[] = {"plan"};
  return text_frame(1, names, n, cells, out, err);
}

/* UPDATE and DELETE: the table's rows again, changed or without the rows
 * WHERE holds for (NULL counts as false), replacing the table once
 * complete. */
static auk_status run_update(auk_db *db, const char *text, arena *a, const ast_stmt *s,
                             auk_error *err) {
  catalog_entry *e = catalog_find(db, s->name);
  if (!e) return not_found(db, text, s->name_pos, s->name, err);
  if (!e->frame)
    return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, s->name_pos, "cannot change view '%s'",
                        s->name);
  planner P = {.db = db, .text = text, .a = a, .err = err};
  ast_ref ref = {.kind = REF_TABLE, .pos = s->name_pos, .name = s->name};
  rel r;
  if (plan_ref(&P, &ref, NULL, &r)) return err->code;
  lower_ctx cx = {&r.sc, NULL, NULL, r.lf, NULL};
  auk_status st = AUK_OK;
  auk_expr *cond = NULL; /* true where the statement applies */
  if (s->where) {
    auk_expr *w;
    if ((st = lower_expr(&P, &cx, s->where, &w)) ||
        (st = sql_check(&P, r.lf, w, CHECK_PREDICATE, s->where->pos)))
      goto done;
    auk_expr *args[2] = {w, auk_lit_bool(0)};
    cond = auk_coalesce(2, args);
  }
  int n = r.sc.n;
  auk_expr **sel = arena_alloc(a, sizeof *sel * (size_t)(n ? n : 1));
  if (!sel) {
    st = err->code;
    goto done;
  }
  for (int k = 0; k < s->nopts && !st; k++) {
    int found = 0;
    for (int c = 0; c < n; c++) found |= !strcasecmp(r.sc.cols[c].name, s->opt_names[k]);
    if (!found)
      st = sql_error_at(err, AUK_ERR_NOT_FOUND, text, s->opt_values[k]->pos,
                        "table '%s' has no column '%s'", s->name, s->opt_names[k]);
  }
  int made = 0;
  for (; made < n && !st; made++) {
    const scope_col *c = &r.sc.cols[made];
    auk_expr *v = auk_col(c->internal);
    for (int k = 0; k < s->nopts && !st; k++) {
      if (strcasecmp(c->name, s->opt_names[k])) continue;
      auk_expr *x;
      if ((st = lower_expr(&P, &cx, s->opt_values[k], &x)) ||
          (st = sql_check(&P, r.lf, x, CHECK_VALUE, s->opt_values[k]->pos))) {
        expr_release(v);
        break;
      }
      x = auk_cast(sql_cast_prepare(r.lf, x, c->type, 1), c->type);
      expr_release(v);
      v = cond ? auk_when(expr_retain(cond), x, auk_col(c->internal)) : x;
    }
    if (st) break;
    sel[made] = auk_alias(v, c->name);
  }
  if (st) {
    for (int k = 0; k < made; k++) expr_release(sel[k]);
    goto done;
  }
  if (s->kind == STMT_DELETE) {
    for (int k = 0; k < n; k++) expr_release(sel[k]);
    for (int k = 0; k < n; k++)
      sel[k] = auk_alias(auk_col(r.sc.cols[k].internal), r.sc.cols[k].name);
    if ((st = auk_lazy_filter(r.lf, cond ? auk_not(expr_retain(cond)) : auk_lit_bool(0), err))) {
      for (int k = 0; k < n; k++) expr_release(sel[k]);
      goto done;
    }
  }
  auk_frame *f = NULL;
  if (!(st = auk_lazy_select(r.lf, n, sel, err)) && !(st = auk_lazy_collect(r.lf, &f, err)))
    st = catalog_put(db, s->name, f, NULL, NULL, err);
done:
  expr_release(cond);
  rel_free(&r);
  return st;
}

static auk_status run_stmt(auk_db *db, const char *text, arena *a, const ast_stmt *s,
                           auk_frame **out, auk_error *err) {
  switch (s->kind) {
    case STMT_QUERY: return collect_query(db, text, a, s->query, out, err);
    case STMT_CREATE_TABLE:
    case STMT_CREATE_VIEW: return run_create(db, text, a, s, err);
    case STMT_INSERT: return run_insert(db, text, a, s, err);
    case STMT_DROP: {
      catalog_entry *e = catalog_find(db, s->name);
      if (!e) return s->if_exists ? AUK_OK : not_found(db, text, s->name_pos, s->name, err);
      if (s->is_view != (e->frame == NULL))
        return sql_error_at(err, AUK_ERR_INVALID_ARGUMENT, text, s->name_pos,
                            "'%s' is a %s; use DROP %s", s->name, e->frame ? "table" : "view",
                            e->frame ? "TABLE" : "VIEW");
      return auk_db_drop(db, s->name, err);
    }
    case STMT_COPY: return run_copy(db, text, a, s, err);
    case STMT_SHOW_TABLES: {
      int n = auk_db_num_tables(db);
      const char **cells = arena_alloc(a, sizeof *cells * (size_t)(n + 1));
      if (!cells) return err->code;
      for (int i = 0; i < n; i++) cells[i] = auk_db_table_name(db, i);
      static const char *const names[] = {"name"};
      return text_frame(1, names, n, cells, out, err);
    }
    case STMT_DESCRIBE:
    case STMT_SUMMARIZE: return run_describe(db, text, a, s, out, err);
    case STMT_EXPLAIN: return run_explain(db, text, a, s, out, err);
    case STMT_SET: return run_set(text, s, err);
    case STMT_UPDATE:
    case STMT_DELETE: return run_update(db, text, a, s, err);
  }
  return auk_error_set(err, AUK_ERR_INTERNAL, "unknown statement kind");
}

auk_status sql_run_next(auk_db *db, const char *text, size_t start, size_t *consumed,
                        auk_frame **out, auk_error *err) {
  auk_frame *local = NULL;
  if (!out) out = &local;
  *out = NULL;
  arena a;
  arena_init(&a, err);
  ast_stmt *s;
  size_t end;
  auk_cancel_reset();
  auk_progress_enter(); /* one progress for all the queries of the statement */
  auk_status st = sql_parse(text, start, &a, &s, &end, err);
  if (!st) {
    *consumed = end - start;
    auk_cancel_hold(1); /* an interrupt anywhere in the statement stops it */
    if (s) st = run_stmt(db, text, &a, s, out, err);
    auk_cancel_hold(-1);
  } else {
    /* Skip past the bad statement so a caller can go on with the next. */
    token_list toks;
    auk_error skip_err;
    *consumed = sql_lex(text, start, &toks, &skip_err) ? strlen(text + start) : toks.end - start;
    if (toks.toks) token_list_free(&toks);
  }
  arena_free(&a);
  auk_progress_leave();
  if (st) {
    auk_frame_free(*out);
    *out = NULL;
  }
  auk_frame_free(local);
  return st;
}
