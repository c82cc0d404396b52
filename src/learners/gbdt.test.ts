import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NadirError } from '../errors.js';
import { rankAuc as rocAuc } from './testdata/auc.js';
import { matrix } from '../features/types.js';
import { accuracy, head, useNslKddSplits } from './testdata/nsl-kdd.js';
import { decodeTyped, encodeTyped } from '../util/typed-json.js';
import { Random } from '../util/random.js';
import { GradientBoostingClassifier } from './gbdt.js';

const { train, test: test_, trainCat, testCat, catClasses } = useNslKddSplits();

const isNadir = (code: string) => (e: unknown) => e instanceof NadirError && e.code === code;

describe('GradientBoostingClassifier on NSL-KDD', () => {
  test('binary, 200 rounds depth 6 (the reference configuration): KDDTest+ accuracy ≥ 0.77, ROC-AUC ≥ 0.95', async () => {
    const m = await new GradientBoostingClassifier({ nEstimators: 200, maxDepth: 6, learningRate: 0.1, nThreads: 2 }).fit(train.X, train.y, {
      classes: ['normal', 'attack'],
    });
    const p = m.predictProba(test_.X);
    const acc = accuracy(m.predict(test_.X), test_.y);
    const auc = rocAuc(test_.y, Float64Array.from({ length: test_.X.nRows }, (_, i) => p[2 * i + 1]!))!;
    assert.ok(acc >= 0.77, `accuracy ${acc}`);
    assert.ok(auc >= 0.95, `AUC ${auc}`);
    assert.ok(accuracy(m.predict(train.X), train.y) > 0.999);
    const imp = m.featureImportance();
    assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    const top = [...imp.keys()].sort((a, b) => imp[b]! - imp[a]!).slice(0, 10).map((f) => train.X.columns[f]);
    assert.ok(top.some((c) => /src_bytes|flag|service|count/.test(c!)), `top features ${top.join(', ')}`);
  });

  test('multi-class (normal/DoS/Probe/R2L/U2R): softmax, one tree per class per round', async () => {
    const m = await new GradientBoostingClassifier({ nEstimators: 30, maxDepth: 5, nThreads: 2 }).fit(trainCat.X, trainCat.y, { classes: catClasses });
    assert.deepEqual(m.classes, catClasses);
    const e = m.ensemble();
    assert.equal(e.link, 'softmax');
    assert.equal(e.trees.length, 30 * catClasses.length);
    assert.deepEqual([...e.treeOutput.subarray(0, 6)], [0, 1, 2, 3, 4, 0]);
    assert.ok(accuracy(m.predict(trainCat.X), trainCat.y) > 0.99);
    const acc = accuracy(m.predict(testCat.X), testCat.y);
    assert.ok(acc >= 0.72, `accuracy ${acc}`);
    const p = m.predictProba(testCat.X);
    for (let i = 0; i < 50; i++) {
      let s = 0;
      for (let k = 0; k < 5; k++) s += p[i * 5 + k]!;
      assert.ok(Math.abs(s - 1) < 1e-12);
    }
  });

  test('deterministic: 1 and 2 threads give bit-identical models; seeds matter only with subsampling', async () => {
    const opts = { nEstimators: 15, maxDepth: 6 };
    const a = await new GradientBoostingClassifier({ ...opts, nThreads: 1 }).fit(train.X, train.y);
    const b = await new GradientBoostingClassifier({ ...opts, nThreads: 2 }).fit(train.X, train.y);
    assert.deepEqual(b.toJSON().fitted, a.toJSON().fitted);
    const c = await new GradientBoostingClassifier({ ...opts, nThreads: 2, seed: 9 }).fit(train.X, train.y);
    assert.deepEqual(c.predictProba(test_.X), a.predictProba(test_.X));
    const sub = { ...opts, subsample: 0.7, colsampleByTree: 0.6 };
    const s1 = await new GradientBoostingClassifier({ ...sub, seed: 1, nThreads: 1 }).fit(train.X, train.y);
    const s2 = await new GradientBoostingClassifier({ ...sub, seed: 1, nThreads: 2 }).fit(train.X, train.y);
    const s3 = await new GradientBoostingClassifier({ ...sub, seed: 2, nThreads: 2 }).fit(train.X, train.y);
    assert.deepEqual(s2.predictProba(test_.X), s1.predictProba(test_.X));
    assert.notDeepEqual(s3.predictProba(test_.X), s1.predictProba(test_.X));
    assert.ok(accuracy(s1.predict(test_.X), test_.y) > 0.75);
  });

  test('early stopping keeps the best round: same model as training exactly that many rounds', async () => {
    const small = head(train, 6000);
    const val = head(test_, 4000);
    const onProgress: number[] = [];
    const es = await new GradientBoostingClassifier({ nEstimators: 300, learningRate: 0.3, earlyStoppingRounds: 5, nThreads: 1 }).fit(small.X, small.y, {
      evalSet: val,
      onProgress: (done) => onProgress.push(done),
    });
    assert.ok(es.nRounds < 300 && es.nRounds >= 1, `kept ${es.nRounds}`);
    assert.equal(onProgress.length, es.nRounds + 5, 'stops 5 rounds after the best');
    const plain = await new GradientBoostingClassifier({ nEstimators: es.nRounds, learningRate: 0.3, nThreads: 1 }).fit(small.X, small.y);
    assert.deepEqual(es.predictProba(val.X), plain.predictProba(val.X));
  });
});

describe('GradientBoostingClassifier: exact behaviour on small data', () => {
  const r = new Random(3);
  const n = 600;
  const data = new Float32Array(n * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    data[3 * i] = r.normal();
    data[3 * i + 1] = r.next() < 0.2 ? NaN : r.normal();
    data[3 * i + 2] = r.int(4);
    y[i] = data[3 * i]! + (Number.isNaN(data[3 * i + 1]!) ? 2 : data[3 * i + 1]!) + 0.3 * r.normal() > 0.5 ? 1 : 0;
  }
  const X = matrix(data, n, ['a', 'b', 'c']);

  test('ensemble(): baseScore + Σ tree leaves reproduces decisionFunction; internal values, covers and gains are set', async () => {
    const m = await new GradientBoostingClassifier({ nEstimators: 20, maxDepth: 3, nThreads: 1 }).fit(X, y);
    const e = m.ensemble();
    assert.equal(e.link, 'logit');
    assert.equal(e.nOutputs, 1);
    assert.equal(e.scale, 1);
    let pos = 0;
    for (const v of y) pos += v;
    assert.ok(Math.abs(e.baseScore[0]! - Math.log(pos / (n - pos))) < 1e-9, 'baseScore = prior log-odds');
    const raw = m.decisionFunction(X);
    for (let i = 0; i < n; i++) {
      let s = e.baseScore[0]!;
      for (const t of e.trees) {
        let k = 0;
        while (t.feature[k]! >= 0) {
          const x = X.data[3 * i + t.feature[k]!]!;
          k = x <= t.threshold[k]! || (Number.isNaN(x) && t.defaultLeft[k]) ? t.left[k]! : t.right[k]!;
        }
        s += t.value[k]!;
      }
      assert.ok(Math.abs(raw[i]! - s) < 1e-12);
    }
    const t0 = e.trees[0]!;
    assert.ok(t0.gain[0]! > 0 && t0.cover[0]! > 0 && t0.value[0] !== 0);
    assert.ok(accuracy(m.predict(X), y) > 0.85);
  });

  test('sample weights: doubling every weight (λ = 0, minChildWeight and gamma doubled) gives the same model', async () => {
    // gains, hessian sums and leaf weights scale exactly by 2 (powers of two are exact in floating point)
    const a = await new GradientBoostingClassifier({ nEstimators: 10, lambda: 0, minChildWeight: 1, gamma: 0.01, nThreads: 1 }).fit(X, y);
    const b = await new GradientBoostingClassifier({ nEstimators: 10, lambda: 0, minChildWeight: 2, gamma: 0.02, nThreads: 1 }).fit(X, y, {
      sampleWeight: new Float32Array(n).fill(2),
    });
    assert.deepEqual(b.predictProba(X), a.predictProba(X));
    const zero = new Float32Array(n).fill(1);
    for (let i = 0; i < n; i += 2) zero[i] = 0;
    const c = await new GradientBoostingClassifier({ nEstimators: 10, nThreads: 1 }).fit(X, y, { sampleWeight: zero });
    assert.notDeepEqual(c.predictProba(X), a.predictProba(X));
  });

  test('leaf-wise growth (maxLeaves) caps the leaves of every tree', async () => {
    const m = await new GradientBoostingClassifier({ nEstimators: 5, maxLeaves: 4, nThreads: 1 }).fit(X, y);
    for (const t of m.ensemble().trees) {
      let leaves = 0;
      for (let i = 0; i < t.nNodes; i++) if (t.feature[i]! < 0) leaves++;
      assert.ok(leaves <= 4 && leaves >= 2);
    }
  });

  test('save → JSON text → load predicts identically; corrupt trees are refused', async () => {
    const m = await new GradientBoostingClassifier({ nRounds: 12, maxDepth: 4, nThreads: 1 }).fit(X, y, { classes: ['no', 'yes'] });
    const text = JSON.stringify(encodeTyped(m.toJSON()));
    const back = GradientBoostingClassifier.fromJSON(decodeTyped(JSON.parse(text)));
    assert.deepEqual(back.classes, ['no', 'yes']);
    assert.deepEqual(back.predictProba(X), m.predictProba(X));
    assert.equal(back.nRounds, 12);
    const bad = decodeTyped(JSON.parse(text)) as { fitted: { trees: { left: Int32Array } } };
    bad.fitted.trees.left[0] = 0; // a cycle at the root of tree 0
    assert.throws(() => GradientBoostingClassifier.fromJSON(bad, 'm.json'), isNadir('NADIR_ERR_MODEL_CORRUPT'));
  });

  test('options are validated at fit: aliases, ranges, early stopping without a validation set', async () => {
    await assert.rejects(new GradientBoostingClassifier({ nEstimators: 5, nRounds: 6 }).fit(X, y), isNadir('NADIR_ERR_BAD_OPTION'));
    await assert.rejects(new GradientBoostingClassifier({ learningRate: 0 }).fit(X, y), isNadir('NADIR_ERR_BAD_OPTION'));
    await assert.rejects(new GradientBoostingClassifier({ maxBins: 300 }).fit(X, y), isNadir('NADIR_ERR_BAD_OPTION'));
    await assert.rejects(new GradientBoostingClassifier({ subsample: 1.5 }).fit(X, y), isNadir('NADIR_ERR_BAD_OPTION'));
    await assert.rejects(new GradientBoostingClassifier({ earlyStoppingRounds: 3 }).fit(X, y), isNadir('NADIR_ERR_BAD_OPTION'));
    const opts = { nRounds: 3 };
    const m = new GradientBoostingClassifier(opts);
    await m.fit(X, y);
    assert.equal(m.options, opts, 'options stored as given');
    assert.deepEqual(m.toJSON().options, { nRounds: 3 });
  });
});
