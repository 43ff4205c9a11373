// Checks tests/sql/**/*.test against DuckDB, an independent engine: every
// query record runs through DuckDB and its rows are compared with the
// file's expected rows (the same sorting and numeric tolerance as
// auk-sqllogictest); every `statement error` must fail in DuckDB too.
// Records under `onlyif auk` (or `skipif duckdb`) are left out: those are
// where auk's semantics differ, explained by a comment in the file.
//
//   node tests/sql/gen/duckdb_check.mjs [--write] [--data-dir DIR] FILE|DIR...
//
// Run from the repository root (paths in the files are relative to it).
// --write replaces the expected rows of each query with DuckDB's (outside
// loops, whose bodies are unrolled with their variables), which is how the
// expected results are made; review the diff.
// Needs bench/node_modules (bench/setup.sh or scripts/install-test-peers.sh).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
const require = createRequire(new URL('../../../bench/package.json', import.meta.url));
let DuckDBInstance;
try {
  ({ DuckDBInstance } = require('@duckdb/node-api'));
} catch {
  console.log('skip: @duckdb/node-api is not installed in bench/ (scripts/install-test-peers.sh)');
  process.exit(77); // CTest reads this as a skip
}

const args = process.argv.slice(2);
let write = false;
let dataDir = process.env.AUK_DATA_DIR || path.resolve('../shared/data');
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--write') write = true;
  else if (args[i] === '--data-dir') dataDir = args[++i];
  else files.push(...collect(args[i]));
}

// A file, or the .test files under a directory (recursively, sorted).
function collect(p) {
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs.readdirSync(p).sort().flatMap((f) => {
    const full = path.join(p, f);
    return fs.statSync(full).isDirectory() ? collect(full) : f.endsWith('.test') ? [full] : [];
  });
}

// Values as the test files write them.
function format(v, type) {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    /* toFixed drops the sign of a negative zero; DuckDB prints -0.0 */
    if (Object.is(v, -0)) return /DOUBLE|FLOAT/.test(type) ? '-0.0' : '0';
    if (/DOUBLE|FLOAT/.test(type) && Number.isInteger(v) && Math.abs(v) < 1e15) return v.toFixed(1);
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'inf';
    if (v === -Infinity) return '-inf';
    return String(v);
  }
  const s = String(v);
  return s === '' ? '(empty)' : s;
}

function valuesEqual(e, a) {
  if (e === a) return true;
  const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
  if (!num.test(e) || !num.test(a)) return false;
  const x = Number(e), y = Number(a);
  return Math.abs(x - y) <= Math.max(1e-12, 1e-9 * Math.max(Math.abs(x), Math.abs(y)));
}

function sortValues(vals, ncols, mode) {
  if (mode === 'valuesort') return [...vals].sort(cmp);
  if (mode !== 'rowsort') return vals;
  const rows = [];
  for (let i = 0; i < vals.length; i += ncols) rows.push(vals.slice(i, i + ncols));
  rows.sort((a, b) => { for (let i = 0; i < ncols; i++) { const c = cmp(a[i], b[i]); if (c) return c; } return 0; });
  return rows.flat();
}
function cmp(a, b) { // byte order, as strcmp in the runner
  const x = Buffer.from(a), y = Buffer.from(b);
  return Buffer.compare(x, y);
}

function splitExpected(lines, ncols) {
  if (ncols > 1 && !lines.some((l) => l.includes('\t'))) return lines;
  return lines.flatMap((l) => l.split('\t'));
}

const testDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auk-duckdb-check-'));
process.on('exit', () => fs.rmSync(testDir, { recursive: true, force: true }));
let failures = 0, checked = 0;
for (const file of files) {
  const inst = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false', autoload_known_extensions: 'false', threads: '1',
  });
  const con = await inst.connect();
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let out = [...lines];
  const edits = [];
  // loop/foreach blocks are unrolled first, with ${var} substituted; each
  // line keeps its place in the file and whether it came from a loop.
  const expand = (from, to, vars) => {
    const res = [];
    for (let i = from; i < to; i++) {
      const w = lines[i].trim().split(/\s+/);
      if (w[0] !== 'loop' && w[0] !== 'foreach') {
        let t = lines[i];
        for (const [k, v] of vars) t = t.replaceAll('${' + k + '}', v);
        res.push({ text: t, at: i, inLoop: vars.length > 0 });
        continue;
      }
      let depth = 0, end = i + 1;
      for (; end < to; end++) {
        const x = lines[end].trim().split(/\s+/)[0];
        if (x === 'loop' || x === 'foreach') depth++;
        if (x === 'endloop' && depth-- === 0) break;
      }
      const values = w[0] === 'loop'
        ? Array.from({ length: Math.max(0, Number(w[3]) - Number(w[2])) }, (_, k) => String(Number(w[2]) + k))
        : w.slice(2);
      for (const v of values) res.push(...expand(i + 1, end, [...vars, [w[1], v]]));
      i = end;
    }
    return res;
  };
  const items = expand(0, lines.length, []);
  let skipNext = false, skipMode = false;
  const report = (at, msg) => { failures++; console.log(`${file}:${at + 1}: ${msg}`); };
  const sub = (s) => s.replaceAll('{DATA_DIR}', dataDir).replaceAll('__DATA_DIR__', dataDir)
    .replaceAll('__TEST_DIR__', testDir);
  for (let i = 0; i < items.length;) {
    const line = items[i].text;
    const w = line.trim().split(/\s+/);
    const at = items[i].at, inLoop = items[i].inLoop;
    i++;
    if (!line.trim() || line.startsWith('#')) continue;
    if (w[0] === 'skipif') { skipNext ||= w[1] === 'duckdb'; continue; }
    if (w[0] === 'onlyif') { skipNext ||= w[1] !== 'duckdb'; continue; }
    if (w[0] === 'mode') { skipMode = w[1] === 'skip'; continue; }
    if (w[0] === 'halt') { if (!skipNext && !skipMode) break; skipNext = false; continue; }
    if (w[0] === 'hash-threshold' || w[0] === 'require') continue;
    if (w[0] !== 'statement' && w[0] !== 'query') { report(at, `unknown record '${w[0]}'`); continue; }
    const sql = [], expected = [];
    let dashes = false, expStart = -1;
    for (; i < items.length && items[i].text.trim() !== ''; i++) {
      if (!dashes && items[i].text === '----') { dashes = true; expStart = items[i].at + 1; continue; }
      (dashes ? expected : sql).push(items[i].text);
    }
    const recEnd = i < items.length ? items[i].at : lines.length;
    const skip = skipNext || skipMode;
    skipNext = false;
    if (skip) continue;
    const text = sub(sql.join('\n'));
    let rows = null, cols = [], error = null;
    try {
      const reader = await con.runAndReadAll(text);
      rows = reader.getRows();
      cols = reader.columnTypes().map((t) => t.toString());
    } catch (e) { error = e.message; }
    checked++;
    if (w[0] === 'statement') {
      if (w[1] === 'ok' && error) report(at, `DuckDB failed: ${error}\n  SQL: ${text}`);
      if (w[1] === 'error' && !error) report(at, `DuckDB did not fail\n  SQL: ${text}`);
      continue;
    }
    const ncols = w[1].length, mode = w[2] || 'nosort';
    if (error) { report(at, `DuckDB failed: ${error}\n  SQL: ${text}`); continue; }
    if (cols.length !== ncols) report(at, `DuckDB gives ${cols.length} columns, the record says ${ncols}`);
    const got = rows.flatMap((r) => r.map((v, k) => format(v, cols[k])));
    if (write && inLoop) continue; // expected rows in loops are written by hand
    if (write) {
      let body = rows.map((r) => r.map((v, k) => format(v, cols[k])));
      if (mode === 'rowsort') body = sortValues(body.flat(), ncols, mode).reduce((acc, v, k) => {
        if (k % ncols === 0) acc.push([]);
        acc[acc.length - 1].push(v);
        return acc;
      }, []);
      body = body.map((r) => r.join('\t'));
      edits.push({ start: at, dashAt: expStart < 0 ? recEnd : expStart - 1, end: recEnd, body, hasDashes: dashes });
      continue;
    }
    const want = splitExpected(expected, ncols);
    const a = sortValues(want, ncols, mode), b = sortValues(got, ncols, mode);
    const same = a.length === b.length && a.every((v, k) => valuesEqual(v, b[k]));
    if (!same) {
      report(at, `DuckDB disagrees\n  SQL: ${text}\n  file:   ${JSON.stringify(a)}\n  duckdb: ${JSON.stringify(b)}`);
    }
  }
  if (write && edits.length) {
    /* concat, not splice(...body): a result of many rows overflows the
     * stack as spread arguments */
    for (const e of edits.reverse()) {
      if (e.hasDashes) out = out.slice(0, e.dashAt + 1).concat(e.body, out.slice(e.end));
      else out = out.slice(0, e.end).concat(['----'], e.body, out.slice(e.end));
    }
    fs.writeFileSync(file, out.join('\n'));
    console.log(`wrote ${file}`);
  }
  con.closeSync?.();
}
console.log(`${checked} records checked in ${files.length} files, ${failures} problems`);
process.exit(failures ? 1 : 0);
