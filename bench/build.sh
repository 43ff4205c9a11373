#!/usr/bin/env bash
# Builds the benchmark programs into bench/bin/ (git-ignored) when a source
# is newer: the data generator, and auk's query-, groupby-, Parquet- and join-benchmark drivers when the
# library has been built (`make` at the repo root gives build/libauk.a;
# AUK_LIB names another one).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p bin
if [ ! -x bin/gen_groupby ] || [ gen_groupby.c -nt bin/gen_groupby ]; then
  ${CC:-cc} -O2 -std=c11 -Wall -Wextra -pthread -o bin/gen_groupby gen_groupby.c -lm
fi
if [ ! -x bin/gen_join ] || [ gen_join.c -nt bin/gen_join ]; then
  ${CC:-cc} -O2 -std=c11 -Wall -Wextra -o bin/gen_join gen_join.c
fi
lib=${AUK_LIB:-../build/libauk.a}
if [ -f "$lib" ]; then
  if [ ! -x bin/auk_query ] || [ auk_query.c -nt bin/auk_query ] || [ "$lib" -nt bin/auk_query ] ||
     [ ../include/auk.h -nt bin/auk_query ]; then
    ${CC:-cc} -O2 -std=c11 -Wall -Wextra -I../include -o bin/auk_query auk_query.c "$lib" \
      -lz -lpcre2-8 -lsnappy -lzstd -llz4 -lbrotlidec -lbrotlienc -lm -lpthread
  fi
  if [ ! -x bin/auk_groupby ] || [ auk_groupby.c -nt bin/auk_groupby ] ||
     [ "$lib" -nt bin/auk_groupby ] || [ ../include/auk.h -nt bin/auk_groupby ]; then
    ${CC:-cc} -O2 -std=c11 -Wall -Wextra -I../include -o bin/auk_groupby auk_groupby.c "$lib" \
      -lz -lpcre2-8 -lsnappy -lzstd -llz4 -lbrotlidec -lbrotlienc -lm -lpthread
  fi
  if [ ! -x bin/auk_parquet ] || [ auk_parquet.c -nt bin/auk_parquet ] ||
     [ "$lib" -nt bin/auk_parquet ] || [ ../include/auk.h -nt bin/auk_parquet ]; then
    ${CC:-cc} -O2 -std=c11 -Wall -Wextra -I../include -o bin/auk_parquet auk_parquet.c "$lib" \
      -lz -lpcre2-8 -lsnappy -lzstd -llz4 -lbrotlidec -lbrotlienc -lm -lpthread
  fi
  if [ ! -x bin/auk_join ] || [ auk_join.c -nt bin/auk_join ] ||
     [ "$lib" -nt bin/auk_join ] || [ ../include/auk.h -nt bin/auk_join ]; then
    ${CC:-cc} -O2 -std=c11 -Wall -Wextra -I../include -o bin/auk_join auk_join.c "$lib" \
      -lz -lpcre2-8 -lsnappy -lzstd -llz4 -lbrotlidec -lbrotlienc -lm -lpthread
  fi
else
  echo "build.sh: no $lib (run make at the repo root), so no bench/bin/auk_query, auk_groupby, auk_parquet" >&2
fi
