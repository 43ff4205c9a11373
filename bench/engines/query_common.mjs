// Shared by polars_query.mjs and duckdb_query.mjs: the operations of the
// query benchmark (bench/run_query.py), the checksums of their results and
// the output. The checksums are those of bench/auk_query.c (keep the two in
// step):
//   filter: rows, sum_v1, sum_v2, sum_v3, first and last [id3, v3]
//   derive: rows, sum_v3, sum_d, [pos, d] at positions 0, 999, n/2, n-1
//   sort:   rows, sum_v3, and at positions 0, 999, n/2, n-1 (top-10: every
//           row) v3 and the sorted id3 of the run of rows around the
//           position with the same sort key (tied rows may come in any
//           order), "open" when the run reaches the edge of the rows looked
//           at (a cut result: the tied rows past it are not known).
// Each driver prints one JSON line for the load and one per operation:
//   {"engine":E,"op":"load","times":[s],"rows":N}
//   {"engine":E,"op":OP,"times":[s,...],"check":{...}}
import { performance } from 'node:perf_hooks';

// name, kind, sort key includes id3, every row looked at, cut result
export const OPS = [
  { name: 'filter_v3', kind: 'filter' }, //           v3 > 99.9
  { name: 'filter_id1_v2', kind: 'filter' }, //       id1 = 'id042' and v2 > 10
  { name: 'derive', kind: 'derive' }, //              d = v1 * v2 + v3
  { name: 'sort_v3', kind: 'sort' }, //               order by v3
  { name: 'sort_id3_v3', kind: 'sort', keyId3: true }, // order by id3 desc, v3
  { name: 'top10_v3', kind: 'sort', allRows: true, truncated: true }, // order by v3 limit 10
];

export const WINDOW = 16; // rows looked at each side of a position

export const now = () => performance.now() / 1000;

export function positions(n, allRows) {
  if (allRows) return Array.from({ length: Math.min(n, 64) }, (_, i) => i);
  const s = new Set([0, 999, Math.floor(n / 2), n - 1].filter((p) => p >= 0 && p < n));
  return [...s].sort((a, b) => a - b);
}

const num = (v) => (v === null || v === undefined ? null : Number(v));

// filter: { rows, sum_v1, sum_v2, sum_v3 } and fetch(lo, len) -> [[id3, v3], ...]
export async function filterCheck(s, fetch) {
  const n = Number(s.rows);
  const first = n > 0 ? (await fetch(0, 1))[0] : null;
  const last = n > 0 ? (await fetch(n - 1, 1))[0] : null;
  return {
    rows: n, sum_v1: num(s.sum_v1), sum_v2: num(s.sum_v2), sum_v3: num(s.sum_v3),
    first: first && [String(first[0]), Number(first[1])],
    last: last && [String(last[0]), Number(last[1])],
  };
}

// derive: { rows, sum_v3, sum_d } and fetchD(pos) -> d
export async function deriveCheck(s, fetchD) {
  const n = Number(s.rows);
  const dAt = [];
  for (const p of positions(n, false)) dAt.push([p, Number(await fetchD(p))]);
  return { rows: n, sum_v3: num(s.sum_v3), sum_d: num(s.sum_d), d_at: dAt };
}

// sort: { rows, sum_v3 } and fetch(lo, len) -> [[id3, v3], ...]
export async function sortCheck(op, s, fetch) {
  const n = Number(s.rows);
  const at = [];
  for (const p of positions(n, !!op.allRows)) {
    const lo = Math.max(0, p - WINDOW);
    const hi = Math.min(n - 1, p + WINDOW);
    const rows = (await fetch(lo, hi - lo + 1)).map((r) => [String(r[0]), Number(r[1])]);
    const key = (r) => (op.keyId3 ? `${r[1]}\u0001${r[0]}` : String(r[1]));
    const k = key(rows[p - lo]);
    let a = p;
    let z = p;
    while (a > lo && key(rows[a - 1 - lo]) === k) a--;
    while (z < hi && key(rows[z + 1 - lo]) === k) z++;
    const open = (a === lo && lo > 0) || (z === hi && (hi < n - 1 || !!op.truncated));
    const id3 = rows.slice(a - lo, z - lo + 1).map((r) => r[0]);
    id3.sort((x, y) => (Buffer.compare(Buffer.from(x), Buffer.from(y))));
    at.push({ pos: p, v3: rows[p - lo][1], id3, open });
  }
  return { rows: n, sum_v3: num(s.sum_v3), at };
}

// Runs the benchmark: load() once (timed), then reps times every operation
// interleaved: run(op) timed, then check(op, result) untimed; drop(result)
// after. Prints the JSON lines.
export async function runAll({ engine, reps, load, run, check, drop, only }) {
  let t = now();
  const info = await load();
  const tload = now() - t;
  console.log(JSON.stringify({ engine, op: 'load', times: [tload], ...info }));
  const ops = OPS.filter((o) => !only || only.split(',').includes(o.name));
  const times = Object.fromEntries(ops.map((o) => [o.name, []]));
  const checks = {};
  const other = {};
  for (let rep = 0; rep < reps; rep++) {
    for (const op of ops) {
      if (drop) await drop();
      t = now();
      const r = await run(op);
      times[op.name].push(now() - t);
      const c = JSON.stringify(await check(op, r));
      if (rep === 0) checks[op.name] = c;
      else if (c !== checks[op.name] && !other[op.name]) other[op.name] = c;
    }
  }
  if (drop) await drop();
  for (const op of ops) {
    const line = `{"engine":${JSON.stringify(engine)},"op":"${op.name}","times":${JSON.stringify(times[op.name])},"check":${checks[op.name]}`;
    console.log(line + (other[op.name] ? `,"check_other_rep":${other[op.name]}}` : '}'));
  }
}
