// DuckDB (@duckdb/node-api): one aggregate query over read_csv computing
// count, null_count, mean, std (sample), min, max of every column.
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2];
const threads = process.argv[3] || '2';
const db = await DuckDBInstance.create(':memory:', {
  threads,
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});
const con = await db.connect();
const src = `read_csv('${path.replace(/'/g, "''")}')`;
const desc = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`);
const cols = desc.getRowObjects().map((r) => [r.column_name, String(r.column_type)]);
const q = (c) => `"${c.replace(/"/g, '""')}"`;
const sel = [];
for (const [c, t] of cols) {
  const numeric = !/VARCHAR/.test(t);
  sel.push(`count(${q(c)})`, `count(*) - count(${q(c)})`);
  if (numeric) sel.push(`avg(${q(c)})`, `stddev_samp(${q(c)})`);
  else sel.push('NULL', 'NULL');
  sel.push(`min(${q(c)})::VARCHAR`, `max(${q(c)})::VARCHAR`);
}
const res = await con.runAndReadAll(`SELECT ${sel.join(', ')} FROM ${src}`);
const row = res.getRows()[0];
const stats = ['count', 'null_count', 'mean', 'std', 'min', 'max'];
const lines = [['statistic', ...cols.map((c) => c[0])].join(',')];
for (let s = 0; s < 6; s++) {
  const out = [stats[s]];
  for (let i = 0; i < cols.length; i++) {
    const v = row[i * 6 + s];
    out.push(v === null || v === undefined ? '' : String(v));
  }
  lines.push(out.join(','));
}
console.log(lines.join('\n'));
