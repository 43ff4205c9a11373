/* arrow_api.c - the public Arrow C Data and Stream Interface entry points:
 * argument checks, the ownership moves the header promises, and the
 * stream producer and consumer over io/arrow_c. */
#include "core/alloc.h"
#include "core/error.h"
#include "core/frame.h"
#include "io/arrow_c.h"

#include <errno.h>
#include <string.h>

#define LOCAL_ERR(err)  \
  auk_error local_err_; \
  if (!(err)) (err) = &local_err_;

int64_t auk_frame_num_batches(const auk_frame *f) {
  return f ? f->nbatches : 0;
}

auk_status auk_frame_export_schema(const auk_frame *f, struct ArrowSchema *out, auk_error *err) {
  LOCAL_ERR(err);
  if (!f || !out)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "export_schema: NULL argument");
  return auk_arrow_export_schema(f->schema, out, err);
}

auk_status auk_frame_export_batch(const auk_frame *f, int64_t i, struct ArrowArray *out,
                                  auk_error *err) {
  LOCAL_ERR(err);
  if (!f || !out)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "export_batch: NULL argument");
  if (i < 0 || i >= f->nbatches) {
    memset(out, 0, sizeof *out);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                         "export_batch: batch %lld out of range (%lld batches)", (long long)i,
                         (long long)f->nbatches);
  }
  return auk_arrow_export_batch(f->batches[i], out, err);
}

/* ------------------------------------------------------ stream producer */

/* The stream's own frame shares the source frame's arrays (retained), so it
 * outlives the source without copying data. */
typedef struct {
  auk_frame *frame;
  int64_t next;
  int has_error;
  auk_error error;
} stream_priv;

static int errno_of(auk_status st) {
  switch (st) {
    case AUK_OK: return 0;
    case AUK_ERR_OUT_OF_MEMORY: return ENOMEM;
    case AUK_ERR_INVALID_ARGUMENT: return EINVAL;
    case AUK_ERR_UNSUPPORTED: return ENOSYS;
    default: return EIO;
  }
}

static int stream_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
  stream_priv *p = s->private_data;
  auk_status st = auk_arrow_export_schema(p->frame->schema, out, &p->error);
  p->has_error = st != AUK_OK;
  return errno_of(st);
}

static int stream_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
  stream_priv *p = s->private_data;
  if (p->next >= p->frame->nbatches) {
    memset(out, 0, sizeof *out); /* a released array marks the end */
    return 0;
  }
  auk_status st = auk_arrow_export_batch(p->frame->batches[p->next], out, &p->error);
  p->has_error = st != AUK_OK;
  if (!st) p->next++;
  return errno_of(st);
}

static const char *stream_last_error(struct ArrowArrayStream *s) {
  stream_priv *p = s->private_data;
  return p->has_error ? p->error.message : NULL;
}

static void stream_release(struct ArrowArrayStream *s) {
  stream_priv *p = s->private_data;
  auk_frame_free(p->frame);
  auk_mem_free(p, sizeof *p);
  s->release = NULL;
}

auk_status auk_frame_export_stream(const auk_frame *f, struct ArrowArrayStream *out,
                                   auk_error *err) {
  LOCAL_ERR(err);
  if (!f || !out)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "export_stream: NULL argument");
  memset(out, 0, sizeof *out);
  stream_priv *p = auk_mem_calloc(sizeof *p, err);
  if (!p) return err->code;
  p->frame = auk_frame_new(f->schema, err);
  if (!p->frame) goto fail;
  for (int64_t i = 0; i < f->nbatches; i++) {
    const auk_batch *src = f->batches[i];
    auk_batch *b = auk_batch_new(src->schema, src->nrows, err);
    if (!b) goto fail;
    for (int c = 0; c < b->ncols; c++) b->cols[c] = auk_array_retain(src->cols[c]);
    if (auk_frame_append(p->frame, b, err)) goto fail;
  }
  out->get_schema = stream_get_schema;
  out->get_next = stream_get_next;
  out->get_last_error = stream_last_error;
  out->release = stream_release;
  out->private_data = p;
  return AUK_OK;
fail:
  auk_frame_free(p->frame);
  auk_mem_free(p, sizeof *p);
  return err->code;
}

/* ------------------------------------------------------------- import */

auk_status auk_frame_import(struct ArrowSchema *schema, struct ArrowArray *array, auk_frame **out,
                            auk_error *err) {
  LOCAL_ERR(err);
  if (out) *out = NULL;
  if (!schema || !array || !out) {
    /* Ownership was promised: release what we were given. */
    if (schema && schema->release) schema->release(schema);
    if (array && array->release) array->release(array);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "import: NULL argument");
  }
  struct ArrowSchema s = *schema;
  schema->release = NULL; /* moved */
  auk_arrow_import *imp = NULL;
  auk_status st = s.release ? auk_arrow_import_new(&s, &imp, err)
                            : auk_error_set(err, AUK_ERR_INVALID_ARGUMENT,
                                            "Arrow import: the schema is released");
  if (s.release) s.release(&s);
  if (st) {
    if (array->release) array->release(array);
    return st;
  }
  auk_frame *f = auk_frame_new(auk_arrow_import_schema(imp), err);
  if (!f) {
    if (array->release) array->release(array);
    auk_arrow_import_free(imp);
    return err->code;
  }
  st = auk_arrow_import_array(imp, array, f, err);
  auk_arrow_import_free(imp);
  if (st) {
    auk_frame_free(f);
    return st;
  }
  *out = f;
  return AUK_OK;
}

/* Fills err after a failed stream callback, with the producer's message. */
static auk_status stream_error(struct ArrowArrayStream *s, const char *call, int rc,
                               auk_error *err) {
  const char *msg = s->get_last_error ? s->get_last_error(s) : NULL;
  return auk_error_set(err, rc == ENOMEM ? AUK_ERR_OUT_OF_MEMORY : AUK_ERR_IO,
                       "Arrow stream: %s failed (%s)%s%s", call, strerror(rc), msg ? ": " : "",
                       msg ? msg : "");
}

auk_status auk_frame_import_stream(struct ArrowArrayStream *stream, auk_frame **out,
                                   auk_error *err) {
  LOCAL_ERR(err);
  if (out) *out = NULL;
  if (!stream || !out) {
    if (stream && stream->release) stream->release(stream);
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "import_stream: NULL argument");
  }
  if (!stream->release)
    return auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "Arrow stream: the stream is released");
  struct ArrowArrayStream s = *stream;
  stream->release = NULL; /* moved */
  auk_arrow_import *imp = NULL;
  auk_frame *f = NULL;
  auk_status st = AUK_OK;
  if (!s.get_schema || !s.get_next) {
    st = auk_error_set(err, AUK_ERR_INVALID_ARGUMENT, "Arrow stream: missing callbacks");
    goto done;
  }
  struct ArrowSchema schema;
  memset(&schema, 0, sizeof schema);
  int rc = s.get_schema(&s, &schema);
  if (rc) {
    st = stream_error(&s, "get_schema", rc, err);
    goto done;
  }
  st = auk_arrow_import_new(&schema, &imp, err);
  if (schema.release) schema.release(&schema);
  if (st) goto done;
  if (!(f = auk_frame_new(auk_arrow_import_schema(imp), err))) {
    st = err->code;
    goto done;
  }
  for (;;) {
    struct ArrowArray a;
    memset(&a, 0, sizeof a);
    rc = s.get_next(&s, &a);
    if (rc) {
      if (a.release) a.release(&a);
      st = stream_error(&s, "get_next", rc, err);
      break;
    }
    if (!a.release) break; /* end of stream */
    if ((st = auk_arrow_import_array(imp, &a, f, err))) break;
  }
done:
  s.release(&s);
  auk_arrow_import_free(imp);
  if (st) {
    auk_frame_free(f);
    return st;
  }
  *out = f;
  return AUK_OK;
}
