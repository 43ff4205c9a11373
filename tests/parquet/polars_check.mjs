// polars_check.mjs - reads Parquet files with Polars (npm nodejs-polars
// from bench/) and prints, per file and column, what the C test compares
// with the frame auk wrote:  file|rows|column|null_count|sum
// (sum for numeric and boolean columns, total UTF-8 length for strings,
// "-" otherwise).   node polars_check.mjs FILE.parquet...
import { createRequire } from 'node:module';
import { basename } from 'node:path';

const require = createRequire(new URL('../../bench/package.json', import.meta.url));
const pl = require('nodejs-polars');
for (const file of process.argv.slice(2)) {
  let df;
  try {
    df = pl.readParquet(file);
  } catch (e) {
    console.log(`${basename(file)}|error|${String(e.message).replace(/\n/g, ' ')}`);
    continue;
  }
  for (const name of df.columns) {
    const s = df.getColumn(name);
    let sum = '-';
    const t = String(s.dtype);
    if (/Int|Float|Bool/.test(t)) {
      let acc = 0;
      for (const v of s.toArray()) if (v !== null && v !== undefined) acc += Number(v);
      sum = String(acc);
    } else if (/String|Utf8/.test(t)) {
      let acc = 0;
      for (const v of s.toArray()) if (v !== null && v !== undefined) acc += Buffer.byteLength(v);
      sum = String(acc);
    }
    console.log(`${basename(file)}|${df.height}|${name}|${s.nullCount()}|${sum}`);
  }
}
