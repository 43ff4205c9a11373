// Writes the expected results of the query-engine golden tests with DuckDB
// (an independent engine), from the repository root:
//   bench/setup.sh && node tests/golden/duckdb_expected.mjs
// The outputs are stored under tests/data/expected/ and read by
// tests/unit/test_query_golden.c, which runs the same queries through auk.
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../bench/package.json', import.meta.url));
const { DuckDBInstance } = require('@duckdb/node-api');

const data = 'examples/data/crimes-2022-slim.csv.gz';
const out = 'tests/data/expected';
const inst = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  threads: '2',
});
const con = await inst.connect();
await con.run(`CREATE TABLE c AS SELECT * FROM read_csv('${data}', header=true)`);

const queries = {
  // filter, derived hour, projection, multi-key sort
  thefts_with_arrest: `SELECT strftime(Date, '%Y-%m-%d %H:%M:%S') AS Date, hour(Date) AS hour, Block,
      Description, "Location Description", "Community Area"
    FROM c WHERE "Primary Type" = 'THEFT' AND Arrest
    ORDER BY hour, Date, Block, Description, "Location Description" NULLS FIRST, "Community Area"`,
  // string functions, like, is_in, null handling
  strings: `SELECT upper(Block) AS b, length(Description) AS len, coalesce("Location Description", 'UNKNOWN') AS loc
    FROM c WHERE Block LIKE '%MICHIGAN%' AND "Primary Type" IN ('BATTERY', 'ASSAULT') AND NOT Domestic
    ORDER BY b, len, loc`,
  // dates: a date range filter with string literals, fields and formatting
  june_by_day: `SELECT strftime(Date, '%d/%m/%Y') AS d, year(Date) AS y, month(Date) AS m, dayofmonth(Date) AS day,
      isodow(Date) AS wd, dayofyear(Date) AS doy, "Community Area" * 2 + 1 AS ca, "Community Area" // 7 AS q,
      "Community Area" % 7 AS r, "Community Area" / 4 AS t
    FROM c WHERE Date >= '2022-06-01' AND Date < '2022-06-02' ORDER BY Date, Block, Description`,
  // top-k descending with a tie breaker
  top10_latest: `SELECT strftime(Date, '%Y-%m-%d %H:%M:%S') AS Date, Block, "Primary Type" FROM c
    ORDER BY c.Date DESC, Block, "Primary Type", Description LIMIT 10`,
  // when/then/otherwise and null counts
  arrest_labels: `SELECT CASE WHEN Arrest THEN 'arrest' WHEN Domestic THEN 'domestic' ELSE 'other' END AS label,
      "Location Description" IS NULL AS no_loc
    FROM c WHERE "Community Area" BETWEEN 40 AND 41 ORDER BY Date, Block, Description, label`,
  // group-by with many aggregates; groups sorted by key
  groupby_type: `SELECT "Primary Type", count(*) AS n, sum(Arrest::INT) AS arrests, avg("Community Area") AS mean_ca,
      strftime(min(Date), '%Y-%m-%d %H:%M:%S') AS first_date, max(Block) AS maxblock,
      count(DISTINCT "Community Area") AS nu, median("Community Area") AS med,
      stddev_samp("Community Area") AS sd, var_samp("Community Area") AS v,
      max("Community Area") - min("Community Area") AS rng, bool_or(Domestic) AS any_dom,
      quantile_cont("Community Area", 0.9) AS q90, count("Location Description") AS with_loc
    FROM c GROUP BY 1 ORDER BY 1`,
  // two keys, one an expression; a global aggregate follows in its own file
  groupby_month_type: `SELECT month(Date) AS Date, "Primary Type", count(*) AS n,
      corr("Community Area", hour(Date)) AS r
    FROM c GROUP BY 1, 2 ORDER BY 1, 2`,
  global_agg: `SELECT count(*) AS len, sum("Community Area") AS ca, avg("Community Area") AS mean,
      min(Block) AS b, covar_samp("Community Area", hour(Date)) AS cv FROM c`,
};

for (const [name, sql] of Object.entries(queries)) {
  await con.run(`COPY (${sql}) TO '${out}/${name}.csv' (HEADER, DELIMITER ',')`);
  console.log(`wrote ${out}/${name}.csv`);
}

// TPC-H Q13 over the .tbl files of ../shared/data/tpch-sf0.01: its answer
// file was made from orders whose comment texts differ from these files
// (as the customer and supplier addresses do), so the SQL test compares
// Q13 with DuckDB's result on the same files instead.
const tpch = '../shared/data/tpch-sf0.01';
await con.run(`CREATE TABLE customer AS SELECT * FROM read_csv('${tpch}/customer.tbl', header=false, delim='|',
  names=['c_custkey','c_name','c_address','c_nationkey','c_phone','c_acctbal','c_mktsegment','c_comment'])`);
await con.run(`CREATE TABLE orders AS SELECT * FROM read_csv('${tpch}/orders.tbl', header=false, delim='|',
  names=['o_orderkey','o_custkey','o_orderstatus','o_totalprice','o_orderdate','o_orderpriority','o_clerk',
         'o_shippriority','o_comment'])`);
const fs = await import('node:fs');
const q13 = fs.readFileSync(`${tpch}/queries/q13.sql`, 'utf8').replace(/;\s*$/, '');
await con.run(`COPY (${q13}) TO '${out}/tpch_q13.csv' (HEADER, DELIMITER '|')`);
console.log(`wrote ${out}/tpch_q13.csv`);
