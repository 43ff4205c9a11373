// Polars (npm nodejs-polars): read the whole CSV with readCSV, then count,
// null_count, mean, std (ddof 1), min and max of every column in one select
// (Polars' describe() without the percentiles). Threads: POLARS_MAX_THREADS
// in the environment, set by the runner. Prints the describe CSV on stdout:
// a header `statistic,<columns>` and one row per statistic, empty = null.
//   node polars_describe.mjs FILE.csv
import pl from 'nodejs-polars';

const path = process.argv[2];
if (!path) {
  console.error('usage: node polars_describe.mjs FILE.csv');
  process.exit(2);
}
const df = pl.readCSV(path);
const stats = ['count', 'null_count', 'mean', 'std', 'min', 'max'];
const name = (c, s) => `${c}\u0001${s}`; // output names that cannot clash
const exprs = [];
for (const c of df.columns) {
  const numeric = df.getColumn(c).isNumeric();
  exprs.push(pl.col(c).count().alias(name(c, 'count')));
  exprs.push(pl.col(c).nullCount().alias(name(c, 'null_count')));
  if (numeric) {
    exprs.push(pl.col(c).cast(pl.Float64).mean().alias(name(c, 'mean')));
    exprs.push(pl.col(c).cast(pl.Float64).std().alias(name(c, 'std')));
  }
  exprs.push(pl.col(c).min().alias(name(c, 'min')));
  exprs.push(pl.col(c).max().alias(name(c, 'max')));
}
const r = df.select(...exprs).toRecords()[0];
const lines = [['statistic', ...df.columns].join(',')];
for (const s of stats) {
  const row = [s];
  for (const c of df.columns) {
    const v = r[name(c, s)];
    row.push(v === undefined || v === null ? '' : String(v));
  }
  lines.push(row.join(','));
}
console.log(lines.join('\n'));
