// Preparation for the Parquet benchmark (bench/run_parquet.py): writes the
// H2O groupby table from its CSV as four Parquet files, each only when it is
// missing (written to a temporary name, renamed when complete):
//   <stem>.duckdb_snappy.parquet   DuckDB: COPY (SELECT * FROM read_csv(CSV)) TO ..
//   <stem>.duckdb_zstd.parquet             (FORMAT parquet, COMPRESSION snappy|zstd)
//   <stem>.polars_snappy.parquet   Polars: pl.readCSV(CSV).writeParquet(..,
//   <stem>.polars_zstd.parquet             { compression: 'snappy'|'zstd' })
// Each writer's other settings are its defaults (row group size, dictionary
// encoding, statistics). DuckDB is opened with extension autoloading and
// autoinstalling off, so nothing reaches the network.
//   node prep_parquet.mjs FILE.csv OUTDIR
// Prints the paths written or found, one a line.
import fs from 'node:fs';
import path from 'node:path';

const [csv, outdir] = process.argv.slice(2);
if (!csv || !outdir) {
  console.error('usage: node prep_parquet.mjs FILE.csv OUTDIR');
  process.exit(2);
}
const stem = path.basename(csv).replace(/\.csv$/, '');
const target = (writer, comp) => path.join(outdir, `${stem}.${writer}_${comp}.parquet`);
const sq = (s) => `'${s.replace(/'/g, "''")}'`;
const missing = (p) => !fs.existsSync(p);

const duck = ['snappy', 'zstd'].map((c) => [c, target('duckdb', c)]).filter(([, p]) => missing(p));
if (duck.length) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const con = await db.connect();
  for (const [comp, p] of duck) {
    const tmp = `${p}.tmp`;
    const t0 = Date.now();
    await con.run(`COPY (SELECT * FROM read_csv(${sq(csv)})) TO ${sq(tmp)} ` +
      `(FORMAT parquet, COMPRESSION ${comp})`);
    fs.renameSync(tmp, p);
    console.error(`prep_parquet: ${p} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  con.closeSync?.();
}

const pol = ['snappy', 'zstd'].map((c) => [c, target('polars', c)]).filter(([, p]) => missing(p));
if (pol.length) {
  const pl = (await import('nodejs-polars')).default;
  const df = pl.readCSV(csv);
  for (const [comp, p] of pol) {
    const tmp = `${p}.tmp`;
    const t0 = Date.now();
    df.writeParquet(tmp, { compression: comp });
    fs.renameSync(tmp, p);
    console.error(`prep_parquet: ${p} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
}

for (const w of ['duckdb', 'polars']) for (const c of ['snappy', 'zstd']) console.log(target(w, c));
