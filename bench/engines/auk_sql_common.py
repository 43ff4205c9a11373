"""Shared by auk_sql_groupby.py and auk_sql_join.py: runs benchmark
questions as SQL through the `auk` shell on one script and prints the
benchmark runners' JSON lines (the protocol of engines/groupby_common.mjs):

    {"engine": E, "op": "load", "times": [s], "rows": N}
    {"engine": E, "op": "q1", "times": [s, ...], "check": {...}}

The script is `.timer on`, the load statements, then per question and run
`DROP TABLE IF EXISTS ans; CREATE TABLE ans AS <sql>;` (timed by the
shell's `Run Time: real S s` line, 1 ms resolution) and an untimed checksum
query: rows, and per measure column the sum of its non-null, non-NaN values,
its null count, its NaN count and its count of values equal to 0.
"""
import json
import subprocess
import sys
import tempfile


def run(engine, auk, threads, load, count_table, questions, reps):
    """load: CREATE statements; questions: [(name, sql, [measures])]."""
    lines, steps = [f"SET threads = {threads};", ".timer on"], []
    for stmt in load:
        lines.append(stmt)
        steps.append(("load", None))
    lines.append(f"SELECT count(*) AS n FROM {count_table};")
    steps.append(("rows", "load"))
    for name, sql, measures in questions:
        for _ in range(reps):
            lines.append("DROP TABLE IF EXISTS ans;")
            steps.append(("skip", None))
            lines.append(f"CREATE TABLE ans AS {sql};")
            steps.append(("time", name))
            checks = ["count(*)"]
            for m in measures:
                checks += [f"sum({m}) FILTER (WHERE NOT isnan({m}))", f"count(*) - count({m})",
                           f"count(*) FILTER (WHERE isnan({m}))", f"count(*) FILTER (WHERE {m} = 0)"]
            lines.append(f"SELECT {', '.join(checks)} FROM ans;")
            steps.append(("rows", name))
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as f:
        f.write("\n".join(lines) + "\n")
        f.flush()
        p = subprocess.run([auk, "-csv", f.name], capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        sys.exit(p.returncode)
    out = [l for l in p.stdout.splitlines() if l.strip()]
    measures = {name: ms for name, _, ms in questions}
    times = {name: [] for name, _, _ in questions}
    checks = {name: [] for name, _, _ in questions}
    load_time, nrows, i = 0.0, None, 0
    for kind, q in steps:
        if kind == "rows":  # a CSV header and one row, then the Run Time line
            vals = out[i + 1].split(",")
            i += 2
            if q == "load":
                nrows = int(vals[0])
            else:
                c = {"rows": int(vals[0]), "sums": {}, "nulls": {}, "nans": {}, "zeros": {}}
                for k, m in enumerate(measures[q]):
                    s, nl, nn, nz = vals[1 + 4 * k: 5 + 4 * k]
                    c["sums"][m] = float(s) if s else 0
                    c["nulls"][m] = int(nl)
                    c["nans"][m] = int(nn)
                    c["zeros"][m] = int(nz)
                checks[q].append(c)
        line = out[i]
        i += 1
        if not line.startswith("Run Time: real "):
            raise SystemExit(f"unexpected output: {line!r}")
        secs = float(line.split()[3])
        if kind == "load":
            load_time += secs
        elif kind == "time":
            times[q].append(secs)
    print(json.dumps({"engine": engine, "op": "load", "times": [load_time], "rows": nrows,
                      "threads": threads}))
    for name, _, _ in questions:
        rec = {"engine": engine, "op": name, "times": times[name], "check": checks[name][0]}
        other = [c for c in checks[name][1:] if c != checks[name][0]]
        if other:
            rec["check_other_rep"] = other[0]
        print(json.dumps(rec))
