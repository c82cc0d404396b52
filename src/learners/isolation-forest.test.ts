import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTarget } from '../data/index.js';
import { rankAuc as rocAuc } from './testdata/auc.js';
import { takeMatrixRows } from '../features/index.js';
import { loadNslKdd } from '../features/testdata/nsl-kdd.js';
import { matrix } from '../features/types.js';
import type { Matrix } from '../features/types.js';
import { NadirError } from '../errors.js';
import { Random } from '../util/random.js';
import { decodeTyped, encodeTyped } from '../util/typed-json.js';
import { averagePathLength, IsolationForest } from './isolation-forest.js';
import { classScores } from './types.js';

function mat(rows: number[][]): Matrix {
  const d = rows[0]!.length;
  return matrix(Float32Array.from(rows.flat()), rows.length, Array.from({ length: d }, (_, j) => `f${j}`));
}

/** n inliers ~ N(0, 1)^d followed by `outliers` rows far away on every axis. */
function cloud(n: number, d: number, outliers: number, seed: number): Matrix {
  const r = new Random(seed);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from({ length: d }, () => r.normal()));
  for (let i = 0; i < outliers; i++) rows.push(Array.from({ length: d }, (_, j) => (j % 2 ? -8 : 8) + r.normal()));
  return mat(rows);
}

function serialised(m: IsolationForest): { version: number; fitted: Record<string, unknown>; options: Record<string, unknown> } {
  return decodeTyped(JSON.parse(JSON.stringify(encodeTyped(m.toJSON())))) as never;
}

/** The saved trees (flat-tree layout, tree/ensemble-io.ts packTrees): all trees' nodes concatenated, child indices local to their tree. */
interface Packed {
  nodeCount: Int32Array;
  feature: Int32Array;
  threshold: Float32Array;
  value: Float64Array;
  cover: Float64Array;
  left: Int32Array;
  right: Int32Array;
}

function packed(m: IsolationForest): Packed {
  return m.toJSON().fitted.trees as Packed;
}

/**
 * The same model in layout version 1 (before the trees were FlatTrees): one set of arrays,
 * tree t's nodes in [treeOffset[t], treeOffset[t+1]), absolute left child (right = left + 1),
 * value = threshold (internal nodes) or depth + c(size) (leaves).
 */
function layoutV1(m: IsolationForest): { type: string; version: number; options: Record<string, unknown>; fitted: Record<string, unknown> } {
  const s = serialised(m);
  const p = s.fitted.trees as Packed;
  const n = p.feature.length;
  const treeOffset = new Uint32Array(p.nodeCount.length + 1);
  for (let t = 0; t < p.nodeCount.length; t++) treeOffset[t + 1] = treeOffset[t]! + p.nodeCount[t]!;
  const value = new Float64Array(n);
  const left = new Int32Array(n).fill(-1);
  for (let t = 0; t < p.nodeCount.length; t++) {
    for (let i = treeOffset[t]!; i < treeOffset[t + 1]!; i++) {
      if (p.feature[i]! < 0) value[i] = p.value[i]!;
      else {
        value[i] = p.threshold[i]!;
        left[i] = treeOffset[t]! + p.left[i]!;
      }
    }
  }
  const { classes, nFeatures, psi } = s.fitted;
  return { type: 'iforest', version: 1, options: s.options, fitted: { classes, nFeatures, psi, treeOffset, feature: p.feature.slice(), value, left } };
}

test('c(n), the average path length of an unsuccessful BST search (Liu et al. 2008, eq. 1)', () => {
  assert.equal(averagePathLength(0), 0);
  assert.equal(averagePathLength(1), 0);
  assert.equal(averagePathLength(2), 1);
  // 2 (ln 255 + γ) − 2·255/256, and close to the exact 2·H(255) − 2·255/256 (H(i) ≈ ln i + γ + 1/(2i))
  assert.ok(Math.abs(averagePathLength(256) - 10.244770920119917) < 1e-12);
  let h255 = 0;
  for (let i = 1; i <= 255; i++) h255 += 1 / i;
  assert.ok(Math.abs(averagePathLength(256) - (2 * h255 - (2 * 255) / 256)) < 2 / 255);
  assert.ok(Math.abs(averagePathLength(3) - (2 * (Math.log(2) + 0.5772156649015329) - 4 / 3)) < 1e-15);
});

test('exact scores: identical rows cannot be split (s = 2^(−c(ψ)/c(ψ)) = 0.5); ψ = 2 gives path length 1 = c(2)', async () => {
  const same = mat(Array.from({ length: 10 }, () => [3, -1]));
  const m = await new IsolationForest({ nTrees: 7, maxSamples: 8 }).fit(same);
  const s = m.scoreSamples(mat([[3, -1], [100, 100], [-5, 0]]));
  for (const v of s) assert.ok(Math.abs(v - 0.5) < 1e-15, String(v));
  assert.equal(packed(m).feature instanceof Int32Array, true);
  assert.deepEqual([...packed(m).feature], new Array(7).fill(-1), 'each tree is a single leaf');

  const two = mat([[0], [1], [2], [3]]);
  const m2 = await new IsolationForest({ nTrees: 5, maxSamples: 2, seed: 3 }).fit(two);
  for (const v of m2.scoreSamples(mat([[-10], [0.5], [1.5], [99]]))) assert.ok(Math.abs(v - 0.5) < 1e-15, String(v));
});

test('far outliers score above 0.6 and above every inlier; most inliers score below 0.5', async () => {
  const X = cloud(500, 3, 10, 1);
  const m = await new IsolationForest({ seed: 1 }).fit(X);
  const s = m.scoreSamples(X);
  let maxIn = 0;
  let below = 0;
  for (let i = 0; i < 500; i++) {
    maxIn = Math.max(maxIn, s[i]!);
    if (s[i]! < 0.5) below++;
  }
  for (let i = 500; i < 510; i++) {
    assert.ok(s[i]! > 0.6, `outlier ${i}: ${s[i]}`);
    assert.ok(s[i]! > maxIn, 'outliers rank above all inliers');
  }
  assert.ok(below > 400, `${below} of 500 inliers below 0.5`);
  for (const v of s) assert.ok(v > 0 && v <= 1);
  // an anomaly detector has no predict/predictProba: a decision policy thresholds its score (as scored for metrics: [1 − s, s])
  assert.equal((m as unknown as { predictProba?: unknown }).predictProba, undefined);
  const p = classScores(m, X);
  for (let i = 0; i < 510; i++) {
    assert.equal(p[2 * i + 1], s[i]);
    assert.equal(p[2 * i]! + p[2 * i + 1]!, 1);
  }
  for (let i = 500; i < 510; i++) assert.ok(s[i]! > 0.5, 'the paper\'s rule of thumb flags every outlier');
  assert.deepEqual(m.classes, ['normal', 'anomaly']);
});

test('tree shape: ≤ 2ψ − 1 nodes, depth ≤ ⌈log2 ψ⌉, leaves hold depth + c(size), children inside their tree', async () => {
  const X = cloud(1000, 4, 0, 2);
  const m = await new IsolationForest({ nTrees: 12, maxSamples: 100, seed: 2 }).fit(X);
  assert.equal(m.toJSON().fitted.psi, 100);
  const f = packed(m);
  assert.equal(m.nTrees, 12);
  const limit = Math.ceil(Math.log2(100));
  for (let t = 0, b = 0; t < 12; t++) {
    const a = b;
    b += f.nodeCount[t]!;
    assert.ok(b - a <= 2 * 100 - 1);
    const depth = new Map<number, number>([[a, 0]]);
    let leafSizeSum = 0;
    for (let i = a; i < b; i++) {
      const dep = depth.get(i)!;
      assert.ok(dep <= limit);
      if (f.feature[i] === -1) {
        // value = depth + c(size): recover size from c and check the leaf sizes add up to ψ
        const c = f.value[i]! - dep;
        let size = 1;
        while (averagePathLength(size) < c - 1e-9) size++;
        assert.ok(Math.abs(averagePathLength(size) - c) < 1e-9);
        if (dep < limit) assert.equal(size, 1, 'a leaf above the height limit isolates one row (no duplicates here)');
        assert.equal(f.cover[i], size, 'cover = rows reaching the leaf');
        leafSizeSum += size;
      } else {
        const l = a + f.left[i]!;
        assert.ok(l > i && l + 1 < b);
        assert.equal(f.right[i], f.left[i]! + 1);
        assert.equal(f.cover[i], f.cover[l]! + f.cover[l + 1]!);
        depth.set(l, dep + 1);
        depth.set(l + 1, dep + 1);
      }
    }
    assert.equal(leafSizeSum, 100);
  }
});

test('maxFeatures restricts each tree to a random subset of features', async () => {
  const X = cloud(300, 8, 0, 3);
  const m = await new IsolationForest({ nTrees: 20, maxFeatures: 0.25, seed: 4 }).fit(X);
  const f = packed(m);
  const all = new Set<number>();
  for (let t = 0, a = 0; t < 20; a += f.nodeCount[t++]!) {
    const used = new Set<number>();
    for (let i = a; i < a + f.nodeCount[t]!; i++) if (f.feature[i]! >= 0) used.add(f.feature[i]!);
    assert.ok(used.size <= 2, `tree ${t} uses ${used.size} features`);
    used.forEach((u) => all.add(u));
  }
  assert.ok(all.size >= 6, 'different trees draw different subsets');
});

test('trainLabel trains on one class only: same model as fitting that subset', async () => {
  const X = cloud(200, 3, 20, 5);
  const y = Int32Array.from({ length: 220 }, (_, i) => (i < 200 ? 0 : 1));
  const a = await new IsolationForest({ seed: 9, trainLabel: 0 }).fit(X, y);
  const normalRows = mat(Array.from({ length: 200 }, (_, i) => [...X.data.subarray(3 * i, 3 * i + 3)]));
  const b = await new IsolationForest({ seed: 9 }).fit(normalRows);
  assert.deepEqual([...a.scoreSamples(X)], [...b.scoreSamples(X)]);
  await assert.rejects(new IsolationForest({ trainLabel: 0 }).fit(X), /trainLabel needs labels/);
  await assert.rejects(new IsolationForest({ trainLabel: 3 }).fit(X, y), /needs at least 2 training rows, got 0/);
});

test('options: defaults as in the paper, validated at fit; sample weights refused', async () => {
  const X = cloud(300, 2, 0, 6);
  const m = await new IsolationForest().fit(X);
  assert.equal(m.nTrees, 100);
  assert.equal(m.toJSON().fitted.psi, 256);
  assert.equal((await new IsolationForest({ nEstimators: 3 }).fit(X)).nTrees, 3);
  assert.equal((await new IsolationForest({ nTrees: 4 }).fit(X)).nTrees, 4);
  for (const bad of [{ nTrees: 0 }, { nEstimators: 2, nTrees: 3 }, { maxSamples: 1 }, { maxFeatures: 0 }, { maxFeatures: 1.5 }, { seed: -1 }, { nEstimator: 10 }]) {
    await assert.rejects(new IsolationForest(bad as never).fit(X), (e: unknown) => e instanceof NadirError && e.code === 'NADIR_ERR_BAD_OPTION', JSON.stringify(bad));
  }
  await assert.rejects(new IsolationForest().fit(X, undefined, { sampleWeight: new Float32Array(300) }), /sample weights are not supported/);
  await assert.rejects(new IsolationForest().fit(X, undefined, { classes: ['a', 'b', 'c'] }), /two distinct names/);
});

test('fromJSON checks the tree structure so scoring cannot loop or read out of bounds (layout version 1, converted on read)', async () => {
  const m = await new IsolationForest({ nTrees: 3, maxSamples: 16, seed: 1 }).fit(cloud(50, 2, 0, 7));
  const ok = layoutV1(m);
  assert.deepEqual([...IsolationForest.fromJSON(ok).scoreSamples(cloud(5, 2, 0, 8))], [...m.scoreSamples(cloud(5, 2, 0, 8))]);
  const mutate = (f: (fd: Record<string, unknown>) => void): unknown => {
    const c = structuredClone(ok);
    f(c.fitted);
    return c;
  };
  const firstInternal = (ok.fitted.feature as Int32Array).findIndex((v) => v >= 0);
  const cases: Array<[unknown, RegExp]> = [
    [mutate((fd) => ((fd.left as Int32Array)[firstInternal] = 0)), /child index out of range/],
    [mutate((fd) => ((fd.feature as Int32Array)[firstInternal] = 2)), /feature 2 out of range/],
    [mutate((fd) => ((fd.value as Float64Array)[0] = Number.NaN)), /not finite/],
    [mutate((fd) => (fd.treeOffset = new Uint32Array([1, (fd.feature as Int32Array).length]))), /start at 0/],
    [mutate((fd) => (fd.feature = new Int32Array(2))), /fitted\.feature has 2 values/],
    [mutate((fd) => (fd.psi = 1)), /fitted\.psi = 1/],
    [mutate((fd) => (fd.classes = ['a', 'b', 'c'])), /exactly 2 classes/],
  ];
  for (const [obj, re] of cases) {
    assert.throws(() => IsolationForest.fromJSON(obj), (e: unknown) => e instanceof NadirError && e.code === 'NADIR_ERR_MODEL_CORRUPT' && re.test(e.message), String(re));
  }
});

test('saved in the flat-tree layout (version 2); a version-1 file becomes exactly the trees grown today', async () => {
  const X = cloud(300, 3, 5, 10);
  const m = await new IsolationForest({ nTrees: 25, maxSamples: 64, seed: 5 }).fit(X);
  const s = serialised(m);
  assert.equal(s.version, 2);
  const back = IsolationForest.fromJSON(s);
  assert.deepEqual([...back.scoreSamples(X)], [...m.scoreSamples(X)]);
  assert.deepEqual(serialised(back), s);
  const v1 = IsolationForest.fromJSON(layoutV1(m));
  assert.deepEqual(serialised(v1), s, 'same nodes, thresholds, values, covers');
  assert.deepEqual([...v1.scoreSamples(X)], [...m.scoreSamples(X)]);
  const newer = { ...s, version: 3 };
  assert.throws(() => IsolationForest.fromJSON(newer), (e: unknown) => e instanceof NadirError && e.code === 'NADIR_ERR_MODEL_VERSION');
  const older = { ...s, version: 0 };
  assert.throws(() => IsolationForest.fromJSON(older), (e: unknown) => e instanceof NadirError && e.code === 'NADIR_ERR_MODEL_VERSION' && /oldest supported version 1/.test(e.message));
});

test('fromJSON (version 1) refuses trees it cannot read as isolation trees: nodes shared or unreachable, leaf values that are not depth + c(size)', async () => {
  const m = await new IsolationForest({ nTrees: 2, maxSamples: 16, seed: 1 }).fit(cloud(50, 2, 0, 7));
  const ok = layoutV1(m);
  const mutate = (f: (fd: Record<string, unknown>) => void): unknown => {
    const c = structuredClone(ok);
    f(c.fitted);
    return c;
  };
  const feature = ok.fitted.feature as Int32Array;
  const left = ok.fitted.left as Int32Array;
  const value = ok.fitted.value as Float64Array;
  // the root's left child l gets the children of its sibling l + 1: those are shared (and l's own unreachable)
  const l = left[0]!;
  assert.ok(feature[l] !== -1 && feature[l + 1] !== -1, 'the root has two internal children');
  const leaf = feature.findIndex((f) => f < 0);
  const cases: Array<[unknown, RegExp]> = [
    [mutate((fd) => ((fd.left as Int32Array)[l] = left[l + 1]!)), /tree 0: .*tree node \d+ shares a child with another node/],
    [mutate((fd) => ((fd.value as Float64Array)[leaf] = value[leaf]! + 0.25)), /not depth \+ c\(size\)/],
  ];
  for (const [obj, re] of cases) {
    assert.throws(() => IsolationForest.fromJSON(obj), (e: unknown) => e instanceof NadirError && e.code === 'NADIR_ERR_MODEL_CORRUPT' && re.test(e.message), String(re));
  }
});

test('fromJSON (version 2) checks the saved trees like gbdt and rf do', async () => {
  const m = await new IsolationForest({ nTrees: 3, maxSamples: 16, seed: 1 }).fit(cloud(50, 2, 0, 7));
  const ok = serialised(m);
  const mutate = (f: (fd: Record<string, unknown>, p: Packed) => void): unknown => {
    const c = structuredClone(ok);
    f(c.fitted, c.fitted.trees as Packed);
    return c;
  };
  const firstInternal = packed(m).feature.findIndex((v) => v >= 0);
  const cases: Array<[unknown, RegExp]> = [
    [mutate((_, p) => (p.left[firstInternal] = 0)), /invalid children/],
    [mutate((_, p) => (p.feature[firstInternal] = 2)), /splits on feature 2/],
    [mutate((_, p) => (p.value[0] = Number.NaN)), /finite/],
    [mutate((fd) => (fd.nTrees = 4)), /nodeCount has 3 values, expected 4/],
    [mutate((fd) => (fd.psi = 1)), /fitted\.psi = 1/],
    [mutate((fd) => (fd.classes = ['a', 'b', 'c'])), /exactly 2 classes/],
  ];
  for (const [obj, re] of cases) {
    assert.throws(() => IsolationForest.fromJSON(obj), (e: unknown) => e instanceof NadirError && e.code === 'NADIR_ERR_MODEL_CORRUPT' && re.test(e.message), String(re));
  }
});

test('NSL-KDD: trained on normal training rows only, as a detector on KDDTest+ AUC ≥ 0.90 (sklearn 0.948; mean over seeds ≈ 0.94)', async () => {
  const { train: tr, test: te, Xtrain: Xtr, Xtest: Xte } = await loadNslKdd();
  const ytr = buildTarget(tr, 'binary').y;
  const yte = buildTarget(te, 'binary').y;
  const normal: number[] = [];
  for (let i = 0; i < ytr.length; i++) if (ytr[i] === 0) normal.push(i);
  const m = await new IsolationForest({ seed: 0 }).fit(takeMatrixRows(Xtr, Uint32Array.from(normal)));
  const auc = rocAuc(yte, m.scoreSamples(Xte))!;
  assert.ok(auc >= 0.9, `AUC ${auc}`);
  // the same through trainLabel on the full training matrix
  const m2 = await new IsolationForest({ seed: 0, trainLabel: 0 }).fit(Xtr, ytr);
  assert.equal(rocAuc(yte, m2.scoreSamples(Xte)), auc);
});
