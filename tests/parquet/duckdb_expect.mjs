// duckdb_expect.mjs - expected values of Parquet files from an independent
// reader (DuckDB, npm @duckdb/node-api), in a form the C tests compare
// with auk's reading: '|'-separated; a first line with the row count, a
// header of column names, then one line per row (the first 2000); \N for
// null, hex for strings, times and blobs, epoch microseconds for
// timestamps, decimals of up to 18 digits exactly (DuckDB's text, with
// their scale's digits; wider ones as doubles), plain text for the rest. Nested columns are left out.
//   node duckdb_expect.mjs OUT_DIR FILE.parquet...
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';

// The peers live in bench/node_modules (bench/setup.sh installs them).
const require = createRequire(new URL('../../bench/package.json', import.meta.url));
const { DuckDBInstance } = require('@duckdb/node-api');
const [outDir, ...files] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});
const con = await db.connect();
const LIMIT = Number(process.env.AUK_EXPECT_LIMIT || 2000); // rows written at most
const q = (c) => `"${c.replace(/"/g, '""')}"`;
for (const file of files) {
  const src = `read_parquet('${file.replace(/'/g, "''")}')`;
  let desc;
  try {
    desc = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`);
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    continue;
  }
  const cols = desc.getRowObjects().map((r) => [String(r.column_name), String(r.column_type)]);
  const flat = cols.filter(([, t]) => !/[\[\]]|STRUCT|MAP|\(.*\)\[/.test(t) || /^DECIMAL/.test(t));
  const sel = flat.map(([c, t]) => {
    const v = q(c);
    let e;
    if (t === 'BLOB') e = `hex(${v})`;
    else if (t === 'VARCHAR' || t === 'UUID' || /^TIME( |$)/.test(t) || /^ENUM/.test(t))
      e = `hex(${v}::VARCHAR)`;
    else if (/^TIMESTAMP/.test(t)) e = `epoch_us(${v})::VARCHAR`;
    else if (/^DECIMAL\(([1-9]|1[0-8]),/.test(t)) e = `${v}::VARCHAR`; // exact, s digits
    else if (/^(FLOAT|DOUBLE|DECIMAL)/.test(t)) e = `${v}::DOUBLE::VARCHAR`; // wider: f64
    else e = `${v}::VARCHAR`;
    return `coalesce(${e}, '\\N')`;
  });
  if (sel.length === 0) continue;
  let res, count;
  try {
    count = (await con.runAndReadAll(`SELECT count(*) FROM ${src}`)).getRows()[0][0];
    res = await con.runAndReadAll(`SELECT ${sel.join(', ')} FROM ${src} LIMIT ${LIMIT}`);
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    continue;
  }
  // line 1: the row count; line 2: the names; then at most LIMIT rows
  const lines = [String(count), flat.map((c) => c[0]).join('|')];
  for (const row of res.getRows()) lines.push(row.map(String).join('|'));
  writeFileSync(`${outDir}/${basename(file, '.parquet')}.expect`, lines.join('\n') + '\n');
}
