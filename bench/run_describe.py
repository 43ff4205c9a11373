#!/usr/bin/python3
"""describe benchmark: auk against Polars, DuckDB and pandas on the H2O
groupby table. Each engine runs in its own process (peak RSS from wait4),
R times; the table shows median seconds, the ratio to auk and whether the
answers agree with auk's (counts exactly, numbers to 1e-6 relative, strings
exactly). Run bench/setup.sh first."""
import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, env):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t0
    if status != 0:
        sys.exit(f"{cmd[0]} failed ({status}): {err.decode()[:2000]}")
    return secs, ru.ru_maxrss / 1024.0, out.decode()


def parse(text):
    rows = list(csv.reader(io.StringIO(text.strip())))
    head = rows[0][1:]
    return {r[0]: dict(zip(head, r[1:])) for r in rows[1:]}


def agree(a, b):
    for stat, cols in a.items():
        for col, va in cols.items():
            vb = b.get(stat, {}).get(col)
            if vb is None:
                return f"{stat}/{col} missing"
            if va == vb:
                continue
            try:
                fa, fb = float(va), float(vb)
            except ValueError:
                return f"{stat}/{col}: {va!r} vs {vb!r}"
            if abs(fa - fb) > 1e-6 * max(1.0, abs(fa), abs(fb)):
                return f"{stat}/{col}: {va} vs {vb}"
    return "yes"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=float, default=1e7)
    ap.add_argument("--na", type=int, default=0)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--engines", default="auk,polars,duckdb,pandas")
    ap.add_argument("--auk", default=os.path.join(HERE, "..", "build", "auk"))
    ap.add_argument("--datadir", default=os.path.join(HERE, "data"))
    a = ap.parse_args()
    n = int(a.rows)
    os.makedirs(a.datadir, exist_ok=True)
    m, e = n, 0
    while m >= 10 and m % 10 == 0:
        m, e = m // 10, e + 1
    path = os.path.join(a.datadir, f"G1_{m}e{e}_1e2_{a.na}_0.csv")
    if not os.path.exists(path):
        subprocess.check_call([os.path.join(HERE, "bin", "gen_groupby"), str(n), "100", str(a.na), a.datadir])
    env = dict(os.environ, AUK_THREADS=str(a.threads), POLARS_MAX_THREADS=str(a.threads),
               OMP_NUM_THREADS=str(a.threads))
    cmds = {
        "auk": [a.auk, "describe", "--csv", path],
        "polars": ["node", os.path.join(HERE, "engines", "polars_describe.mjs"), path],
        "duckdb": ["node", os.path.join(HERE, "engines", "duckdb_describe.mjs"), path, str(a.threads)],
        "pandas": ["/usr/bin/python3", os.path.join(HERE, "engines", "pandas_describe.py"), path],
    }
    engines = a.engines.split(",")
    results = {}
    for rep in range(a.reps):  # interleave engines so noise hits all alike
        for eng in engines:
            secs, rss, out = run(cmds[eng], env)
            r = results.setdefault(eng, {"t": [], "rss": 0, "out": out})
            r["t"].append(secs)
            r["rss"] = max(r["rss"], rss)
    size = os.path.getsize(path) / 1e6
    print(f"describe of {os.path.basename(path)} ({size:.0f} MB), {a.threads} threads, "
          f"median of {a.reps}")
    base = statistics.median(results["auk"]["t"]) if "auk" in results else None
    ref = parse(results["auk"]["out"]) if "auk" in results else None
    print(f"{'engine':8} {'seconds':>8} {'vs auk':>7} {'peak MiB':>9}  agrees")
    for eng in engines:
        r = results[eng]
        med = statistics.median(r["t"])
        ratio = f"{med / base:.2f}x" if base else "-"
        ok = agree(ref, parse(r["out"])) if ref and eng != "auk" else "-"
        print(f"{eng:8} {med:8.2f} {ratio:>7} {r['rss']:9.0f}  {ok}")


if __name__ == "__main__":
    main()
