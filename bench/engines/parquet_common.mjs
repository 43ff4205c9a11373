// Shared by polars_parquet.mjs and duckdb_parquet.mjs: the operations of the
// Parquet benchmark (bench/run_parquet.py), the checksum, and the run loops.
//
// read mode, on one Parquet file, each repetition in this order:
//   full  the whole file into memory     v3  the column v3 into memory
//   q1    sum v1 by id1, from the file   q3  sum v1, mean v3 by id3, from the file
// write mode: load the CSV into memory once (load_csv, timed on its own),
// then write it as Parquet with zstd REPS times (write_zstd); untimed, the
// written file is read back and checksummed as `full`, and its size given.
//
// The checksum (bench/auk_parquet.c computes the same; keep them in step):
// the row count, and per result column its null count and "sum": integers
// summed exactly, floats as the engine sums them (the runner allows a
// relative 1e-9), strings the total of their lengths. The scans also give
// the first and last value of v3 (and of id3 for `full`): row order must
// survive a read. Taken on the first and the last repetition, untimed.
// Each driver prints one JSON line per operation:
//   {"engine":E,"op":"q1","times":[s,..],"check":{"rows":100,"cols":{..}}}
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

export const OPS = ['full', 'v3', 'q1', 'q3'];
export const now = () => performance.now() / 1000;

const num = (v) => (v === null || v === undefined ? 0 : typeof v === 'bigint' ? Number(v) : v);

// engine-specific accessors over a result r:
//   columns(r) -> [{ name, kind: 'str' | 'int' | 'float' }]
//   stat(r, name, kind) -> { sum, nulls }     (for 'int', sum may be a bigint)
//   cell(r, name, row) -> value
//   rows(r) -> row count
export async function checksum(acc, r, op) {
  const n = Number(await acc.rows(r));
  const c = { rows: n, cols: {} };
  for (const { name, kind } of await acc.columns(r)) {
    const s = await acc.stat(r, name, kind);
    c.cols[name] = { sum: num(s.sum), nulls: num(s.nulls) };
  }
  const edges = op === 'full' ? ['v3', 'id3'] : op === 'v3' ? ['v3'] : [];
  for (const e of edges) {
    if (n === 0) break;
    c[`${e}_first`] = num(await acc.cell(r, e, 0));
    c[`${e}_last`] = num(await acc.cell(r, e, n - 1));
  }
  return c;
}

function line(engine, op, times, first, other, extra = {}) {
  const head = { engine, op, times, ...extra };
  let s = JSON.stringify(head).slice(0, -1);
  if (first) s += `,"check":${first}`;
  if (other) s += `,"check_other_rep":${other}`;
  return s + '}';
}

// run(op) timed, check(op, r) untimed on the first and last repetition,
// drop() untimed before each run and at the end.
export async function readLoop({ engine, reps, run, check, drop }) {
  const times = Object.fromEntries(OPS.map((o) => [o, []]));
  const first = {};
  const other = {};
  for (let rep = 0; rep < reps; rep++) {
    for (const op of OPS) {
      if (drop) await drop();
      if (global.gc) global.gc();
      const t = now();
      let r = await run(op);
      times[op].push(now() - t);
      if (rep === 0 || rep === reps - 1) {
        const c = JSON.stringify(await check(op, r));
        if (rep === 0) first[op] = c;
        else if (c !== first[op]) other[op] = c;
      }
      r = null;
    }
  }
  if (drop) await drop();
  for (const op of OPS) console.log(line(engine, op, times[op], first[op], other[op]));
}

// load() timed once, then write() timed reps times (the file `out` removed
// before each, untimed), then readBack() -> the checksum of the written file,
// untimed; its size is given in bytes.
export async function writeLoop({ engine, reps, out, load, write, readBack }) {
  let t = now();
  const info = await load();
  console.log(line(engine, 'load_csv', [now() - t], null, null, info));
  const times = [];
  for (let rep = 0; rep < reps; rep++) {
    fs.rmSync(out, { force: true });
    if (global.gc) global.gc();
    t = now();
    await write();
    times.push(now() - t);
  }
  const bytes = fs.statSync(out).size;
  const check = await readBack();
  console.log(line(engine, 'write_zstd', times, JSON.stringify(check), null, { bytes }));
}
