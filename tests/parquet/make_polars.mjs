// make_polars.mjs - a Parquet file written by Polars (npm nodejs-polars from
// bench/): nanosecond and millisecond timestamps, Int8, UInt32, Float32,
// categorical and plain strings, booleans, dates, with nulls; zstd.
//   node make_polars.mjs OUT.parquet
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../bench/package.json', import.meta.url));
const pl = require('nodejs-polars');
const n = 3000;
const ints = Array.from({length: n}, (_, i) => i);
let df = pl.DataFrame({
  i: ints,
  i8: ints.map(i => (i % 200) - 100),
  s: ints.map(i => i % 11 === 0 ? null : `v${i % 97}`),
  b: ints.map(i => i % 13 === 0 ? null : i % 3 === 0),
  f: ints.map(i => i % 17 === 0 ? null : i * 0.5),
  tsn: ints.map(i => new Date(1600000000000 + i * 1234567)),
});
df = df.withColumns(
  pl.col('i8').cast(pl.Int8),
  pl.col('f').cast(pl.Float32),
  pl.col('tsn').cast(pl.Datetime('ns')).alias('tsn'),
  pl.col('tsn').cast(pl.Datetime('ms')).alias('tsm'),
  pl.col('tsn').cast(pl.Date).alias('d'),
  pl.col('s').cast(pl.Categorical).alias('cat'),
  pl.col('i').cast(pl.UInt32).alias('u32'),
);
df.writeParquet(process.argv[2], { compression: 'zstd' });
