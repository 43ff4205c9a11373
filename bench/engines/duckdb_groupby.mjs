// DuckDB (npm @duckdb/node-api) side of the groupby benchmark
// (bench/run_groupby.py): CREATE TABLE x AS SELECT * FROM read_csv(FILE)
// (the load), then the ten questions in db-benchmark's SQL (its
// groupby-duckdb script: CREATE TABLE ans AS SELECT ...), each REPS times in
// a row, timing that statement only (ans is dropped before, untimed).
// Checksums by SQL over ans, as in groupby_common.mjs. Extension
// autoloading and autoinstalling are off, so nothing reaches the network.
//   node duckdb_groupby.mjs FILE.csv [REPS] [THREADS] [QUESTIONS]
import { DuckDBInstance } from '@duckdb/node-api';
import { runAll, groupbyCheck } from './groupby_common.mjs';

const path = process.argv[2];
const reps = Number(process.argv[3] || 2);
const threads = Number(process.argv[4] || 2);
if (!path || !(reps >= 1) || !(threads >= 1)) {
  console.error('usage: node duckdb_groupby.mjs FILE.csv [REPS] [THREADS] [QUESTIONS]');
  process.exit(2);
}

const SQL = {
  q1: 'SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1',
  q2: 'SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2',
  q3: 'SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3',
  q4: 'SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4',
  q5: 'SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6',
  q6: 'SELECT id4, id5, quantile_cont(v3, 0.5) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5',
  q7: 'SELECT id3, max(v1)-min(v2) AS range_v1_v2 FROM x GROUP BY id3',
  q8: 'SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2',
  q9: 'SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4',
  q10: 'SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY id1, id2, id3, id4, id5, id6',
};

const db = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});
const con = await db.connect();
await con.run(`SET threads = ${threads}`);

const all = async (sql) => (await con.runAndReadAll(sql)).getRows();

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
  drop: async () => con.run('DROP TABLE IF EXISTS ans'),
  run: async (q) => con.run(`CREATE TABLE ans AS ${SQL[q.name]}`),
  check: async (q) => {
    const rows = (await all('SELECT count(*)::BIGINT FROM ans'))[0][0];
    const types = Object.fromEntries((await all('DESCRIBE ans')).map((r) => [r[0], r[1]]));
    return groupbyCheck(q, rows, async (m) => {
      const isFloat = /DOUBLE|FLOAT|REAL|DECIMAL/.test(types[m]);
      const zeros = `count(*) FILTER (WHERE ${m} = 0)`;
      const sql = isFloat
        ? `SELECT sum(${m}) FILTER (WHERE NOT isnan(${m}))::DOUBLE, count(*) - count(${m}), count(*) FILTER (WHERE isnan(${m})), ${zeros} FROM ans`
        : `SELECT sum(${m})::HUGEINT::VARCHAR, count(*) - count(${m}), 0, ${zeros} FROM ans`;
      const [sum, nulls, nans, z] = (await all(sql))[0];
      return {
        sum: isFloat ? sum : Number(sum), nulls: Number(nulls), nans: Number(nans), zeros: Number(z),
      };
    });
  },
});
con.closeSync?.();
