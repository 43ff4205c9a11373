// Polars (npm nodejs-polars) side of the groupby benchmark
// (bench/run_groupby.py): readCSV into a DataFrame once (the load), then the
// ten db-benchmark questions with the group_by/agg expressions of
// db-benchmark's polars script, each REPS times in a row, timing the
// question only; checksums as in groupby_common.mjs. Threads:
// POLARS_MAX_THREADS in the environment, set by the runner.
//   node polars_groupby.mjs FILE.csv [REPS] [QUESTIONS]
import pl from 'nodejs-polars';
import { runAll, groupbyCheck } from './groupby_common.mjs';

const path = process.argv[2];
const reps = Number(process.argv[3] || 2);
if (!path || !(reps >= 1)) {
  console.error('usage: node polars_groupby.mjs FILE.csv [REPS] [QUESTIONS]');
  process.exit(2);
}

let x;
const c = pl.col;
const RUN = {
  q1: () => x.groupBy('id1').agg(c('v1').sum().alias('v1')),
  q2: () => x.groupBy(['id1', 'id2']).agg(c('v1').sum().alias('v1')),
  q3: () => x.groupBy('id3').agg(c('v1').sum().alias('v1'), c('v3').mean().alias('v3')),
  q4: () => x.groupBy('id4').agg(c('v1').mean().alias('v1'), c('v2').mean().alias('v2'),
    c('v3').mean().alias('v3')),
  q5: () => x.groupBy('id6').agg(c('v1').sum().alias('v1'), c('v2').sum().alias('v2'),
    c('v3').sum().alias('v3')),
  q6: () => x.groupBy(['id4', 'id5']).agg(c('v3').median().alias('median_v3'),
    c('v3').std().alias('sd_v3')),
  q7: () => x.groupBy('id3').agg(c('v1').max().sub(c('v2').min()).alias('range_v1_v2')),
  // db-benchmark's polars script: x.drop_nulls("v3").sort("v3", descending=True)
  // .group_by("id6").agg(pl.col("v3").head(2).alias("largest2_v3")).explode("largest2_v3")
  // (nodejs-polars' GroupBy.head(2) gives list columns too, so the same form)
  q8: () => x.dropNulls('v3').sort('v3', true).groupBy('id6')
    .agg(c('v3').head(2).alias('largest2_v3')).explode('largest2_v3'),
  q9: () => x.groupBy(['id2', 'id4']).agg(pl.pearsonCorr('v1', 'v2').pow(2).alias('r2')),
  q10: () => x.groupBy(['id1', 'id2', 'id3', 'id4', 'id5', 'id6'])
    .agg(c('v3').sum().alias('v3'), pl.len().alias('count')),
};

await runAll({
  engine: 'polars',
  reps,
  only: process.argv[4],
  load: async () => {
    x = pl.readCSV(path);
    return {
      rows: x.height,
      threads: Number(process.env.POLARS_MAX_THREADS) || null,
      types: Object.fromEntries(x.columns.map((n) => [n, String(x.getColumn(n).dtype)])),
    };
  },
  run: async (q) => RUN[q.name](),
  check: async (q, r) => groupbyCheck(q, r.height, async (m) => {
    const s = r.getColumn(m);
    const zeros = r.select(c(m).eq(0).cast(pl.Int64).sum().alias('z')).getColumn('z').get(0);
    if (!/Float/.test(String(s.dtype))) return { sum: s.sum(), nulls: s.nullCount(), nans: 0, zeros };
    const t = r.select(c(m).filter(c(m).isNotNan()).sum().alias('sum'),
      c(m).isNan().cast(pl.Int64).sum().alias('nans'));
    return {
      sum: t.getColumn('sum').get(0), nulls: s.nullCount(), nans: t.getColumn('nans').get(0), zeros,
    };
  }),
});
