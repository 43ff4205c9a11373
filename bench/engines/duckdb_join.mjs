// DuckDB (npm @duckdb/node-api) side of the join benchmark
// (bench/run_join.py): the four tables loaded with CREATE TABLE ... AS
// SELECT * FROM read_csv (the load), then the five questions in
// db-benchmark's SQL (its join-duckdb script: CREATE TABLE ans AS SELECT
// x.*, <right's other columns> FROM x JOIN <right> USING (key)), each REPS
// times in a row, timing that statement only; checksums by SQL over ans.
// Extension autoloading and autoinstalling are off (no network).
//   node duckdb_join.mjs X.csv SMALL.csv MEDIUM.csv BIG.csv [REPS] [THREADS] [QUESTIONS]
import { DuckDBInstance } from '@duckdb/node-api';
import { runAll, joinCheck, JOIN_QUESTIONS } from './join_common.mjs';

const files = process.argv.slice(2, 6);
const reps = Number(process.argv[6] || 2);
const threads = Number(process.argv[7] || 2);
if (files.length < 4 || !(reps >= 1) || !(threads >= 1)) {
  console.error('usage: node duckdb_join.mjs X.csv SMALL.csv MEDIUM.csv BIG.csv [REPS] [THREADS] [QUESTIONS]');
  process.exit(2);
}

const SQL = {
  q1: 'SELECT x.*, small.id4 AS small_id4, v2 FROM x JOIN small USING (id1)',
  q2: 'SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, v2 FROM x JOIN medium USING (id2)',
  q3: 'SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, v2 FROM x LEFT JOIN medium USING (id2)',
  q4: 'SELECT x.*, medium.id1 AS medium_id1, medium.id2 AS medium_id2, medium.id4 AS medium_id4, v2 FROM x JOIN medium USING (id5)',
  q5: 'SELECT x.*, big.id1 AS big_id1, big.id2 AS big_id2, big.id4 AS big_id4, big.id5 AS big_id5, big.id6 AS big_id6, v2 FROM x JOIN big USING (id3)',
};

const db = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});
const con = await db.connect();
await con.run(`SET threads = ${threads}`);
const all = async (sql) => (await con.runAndReadAll(sql)).getRows();
const q = (p) => `'${p.replace(/'/g, "''")}'`;

await runAll({
  engine: 'duckdb',
  reps,
  only: process.argv[8],
  questions: JOIN_QUESTIONS,
  load: async () => {
    const names = ['x', 'small', 'medium', 'big'];
    for (let i = 0; i < 4; i++)
      await con.run(`CREATE TABLE ${names[i]} AS SELECT * FROM read_csv(${q(files[i])})`);
    const rows = Number((await all('SELECT count(*) FROM x'))[0][0]);
    return { rows, threads };
  },
  drop: async () => con.run('DROP TABLE IF EXISTS ans'),
  run: async (qq) => con.run(`CREATE TABLE ans AS ${SQL[qq.name]}`),
  check: async (qq) => {
    const rows = (await all('SELECT count(*)::BIGINT FROM ans'))[0][0];
    return joinCheck(qq, rows, async (m) => {
      const [sum, nulls, nans] = (await all(
        `SELECT sum(${m}) FILTER (WHERE NOT isnan(${m}))::DOUBLE, count(*) - count(${m}), count(*) FILTER (WHERE isnan(${m})) FROM ans`))[0];
      return { sum, nulls: Number(nulls), nans: Number(nans) };
    });
  },
});
con.closeSync?.();
