#!/usr/bin/env bash
# Installs the npm peers (DuckDB and Polars, pinned in bench/package.json)
# that some tests use to read files auk writes; those tests skip when this
# cannot be done (no npm, no registry). Idempotent and quick once installed.
set -u
cd "$(dirname "$0")/../bench"
if [ -d node_modules/@duckdb/node-api ] && [ -d node_modules/nodejs-polars ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-test-peers: npm not found; tests that need DuckDB/Polars will skip" >&2
  exit 0
fi
echo "install-test-peers: npm install in bench/ (DuckDB, Polars)" >&2
npm install --no-audit --no-fund --loglevel=error >/dev/null 2>&1 ||
  echo "install-test-peers: npm install failed; tests that need DuckDB/Polars will skip" >&2
exit 0
