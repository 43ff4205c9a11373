// make_types.mjs - a Parquet file written by DuckDB with the logical types
// auk cannot write itself (times, millisecond and nanosecond timestamps,
// decimals on INT32/INT64/FIXED, UUID, ENUM, BLOB), nulls included, for
// tests/data/parquet-types. Its expected values come from
// duckdb_expect.mjs like the parquet-testing files'.
// A second file, OUT with "_v2" before ".parquet", is written with
// PARQUET_VERSION V2: data pages v2, DELTA_BINARY_PACKED integers,
// BYTE_STREAM_SPLIT floats, DELTA_LENGTH_BYTE_ARRAY strings. A third,
// "_brotli", is compressed with brotli (parquet-testing's only brotli file
// is nested).
//   node make_types.mjs OUT.parquet
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../bench/package.json', import.meta.url));
const { DuckDBInstance } = require('@duckdb/node-api');
const db = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});
const con = await db.connect();
await con.run(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`);
await con.run(`COPY (SELECT
    i,
    CASE WHEN i % 7 = 3 THEN NULL ELSE TIME '00:00:00' + INTERVAL (i * 3723001) MILLISECOND END AS t,
    CASE WHEN i % 5 = 1 THEN NULL ELSE (TIMESTAMP '2021-03-04 05:06:07.891' + INTERVAL (i) DAY)::TIMESTAMP_MS END AS ts_ms,
    CASE WHEN i % 5 = 2 THEN NULL ELSE make_timestamp(1600000000000000 + i * 123456789)::TIMESTAMP_NS + INTERVAL (i) MICROSECOND END AS ts_ns,
    (TIMESTAMPTZ '2022-01-01 00:00:00+00' + INTERVAL (i) HOUR) AS tstz,
    CASE WHEN i % 6 = 0 THEN NULL ELSE ((i % 64) * 1.25 - 40)::DECIMAL(4, 2) END AS dec4,
    (i * 123456.789 - 1e6)::DECIMAL(18, 6) AS dec18,
    (i * 98765432109.123 - 5e12)::DECIMAL(38, 10) AS dec38,
    CASE WHEN i % 4 = 0 THEN NULL ELSE ('0000000' || (i % 10)::VARCHAR || '-aaaa-4bbb-8ccc-00000000000' || (i % 10)::VARCHAR)::UUID END AS u,
    (['sad', 'ok', 'happy'])[i % 3 + 1]::mood AS m,
    CASE WHEN i % 3 = 0 THEN NULL ELSE ('\\x00\\xFF' || i::VARCHAR)::BLOB END AS bl,
    (i % 200)::UTINYINT AS ut,
    (i * 1000003)::UBIGINT AS ub
  FROM range(1000) r(i)) TO '${process.argv[2]}' (FORMAT parquet, ROW_GROUP_SIZE 300)`);
await con.run(`COPY (SELECT i, i * 1.5 AS d, (i * 0.25)::FLOAT AS f,
    CASE WHEN i % 7 = 0 THEN NULL ELSE 'str' || (i * 7919 % 1000)::VARCHAR END AS s,
    CASE WHEN i % 5 = 0 THEN NULL ELSE 'unique-' || (i * 104729)::VARCHAR END AS u,
    CASE WHEN i % 11 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
    DATE '2020-01-01' + (i % 1000)::INT AS dt, (i * -37)::INT AS i32
  FROM range(6000) r(i)) TO '${process.argv[2].replace(/\.parquet$/, '_v2.parquet')}'
  (FORMAT parquet, PARQUET_VERSION V2, ROW_GROUP_SIZE 1500)`);
await con.run(`COPY (SELECT i, 'text ' || (i % 37)::VARCHAR AS s, i * 0.5 AS d
  FROM range(3000) r(i)) TO '${process.argv[2].replace(/\.parquet$/, '_brotli.parquet')}'
  (FORMAT parquet, COMPRESSION brotli, ROW_GROUP_SIZE 1000)`);
