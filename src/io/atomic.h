/* atomic.h - writing a file so that a reader sees the old file or the
 * whole new one, never a part: the bytes go to a temporary file in the
 * target's directory, which is renamed over the target only when every
 * write (and the close) succeeded; on failure it is removed. */
#ifndef AUK_IO_ATOMIC_H
#define AUK_IO_ATOMIC_H
#include "auk.h"

#include <stdio.h>

/* body writes the content to out (buffered, 1 MiB). `what` names the
 * caller in messages ("write_csv"); with prefix_path the path is put in
 * front of the body's own error messages. */
typedef auk_status (*auk_write_body)(FILE *out, void *ctx, auk_error *err);
auk_status auk_write_atomic(const char *path, const char *what, auk_write_body body, void *ctx,
                            int prefix_path, auk_error *err);
#endif
