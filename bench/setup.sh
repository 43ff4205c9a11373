#!/usr/bin/env bash
# Installs what the benchmarks need (idempotent): pandas from Debian, the
# npm peers (Polars, DuckDB), and builds the data generator.
set -euo pipefail
cd "$(dirname "$0")"
if ! /usr/bin/python3 -c "import pandas" 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-pandas nodejs npm
fi
[ -d node_modules/nodejs-polars-linux-x64-gnu ] && [ -d node_modules/@duckdb/node-api ] ||
  npm install --no-audit --no-fund
mkdir -p bin data
[ bin/gen_groupby -nt gen_groupby.c ] || cc -O2 -o bin/gen_groupby gen_groupby.c
