// Shared by polars_groupby.mjs and duckdb_groupby.mjs: the ten questions of
// the H2O db-benchmark groupby task (bench/run_groupby.py), their measure
// columns, and the run loop. The checksum of a result is db-benchmark's
// `chk` made comparable across engines: the row count, and per measure
// column the sum of its non-null, non-NaN values, its null count, its NaN
// count and, when the driver gives it, its count of values equal to 0 (as
// bench/auk_groupby.c computes; keep the two in step). The zeros let the
// runner match a sum that SQL makes NULL (a group with no values) with the
// 0 that a DataFrame engine gives.
// Each driver prints one JSON line for the load and one per question:
//   {"engine":E,"op":"load","times":[s],"rows":N}
//   {"engine":E,"op":"q1","times":[s,s],"check":{"rows":..,"sums":{..},"nulls":{..},"nans":{..}}}
import { performance } from 'node:perf_hooks';

export const QUESTIONS = [
  { name: 'q1', what: 'sum v1 by id1', measures: ['v1'] },
  { name: 'q2', what: 'sum v1 by id1:id2', measures: ['v1'] },
  { name: 'q3', what: 'sum v1 mean v3 by id3', measures: ['v1', 'v3'] },
  { name: 'q4', what: 'mean v1:v3 by id4', measures: ['v1', 'v2', 'v3'] },
  { name: 'q5', what: 'sum v1:v3 by id6', measures: ['v1', 'v2', 'v3'] },
  { name: 'q6', what: 'median v3 sd v3 by id4 id5', measures: ['median_v3', 'sd_v3'] },
  { name: 'q7', what: 'max v1 - min v2 by id3', measures: ['range_v1_v2'] },
  { name: 'q8', what: 'largest two v3 by id6', measures: ['largest2_v3'] },
  { name: 'q9', what: 'regression v1 v2 by id2 id4', measures: ['r2'] },
  { name: 'q10', what: 'sum v3 count by id1:id6', measures: ['v3', 'count'] },
];

export const now = () => performance.now() / 1000;

const num = (v) => (v === null || v === undefined ? 0 : Number(v));

// per measure column: colStats(name) -> { sum, nulls, nans[, zeros] }
export async function groupbyCheck(q, rows, colStats) {
  const c = { rows: Number(rows), sums: {}, nulls: {}, nans: {} };
  for (const m of q.measures) {
    const s = await colStats(m);
    c.sums[m] = num(s.sum);
    c.nulls[m] = num(s.nulls);
    c.nans[m] = num(s.nans);
    if (s.zeros !== undefined) (c.zeros ??= {})[m] = num(s.zeros);
  }
  return c;
}

// load() once (timed), then each question reps times in a row, as
// db-benchmark runs them (q1 run 1, q1 run 2, q2 run 1, ...): run(q) timed,
// check(q, result) untimed, drop() before each run and at the end, untimed.
// questions: the list to run (default the groupby questions above).
export async function runAll({ engine, reps, load, run, check, drop, only, questions }) {
  let t = now();
  const info = await load();
  const tload = now() - t;
  console.log(JSON.stringify({ engine, op: 'load', times: [tload], ...info }));
  const qs = (questions || QUESTIONS).filter((q) => !only || only.split(',').includes(q.name));
  for (const q of qs) {
    const times = [];
    let first = null;
    let other = null;
    for (let rep = 0; rep < reps; rep++) {
      if (drop) await drop();
      if (global.gc) global.gc();
      t = now();
      const r = await run(q);
      times.push(now() - t);
      const c = JSON.stringify(await check(q, r));
      if (rep === 0) first = c;
      else if (c !== first && !other) other = c;
    }
    if (drop) await drop();
    const line = `{"engine":${JSON.stringify(engine)},"op":"${q.name}","times":${JSON.stringify(times)},"check":${first}`;
    console.log(line + (other ? `,"check_other_rep":${other}}` : '}'));
  }
}
