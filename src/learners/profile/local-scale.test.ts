import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matrix } from '../../features/types.js';
import { Random } from '../../util/random.js';
import { decodeTyped, encodeTyped } from '../../util/typed-json.js';
import { KnnProfile, localSpacing } from './knn-profile.js';
import { VpTree } from './vp-tree.js';

/** Clustered rows with exact duplicates (every 5th row repeats the one before), non-negative. */
function rows(n: number, d: number, seed: number): Float32Array {
  const r = new Random(seed);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = i % 5 === 0 && i > 0 ? out[(i - 1) * d + j]! : Math.abs(Math.round(r.normal() * 6) / 4 + (i % 3) * 4 * (j + 1));
  }
  return out;
}

function dist(a: Float32Array, i: number, b: Float32Array, j: number, d: number): number {
  let s = 0;
  for (let c = 0; c < d; c++) s += (a[i * d + c]! - b[j * d + c]!) ** 2;
  return Math.sqrt(s);
}

test('local spacing: ρ is the distance to the nearest other row at distance > 0 (duplicates skipped), by brute force; ρ_floor their median', () => {
  const d = 4;
  const n = 300;
  const data = rows(n, d, 3);
  const { rho, floor } = localSpacing(data, d, VpTree.build(data, d, 7));
  const defined: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < n; j++) {
      const v = dist(data, i, data, j, d);
      if (v > 0 && v < best) best = v;
    }
    assert.equal(rho[i], best === Infinity ? 0 : best, `row ${i}`);
    if (best !== Infinity) defined.push(best);
  }
  // the duplicates are there, and ρ never looks at them (it would be 0)
  assert.equal(dist(data, 5, data, 4, d), 0);
  assert.ok(rho[5]! > 0 && rho[4]! > 0);
  defined.sort((a, b) => a - b);
  const m = defined.length >> 1;
  assert.equal(floor, defined.length % 2 ? defined[m] : (defined[m - 1]! + defined[m]!) / 2);
});

test('local spacing: a row whose other rows are all its duplicates has no ρ (ρ_floor applies); all rows identical → ρ_floor 1', () => {
  const same = Float32Array.from({ length: 12 }, () => 3);
  const s = localSpacing(same, 2, VpTree.build(same, 2, 0));
  assert.deepEqual([...s.rho], [0, 0, 0, 0, 0, 0]);
  assert.equal(s.floor, 1);
  const X = matrix(Float32Array.from([0, 0, 0, 0, 0, 0, 3, 4, 3, 4, 6, 8]), 6, ['a', 'b']);
  const p = new KnnProfile(1, { log: false }, 'local');
  p.fit(X, 0);
  const sp = p.spacing!;
  for (let i = 0; i < 6; i++) assert.ok(sp.rho[i]! > 0, 'every row has a non-duplicate neighbour');
  assert.equal(new KnnProfile(1).spacing, null, 'scale none keeps no spacing');
});

test('local-scale profile: contributions ≥ 0 and summing to the score (1e-9), k = 1 and 3; save → JSON text → load scores the same (1e-12)', () => {
  const d = 5;
  const X = matrix(rows(400, d, 5), 400, ['a', 'b', 'c', 'd', 'e']);
  const Q = matrix(rows(80, d, 6).map((v) => v * 1.7), 80, X.columns);
  for (const k of [1, 3]) {
    const p = new KnnProfile(k, {}, 'local');
    p.fit(X, 0);
    const s = p.score(Q);
    const phi = p.contributions(Q);
    let positive = 0;
    for (let i = 0; i < Q.nRows; i++) {
      let sum = 0;
      for (let j = 0; j < d; j++) {
        assert.ok(phi[i * d + j]! >= 0);
        sum += phi[i * d + j]!;
      }
      assert.ok(Math.abs(sum - s[i]!) < 1e-9 * Math.max(1, s[i]!), `k=${k} row ${i}: Σφ ${sum} vs score ${s[i]}`);
      if (s[i]! > 0) positive++;
    }
    assert.ok(positive > Q.nRows / 2);
    const json = p.toJSON();
    assert.equal(json.scale, 'local');
    const restored = KnnProfile.fromJSON(decodeTyped(JSON.parse(JSON.stringify(encodeTyped(json)))), d);
    assert.equal(restored.scale, 'local');
    const r = restored.score(Q);
    for (let i = 0; i < Q.nRows; i++) assert.ok(Math.abs(r[i]! - s[i]!) <= 1e-12 * Math.max(1, s[i]!), `row ${i}`);
    assert.deepEqual(restored.contributions(Q), phi);
  }
});

test('a profile file written before the scale existed loads as scale none; a damaged local one is MODEL_CORRUPT', () => {
  const d = 3;
  const X = matrix(rows(120, d, 8), 120, ['a', 'b', 'c']);
  const p = new KnnProfile(1);
  p.fit(X, 0);
  const old = p.toJSON() as unknown as Record<string, unknown>;
  delete old.scale;
  const restored = KnnProfile.fromJSON(old, d);
  assert.equal(restored.scale, 'none');
  assert.deepEqual(restored.score(X), p.score(X));
  const l = new KnnProfile(1, {}, 'local');
  l.fit(X, 0);
  const j = l.toJSON();
  assert.throws(() => KnnProfile.fromJSON({ ...j, rho: new Float64Array(3) }, d), /rho has 3 values/);
  assert.throws(() => KnnProfile.fromJSON({ ...j, rhoFloor: 0 }, d), /rhoFloor/);
  assert.throws(() => KnnProfile.fromJSON({ ...j, rho: Float64Array.from(j.rho!, (v, i) => (i === 2 ? -1 : v)) }, d), /rho\[2\]/);
  assert.throws(() => KnnProfile.fromJSON({ ...j, scale: 'global' }, d), /unknown scale/);
});

test('P2 ranks a point near a sparse region of normal traffic below one equally far from a dense cluster (P1 ties them)', () => {
  // normal rows: a dense cluster on a ∈ [0, 2] step 0.1, and a sparse one at a = 20, 25, 30; b = 0 everywhere
  const a = [...Array.from({ length: 21 }, (_, i) => i / 10), 20, 25, 30];
  const X = matrix(Float32Array.from(a.flatMap((v) => [v, 0])), a.length, ['a', 'b']);
  // both queries 1 away in b from a normal row: (1, 1) by the dense cluster, (25, 1) in the sparse region
  const Q = matrix(Float32Array.from([1, 1, 25, 1]), 2, ['a', 'b']);
  const p1 = new KnnProfile(1, { log: false }, 'none');
  const p2 = new KnnProfile(1, { log: false }, 'local');
  p1.fit(X, 0);
  p2.fit(X, 0);
  const s1 = p1.score(Q);
  const s2 = p2.score(Q);
  assert.equal(s1[0], s1[1], 'the plain distance cannot tell them apart');
  assert.ok(s2[1]! < s2[0]!, `local scale: sparse ${s2[1]} < dense ${s2[0]}`);
  // the dense neighbour's spacing is 0.1 (the floor, the median), the sparse one's 5 (in the scaled a): a ratio of 50
  assert.ok(Math.abs(s2[0]! / s2[1]! - 50) < 1e-4, `ratio ${s2[0]! / s2[1]!}`);
});
