/**
 * One load measurement in a fresh process (so peak RSS is this load's alone):
 *   node dist/bench/cases/load-case.js <nadir|duckdb> <file>
 * Prints one JSON line: rows, columns, seconds, RSS before loading and peak RSS (getrusage).
 *
 * - nadir: src/data loadDataset (streaming parser → typed columns, format recognition, quality findings).
 * - duckdb: DuckDB's read_csv (sniffed types, multi-threaded) streamed chunk by chunk into the same
 *   columnar form: numeric columns → Float64Array, text columns → Int32Array codes + dictionary.
 */
import { loadDataset } from '../../src/data/index.js';
import { peakRssMB, rssMB } from '../lib/child.js';

export interface LoadCaseResult {
  engine: string;
  file: string;
  rows: number;
  columns: number;
  seconds: number;
  /** Loading the library itself (DuckDB's native module), not counted in `seconds`. */
  startupSeconds: number;
  rssBeforeMB: number;
  peakRssMB: number;
  /** Sum over the first numeric column: uses the result so nothing is optimised away. */
  checksum: number;
}

interface Columnar {
  rows: number;
  columns: Array<{ name: string; values?: Float64Array; codes?: Int32Array; dictionary?: string[] }>;
}

async function loadNadir(path: string): Promise<Columnar> {
  const ds = await loadDataset(path);
  const columns: Columnar['columns'] = ds.features.columns.map((c) =>
    c.kind === 'numeric' ? { name: c.name, values: c.values } : { name: c.name, codes: c.codes, dictionary: [...c.dictionary] },
  );
  columns.push({ name: ds.labels.name, codes: ds.labels.codes, dictionary: [...ds.labels.dictionary] });
  return { rows: ds.features.nRows, columns };
}

const NUMERIC = /^(DOUBLE|FLOAT|REAL|DECIMAL|BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT)/;

type DuckApi = typeof import('@duckdb/node-api');

async function loadDuckdb(path: string, { DuckDBInstance }: DuckApi): Promise<Columnar> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const src = `read_csv('${path.replace(/'/g, "''")}')`;
    const desc = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`);
    const schema = desc.getRowObjects().map((r) => ({ name: String(r.column_name), numeric: NUMERIC.test(String(r.column_type)) }));
    const select = schema.map((c) => (c.numeric ? `CAST("${c.name}" AS DOUBLE)` : `"${c.name}"`)).join(', ');
    const result = await conn.stream(`SELECT ${select} FROM ${src}`);
    let cap = 1 << 16;
    let rows = 0;
    const nums = schema.map((c) => (c.numeric ? new Float64Array(cap) : null));
    const codes = schema.map((c) => (c.numeric ? null : new Int32Array(cap)));
    const dicts = schema.map(() => new Map<string, number>());
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      if (rows + n > cap) {
        while (rows + n > cap) cap *= 2;
        for (let c = 0; c < schema.length; c++) {
          const a = nums[c];
          if (a) {
            const b = new Float64Array(cap);
            b.set(a.subarray(0, rows));
            nums[c] = b;
          }
          const k = codes[c];
          if (k) {
            const b = new Int32Array(cap);
            b.set(k.subarray(0, rows));
            codes[c] = b;
          }
        }
      }
      for (let c = 0; c < schema.length; c++) {
        const vec = chunk.getColumnVector(c);
        const a = nums[c];
        if (a) {
          for (let r = 0; r < n; r++) {
            const v = vec.getItem(r) as number | null;
            a[rows + r] = v === null ? NaN : v;
          }
        } else {
          const k = codes[c]!;
          const dict = dicts[c]!;
          for (let r = 0; r < n; r++) {
            const s = vec.getItem(r) as string | null;
            if (s === null) {
              k[rows + r] = -1;
              continue;
            }
            let code = dict.get(s);
            if (code === undefined) {
              code = dict.size;
              dict.set(s, code);
            }
            k[rows + r] = code;
          }
        }
      }
      rows += n;
    }
    return {
      rows,
      columns: schema.map((c, i) =>
        c.numeric ? { name: c.name, values: nums[i]!.slice(0, rows) } : { name: c.name, codes: codes[i]!.slice(0, rows), dictionary: [...dicts[i]!.keys()] },
      ),
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function main(): Promise<void> {
  const [engine, file] = process.argv.slice(2);
  if (!engine || !file) throw new Error('usage: load-case.js <nadir|duckdb> <file>');
  // the library is loaded before the clock starts, as pandas is imported before it in load.py
  const s0 = performance.now();
  const duck = engine === 'duckdb' ? await import('@duckdb/node-api') : null;
  const startupSeconds = (performance.now() - s0) / 1000;
  const before = rssMB();
  const t0 = performance.now();
  const data = engine === 'nadir' ? await loadNadir(file) : duck ? await loadDuckdb(file, duck) : null;
  const seconds = (performance.now() - t0) / 1000;
  if (!data) throw new Error(`unknown engine ${engine}`);
  const firstNum = data.columns.find((c) => c.values)?.values;
  let checksum = 0;
  if (firstNum) for (let i = 0; i < firstNum.length; i++) checksum += firstNum[i]!;
  const out: LoadCaseResult = { engine, file, rows: data.rows, columns: data.columns.length, seconds, startupSeconds, rssBeforeMB: before, peakRssMB: peakRssMB(), checksum };
  console.log(JSON.stringify(out));
}

await main();
