#!/usr/bin/env bash
# auk's main job on the data the project ships: the Chicago crimes of 2022
# (examples/data/crimes-2022-slim.csv.gz, 215,551 rows).
set -euo pipefail
BUILD=${1:-build}
AUK="$BUILD/auk"
DATA=examples/data/crimes-2022-slim.csv.gz
run() {
  echo
  echo "\$ auk $*"
  "$AUK" "$@"
}
run count "$DATA"
run schema "$DATA"
run head -n 5 "$DATA"
run describe "$DATA"
OUT="$BUILD/crimes-2022.csv"
run convert "$DATA" "$OUT"
run count "$OUT"

# The query engine through the C API (examples/crimes_workflow.c): thefts
# with an arrest, hour of day derived from Date, sorted, written as CSV.
echo
echo "\$ $BUILD/examples/crimes_workflow $DATA $BUILD/thefts-with-arrest.csv"
"$BUILD/examples/crimes_workflow" "$DATA" "$BUILD/thefts-with-arrest.csv"

# The same data through SQL in the auk shell: a group-by with HAVING, a
# window rank, and a Parquet file written with COPY and read back.
PQ="$BUILD/arrests.parquet"
echo
echo "\$ auk -c \"...\"   (SQL)"
"$AUK" -c "CREATE TABLE crimes AS SELECT * FROM '$DATA'" \
  -c "SELECT \"Primary Type\" AS type, count(*) AS n, round(100.0 * avg(Arrest::INT), 1) AS arrest_pct,
             rank() OVER (ORDER BY count(*) DESC) AS rank
      FROM crimes GROUP BY 1 HAVING count(*) > 5000 ORDER BY n DESC LIMIT 8" \
  -c "COPY (SELECT * FROM crimes WHERE Arrest) TO '$PQ' (FORMAT parquet, COMPRESSION zstd)" \
  -c "SELECT count(*) AS arrests, min(Date) AS first, max(Date) AS last FROM '$PQ'"
