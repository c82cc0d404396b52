/**
 * The generated data set as a ready feature matrix, cached on disk so that the scaling cases
 * (nadir and XGBoost, each in its own process) read the exact same features and their memory
 * figures are the fit's, not the CSV parser's:
 *   <cache>/matrix-<rows>.f32   row-major Float32 features (nadir's Pipeline: one-hot fitted on the data)
 *   <cache>/matrix-<rows>.y.i32 binary target (1 = attack)
 *   <cache>/matrix-<rows>.json  { nRows, nCols, columns }
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTarget, loadDataset } from '../src/data/index.js';
import { Pipeline } from '../src/features/index.js';
import type { Matrix } from '../src/features/index.js';
import { ensureGenerated } from './generate.js';
import { CACHE_DIR } from './lib/paths.js';

export interface CachedMatrix {
  xPath: string;
  yPath: string;
  nRows: number;
  nCols: number;
  columns: string[];
}

function write(path: string, bytes: ArrayBufferView): void {
  const tmp = `${path}.partial-${process.pid}`;
  writeFileSync(tmp, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  renameSync(tmp, path);
}

/** The cached matrix for the generated file with `rows` rows, built (and the CSV generated) if absent. */
export async function ensureMatrix(rows: number, dir = CACHE_DIR): Promise<CachedMatrix> {
  const base = join(dir, `matrix-${rows}`);
  const xPath = `${base}.f32`;
  const yPath = `${base}.y.i32`;
  const metaPath = `${base}.json`;
  if (!existsSync(metaPath) || !existsSync(xPath) || !existsSync(yPath)) {
    const g = await ensureGenerated({ rows, dir });
    const ds = await loadDataset(g.path);
    const X = new Pipeline().fit(ds.features).transform(ds.features);
    const y = buildTarget(ds, 'binary').y;
    write(xPath, X.data);
    write(yPath, y);
    writeFileSync(metaPath, JSON.stringify({ nRows: X.nRows, nCols: X.nCols, columns: X.columns }));
  }
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { nRows: number; nCols: number; columns: string[] };
  return { xPath, yPath, ...meta };
}

/** Read a cached matrix back without copying (the file's buffer becomes the Float32Array). */
export function readMatrix(m: CachedMatrix): { X: Matrix; y: Int32Array } {
  const xb = readFileSync(m.xPath);
  const yb = readFileSync(m.yPath);
  const data = new Float32Array(xb.buffer, xb.byteOffset, xb.byteLength / 4);
  const y = new Int32Array(yb.buffer, yb.byteOffset, yb.byteLength / 4);
  if (data.length !== m.nRows * m.nCols || y.length !== m.nRows) throw new Error(`matrix cache ${m.xPath} does not match its metadata: delete it`);
  return { X: { data, nRows: m.nRows, nCols: m.nCols, columns: m.columns }, y };
}
