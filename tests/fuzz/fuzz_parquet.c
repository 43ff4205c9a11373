/* fuzz_parquet.c - libFuzzer target for the Parquet reader. The input is
 * the file; its last byte also picks options (threads, max rows, reading
 * one column by name, writing the frame back, and the internal reader's
 * page index, kept row ranges and dictionary-encoded strings). Every frame read is described,
 * printed, written as CSV and written back as Parquet and read again, so those paths see odd frames
 * too. The memory budget is small so claims of huge sizes fail fast. */
#include "auk.h"
#include "io/parquet.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every page index and its bounds, then a read keeping every other page of
 * the first column's index and string columns dictionary-encoded. */
static void internal_reads(const uint8_t *data, size_t size) {
  pq_file f;
  auk_error err;
  if (pq_file_open_memory(&f, data, size, "fuzz.parquet", &err)) return;
  pq_arena a = {0};
  pq_keep *keep = calloc((size_t)f.meta.nrgs + 1, sizeof *keep);
  uint8_t dict[64];
  memset(dict, 1, sizeof dict);
  for (int g = 0; keep && g < f.meta.nrgs; g++) {
    keep[g].n = -1;
    for (int c = 0; c < f.ncols; c++) {
      pq_page_index ix;
      if (pq_page_index_load(&f, c, g, &ix, &a, &err)) break;
      for (int p = 0; p < ix.npages; p++) {
        int64_t lo, hi, ln, hn;
        double dl, dh;
        const char *sl, *sh;
        pq_page_int_bounds(&f, c, &ix, p, &lo, &hi);
        pq_page_float_bounds(&f, c, &ix, p, &dl, &dh);
        pq_page_str_bounds(&f, c, &ix, p, &sl, &ln, &sh, &hn);
      }
      if (c == 0 && ix.npages > 0) {
        int64_t *r = pq_arena_alloc(&a, sizeof(int64_t) * 2 * (size_t)ix.npages, &err);
        int n = 0;
        for (int p = 0; r && p < ix.npages; p += 2) {
          r[2 * n] = ix.first_row[p];
          r[2 * n + 1] = ix.first_row[p + 1];
          n++;
        }
        keep[g].n = r ? n : -1;
        keep[g].r = r;
      }
    }
  }
  pq_read_opts o = {-1, NULL, keep, f.ncols <= 64 ? dict : NULL};
  auk_frame *out = NULL;
  if (keep && pq_file_read(&f, NULL, 0, &o, &out, &err) == AUK_OK) auk_frame_free(out);
  free(keep);
  pq_arena_free(&a);
  pq_file_close(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  uint8_t sel = data[size - 1];
  auk_set_memory_limit((uint64_t)256 << 20);
  auk_set_threads((sel & 1) ? 2 : 1);
  auk_parquet_read_options o;
  auk_parquet_read_options_init(&o);
  if (sel & 2) o.max_rows = 3;
  if (sel & 16) internal_reads(data, size);
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
