// Polars (npm nodejs-polars) side of the join benchmark (bench/run_join.py):
// readCSV of the four tables (the load), then the five questions as
// db-benchmark's polars script writes them (x.join(y, on=key, how=...)),
// each REPS times in a row, timing the join only; checksums as in
// join_common.mjs. Threads: POLARS_MAX_THREADS, set by the runner.
//   node polars_join.mjs X.csv SMALL.csv MEDIUM.csv BIG.csv [REPS] [QUESTIONS]
import pl from 'nodejs-polars';
import { runAll, joinCheck, JOIN_QUESTIONS } from './join_common.mjs';

const files = process.argv.slice(2, 6);
const reps = Number(process.argv[6] || 2);
if (files.length < 4 || !(reps >= 1)) {
  console.error('usage: node polars_join.mjs X.csv SMALL.csv MEDIUM.csv BIG.csv [REPS] [QUESTIONS]');
  process.exit(2);
}

const t = {};
const c = pl.col;
await runAll({
  engine: 'polars',
  reps,
  only: process.argv[7],
  questions: JOIN_QUESTIONS,
  load: async () => {
    ['x', 'small', 'medium', 'big'].forEach((n, i) => { t[n] = pl.readCSV(files[i]); });
    return { rows: t.x.height, threads: Number(process.env.POLARS_MAX_THREADS) || null };
  },
  run: async (q) => t.x.join(t[q.right], { on: q.on, how: q.how }),
  check: async (q, r) => joinCheck(q, r.height, async (m) => {
    const s = r.getColumn(m);
    const v = r.select(c(m).filter(c(m).isNotNan()).sum().alias('sum'),
      c(m).isNan().cast(pl.Int64).sum().alias('nans'));
    return { sum: v.getColumn('sum').get(0), nulls: s.nullCount(), nans: v.getColumn('nans').get(0) };
  }),
});
