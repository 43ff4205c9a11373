#!/usr/bin/python3
"""The join benchmark (issue 5): the five questions of the H2O db-benchmark
join task, auk against Polars and DuckDB, in memory, in one run.

The tables come from bench/gen_join.c (x with N rows; small, medium and big
right tables of N/1e6, N/1e3 and N rows; about 90% of x's keys match), made
once into --datadir. Each engine is one child process, run one after
another on the same files (bench/bin/auk_join, engines/polars_join.mjs,
engines/duckdb_join.mjs, and the SQL shell through engines/auk_sql_join.py
with db-benchmark's DuckDB SQL text). It loads the four CSV files into memory (timed on
its own, the `load` row), then runs each question --reps times in a row,
timing the join only:
  q1  x inner join small on id1 (int)      q4  x inner join medium on id5 (string)
  q2  x inner join medium on id2 (int)     q5  x inner join big on id3 (int)
  q3  x left join medium on id2 (int)
auk times auk_lazy_collect of a lazy join; Polars runs x.join(y, on, how)
eagerly; DuckDB runs db-benchmark's SQL as CREATE TABLE ans AS SELECT ...
(so its times include writing its own table). The checksum of a result
(untimed) is the row count and, for v1 and v2, the sum of the non-null
values and the null count; sums agree to a relative 1e-9, counts exactly.

The table shows the first run and the second, and the median when
--reps > 2; the ratio column compares auk's median with the fastest peer's
median. Peak RSS, the cores other processes kept busy and `uptime` before
and after are reported, since the machine may be shared.

Run bench/setup.sh and `make` once, then:
    /usr/bin/python3 bench/run_join.py [--rows 1e7] [--reps 3] [--threads 2]
        [--engines auk,auk-sql,polars,duckdb] [--questions q1,q2,...] [--datadir DIR]
        [--auk PATH] [--auk-cli PATH] [--json FILE]
Exit status: 0 when every engine that ran agreed on every question, else 1.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import run_describe as rd  # noqa: E402  (count arguments, node module versions)
import run_groupby as rg  # noqa: E402  (checksum comparison, uptime, formatting)
import run_query as rq  # noqa: E402  (child processes, output parsing)

ENGINES = ["auk", "auk-sql", "polars", "duckdb"]
QUESTIONS = [("q1", "small inner on int"),
             ("q2", "medium inner on int"),
             ("q3", "medium outer on int"),
             ("q4", "medium inner on string"),
             ("q5", "big inner on int")]


def sci(n):
    e = 0
    while n >= 10 and n % 10 == 0:
        n //= 10
        e += 1
    return f"{n}e{e}"


def ensure_data(a):
    """The four files (x, small, medium, big), made with gen_join when missing."""
    s = sci(a.rows)
    names = [f"J1_{s}_NA_0_0.csv"] + [f"J1_{s}_{sci(a.rows // d)}_0_0.csv"
                                       for d in (10**6, 10**3, 1)]
    paths = [os.path.join(a.datadir, n) for n in names]
    if not all(os.path.exists(p) for p in paths):
        os.makedirs(a.datadir, exist_ok=True)
        print(f"generating {', '.join(names)} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        subprocess.check_call([os.path.join(HERE, "bin", "gen_join"), str(a.rows), a.datadir],
                              stdout=subprocess.DEVNULL)
        print(f"  {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return paths


def engine_commands(a, paths):
    cmds = {}
    qs = ",".join(a.qlist)
    if os.access(a.auk, os.X_OK):
        cmds["auk"] = ([a.auk, *paths, str(a.reps), str(a.threads), qs], "auk (bench/bin/auk_join)")
    else:
        cmds["auk"] = f"no auk driver at {a.auk} (run make, then bench/build.sh, or pass --auk)"
    if os.access(a.auk_cli, os.X_OK):
        cmds["auk-sql"] = (["/usr/bin/python3", os.path.join(HERE, "engines", "auk_sql_join.py"),
                            a.auk_cli, *paths, str(a.reps), str(a.threads), qs],
                           "auk SQL shell (build/auk, engines/auk_sql_join.py)")
    else:
        cmds["auk-sql"] = f"no auk shell at {a.auk_cli} (run make, or pass --auk-cli)"
    node = any(os.access(os.path.join(d, "node"), os.X_OK)
               for d in os.environ.get("PATH", "").split(os.pathsep))
    pv = rd.node_module_version("nodejs-polars")
    if node and pv and rd.node_module_version("nodejs-polars-linux-x64-gnu"):
        cmds["polars"] = (["node", os.path.join(HERE, "engines", "polars_join.mjs"), *paths,
                           str(a.reps), qs], "nodejs-polars " + pv)
    else:
        cmds["polars"] = "nodejs-polars not installed (run bench/setup.sh)"
    dv = rd.node_module_version("@duckdb/node-api")
    if node and dv:
        cmds["duckdb"] = (["node", os.path.join(HERE, "engines", "duckdb_join.mjs"), *paths,
                           str(a.reps), str(a.threads), qs], "@duckdb/node-api " + dv)
    else:
        cmds["duckdb"] = "@duckdb/node-api not installed (run bench/setup.sh)"
    return cmds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=rd.count_arg, default=10**7, help="N (default 1e7)")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--questions", default="all", help="e.g. q1,q5 (default all)")
    ap.add_argument("--reps", type=int, default=3, help="runs of each question (default 3)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--auk", default=os.path.join(HERE, "bin", "auk_join"))
    ap.add_argument("--auk-cli", default=os.path.join(os.path.dirname(HERE), "build", "auk"))
    ap.add_argument("--datadir", default=os.path.join(HERE, "data"))
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args()
    a.auk = os.path.abspath(a.auk)
    a.auk_cli = os.path.abspath(a.auk_cli)
    names = [q for q, _ in QUESTIONS]
    a.qlist = names if a.questions == "all" else [
        q if q.startswith("q") else "q" + q
        for q in (x.strip().lower() for x in a.questions.split(",")) if q]
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    bad = [e for e in engines if e not in ENGINES] + [q for q in a.qlist if q not in names]
    if bad or not engines or not a.qlist or not 1 <= a.reps <= 64 or a.threads < 1:
        ap.error(f"unknown {bad}; engines among {','.join(ENGINES)}, questions q1..q5")
    qs = [(q, label) for q, label in QUESTIONS if q in a.qlist]

    subprocess.check_call([os.path.join(HERE, "build.sh")])
    paths = ensure_data(a)
    for p in paths:  # warm the page cache so the first engine is not penalized
        with open(p, "rb") as f:
            while f.read(1 << 24):
                pass
    cmds = engine_commands(a, paths)
    res, notes, runnable, up_before, up_after = rq.run_engines(
        engines, cmds, a.threads, ["load"] + [q for q, _ in qs], rg.uptime)

    failed = False
    for e in runnable:
        if res[e]["error"]:
            notes.append(f"{e}: failed: {res[e]['error']}")
            failed = True
    agree, all_agree = {}, not failed
    for q, _ in qs:
        have = [e for e in runnable if q in res[e]["ops"] and "check" in res[e]["ops"][q]]
        bad = []
        for e in have:
            o = res[e]["ops"][q]
            if "check_other_rep" in o:
                v, c, _ = rg.compare(o["check"], o["check_other_rep"], rg.REL_TOL)
                if v or c:
                    bad.append(f"{e} vs itself: {'; '.join(v + c)}")
        for i, x in enumerate(have):
            for y in have[i + 1:]:
                v, c, _ = rg.compare(res[x]["ops"][q]["check"], res[y]["ops"][q]["check"],
                                     rg.REL_TOL)
                if v or c:
                    bad.append(f"{x} vs {y}: {'; '.join(v + c)}")
        for b in bad:
            notes.append(f"{q}: {b}")
        agree[q] = "-" if len(have) < 2 else ("yes" if not bad else "NO")
        all_agree = all_agree and not bad

    def times(e, op):
        return res[e]["ops"][op]["times"] if op in res[e]["ops"] else None

    def med(ts):
        return statistics.median(ts) if ts else None

    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\njoin benchmark on {os.path.basename(paths[0])} and its right tables, in memory, "
          f"{a.threads} threads, each question {a.reps} times in a row; {when}, "
          f"{os.cpu_count()} cores, {platform.machine()}")
    for e in runnable:
        print(f"  {e}: {cmds[e][1]}")
    peers = [e for e in runnable if not e.startswith("auk")]
    mine = [e for e in ("auk", "auk-sql") if e in runnable] if peers else []
    cell = lambda ts: "-" if not ts else (  # noqa: E731
        " / ".join(rg.fmt_t(x) for x in ts[:2]) + (f" (med {rg.fmt_t(med(ts))})"
                                                    if len(ts) > 2 else ""))
    ops = [("load", "load CSVs into memory")] + qs
    w = 2 + max([len(e + " run 1 / 2") for e in runnable] +
                [len(cell(times(e, op))) for e in runnable for op, _ in ops])
    hdr = f"{'question':28}" + "".join(f"{e + ' run 1 / 2':>{w}}" for e in runnable)
    for e in mine:
        hdr += f"  {e + ' vs fastest peer (medians)':34}"
    print("\n" + hdr + "  agree")
    table, sums = [], {e: 0.0 for e in runnable}
    for op, label in ops:
        ts = {e: times(e, op) for e in runnable}
        line = f"{(op + ' ' + label if op != 'load' else label):28}" + \
            "".join(f"{cell(ts[e]):>{w}}" for e in runnable)
        m = {e: med(ts[e]) for e in runnable}
        if op != "load":
            for e in runnable:
                sums[e] += m[e] or 0.0
        fastest = min((m[e] for e in peers if m[e] is not None), default=None)
        ratio = rq.fmt_ratio(m.get("auk"), fastest) if "auk" in runnable and peers else None
        for e in mine:
            line += f"  {rq.fmt_ratio(m.get(e), fastest) or '-':34}"
        print(line + "  " + ("-" if op == "load" else agree[op]))
        table.append({"q": op, "label": label, "times_s": ts, "auk_vs_fastest_peer_median": ratio,
                      "agree": None if op == "load" else agree[op]})
    print(f"{'sum of question medians':28}" + "".join(f"{rg.fmt_t(sums[e]):>{w}}" for e in runnable))
    if mine:
        best = min(sums[e] for e in peers)
        for e in mine:
            print(f"{e}'s sum / fastest peer's sum: {sums[e] / best:.2f}")
    print(f"\n{'engine':8} {'peak MiB':>9} {'process s':>10}  others busy (cores)")
    for e in runnable:
        r = res[e]
        oth = f"{r['others']:.2f}" if r["others"] is not None else "-"
        print(f"{e:8} {r['rss']:9.0f} {r['wall']:10.1f}  {oth}")
    print(f"uptime before: {up_before}\nuptime after:  {up_after}")
    print(f"answers: rows and null counts exactly, sums to {rg.REL_TOL:g} relative; all agree: "
          + ("yes" if all_agree else "NO"))
    for n in notes:
        print("note: " + n)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"benchmark": "join", "files": [os.path.basename(p) for p in paths],
                       "threads": a.threads, "reps": a.reps, "date": when, "notes": notes,
                       "uptime_before": up_before, "uptime_after": up_after, "table": table,
                       "engines": {e: {"version": cmds[e][1], "peak_rss_mib": res[e]["rss"],
                                       "process_s": res[e]["wall"], "error": res[e]["error"],
                                       "ops": res[e]["ops"]} for e in runnable}}, f, indent=2)
    return 0 if all_agree and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
