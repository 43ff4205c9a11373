/* parquet_write.c - writing frames as Parquet (stub until the writer lands). */
#include "core/error.h"
#include "io/parquet.h"

auk_status pq_write_frame(const auk_frame *frame, const char *path,
                          const auk_parquet_write_options *opts, auk_error *err) {
  (void)frame;
  (void)opts;
  return auk_error_set(err, AUK_ERR_UNSUPPORTED, "%s: writing Parquet is not implemented yet", path);
}
