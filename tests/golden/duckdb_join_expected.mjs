// Writes DuckDB's answers to the five H2O join questions on the 1M-row
// tables of bench/gen_join.c (fixed seed, so the files are the same
// everywhere), from the repository root:
//   bench/setup.sh && bench/build.sh && node tests/golden/duckdb_join_expected.mjs
// The output, tests/data/expected/join_h2o_1e6.txt, is read by
// tests/golden/join_h2o.c, which runs the same joins through auk. Per
// question: rows, sum(v1), sum(v2), and the nulls of v2.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const require = createRequire(new URL('../../bench/package.json', import.meta.url));
const { DuckDBInstance } = require('@duckdb/node-api');

const dir = mkdtempSync(join(tmpdir(), 'auk-join-'));
execFileSync('bench/bin/gen_join', ['1e6', dir]);
const f = (n) => `'${join(dir, `J1_1e6_${n}_0_0.csv`)}'`;
const inst = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  threads: '2',
});
const con = await inst.connect();
for (const [t, n] of [['x', 'NA'], ['small', '1e0'], ['medium', '1e3'], ['big', '1e6']])
  await con.run(`CREATE TABLE ${t} AS SELECT * FROM read_csv(${f(n)})`);
const Q = {
  q1: 'FROM x JOIN small USING (id1)',
  q2: 'FROM x JOIN medium USING (id2)',
  q3: 'FROM x LEFT JOIN medium USING (id2)',
  q4: 'FROM x JOIN medium USING (id5)',
  q5: 'FROM x JOIN big USING (id3)',
};
let out = '# DuckDB ' + (await con.runAndReadAll('SELECT version()')).getRows()[0][0] +
  ' on bench/gen_join 1e6: question rows sum(v1) sum(v2) nulls(v2)\n';
for (const [q, from] of Object.entries(Q)) {
  const [r] = (await con.runAndReadAll(
    `SELECT count(*)::BIGINT, sum(v1)::DOUBLE, sum(v2)::DOUBLE, (count(*) - count(v2))::BIGINT ${from}`)).getRows();
  out += `${q} ${r[0]} ${r[1]} ${r[2]} ${r[3]}\n`;
}
writeFileSync('tests/data/expected/join_h2o_1e6.txt', out);
rmSync(dir, { recursive: true });
console.log(out);
