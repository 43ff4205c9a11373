#!/usr/bin/env bash
# Builds the benchmark data generator into bench/bin/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p bin
if [ ! -x bin/gen_groupby ] || [ gen_groupby.c -nt bin/gen_groupby ]; then
  ${CC:-cc} -O2 -std=c11 -Wall -Wextra -pthread -o bin/gen_groupby gen_groupby.c -lm
fi
