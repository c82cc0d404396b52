import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTarget, loadDataset } from '../data/index.js';
import { rankAuc as rocAuc } from './testdata/auc.js';
import { Pipeline } from '../features/index.js';
import { loadNslKdd, NSL_KDD_TRAIN } from '../features/testdata/nsl-kdd.js';
import { matrix } from '../features/types.js';
import type { Matrix } from '../features/types.js';
import { NadirError } from '../errors.js';
import { Random } from '../util/random.js';
import { decodeTyped, encodeTyped } from '../util/typed-json.js';
import { LogisticRegression } from './logistic-regression.js';

function blobs(n: number, centres: number[][], seed: number, spread = 1): { X: Matrix; y: Int32Array } {
  const r = new Random(seed);
  const d = centres[0]!.length;
  const data = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % centres.length;
    y[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c]![j]! + spread * r.normal();
  }
  return { X: matrix(data, n, Array.from({ length: d }, (_, j) => `f${j}`)), y };
}

/**
 * Reference solution by Newton's method on the same objective (independent code path):
 * mean logistic loss + ‖w‖²/(2·C·n), intercept unpenalised.
 */
function newtonReference(X: Matrix, y: Int32Array, C: number): Float64Array {
  const n = X.nRows;
  const d = X.nCols;
  const m = d + 1;
  const lam = 1 / (C * n);
  const th = new Float64Array(m);
  for (let it = 0; it < 50; it++) {
    const g = new Float64Array(m);
    const H = Array.from({ length: m }, () => new Float64Array(m));
    for (let i = 0; i < n; i++) {
      const x = [...X.data.subarray(i * d, i * d + d), 1];
      let z = 0;
      for (let j = 0; j < m; j++) z += th[j]! * x[j]!;
      const p = 1 / (1 + Math.exp(-z));
      for (let a = 0; a < m; a++) {
        g[a] += ((p - y[i]!) * x[a]!) / n;
        for (let b = 0; b < m; b++) H[a]![b] += (p * (1 - p) * x[a]! * x[b]!) / n;
      }
    }
    for (let a = 0; a < d; a++) {
      g[a] += lam * th[a]!;
      H[a]![a] += lam;
    }
    // solve H δ = g (Gauss–Jordan, H is SPD and tiny)
    const A = H.map((row, a) => [...row, g[a]!]);
    for (let c = 0; c < m; c++) {
      for (let r = 0; r < m; r++) {
        if (r === c) continue;
        const f = A[r]![c]! / A[c]![c]!;
        for (let k = c; k <= m; k++) A[r]![k] -= f * A[c]![k]!;
      }
    }
    for (let a = 0; a < m; a++) th[a] -= A[a]![m]! / A[a]![a]!;
  }
  return th;
}

test('binary fit matches an independent Newton solution of the same objective', async () => {
  const { X, y } = blobs(83, [[0, 0, 1], [1.5, -1, 0]], 1, 1.2);
  for (const C of [0.05, 1, 20]) {
    const m = await new LogisticRegression({ C, tol: 1e-10, maxIter: 500 }).fit(X, y);
    const ref = newtonReference(X, y, C);
    assert.ok(m.converged);
    assert.equal(m.coef.length, 3);
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(m.coef[j]! - ref[j]!) < 1e-6, `C=${C} coef[${j}] ${m.coef[j]} vs ${ref[j]}`);
    assert.ok(Math.abs(m.intercept[0]! - ref[3]!) < 1e-6, `C=${C} intercept`);
  }
});

test('smaller C shrinks the coefficients; no intercept when fitIntercept is false', async () => {
  const { X, y } = blobs(120, [[0, 0], [2, 1]], 2);
  let prev = Infinity;
  for (const C of [100, 1, 0.01, 0.0001]) {
    const m = await new LogisticRegression({ C }).fit(X, y);
    const norm = Math.hypot(...m.coef);
    assert.ok(norm < prev, `‖w‖ decreases with C (C=${C}: ${norm})`);
    prev = norm;
  }
  const m0 = await new LogisticRegression({ fitIntercept: false }).fit(X, y);
  assert.deepEqual([...m0.intercept], [0]);
});

test('integer sample weights equal repeating rows', async () => {
  const { X, y } = blobs(40, [[0, 0], [1, 1]], 3, 1.5);
  const w = Float32Array.from({ length: 40 }, (_, i) => 1 + (i % 3));
  const rows: number[] = [];
  for (let i = 0; i < 40; i++) for (let k = 0; k < w[i]!; k++) rows.push(i);
  const Xr = matrix(Float32Array.from(rows.flatMap((i) => [X.data[2 * i]!, X.data[2 * i + 1]!])), rows.length, X.columns);
  const yr = Int32Array.from(rows, (i) => y[i]!);
  const a = await new LogisticRegression({ tol: 1e-10 }).fit(X, y, { sampleWeight: w });
  const b = await new LogisticRegression({ tol: 1e-10 }).fit(Xr, yr);
  for (let j = 0; j < 2; j++) assert.ok(Math.abs(a.coef[j]! - b.coef[j]!) < 1e-7);
  assert.ok(Math.abs(a.intercept[0]! - b.intercept[0]!) < 1e-7);
});

test('multinomial: one coefficient row per class summing to zero at the optimum; separates 3 blobs', async () => {
  const { X, y } = blobs(300, [[0, 0], [4, 0], [0, 4]], 4);
  const m = await new LogisticRegression({ tol: 1e-9, maxIter: 1000 }).fit(X, y, { classes: ['a', 'b', 'c'] });
  assert.deepEqual(m.classes, ['a', 'b', 'c']);
  assert.equal(m.coef.length, 3 * 2);
  assert.equal(m.intercept.length, 3);
  // Σ_c ∂f/∂W_c = λ Σ_c W_c, so the L2 optimum has Σ_c W_c = 0
  for (let j = 0; j < 2; j++) assert.ok(Math.abs(m.coef[j]! + m.coef[2 + j]! + m.coef[4 + j]!) < 1e-6);
  const pred = m.predict(X);
  let ok = 0;
  for (let i = 0; i < 300; i++) if (pred[i] === y[i]) ok++;
  assert.ok(ok / 300 > 0.95, `training accuracy ${ok / 300}`);
});

test('predictProba is the logistic / softmax of decisionFunction', async () => {
  const b = blobs(50, [[0, 0], [1, 1]], 5);
  const m = await new LogisticRegression().fit(b.X, b.y);
  const z = m.decisionFunction(b.X);
  const p = m.predictProba(b.X);
  assert.equal(z.length, 50);
  for (let i = 0; i < 50; i++) {
    assert.ok(Math.abs(p[2 * i + 1]! - 1 / (1 + Math.exp(-z[i]!))) < 1e-12);
    assert.equal(p[2 * i]! + p[2 * i + 1]!, 1);
  }
  const t = blobs(60, [[0, 0], [3, 0], [0, 3]], 6);
  const mm = await new LogisticRegression().fit(t.X, t.y);
  const zz = mm.decisionFunction(t.X);
  const pp = mm.predictProba(t.X);
  assert.equal(zz.length, 60 * 3);
  for (let i = 0; i < 60; i++) {
    const e = [0, 1, 2].map((c) => Math.exp(zz[i * 3 + c]!));
    const s = e[0]! + e[1]! + e[2]!;
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(pp[i * 3 + c]! - e[c]! / s) < 1e-12);
  }
});

test('options are stored as given and validated at fit', async () => {
  const { X, y } = blobs(20, [[0], [1]], 7);
  const opts = { C: -1 };
  const m = new LogisticRegression(opts);
  assert.deepEqual(m.options, opts);
  for (const bad of [{ C: 0 }, { C: Number.NaN }, { maxIter: 1.5 }, { tol: 0 }, { fitIntercept: 'yes' }, { maxIters: 10 }]) {
    await assert.rejects(
      new LogisticRegression(bad as never).fit(X, y),
      (e: unknown) => e instanceof NadirError && e.code === 'NADIR_ERR_BAD_OPTION',
      JSON.stringify(bad),
    );
  }
});

test('missing values are refused with the row and column (no silent NaN probabilities)', async () => {
  const { X, y } = blobs(20, [[0, 0], [1, 1]], 8);
  X.data[2 * 7 + 1] = Number.NaN;
  await assert.rejects(new LogisticRegression().fit(X, y), /non-finite value \(NaN\) at row 7, column 'f1'/);
  const ok = blobs(20, [[0, 0], [1, 1]], 8);
  const m = await new LogisticRegression().fit(ok.X, ok.y);
  assert.throws(() => m.predictProba(X), /row 7/);
});

test('fromJSON refuses non-finite or mis-sized coefficients', async () => {
  const { X, y } = blobs(20, [[0, 0], [1, 1]], 9);
  const m = await new LogisticRegression().fit(X, y);
  const good = decodeTyped(JSON.parse(JSON.stringify(encodeTyped(m.toJSON())))) as { fitted: Record<string, unknown> };
  assert.deepEqual([...LogisticRegression.fromJSON(good).coef], [...m.coef]);
  const nan = structuredClone(good);
  (nan.fitted.coef as Float64Array)[0] = Number.NaN;
  assert.throws(() => LogisticRegression.fromJSON(nan), /coefficients must be finite/);
  const short = structuredClone(good);
  short.fitted.coef = new Float64Array(1);
  assert.throws(() => LogisticRegression.fromJSON(short, 'm.json'), /m\.json: .*fitted\.coef has 1 values, expected 2/);
});

// ------------------------------------------------------------------ real data: NSL-KDD

test('NSL-KDD binary, standardised one-hot: KDDTest+ accuracy ≈ 0.75 and AUC ≥ 0.75 (sklearn 0.752 / 0.772)', async () => {
  const { train: tr, test: te, Xtrain: Xtr, Xtest: Xte } = await loadNslKdd({ scale: true });
  const ytr = buildTarget(tr, 'binary');
  const yte = buildTarget(te, 'binary').y;
  const m = await new LogisticRegression().fit(Xtr, ytr.y, { classes: ytr.classes });
  assert.ok(m.converged, `converged in ${m.nIter} iterations`);
  assert.deepEqual(m.classes, ['normal', 'attack']);
  const p = m.predictProba(Xte);
  const pred = m.predict(Xte);
  let ok = 0;
  for (let i = 0; i < yte.length; i++) if (pred[i] === yte[i]) ok++;
  const acc = ok / yte.length;
  const scores = Float64Array.from({ length: yte.length }, (_, i) => p[2 * i + 1]!);
  const auc = rocAuc(yte, scores)!;
  assert.ok(acc >= 0.74 && acc <= 0.8, `accuracy ${acc}`);
  assert.ok(auc >= 0.75, `AUC ${auc}`);
  // the training fit itself is good (the test set's unseen attacks are what costs accuracy)
  const trPred = m.predict(Xtr);
  let trOk = 0;
  for (let i = 0; i < ytr.y.length; i++) if (trPred[i] === ytr.y[i]) trOk++;
  assert.ok(trOk / ytr.y.length > 0.95, `training accuracy ${trOk / ytr.y.length}`);
});

test('NSL-KDD multi-class (attack category): multinomial fit learns all five categories', async () => {
  const ds = await loadDataset(NSL_KDD_TRAIN);
  const pipe = new Pipeline({ scale: true });
  pipe.fit(ds.features);
  const X = pipe.transform(ds.features);
  const t = buildTarget(ds, 'category');
  assert.deepEqual([...t.classes].sort(), ['DoS', 'Probe', 'R2L', 'U2R', 'normal']);
  const m = await new LogisticRegression().fit(X, t.y, { classes: t.classes });
  assert.equal(m.coef.length, 5 * X.nCols);
  const pred = m.predict(X);
  const k = t.classes.length;
  const hit = new Array<number>(k).fill(0);
  const tot = new Array<number>(k).fill(0);
  for (let i = 0; i < t.y.length; i++) {
    tot[t.y[i]!]!++;
    if (pred[i] === t.y[i]) hit[t.y[i]!]!++;
  }
  const acc = hit.reduce((a, b) => a + b) / t.y.length;
  assert.ok(acc > 0.95, `training accuracy ${acc}`);
  for (const c of ['normal', 'DoS', 'Probe']) {
    const ci = t.classes.indexOf(c);
    assert.ok(hit[ci]! / tot[ci]! > 0.9, `${c} recall ${hit[ci]! / tot[ci]!}`);
  }
});
