// DuckDB (npm @duckdb/node-api) side of the Parquet benchmark
// (bench/run_parquet.py); operations and checksums as in parquet_common.mjs.
// Every result is materialized as a table (dropped before the next run,
// untimed):
//   full  CREATE TABLE t AS SELECT * FROM read_parquet(FILE)
//   v3    CREATE TABLE t AS SELECT v3 FROM read_parquet(FILE)
//   q1    CREATE TABLE ans AS SELECT id1, sum(v1) AS v1 FROM read_parquet(FILE) GROUP BY id1
//   q3    CREATE TABLE ans AS SELECT id3, sum(v1) AS v1, avg(v3) AS v3
//           FROM read_parquet(FILE) GROUP BY id3
//   write CREATE TABLE x AS SELECT * FROM read_csv(CSV) once (load_csv), then
//         COPY x TO OUT (FORMAT parquet, COMPRESSION zstd)
//   check the checksum of `full` for FILE, computed by SQL over read_parquet
//         (the runner uses it to cross-check the files each engine wrote)
// Opened with extension autoloading and autoinstalling off (nothing reaches
// the network), SET threads = THREADS; preserve_insertion_order is left at
// its default (true), so t keeps the file's row order.
//   node duckdb_parquet.mjs read FILE.parquet [REPS] [THREADS]
//   node duckdb_parquet.mjs write FILE.csv OUT.parquet [REPS] [THREADS]
//   node duckdb_parquet.mjs check FILE.parquet [THREADS]
import { DuckDBInstance } from '@duckdb/node-api';
import { readLoop, writeLoop, checksum } from './parquet_common.mjs';

const [mode, a1, a2, a3, a4] = process.argv.slice(2);
const wr = mode === 'write';
const reps = Number((wr ? a3 : a2) || 3);
const threads = Number((wr ? a4 : mode === 'check' ? a2 : a3) || 2);
if (!['read', 'write', 'check'].includes(mode) || !a1 || (wr && !a2) || !(reps >= 1) ||
    !(threads >= 1)) {
  console.error('usage: node duckdb_parquet.mjs read FILE.parquet [REPS] [THREADS]\n' +
    '       node duckdb_parquet.mjs write FILE.csv OUT.parquet [REPS] [THREADS]\n' +
    '       node duckdb_parquet.mjs check FILE.parquet [THREADS]');
  process.exit(2);
}

const db = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});
const con = await db.connect();
await con.run(`SET threads = ${threads}`);
const all = async (sql) => (await con.runAndReadAll(sql)).getRows();
const sq = (s) => `'${s.replace(/'/g, "''")}'`;

// r is a table name (or a parenthesized query)
const acc = {
  rows: async (r) => (await all(`SELECT count(*)::BIGINT FROM ${r}`))[0][0],
  columns: async (r) => (await all(`DESCRIBE ${r}`)).map((row) => ({
    name: row[0],
    kind: /CHAR|STRING|TEXT/.test(row[1]) ? 'str'
      : /DOUBLE|FLOAT|REAL|DECIMAL/.test(row[1]) ? 'float' : 'int',
  })),
  stat: async (r, name, kind) => {
    const e = kind === 'str' ? `sum(strlen("${name}"))::HUGEINT::VARCHAR`
      : kind === 'int' ? `sum("${name}")::HUGEINT::VARCHAR` : `fsum("${name}")::DOUBLE`;
    const [sum, nulls] = (await all(`SELECT ${e}, count(*) - count("${name}") FROM ${r}`))[0];
    return { sum: kind === 'float' ? sum : Number(sum), nulls: Number(nulls) };
  },
  cell: async (r, name, row) => (await all(`SELECT "${name}" FROM ${r} LIMIT 1 OFFSET ${row}`))[0][0],
};

if (mode === 'read') {
  const src = `read_parquet(${sq(a1)})`;
  const SQL = {
    full: `CREATE TABLE t AS SELECT * FROM ${src}`,
    v3: `CREATE TABLE t AS SELECT v3 FROM ${src}`,
    q1: `CREATE TABLE ans AS SELECT id1, sum(v1) AS v1 FROM ${src} GROUP BY id1`,
    q3: `CREATE TABLE ans AS SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM ${src} GROUP BY id3`,
  };
  await readLoop({
    engine: 'duckdb',
    reps,
    drop: async () => {
      await con.run('DROP TABLE IF EXISTS t');
      await con.run('DROP TABLE IF EXISTS ans');
    },
    run: async (op) => con.run(SQL[op]),
    check: (op) => checksum(acc, op === 'full' || op === 'v3' ? 't' : 'ans', op),
  });
} else if (mode === 'write') {
  await writeLoop({
    engine: 'duckdb',
    reps,
    out: a2,
    load: async () => {
      await con.run(`CREATE TABLE x AS SELECT * FROM read_csv(${sq(a1)})`);
      return { rows: Number((await all('SELECT count(*) FROM x'))[0][0]) };
    },
    write: async () => con.run(`COPY x TO ${sq(a2)} (FORMAT parquet, COMPRESSION zstd)`),
    readBack: async () => {
      await con.run('DROP TABLE x');
      await con.run(`CREATE TABLE t AS SELECT * FROM read_parquet(${sq(a2)})`);
      return checksum(acc, 't', 'full');
    },
  });
} else {
  await con.run(`CREATE TABLE t AS SELECT * FROM read_parquet(${sq(a1)})`);
  console.log(JSON.stringify({ engine: 'duckdb', op: 'check', file: a1,
    check: await checksum(acc, 't', 'full') }));
}
con.closeSync?.();
