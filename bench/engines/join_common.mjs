// Shared by polars_join.mjs and duckdb_join.mjs: the five questions of the
// H2O db-benchmark join task (bench/run_join.py) and their measure columns
// (v1 from x, v2 from the right table); the run loop and the checksum
// (rows; per measure the sum of non-null values, nulls, NaNs) are
// groupby_common.mjs's. bench/auk_join.c has the same list; keep them in step.
export { runAll, groupbyCheck as joinCheck } from './groupby_common.mjs';

export const JOIN_QUESTIONS = [
  { name: 'q1', what: 'small inner on int', right: 'small', on: 'id1', how: 'inner', measures: ['v1', 'v2'] },
  { name: 'q2', what: 'medium inner on int', right: 'medium', on: 'id2', how: 'inner', measures: ['v1', 'v2'] },
  { name: 'q3', what: 'medium outer on int', right: 'medium', on: 'id2', how: 'left', measures: ['v1', 'v2'] },
  { name: 'q4', what: 'medium inner on factor', right: 'medium', on: 'id5', how: 'inner', measures: ['v1', 'v2'] },
  { name: 'q5', what: 'big inner on int', right: 'big', on: 'id3', how: 'inner', measures: ['v1', 'v2'] },
];
