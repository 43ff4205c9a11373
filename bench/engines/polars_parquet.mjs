// Polars (npm nodejs-polars) side of the Parquet benchmark
// (bench/run_parquet.py); operations and checksums as in parquet_common.mjs.
//   full  pl.readParquet(FILE)
//   v3    pl.readParquet(FILE, { columns: ['v3'] })
//   q1    pl.scanParquet(FILE).groupBy('id1').agg(col('v1').sum().alias('v1')).collectSync()
//   q3    pl.scanParquet(FILE).groupBy('id3').agg(col('v1').sum().alias('v1'),
//           col('v3').mean().alias('v3')).collectSync()
//   write pl.readCSV(CSV) once (load_csv), then df.writeParquet(OUT, { compression: 'zstd' })
// Threads: POLARS_MAX_THREADS in the environment, set by the runner.
//   node polars_parquet.mjs read FILE.parquet [REPS]
//   node polars_parquet.mjs write FILE.csv OUT.parquet [REPS]
import pl from 'nodejs-polars';
import { readLoop, writeLoop, checksum } from './parquet_common.mjs';

const [mode, a1, a2, a3] = process.argv.slice(2);
const wr = mode === 'write';
const reps = Number((wr ? a3 : a2) || 3);
if (!(mode === 'read' || mode === 'write') || !a1 || (wr && !a2) || !(reps >= 1)) {
  console.error('usage: node polars_parquet.mjs read FILE.parquet [REPS]\n' +
    '       node polars_parquet.mjs write FILE.csv OUT.parquet [REPS]');
  process.exit(2);
}

const c = pl.col;
const acc = {
  rows: (r) => r.height,
  columns: (r) => r.columns.map((name) => {
    const t = String(r.getColumn(name).dtype);
    return { name, kind: /Utf8|String/.test(t) ? 'str' : /Float/.test(t) ? 'float' : 'int' };
  }),
  stat: (r, name, kind) => {
    const s = r.getColumn(name);
    // (str.lengths().sum() in one expression fails to resolve in 0.26.1: "`sum`
    // operation not supported for dtype `str`"; so the lengths first, then the sum)
    const sum = kind === 'str'
      ? r.select(c(name).str.lengths().cast(pl.Int64)).getColumn(name).sum() : s.sum();
    return { sum, nulls: s.nullCount() };
  },
  cell: (r, name, row) => r.getColumn(name).get(row),
};

if (!wr) {
  const file = a1;
  const RUN = {
    full: () => pl.readParquet(file),
    v3: () => pl.readParquet(file, { columns: ['v3'] }),
    q1: () => pl.scanParquet(file).groupBy('id1').agg(c('v1').sum().alias('v1')).collectSync(),
    q3: () => pl.scanParquet(file).groupBy('id3')
      .agg(c('v1').sum().alias('v1'), c('v3').mean().alias('v3')).collectSync(),
  };
  await readLoop({
    engine: 'polars',
    reps,
    run: async (op) => RUN[op](),
    check: (op, r) => checksum(acc, r, op),
  });
} else {
  let df;
  await writeLoop({
    engine: 'polars',
    reps,
    out: a2,
    load: async () => {
      df = pl.readCSV(a1);
      return { rows: df.height };
    },
    write: async () => df.writeParquet(a2, { compression: 'zstd' }),
    readBack: async () => {
      df = null;
      return checksum(acc, pl.readParquet(a2), 'full');
    },
  });
}
