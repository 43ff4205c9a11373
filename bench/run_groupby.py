#!/usr/bin/python3
"""The groupby benchmark (issue 4): the ten questions of the H2O db-benchmark
groupby task, auk against Polars and DuckDB, in memory, in one run.

Each engine is one child process, run one after another on the same file
(bench/bin/auk_groupby, engines/polars_groupby.mjs, engines/duckdb_groupby.mjs).
It loads the CSV into memory once (timed on its own, the `load` row), then
runs each question --reps times in a row (default 2, as db-benchmark: q1 run
1, q1 run 2, q2 run 1, ...), timing the question only:
  q1  sum v1 by id1                      q6  median v3 sd v3 by id4 id5
  q2  sum v1 by id1:id2                  q7  max v1 - min v2 by id3
  q3  sum v1 mean v3 by id3              q8  largest two v3 by id6
  q4  mean v1:v3 by id4                  q9  regression (corr^2) v1 v2 by id2 id4
  q5  sum v1:v3 by id6                   q10 sum v3 count by id1:id6
auk builds a lazy plan and times auk_lazy_collect; auk-sql runs db-benchmark's
DuckDB SQL through the `auk` shell on one script (engines/auk_sql_groupby.py,
timed by the shell's .timer); Polars runs db-benchmark's
group_by/agg expressions eagerly; DuckDB runs db-benchmark's SQL as
CREATE TABLE ans AS SELECT ... The checksum of every result (untimed) is
db-benchmark's `chk` made comparable: the row count, and per measure column
the sum of its non-null, non-NaN values, its null count, its NaN count and
its count of zeros. Sums agree to a relative 1e-9 (TOL could loosen it per
question), counts exactly, except that a sum of no values is NULL in SQL
(DuckDB, auk-sql) and 0 in the DataFrame engines (Polars, auk's API): there a
sum's nulls + zeros must match between the families (SUMS, FAMILY).

The headline time of a question is its first run (as db-benchmark reports),
the second is shown beside it, and the median too when --reps > 2. The
runner also reports each engine's peak RSS (os.wait4's ru_maxrss), how many
cores other processes kept busy while it ran (/proc/stat less the child's
own CPU time) and `uptime` before and after, since the machine may be shared.

Run bench/setup.sh and `make` once, then:
    /usr/bin/python3 bench/run_groupby.py [--na 0|5] [--rows 1e7] [--reps 2]
        [--engines auk,auk-sql,polars,duckdb] [--questions q1,q2,...] [--threads 2]
        [--auk PATH] [--auk-cli PATH] [--datadir DIR] [--json FILE]
Exit status: 0 when every engine that ran agreed on every question's rows
and sums, 1 otherwise (null or NaN counts that differ are reported, not
failed: see the README).
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in bench/
import run_describe as rd  # noqa: E402  (data generation and helpers)
import run_query as rq  # noqa: E402  (child processes, output parsing, formatting)

ENGINES = ["auk", "auk-sql", "polars", "duckdb"]
QUESTIONS = [("q1", "sum v1 by id1"),
             ("q2", "sum v1 by id1:id2"),
             ("q3", "sum v1 mean v3 by id3"),
             ("q4", "mean v1:v3 by id4"),
             ("q5", "sum v1:v3 by id6"),
             ("q6", "median v3 sd v3 by id4 id5"),
             ("q7", "max v1 - min v2 by id3"),
             ("q8", "largest two v3 by id6"),
             ("q9", "regression v1 v2 by id2 id4"),
             ("q10", "sum v3 count by id1:id6")]
REL_TOL = 1e-9
# Per-question tolerances, should one need a looser one (say 1e-6 for the
# sd of q6 or the corr^2 of q9, which the engines compute by different
# formulas). None is needed: on the 10M-row files the sums of all questions
# agree across the three engines to a relative 3e-14 or better.
TOL = {}


def engine_commands(a, path):
    """name -> (argv, version), or a string saying why the engine is missing."""
    cmds = {}
    qs = ",".join(a.qlist)
    if os.access(a.auk, os.X_OK):
        cmds["auk"] = ([a.auk, path, str(a.reps), str(a.threads), qs],
                       "auk (bench/bin/auk_groupby)")
    else:
        cmds["auk"] = f"no auk driver at {a.auk} (run make, then bench/build.sh, or pass --auk)"
    if os.access(a.auk_cli, os.X_OK):
        cmds["auk-sql"] = (["/usr/bin/python3", os.path.join(HERE, "engines", "auk_sql_groupby.py"),
                            a.auk_cli, path, str(a.reps), str(a.threads), qs],
                           "auk SQL shell (build/auk, engines/auk_sql_groupby.py)")
    else:
        cmds["auk-sql"] = f"no auk shell at {a.auk_cli} (run make, or pass --auk-cli)"
    node = any(os.access(os.path.join(d, "node"), os.X_OK)
               for d in os.environ.get("PATH", "").split(os.pathsep))
    pv = rd.node_module_version("nodejs-polars")
    if node and pv and rd.node_module_version("nodejs-polars-linux-x64-gnu"):
        cmds["polars"] = (["node", os.path.join(HERE, "engines", "polars_groupby.mjs"), path,
                           str(a.reps), qs], "nodejs-polars " + pv)
    else:
        cmds["polars"] = "nodejs-polars not installed (run bench/setup.sh)"
    dv = rd.node_module_version("@duckdb/node-api")
    if node and dv:
        cmds["duckdb"] = (["node", os.path.join(HERE, "engines", "duckdb_groupby.mjs"), path,
                           str(a.reps), str(a.threads), qs], "@duckdb/node-api " + dv)
    else:
        cmds["duckdb"] = "@duckdb/node-api not installed (run bench/setup.sh)"
    return cmds


def rel(x, y):
    if x == y:
        return 0.0
    if x is None or y is None:
        return float("inf")
    return abs(x - y) / max(abs(x), abs(y))


# The measures that are sums. A group with no value to add (all null: q10 on
# the 5%-NA file, most of its groups being single rows) sums to NULL in SQL
# (DuckDB, auk-sql) and to 0 in the DataFrame engines (Polars, auk's API,
# which follows Polars). Between engines of the two families such a sum's
# nulls + zeros must match, each count exactly within a family.
SUMS = {"q1": {"v1"}, "q2": {"v1"}, "q3": {"v1"}, "q5": {"v1", "v2", "v3"}, "q10": {"v3"}}
FAMILY = {"auk": "dataframe", "polars": "dataframe", "auk-sql": "sql", "duckdb": "sql"}


def compare(x, y, tol, sums=(), same_family=True):
    """(value differences, null/NaN count differences, largest relative
    difference of the sums) between two checksums. sums: the measures that
    are sums; same_family: False when one engine is SQL and the other a
    DataFrame engine (the sum of no values is NULL in one, 0 in the other)."""
    vals, counts, worst = [], [], 0.0
    if x["rows"] != y["rows"]:
        vals.append(f"rows {x['rows']} vs {y['rows']}")
    for m in x["sums"]:
        r = rel(x["sums"][m], y["sums"].get(m))
        worst = max(worst, r)
        if r > tol:
            vals.append(f"sum({m}) {x['sums'][m]!r} vs {y['sums'].get(m)!r} (relative {r:.1e})")
        if x["nans"][m] != y["nans"].get(m):
            counts.append(f"nans({m}) {x['nans'][m]} vs {y['nans'].get(m)}")
        if m not in sums:
            if x["nulls"][m] != y["nulls"].get(m):
                counts.append(f"nulls({m}) {x['nulls'][m]} vs {y['nulls'].get(m)}")
            continue
        xz, yz = x.get("zeros", {}).get(m), y.get("zeros", {}).get(m)
        if xz is None or yz is None:
            vals.append(f"no count of zeros for the sum {m}")
        elif same_family:
            if (x["nulls"][m], xz) != (y["nulls"].get(m), yz):
                vals.append(f"nulls, zeros({m}) {x['nulls'][m]}, {xz} vs {y['nulls'].get(m)}, {yz}")
        elif x["nulls"][m] + xz != y["nulls"].get(m, 0) + yz:
            vals.append(f"nulls + zeros({m}) {x['nulls'][m]} + {xz} vs {y['nulls'].get(m)} + {yz}")
    return vals, counts, worst


def uptime():
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        la = os.getloadavg()
        return f"load average: {la[0]:.2f}, {la[1]:.2f}, {la[2]:.2f}"


def fmt_t(s):
    if s is None:
        return "-"
    return f"{s * 1000:.0f} ms" if s < 0.1 else f"{s:.2f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=rd.count_arg, default=10**7, help="N (default 1e7)")
    ap.add_argument("--k", type=rd.count_arg, default=100, help="K (default 1e2)")
    ap.add_argument("--na", type=int, default=0, help="percent of NA, 0 or 5 (default 0)")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--questions", default="all", help="e.g. q1,q2,q8 or 1,2,8 (default all)")
    ap.add_argument("--reps", type=int, default=2, help="runs of each question (default 2)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--auk", default=os.path.join(HERE, "bin", "auk_groupby"))
    ap.add_argument("--auk-cli", default=os.path.join(os.path.dirname(HERE), "build", "auk"))
    ap.add_argument("--datadir", default=os.path.join(HERE, "data"))
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args()
    a.auk = os.path.abspath(a.auk)
    a.auk_cli = os.path.abspath(a.auk_cli)
    a.sorted = 0
    names = [q for q, _ in QUESTIONS]
    if a.questions == "all":
        a.qlist = names
    else:
        a.qlist = [q if q.startswith("q") else "q" + q
                   for q in (x.strip().lower() for x in a.questions.split(",")) if q]
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    bad = [e for e in engines if e not in ENGINES] + [q for q in a.qlist if q not in names]
    if bad or not engines or not a.qlist or not 1 <= a.reps <= 64 or a.threads < 1 \
            or not 0 <= a.na <= 100:
        ap.error(f"unknown {bad}; engines are among {','.join(ENGINES)}, questions q1..q10; "
                 "1 <= reps <= 64; threads >= 1; 0 <= na <= 100")
    qs = [(q, label) for q, label in QUESTIONS if q in a.qlist]

    subprocess.check_call([os.path.join(HERE, "build.sh")])  # the auk driver when stale
    path = rd.ensure_data(a)
    with open(path, "rb") as f:  # warm the page cache so the first engine is not penalized
        while f.read(1 << 24):
            pass
    cmds = engine_commands(a, path)
    res, notes, runnable, up_before, up_after = rq.run_engines(
        engines, cmds, a.threads, ["load"] + [q for q, _ in qs], uptime)

    for e in runnable:
        if res[e]["error"]:
            notes.append(f"{e}: failed: {res[e]['error']}")
    ok = lambda e, q: q in res[e]["ops"] and "check" in res[e]["ops"][q]  # noqa: E731
    failed = any(res[e]["error"] for e in runnable)
    agree, worst = {}, {}
    all_agree = not failed
    for q, _ in qs:
        tol = TOL.get(q, REL_TOL)
        have = [e for e in runnable if ok(e, q)]
        worst[q] = 0.0
        for e in have:  # an engine must agree with itself across its runs
            o = res[e]["ops"][q]
            if "check_other_rep" in o:
                v, c, _ = compare(o["check"], o["check_other_rep"], tol, SUMS.get(q, ()))
                if v or c:
                    notes.append(f"{q}: {e} disagrees with itself across runs: {'; '.join(v + c)}")
                    all_agree = False
        diff_v, diff_c = {}, {}
        for i, x in enumerate(have):
            for y in have[i + 1:]:
                v, c, w = compare(res[x]["ops"][q]["check"], res[y]["ops"][q]["check"], tol,
                                  SUMS.get(q, ()), FAMILY[x] == FAMILY[y])
                worst[q] = max(worst[q], w)
                if v:
                    diff_v[(x, y)] = v
                    notes.append(f"{q}: {x} vs {y}: {'; '.join(v)}")
                if c:
                    diff_c[(x, y)] = c
                    notes.append(f"{q}: {x} vs {y} (null/NaN counts only): {'; '.join(c)}")
        for m in sorted(SUMS.get(q, ())):  # say where the two families' nulls differ
            n = {e: res[e]["ops"][q]["check"]["nulls"].get(m) for e in have}
            if len(set(n.values())) > 1 and not diff_v:
                notes.append(f"{q}: sum({m}) of a group without values: NULL in " +
                             ", ".join(f"{e} ({n[e]})" for e in have if FAMILY[e] == "sql") +
                             ", 0 in " + ", ".join(e for e in have if FAMILY[e] != "sql") +
                             " (nulls + zeros agree)")
        if len(have) < 2:
            status = "-"
        elif not diff_v and not diff_c:
            status = "yes"
        elif not diff_v:
            status = "yes (null/NaN counts differ)"
        else:
            all_agree = False
            peers = [e for e in have if not e.startswith("auk")]
            if "auk" in have and peers and all(("auk", p) in diff_v for p in peers) and \
                    not any((p, s) in diff_v for p in peers for s in peers):
                status = "NO: auk differs from " + ("both peers" if len(peers) > 1 else peers[0])
            else:
                status = "NO: " + ", ".join(f"{x}/{y}" for x, y in diff_v)
        agree[q] = status

    def times(e, op):
        return res[e]["ops"][op].get("times") if op in res[e]["ops"] else None

    size = os.path.getsize(path) / 1e6
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\ngroupby benchmark on {os.path.basename(path)} ({size:.0f} MB), in memory, "
          f"{a.threads} threads, each question {a.reps} times in a row; first run is the "
          f"headline; {when}, {os.cpu_count()} cores, {platform.machine()}")
    for e in runnable:
        print(f"  {e}: {cmds[e][1]}")
    peers = [e for e in runnable if not e.startswith("auk")]
    show_med = a.reps > 2
    cell = lambda ts: ("-" if not ts else  # noqa: E731
                       " / ".join(fmt_t(x) for x in ts[:2]) +
                       (f" (med {fmt_t(statistics.median(ts))})" if show_med else ""))
    ops = [("load", "load CSV into memory")] + qs
    w = 2 + max([len(e + " run 1 / 2") for e in runnable] +
                [len(cell(times(e, op))) for e in runnable for op, _ in ops])
    hdr = f"{'question':30}" + "".join(f"{e + ' run 1 / 2':>{w}}" for e in runnable)
    mine = [e for e in ("auk", "auk-sql") if e in runnable] if peers else []
    for e in mine:
        hdr += f"  {e + ' vs fastest peer':24}"
    hdr += "  agree"
    print("\n" + hdr)
    table = []
    for op, label in ops:
        ts = {e: times(e, op) for e in runnable}
        line = f"{(op + ' ' + label if op != 'load' else label):30}" + \
            "".join(f"{cell(ts[e]):>{w}}" for e in runnable)
        first = {e: (ts[e][0] if ts[e] else None) for e in runnable}
        fastest = min((first[e] for e in peers if first[e] is not None), default=None)
        ratio = rq.fmt_ratio(first.get("auk"), fastest) if "auk" in runnable and peers else None
        ratios = {e: rq.fmt_ratio(first.get(e), fastest) for e in mine}
        for e in mine:
            line += f"  {ratios[e] or '-':24}"
        line += "  " + ("-" if op == "load" else agree[op])
        print(line)
        table.append({"q": op, "label": label, "times_s": ts, "auk_vs_fastest_peer_run1": ratio,
                      "auk_sql_vs_fastest_peer_run1": ratios.get("auk-sql"),
                      "agree": None if op == "load" else agree[op],
                      "max_relative_difference": worst.get(op)})
    print(f"\n{'engine':8} {'peak MiB':>9} {'process s':>10}  others busy (cores)")
    for e in runnable:
        r = res[e]
        oth = f"{r['others']:.2f}" if r["others"] is not None else "-"
        print(f"{e:8} {r['rss']:9.0f} {r['wall']:10.1f}  {oth}")
    print(f"uptime before: {up_before}\nuptime after:  {up_after}")
    print("largest relative difference of a sum between engines: " +
          ", ".join(f"{q} {worst[q]:.1e}" for q, _ in qs if q in worst))
    print(f"answers: rows and null/NaN counts exactly (a sum's nulls + zeros between SQL and "
          f"DataFrame engines), sums to {REL_TOL:g} relative"
          + (f" ({', '.join(f'{q} {v:g}' for q, v in TOL.items())})" if TOL else "")
          + "; all agree: " +
          ("yes" if all_agree else "NO"))
    for n in notes:
        print("note: " + n)

    if a.json:
        doc = {"benchmark": "groupby", "file": os.path.basename(path), "bytes": int(size * 1e6),
               "threads": a.threads, "reps": a.reps, "date": when, "cores": os.cpu_count(),
               "notes": notes, "uptime_before": up_before, "uptime_after": up_after,
               "table": table,
               "engines": {e: {"version": cmds[e][1], "peak_rss_mib": res[e]["rss"],
                               "process_s": res[e]["wall"], "others_busy_cores": res[e]["others"],
                               "error": res[e]["error"], "ops": res[e]["ops"]}
                           for e in runnable}}
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=2)
    return 0 if all_agree and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
