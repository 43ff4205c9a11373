/* fuzz_parquet.c - libFuzzer target for the Parquet reader. The input is
 * the file; its last byte also picks options (threads, max rows, reading
 * one column by name, writing the frame back). Every frame read is described, printed, written as
 * CSV and written back as Parquet and read again, so those paths see odd frames too. The memory
 * budget is small so claims of huge sizes fail fast. */
#include "auk.h"

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  uint8_t sel = data[size - 1];
  auk_set_memory_limit((uint64_t)256 << 20);
  auk_set_threads((sel & 1) ? 2 : 1);
  auk_parquet_read_options o;
  auk_parquet_read_options_init(&o);
  if (sel & 2) o.max_rows = 3;
  auk_frame *f = NULL;
  auk_error err;
  if (auk_read_parquet_buffer(data, size, "fuzz.parquet", &o, &f, &err) == AUK_OK) {
    auk_frame *d = NULL;
    if (auk_frame_describe(f, &d, &err) == AUK_OK) auk_frame_free(d);
    /* a few bytes of RLE can claim millions of rows: format only small
     * frames, so the fuzzer keeps its pace */
    FILE *null_out = auk_frame_num_rows(f) <= 100000 ? fopen("/dev/null", "w") : NULL;
    if (null_out) {
      auk_print_options po;
      auk_print_options_init(&po);
      auk_frame_print(f, null_out, &po, &err);
      auk_write_csv_stream(f, null_out, NULL, &err);
      fclose(null_out);
    }
    if ((sel & 8) && auk_frame_num_columns(f) > 0) {
      const char *name = auk_frame_column_name(f, auk_frame_num_columns(f) - 1);
      auk_parquet_read_options po = o;
      po.columns = &name;
      po.num_columns = 1;
      auk_frame *g = NULL;
      if (auk_read_parquet_buffer(data, size, "fuzz.parquet", &po, &g, &err) == AUK_OK)
        auk_frame_free(g);
    }
    if ((sel & 4) && auk_frame_num_rows(f) <= 100000) {
      char path[64];
      snprintf(path, sizeof path, "/tmp/auk-fuzz-%d.parquet", (int)getpid());
      if (auk_write_parquet(f, path, NULL, &err) == AUK_OK) {
        auk_frame *g = NULL;
        if (auk_read_parquet(path, NULL, &g, &err) == AUK_OK) auk_frame_free(g);
        unlink(path);
      }
    }
    auk_frame_free(f);
  }
  return 0;
}
