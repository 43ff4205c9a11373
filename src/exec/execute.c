/* execute.c - lowering and running a plan.
 *
 * A pipeline is a chain of row-wise operators (filter, project) over a
 * source. The chain is bound once against the source's real schema and
 * then run on every batch independently, batches spread over the pool,
 * outputs kept in input order (so a scan then a filter keeps file order).
 * A CSV scan streams: each batch is filtered and projected on the worker
 * that parsed it, right after parsing, so rows a filter drops are never
 * kept. Sort, slice and concat are pipeline breakers: their input is
 * materialized first. */
#include "exec/exec.h"

#include "core/alloc.h"
#include "core/cancel.h"
#include "core/error.h"
#include "core/pool.h"
#include "core/progress.h"
#include "exec/take.h"
#include "core/types.h"
#include "io/csv.h"
#include "io/parquet.h"
#include "io/source.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_OPS = 64 };

typedef struct op {
  const auk_expr *pred; /* filter, or NULL for a projection */
  int nexprs;
  auk_expr *const *exprs;
} op;

typedef struct bound_op {
  bexpr *pred;
  int nexprs;
  bexpr **exprs;
  auk_schema *schema; /* output of this op */
} bound_op;

typedef struct chain {
  int nops;
  op ops[MAX_OPS];
  bound_op b[MAX_OPS];
  auk_schema *out; /* schema after the last op (borrowed from b or input) */
} chain;

static void unbind(chain *c) {
  for (int i = 0; i < c->nops; i++) {
    bound_op *b = &c->b[i];
    bexpr_free(b->pred);
    for (int k = 0; k < b->nexprs; k++) bexpr_free(b->exprs[k]);
    if (b->exprs) auk_mem_free(b->exprs, sizeof(bexpr *) * (size_t)b->nexprs);
    auk_schema_release(b->schema);
    memset(b, 0, sizeof *b);
  }
  c->out = NULL;
}

static auk_status bind(chain *c, auk_schema *in, auk_error *err) {
  unbind(c);
  auk_schema *cur = in;
  for (int i = 0; i < c->nops; i++) {
    const op *o = &c->ops[i];
    bound_op *b = &c->b[i];
    if (o->pred) {
      if (expr_bind(o->pred, cur, &b->pred, NULL, err)) goto fail;
      b->schema = auk_schema_retain(cur);
    } else {
      b->exprs = auk_mem_calloc(sizeof(bexpr *) * (size_t)(o->nexprs ? o->nexprs : 1), err);
      if (!b->exprs) goto fail;
      b->nexprs = o->nexprs;
      if (!(b->schema = auk_schema_new(o->nexprs, err))) goto fail;
      for (int k = 0; k < o->nexprs; k++) {
        auk_field f;
        if (expr_bind(o->exprs[k], cur, &b->exprs[k], &f, err) ||
            auk_schema_set(b->schema, k, f.name, f.type, err))
          goto fail;
        if (f.timezone && !(b->schema->fields[k].timezone = auk_str_dup(f.timezone, err)))
          goto fail;
      }
    }
    cur = b->schema;
  }
  c->out = cur;
  return AUK_OK;
fail:
  unbind(c);
  return err->code;
}

/* Runs the bound chain over one batch (borrowed); *out is NULL when a
 * filter left no rows. */
static auk_status cancelled(auk_error *err) {
  return auk_error_set(err, AUK_ERR_CANCELLED, "query cancelled (interrupted)");
}

static auk_status run(const chain *c, const auk_batch *in, auk_batch **out, auk_error *err) {
  *out = NULL;
  if (auk_cancel_requested()) return cancelled(err);
  auk_batch *cur = NULL; /* owned, once an op made a new batch */
  const auk_batch *src = in;
  for (int i = 0; i < c->nops; i++) {
    const bound_op *b = &c->b[i];
    auk_batch *next = NULL;
    if (b->pred) {
      auk_array *mask;
      if (bexpr_eval(b->pred, src, &mask, err)) goto fail;
      auk_status st = take_filter(src, mask, &next, err);
      auk_array_release(mask);
      if (st) goto fail;
      if (!next) {
        auk_batch_free(cur);
        return AUK_OK;
      }
    } else {
      if (!(next = auk_batch_new(b->schema, src->nrows, err))) goto fail;
      for (int k = 0; k < b->nexprs; k++)
        if (bexpr_eval(b->exprs[k], src, &next->cols[k], err)) {
          auk_batch_free(next);
          goto fail;
        }
    }
    auk_batch_free(cur);
    cur = next;
    src = cur;
  }
  if (!cur && !(cur = auk_batch_slice(in, 0, in->nrows, err))) return err->code;
  *out = cur;
  return AUK_OK;
fail:
  auk_batch_free(cur);
  return err->code;
}

/* ------------------------------------------------- batches in parallel */

typedef struct par_ctx {
  const chain *c;
  auk_batch *const *in;
  auk_batch **out;
  auk_status *st;
  auk_error *errs;
  atomic_int failed;
} par_ctx;

static void par_task(void *ctx, int64_t i, int worker) {
  (void)worker;
  par_ctx *p = ctx;
  if (atomic_load_explicit(&p->failed, memory_order_relaxed)) return;
  p->st[i] = run(p->c, p->in[i], &p->out[i], &p->errs[i]);
  if (p->st[i]) atomic_store(&p->failed, 1);
  auk_progress_scan_add(1); /* counts only inside a frame scan's progress */
}

/* Runs c over batches in[0..n) on the pool, appending outputs in order to
 * f. The first failing batch (in order) gives the error. */
static auk_status run_all(const chain *c, auk_batch *const *in, int64_t n, auk_frame *f,
                          auk_error *err) {
  if (n == 0) return AUK_OK;
  auk_batch **out = auk_mem_calloc(sizeof(auk_batch *) * (size_t)n, err);
  auk_status *st = out ? auk_mem_calloc(sizeof(auk_status) * (size_t)n, err) : NULL;
  auk_error *errs = st ? auk_mem_alloc(sizeof(auk_error) * (size_t)n, err) : NULL;
  auk_status r = AUK_OK;
  if (!errs) {
    r = err->code;
  } else {
    par_ctx p = {c, in, out, st, errs, 0};
    auk_pool_run(n, par_task, &p);
    for (int64_t i = 0; i < n && !r; i++)
      if (st[i]) {
        *err = errs[i];
        r = st[i];
      }
    for (int64_t i = 0; i < n; i++) {
      if (!out[i]) continue;
      if (!r) {
        r = auk_frame_append(f, out[i], err);
      } else {
        auk_batch_free(out[i]);
      }
      out[i] = NULL;
    }
  }
  if (errs) auk_mem_free(errs, sizeof(auk_error) * (size_t)n);
  if (st) auk_mem_free(st, sizeof(auk_status) * (size_t)n);
  if (out) auk_mem_free(out, sizeof(auk_batch *) * (size_t)n);
  return r;
}

/* --------------------------------------------------------- CSV stream */

typedef struct slot {
  auk_batch *b;
  int raw; /* not yet run through the chain */
} slot;

typedef struct chunk_out {
  slot *s;
  int64_t n, cap;
} chunk_out;

typedef struct stream {
  chain *c;
  const auk_schema *expect; /* types the chain was bound for */
  chunk_out *chunks;
  int64_t nchunks;
} stream;

static void stream_reset(void *ctx, int64_t from) {
  stream *x = ctx;
  for (int64_t i = from; i < x->nchunks; i++) {
    chunk_out *c = &x->chunks[i];
    for (int64_t k = 0; k < c->n; k++) auk_batch_free(c->s[k].b);
    if (c->s) auk_mem_free(c->s, sizeof(slot) * (size_t)c->cap);
    memset(c, 0, sizeof *c);
  }
}

static auk_status stream_begin(void *ctx, int64_t nchunks, auk_error *err) {
  stream *x = ctx;
  stream_reset(x, 0);
  if (x->chunks) auk_mem_free(x->chunks, sizeof(chunk_out) * (size_t)x->nchunks);
  x->nchunks = 0;
  x->chunks = auk_mem_calloc(sizeof(chunk_out) * (size_t)(nchunks ? nchunks : 1), err);
  if (!x->chunks) return err->code;
  x->nchunks = nchunks;
  return AUK_OK;
}

static auk_status stream_batch(void *ctx, int64_t chunk, int64_t seq, auk_array *const *cols,
                               int64_t nrows, auk_error *err) {
  stream *x = ctx;
  if (auk_cancel_requested()) return cancelled(err);
  chunk_out *c = &x->chunks[chunk];
  if (seq >= c->cap) {
    int64_t cap = c->cap ? c->cap * 2 : 8;
    while (cap <= seq) cap *= 2;
    slot *s = auk_mem_realloc(c->s, sizeof(slot) * (size_t)c->cap, sizeof(slot) * (size_t)cap, err);
    if (!s) return err->code;
    memset(s + c->cap, 0, sizeof(slot) * (size_t)(cap - c->cap));
    c->s = s;
    c->cap = cap;
  }
  auk_batch *b = auk_batch_new((auk_schema *)x->expect, nrows, err);
  if (!b) return err->code;
  int same = 1;
  for (int k = 0; k < b->ncols; k++) {
    b->cols[k] = auk_array_retain(cols[k]);
    same &= cols[k]->type == x->expect->fields[k].type;
  }
  slot *s = &c->s[seq];
  auk_batch_free(s->b);
  s->b = NULL;
  if (same) {
    auk_status st = run(x->c, b, &s->b, err);
    auk_batch_free(b);
    if (st) return st;
    s->raw = 0;
  } else {
    s->b = b;
    s->raw = 1;
  }
  if (seq + 1 > c->n) c->n = seq + 1;
  return AUK_OK;
}

static auk_status add_notes(auk_frame *f, char *notes, auk_error *err) {
  for (char *line = notes, *nl; *line; line = nl + 1) {
    if (!(nl = strchr(line, '\n'))) break;
    *nl = 0;
    if (auk_frame_add_note(f, line, err)) return err->code;
  }
  return AUK_OK;
}

/* Options for reading the scan's columns. names must hold nproj slots. */
static auk_csv_read_options scan_options(const plan_node *scan, const char **names) {
  auk_csv_read_options o = scan->src->opts;
  if (scan->nproj >= 0) {
    for (int i = 0; i < scan->nproj; i++) names[i] = scan->src->schema->fields[scan->proj[i]].name;
    o.columns = names;
    o.num_columns = scan->nproj;
  }
  return o;
}

static auk_status stream_csv(const plan_node *scan, chain *c, auk_frame **out, auk_error *err) {
  const char *names[4096];
  if (scan->nproj > 4096)
    return auk_error_set(err, AUK_ERR_UNSUPPORTED, "more than 4096 columns in one scan");
  auk_csv_read_options o = scan_options(scan, names);
  if (bind(c, scan->schema, err)) return err->code;
  auk_source src;
  if (auk_source_open(&src, scan->src->path, o.compression, o.encoding, err)) return err->code;
  stream x = {c, scan->schema, NULL, 0};
  auk_csv_sink sink = {&x, stream_begin, stream_batch, stream_reset};
  auk_schema *final = NULL;
  char notes[4096] = "";
  auk_status st = auk_csv_scan_source(&src, &o, &sink, &final, notes, sizeof notes, err);
  auk_source_close(&src);
  auk_frame *f = NULL;
  int64_t nraw = 0;
  for (int64_t i = 0; !st && i < x.nchunks; i++)
    for (int64_t k = 0; k < x.chunks[i].n; k++) nraw += x.chunks[i].s[k].raw;
  /* batches delivered under other types than planned: bind to the real
   * schema (wider; the reader reports the widening) and run them now */
  if (!st && nraw) st = bind(c, final, err);
  if (!st && !(f = auk_frame_new(c->out, err))) st = err->code;
  for (int64_t i = 0; !st && i < x.nchunks; i++) {
    chunk_out *ch = &x.chunks[i];
    for (int64_t k = 0; !st && k < ch->n; k++) {
      slot *s = &ch->s[k];
      if (!s->b) continue;
      if (s->raw) {
        st = run_all(c, &s->b, 1, f, err);
        continue;
      }
      st = auk_frame_append(f, s->b, err);
      s->b = NULL;
    }
  }
  if (!st) st = add_notes(f, notes, err);
  stream_reset(&x, 0);
  if (x.chunks) auk_mem_free(x.chunks, sizeof(chunk_out) * (size_t)x.nchunks);
  auk_schema_release(final);
  if (st) {
    auk_frame_free(f);
    return st;
  }
  *out = f;
  return AUK_OK;
}

/* ----------------------------------------------------------- lowering */

static auk_status exec_node(const plan_node *n, auk_frame **out, auk_error *err);

/* The source frame of a scan: a shared frame, a (limited) CSV read, or a
 * Parquet read (dict_col: a string column it may give dictionary-encoded,
 * or NULL). */
static auk_status scan_frame(const plan_node *scan, const char *dict_col, auk_frame **out,
                             auk_error *err) {
  const scan_source *s = scan->src;
  if (s->is_parquet) {
    const char *names[4096];
    if (scan->nproj > 4096)
      return auk_error_set(err, AUK_ERR_UNSUPPORTED, "more than 4096 columns in one scan");
    int n = 0;
    if (scan->nproj >= 0) {
      for (int i = 0; i < scan->nproj; i++) names[i] = s->schema->fields[scan->proj[i]].name;
      n = scan->nproj;
    }
    return exec_scan_parquet(scan, names, n, dict_col, out, err);
  }
  if (s->is_csv) {
    const char *names[4096];
    if (scan->nproj > 4096)
      return auk_error_set(err, AUK_ERR_UNSUPPORTED, "more than 4096 columns in one scan");
    auk_csv_read_options o = scan_options(scan, names);
    if (scan->limit >= 0 && (o.max_rows < 0 || o.max_rows > scan->limit)) o.max_rows = scan->limit;
    return auk_read_csv(s->path, &o, out, err);
  }
  const auk_frame *src = s->frame;
  if (scan->nproj < 0 && scan->limit < 0) return frame_share(src, out, err);
  auk_frame *f = auk_frame_new(scan->schema, err);
  if (!f) return err->code;
  int64_t left = scan->limit < 0 ? src->nrows : scan->limit;
  for (int64_t i = 0; i < src->nbatches && left > 0; i++) {
    const auk_batch *b = src->batches[i];
    int64_t rows = b->nrows < left ? b->nrows : left;
    auk_batch *nb = auk_batch_new(scan->schema, rows, err);
    if (!nb) goto fail;
    for (int c = 0; c < scan->schema->nfields; c++) {
      auk_array *a = b->cols[scan->nproj < 0 ? c : scan->proj[c]];
      nb->cols[c] = rows == b->nrows ? auk_array_retain(a) : auk_array_slice(a, 0, rows, err);
      if (!nb->cols[c]) {
        auk_batch_free(nb);
        goto fail;
      }
    }
    if (auk_frame_append(f, nb, err)) goto fail;
    left -= rows;
  }
  *out = f;
  return AUK_OK;
fail:
  auk_frame_free(f);
  return err->code;
}

/* ------------------------------------------------------------ progress */

/* A scan's share of the query's progress: a file's size (the readers scale
 * what they parse or decode to it), or for a frame in memory an estimate
 * of its bytes when a filter or projection runs over its batches. A frame
 * scan under a join, sort, window, unique or group-by with keys counts
 * nothing: its batches are cheap next to that operator, which reports no
 * progress, and a bar at 99% for most of the query would mislead; such a
 * query shows no fraction (auk_progress() is -1) unless it reads files. */
static int64_t scan_weight(const plan_node *scan, int chained, int heavy) {
  const scan_source *s = scan->src;
  if (s->is_csv || s->is_parquet) {
    struct stat st;
    return s->path && stat(s->path, &st) == 0 && st.st_size > 0 ? (int64_t)st.st_size : 1;
  }
  if (!chained || heavy || !s->frame) return 0;
  return s->frame->nrows * (int64_t)(scan->schema->nfields ? scan->schema->nfields : 1) * 8 + 1;
}

/* Operators whose own work outweighs reading frames in memory. */
static int is_heavy(const plan_node *n) {
  return n->kind == PLAN_JOIN || n->kind == PLAN_SORT || n->kind == PLAN_WINDOW ||
         n->kind == PLAN_UNIQUE || (n->kind == PLAN_AGGREGATE && n->nexprs > 0);
}

/* exec_node's nesting inside heavy operators (the walk below follows the
 * same rule from the plan's root). */
static _Thread_local int under_heavy;

/* Announces every scan of the plan, before any runs, so that progress
 * counts the whole input from the start (as exec_pipeline will run it:
 * filters and projections right above a scan run over its batches). */
static void plan_progress(const plan_node *n, int heavy) {
  int chained = 0;
  while (n->kind == PLAN_FILTER || n->kind == PLAN_PROJECT) {
    n = n->inputs[0];
    chained = 1;
  }
  if (n->kind == PLAN_SCAN) {
    auk_progress_plan(scan_weight(n, chained || n->pred, heavy));
    return;
  }
  for (int i = 0; i < n->ninputs; i++) plan_progress(n->inputs[i], heavy || is_heavy(n));
}

static auk_status exec_pipeline(const plan_node *top, const char *dict_col, auk_frame **out,
                                auk_error *err) {
  chain c;
  memset(&c, 0, sizeof c);
  const plan_node *chainv[MAX_OPS];
  int k = 0;
  const plan_node *n = top;
  while ((n->kind == PLAN_FILTER || n->kind == PLAN_PROJECT) && k < MAX_OPS - 1) {
    chainv[k++] = n;
    n = n->inputs[0];
  }
  if (n->kind == PLAN_SCAN && n->pred) c.ops[c.nops++] = (op){n->pred, 0, NULL};
  for (int i = k - 1; i >= 0; i--) {
    const plan_node *p = chainv[i];
    c.ops[c.nops++] =
        p->kind == PLAN_FILTER ? (op){p->pred, 0, NULL} : (op){NULL, p->nexprs, p->exprs};
  }
  int file_scan = n->kind == PLAN_SCAN && (n->src->is_csv || n->src->is_parquet);
  if (file_scan) auk_progress_expect(scan_weight(n, 1, 0)); /* the reader's next scan */
  if (n->kind == PLAN_SCAN && n->src->is_csv && n->limit < 0 && n->src->opts.max_rows < 0) {
    auk_status st = stream_csv(n, &c, out, err);
    unbind(&c);
    return st;
  }
  auk_frame *in;
  if (n->kind == PLAN_SCAN ? scan_frame(n, dict_col, &in, err) : exec_node(n, &in, err))
    return err->code;
  if (c.nops == 0) {
    *out = in;
    return AUK_OK;
  }
  auk_frame *f = NULL;
  auk_progress_scan ps = {0};
  if (n->kind == PLAN_SCAN && !file_scan && !under_heavy) { /* a frame's batches, as they run */
    auk_progress_expect(scan_weight(n, 1, 0));
    auk_progress_scan_begin(&ps, in->nbatches, 0);
  }
  auk_status st = bind(&c, in->schema, err);
  if (!st && !(f = auk_frame_new(c.out, err))) st = err->code;
  if (!st) st = run_all(&c, in->batches, in->nbatches, f, err);
  auk_progress_scan_end(&ps);
  if (!st && in->notes && in->notes[0]) st = add_notes(f, in->notes, err);
  unbind(&c);
  auk_frame_free(in);
  if (st) {
    auk_frame_free(f);
    return st;
  }
  *out = f;
  return AUK_OK;
}

static auk_status exec_sort_node(const plan_node *n, auk_frame **out, auk_error *err) {
  auk_frame *in;
  if (exec_node(n->inputs[0], &in, err)) return err->code;
  bexpr *keys[256];
  int k = n->nexprs < 256 ? n->nexprs : 256;
  auk_status st = AUK_OK;
  int bound = 0;
  for (; bound < k && !st; bound++)
    st = expr_bind(n->exprs[bound], in->schema, &keys[bound], NULL, err);
  if (st) bound--;
  if (!st) st = exec_sort(in, keys, n->desc, n->nulls_last, k, n->limit, out, err);
  for (int i = 0; i < bound; i++) bexpr_free(keys[i]);
  if (!st && in->notes && in->notes[0]) st = add_notes(*out, in->notes, err);
  auk_frame_free(in);
  return st;
}

/* group_head (unique keeping the first k of each group) over a sort on one
 * numeric key: only the rows that can be among their group's first k are
 * sorted (exec_group_topk), then the group heads are taken as usual. */
static auk_status exec_group_head_sorted(const plan_node *n, auk_frame **out, auk_error *err) {
  const plan_node *sn = n->inputs[0];
  auk_frame *in, *sub = NULL, *sorted = NULL;
  if (exec_node(sn->inputs[0], &in, err)) return err->code;
  bexpr *key = NULL;
  int cols[256];
  int k = n->nexprs;
  auk_status st = expr_bind(sn->exprs[0], in->schema, &key, NULL, err);
  for (int i = 0; i < k && !st; i++)
    if ((cols[i] = auk_schema_find(in->schema, n->exprs[i]->name)) < 0)
      st =
          auk_error_set(err, AUK_ERR_NOT_FOUND, "unique: column '%s' not found", n->exprs[i]->name);
  if (!st && exec_group_topk_key_ok(key->type))
    st = exec_group_topk(in, key, sn->desc[0], cols, k, n->limit, &sub, err);
  if (!st) st = exec_sort(sub ? sub : in, &key, sn->desc, sn->nulls_last, 1, -1, &sorted, err);
  if (!st && in->notes && in->notes[0]) st = add_notes(sorted, in->notes, err);
  if (!st) st = exec_unique(sorted, cols, k, n->keep, n->limit, out, err);
  if (key) bexpr_free(key);
  auk_frame_free(sorted);
  auk_frame_free(sub);
  auk_frame_free(in);
  return st;
}

/* Whether e reads column `name`. */
static int expr_reads(const auk_expr *e, const char *name) {
  if (e->kind == EXPR_COL) return !strcmp(e->name, name);
  for (int i = 0; i < e->nargs; i++)
    if (expr_reads(e->args[i], name)) return 1;
  return 0;
}

/* The column a group-by may take dictionary-encoded from a Parquet file
 * (only the group-by reads that form): its one key is a string column
 * that projections only rename, down to a Parquet scan without a pushed
 * predicate, and nothing else reads it. NULL when there is none. */
static const char *dict_key_column(const plan_node *n) {
  if (n->nexprs != 1 || expr_unalias(n->exprs[0])->kind != EXPR_COL) return NULL;
  const char *name = expr_unalias(n->exprs[0])->name;
  for (int i = 0; i < n->naggs; i++)
    if (expr_reads(n->aggs[i], name)) return NULL;
  const plan_node *p = n->inputs[0];
  for (; p->kind == PLAN_PROJECT; p = p->inputs[0]) {
    const char *src = NULL;
    for (int i = 0; i < p->nexprs; i++) {
      if (expr_unalias(p->exprs[i])->kind != EXPR_COL) return NULL;
      if (!strcmp(expr_output_name(p->exprs[i]), name)) src = expr_unalias(p->exprs[i])->name;
    }
    int uses = 0;
    for (int i = 0; src && i < p->nexprs; i++)
      uses += !strcmp(expr_unalias(p->exprs[i])->name, src);
    if (uses != 1) return NULL;
    name = src;
  }
  if (p->kind != PLAN_SCAN || !p->src->is_parquet || p->pred) return NULL;
  int c = auk_schema_find(p->schema, name);
  return c >= 0 && p->schema->fields[c].type == AUK_TYPE_STRING ? name : NULL;
}

/* The primitives, then the node's output expressions over them. */
static auk_status exec_aggregate_node(const plan_node *n, auk_frame **out, auk_error *err) {
  auk_frame *in, *inner = NULL;
  const char *dict_col = dict_key_column(n);
  if (dict_col ? exec_pipeline(n->inputs[0], dict_col, &in, err)
               : exec_node(n->inputs[0], &in, err))
    return err->code;
  auk_status st = exec_aggregate(n, in, &inner, err);
  auk_frame_free(in);
  if (st) return st;
  agg_split sp;
  if (agg_split_build(n, &sp, err)) {
    auk_frame_free(inner);
    return err->code;
  }
  int k = n->nexprs, total = k + sp.npost;
  auk_expr **exprs = auk_mem_calloc(sizeof(auk_expr *) * (size_t)(total + 1), err);
  chain c;
  memset(&c, 0, sizeof c);
  auk_frame *f = NULL;
  if (!exprs) {
    st = err->code;
  } else {
    for (int i = 0; i < k; i++) exprs[i] = expr_new_col(inner->schema->fields[i].name);
    for (int i = 0; i < sp.npost; i++) exprs[k + i] = expr_retain(sp.post[i]);
    c.nops = 1;
    c.ops[0] = (op){NULL, total, exprs};
    st = bind(&c, inner->schema, err);
    if (!st && !(f = auk_frame_new(c.out, err))) st = err->code;
    if (!st) st = run_all(&c, inner->batches, inner->nbatches, f, err);
    unbind(&c);
    for (int i = 0; i < total; i++) expr_release(exprs[i]);
    auk_mem_free(exprs, sizeof(auk_expr *) * (size_t)(total + 1));
  }
  agg_split_free(&sp);
  auk_frame_free(inner);
  if (st) {
    auk_frame_free(f);
    return st;
  }
  *out = f;
  return AUK_OK;
}

static auk_status exec_node(const plan_node *n, auk_frame **out, auk_error *err);

/* Frames side by side: each column joined into one array, then cut into
 * batches of the same rows for all (zero-copy slices). */
static auk_status exec_hconcat(const plan_node *n, auk_frame **out, auk_error *err) {
  int nc = n->schema->nfields, w = 0;
  auk_array **cols = auk_mem_calloc(sizeof(auk_array *) * (size_t)(nc + 1), err);
  if (!cols) return err->code;
  auk_status st = AUK_OK;
  int64_t rows = -1;
  for (int i = 0; i < n->ninputs && !st; i++) {
    auk_frame *in;
    if ((st = exec_node(n->inputs[i], &in, err))) break;
    if (rows >= 0 && in->nrows != rows)
      st = auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "concat_horizontal: the frames have %lld and %lld rows", (long long)rows,
                         (long long)in->nrows);
    rows = in->nrows;
    int64_t nb = in->nbatches;
    auk_array **parts = st ? NULL : auk_mem_calloc(sizeof(auk_array *) * (size_t)(nb + 1), err);
    if (!st && !parts) st = err->code;
    for (int c = 0; c < in->schema->nfields && !st && w < nc; c++, w++) {
      for (int64_t b = 0; b < nb; b++) parts[b] = in->batches[b]->cols[c];
      st = nb ? concat_arrays(parts, nb, &cols[w], err)
              : ((cols[w] = auk_array_new_nulls(in->schema->fields[c].type, 0, err)) ? AUK_OK
                                                                                     : err->code);
    }
    if (parts) auk_mem_free(parts, sizeof(auk_array *) * (size_t)(nb + 1));
    auk_frame_free(in);
  }
  auk_frame *f = st ? NULL : auk_frame_new(n->schema, err);
  if (!st && !f) st = err->code;
  for (int64_t s0 = 0; !st && s0 < rows; s0 += AUK_BATCH_ROWS) {
    int64_t len = rows - s0 < AUK_BATCH_ROWS ? rows - s0 : AUK_BATCH_ROWS;
    auk_batch *b = auk_batch_new(n->schema, len, err);
    if (!b) {
      st = err->code;
      break;
    }
    for (int c = 0; c < nc && !st; c++)
      if (!(b->cols[c] = auk_array_slice(cols[c], s0, len, err))) st = err->code;
    if (st)
      auk_batch_free(b);
    else
      st = auk_frame_append(f, b, err);
  }
  for (int c = 0; c < nc; c++) auk_array_release(cols[c]);
  auk_mem_free(cols, sizeof(auk_array *) * (size_t)(nc + 1));
  if (st) {
    auk_frame_free(f);
    return st;
  }
  *out = f;
  return AUK_OK;
}

/* The scan under a chain of filters and projections, or NULL. */
static const plan_node *scan_below(const plan_node *n) {
  while (n->kind == PLAN_FILTER || n->kind == PLAN_PROJECT) n = n->inputs[0];
  return n->kind == PLAN_SCAN ? n : NULL;
}

/* A min/max filter from the build side: for an inner, semi or right join on
 * one integer key whose left input is a file scan, runs the left side with
 * `key BETWEEN min AND max` of the right side's keys pushed into the scan
 * (a Parquet scan skips row groups outside the range, a CSV scan drops the
 * rows as it parses them). *l stays NULL when it does not apply. */
static auk_status exec_join_left_bounded(const plan_node *n, const auk_frame *r, auk_frame **l,
                                         auk_error *err) {
  *l = NULL;
  int how = n->keep;
  if ((how != AUK_JOIN_INNER && how != AUK_JOIN_SEMI && how != AUK_JOIN_RIGHT) || n->nexprs != 1 ||
      n->nulls_equal || n->exprs[0]->kind != EXPR_COL || n->aggs[0]->kind != EXPR_COL)
    return AUK_OK;
  const plan_node *scan = scan_below(n->inputs[0]);
  if (!scan || !(scan->src->is_parquet || scan->src->is_csv)) return AUK_OK;
  int rc = auk_schema_find(r->schema, n->aggs[0]->name);
  int lc = auk_schema_find(n->inputs[0]->schema, n->exprs[0]->name);
  if (rc < 0 || lc < 0 || !auk_type_is_integer(r->schema->fields[rc].type) ||
      !auk_type_is_integer(n->inputs[0]->schema->fields[lc].type) ||
      r->schema->fields[rc].type == AUK_TYPE_UINT64)
    return AUK_OK;
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (int64_t b = 0; b < r->nbatches; b++) auk_array_int_range(r->batches[b]->cols[rc], &lo, &hi);
  if (lo > hi) return AUK_OK; /* no key: the join itself finds nothing quickly */
  plan_node *copy, *f;
  if (plan_copy(n->inputs[0], &copy, err)) return err->code;
  auk_expr *key = auk_col(n->exprs[0]->name);
  auk_expr *pred = auk_and(auk_ge(expr_retain(key), auk_lit_int(lo)), auk_le(key, auk_lit_int(hi)));
  if (plan_filter(copy, pred, &f, err)) return err->code;
  auk_status st = opt_push_predicates(&f, err);
  if (!st) st = exec_node(f, l, err);
  plan_release(f);
  return st;
}

static auk_status exec_kind(const plan_node *n, auk_frame **out, auk_error *err);

static auk_status exec_node(const plan_node *n, auk_frame **out, auk_error *err) {
  int heavy = is_heavy(n);
  under_heavy += heavy;
  auk_status st = exec_kind(n, out, err);
  under_heavy -= heavy;
  return st;
}

static auk_status exec_kind(const plan_node *n, auk_frame **out, auk_error *err) {
  *out = NULL;
  if (auk_cancel_requested()) return cancelled(err);
  switch (n->kind) {
    case PLAN_SCAN:
    case PLAN_FILTER:
    case PLAN_PROJECT: return exec_pipeline(n, NULL, out, err);
    case PLAN_SORT: return exec_sort_node(n, out, err);
    case PLAN_SLICE: {
      auk_frame *in;
      if (exec_node(n->inputs[0], &in, err)) return err->code;
      int64_t off = n->offset < 0 ? in->nrows + n->offset : n->offset;
      if (off < 0) off = 0;
      auk_status st = auk_frame_slice(in, off, n->length, out, err);
      auk_frame_free(in);
      return st;
    }
    case PLAN_AGGREGATE: return exec_aggregate_node(n, out, err);
    case PLAN_HCONCAT: return exec_hconcat(n, out, err);
    case PLAN_JOIN: {
      auk_frame *l = NULL, *r;
      if (exec_node(n->inputs[1], &r, err)) return err->code;
      /* the right side's key range narrows a left scan (row groups skipped,
       * rows dropped as they are parsed) when the join drops unmatched
       * left rows anyway */
      auk_status st = exec_join_left_bounded(n, r, &l, err);
      if (!st && !l) st = exec_node(n->inputs[0], &l, err);
      if (st) {
        auk_frame_free(r);
        return st;
      }
      st = exec_join(n, l, r, out, err);
      auk_frame_free(l);
      auk_frame_free(r);
      return st;
    }
    case PLAN_WINDOW: {
      auk_frame *in;
      if (exec_node(n->inputs[0], &in, err)) return err->code;
      auk_status st = exec_window(n, in, out, err);
      auk_frame_free(in);
      return st;
    }
    case PLAN_UNIQUE: {
      const plan_node *sn = n->inputs[0];
      if (n->keep == AUK_KEEP_FIRST && n->limit >= 1 && n->limit <= 64 && n->nexprs >= 1 &&
          n->nexprs <= 256 && sn->kind == PLAN_SORT && sn->nexprs == 1 && sn->limit < 0)
        return exec_group_head_sorted(n, out, err);
      auk_frame *in;
      if (exec_node(n->inputs[0], &in, err)) return err->code;
      int cols[4096];
      int k = n->nexprs < 4096 ? n->nexprs : 4096;
      auk_status st = AUK_OK;
      for (int i = 0; i < k && !st; i++)
        if ((cols[i] = auk_schema_find(in->schema, n->exprs[i]->name)) < 0)
          st = auk_error_set(err, AUK_ERR_NOT_FOUND, "unique: column '%s' not found",
                             n->exprs[i]->name);
      if (!st) st = exec_unique(in, cols, k, n->keep, n->limit, out, err);
      auk_frame_free(in);
      return st;
    }
    case PLAN_CONCAT: {
      auk_frame *f = NULL;
      for (int i = 0; i < n->ninputs; i++) {
        auk_frame *in;
        if (exec_node(n->inputs[i], &in, err)) {
          auk_frame_free(f);
          return err->code;
        }
        if (!f) {
          f = in;
          continue;
        }
        for (int64_t b = 0; b < in->nbatches; b++) {
          auk_batch *s = auk_batch_slice(in->batches[b], 0, in->batches[b]->nrows, err);
          if (!s || auk_frame_append(f, s, err)) {
            auk_frame_free(in);
            auk_frame_free(f);
            return err->code;
          }
        }
        auk_frame_free(in);
      }
      *out = f;
      return AUK_OK;
    }
  }
  return auk_error_set(err, AUK_ERR_INTERNAL, "unknown plan node %d", (int)n->kind);
}

auk_status exec_plan(const plan_node *root, auk_frame **out, auk_error *err) {
  auk_progress_enter();
  plan_progress(root, 0);
  auk_status st = exec_node(root, out, err);
  auk_progress_leave();
  return st;
}
