/* atomic.c - the temporary-file-and-rename writer shared by the CSV and
 * Parquet writers (see atomic.h). */
#include "io/atomic.h"

#include "core/error.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

auk_status auk_write_atomic(const char *path, const char *what, auk_write_body body, void *ctx,
                            int prefix_path, auk_error *err) {
  size_t n = strlen(path);
  char *dir = malloc(n + 1), *base = malloc(n + 1), *tmp = malloc(2 * n + 32);
  auk_status st = AUK_OK;
  if (!dir || !base || !tmp) {
    st = auk_error_set(err, AUK_ERR_OUT_OF_MEMORY, "%s: out of memory", what);
    goto done;
  }
  memcpy(dir, path, n + 1);
  memcpy(base, path, n + 1);
  snprintf(tmp, 2 * n + 32, "%s/.%s.auk-tmp-XXXXXX", dirname(dir), basename(base));
  int fd = mkstemp(tmp);
  if (fd < 0) {
    st =
        auk_error_set(err, AUK_ERR_IO, "%s: cannot create a file there: %s", path, strerror(errno));
    goto done;
  }
  mode_t mask = umask(0); /* mkstemp made it 0600; give it the usual mode */
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  FILE *out = fdopen(fd, "wb");
  if (!out) {
    close(fd);
    unlink(tmp);
    st = auk_error_set(err, AUK_ERR_IO, "%s: %s", path, strerror(errno));
    goto done;
  }
  setvbuf(out, NULL, _IOFBF, 1 << 20);
  st = body(out, ctx, err);
  if (fclose(out) != 0 && !st)
    st = auk_error_set(err, AUK_ERR_IO, "%s: write failed: %s", path, strerror(errno));
  if (!st && rename(tmp, path) != 0)
    st = auk_error_set(err, AUK_ERR_IO, "%s: cannot replace the file: %s", path, strerror(errno));
  if (st) {
    unlink(tmp);
    if (prefix_path) auk_error_prefix(err, "%s: ", path);
  }
done:
  free(dir);
  free(base);
  free(tmp);
  return st;
}
