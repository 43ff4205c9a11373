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
