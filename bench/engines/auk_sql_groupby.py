#!/usr/bin/python3
"""auk's SQL shell as an engine of the groupby benchmark (bench/run_groupby.py):
the ten questions in the SQL text of db-benchmark's DuckDB script, run by the
`auk` command on one script, so anyone can reproduce them from the shell:

    auk -csv script.sql     (the script this driver writes: .timer on, then
                             CREATE TABLE x AS SELECT * FROM read_csv(FILE),
                             and for each question CREATE TABLE ans AS ...)

The shell's `Run Time: real S s` lines time each statement (1 ms resolution).
The checksum of each result is the one the other drivers compute
(engines/groupby_common.mjs): rows, and per measure column the sum of its
non-null, non-NaN values, its null count and its NaN count. Output: the JSON
lines of that protocol. q8 needs a window function (row_number() OVER), which
auk's SQL does not have yet: it is reported as unsupported.

Usage: auk_sql_groupby.py AUK_BINARY FILE.csv REPS THREADS [q1,q2,...]
"""
import json
import subprocess
import sys
import tempfile

SQL = {
    "q1": "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1",
    "q2": "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2",
    "q3": "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3",
    "q4": "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4",
    "q5": "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6",
    "q6": "SELECT id4, id5, quantile_cont(v3, 0.5) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5",
    "q7": "SELECT id3, max(v1)-min(v2) AS range_v1_v2 FROM x GROUP BY id3",
    "q8": "SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2",
    "q9": "SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4",
    "q10": "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY id1, id2, id3, id4, id5, id6",
}
MEASURES = {"q1": ["v1"], "q2": ["v1"], "q3": ["v1", "v3"], "q4": ["v1", "v2", "v3"],
            "q5": ["v1", "v2", "v3"], "q6": ["median_v3", "sd_v3"], "q7": ["range_v1_v2"],
            "q8": ["largest2_v3"], "q9": ["r2"], "q10": ["v3", "count"]}
UNSUPPORTED = {}


def main():
    auk, path, reps, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    only = sys.argv[5].split(",") if len(sys.argv) > 5 and sys.argv[5] else list(SQL)
    qs = [q for q in SQL if q in only]
    # Each step is (kind, question): "time" statements print a Run Time line
    # only; "rows" statements print a CSV result (header + one row) first.
    lines, steps = [f"SET threads = {threads};", ".timer on"], []
    esc = path.replace("'", "''")
    lines.append(f"CREATE TABLE x AS SELECT * FROM read_csv('{esc}');")
    steps.append(("load", None))
    lines.append("SELECT count(*) AS n FROM x;")
    steps.append(("rows", "load"))
    for q in qs:
        if q in UNSUPPORTED:
            continue
        for rep in range(reps):
            lines.append("DROP TABLE IF EXISTS ans;")
            steps.append(("skip", None))
            lines.append(f"CREATE TABLE ans AS {SQL[q]};")
            steps.append(("time", q))
            checks = ["count(*)"]
            for m in MEASURES[q]:
                checks += [f"sum({m}) FILTER (WHERE NOT isnan({m}))", f"count(*) - count({m})",
                           f"count(*) FILTER (WHERE isnan({m}))"]
            lines.append(f"SELECT {', '.join(checks)} FROM ans;")
            steps.append(("rows", q))
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as f:
        f.write("\n".join(lines) + "\n")
        f.flush()
        p = subprocess.run([auk, "-csv", f.name], capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        sys.exit(p.returncode)
    out = [l for l in p.stdout.splitlines() if l.strip()]
    i = 0
    times = {q: [] for q in qs}
    checks = {q: [] for q in qs}
    load_time, nrows = None, None
    for kind, q in steps:
        if kind == "rows":
            header, row = out[i], out[i + 1]
            i += 2
            vals = row.split(",")
            if q == "load":
                nrows = int(vals[0])
            else:
                c = {"rows": int(vals[0]), "sums": {}, "nulls": {}, "nans": {}}
                for k, m in enumerate(MEASURES[q]):
                    s, nl, nn = vals[1 + 3 * k: 4 + 3 * k]
                    c["sums"][m] = float(s) if s else 0
                    c["nulls"][m] = int(nl)
                    c["nans"][m] = int(nn)
                checks[q].append(c)
        line = out[i]
        i += 1
        if not line.startswith("Run Time: real "):
            raise SystemExit(f"unexpected output: {line!r}")
        secs = float(line.split()[3])
        if kind == "load":
            load_time = secs
        elif kind == "time":
            times[q].append(secs)
    print(json.dumps({"engine": "auk-sql", "op": "load", "times": [load_time], "rows": nrows,
                      "threads": threads}))
    for q in qs:
        if q in UNSUPPORTED:
            print(json.dumps({"engine": "auk-sql", "op": q, "unsupported": UNSUPPORTED[q]}))
            continue
        rec = {"engine": "auk-sql", "op": q, "times": times[q], "check": checks[q][0]}
        other = [c for c in checks[q][1:] if c != checks[q][0]]
        if other:
            rec["check_other_rep"] = other[0]
        print(json.dumps(rec))


if __name__ == "__main__":
    main()
