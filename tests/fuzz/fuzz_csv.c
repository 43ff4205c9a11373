/* fuzz_csv.c - libFuzzer target for the CSV reader. The first byte picks
 * options (header, delimiter, quote, ragged mode, encoding, a null marker,
 * max rows, thread count); the rest is the file. Every result is described,
 * printed and written, so those paths see odd frames too. */
#include "auk.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  uint8_t sel = data[0];
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  static const char delims[] = {0, ',', ';', '\t'};
  o.has_header = !(sel & 1);
  o.delimiter = delims[(sel >> 1) & 3];
  o.quote = (sel & 8) ? '\'' : '"';
  o.ragged = (sel & 16) ? AUK_RAGGED_PAD : AUK_RAGGED_ERROR;
  o.encoding = (sel & 32) ? AUK_ENCODING_LATIN1 : AUK_ENCODING_UTF8;
  const char *nulls[] = {"NA"};
  if (sel & 64) {
    o.null_values = nulls;
    o.num_null_values = 1;
  }
  if (sel & 128) o.max_rows = 3;
  auk_set_threads((sel & 4) ? 2 : 1);
  auk_frame *f = NULL;
  auk_error err;
  if (auk_read_csv_buffer(data + 1, size - 1, "fuzz.csv", &o, &f, &err) == AUK_OK) {
    auk_frame *d = NULL;
    if (auk_frame_describe(f, &d, &err) == AUK_OK) auk_frame_free(d);
    FILE *null_out = fopen("/dev/null", "w");
    if (null_out) {
      auk_print_options po;
      auk_print_options_init(&po);
      auk_frame_print(f, null_out, &po, &err);
      auk_write_csv_stream(f, null_out, NULL, &err);
      fclose(null_out);
    }
    auk_frame_free(f);
  }
  return 0;
}
