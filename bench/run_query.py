#!/usr/bin/python3
"""The query benchmark (issue 3): auk against Polars and DuckDB on the H2O
db-benchmark groupby table, in memory.

Each engine loads the CSV into memory once (the load is timed on its own),
then runs six operations, each --reps times, timing the operation only:
  filter_v3       v3 > 99.9                      (selective filter)
  filter_id1_v2   id1 = 'id042' and v2 > 10      (string predicate)
  derive          with column d = v1 * v2 + v3   (derived column)
  sort_v3         sort by v3                     (full sort)
  sort_id3_v3     sort by id3 descending, v3     (multi-key sort)
  top10_v3        sort by v3, head 10            (top-k)
Each engine is one child process (bench/bin/auk_query, engines/polars_query.mjs,
engines/duckdb_query.mjs) printing a JSON line per operation with its times
and a checksum of the result (see engines/query_common.mjs). The runner
compares the checksums across engines (integers and strings exactly, floats
to a relative 1e-9; for sorts the sorted id3 of rows tied on the sort key,
since tied rows may come in any order) and prints the median times, the
ratio of auk's to the fastest peer's, and whether the answers agree. It also
records the machine's load: how many cores other processes kept busy while
each engine ran (from /proc/stat, less the child's own CPU time).

Run bench/setup.sh and `make` once, then:
    /usr/bin/python3 bench/run_query.py [--rows 1e7] [--engines auk,polars,duckdb]
        [--reps 3] [--threads 2] [--rounds 1] [--auk PATH] [--datadir DIR] [--json FILE]
Exit status: 0 when every engine that ran agreed, 1 otherwise.
"""
import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in bench/
import run_describe as rd  # noqa: E402  (data generation and helpers)

ENGINES = ["auk", "polars", "duckdb"]
OPS = [("load", "load CSV into memory"),
       ("filter_v3", "filter v3 > 99.9"),
       ("filter_id1_v2", "filter id1 = 'id042' and v2 > 10"),
       ("derive", "with column v1 * v2 + v3"),
       ("sort_v3", "sort by v3"),
       ("sort_id3_v3", "sort by id3 desc, v3"),
       ("top10_v3", "sort by v3, head 10")]
REL_TOL = 1e-9


def engine_commands(a, path):
    """name -> (argv, version), or a string saying why the engine is missing."""
    cmds = {}
    if os.access(a.auk, os.X_OK):
        cmds["auk"] = ([a.auk, path, str(a.reps), str(a.threads)], "auk (bench/bin/auk_query)")
    else:
        cmds["auk"] = f"no auk driver at {a.auk} (run make, then bench/build.sh, or pass --auk)"
    node = any(os.access(os.path.join(d, "node"), os.X_OK)
               for d in os.environ.get("PATH", "").split(os.pathsep))
    pv = rd.node_module_version("nodejs-polars")
    if node and pv and rd.node_module_version("nodejs-polars-linux-x64-gnu"):
        cmds["polars"] = (["node", os.path.join(HERE, "engines", "polars_query.mjs"), path,
                           str(a.reps)], "nodejs-polars " + pv)
    else:
        cmds["polars"] = "nodejs-polars not installed (run bench/setup.sh)"
    dv = rd.node_module_version("@duckdb/node-api")
    if node and dv:
        cmds["duckdb"] = (["node", os.path.join(HERE, "engines", "duckdb_query.mjs"), path,
                           str(a.reps), str(a.threads)], "@duckdb/node-api " + dv)
    else:
        cmds["duckdb"] = "@duckdb/node-api not installed (run bench/setup.sh)"
    return cmds


def busy_jiffies():
    """Busy and total CPU time of the whole machine in clock ticks."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = v[3] + (v[4] if len(v) > 4 else 0)  # idle + iowait
    return sum(v[:8]) - idle


def run_once(argv, env):
    """Runs argv as a child; returns (seconds, peak RSS MiB, cores other
    processes kept busy on average, rc, stdout, stderr)."""
    tick = os.sysconf("SC_CLK_TCK")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        b0 = busy_jiffies()
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        secs = time.perf_counter() - t0
        b1 = busy_jiffies()
        others = None
        if b0 is not None and b1 is not None and secs > 0:
            others = max(0.0, ((b1 - b0) / tick - ru.ru_utime - ru.ru_stime) / secs)
        out.seek(0)
        err.seek(0)
        return (secs, ru.ru_maxrss / 1024.0, others, os.waitstatus_to_exitcode(status),
                out.read().decode(errors="replace"), err.read().decode(errors="replace"))


def parse(text):
    """JSON lines -> {op: {"times": [...], "check": ..., ...}}."""
    res = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            d = json.loads(line)
            res[d["op"]] = d
    return res


def run_engines(engines, cmds, threads, ops, uptime):
    """Runs each engine's command (cmds[e] = (argv, version), or a string
    saying why it cannot run) one after another with `threads` threads;
    every engine must report each op of `ops`. Returns (results, notes,
    runnable, uptime before, uptime after); results[e] has rss, wall,
    others, error and the parsed ops."""
    notes, runnable = [], []
    for e in engines:
        if isinstance(cmds[e], str):
            notes.append(f"{e}: skipped, {cmds[e]}")
        else:
            runnable.append(e)
    t = str(threads)
    env = dict(os.environ, AUK_THREADS=t, POLARS_MAX_THREADS=t, OMP_NUM_THREADS=t)
    up_before = uptime()
    print(f"uptime before: {up_before}", file=sys.stderr)
    res = {}
    for e in runnable:
        print(f"  {e} ...", end="", file=sys.stderr, flush=True)
        secs, rss, others, rc, out, err = run_once(cmds[e][0], env)
        oth = f", others busy {others:.2f} cores" if others is not None else ""
        print(f" {secs:.1f} s, {rss:.0f} MiB{oth}", file=sys.stderr, flush=True)
        r = {"rss": rss, "wall": secs, "others": others, "error": None, "ops": {}}
        res[e] = r
        if rc != 0:
            r["error"] = f"exit status {rc}: {err.strip()[-1500:]}"
        try:
            r["ops"] = parse(out)
        except ValueError as ex:
            r["error"] = r["error"] or f"unreadable output ({ex}): {out[:300]!r}"
        for op in ops:
            if op not in r["ops"] and not r["error"]:
                r["error"] = f"no result for {op}: {out[-300:]!r} {err[-300:]!r}"
            elif op in r["ops"] and "unsupported" in r["ops"][op]:
                notes.append(f"{op}: {e} cannot run it: {r['ops'][op]['unsupported']}")
    up_after = uptime()
    print(f"uptime after: {up_after}", file=sys.stderr)
    return res, notes, runnable, up_before, up_after


def same(x, y, path="", loose=False):
    """None when x and y agree, else where they first differ."""
    if isinstance(x, bool) or isinstance(y, bool):
        return None if x is y else f"{path}: {x!r} vs {y!r}"
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        if isinstance(x, int) and isinstance(y, int):
            return None if x == y else f"{path}: {x} vs {y}"
        if x == y or abs(x - y) <= REL_TOL * max(abs(x), abs(y)):
            return None
        return f"{path}: {x!r} vs {y!r} (relative {abs(x - y) / max(abs(x), abs(y)):.1e})"
    if isinstance(x, dict) and isinstance(y, dict):
        if set(x) != set(y):
            return f"{path}: keys {sorted(x)} vs {sorted(y)}"
        # a tie run that reaches the edge of what was looked at: only its
        # position and sort value are comparable
        edge = "open" in x and (x["open"] or y["open"])
        for k in x:
            if edge and k in ("id3", "open"):
                continue
            d = same(x[k], y[k], f"{path}.{k}" if path else k)
            if d:
                return d
        return None
    if isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            return f"{path}: {len(x)} vs {len(y)} items"
        for i, (p, q) in enumerate(zip(x, y)):
            d = same(p, q, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if x == y else f"{path}: {x!r} vs {y!r}"


def fmt_ratio(auk, peer):
    if auk is None or peer is None or auk <= 0 or peer <= 0:
        return "-"
    r = peer / auk
    return f"{r:.1f}x faster" if r >= 1.05 else (f"{1 / r:.1f}x slower" if r <= 1 / 1.05
                                                else "about even")


def fmt_t(s):
    if s is None:
        return "-"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=rd.count_arg, default=10**7, help="N (default 1e7)")
    ap.add_argument("--k", type=rd.count_arg, default=100, help="K, the groups (default 1e2)")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--reps", type=int, default=3, help="runs of each operation (default 3)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="child processes per engine, engines interleaved (default 1)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--auk", default=os.path.join(HERE, "bin", "auk_query"))
    ap.add_argument("--datadir", default=os.path.join(HERE, "data"))
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args()
    a.auk = os.path.abspath(a.auk)
    a.na, a.sorted = 0, 0
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    bad = [e for e in engines if e not in ENGINES]
    if bad or not engines or not 1 <= a.reps <= 64 or a.threads < 1 or a.rounds < 1:
        ap.error(f"engines are among {','.join(ENGINES)}; 1 <= reps <= 64; threads, rounds >= 1")

    subprocess.check_call([os.path.join(HERE, "build.sh")])  # auk_query when the library is newer
    path = rd.ensure_data(a)
    with open(path, "rb") as f:  # warm the page cache so the first engine is not penalized
        while f.read(1 << 24):
            pass
    cmds = engine_commands(a, path)
    notes, runnable = [], []
    for e in engines:
        if isinstance(cmds[e], str):
            notes.append(f"{e}: skipped, {cmds[e]}")
        else:
            runnable.append(e)
    t = str(a.threads)
    env = dict(os.environ, AUK_THREADS=t, POLARS_MAX_THREADS=t, OMP_NUM_THREADS=t)

    load_before = os.getloadavg()
    res = {e: {"ops": {}, "rss": 0.0, "others": [], "wall": [], "error": None} for e in runnable}
    for rnd in range(a.rounds):
        for e in runnable:
            r = res[e]
            if r["error"]:
                continue
            print(f"  round {rnd + 1}/{a.rounds} {e} ...", end="", file=sys.stderr, flush=True)
            secs, rss, others, rc, out, err = run_once(cmds[e][0], env)
            oth = f", others busy {others:.2f} cores" if others is not None else ""
            print(f" {secs:.1f} s, {rss:.0f} MiB{oth}", file=sys.stderr, flush=True)
            if rc != 0:
                r["error"] = f"exit status {rc}: {err.strip()[-1500:]}"
                continue
            r["rss"] = max(r["rss"], rss)
            r["wall"].append(secs)
            if others is not None:
                r["others"].append(others)
            try:
                got = parse(out)
            except ValueError as ex:
                r["error"] = f"unreadable output ({ex}): {out[:300]!r}"
                continue
            for op, _ in OPS:
                if op not in got:
                    r["error"] = f"no result for {op}: {out[-300:]!r} {err[-300:]!r}"
                    break
                d = got[op]
                o = r["ops"].setdefault(op, {"times": [], "check": d.get("check"), "self": None})
                o["times"].extend(d["times"])
                # an engine must agree with itself across repetitions and rounds
                for other in (d.get("check_other_rep"), d.get("check")):
                    if other is not None and o["self"] is None:
                        diff = same(o["check"], other)
                        if diff:
                            o["self"] = diff
    load_after = os.getloadavg()

    ok = [e for e in runnable if not res[e]["error"]]
    ref = "auk" if "auk" in ok else (ok[0] if ok else None)
    agree = {}  # op -> "yes" / "no" / "-"
    all_agree = not any(res[e]["error"] for e in runnable)
    for e in runnable:
        if res[e]["error"]:
            notes.append(f"{e}: failed: {res[e]['error']}")
    for op, _ in OPS[1:]:
        status = "yes" if len(ok) > 1 else "-"
        for e in ok:
            o = res[e]["ops"][op]
            if o["self"]:
                status = "no"
                notes.append(f"{op}: {e} disagrees with itself across runs: {o['self']}")
            if e != ref:
                diff = same(res[ref]["ops"][op]["check"], o["check"])
                if diff:
                    status = "no"
                    notes.append(f"{op}: {e} disagrees with {ref}: {diff}")
        agree[op] = status
        if status == "no":
            all_agree = False

    def med(e, op):
        if e not in ok:
            return None
        return statistics.median(res[e]["ops"][op]["times"])

    size = os.path.getsize(path) / 1e6
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\nquery benchmark on {os.path.basename(path)} ({size:.0f} MB), in memory, "
          f"{a.threads} threads, median of {a.reps * a.rounds}; {when}, {os.cpu_count()} cores, "
          f"{platform.machine()}")
    for e in runnable:
        print(f"  {e}: {cmds[e][1]}")
    peers = [e for e in ok if e != "auk"]
    hdr = f"{'operation':34}" + "".join(f"{e:>11}" for e in runnable)
    if "auk" in ok and peers:
        hdr += f"  {'auk vs fastest peer':20}"
    hdr += "  agree"
    print("\n" + hdr)
    table = []
    for op, label in OPS:
        m = {e: med(e, op) for e in runnable}
        line = f"{label:34}" + "".join(f"{fmt_t(m[e]):>11}" for e in runnable)
        fastest = min((m[e] for e in peers if m[e] is not None), default=None)
        ratio = fmt_ratio(m.get("auk"), fastest) if "auk" in ok and peers else None
        if ratio is not None:
            line += f"  {ratio:20}"
        line += "  " + ("-" if op == "load" else agree[op])
        print(line)
        table.append({"op": op, "label": label, "median_s": m, "auk_vs_fastest_peer": ratio,
                      "agree": None if op == "load" else agree[op]})
    print(f"\n{'engine':8} {'peak MiB':>9} {'process s':>10}  others busy (cores, per round)")
    for e in runnable:
        r = res[e]
        oth = " ".join(f"{x:.2f}" for x in r["others"]) or "-"
        wall = " ".join(f"{x:.1f}" for x in r["wall"]) or "-"
        print(f"{e:8} {r['rss']:9.0f} {wall:>10}  {oth}")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    if ref and len(ok) > 1:
        print(f"agreement is checked against {ref}: integers and strings exactly, floats to "
              f"{REL_TOL:g} relative; all runs: " + ("yes" if all_agree else "NO"))
    for n in notes:
        print("note: " + n)

    if a.json:
        doc = {"benchmark": "query", "file": os.path.basename(path), "bytes": int(size * 1e6),
               "threads": a.threads, "reps": a.reps, "rounds": a.rounds, "date": when,
               "cores": os.cpu_count(), "reference": ref, "notes": notes,
               "loadavg_before": load_before, "loadavg_after": load_after, "table": table,
               "engines": {e: {"version": cmds[e][1], "peak_rss_mib": res[e]["rss"],
                               "others_busy_cores": res[e]["others"], "error": res[e]["error"],
                               "ops": res[e]["ops"]} for e in runnable}}
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=2)
    return 0 if all_agree and ok else 1


if __name__ == "__main__":
    sys.exit(main())
