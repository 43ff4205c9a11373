// Polars (nodejs-polars): read the whole CSV, then count, null_count, mean,
// std, min, max of every column in one select. Prints the describe CSV.
import pl from 'nodejs-polars';

const path = process.argv[2];
const df = pl.readCSV(path);
const exprs = [];
for (const c of df.columns) {
  const numeric = !String(df.getColumn(c).dtype).includes('String');
  exprs.push(pl.col(c).count().alias(`${c}\u0001count`));
  exprs.push(pl.col(c).nullCount().alias(`${c}\u0001null_count`));
  if (numeric) {
    exprs.push(pl.col(c).cast(pl.Float64).mean().alias(`${c}\u0001mean`));
    exprs.push(pl.col(c).cast(pl.Float64).std().alias(`${c}\u0001std`));
  }
  exprs.push(pl.col(c).min().alias(`${c}\u0001min`));
  exprs.push(pl.col(c).max().alias(`${c}\u0001max`));
}
const r = df.select(...exprs).toRecords()[0];
const stats = ['count', 'null_count', 'mean', 'std', 'min', 'max'];
const lines = [['statistic', ...df.columns].join(',')];
for (const s of stats) {
  const row = [s];
  for (const c of df.columns) {
    const v = r[`${c}\u0001${s}`];
    row.push(v === undefined || v === null ? '' : String(v));
  }
  lines.push(row.join(','));
}
console.log(lines.join('\n'));
