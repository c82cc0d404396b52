import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matrix, type Matrix } from '../features/types.js';
import { Random } from '../util/random.js';
import { permutationImportance } from './permutation-importance.js';

// A fixed "model": P(attack) = σ(3·(dur − 0.5) + 4·[svc=http] − 2·[svc=ftp]); it ignores `noise`
// and refuses rows whose one-hot `svc` columns are not a valid encoding.
const columns = ['dur', 'svc=http', 'svc=ftp', 'svc=other', 'noise'];
const sourceMap = ['dur', 'svc', 'svc', 'svc', 'noise'];
const seen: Float32Array[] = [];
function predictProba(X: Matrix): Float64Array {
  seen.push(X.data);
  const out = new Float64Array(X.nRows * 2);
  for (let i = 0; i < X.nRows; i++) {
    const r = X.data.subarray(i * X.nCols, (i + 1) * X.nCols);
    assert.equal(r[1]! + r[2]! + r[3]!, 1, 'one-hot columns must move together');
    const z = 3 * (r[0]! - 0.5) + 4 * r[1]! - 2 * r[2]!;
    const p = 1 / (1 + Math.exp(-z));
    out[2 * i] = 1 - p;
    out[2 * i + 1] = p;
  }
  return out;
}

function data(n: number): { X: Matrix; y: Int32Array } {
  const rng = new Random(7);
  const d = new Float32Array(n * 5);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = i * 5;
    d[r] = rng.next();
    d[r + 1 + rng.int(3)] = 1;
    d[r + 4] = rng.normal();
    y[i] = 3 * (d[r]! - 0.5) + 4 * d[r + 1]! - 2 * d[r + 2]! > 0 ? 1 : 0;
  }
  return { X: matrix(d, n, columns), y };
}

test('permutes source columns together; an ignored column has exactly zero importance', () => {
  const { X, y } = data(300);
  const before = Float32Array.from(X.data);
  seen.length = 0;
  const r = permutationImportance(predictProba, X, y, { groups: sourceMap, nRepeats: 4, seed: 1 });
  assert.equal(r.baseline, 1);
  assert.equal(r.scoring, 'accuracy');
  assert.deepEqual(r.importances.map((g) => g.name).sort(), ['dur', 'noise', 'svc']);
  const by = Object.fromEntries(r.importances.map((g) => [g.name, g]));
  assert.deepEqual(by['svc']!.columns, [1, 2, 3]);
  assert.equal(by['noise']!.mean, 0);
  assert.equal(by['noise']!.std, 0);
  assert.ok(by['svc']!.mean > 0.2, `svc ${by['svc']!.mean}`);
  assert.ok(by['dur']!.mean > 0.1, `dur ${by['dur']!.mean}`);
  assert.equal(r.importances.at(-1)!.name, 'noise'); // sorted by mean drop
  for (const g of r.importances) {
    assert.equal(g.drops.length, 4);
    const m = g.drops.reduce((a, b) => a + b, 0) / 4;
    assert.ok(Math.abs(m - g.mean) < 1e-12);
  }
  // the caller's matrix is untouched; every prediction ran on one reused scratch buffer
  assert.deepEqual(X.data, before);
  assert.equal(seen.length, 1 + 3 * 4);
  assert.ok(seen.every((d) => d === seen[0]) && seen[0] !== X.data);
});

test('deterministic under a seed, different under another', () => {
  const { X, y } = data(200);
  const a = permutationImportance(predictProba, X, y, { groups: sourceMap, seed: 3 });
  const b = permutationImportance(predictProba, X, y, { groups: sourceMap, seed: 3 });
  const c = permutationImportance(predictProba, X, y, { groups: sourceMap, seed: 4 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.importances.map((g) => g.drops), c.importances.map((g) => g.drops));
});

test('ROC-AUC and log-loss scoring, explicit groups, row sampling', () => {
  const { X, y } = data(400);
  const auc = permutationImportance(predictProba, X, y, { scoring: 'roc_auc', groups: { svc: [1, 2, 3], dur: [0] }, maxRows: 150 });
  assert.equal(auc.nRows, 150);
  assert.equal(auc.baseline, 1);
  assert.deepEqual(auc.importances.map((g) => g.name).sort(), ['dur', 'svc']);
  assert.ok(auc.importances.every((g) => g.mean > 0));
  const ll = permutationImportance(predictProba, X, y, { scoring: 'neg_log_loss', groups: sourceMap, nRepeats: 2 });
  assert.ok(ll.baseline < 0);
  const custom = permutationImportance(predictProba, X, y, { scoring: function attackRate(_y, p) { let s = 0; for (let i = 1; i < p.length; i += 2) s += p[i]!; return s; }, groups: sourceMap, nRepeats: 1 });
  assert.equal(custom.scoring, 'attackRate');
});

test('without groups every matrix column is its own feature; bad options are refused', () => {
  const { X, y } = data(50);
  const durOnly = (M: Matrix): Float64Array => {
    const out = new Float64Array(M.nRows * 2);
    for (let i = 0; i < M.nRows; i++) out[2 * i + 1] = 1 - (out[2 * i] = M.data[i * M.nCols]! < 0.5 ? 1 : 0);
    return out;
  };
  const r = permutationImportance(durOnly, X, y, { nRepeats: 2 });
  assert.deepEqual(r.importances.map((g) => g.name).sort(), [...columns].sort());
  for (const g of r.importances) if (g.name !== 'dur') assert.equal(g.mean, 0);
  assert.throws(() => permutationImportance(predictProba, X, y, { nRepeats: 0 }), /nRepeats/);
  assert.throws(() => permutationImportance(predictProba, X, y, { groups: ['a'] }), /source map/);
  assert.throws(() => permutationImportance(predictProba, X, y, { groups: { a: [9] } }), /outside/);
  assert.throws(() => permutationImportance(predictProba, X, y.subarray(1)), /labels/);
});
