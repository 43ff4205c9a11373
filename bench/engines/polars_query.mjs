// Polars (npm nodejs-polars) side of the query benchmark (bench/run_query.py):
// readCSV into a DataFrame once (the load), then the six operations on it,
// each REPS times, timing the operation only; checksums as in
// query_common.mjs. Threads: POLARS_MAX_THREADS in the environment, set by
// the runner.
//   node polars_query.mjs FILE.csv [REPS] [OPS]
import pl from 'nodejs-polars';
import { runAll, filterCheck, deriveCheck, sortCheck } from './query_common.mjs';

const path = process.argv[2];
const reps = Number(process.argv[3] || 3);
if (!path || !(reps >= 1)) {
  console.error('usage: node polars_query.mjs FILE.csv [REPS] [OPS]');
  process.exit(2);
}

let df;
const RUN = {
  filter_v3: () => df.filter(pl.col('v3').gt(99.9)),
  filter_id1_v2: () => df.filter(pl.col('id1').eq(pl.lit('id042')).and(pl.col('v2').gt(10))),
  derive: () => df.withColumns(pl.col('v1').mul(pl.col('v2')).add(pl.col('v3')).alias('d')),
  sort_v3: () => df.sort('v3'),
  sort_id3_v3: () => df.sort({ by: ['id3', 'v3'], descending: [true, false] }),
  // The lazy form, so that Polars' optimizer turns sort + head into a top-k
  // (as auk's and DuckDB's do); eager df.sort('v3').head(10) sorts all rows.
  top10_v3: () => df.lazy().sort('v3').head(10).collectSync(),
};

const fetchRows = (r) => async (lo, len) => {
  const s = r.slice(lo, len);
  const id3 = s.getColumn('id3').toArray();
  const v3 = s.getColumn('v3').toArray();
  return id3.map((x, i) => [x, v3[i]]);
};

await runAll({
  engine: 'polars',
  reps,
  only: process.argv[4],
  load: async () => {
    df = pl.readCSV(path);
    return {
      rows: df.height,
      threads: Number(process.env.POLARS_MAX_THREADS) || null,
      types: Object.fromEntries(df.columns.map((c) => [c, String(df.getColumn(c).dtype)])),
    };
  },
  run: async (op) => RUN[op.name](),
  check: async (op, r) => {
    const sums = { rows: r.height, sum_v3: r.getColumn('v3').sum() };
    if (op.kind === 'filter') {
      sums.sum_v1 = r.getColumn('v1').sum();
      sums.sum_v2 = r.getColumn('v2').sum();
      return filterCheck(sums, fetchRows(r));
    }
    if (op.kind === 'derive') {
      const d = r.getColumn('d');
      sums.sum_d = d.sum();
      return deriveCheck(sums, async (p) => d.get(p));
    }
    return sortCheck(op, sums, fetchRows(r));
  },
});
