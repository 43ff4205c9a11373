#!/usr/bin/env bash
# The auk command tested through its real binary: subcommands, options,
# malformed inputs (exit status, message with line/column/text, no crash).
set -u
AUK="$1"
DATA="$2" # tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
pass=0
check() { # name, condition result
  if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else fails=$((fails + 1)); echo "FAIL: $1"; fi
}
expect_out() { # name, expected substring, command...
  local name="$1" want="$2"
  shift 2
  local out
  out=$("$@" 2>&1)
  local rc=$?
  [ $rc -eq 0 ] && [[ "$out" == *"$want"* ]]
  check "$name (rc=$rc, out=$out)" $?
}
expect_err() { # name, expected substring in stderr, command...
  local name="$1" want="$2"
  shift 2
  local err
  err=$("$@" 2>&1 >/dev/null)
  local rc=$?
  [ $rc -ne 0 ] && [ $rc -lt 128 ] && [[ "$err" == *"$want"* ]]
  check "$name (rc=$rc, err=$err)" $?
}

printf 'a,b,c\n1,x,2.5\n2,"y, z",\n3,w,1e2\n' > "$T/ok.csv"
expect_out "count" "3" "$AUK" count "$T/ok.csv"
expect_out "schema" $'a\ti64\nb\tstr\nc\tf64' "$AUK" schema "$T/ok.csv"
expect_out "head table" "shape: (2, 3)" "$AUK" head -n 2 "$T/ok.csv"
expect_out "head csv" $'a,b,c\n1,x,2.5\n2,"y, z",' "$AUK" head --csv "$T/ok.csv"
expect_out "describe" "null_count,0.0,0,1.0" "$AUK" describe --csv "$T/ok.csv"
expect_out "describe mean" "mean,2.0,,51.25" "$AUK" describe --csv "$T/ok.csv"
expect_out "columns" $'c,a\n2.5,1' "$AUK" head --csv --columns c,a "$T/ok.csv"
expect_out "type" $'a\tstr' "$AUK" schema --type a=str "$T/ok.csv"
expect_out "no header" $'column_1\tstr' "$AUK" schema --no-header "$T/ok.csv"
expect_out "null marker" "null_count,0.0,1" "$AUK" describe --csv --null x "$T/ok.csv"
"$AUK" convert "$T/ok.csv" "$T/out.csv"
expect_out "convert round trip" $'3,w,100.0' cat "$T/out.csv"
printf 'a;b\n1;2\n' > "$T/semi.csv"
expect_out "delimiter detect" $'a\ti64\nb\ti64' "$AUK" schema "$T/semi.csv"
expect_out "delimiter option" $'a;b\tstr' "$AUK" schema --delimiter , "$T/semi.csv"
one=$("$AUK" describe --csv --threads 1 "$DATA/../../examples/data/crimes-2022-slim.csv.gz")
two=$("$AUK" describe --csv --threads 2 "$DATA/../../examples/data/crimes-2022-slim.csv.gz")
[ "$one" = "$two" ]
check "threads 1 and 2 agree" $?

# a column that widens far into a file (past the inference sample) is read
# again and reported, by describe (streaming) as by schema (collecting)
{ echo "n"; for i in $(seq 1 30000); do echo "$i"; done; echo "2.5"; } > "$T/widen.csv"
expect_out "widen describe" "max,30000.0" "$AUK" describe --csv "$T/widen.csv"
expect_out "widen note" "note: column 'n': read as i64, widened to f64 at line 30002" "$AUK" describe --csv "$T/widen.csv"
expect_out "widen schema" $'n\tf64' "$AUK" schema "$T/widen.csv"

# head of a gzip file inflates a growing prefix, never a cut-off row: rows
# with quoted newlines straddle the prefix boundaries
awk 'BEGIN{print "a,b"; for(i=1;i<=200000;i++) print i",\"x, "i"\nline two\""}' > "$T/q.csv"
gzip -c "$T/q.csv" > "$T/q.csv.gz"
"$AUK" head --csv -n 150000 "$T/q.csv.gz" > "$T/head_gz.csv"
"$AUK" head --csv -n 150000 "$T/q.csv" > "$T/head_plain.csv"
cmp -s "$T/head_gz.csv" "$T/head_plain.csv" && [ "$(grep -c '^150000,' "$T/head_gz.csv")" -eq 1 ]
check "head of gzip equals head of plain" $?

# datetimes with UTC offsets are read as UTC instants and written back with +00:00
printf 't\n2022-06-01 12:30:00+02:00\n2022-01-01T10:00:00Z\n' > "$T/tz.csv"
expect_out "tz schema" $'t\tdatetime[μs, UTC]' "$AUK" schema "$T/tz.csv"
expect_out "tz write" $'t\n2022-06-01 10:30:00+00:00\n2022-01-01 10:00:00+00:00' "$AUK" head --csv "$T/tz.csv"

# Parquet: convert both ways by extension; count and schema from metadata
"$AUK" convert "$T/ok.csv" "$T/ok.parquet"
check "convert to parquet" $?
expect_out "parquet count" "3" "$AUK" count "$T/ok.parquet"
expect_out "parquet schema" $'a\ti64\nb\tstr\nc\tf64' "$AUK" schema "$T/ok.parquet"
expect_out "parquet head" $'a,b,c\n1,x,2.5\n2,"y, z",' "$AUK" head --csv "$T/ok.parquet"
expect_out "parquet columns" $'c,a\n2.5,1' "$AUK" head --csv --columns c,a "$T/ok.parquet"
expect_out "parquet describe" "mean,2.0,,51.25" "$AUK" describe --csv "$T/ok.parquet"
"$AUK" convert --compression zstd --row-group-rows 1 "$T/ok.parquet" "$T/ok2.parquet" &&
  "$AUK" convert "$T/ok2.parquet" "$T/back.csv" && cmp -s <("$AUK" head --csv "$T/ok.csv") "$T/back.csv"
check "parquet -> parquet -> csv round trip" $?
expect_out "tz parquet" $'t\tdatetime[μs, UTC]' sh -c "'$AUK' convert '$T/tz.csv' '$T/tz.parquet' && '$AUK' schema '$T/tz.parquet'"
expect_err "parquet bad compression" "--compression" "$AUK" convert --compression lzo "$T/ok.csv" "$T/x.parquet"
for f in "$DATA"/bad-parquet/*.parquet; do
  expect_err "bad parquet $(basename "$f")" "$(cat "${f%.parquet}.expect")" "$AUK" head "$f"
done
expect_err "parquet not found" "cannot open" "$AUK" count "$T/nope.parquet"

# malformed inputs: each gives its error and no crash
for f in "$DATA"/bad/*.csv "$DATA"/bad/*.gz; do
  want=$(cat "${f%.*}.expect" 2>/dev/null || cat "${f%.csv.gz}.expect")
  opts=()
  [ -f "${f%.*}.opts" ] && read -r -a opts < "${f%.*}.opts"
  expect_err "bad input $(basename "$f")" "$want" "$AUK" describe "${opts[@]}" "$f"
done
expect_err "missing file" "cannot open" "$AUK" count "$T/nope.csv"
expect_err "directory" "is a directory" "$AUK" count "$T"
expect_err "unknown command" "unknown command" "$AUK" frobnicate x
expect_err "unknown option" "unknown option" "$AUK" count --bogus x
expect_err "bad write dir" "cannot create" "$AUK" convert "$T/ok.csv" "$T/no/such/dir/x.csv"
[ ! -e "$T/no" ]
check "no partial output" $?

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
