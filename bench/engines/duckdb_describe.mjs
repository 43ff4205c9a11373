// DuckDB (npm @duckdb/node-api): SET threads, then one aggregate query over
// read_csv computing count, null_count, mean, std (stddev_samp), min and max
// of every column. Extension autoloading and autoinstalling are off, so
// nothing reaches the network. Prints the describe CSV on stdout: a header
// `statistic,<columns>` and one row per statistic, empty = null.
//   node duckdb_describe.mjs FILE.csv [THREADS]
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2];
const threads = Number(process.argv[3] || 2);
if (!path || !(threads >= 1)) {
  console.error('usage: node duckdb_describe.mjs FILE.csv [THREADS]');
  process.exit(2);
}
const db = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});
const con = await db.connect();
await con.run(`SET threads = ${threads}`);
const src = `read_csv('${path.replace(/'/g, "''")}')`;
// The column names and types as read_csv infers them (a sniff of a sample).
const desc = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`);
const cols = desc.getRowObjects().map((r) => [String(r.column_name), String(r.column_type)]);
const numericType = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;
const q = (c) => `"${c.replace(/"/g, '""')}"`;
const sel = [];
for (const [c, t] of cols) {
  sel.push(`count(${q(c)})`, `count(*) - count(${q(c)})`);
  if (numericType.test(t)) sel.push(`avg(${q(c)})::DOUBLE`, `stddev_samp(${q(c)})::DOUBLE`);
  else sel.push('NULL', 'NULL');
  sel.push(`min(${q(c)})::VARCHAR`, `max(${q(c)})::VARCHAR`);
}
const res = await con.runAndReadAll(`SELECT ${sel.join(', ')} FROM ${src}`);
const row = res.getRows()[0];
const stats = ['count', 'null_count', 'mean', 'std', 'min', 'max'];
const lines = [['statistic', ...cols.map((c) => c[0])].join(',')];
for (let s = 0; s < stats.length; s++) {
  const out = [stats[s]];
  for (let i = 0; i < cols.length; i++) {
    const v = row[i * stats.length + s];
    out.push(v === null || v === undefined ? '' : String(v));
  }
  lines.push(out.join(','));
}
console.log(lines.join('\n'));
con.closeSync?.();
