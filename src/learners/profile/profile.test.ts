import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matrix } from '../../features/types.js';
import { Random } from '../../util/random.js';
import { thresholdAtFpr } from './calibrate.js';
import { KnnProfile } from './knn-profile.js';
import { ProfileScaler } from './scaler.js';
import { VpTree } from './vp-tree.js';

function points(n: number, d: number, seed: number): Float32Array {
  const r = new Random(seed);
  const out = new Float32Array(n * d);
  // clustered, with duplicates: the cases a VP-tree gets wrong when its pruning bound is off
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = i % 7 === 0 && i > 0 ? out[(i - 1) * d + j]! : Math.round(r.normal() * 4) / 2 + (i % 3) * 5;
  return out;
}

test('VP-tree: the k nearest distances equal a brute-force scan (k = 1, 3, 10; with leave-one-out)', () => {
  const d = 6;
  const data = points(700, d, 1);
  const queries = points(120, d, 2);
  const tree = VpTree.build(data, d, 3);
  for (const k of [1, 3, 10]) {
    const out = new Float64Array(k);
    const idx = new Int32Array(k);
    for (let q = 0; q < 120; q++) {
      const all: number[] = [];
      for (let i = 0; i < 700; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (data[i * d + j]! - queries[q * d + j]!) ** 2;
        all.push(Math.sqrt(s));
      }
      all.sort((a, b) => a - b);
      tree.knn(queries, q * d, k, out, -1, idx);
      for (let m = 0; m < k; m++) assert.ok(Math.abs(out[m]! - all[m]!) < 1e-9, `k=${k} query ${q} neighbour ${m}: ${out[m]} vs ${all[m]}`);
      // the indices point at rows at those distances
      for (let m = 0; m < k; m++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (data[idx[m]! * d + j]! - queries[q * d + j]!) ** 2;
        assert.ok(Math.abs(Math.sqrt(s) - out[m]!) < 1e-9);
      }
    }
  }
  // leave-one-out: querying an indexed row while skipping it finds the nearest other row
  const out = new Float64Array(1);
  for (let r = 0; r < 50; r++) {
    tree.knn(data, r * d, 1, out, r);
    let best = Infinity;
    for (let i = 0; i < 700; i++) {
      if (i === r) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[i * d + j]! - data[r * d + j]!) ** 2;
      best = Math.min(best, Math.sqrt(s));
    }
    assert.ok(Math.abs(out[0]! - best) < 1e-9);
  }
});

test('thresholdAtFpr: flags at most maxFpr of the scores, and is the lowest such threshold', () => {
  const s = Float64Array.from({ length: 100 }, (_, i) => i);
  const { threshold, fpr } = thresholdAtFpr(s, 0.05);
  assert.equal(s.filter((v) => v >= threshold).length, 5);
  assert.equal(fpr, 0.05);
  assert.ok(94 < threshold && threshold <= 95 && s.filter((v) => v >= 94).length === 6);
  // ties: never more than the budget, even if that flags fewer
  const tied = Float64Array.from([1, 2, 3, 3, 3, 3, 3, 3, 3, 3]);
  const t = thresholdAtFpr(tied, 0.2);
  assert.ok(tied.filter((v) => v >= t.threshold).length <= 2);
  assert.equal(thresholdAtFpr(new Float64Array(0), 0.05).threshold, Infinity);
});

test('profile scaler: 0/1 columns untouched, counts log1p-standardised on the fitted rows, clipped', () => {
  const X = matrix(Float32Array.from([0, 1, 1, 10, 0, 100, 1, 1000]), 4, ['flag', 'bytes']);
  const sc = ProfileScaler.fit(X, { clip: 3 });
  const Z = sc.transform(X);
  assert.deepEqual([Z[0], Z[2], Z[4], Z[6]], [0, 1, 0, 1]);
  const logs = [1, 10, 100, 1000].map(Math.log1p);
  const mu = logs.reduce((a, b) => a + b) / 4;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mu) ** 2, 0) / 4);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(Z[2 * i + 1]! - (logs[i]! - mu) / sd) < 1e-6);
  const far = sc.transform(matrix(Float32Array.from([0, 1e9]), 1, ['flag', 'bytes']));
  assert.equal(far[1], 3);
});

test('k-NN profile: contributions split the score exactly over the columns; save/load scores identically', () => {
  const d = 5;
  const X = matrix(points(400, d, 5).map(Math.abs), 400, ['a', 'b', 'c', 'd', 'e']);
  const Q = matrix(points(60, d, 6).map((v) => Math.abs(v) * 1.5), 60, X.columns);
  for (const k of [1, 4]) {
    const p = new KnnProfile(k);
    p.fit(X, 0);
    const s = p.score(Q);
    const phi = p.contributions(Q);
    for (let i = 0; i < 60; i++) {
      let sum = 0;
      for (let j = 0; j < d; j++) {
        assert.ok(phi[i * d + j]! >= 0);
        sum += phi[i * d + j]!;
      }
      assert.ok(Math.abs(sum - s[i]!) < 1e-9 * Math.max(1, s[i]!), `k=${k} row ${i}: Σφ ${sum} vs score ${s[i]}`);
    }
    const restored = KnnProfile.fromJSON(structuredClone(p.toJSON()), d);
    assert.deepEqual(restored.score(Q), s);
  }
});
