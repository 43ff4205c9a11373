#!/usr/bin/python3
"""The "describe" benchmark: auk against Polars, DuckDB and pandas on the H2O
db-benchmark groupby table.

Every engine reads every column of the same CSV and computes count,
null_count, mean, std (sample), min and max per column (Polars' describe()
without percentiles), printing them as CSV: a header `statistic,<columns>`,
six rows, an empty field for null. Each run is its own child process, so its
peak memory is the child's ru_maxrss from wait4. Engines are interleaved
within each repetition so that the machine's noise falls on all alike; the
table shows the median wall time, its ratio to auk's, the largest peak RSS
and whether the answers agree (count and null_count exactly, other numbers
to a relative 1e-6, strings exactly). An engine that is not installed is
skipped with a note; one that fails is reported and the rest go on.

Run bench/setup.sh once, then:
    /usr/bin/python3 bench/run_describe.py [--rows 1e7] [--na 0|5]
        [--engines auk,polars,duckdb,pandas] [--reps 3] [--threads 2]
        [--auk PATH] [--datadir DIR] [--json FILE]
Exit status: 0 when every engine that ran agreed, 1 otherwise.
"""
import argparse
import csv
import datetime
import io
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
STATS = ["count", "null_count", "mean", "std", "min", "max"]
ENGINES = ["auk", "polars", "duckdb", "pandas"]
REL_TOL = 1e-6


def r_name(v):
    """N or K as the R script names files: 10000000 -> 1e7, 100 -> 1e2, 2 ->
    2e0. Numbers not of the form D*10^E keep all their significant digits
    (15000000 -> 15e6); the generator writes the same names."""
    m, e = v, 0
    while m >= 10 and m % 10 == 0:
        m, e = m // 10, e + 1
    return f"{m}e{e}"


def count_arg(s):
    v = float(s)
    if v < 1 or v != math.floor(v):
        raise argparse.ArgumentTypeError(f"not a positive whole number: {s}")
    return int(v)


def ensure_data(a):
    name = f"G1_{r_name(a.rows)}_{r_name(a.k)}_{a.na}_{a.sorted}.csv"
    path = os.path.join(a.datadir, name)
    if os.path.exists(path):
        return path
    gen = os.path.join(HERE, "bin", "gen_groupby")
    subprocess.check_call([os.path.join(HERE, "build.sh")])
    os.makedirs(a.datadir, exist_ok=True)
    print(f"generating {path} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    subprocess.check_call([gen, str(a.rows), str(a.k), str(a.na), str(a.sorted), a.datadir],
                          stdout=subprocess.DEVNULL)
    print(f"  {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return path


def node_module_version(mod):
    try:
        with open(os.path.join(HERE, "node_modules", mod, "package.json")) as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return None


def engine_commands(a, path):
    """name -> (argv, version) for engines that are installed, or a string
    saying why not."""
    cmds = {}
    if os.access(a.auk, os.X_OK):
        cmds["auk"] = ([a.auk, "describe", "--csv", path], a.auk)
    else:
        cmds["auk"] = f"no auk binary at {a.auk} (build it, or pass --auk)"
    node = "node" if any(os.access(os.path.join(d, "node"), os.X_OK)
                         for d in os.environ.get("PATH", "").split(os.pathsep)) else None
    pv = node_module_version("nodejs-polars")
    if node and pv and node_module_version("nodejs-polars-linux-x64-gnu"):
        cmds["polars"] = (["node", os.path.join(HERE, "engines", "polars_describe.mjs"), path],
                          "nodejs-polars " + pv)
    else:
        cmds["polars"] = "nodejs-polars not installed (run bench/setup.sh)"
    dv = node_module_version("@duckdb/node-api")
    if node and dv:
        cmds["duckdb"] = (["node", os.path.join(HERE, "engines", "duckdb_describe.mjs"), path,
                           str(a.threads)], "@duckdb/node-api " + dv)
    else:
        cmds["duckdb"] = "@duckdb/node-api not installed (run bench/setup.sh)"
    try:
        pdv = subprocess.run(["/usr/bin/python3", "-c", "import pandas; print(pandas.__version__)"],
                             capture_output=True, text=True, timeout=60)
        ok = pdv.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    if ok:
        cmds["pandas"] = (["/usr/bin/python3", os.path.join(HERE, "engines", "pandas_describe.py"),
                           path], "pandas " + pdv.stdout.strip() + " (one thread)")
    else:
        cmds["pandas"] = "/usr/bin/python3 cannot import pandas (apt-get install python3-pandas)"
    return cmds


def run_once(argv, env):
    """Runs argv as a child; returns (seconds, peak RSS MiB, rc, stdout, stderr).
    Output goes to files, not pipes, so no pipe can fill and stall the child,
    and os.wait4 reaps it to give its own rusage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        secs = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)  # already reaped
        out.seek(0)
        err.seek(0)
        return (secs, ru.ru_maxrss / 1024.0, p.returncode, out.read().decode(errors="replace"),
                err.read().decode(errors="replace"))


def parse(text):
    """describe CSV -> (columns, {statistic: [values]})."""
    rows = list(csv.reader(io.StringIO(text.strip())))
    if not rows or not rows[0] or rows[0][0] != "statistic":
        raise ValueError("no `statistic,...` header")
    cols = rows[0][1:]
    table = {}
    for r in rows[1:]:
        if len(r) != len(cols) + 1:
            raise ValueError(f"row {r[0]!r} has {len(r) - 1} values for {len(cols)} columns")
        table[r[0]] = r[1:]
    missing = [s for s in STATS if s not in table]
    if missing:
        raise ValueError("missing statistics: " + ", ".join(missing))
    return cols, table


def num(s):
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def same_value(stat, x, y):
    if x == y:
        return True
    if stat in ("count", "null_count"):  # exactly, though one may print 95134.0
        fx, fy = num(x), num(y)
        return fx is not None and fx == fy and fx == math.floor(fx)
    if stat in ("mean", "std"):
        nulls = ("", "nan", "NaN", "null")
        if x in nulls or y in nulls:
            return x in nulls and y in nulls
    fx, fy = num(x), num(y)
    if fx is None or fy is None:  # strings: exactly
        return False
    return abs(fx - fy) <= REL_TOL * max(abs(fx), abs(fy)) or abs(fx - fy) < 1e-300


def compare(ref, other):
    """None when the answers agree, else the first difference."""
    rc, rt = ref
    oc, ot = other
    if rc != oc:
        return f"columns differ: {rc} vs {oc}"
    for stat in STATS:
        for col, x, y in zip(rc, rt[stat], ot[stat]):
            if not same_value(stat, x, y):
                return f"{stat} of {col}: {x!r} vs {y!r}"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=count_arg, default=10**7, help="N (default 1e7)")
    ap.add_argument("--k", type=count_arg, default=100, help="K, the groups (default 1e2)")
    ap.add_argument("--na", type=int, default=0, help="percent of NA per column (0 or 5)")
    ap.add_argument("--sorted", type=int, choices=(0, 1), default=0)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--auk", default=os.path.normpath(os.path.join(HERE, "..", "build", "auk")))
    ap.add_argument("--datadir", default=os.path.join(HERE, "data"))
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args()
    a.auk = os.path.abspath(a.auk)
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    bad = [e for e in engines if e not in ENGINES]
    if bad or not engines or a.reps < 1 or a.threads < 1 or not 0 <= a.na <= 100:
        ap.error(f"engines are among {','.join(ENGINES)}; reps, threads >= 1; 0 <= na <= 100")

    path = ensure_data(a)
    with open(path, "rb") as f:  # warm the page cache so the first engine is not penalized
        while f.read(1 << 24):
            pass
    cmds = engine_commands(a, path)
    notes = []
    runnable = []
    for e in engines:
        if isinstance(cmds[e], str):
            notes.append(f"{e}: skipped, {cmds[e]}")
        else:
            runnable.append(e)
    t = str(a.threads)
    env = dict(os.environ, AUK_THREADS=t, POLARS_MAX_THREADS=t, OMP_NUM_THREADS=t,
               OPENBLAS_NUM_THREADS=t, MKL_NUM_THREADS=t)

    res = {e: {"times": [], "rss": 0.0, "out": None, "error": None} for e in runnable}
    for rep in range(a.reps):
        for e in runnable:
            r = res[e]
            if r["error"]:
                continue
            print(f"  run {rep + 1}/{a.reps} {e} ...", end="", file=sys.stderr, flush=True)
            secs, rss, rc, out, err = run_once(cmds[e][0], env)
            print(f" {secs:.2f} s, {rss:.0f} MiB", file=sys.stderr, flush=True)
            if rc != 0:
                r["error"] = f"exit status {rc}: {err.strip()[-1500:]}"
                continue
            r["times"].append(secs)
            r["rss"] = max(r["rss"], rss)
            try:
                parsed = parse(out)
            except ValueError as ex:
                r["error"] = f"unreadable output ({ex}): {out[:300]!r}"
                continue
            if r["out"] is None:
                r["out"] = parsed
            elif compare(r["out"], parsed):  # an engine must agree with itself, too
                r["error"] = "answers differ between runs: " + compare(r["out"], parsed)

    ok = [e for e in runnable if not res[e]["error"]]
    ref = "auk" if "auk" in ok else (ok[0] if ok else None)
    all_agree = True
    for e in runnable:
        r = res[e]
        if r["error"]:
            r["agree"] = "failed"
            all_agree = False
            notes.append(f"{e}: {r['error']}")
        elif e == ref:
            r["agree"] = "ref" if len(ok) > 1 else "-"
        else:
            diff = compare(res[ref]["out"], r["out"])
            r["agree"] = "no" if diff else "yes"
            if diff:
                all_agree = False
                notes.append(f"{e} disagrees with {ref}: {diff}")

    size = os.path.getsize(path) / 1e6
    when = datetime.date.today().isoformat()
    print(f"\ndescribe of {os.path.basename(path)} ({size:.0f} MB), {a.threads} threads, "
          f"median of {a.reps}; {when}, {os.cpu_count()} cores, {platform.machine()}")
    for e in runnable:
        print(f"  {e}: {cmds[e][1]}")
    base = statistics.median(res["auk"]["times"]) if "auk" in ok else None
    print(f"\n{'engine':8} {'median s':>9} {'vs auk':>7} {'peak MiB':>9}  {'agrees':7} all runs (s)")
    for e in runnable:
        r = res[e]
        if r["times"]:
            med = statistics.median(r["times"])
            ratio = f"{med / base:.2f}x" if base else "-"
            runs = " ".join(f"{x:.2f}" for x in r["times"])
            print(f"{e:8} {med:9.2f} {ratio:>7} {r['rss']:9.0f}  {r['agree']:7} {runs}")
        else:
            print(f"{e:8} {'-':>9} {'-':>7} {'-':>9}  {r['agree']:7}")
    if ref and len(ok) > 1:
        print(f"\nagreement is checked against {ref}: count and null_count exactly, "
              f"other numbers to {REL_TOL:g} relative, strings exactly")
    for n in notes:
        print("note: " + n)

    if a.json:
        doc = {"benchmark": "describe", "file": os.path.basename(path), "bytes": int(size * 1e6),
               "threads": a.threads, "reps": a.reps, "date": when, "cores": os.cpu_count(),
               "reference": ref, "notes": notes,
               "engines": {e: {"version": cmds[e][1], "times": res[e]["times"],
                               "median": statistics.median(res[e]["times"]) if res[e]["times"]
                               else None, "peak_rss_mib": res[e]["rss"],
                               "agrees": res[e]["agree"], "error": res[e]["error"]}
                           for e in runnable}}
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=2)
    return 0 if all_agree and ok else 1


if __name__ == "__main__":
    sys.exit(main())
