/**
 * The tree engine's hot loops in WebAssembly (assembled by asm.ts). Every pointer argument is a
 * byte offset into the shared memory; the JavaScript reference versions of the histogram
 * kernels are in histogram.ts (the tests check that both agree exactly), the others mirror
 * partition.ts and predictor.ts.
 *
 * - gradEntries: Σg, Σh of packed sparse entries (ent[2k] = 2·row, ent[2k+1] = 2·slot), k ∈ [k, e)
 * - gradSparse: Σg, Σh of the rows idx[i..end), each row's entries rowSlots[rowPtr[r]..rowPtr[r+1])
 * - gradDense4 / gradDense1: Σg, Σh of 4 / 1 feature-major Uint8 bin columns over idx[i..end)
 * - classPacked4 / classPacked1: binary class histograms, one f64 per bin holding
 *   W + W₁·2^26 (exact integer sums; see grower.ts), over idx[i..end)
 * - classPackedSplit: one packed column into 4 interleaved copies (rows in turn)
 * - bagWeights: a forest tree's row weights from its bootstrap counts
 * - packedLabelSum / classPackedSparse / relabel: packed histograms of a sparse column from its
 *   non-default entries, restricted to a node's rows by a per-row node label
 * - classHist4 / classHist1: class histograms with stride S = K+1 (class weights, then draws)
 * - partition: stable partition of idx[begin..end) by a go-left table over a bin column
 * - predict4 / predict8: 4 / 8 rows at a time through every tree (node records, see predictor.ts)
 * - predictStage / predictComplete: rows staged in groups of 8 (the model's columns only), then
 *   through boosting trees padded to complete binary trees (completeLayout in predictor.ts)
 * - hashCount / hashBin: the binner's distinct-value counting and row binning (see binner.ts)
 * - fewDistinct / binFew: the same for features with at most FEW distinct values (one-hot, flags)
 * - transpose: a group of columns of a row-major matrix into column-major order
 * - logisticGrad / softmaxRows / softmaxGrad: boosting gradients (gbdt.ts), with exp computed
 *   by Cody–Waite range reduction and a degree-10 Taylor polynomial (Estrin's scheme) (relative error < 3e-13)
 *
 * The kernels are written out one by one on purpose, even where two look alike: each is a hot loop
 * of its own, and a shared helper function would be a call per row or entry inside it.
 */
import {
  add,
  geU,
  and,
  assemble,
  ltS,
  f32demote,
  f64abs,
  f64div,
  f64FromI32,
  f64ge,
  f64gt,
  f64max,
  f64mul,
  f64nearest,
  f64neg,
  f64sub,
  i32TruncF64,
  select,
  storeF32,
  eq,
  f32lt,
  f64c,
  ne,
  shrU,
  store8,
  ifThen,
  block,
  br,
  brIf,
  brTable,
  cat,
  eqz,
  f32gt,
  f32ne,
  f64add,
  f64promote,
  Fn,
  forRange,
  geS,
  i32,
  ifElse,
  load32,
  loadF32,
  loadF64,
  loadU8,
  loop,
  mul,
  or,
  ret,
  shl,
  store32,
  storeF64,
  sub,
} from './asm.js';
import type { Code } from './asm.js';
import { type WasmModule, wasmApi } from './runtime.js';

export interface Kernels {
  gradEntries(ent: number, k: number, e: number, gh: number, hist: number): void;
  gradSparse(idx: number, i: number, end: number, rowPtr: number, rowSlots: number, gh: number, hist: number): void;
  gradDense4(b0: number, b1: number, b2: number, b3: number, o0: number, o1: number, o2: number, o3: number, idx: number, i: number, end: number, gh: number): void;
  gradDense1(b0: number, o0: number, idx: number, i: number, end: number, gh: number): void;
  classPacked4(b0: number, b1: number, b2: number, b3: number, o0: number, o1: number, o2: number, o3: number, idx: number, i: number, end: number, pk: number): void;
  classPacked1(b0: number, o0: number, idx: number, i: number, end: number, pk: number): void;
  classPackedSplit(b: number, o0: number, o1: number, o2: number, o3: number, idx: number, i: number, end: number, pk: number): void;
  bagWeights(counts: number, y: number, sw: number, n: number, w: number, m: number, pk: number, idx: number): number;
  packedLabelSum(rows: number, cnt: number, label: number, target: number, pk: number): number;
  classPackedSparse(rows: number, bins: number, cnt: number, label: number, target: number, pk: number, hist: number): void;
  relabel(idx: number, i: number, end: number, label: number, value: number): void;
  classHist4(b0: number, b1: number, b2: number, b3: number, o0: number, o1: number, o2: number, o3: number, idx: number, i: number, end: number, y: number, w: number, m: number, K: number): void;
  classHist1(b0: number, o0: number, idx: number, i: number, end: number, y: number, w: number, m: number, K: number): void;
  partition(col: number, lut: number, idx: number, begin: number, end: number, scratch: number): number;
  predict4(recs: number, val: number, roots: number, treeOut: number, nT: number, X: number, rowBytes: number, res: number, K: number): void;
  predict8(recs: number, val: number, roots: number, treeOut: number, nT: number, X: number, rowBytes: number, res: number, K: number): void;
  predictStage(src: number, nRows: number, rowBytes: number, cols: number, nKeep: number, U: number, dst: number): void;
  predictComplete(trees: number, t0: number, t1: number, X: number, nG: number, gBytes: number, res: number, gRes: number): void;
  hashCount(col: number, n: number, keys: number, vals: number, used: number, mask: number, limit: number, missingOut: number): number;
  hashBin(col: number, n: number, keys: number, vals: number, mask: number, edges: number, ne: number, out: number, counts: number): number;
  fewDistinct(col: number, n: number, keys: number, cnt: number): number;
  binFew(col: number, n: number, edges: number, ne: number, out: number, counts: number): number;
  transpose(src: number, n: number, nCols: number, f0: number, g: number, dst: number): void;
  logisticGrad(margin: number, y: number, w: number, n: number, gh: number, pow2: number): void;
  softmaxRows(margin: number, n: number, K: number, prob: number, pow2: number): void;
  softmaxGrad(prob: number, y: number, w: number, n: number, K: number, k: number, gh: number): void;
}

/** 2^k for k = -POW2_BIAS..0 (the exp kernels' scale table; fill with pow2Table()). */
export const POW2_BIAS = 1100;
export function pow2Table(t: Float64Array): Float64Array {
  for (let k = 0; k <= POW2_BIAS; k++) t[k] = Math.pow(2, k - POW2_BIAS);
  return t;
}

const I = 'i32' as const;
const F = 'f64' as const;

/** (a += b) on an f64 cell: storeF64(p, loadF64(p, off) + v, off). */
function addF64(p: Code, v: Code, off = 0): Code {
  return storeF64(p, f64add(loadF64(p, off), v), off);
}

function gradEntries(): Fn {
  const f = new Fn('gradEntries', [['ent', I], ['k', I], ['e', I], ['gh', I], ['hist', I]], null, [['a', I], ['g', I], ['c', I]]);
  f.body = block(
    loop(
      brIf(1, geS(f.get('k'), f.get('e'))),
      f.set('a', add(f.get('ent'), shl(f.get('k'), i32(2)))),
      f.set('g', add(f.get('gh'), shl(load32(f.get('a')), i32(2)))),
      f.set('c', add(f.get('hist'), shl(load32(f.get('a'), 4), i32(3)))),
      addF64(f.get('c'), f64promote(loadF32(f.get('g')))),
      addF64(f.get('c'), f64promote(loadF32(f.get('g'), 4)), 8),
      f.set('k', add(f.get('k'), i32(2))),
      br(0),
    ),
  );
  return f;
}

function gradSparse(): Fn {
  const f = new Fn(
    'gradSparse',
    [['idx', I], ['i', I], ['end', I], ['rowPtr', I], ['rowSlots', I], ['gh', I], ['hist', I]],
    null,
    [['r', I], ['k', I], ['e', I], ['p', I], ['c', I], ['g', F], ['h', F]],
  );
  f.body = forRange(
    f,
    'i',
    f.get('i'),
    f.get('end'),
    1,
    f.set('r', load32(add(f.get('idx'), shl(f.get('i'), i32(2))))),
    f.set('p', add(f.get('gh'), shl(f.get('r'), i32(3)))),
    f.set('g', f64promote(loadF32(f.get('p')))),
    f.set('h', f64promote(loadF32(f.get('p'), 4))),
    f.set('p', add(f.get('rowPtr'), shl(f.get('r'), i32(2)))),
    f.set('e', load32(f.get('p'), 4)),
    forRange(
      f,
      'k',
      load32(f.get('p')),
      f.get('e'),
      1,
      f.set('c', add(f.get('hist'), shl(load32(add(f.get('rowSlots'), shl(f.get('k'), i32(2)))), i32(4)))),
      addF64(f.get('c'), f.get('g')),
      addF64(f.get('c'), f.get('h'), 8),
    ),
  );
  return f;
}

/** Feature-major kernels over idx[i..end): `per` emits the update of one column (bin byte at b + r). */
function denseKernel(
  name: string,
  width: number,
  rowParams: [string, 'i32'][],
  rowLocals: [string, 'i32' | 'f64'][],
  perRow: (f: Fn) => Code[],
  per: (f: Fn, bin: Code, o: string) => Code[],
): Fn {
  const cols: [string, 'i32'][] = [];
  for (let j = 0; j < width; j++) cols.push([`b${j}`, I]);
  for (let j = 0; j < width; j++) cols.push([`o${j}`, I]);
  const f = new Fn(name, [...cols, ['idx', I], ['i', I], ['end', I], ...rowParams], null, [['r', I], ['c', I], ...rowLocals]);
  const updates: Code[] = [];
  for (let j = 0; j < width; j++) updates.push(...per(f, loadU8(add(f.get(`b${j}`), f.get('r'))), `o${j}`));
  f.body = forRange(f, 'i', f.get('i'), f.get('end'), 1, f.set('r', load32(add(f.get('idx'), shl(f.get('i'), i32(2))))), ...perRow(f), ...updates);
  return f;
}

function gradDense(width: number): Fn {
  return denseKernel(
    `gradDense${width}`,
    width,
    [['gh', I]],
    [['p', I], ['g', F], ['h', F]],
    (f) => [
      f.set('p', add(f.get('gh'), shl(f.get('r'), i32(3)))),
      f.set('g', f64promote(loadF32(f.get('p')))),
      f.set('h', f64promote(loadF32(f.get('p'), 4))),
    ],
    (f, bin, o) => [f.set('c', add(f.get(o), shl(bin, i32(4)))), addF64(f.get('c'), f.get('g')), addF64(f.get('c'), f.get('h'), 8)],
  );
}

function classPacked(width: number): Fn {
  return denseKernel(
    `classPacked${width}`,
    width,
    [['pk', I]],
    [['v', F]],
    (f) => [f.set('v', loadF64(add(f.get('pk'), shl(f.get('r'), i32(3)))))],
    (f, bin, o) => [f.set('c', add(f.get(o), shl(bin, i32(3)))), addF64(f.get('c'), f.get('v'))],
  );
}

/**
 * One packed column into 4 histogram copies o0..o3, rows taken in turn (i → o0, i+1 → o1, …):
 * four independent add chains for a column whose rows mostly fall in the same bin (a single
 * chain would wait on its own store every row). The caller sums the copies.
 */
function classPackedSplit(): Fn {
  const f = new Fn(
    'classPackedSplit',
    [['b', I], ['o0', I], ['o1', I], ['o2', I], ['o3', I], ['idx', I], ['i', I], ['end', I], ['pk', I]],
    null,
    [['r', I], ['c', I], ['p', I]],
  );
  const one = (o: string, off: number): Code[] => [
    f.set('r', load32(f.get('p'), off)),
    f.set('c', add(f.get(o), shl(loadU8(add(f.get('b'), f.get('r'))), i32(3)))),
    addF64(f.get('c'), loadF64(add(f.get('pk'), shl(f.get('r'), i32(3))))),
  ];
  f.body = [
    ...block(
      loop(
        brIf(1, geS(add(f.get('i'), i32(4)), add(f.get('end'), i32(1)))),
        f.set('p', add(f.get('idx'), shl(f.get('i'), i32(2)))),
        ...one('o0', 0),
        ...one('o1', 4),
        ...one('o2', 8),
        ...one('o3', 12),
        f.set('i', add(f.get('i'), i32(4))),
        br(0),
      ),
    ),
    ...forRange(f, 'i', f.get('i'), f.get('end'), 1, f.set('p', add(f.get('idx'), shl(f.get('i'), i32(2)))), ...one('o0', 0)),
  ];
  return f;
}

/** Σ pk[r] over column entries rows[0..cnt) whose row carries label `target` (a node's rows): kept in a register. */
function packedLabelSum(): Fn {
  const f = new Fn('packedLabelSum', [['rows', I], ['cnt', I], ['label', I], ['target', I], ['pk', I]], 'f64', [['k', I], ['r', I], ['s', F]]);
  f.body = [
    ...forRange(
      f,
      'k',
      i32(0),
      f.get('cnt'),
      1,
      f.set('r', load32(add(f.get('rows'), shl(f.get('k'), i32(2))))),
      f.set('s', f64add(f.get('s'), select(loadF64(add(f.get('pk'), shl(f.get('r'), i32(3)))), f64c(0), eq(load32(add(f.get('label'), shl(f.get('r'), i32(2)))), f.get('target'))))),
    ),
    ...ret(f.get('s')),
  ];
  return f;
}

/** Packed histogram of one column from its entries (rows, bins) restricted to the rows labelled `target`. */
function classPackedSparse(): Fn {
  const f = new Fn('classPackedSparse', [['rows', I], ['bins', I], ['cnt', I], ['label', I], ['target', I], ['pk', I], ['hist', I]], null, [['k', I], ['r', I], ['c', I]]);
  f.body = forRange(
    f,
    'k',
    i32(0),
    f.get('cnt'),
    1,
    f.set('r', load32(add(f.get('rows'), shl(f.get('k'), i32(2))))),
    ifThen(
      eq(load32(add(f.get('label'), shl(f.get('r'), i32(2)))), f.get('target')),
      f.set('c', add(f.get('hist'), shl(loadU8(add(f.get('bins'), f.get('k'))), i32(3)))),
      addF64(f.get('c'), loadF64(add(f.get('pk'), shl(f.get('r'), i32(3))))),
    ),
  );
  return f;
}

/** label[idx[i]] = value for i in [begin, end). */
function relabel(): Fn {
  const f = new Fn('relabel', [['idx', I], ['i', I], ['end', I], ['label', I], ['value', I]], null, []);
  f.body = forRange(f, 'i', f.get('i'), f.get('end'), 1, store32(add(f.get('label'), shl(load32(add(f.get('idx'), shl(f.get('i'), i32(2)))), i32(2))), f.get('value')));
  return f;
}

/** Bootstrap weights of one tree: w = counts·sw (or counts), m = counts, packed pk (optional), idx = rows with w > 0; returns their number. */
function bagWeights(): Fn {
  const f = new Fn(
    'bagWeights',
    [['counts', I], ['y', I], ['sw', I], ['n', I], ['w', I], ['m', I], ['pk', I], ['idx', I]],
    'i32',
    [['r', I], ['k', I], ['c', F], ['v', F]],
  );
  const at4 = (base: string): Code => add(f.get(base), shl(f.get('r'), i32(2)));
  f.body = [
    ...forRange(
      f,
      'r',
      i32(0),
      f.get('n'),
      1,
      f.set('c', f64FromI32(load32(at4('counts')))),
      f.set('v', f.get('c')),
      ifThen(ne(f.get('sw'), i32(0)), f.set('v', f64mul(f.get('c'), f64promote(loadF32(at4('sw')))))),
      storeF32(at4('w'), f32demote(f.get('v'))),
      storeF32(at4('m'), f32demote(f.get('c'))),
      ifThen(
        ne(f.get('pk'), i32(0)),
        storeF64(
          add(f.get('pk'), shl(f.get('r'), i32(3))),
          f64add(f.get('c'), select(f64mul(f.get('c'), f64c(2 ** 26)), f64c(0), eq(load32(at4('y')), i32(1)))),
        ),
      ),
      ifThen(f64gt(f.get('v'), f64c(0)), store32(add(f.get('idx'), shl(f.get('k'), i32(2))), f.get('r')), f.set('k', add(f.get('k'), i32(1)))),
    ),
    ...ret(f.get('k')),
  ];
  return f;
}

function classHist(width: number): Fn {
  return denseKernel(
    `classHist${width}`,
    width,
    [['y', I], ['w', I], ['m', I], ['K', I]],
    [['s8', I], ['yo', I], ['ko', I], ['wv', F], ['mv', F]],
    (f) => [
      f.set('s8', shl(add(f.get('K'), i32(1)), i32(3))),
      f.set('ko', shl(f.get('K'), i32(3))),
      f.set('yo', shl(load32(add(f.get('y'), shl(f.get('r'), i32(2)))), i32(3))),
      f.set('wv', f64promote(loadF32(add(f.get('w'), shl(f.get('r'), i32(2)))))),
      f.set('mv', f64promote(loadF32(add(f.get('m'), shl(f.get('r'), i32(2)))))),
    ],
    (f, bin, o) => [
      f.set('c', add(f.get(o), mul(bin, f.get('s8')))),
      addF64(add(f.get('c'), f.get('yo')), f.get('wv')),
      addF64(add(f.get('c'), f.get('ko')), f.get('mv')),
    ],
  );
}

function partition(): Fn {
  const f = new Fn(
    'partition',
    [['col', I], ['lut', I], ['idx', I], ['begin', I], ['end', I], ['scratch', I]],
    'i32',
    [['i', I], ['l', I], ['k', I], ['r', I], ['left', I]],
  );
  f.body = [
    ...f.set('l', f.get('begin')),
    ...f.set('k', i32(0)),
    ...forRange(
      f,
      'i',
      f.get('begin'),
      f.get('end'),
      1,
      f.set('r', load32(add(f.get('idx'), shl(f.get('i'), i32(2))))),
      f.set('left', loadU8(add(f.get('lut'), loadU8(add(f.get('col'), f.get('r')))))),
      store32(add(f.get('idx'), shl(f.get('l'), i32(2))), f.get('r')),
      store32(add(f.get('scratch'), shl(f.get('k'), i32(2))), f.get('r')),
      f.set('l', add(f.get('l'), f.get('left'))),
      f.set('k', add(f.get('k'), sub(i32(1), f.get('left')))),
    ),
    ...forRange(
      f,
      'i',
      i32(0),
      f.get('k'),
      1,
      store32(add(f.get('idx'), shl(add(f.get('l'), f.get('i')), i32(2))), load32(add(f.get('scratch'), shl(f.get('i'), i32(2))))),
    ),
    ...ret(f.get('l')),
  ];
  return f;
}

const LEAF_BIT = 1 << 29;
const DL_BIT = 1 << 30;
const FEATURE_MASK = LEAF_BIT - 1;

/**
 * `width` rows at a time through every tree. Nodes are 16-byte records [code, child, threshold,
 * leafAt] (see predictor.ts): a step reads one record, so code, child and threshold share a
 * cache line; the `width` independent chains overlap their load latencies.
 */
function predictRows(width: number): Fn {
  const rowsL: [string, 'i32'][] = [];
  for (let j = 0; j < width; j++) rowsL.push([`x${j}`, I], [`n${j}`, I], [`c${j}`, I]);
  const f = new Fn(
    `predict${width}`,
    [['recs', I], ['val', I], ['roots', I], ['treeOut', I], ['nT', I], ['X', I], ['rowBytes', I], ['res', I], ['K', I]],
    null,
    [['t', I], ['o', I], ['k', I], ['p', I], ['xv', 'f32'], ...rowsL],
  );
  const rec = (n: string): Code => add(f.get('recs'), shl(f.get(n), i32(4)));
  const step = (j: number): Code[] => [
    f.set('p', rec(`n${j}`)),
    f.set('xv', loadF32(add(f.get(`x${j}`), shl(and(f.get(`c${j}`), i32(FEATURE_MASK)), i32(2))))),
    // goRight = x > thr, or x missing (x ≠ x) and the default direction is right
    f.set(
      `n${j}`,
      add(
        load32(f.get('p'), 4),
        or(f32gt(f.get('xv'), loadF32(f.get('p'), 8)), and(f32ne(f.get('xv'), f.get('xv')), eqz(and(f.get(`c${j}`), i32(DL_BIT))))),
      ),
    ),
    f.set(`c${j}`, load32(rec(`n${j}`))),
  ];
  const start: Code[] = [f.set('n0', load32(add(f.get('roots'), shl(f.get('t'), i32(2))))), f.set('c0', load32(rec('n0')))];
  for (let j = 1; j < width; j++) start.push(f.set(`n${j}`, f.get('n0')), f.set(`c${j}`, f.get('c0')));
  const steps: Code[] = [];
  for (let j = 0; j < width; j++) steps.push(...step(j));
  let allLeaves = f.get('c0');
  for (let j = 1; j < width; j++) allLeaves = and(allLeaves, f.get(`c${j}`));
  const leafVal = (j: number): Code => add(f.get('val'), shl(load32(rec(`n${j}`), 12), i32(3)));
  // single-output tree: res[j·K + out] += val[leafAt[n_j]]; vector tree: K values
  const single: Code[] = [];
  const vector: Code[] = [];
  for (let j = 0; j < width; j++) {
    single.push(addF64(add(f.get('res'), shl(add(mul(i32(j), f.get('K')), f.get('o')), i32(3))), loadF64(leafVal(j))));
    vector.push(
      forRange(
        f,
        'k',
        i32(0),
        f.get('K'),
        1,
        addF64(add(f.get('res'), shl(add(mul(i32(j), f.get('K')), f.get('k')), i32(3))), loadF64(add(leafVal(j), shl(f.get('k'), i32(3))))),
      ),
    );
  }
  const rowsInit: Code[] = [];
  for (let j = 0; j < width; j++) rowsInit.push(f.set(`x${j}`, add(f.get('X'), mul(i32(j), f.get('rowBytes')))));
  f.body = [
    ...rowsInit.flat(),
    ...forRange(
      f,
      't',
      i32(0),
      f.get('nT'),
      1,
      ...start,
      block(loop(brIf(1, and(allLeaves, i32(LEAF_BIT))), ...steps, br(0))),
      f.set('o', load32(add(f.get('treeOut'), shl(f.get('t'), i32(2))))),
      ifElse(geS(f.get('o'), i32(0)), single, vector),
    ),
  ];
  return f;
}

/** Rows per group of the complete-tree kernel (predictStage / predictComplete). */
export const GROUP_ROWS = 8;
/** Deepest tree of the complete-tree kernel. */
export const COMPLETE_MAX_DEPTH = 12;

/**
 * Rows [0, nRows) of a row-major chunk (rowBytes apart) into groups of GROUP_ROWS rows, the
 * model's columns only, column-major inside a group: value (row r, column k) at
 * dst + (r >> 3)·U·32 + k·32 + (r & 7)·4, U = nCols columns. cols[k] = byte offset of column k
 * in a row; columns k ≥ nKeep get NaN replaced by +∞ (read by "missing goes right" nodes, see
 * predictor.ts). The rows that fill up the last group are zeros. Bits are copied as i32.
 */
function predictStage(): Fn {
  const f = new Fn(
    'predictStage',
    [['src', I], ['nRows', I], ['rowBytes', I], ['cols', I], ['nKeep', I], ['U', I], ['dst', I]],
    null,
    [['r', I], ['k', I], ['s', I], ['d', I], ['v', I], ['end', I], ['gBytes', I]],
  );
  f.body = [
    ...f.set('gBytes', shl(f.get('U'), i32(5))),
    ...f.set('end', and(add(f.get('nRows'), i32(GROUP_ROWS - 1)), i32(-GROUP_ROWS))),
    ...forRange(
      f,
      'r',
      i32(0),
      f.get('end'),
      1,
      f.set('d', add(f.get('dst'), add(mul(shrU(f.get('r'), i32(3)), f.get('gBytes')), shl(and(f.get('r'), i32(7)), i32(2))))),
      ifElse(
        ltS(f.get('r'), f.get('nRows')),
        [
          f.set('s', add(f.get('src'), mul(f.get('r'), f.get('rowBytes')))),
          forRange(f, 'k', i32(0), f.get('nKeep'), 1, store32(add(f.get('d'), shl(f.get('k'), i32(5))), load32(add(f.get('s'), load32(add(f.get('cols'), shl(f.get('k'), i32(2)))))))),
          forRange(
            f,
            'k',
            f.get('nKeep'),
            f.get('U'),
            1,
            f.set('v', load32(add(f.get('s'), load32(add(f.get('cols'), shl(f.get('k'), i32(2))))))),
            store32(add(f.get('d'), shl(f.get('k'), i32(5))), select(i32(0x7f800000), f.get('v'), geU(and(f.get('v'), i32(0x7fffffff)), i32(0x7f800001)))),
          ),
        ],
        [forRange(f, 'k', i32(0), f.get('U'), 1, store32(add(f.get('d'), shl(f.get('k'), i32(5))), i32(0)))],
      ),
    ),
  ];
  return f;
}

/**
 * nG groups of GROUP_ROWS staged rows (predictStage; group g at X + g·gBytes) through trees
 * [t0, t1) of a complete-tree model. Tree descriptors are 4 i32 at trees + 16t: [nb, depth, lb,
 * q]: node n (1-based, heap order: children 2n and 2n+1) is the 8-byte record nb + 8n =
 * [column byte offset within a group row (k·32), threshold (f32)]; after `depth` steps n is in
 * [2^depth, 2^(depth+1)) and its leaf value is the f64 at lb + 8n. Sums are group-major: row j of
 * group g adds to the f64 at res + g·gRes + q + 8j (q = 64·output, gRes = 64·nOutputs).
 * A step is n = 2n + (x > thr): no child pointers, no leaf test, no loop (unrolledSteps).
 */
function predictComplete(): Fn {
  const W = GROUP_ROWS;
  const rowsL: [string, 'i32'][] = [];
  for (let j = 0; j < W; j++) rowsL.push([`n${j}`, I]);
  const f = new Fn(
    'predictComplete',
    [['trees', I], ['t0', I], ['t1', I], ['X', I], ['nG', I], ['gBytes', I], ['res', I], ['gRes', I]],
    null,
    [['s', I], ['sEnd', I], ['d', I], ['nb', I], ['lb', I], ['G', I], ['gEnd', I], ['R', I], ['a', I], ['p', I], ...rowsL],
  );
  const steps: Code[] = [];
  for (let j = 0; j < W; j++) {
    steps.push(
      f.set('p', add(f.get('nb'), shl(f.get(`n${j}`), i32(3)))),
      f.set(`n${j}`, or(shl(f.get(`n${j}`), i32(1)), f32gt(loadF32(add(f.get('G'), load32(f.get('p'))), 4 * j), loadF32(f.get('p'), 4)))),
    );
  }
  const init: Code[] = [];
  for (let j = 0; j < W; j++) init.push(f.set(`n${j}`, i32(1)));
  const leaves: Code[] = [f.set('a', add(f.get('R'), load32(f.get('s'), 12)))];
  for (let j = 0; j < W; j++) leaves.push(addF64(f.get('a'), loadF64(add(f.get('lb'), shl(f.get(`n${j}`), i32(3)))), 8 * j));
  f.body = [
    ...f.set('G', f.get('X')),
    ...f.set('gEnd', add(f.get('X'), mul(f.get('nG'), f.get('gBytes')))),
    ...f.set('R', f.get('res')),
    ...block(
      loop(
        brIf(1, geU(f.get('G'), f.get('gEnd'))),
        f.set('s', add(f.get('trees'), shl(f.get('t0'), i32(4)))),
        f.set('sEnd', add(f.get('trees'), shl(f.get('t1'), i32(4)))),
        block(
          loop(
            brIf(1, geU(f.get('s'), f.get('sEnd'))),
            f.set('nb', load32(f.get('s'))),
            f.set('d', load32(f.get('s'), 4)),
            f.set('lb', load32(f.get('s'), 8)),
            ...init,
            unrolledSteps(f.get('d'), cat(...steps), cat(...leaves)),
            f.set('s', add(f.get('s'), i32(16))),
            br(0),
          ),
        ),
        f.set('G', add(f.get('G'), f.get('gBytes'))),
        f.set('R', add(f.get('R'), f.get('gRes'))),
        br(0),
      ),
    ),
  ];
  return f;
}

/**
 * `depth` copies of `steps`, then `after`, without a loop or a merge between steps: a br_table
 * on depth jumps to a straight run of exactly that many copies (0 ≤ depth ≤ COMPLETE_MAX_DEPTH).
 */
function unrolledSteps(depth: Code, steps: Code, after: Code): Code {
  const n = COMPLETE_MAX_DEPTH + 1;
  // block_n { block_{n-1} { … block_0 { br_table } run_0 br n-1 … } run_{n-1} }: exiting block_d
  // runs run_d = d steps + after, then leaves the outermost block.
  // Written flat (the block openings first), not by nesting block(): one copy of the runs.
  const parts: Code[] = [];
  for (let d = 0; d <= n; d++) parts.push([0x02, 0x40]);
  parts.push(brTable(depth, Array.from({ length: n }, (_, d) => d), n - 1), [0x0b]);
  for (let d = 0; d < n; d++) {
    for (let k = 0; k < d; k++) parts.push(steps);
    parts.push(after, d < n - 1 ? br(n - 1 - d) : [], [0x0b]);
  }
  return cat(...parts);
}

/** Empty slot marker of the binner's hash table: a NaN bit pattern, never a key. */
export const EMPTY_KEY = 0x7fc00001;

/** Shared prologue: b = float bits at col[i]; NaN → `onNaN`; −0 → 0; h = Fibonacci hash of b. */
function hashPrologue(f: Fn, onNaN: Code[]): Code[] {
  return [
    f.set('b', load32(add(f.get('col'), shl(f.get('i'), i32(2))))),
    ifThen(and(eq(and(f.get('b'), i32(0x7f800000)), i32(0x7f800000)), ne(and(f.get('b'), i32(0x7fffff)), i32(0))), ...onNaN),
    ifThen(eq(f.get('b'), i32(-0x80000000)), f.set('b', i32(0))),
    f.set('h', and(mul(f.get('b'), i32(-1640531535)), f.get('mask'))),
  ];
}

function hashCount(): Fn {
  const f = new Fn(
    'hashCount',
    [['col', I], ['n', I], ['keys', I], ['vals', I], ['used', I], ['mask', I], ['limit', I], ['missingOut', I]],
    'i32',
    [['i', I], ['b', I], ['h', I], ['k', I], ['size', I], ['missing', I], ['p', I]],
  );
  f.body = [
    ...forRange(
      f,
      'i',
      i32(0),
      f.get('n'),
      1,
      block(
        ...hashPrologue(f, [f.set('missing', add(f.get('missing'), i32(1))), br(1)]),
        loop(
          f.set('p', add(f.get('keys'), shl(f.get('h'), i32(2)))),
          f.set('k', load32(f.get('p'))),
          ifThen(eq(f.get('k'), f.get('b')), storeI32Inc(f, add(f.get('vals'), shl(f.get('h'), i32(2)))), br(2)),
          ifThen(
            eq(f.get('k'), i32(EMPTY_KEY)),
            ifThen(eq(f.get('size'), f.get('limit')), ret(i32(-1))),
            store32(f.get('p'), f.get('b')),
            store32(add(f.get('vals'), shl(f.get('h'), i32(2))), i32(1)),
            store32(add(f.get('used'), shl(f.get('size'), i32(2))), f.get('h')),
            f.set('size', add(f.get('size'), i32(1))),
            br(2),
          ),
          f.set('h', and(add(f.get('h'), i32(1)), f.get('mask'))),
          br(0),
        ),
      ),
    ),
    ...store32(f.get('missingOut'), f.get('missing')),
    ...ret(f.get('size')),
  ];
  return f;
}

/** *p += 1 (i32). */
function storeI32Inc(f: Fn, p: Code): Code {
  void f;
  return [...p, ...p, 0x28, 2, 0, ...i32(1), 0x6a, 0x36, 2, 0];
}

/**
 * Up to FEW distinct values of n float32s (bits at col): their bit patterns into keys[0..k) and
 * counts into cnt[0..k) (i32), NaNs counted in cnt[FEW]; returns k, or -1 as soon as a
 * (FEW+1)-th distinct value appears (continuous features fail fast).
 */
export const FEW = 4;
function fewDistinct(): Fn {
  const locals: [string, 'i32'][] = [['i', I], ['b', I], ['k', I], ['mask', I], ['h', I], ['nan', I]];
  for (let j = 0; j < FEW; j++) locals.push([`v${j}`, I], [`c${j}`, I]);
  const f = new Fn('fewDistinct', [['col', I], ['n', I], ['keys', I], ['cnt', I]], 'i32', locals);
  // Values and counts in locals (registers): no store→load chain through memory per row.
  const match: Code[] = [];
  for (let j = 0; j < FEW; j++) {
    match.push(ifThen(and(ltS(i32(j), f.get('k')), eq(f.get(`v${j}`), f.get('b'))), f.set(`c${j}`, add(f.get(`c${j}`), i32(1))), br(1)));
  }
  const insert: Code[] = [];
  for (let j = 0; j < FEW; j++) {
    insert.push(ifThen(eq(f.get('k'), i32(j)), f.set(`v${j}`, f.get('b')), f.set(`c${j}`, i32(1)), f.set('k', i32(j + 1)), br(1)));
  }
  const out: Code[] = [];
  for (let j = 0; j < FEW; j++) out.push(store32(add(f.get('keys'), i32(4 * j)), f.get(`v${j}`)), store32(add(f.get('cnt'), i32(4 * j)), f.get(`c${j}`)));
  f.body = [
    ...forRange(
      f,
      'i',
      i32(0),
      f.get('n'),
      1,
      block(
        ...hashPrologue(f, [f.set('nan', add(f.get('nan'), i32(1))), br(1)]),
        ...match,
        ifThen(eq(f.get('k'), i32(FEW)), ret(i32(-1))),
        ...insert,
      ),
    ),
    ...out.flat(),
    ...store32(add(f.get('cnt'), i32(4 * FEW)), f.get('nan')),
    ...ret(f.get('k')),
  ];
  return f;
}

/** Bins of n float32s against ne ≤ FEW-1 edges by counting the edges below each value (NaN → ne+1); per-bin counts kept in locals. */
function binFew(): Fn {
  const locals: [string, 'i32' | 'f32'][] = [['i', I], ['j', I], ['bin', I], ['any', I], ['x', 'f32']];
  for (let j = 0; j <= FEW; j++) locals.push([`n${j}`, I]);
  const f = new Fn('binFew', [['col', I], ['n', I], ['edges', I], ['ne', I], ['out', I], ['counts', I]], 'i32', locals);
  const tally: Code[] = [];
  for (let j = 0; j <= FEW; j++) tally.push(f.set(`n${j}`, add(f.get(`n${j}`), eq(f.get('bin'), i32(j)))));
  const store: Code[] = [];
  for (let j = 0; j <= FEW; j++) store.push(storeF64(add(f.get('counts'), i32(8 * j)), f64add(loadF64(add(f.get('counts'), i32(8 * j))), f64FromI32(f.get(`n${j}`)))));
  f.body = [
    ...forRange(
      f,
      'i',
      i32(0),
      f.get('n'),
      1,
      f.set('x', loadF32(add(f.get('col'), shl(f.get('i'), i32(2))))),
      f.set('bin', i32(0)),
      forRange(f, 'j', i32(0), f.get('ne'), 1, f.set('bin', add(f.get('bin'), f32gt(f.get('x'), loadF32(add(f.get('edges'), shl(f.get('j'), i32(2)))))))),
      ifThen(f32ne(f.get('x'), f.get('x')), f.set('bin', add(f.get('ne'), i32(1))), f.set('any', i32(1))),
      store8(add(f.get('out'), f.get('i')), f.get('bin')),
      ...tally,
    ),
    ...store.flat(),
    ...ret(f.get('any')),
  ];
  return f;
}

/** dst[j·n + r] = src[r·nCols + f0 + j] for j < g, r < n: a group of columns of a row-major float32 matrix, transposed. */
function transpose(): Fn {
  const f = new Fn('transpose', [['src', I], ['n', I], ['nCols', I], ['f0', I], ['g', I], ['dst', I]], null, [['r', I], ['j', I], ['row', I], ['nb', I]]);
  f.body = [
    ...f.set('nb', shl(f.get('n'), i32(2))),
    ...forRange(
      f,
      'r',
      i32(0),
      f.get('n'),
      1,
      f.set('row', add(f.get('src'), shl(add(mul(f.get('r'), f.get('nCols')), f.get('f0')), i32(2)))),
      forRange(
        f,
        'j',
        i32(0),
        f.get('g'),
        1,
        store32(add(f.get('dst'), add(mul(f.get('j'), f.get('nb')), shl(f.get('r'), i32(2)))), load32(add(f.get('row'), shl(f.get('j'), i32(2))))),
      ),
    ),
  ];
  return f;
}

function hashBin(): Fn {
  const f = new Fn(
    'hashBin',
    [['col', I], ['n', I], ['keys', I], ['vals', I], ['mask', I], ['edges', I], ['ne', I], ['out', I], ['counts', I]],
    'i32',
    [['i', I], ['b', I], ['h', I], ['k', I], ['bin', I], ['any', I], ['lo', I], ['hi', I], ['mid', I], ['x', 'f32']],
  );
  const search: Code[] = [
    // binary search: the number of edges below x
    f.set('x', loadF32(add(f.get('col'), shl(f.get('i'), i32(2))))),
    f.set('lo', i32(0)),
    f.set('hi', f.get('ne')),
    block(
      loop(
        brIf(1, geS(f.get('lo'), f.get('hi'))),
        f.set('mid', shrU(add(f.get('lo'), f.get('hi')), i32(1))),
        ifElse(
          f32lt(loadF32(add(f.get('edges'), shl(f.get('mid'), i32(2)))), f.get('x')),
          [f.set('lo', add(f.get('mid'), i32(1)))],
          [f.set('hi', f.get('mid'))],
        ),
        br(0),
      ),
    ),
    f.set('bin', f.get('lo')),
  ];
  f.body = [
    ...forRange(
      f,
      'i',
      i32(0),
      f.get('n'),
      1,
      block(
        ...hashPrologue(f, [f.set('bin', add(f.get('ne'), i32(1))), f.set('any', i32(1)), br(1)]),
        loop(
          f.set('k', load32(add(f.get('keys'), shl(f.get('h'), i32(2))))),
          ifThen(eq(f.get('k'), f.get('b')), f.set('bin', load32(add(f.get('vals'), shl(f.get('h'), i32(2))))), br(2)),
          ifThen(eq(f.get('k'), i32(EMPTY_KEY)), ...search, br(2)),
          f.set('h', and(add(f.get('h'), i32(1)), f.get('mask'))),
          br(0),
        ),
      ),
      store8(add(f.get('out'), f.get('i')), f.get('bin')),
      addF64(add(f.get('counts'), shl(f.get('bin'), i32(3))), f64c(1)),
    ),
    ...ret(f.get('any')),
  ];
  return f;
}

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700;

/**
 * exp(x) for x ≤ 0 into local `out` (uses locals ex·, kf·, r·, r2·, r4· with suffix `sfx`):
 * x = k·ln2 + r (Cody & Waite 1980, ln2 split in two), e^r by its Taylor series to degree 10
 * evaluated with Estrin's scheme (|r| ≤ ln2/2, so the truncation error is below 3e-13
 * relative; the short dependency chain lets consecutive rows overlap), times 2^k from a table.
 */
function expNeg(f: Fn, x: Code, pow2: string, out: string, sfx = ''): Code[] {
  const c = (j: number): Code => {
    let fact = 1;
    for (let i = 2; i <= j; i++) fact *= i;
    return f64c(1 / fact);
  };
  const r = f.get(`r${sfx}`);
  const r2 = f.get(`r2${sfx}`);
  const r4 = f.get(`r4${sfx}`);
  const pair = (j: number): Code => f64add(c(j), f64mul(c(j + 1), r)); // c_j + c_{j+1} r
  // ((c0+c1r) + r²(c2+c3r)) + r⁴((c4+c5r) + r²(c6+c7r)) + r⁸((c8+c9r) + r² c10)
  const lo = f64add(pair(0), f64mul(r2, pair(2)));
  const mid = f64add(pair(4), f64mul(r2, pair(6)));
  const hi = f64add(pair(8), f64mul(r2, c(10)));
  const poly = f64add(f64add(lo, f64mul(r4, mid)), f64mul(f64mul(r4, r4), hi));
  return [
    f.set(`ex${sfx}`, f64max(x, f64c(-745))),
    f.set(`kf${sfx}`, f64nearest(f64mul(f.get(`ex${sfx}`), f64c(INV_LN2)))),
    f.set(`r${sfx}`, f64sub(f64sub(f.get(`ex${sfx}`), f64mul(f.get(`kf${sfx}`), f64c(LN2_HI))), f64mul(f.get(`kf${sfx}`), f64c(LN2_LO)))),
    f.set(`r2${sfx}`, f64mul(r, r)),
    f.set(`r4${sfx}`, f64mul(r2, r2)),
    f.set(out, f64mul(poly, loadF64(add(f.get(pow2), shl(add(i32TruncF64(f.get(`kf${sfx}`)), i32(POW2_BIAS)), i32(3)))))),
  ];
}

/** Gradient and hessian (times the row weight; w = 0: unweighted) into gh as float32. */
function storeGradHess(f: Fn, p: Code, target: Code): Code[] {
  return [
    f.set('wt', f64c(1)),
    ifThen(ne(f.get('w'), i32(0)), f.set('wt', f64promote(loadF32(add(f.get('w'), shl(f.get('i'), i32(2))))))),
    f.set('pv', p),
    storeF32(add(f.get('gh'), shl(f.get('i'), i32(3))), f32demote(f64mul(f64sub(f.get('pv'), target), f.get('wt')))),
    storeF32(
      add(f.get('gh'), shl(f.get('i'), i32(3))),
      f32demote(f64mul(f64max(f64mul(f.get('pv'), f64sub(f64c(1), f.get('pv'))), f64c(1e-16)), f.get('wt'))),
      4,
    ),
  ];
}

const expLocals = (sfx = ''): [string, 'f64'][] => ['ex', 'kf', 'r', 'r2', 'r4'].map((v) => [`${v}${sfx}`, F]);

function logisticGrad(): Fn {
  const f = new Fn(
    'logisticGrad',
    [['margin', I], ['y', I], ['w', I], ['n', I], ['gh', I], ['pow2', I]],
    null,
    [['i', I], ['m', F], ['z', F], ['p1', F], ['m2', F], ['z2', F], ['wt', F], ['pv', F], ...expLocals(), ...expLocals('b')],
  );
  // p = σ(m) from z = e^{-|m|} ∈ (0, 1]: σ(|m|) = 1/(1+z), σ(-|m|) = z/(1+z) (no overflow).
  // Two rows per iteration (i, i+1): two independent exp chains in flight.
  const row = (m: string, z: string): Code[] => [
    f.set('p1', f64div(f64c(1), f64add(f64c(1), f.get(z)))),
    ...storeGradHess(f, select(f.get('p1'), f64mul(f.get(z), f.get('p1')), f64ge(f.get(m), f64c(0))), f64FromI32(load32(add(f.get('y'), shl(f.get('i'), i32(2)))))),
  ];
  f.body = [
    ...block(
      loop(
        brIf(1, geS(add(f.get('i'), i32(1)), f.get('n'))),
        f.set('m', loadF64(add(f.get('margin'), shl(f.get('i'), i32(3))))),
        f.set('m2', loadF64(add(f.get('margin'), shl(f.get('i'), i32(3))), 8)),
        ...expNeg(f, f64neg(f64abs(f.get('m'))), 'pow2', 'z'),
        ...expNeg(f, f64neg(f64abs(f.get('m2'))), 'pow2', 'z2', 'b'),
        ...row('m', 'z'),
        f.set('i', add(f.get('i'), i32(1))),
        ...row('m2', 'z2'),
        f.set('i', add(f.get('i'), i32(1))),
        br(0),
      ),
    ),
    ...ifThen(
      ltS(f.get('i'), f.get('n')),
      f.set('m', loadF64(add(f.get('margin'), shl(f.get('i'), i32(3))))),
      ...expNeg(f, f64neg(f64abs(f.get('m'))), 'pow2', 'z'),
      ...row('m', 'z'),
    ),
  ];
  return f;
}

function softmaxRows(): Fn {
  const f = new Fn(
    'softmaxRows',
    [['margin', I], ['n', I], ['K', I], ['prob', I], ['pow2', I]],
    null,
    [['i', I], ['k', I], ['row', I], ['pr', I], ['mx', F], ['s', F], ['e', F], ...expLocals()],
  );
  const mk = loadF64(add(f.get('row'), shl(f.get('k'), i32(3))));
  f.body = forRange(
    f,
    'i',
    i32(0),
    f.get('n'),
    1,
    f.set('row', add(f.get('margin'), shl(mul(f.get('i'), f.get('K')), i32(3)))),
    f.set('pr', add(f.get('prob'), shl(mul(f.get('i'), f.get('K')), i32(3)))),
    f.set('mx', f64c(-Infinity)),
    forRange(f, 'k', i32(0), f.get('K'), 1, f.set('mx', f64max(f.get('mx'), mk))),
    f.set('s', f64c(0)),
    forRange(
      f,
      'k',
      i32(0),
      f.get('K'),
      1,
      ...expNeg(f, f64sub(mk, f.get('mx')), 'pow2', 'e'),
      storeF64(add(f.get('pr'), shl(f.get('k'), i32(3))), f.get('e')),
      f.set('s', f64add(f.get('s'), f.get('e'))),
    ),
    forRange(
      f,
      'k',
      i32(0),
      f.get('K'),
      1,
      storeF64(add(f.get('pr'), shl(f.get('k'), i32(3))), f64div(loadF64(add(f.get('pr'), shl(f.get('k'), i32(3)))), f.get('s'))),
    ),
  );
  return f;
}

function softmaxGrad(): Fn {
  const f = new Fn('softmaxGrad', [['prob', I], ['y', I], ['w', I], ['n', I], ['K', I], ['k', I], ['gh', I]], null, [['i', I], ['wt', F], ['pv', F]]);
  f.body = forRange(
    f,
    'i',
    i32(0),
    f.get('n'),
    1,
    ...storeGradHess(
      f,
      loadF64(add(f.get('prob'), shl(add(mul(f.get('i'), f.get('K')), f.get('k')), i32(3)))),
      select(f64c(1), f64c(0), eq(load32(add(f.get('y'), shl(f.get('i'), i32(2)))), f.get('k'))),
    ),
  );
  return f;
}

let compiled: WasmModule | null = null;

/** The compiled kernel module (built once per process; importing a shared "env"."mem"). */
export function kernelModule(): WasmModule {
  if (!compiled) {
    const fns = [
      gradEntries(),
      gradSparse(),
      gradDense(4),
      gradDense(1),
      classPacked(4),
      classPacked(1),
      classPackedSplit(),
      bagWeights(),
      packedLabelSum(),
      classPackedSparse(),
      relabel(),
      classHist(4),
      classHist(1),
      partition(),
      predictRows(4),
      predictRows(8),
      predictStage(),
      predictComplete(),
      hashCount(),
      hashBin(),
      fewDistinct(),
      binFew(),
      transpose(),
      logisticGrad(),
      softmaxRows(),
      softmaxGrad(),
    ];
    compiled = new wasmApi.Module(assemble(fns, true));
  }
  return compiled;
}
