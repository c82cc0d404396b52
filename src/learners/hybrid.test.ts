import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matrix, type Matrix } from '../features/types.js';
import { takeMatrixRows } from '../features/take-rows.js';
import { Random } from '../util/random.js';
import { decodeTyped, encodeTyped } from '../util/typed-json.js';
import { FIRED_ANOMALY, FIRED_KNOWN, HybridDetector, outOfFoldNormalScores } from './hybrid.js';
import { thresholdAtFpr } from './profile/calibrate.js';
import { KnnProfile } from './profile/knn-profile.js';

/**
 * Normal rows: a ∈ [0, 10] dense, b = 0. Known attacks: the same a, b = 0.02. The supervised part
 * separates them by b; for the profile (fitted on normal rows, where b is constant 0) b = 0.02 is a
 * small distance, under the anomaly threshold, while a = 5000 is far from every normal row.
 */
function data(): { X: Matrix; y: Int32Array } {
  const r = new Random(1);
  const n = 600;
  const X = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const attack = i % 3 === 0;
    X[2 * i] = r.next() * 10;
    X[2 * i + 1] = attack ? 0.02 : 0;
    y[i] = attack ? 1 : 0;
  }
  return { X: matrix(X, n, ['a', 'b']), y };
}

test('which part fired, on constructed cases: known-attack, anomaly, both, none', async () => {
  const { X, y } = data();
  const h = await new HybridDetector({ nEstimators: 20, maxDepth: 2, nThreads: 1, gate: 0 }).fit(X, y, { classes: ['normal', 'attack'] });
  const T = h.thresholds.anomaly;
  // b = 0.02 separates the known attacks for the supervised part; for the profile (b constant 0 in
  // normal rows, scale floored) it is a distance of 0.2, below the threshold at this density
  const cases = matrix(Float32Array.from([5, 0.02, /* known only */ 5000, 0, /* anomaly only */ 5000, 0.02, /* both */ 5, 0 /* none */]), 4, ['a', 'b']);
  const parts = h.parts(cases);
  assert.deepEqual([...parts.fired], [FIRED_KNOWN, FIRED_ANOMALY, FIRED_KNOWN | FIRED_ANOMALY, 0], `anomaly scores ${[...parts.anomaly]}, threshold ${T}, P ${[...parts.probability]}`);
  // the combined score reaches 0.5 exactly when a part fired, and predict agrees
  const p = h.predictProba(cases);
  assert.deepEqual([...h.predict(cases)], [1, 1, 1, 0]);
  for (let i = 0; i < 4; i++) assert.equal(p[2 * i + 1]! >= 0.5, parts.fired[i] !== 0);
});

test('the anomaly threshold is the out-of-fold calibration on the normal training rows alone (recomputed by hand)', async () => {
  const { X, y } = data();
  const h = await new HybridDetector({ nEstimators: 5, nThreads: 1, seed: 3, maxFpr: 0.1 }).fit(X, y);
  // by hand: the same shuffle of the normal rows, 5 folds, 1-NN profile on 4 folds scoring the 5th
  const normal = [...y.keys()].filter((i) => y[i] === 0);
  const order = new Random(3 ^ 0x5eed).shuffle(Uint32Array.from(normal));
  const oof = new Float64Array(order.length);
  for (let g = 0; g < 5; g++) {
    const fit = [...order.keys()].filter((i) => i % 5 !== g);
    const held = [...order.keys()].filter((i) => i % 5 === g);
    const p = new KnnProfile(1);
    p.fit(takeMatrixRows(X, Uint32Array.from(fit, (i) => order[i]!)), 3 + 1 + g);
    const s = p.score(takeMatrixRows(X, Uint32Array.from(held, (i) => order[i]!)));
    held.forEach((i, j) => (oof[i] = s[j]!));
  }
  const want = thresholdAtFpr(oof, 0.1);
  assert.equal(h.thresholds.anomaly, want.threshold);
  assert.equal(h.thresholds.oofFpr, want.fpr);
  assert.ok(want.fpr <= 0.1);
  assert.equal(h.thresholds.normalRows, normal.length);
  // attack rows play no part: changing them leaves the threshold as it is
  const X2 = matrix(X.data.slice(), X.nRows, X.columns);
  for (let i = 0; i < X2.nRows; i++) if (y[i] === 1) X2.data[2 * i] = 1e6 + i;
  const h2 = await new HybridDetector({ nEstimators: 5, nThreads: 1, seed: 3, maxFpr: 0.1 }).fit(X2, y);
  assert.equal(h2.thresholds.anomaly, h.thresholds.anomaly);
});

test('save → JSON text → load gives the same scores, parts and contributions (to 1e-12: bit-identical)', async () => {
  const { X, y } = data();
  const h = await new HybridDetector({ nEstimators: 10, nThreads: 1, gate: 0.01 }).fit(X, y);
  const restored = HybridDetector.fromJSON(decodeTyped(JSON.parse(JSON.stringify(encodeTyped(h.toJSON())))));
  assert.deepEqual(restored.predictProba(X), h.predictProba(X));
  assert.deepEqual(restored.parts(X), h.parts(X));
  assert.deepEqual(restored.anomalyContributions(X), h.anomalyContributions(X));
  assert.deepEqual(restored.thresholds, h.thresholds);
});

test('the gate: an anomaly alarm on a row the supervised part confidently calls normal is vetoed, and only that', async () => {
  const { X, y } = data();
  const opts = { nEstimators: 20, maxDepth: 2, nThreads: 1 };
  const open = await new HybridDetector({ ...opts, gate: 0 }).fit(X, y);
  const gated = await new HybridDetector({ ...opts, gate: 0.05 }).fit(X, y);
  // the gate changes neither part's fit nor the anomaly threshold, only the decision
  assert.equal(gated.thresholds.anomaly, open.thresholds.anomaly);
  assert.equal(gated.thresholds.gate, 0.05);
  // far from normal traffic with b = 0 (the supervised part: normal, P tiny) / with b = 0.02 (P high)
  const cases = matrix(Float32Array.from([5000, 0, 5000, 0.02, 5, 0.02, 5, 0]), 4, ['a', 'b']);
  const a = open.parts(cases);
  const g = gated.parts(cases);
  assert.deepEqual(g.anomaly, a.anomaly);
  assert.deepEqual(g.probability, a.probability);
  assert.ok(a.probability[0]! < 0.05 && a.probability[1]! >= 0.5, `P ${[...a.probability]}`);
  assert.deepEqual([...a.fired], [FIRED_ANOMALY, FIRED_KNOWN | FIRED_ANOMALY, FIRED_KNOWN, 0]);
  assert.deepEqual([...g.fired], [0, FIRED_KNOWN | FIRED_ANOMALY, FIRED_KNOWN, 0], 'the first alarm is vetoed; the others stand');
  assert.deepEqual([...gated.predict(cases)], [0, 1, 1, 0]);
  const p = gated.predictProba(cases);
  for (let i = 0; i < 4; i++) assert.equal(p[2 * i + 1]! >= 0.5, g.fired[i] !== 0);
  // on every training row: anomaly fires ⇔ distance ≥ T and P(attack) ≥ gate
  const all = gated.parts(X);
  for (let i = 0; i < X.nRows; i++) {
    const want = all.anomaly[i]! >= gated.thresholds.anomaly && all.probability[i]! >= 0.05;
    assert.equal((all.fired[i]! & FIRED_ANOMALY) !== 0, want, `row ${i}`);
  }
});

test('a model file written before the gate existed loads with gate 0 and budget 0.05, and decides as before', async () => {
  const { X, y } = data();
  const h = await new HybridDetector({ nEstimators: 10, nThreads: 1, gate: 0, maxFpr: 0.05 }).fit(X, y);
  // a version 1 file: no gate, no budget in it
  const saved = { ...h.toJSON(), version: 1 } as { version: number; options: Record<string, unknown>; fitted: Record<string, unknown> };
  delete saved.options.gate;
  delete saved.options.maxFpr;
  delete saved.fitted.gate;
  delete saved.fitted.maxFpr;
  const old = HybridDetector.fromJSON(decodeTyped(JSON.parse(JSON.stringify(encodeTyped(saved)))));
  assert.equal(old.thresholds.gate, 0);
  assert.equal(old.thresholds.maxFpr, 0.05);
  assert.deepEqual(old.parts(X), h.parts(X));
  assert.deepEqual(old.predictProba(X), h.predictProba(X));
  const v2 = h.toJSON() as { fitted: Record<string, unknown> };
  assert.throws(() => HybridDetector.fromJSON({ ...v2, fitted: { ...v2.fitted, gate: 2 } }), /gate/);
  const noGate = structuredClone(v2);
  delete noGate.fitted.gate;
  assert.throws(() => HybridDetector.fromJSON(noGate), /gate/, 'a version 2 file must hold its gate');
});

test('refuses options that do not apply to the supervised part, and a supervised learner it does not know', async () => {
  const { X, y } = data();
  await assert.rejects(new HybridDetector({ supervised: 'logreg', nEstimators: 5 }).fit(X, y), /nEstimators.*does not apply/);
  await assert.rejects(new HybridDetector({ supervised: 'svm' as never }).fit(X, y), /supervised/);
});

test('profileScale local: the profile scores the distance over the local spacing; save → JSON text → load identical; a version 2 file loads as none', async () => {
  const { X, y } = data();
  const plain = await new HybridDetector({ nEstimators: 10, nThreads: 1, profileScale: 'none' }).fit(X, y);
  const local = await new HybridDetector({ nEstimators: 10, nThreads: 1, profileScale: 'local' }).fit(X, y);
  assert.equal(local.thresholds.profileScale, 'local');
  assert.equal(plain.thresholds.profileScale, 'none');
  // the same nearest row, divided by its local spacing: the scores differ, the supervised part does not
  const far = matrix(Float32Array.from([5000, 0, 5, 0, 11, 0]), 3, ['a', 'b']);
  const pl = plain.parts(far);
  const lo = local.parts(far);
  assert.deepEqual(lo.probability, pl.probability);
  assert.notDeepEqual(lo.anomaly, pl.anomaly);
  assert.ok(lo.fired[0]! & FIRED_ANOMALY, 'far from every normal row: still an anomaly');
  // its threshold is calibrated on the local scores, out-of-fold, as the plain one is on distances
  const normal = [...y.keys()].filter((i) => y[i] === 0);
  const oof = outOfFoldNormalScores(X, normal, { calibrationFolds: 5, neighbors: 1, seed: 0, profileScale: 'local' });
  assert.equal(local.thresholds.anomaly, thresholdAtFpr(oof, local.thresholds.maxFpr).threshold);
  const restored = HybridDetector.fromJSON(decodeTyped(JSON.parse(JSON.stringify(encodeTyped(local.toJSON())))));
  assert.deepEqual(restored.predictProba(X), local.predictProba(X));
  assert.deepEqual(restored.parts(X), local.parts(X));
  assert.deepEqual(restored.anomalyContributions(X), local.anomalyContributions(X));
  assert.deepEqual(restored.thresholds, local.thresholds);
  // a version 2 file (before the scale existed): no profileScale in its options, no scale in its profile
  const v2 = plain.toJSON() as unknown as { version: number; options: Record<string, unknown>; fitted: { profile: Record<string, unknown> } };
  v2.version = 2;
  delete v2.options.profileScale;
  delete v2.fitted.profile.scale;
  const old = HybridDetector.fromJSON(decodeTyped(JSON.parse(JSON.stringify(encodeTyped(v2)))));
  assert.equal(old.thresholds.profileScale, 'none');
  assert.deepEqual(old.parts(X), plain.parts(X));
  // options and profile disagreeing is a damaged file
  const bad = local.toJSON() as { options: Record<string, unknown> };
  assert.throws(() => HybridDetector.fromJSON({ ...bad, options: { ...bad.options, profileScale: 'none' } }), /profile scale 'local', options say profileScale = 'none'/);
});
