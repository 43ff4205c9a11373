#!/usr/bin/python3
"""The Parquet benchmark (issue 7): auk against Polars and DuckDB on the H2O
groupby table written as Parquet, in one run.

Preparation (only for files missing from --datadir): the CSV
(G1_1e7_1e2_0_0.csv, made with the generator if missing) is written as four
Parquet files by engines/prep_parquet.mjs: by DuckDB (COPY ... (FORMAT
parquet, COMPRESSION snappy|zstd)) and by Polars (writeParquet with
compression snappy|zstd), each writer's other settings its defaults:
  G1_1e7_1e2_0_0.{duckdb,polars}_{snappy,zstd}.parquet

Then, on each file, each engine as its own child process (engines one after
another on the same file: bench/bin/auk_parquet, engines/polars_parquet.mjs,
engines/duckdb_parquet.mjs) runs --reps repetitions of four operations,
timing each:
  full  read the whole file into memory
  v3    read one column (v3) into memory
  q1    sum v1 by id1, straight from the file (a scan plan, not a loaded frame)
  q3    sum v1, mean v3 by id3, straight from the file
and then, once per engine, the write: the CSV is loaded into memory (untimed
here, shown), then written as Parquet with zstd --reps times (`write_zstd`),
to a temporary directory in --datadir, removed at the end. The written files
are checked twice: each engine reads its own back, and DuckDB reads every
engine's (`duckdb_parquet.mjs check`).

Answers: per operation the row count and per column the null count and the
sum (integers exactly, floats to a relative 1e-9, strings the total of their
lengths), plus the first and last v3 (and id3) of a scan; every engine's
must equal auk's (or the first engine's), each engine must agree with itself
across repetitions, `full` must be the same for all four files, and every
written file must read back as `full` does. Times are medians of --reps.
Also reported: peak RSS per child (os.wait4), how many cores other processes
kept busy while it ran, and `uptime` before and after.

Run bench/setup.sh and `make` once, then:
    /usr/bin/python3 bench/run_parquet.py [--reps 3] [--threads 2]
        [--engines auk,polars,duckdb] [--files duckdb_snappy,duckdb_zstd,polars_snappy,polars_zstd]
        [--no-write] [--rows 1e7] [--auk PATH] [--datadir DIR] [--json FILE]
Exit status: 0 when every engine that ran agreed everywhere, 1 otherwise.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in bench/
import run_describe as rd  # noqa: E402  (data generation and helpers)
import run_query as rq  # noqa: E402  (child processes, output parsing, comparison, formatting)
from run_groupby import uptime  # noqa: E402

ENGINES = ["auk", "polars", "duckdb"]
FILES = ["duckdb_snappy", "duckdb_zstd", "polars_snappy", "polars_zstd"]
OPS = [("full", "read all columns"),
       ("v3", "read column v3"),
       ("q1", "q1 sum v1 by id1 (scan)"),
       ("q3", "q3 sum v1, mean v3 by id3 (scan)")]


def have_node():
    return any(os.access(os.path.join(d, "node"), os.X_OK)
               for d in os.environ.get("PATH", "").split(os.pathsep))


def engine_commands(a):
    """name -> (argv prefix for read, argv builder for write, version), or why missing."""
    cmds = {}
    r, t = str(a.reps), str(a.threads)
    if os.access(a.auk, os.X_OK):
        cmds["auk"] = (lambda f: [a.auk, "read", f, r, t],
                       lambda csv, out: [a.auk, "write", csv, out, r, t],
                       "auk (bench/bin/auk_parquet)")
    else:
        cmds["auk"] = f"no auk driver at {a.auk} (run make, then bench/build.sh, or pass --auk)"
    node = have_node()
    pv = rd.node_module_version("nodejs-polars")
    js = lambda n: os.path.join(HERE, "engines", n)  # noqa: E731
    if node and pv and rd.node_module_version("nodejs-polars-linux-x64-gnu"):
        cmds["polars"] = (lambda f: ["node", js("polars_parquet.mjs"), "read", f, r],
                          lambda csv, out: ["node", js("polars_parquet.mjs"), "write", csv, out, r],
                          "nodejs-polars " + pv)
    else:
        cmds["polars"] = "nodejs-polars not installed (run bench/setup.sh)"
    dv = rd.node_module_version("@duckdb/node-api")
    if node and dv:
        cmds["duckdb"] = (lambda f: ["node", js("duckdb_parquet.mjs"), "read", f, r, t],
                          lambda csv, out: ["node", js("duckdb_parquet.mjs"), "write", csv, out,
                                            r, t],
                          "@duckdb/node-api " + dv)
    else:
        cmds["duckdb"] = "@duckdb/node-api not installed (run bench/setup.sh)"
    return cmds


def warm(path):
    with open(path, "rb") as f:  # into the page cache, so no engine pays for the disk
        while f.read(1 << 24):
            pass


def run_child(argv, env, label, need):
    print(f"  {label} ...", end="", file=sys.stderr, flush=True)
    secs, rss, others, rc, out, err = rq.run_once(argv, env)
    oth = f", others busy {others:.2f} cores" if others is not None else ""
    print(f" {secs:.1f} s, {rss:.0f} MiB{oth}", file=sys.stderr, flush=True)
    r = {"rss": rss, "wall": secs, "others": others, "error": None, "ops": {}}
    if rc != 0:
        r["error"] = f"exit status {rc}: {err.strip()[-1500:]}"
    try:
        r["ops"] = rq.parse(out)
    except ValueError as ex:
        r["error"] = r["error"] or f"unreadable output ({ex}): {out[:300]!r}"
    for op in need:
        if op not in r["ops"] and not r["error"]:
            r["error"] = f"no result for {op}: {out[-300:]!r} {err[-300:]!r}"
    return r


def med(ts):
    return statistics.median(ts) if ts else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=rd.count_arg, default=10**7, help="N (default 1e7)")
    ap.add_argument("--k", type=rd.count_arg, default=100, help="K (default 1e2)")
    ap.add_argument("--na", type=int, default=0, help="percent of NA (default 0)")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--files", default=",".join(FILES))
    ap.add_argument("--reps", type=int, default=3, help="repetitions of each operation (default 3)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-write", action="store_true", help="skip the write benchmark")
    ap.add_argument("--auk", default=os.path.join(HERE, "bin", "auk_parquet"))
    ap.add_argument("--datadir", default=os.path.join(HERE, "data"))
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args()
    a.auk = os.path.abspath(a.auk)
    a.sorted = 0
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    files = [f.strip() for f in a.files.split(",") if f.strip()]
    bad = [e for e in engines if e not in ENGINES] + [f for f in files if f not in FILES]
    if bad or not engines or not 1 <= a.reps <= 64 or a.threads < 1:
        ap.error(f"unknown {bad}; engines among {','.join(ENGINES)}, files among "
                 f"{','.join(FILES)}; 1 <= reps <= 64; threads >= 1")

    subprocess.check_call([os.path.join(HERE, "build.sh")])  # the auk driver when stale
    csv = rd.ensure_data(a)
    stem = os.path.basename(csv)[:-4]
    paths = {f: os.path.join(a.datadir, f"{stem}.{f}.parquet") for f in files}
    if any(not os.path.exists(p) for p in paths.values()):
        if not have_node() or not rd.node_module_version("@duckdb/node-api") or \
                not rd.node_module_version("nodejs-polars"):
            sys.exit("run_parquet: the Parquet files are missing and preparing them needs "
                     "Node.js, nodejs-polars and @duckdb/node-api (run bench/setup.sh)")
        print("preparing the Parquet files ...", file=sys.stderr, flush=True)
        subprocess.check_call(["node", os.path.join(HERE, "engines", "prep_parquet.mjs"), csv,
                               a.datadir], stdout=subprocess.DEVNULL)
    cmds = engine_commands(a)
    notes, runnable = [], []
    for e in engines:
        if isinstance(cmds[e], str):
            notes.append(f"{e}: skipped, {cmds[e]}")
        else:
            runnable.append(e)
    t = str(a.threads)
    env = dict(os.environ, AUK_THREADS=t, POLARS_MAX_THREADS=t, OMP_NUM_THREADS=t)
    ops = [o for o, _ in OPS]

    up_before = uptime()
    print(f"uptime before: {up_before}", file=sys.stderr)
    res = {}  # file -> engine -> result
    for f in files:
        warm(paths[f])
        print(f"{os.path.basename(paths[f])}:", file=sys.stderr)
        res[f] = {e: run_child(cmds[e][0](paths[f]), env, e, ops) for e in runnable}
    wres, verify = {}, {}
    wdir = None
    if not a.no_write:
        warm(csv)
        wdir = tempfile.mkdtemp(prefix="parquet_write_", dir=a.datadir)
        print(f"write zstd ({os.path.basename(csv)} -> {wdir}):", file=sys.stderr)
        outs = {e: os.path.join(wdir, f"{e}.zstd.parquet") for e in runnable}
        for e in runnable:
            wres[e] = run_child(cmds[e][1](csv, outs[e]), env, e, ["load_csv", "write_zstd"])
        if "duckdb" in runnable or (have_node() and rd.node_module_version("@duckdb/node-api")):
            for e in runnable:
                if os.path.exists(outs[e]):
                    verify[e] = run_child(["node", os.path.join(HERE, "engines",
                                                                "duckdb_parquet.mjs"),
                                           "check", outs[e], t], env,
                                          f"DuckDB reads {e}'s file", ["check"])
    up_after = uptime()
    print(f"uptime after: {up_after}", file=sys.stderr)
    if wdir:
        shutil.rmtree(wdir, ignore_errors=True)

    # ---------------------------------------------------------------- answers
    failed = False
    all_agree = True
    agree = {}  # (file, op) -> status
    ref_full = None  # (label, check) the reference `full` answer
    for f in files:
        for e in runnable:
            if res[f][e]["error"]:
                notes.append(f"{f}: {e} failed: {res[f][e]['error']}")
                failed = True
        for op in ops:
            have = [e for e in runnable if "check" in res[f][e]["ops"].get(op, {})]
            for e in have:
                o = res[f][e]["ops"][op]
                if "check_other_rep" in o:
                    d = rq.same(o["check"], o["check_other_rep"])
                    if d:
                        notes.append(f"{f} {op}: {e} disagrees with itself across reps: {d}")
                        all_agree = False
            base = have[0] if have else None
            diffs = []
            for e in have[1:]:
                d = rq.same(res[f][base]["ops"][op]["check"], res[f][e]["ops"][op]["check"])
                if d:
                    diffs.append(e)
                    notes.append(f"{f} {op}: {base} vs {e}: {d}")
            if len(have) < 2:
                status = "-"
            elif not diffs:
                status = "yes"
            else:
                all_agree = False
                status = f"NO: {', '.join(diffs)} differ from {base}"
            agree[(f, op)] = status
            if op == "full" and base:
                c = res[f][base]["ops"][op]["check"]
                if ref_full is None:
                    ref_full = (f"{base} on {f}", c)
                else:
                    d = rq.same(ref_full[1], c)
                    if d:
                        notes.append(f"full on {f} ({base}) differs from {ref_full[0]}: {d}")
                        all_agree = False
                        agree[(f, op)] += " (differs from another file)"
    wagree = {}
    for e in wres:
        r = wres[e]
        if r["error"]:
            notes.append(f"write: {e} failed: {r['error']}")
            failed = True
        st = []
        c = r["ops"].get("write_zstd", {}).get("check")
        if c is not None and ref_full is not None:
            d = rq.same(ref_full[1], c)
            st.append("own read-back " + ("ok" if not d else "DIFFERS"))
            if d:
                notes.append(f"write: {e}'s file read back by {e} differs from {ref_full[0]}: {d}")
                all_agree = False
        v = verify.get(e)
        if v is not None:
            vc = v["ops"].get("check", {}).get("check")
            if v["error"] or vc is None:
                st.append("DuckDB read FAILED")
                notes.append(f"write: DuckDB could not read {e}'s file: {v['error']}")
                all_agree = False
            elif ref_full is not None:
                d = rq.same(ref_full[1], vc)
                st.append("DuckDB read " + ("ok" if not d else "DIFFERS"))
                if d:
                    notes.append(f"write: {e}'s file read by DuckDB differs from {ref_full[0]}: {d}")
                    all_agree = False
        wagree[e] = ", ".join(st) or "-"

    # ----------------------------------------------------------------- tables
    peers = [e for e in runnable if e != "auk"]
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\nParquet benchmark, {stem} ({a.rows} rows), {a.threads} threads, median of "
          f"{a.reps}; {when}, {os.cpu_count()} cores, {platform.machine()}")
    for e in runnable:
        print(f"  {e}: {cmds[e][2]}")
    table = []
    w = 12

    def row(label, ts, status, extra=""):
        meds = {e: med(ts[e]) for e in runnable}
        fastest = min((meds[e] for e in peers if meds[e] is not None), default=None)
        ratio = rq.fmt_ratio(meds.get("auk"), fastest) if "auk" in runnable and peers else "-"
        line = f"{label:34}" + "".join(f"{rq.fmt_t(meds[e]):>{w}}" for e in runnable)
        line += f"  {ratio:22}{status}{extra}"
        print(line)
        return meds, ratio

    hdr = f"{'operation':34}" + "".join(f"{e:>{w}}" for e in runnable) + \
        f"  {'auk vs faster peer':22}agree"
    for f in files:
        size = os.path.getsize(paths[f]) / 1e6
        print(f"\n{os.path.basename(paths[f])} ({size:.0f} MB)")
        print(hdr)
        for op, label in OPS:
            ts = {e: res[f][e]["ops"].get(op, {}).get("times") for e in runnable}
            meds, ratio = row(label, ts, agree[(f, op)])
            table.append({"file": f, "op": op, "label": label, "times_s": ts, "median_s": meds,
                          "auk_vs_faster_peer": ratio, "agree": agree[(f, op)]})
        print("peak MiB: " + ", ".join(f"{e} {res[f][e]['rss']:.0f}" for e in runnable) +
              "; others busy (cores): " +
              ", ".join(f"{e} {res[f][e]['others']:.2f}" for e in runnable
                        if res[f][e]["others"] is not None))
    if wres:
        print(f"\nwrite {stem} as Parquet, zstd, from memory")
        print(hdr)
        ts = {e: wres[e]["ops"].get("load_csv", {}).get("times") for e in runnable}
        row("load CSV (before the write)", ts, "-")
        ts = {e: wres[e]["ops"].get("write_zstd", {}).get("times") for e in runnable}
        wok = all(s.count("ok") == len(s.split(", ")) for s in wagree.values()) and \
            all(not wres[e]["error"] for e in wres)
        meds, ratio = row("write zstd", ts, "yes (read back)" if wok else "NO (see notes)")
        print("  written file read back: " + "; ".join(f"{e}: {wagree[e]}" for e in runnable))
        print("  file size MB: " + ", ".join(
            f"{e} {wres[e]['ops'].get('write_zstd', {}).get('bytes', 0) / 1e6:.0f}"
            for e in runnable))
        print("peak MiB: " + ", ".join(f"{e} {wres[e]['rss']:.0f}" for e in runnable) +
              "; others busy (cores): " +
              ", ".join(f"{e} {wres[e]['others']:.2f}" for e in runnable
                        if wres[e]["others"] is not None))
        table.append({"file": "write", "op": "write_zstd", "times_s": ts, "median_s": meds,
                      "auk_vs_faster_peer": ratio, "agree": wagree,
                      "bytes": {e: wres[e]["ops"].get("write_zstd", {}).get("bytes")
                                for e in runnable}})
    print(f"\nuptime before: {up_before}\nuptime after:  {up_after}")
    print("answers: rows, null counts, integer and string-length sums exactly, float sums to "
          f"{rq.REL_TOL:g} relative; all agree: " + ("yes" if all_agree and not failed else "NO"))
    for n in notes:
        print("note: " + n)

    if a.json:
        doc = {"benchmark": "parquet", "csv": os.path.basename(csv), "threads": a.threads,
               "reps": a.reps, "date": when, "cores": os.cpu_count(), "notes": notes,
               "uptime_before": up_before, "uptime_after": up_after, "table": table,
               "files": {f: {"bytes": os.path.getsize(paths[f]),
                             "engines": {e: {"peak_rss_mib": res[f][e]["rss"],
                                             "process_s": res[f][e]["wall"],
                                             "others_busy_cores": res[f][e]["others"],
                                             "error": res[f][e]["error"],
                                             "ops": res[f][e]["ops"]} for e in runnable}}
                         for f in files},
               "write": {e: {"peak_rss_mib": wres[e]["rss"], "process_s": wres[e]["wall"],
                             "others_busy_cores": wres[e]["others"], "error": wres[e]["error"],
                             "ops": wres[e]["ops"],
                             "duckdb_check": verify.get(e, {}).get("ops")} for e in wres},
               "versions": {e: cmds[e][2] for e in runnable}}
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=2)
    return 0 if all_agree and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
