/* test_output.c - the shell's output modes (cli/output.c) on a small
 * frame with nulls, escapes and every kind of value, compared with the
 * exact text each mode must print. */
#include "../../cli/cli.h"

#include <stdlib.h>
#include <string.h>

static int failures;

static void expect_mode(const auk_frame *f, out_mode mode, const char *want) {
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  auk_error err;
  auk_status st = out_write(f, mode, -1, out, &err);
  fclose(out);
  if (st) {
    printf("FAIL %s: %s\n", out_mode_name(mode), err.message);
    failures++;
  } else if (strcmp(text, want)) {
    printf("FAIL %s:\n--- want\n%s--- got\n%s---\n", out_mode_name(mode), want, text);
    failures++;
  }
  free(text);
}

int main(void) {
  const char csv[] =
      "i,x,s,b\n"
      "1,2.5,plain,true\n"
      ",-0.125,\"say \"\"hi\"\"|\n\tbye\",false\n"
      "3,,,\n";
  auk_frame *f = NULL;
  auk_error err;
  if (auk_read_csv_buffer(csv, sizeof csv - 1, "t.csv", NULL, &f, &err)) {
    printf("FAIL read: %s\n", err.message);
    return 1;
  }
  expect_mode(f, OUT_JSON,
              "[{\"i\":1,\"x\":2.5,\"s\":\"plain\",\"b\":true},\n"
              "{\"i\":null,\"x\":-0.125,\"s\":\"say \\\"hi\\\"|\\n\\tbye\",\"b\":false},\n"
              "{\"i\":3,\"x\":null,\"s\":null,\"b\":null}]\n");
  expect_mode(f, OUT_MARKDOWN,
              "| i | x | s | b |\n"
              "|---:|---:|---|---|\n"
              "| 1 | 2.5 | plain | true |\n"
              "| NULL | -0.125 | say \"hi\"\\|<br>\tbye | false |\n"
              "| 3 | NULL | NULL | NULL |\n");
  expect_mode(f, OUT_LINE,
              "i = 1\nx = 2.5\ns = plain\nb = true\n\n"
              "i = NULL\nx = -0.125\ns = say \"hi\"|\n\tbye\nb = false\n\n"
              "i = 3\nx = NULL\ns = NULL\nb = NULL\n");
  expect_mode(f, OUT_CSV,
              "i,x,s,b\n1,2.5,plain,true\n,-0.125,\"say \"\"hi\"\"|\n\tbye\",false\n3,,,\n");
  auk_frame_free(f);

  /* no rows: JSON is still an array; markdown keeps its header */
  auk_frame *empty = NULL;
  if (auk_read_csv_buffer("a,bb\n", 5, "e.csv", NULL, &empty, &err)) {
    printf("FAIL read: %s\n", err.message);
    return 1;
  }
  expect_mode(empty, OUT_JSON, "[]\n");
  expect_mode(empty, OUT_MARKDOWN, "| a | bb |\n|---|---|\n");
  expect_mode(empty, OUT_LINE, "");
  auk_frame_free(empty);

  /* decimals print their scale's digits; JSON keeps them numbers */
  auk_frame *dec = NULL;
  const char *dn[] = {"d"};
  auk_type_id dt[] = {AUK_DECIMAL(6, 2)};
  auk_csv_read_options o;
  auk_csv_read_options_init(&o);
  o.type_names = dn;
  o.types = dt;
  o.num_types = 1;
  const char *dtext = "d\n1.5\n\n-0.05\n";
  if (auk_read_csv_buffer(dtext, strlen(dtext), "d.csv", &o, &dec, &err)) {
    printf("FAIL read: %s\n", err.message);
    return 1;
  }
  expect_mode(dec, OUT_JSON, "[{\"d\":1.50},\n{\"d\":null},\n{\"d\":-0.05}]\n");
  expect_mode(dec, OUT_MARKDOWN, "| d |\n|---:|\n| 1.50 |\n| NULL |\n| -0.05 |\n");
  expect_mode(dec, OUT_CSV, "d\n1.50\n\n-0.05\n");
  auk_frame_free(dec);

  if (out_mode_parse("markdown") != OUT_MARKDOWN || out_mode_parse("table") != -1) {
    printf("FAIL out_mode_parse\n");
    failures++;
  }
  printf("%s\n", failures ? "FAILED" : "ok");
  return failures != 0;
}
