/**
 * A large NSL-KDD-like data set for load and scaling benchmarks: rows bootstrapped (drawn with
 * replacement) from KDDTrain+_20Percent, every non-zero numeric cell multiplied by
 * (1 + noise·N(0, 1)) — counts stay non-negative integers, rates stay in [0, 1] with two
 * decimals, 0/1 flags, the three categorical columns, the label and the difficulty are kept as
 * they are. Headerless, 43 columns, like the original, so nadir recognises it as NSL-KDD.
 *
 * Deterministic under `seed` (src/util/random.ts): the file with n rows is the first n rows of
 * the file with m > n rows. Written in chunks to a temporary name and renamed when complete, so
 * a cached file is never a partial one; nothing is held per output row.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Random } from '../src/util/random.js';
import { CACHE_DIR, NSL_KDD } from './lib/paths.js';

export interface GenerateOptions {
  /** Number of rows to write. */
  rows: number;
  /** Cache folder (default .tmp/bench, or NADIR_BENCH_DIR). */
  dir?: string;
  /** RNG seed (default 20090701). */
  seed?: number;
  /** Relative noise of numeric cells (default 0.05). */
  noise?: number;
  /** Source file: headerless NSL-KDD CSV, optionally gzipped (default KDDTrain+_20Percent). */
  source?: string;
}

export interface Generated {
  path: string;
  rows: number;
  bytes: number;
  /** False when the cached file was reused. */
  created: boolean;
  /** Time spent writing (0 when cached). */
  seconds: number;
}

export const DEFAULT_SEED = 20090701;
const CATEGORICAL = new Set([1, 2, 3]);
const CHUNK_ROWS = 8192;

/** Where the file for these options lives in the cache. */
export function generatedPath(opts: GenerateOptions): string {
  const seed = opts.seed ?? DEFAULT_SEED;
  const noise = opts.noise ?? 0.05;
  return join(opts.dir ?? CACHE_DIR, `nsl-kdd-like-${opts.rows}-s${seed}-n${noise}.csv`);
}

/** The cached generated file, written first if absent. */
export async function ensureGenerated(opts: GenerateOptions): Promise<Generated> {
  const path = generatedPath(opts);
  if (existsSync(path)) return { path, rows: opts.rows, bytes: statSync(path).size, created: false, seconds: 0 };
  const t0 = performance.now();
  await writeGenerated(path, opts);
  return { path, rows: opts.rows, bytes: statSync(path).size, created: true, seconds: (performance.now() - t0) / 1000 };
}

/** How a numeric source column is perturbed. */
const enum Kind {
  /** only 0/1 values: kept */
  Flag,
  /** integers: rounded, ≥ 0 */
  Count,
  /** fractions within [0, 1]: clamped, two decimals */
  Rate,
  /** other reals: two decimals, ≥ 0 */
  Real,
}

interface Source {
  /** Per row, the 43 fields as text. */
  fields: string[][];
  /** Per row and column, the numeric value (NaN for categorical / label columns). */
  values: Float64Array;
  width: number;
  kinds: Kind[];
}

function readSource(path: string): Source {
  const buf = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
  const fields: string[][] = [];
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (l !== '') fields.push(l.split(','));
  }
  if (fields.length === 0) throw new Error(`generate: ${path} has no rows`);
  const width = fields[0]!.length;
  if (width !== 43) throw new Error(`generate: ${path} has ${width} columns, expected NSL-KDD's 43`);
  const nFeat = 41;
  const values = new Float64Array(fields.length * width).fill(NaN);
  const kinds: Kind[] = [];
  for (let c = 0; c < nFeat; c++) {
    let flag = true;
    let integer = true;
    let unit = true;
    if (!CATEGORICAL.has(c)) {
      for (let r = 0; r < fields.length; r++) {
        const v = Number(fields[r]![c]);
        values[r * width + c] = v;
        if (v !== 0 && v !== 1) flag = false;
        if (!Number.isInteger(v)) integer = false;
        if (v < 0 || v > 1) unit = false;
      }
    }
    kinds.push(flag ? Kind.Flag : integer ? Kind.Count : unit ? Kind.Rate : Kind.Real);
  }
  return { fields, values, width, kinds };
}

/** Write `opts.rows` generated rows to `path` (through a temporary file). */
export async function writeGenerated(path: string, opts: GenerateOptions): Promise<void> {
  if (!Number.isInteger(opts.rows) || opts.rows < 1) throw new RangeError(`generate: rows must be a positive integer, got ${opts.rows}`);
  const src = readSource(opts.source ?? NSL_KDD.train);
  const noise = opts.noise ?? 0.05;
  const rng = new Random(opts.seed ?? DEFAULT_SEED);
  mkdirSync(join(path, '..'), { recursive: true });
  const tmp = `${path}.partial-${process.pid}`;
  const out = createWriteStream(tmp, { encoding: 'utf8' });
  const n = src.fields.length;
  const w = src.width;
  const parts = new Array<string>(w);
  let chunk: string[] = [];
  try {
    for (let i = 0; i < opts.rows; i++) {
      const r = rng.int(n);
      const row = src.fields[r]!;
      for (let c = 0; c < w; c++) {
        const kind = c < 41 ? src.kinds[c]! : Kind.Flag;
        const v = src.values[r * w + c]!;
        if (CATEGORICAL.has(c) || c >= 41 || kind === Kind.Flag || v === 0) {
          parts[c] = row[c]!;
          continue;
        }
        const x = v * Math.max(0, 1 + noise * rng.normal());
        if (kind === Kind.Count) parts[c] = String(Math.round(x));
        else if (kind === Kind.Rate) parts[c] = Math.min(1, x).toFixed(2);
        else parts[c] = x.toFixed(2);
      }
      chunk.push(parts.join(','));
      if (chunk.length === CHUNK_ROWS || i === opts.rows - 1) {
        // one string per chunk of rows, never one for the whole file
        if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
        chunk = [];
      }
    }
    out.end();
    await once(out, 'finish');
  } catch (e) {
    out.destroy();
    throw e;
  }
  renameSync(tmp, path);
}

// `node dist/bench/generate.js 1000000 [250000 …]`: fill the cache.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const sizes = process.argv.slice(2).map(Number);
  for (const rows of sizes.length > 0 ? sizes : [250_000, 1_000_000]) {
    const g = await ensureGenerated({ rows });
    console.log(`${g.path}: ${g.rows} rows, ${(g.bytes / 1e6).toFixed(1)} MB${g.created ? `, written in ${g.seconds.toFixed(1)} s` : ' (cached)'}`);
  }
}
