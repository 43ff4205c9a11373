// DuckDB (npm @duckdb/node-api) side of the query benchmark
// (bench/run_query.py): CREATE TABLE x AS SELECT * FROM read_csv(FILE) (the
// load), then each operation as SQL materialized into a temporary table,
// CREATE OR REPLACE TEMP TABLE r AS ..., REPS times, timing that statement
// only (the previous r is dropped before, untimed). Checksums by SQL over r,
// rows at positions with LIMIT/OFFSET on r: with preserve_insertion_order
// (the default) r keeps the order of the query that made it. Extension
// autoloading and autoinstalling are off, so nothing reaches the network.
//   node duckdb_query.mjs FILE.csv [REPS] [THREADS] [OPS]
import { DuckDBInstance } from '@duckdb/node-api';
import { runAll, filterCheck, deriveCheck, sortCheck } from './query_common.mjs';

const path = process.argv[2];
const reps = Number(process.argv[3] || 3);
const threads = Number(process.argv[4] || 2);
if (!path || !(reps >= 1) || !(threads >= 1)) {
  console.error('usage: node duckdb_query.mjs FILE.csv [REPS] [THREADS] [OPS]');
  process.exit(2);
}

const SQL = {
  filter_v3: 'SELECT * FROM x WHERE v3 > 99.9',
  filter_id1_v2: "SELECT * FROM x WHERE id1 = 'id042' AND v2 > 10",
  derive: 'SELECT *, v1 * v2 + v3 AS d FROM x',
  sort_v3: 'SELECT * FROM x ORDER BY v3',
  sort_id3_v3: 'SELECT * FROM x ORDER BY id3 DESC, v3',
  top10_v3: 'SELECT * FROM x ORDER BY v3 LIMIT 10',
};

const db = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});
const con = await db.connect();
await con.run(`SET threads = ${threads}`);
await con.run('SET preserve_insertion_order = true'); // the default; the checksums rely on it

const all = async (sql) => (await con.runAndReadAll(sql)).getRows();
const fetchRows = async (lo, len) => all(`SELECT id3, v3 FROM r LIMIT ${len} OFFSET ${lo}`);

await runAll({
  engine: 'duckdb',
  reps,
  only: process.argv[5],
  load: async () => {
    await con.run(`CREATE TABLE x AS SELECT * FROM read_csv('${path.replace(/'/g, "''")}')`);
    const rows = Number((await all('SELECT count(*) FROM x'))[0][0]);
    const types = Object.fromEntries((await all('DESCRIBE x')).map((r) => [r[0], r[1]]));
    return { rows, threads, types };
  },
  drop: async () => con.run('DROP TABLE IF EXISTS r'),
  run: async (op) => con.run(`CREATE OR REPLACE TEMP TABLE r AS ${SQL[op.name]}`),
  check: async (op) => {
    const extra = op.kind === 'filter' ? ', sum(v1)::BIGINT, sum(v2)::BIGINT'
      : op.kind === 'derive' ? ', sum(d)::DOUBLE' : '';
    const row = (await all(`SELECT count(*)::BIGINT, sum(v3)::DOUBLE${extra} FROM r`))[0];
    const sums = { rows: Number(row[0]), sum_v3: row[1] };
    if (op.kind === 'filter') {
      sums.sum_v1 = row[2];
      sums.sum_v2 = row[3];
      return filterCheck(sums, fetchRows);
    }
    if (op.kind === 'derive') {
      sums.sum_d = row[2];
      return deriveCheck(sums, async (p) => (await all(`SELECT d FROM r LIMIT 1 OFFSET ${p}`))[0][0]);
    }
    return sortCheck(op, sums, fetchRows);
  },
});
con.closeSync?.();
