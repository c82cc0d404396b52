/**
 * One conformance suite, run against every registered learner (scikit-learn's
 * `check_estimator` idea): shapes, probabilities, class order, determinism, save/load round
 * trip through JSON text, no reference to the training data, and refusing bad input and
 * corrupt or foreign saved models with NadirErrors. Small configurations keep it fast.
 *
 * A learner registered in registry.ts must have an entry in CONFIGS below, or the suite fails.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NadirError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { matrix } from '../features/types.js';
import type { Matrix } from '../features/types.js';
import { Random } from '../util/random.js';
import { decodeTyped, encodeTyped } from '../util/typed-json.js';
import { createLearner, learnerFromJSON, learnerSpec, LEARNER_TYPES } from './registry.js';
import { classScores, isAnomalyDetector, type FitOptions, type Learner, type SerializedModel } from './types.js';

/** Small, fast options per learner (with a seed where the learner is randomised). */
interface Config {
  options: Record<string, unknown>;
  /** The same options with another seed, or null for a deterministic learner without one. */
  otherSeed: Record<string, unknown> | null;
  /** Why the multi-class and relabelling cases do not apply, for a binary-only learner (the test checks it refuses multi-class data). */
  binaryOnly?: string;
}

const CONFIGS: Record<string, Config> = {
  logreg: { options: { maxIter: 60 }, otherSeed: null },
  iforest: { options: { nTrees: 15, maxSamples: 32, seed: 7 }, otherSeed: { nTrees: 15, maxSamples: 32, seed: 8 } },
  gbdt: { options: { nRounds: 8, maxDepth: 3, subsample: 0.8, seed: 7, nThreads: 1 }, otherSeed: { nRounds: 8, maxDepth: 3, subsample: 0.8, seed: 8, nThreads: 1 } },
  rf: { options: { nTrees: 8, seed: 7, nThreads: 1 }, otherSeed: { nTrees: 8, seed: 8, nThreads: 1 } },
  hybrid: {
    options: { nEstimators: 8, maxDepth: 3, seed: 7, nThreads: 1 },
    otherSeed: { nEstimators: 8, maxDepth: 3, seed: 8, nThreads: 1 },
    binaryOnly: 'the hybrid is binary: class 0 is normal traffic, whose profile it learns (relabelling the classes changes the model, and there is no multi-class hybrid)',
  },
};

/** A test configuration plus what the learner's spec says: classifiers learn the labels; anomaly detectors do not. */
function specOf(type: string): Config & { supervised: boolean; supportsWeights: boolean } {
  const s = learnerSpec(type);
  return { ...CONFIGS[type]!, supervised: s.kind === 'classifier', supportsWeights: s.supportsWeights };
}

/** Gaussian blobs, one per class, rows interleaved; a constant column and a duplicated one included. */
function blobs(n: number, k: number, seed: number): { X: Matrix; y: Int32Array } {
  const r = new Random(seed);
  const d = 5;
  const data = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    y[i] = c;
    const o = i * d;
    data[o] = 3 * Math.cos((2 * Math.PI * c) / k) + r.normal() * 0.7;
    data[o + 1] = 3 * Math.sin((2 * Math.PI * c) / k) + r.normal() * 0.7;
    data[o + 2] = r.normal();
    data[o + 3] = 1.5;
    data[o + 4] = data[o]!;
  }
  return { X: matrix(data, n, ['a', 'b', 'noise', 'const', 'a_copy']), y };
}

/** Rows of X with a few far-away outliers appended (for the unsupervised learner). */
function withOutliers(X: Matrix, m: number): Matrix {
  const d = X.nCols;
  const data = new Float32Array((X.nRows + m) * d);
  data.set(X.data);
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) data[(X.nRows + i) * d + j] = (j % 2 ? -1 : 1) * (25 + i);
  return matrix(data, X.nRows + m, X.columns);
}

/** A classifier's predict; an anomaly detector's verdict at the score's midpoint (argmax of [1 − s, s]) — it has no predict of its own. */
function verdicts(m: Learner, X: Matrix): Int32Array {
  return isAnomalyDetector(m) ? argmax(classScores(m, X), 2) : m.predict(X);
}

function viaJsonText(m: Learner): unknown {
  return decodeTyped(JSON.parse(JSON.stringify(encodeTyped(m.toJSON()))), 'model.json');
}

function isNadir(code: ErrorCode, re?: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    if (!(e instanceof NadirError)) {
      throw new assert.AssertionError({ message: `expected a NadirError ${code}, got ${String(e)}` });
    }
    if (e.code !== code) throw new assert.AssertionError({ message: `expected ${code}, got ${e.code}: ${e.message}` });
    if (re && !re.test(e.message)) throw new assert.AssertionError({ message: `message ${JSON.stringify(e.message)} does not match ${re}` });
    return true;
  };
}

function accuracy(pred: Int32Array, y: Int32Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return ok / y.length;
}

function checkProba(p: Float64Array, nRows: number, k: number): void {
  assert.ok(p instanceof Float64Array);
  assert.equal(p.length, nRows * k);
  for (let i = 0; i < nRows; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) {
      const v = p[i * k + c]!;
      assert.ok(v >= 0 && v <= 1, `proba[${i}][${c}] = ${v}`);
      s += v;
    }
    assert.ok(Math.abs(s - 1) < 1e-9, `row ${i} sums to ${s}`);
  }
}

function argmax(p: Float64Array, k: number): Int32Array {
  const out = new Int32Array(p.length / k);
  for (let i = 0; i < out.length; i++) {
    let b = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c]! > p[i * k + b]!) b = c;
    out[i] = b;
  }
  return out;
}

test('every registered learner has a conformance spec', () => {
  assert.ok(LEARNER_TYPES.length >= 2);
  for (const t of LEARNER_TYPES) assert.ok(CONFIGS[t], `add a small configuration for '${t}' to CONFIGS in conformance.test.ts`);
});

for (const type of LEARNER_TYPES) {
  if (!CONFIGS[type]) continue; // reported by the test above
  const spec = specOf(type);
  const make = (options: Record<string, unknown> = spec.options): Learner => createLearner(type, options);
  const bin = blobs(160, 2, 11);
  const multi = blobs(180, 3, 12);
  const fitBinary = (m: Learner, opts?: FitOptions): Promise<Learner> =>
    m.fit(spec.supervised ? bin.X : withOutliers(bin.X, 6), spec.supervised ? bin.y : new Int32Array(166), opts);

  describe(`learner '${type}'`, () => {
    test('fit returns this; type and classes as declared; a classifier predicts the argmax of predictProba, an anomaly detector only scores', async () => {
      const m = make();
      assert.equal(m.type, type);
      const r = await fitBinary(m, { classes: spec.supervised ? ['normal', 'attack'] : undefined });
      assert.equal(r, m);
      assert.deepEqual(m.classes, spec.supervised ? ['normal', 'attack'] : ['normal', 'anomaly']);
      const p = classScores(m, bin.X);
      checkProba(p, bin.X.nRows, 2);
      // the spec's kind is the learner's contract: an anomaly detector does not pose as a classifier
      assert.equal(isAnomalyDetector(m), !spec.supervised);
      const pred = verdicts(m, bin.X);
      assert.ok(pred instanceof Int32Array);
      assert.deepEqual([...pred], [...argmax(p, 2)]);
      if (spec.supervised) {
        const d = await make().fit(bin.X, bin.y);
        assert.deepEqual(d.classes, ['0', '1'], 'default class names are the label indices');
      }
    });

    if (spec.binaryOnly) {
      test('learns separable binary blobs (training accuracy ≥ 0.9); multi-class data is refused (binary only: see binaryOnly)', async () => {
        const m = await make().fit(bin.X, bin.y);
        assert.ok(accuracy(verdicts(m, bin.X), bin.y) >= 0.9);
        await assert.rejects(make().fit(multi.X, multi.y), isNadir('NADIR_ERR_BAD_INPUT', /binary/));
      });
    } else if (spec.supervised) {
      test('learns separable binary and 3-class blobs (training accuracy ≥ 0.9)', async () => {
        const m = await make().fit(bin.X, bin.y);
        assert.ok(accuracy(verdicts(m, bin.X), bin.y) >= 0.9);
        const mm = await make().fit(multi.X, multi.y, { classes: ['x', 'y', 'z'] });
        assert.deepEqual(mm.classes, ['x', 'y', 'z']);
        const p = classScores(mm, multi.X);
        checkProba(p, multi.X.nRows, 3);
        assert.deepEqual([...verdicts(mm, multi.X)], [...argmax(p, 3)]);
        assert.ok(accuracy(verdicts(mm, multi.X), multi.y) >= 0.9);
      });

      test('classes order fixes the predictProba columns (relabelled fit gives swapped columns)', async () => {
        const a = await make().fit(bin.X, bin.y, { classes: ['neg', 'pos'] });
        const flipped = Int32Array.from(bin.y, (v) => 1 - v);
        const b = await make().fit(bin.X, flipped, { classes: ['pos', 'neg'] });
        assert.deepEqual(b.classes, ['pos', 'neg']);
        const pa = classScores(a, bin.X);
        const pb = classScores(b, bin.X);
        for (let i = 0; i < bin.X.nRows; i++) assert.ok(Math.abs(pa[2 * i]! - pb[2 * i + 1]!) < 1e-6, `row ${i}`);
      });
    } else {
      test('multi-class: not applicable — unsupervised, always the two classes normal/anomaly (labels only select training rows)', async () => {
        const m = await make().fit(multi.X, multi.y);
        assert.deepEqual(m.classes, ['normal', 'anomaly']);
        checkProba(classScores(m, multi.X), multi.X.nRows, 2);
      });

      test('scores far outliers above every training row', async () => {
        const X = withOutliers(bin.X, 6);
        const m = await make().fit(X, new Int32Array(X.nRows));
        const p = classScores(m, X);
        let maxIn = 0;
        for (let i = 0; i < bin.X.nRows; i++) maxIn = Math.max(maxIn, p[2 * i + 1]!);
        for (let i = bin.X.nRows; i < X.nRows; i++) assert.ok(p[2 * i + 1]! > maxIn);
      });
    }

    test('deterministic: the same options give bit-identical probabilities', async () => {
      const X = spec.supervised && !spec.binaryOnly ? multi.X : bin.X;
      const y = spec.supervised && !spec.binaryOnly ? multi.y : bin.y;
      const a = classScores((await make().fit(X, y)), X);
      const b = classScores((await make().fit(X, y)), X);
      assert.deepEqual(a, b);
      if (spec.otherSeed) {
        const c = classScores((await make(spec.otherSeed).fit(X, y)), X);
        assert.notDeepEqual(a, c, 'another seed gives another model');
      }
    });

    test('save → JSON text → load (registry and static fromJSON) predicts identically; re-saving is stable', async () => {
      for (const { X, y } of spec.supervised && !spec.binaryOnly ? [bin, multi] : [bin]) {
        const m = await make().fit(X, y);
        const text = JSON.stringify(encodeTyped(m.toJSON()));
        const restored = learnerFromJSON(decodeTyped(JSON.parse(text)));
        assert.equal(restored.type, type);
        assert.deepEqual(restored.classes, m.classes);
        assert.deepEqual(classScores(restored, X), classScores(m, X));
        assert.deepEqual(verdicts(restored, X), verdicts(m, X));
        assert.equal(JSON.stringify(encodeTyped(restored.toJSON())), text);
        const Ctor = m.constructor as unknown as { fromJSON(o: unknown): Learner };
        assert.equal(typeof Ctor.fromJSON, 'function', 'loading is a static fromJSON');
        assert.deepEqual(classScores(Ctor.fromJSON(decodeTyped(JSON.parse(text))), X), classScores(m, X));
      }
    });

    test('keeps no reference to the training data; predicting 0 rows gives empty results', async () => {
      const X = matrix(bin.X.data.slice(), bin.X.nRows, bin.X.columns);
      const m = await make().fit(X, bin.y);
      const before = classScores(m, bin.X);
      X.data.fill(0);
      assert.deepEqual(classScores(m, bin.X), before);
      const empty = matrix(new Float32Array(0), 0, bin.X.columns);
      assert.equal(classScores(m, empty).length, 0);
      assert.equal(verdicts(m, empty).length, 0);
    });

    test('refuses bad training input with BAD_INPUT: NaN / −1 / out-of-range labels, mismatched lengths, empty or malformed X', async () => {
      const { X, y } = bin;
      const nanY = Float64Array.from(y) as unknown as Int32Array;
      nanY[3] = Number.NaN;
      await assert.rejects(make().fit(X, nanY), isNadir('NADIR_ERR_BAD_INPUT', /y\[3\] = NaN is not a class index/));
      const minus = Int32Array.from(y);
      minus[5] = -1;
      await assert.rejects(make().fit(X, minus), isNadir('NADIR_ERR_BAD_INPUT', /y\[5\] = -1: row has no label/));
      const big = Int32Array.from(y);
      big[2] = 2;
      await assert.rejects(make().fit(X, big, { classes: ['a', 'b'] }), isNadir('NADIR_ERR_BAD_INPUT', /y\[2\] = 2 is out of range for 2 classes/));
      await assert.rejects(make().fit(X, y.subarray(1)), isNadir('NADIR_ERR_BAD_INPUT', /X has 160 rows but y has 159 labels/));
      const empty = matrix(new Float32Array(0), 0, X.columns);
      await assert.rejects(make().fit(empty, new Int32Array(0)), isNadir('NADIR_ERR_BAD_INPUT', /no training rows/));
      const ragged = { ...X, data: X.data.subarray(1) };
      await assert.rejects(make().fit(ragged, y), isNadir('NADIR_ERR_BAD_INPUT', /X\.data has 799 values/));
      const f64 = { ...X, data: Float64Array.from(X.data) as unknown as Float32Array };
      await assert.rejects(make().fit(f64, y), isNadir('NADIR_ERR_BAD_INPUT', /Float32Array/));
      if (spec.supervised) {
        await assert.rejects(make().fit(X, new Int32Array(X.nRows)), isNadir('NADIR_ERR_BAD_INPUT', /at least 2 classes/));
      }
    });

    test('refuses bad options (unknown name) with BAD_OPTION, and sample weights it cannot use', async () => {
      await assert.rejects(make({ ...spec.options, noSuchOption: 1 }).fit(bin.X, bin.y), isNadir('NADIR_ERR_BAD_OPTION', /noSuchOption/));
      const short = new Float32Array(bin.X.nRows - 1).fill(1);
      await assert.rejects(make().fit(bin.X, bin.y, { sampleWeight: short }), isNadir('NADIR_ERR_BAD_INPUT'));
      if (spec.supportsWeights) {
        const neg = new Float32Array(bin.X.nRows).fill(1);
        neg[4] = -1;
        await assert.rejects(make().fit(bin.X, bin.y, { sampleWeight: neg }), isNadir('NADIR_ERR_BAD_INPUT', /sampleWeight\[4\]/));
      }
    });

    test('predict: NOT_FITTED before fit, BAD_INPUT on a different column count', async () => {
      const m = make();
      assert.throws(() => classScores(m, bin.X), isNadir('NADIR_ERR_NOT_FITTED'));
      assert.throws(() => verdicts(m, bin.X), isNadir('NADIR_ERR_NOT_FITTED'));
      assert.throws(() => m.toJSON(), isNadir('NADIR_ERR_NOT_FITTED'));
      await fitBinary(m);
      const narrow = matrix(new Float32Array(8), 2, ['a', 'b', 'c', 'd']);
      assert.throws(() => classScores(m, narrow), isNadir('NADIR_ERR_BAD_INPUT', /X has 4 columns but the model was fitted on 5/));
    });

    test('refuses corrupt or foreign saved models with MODEL_CORRUPT / MODEL_VERSION (never a TypeError)', async () => {
      const m = await fitBinary(make());
      const good = viaJsonText(m) as SerializedModel;
      const Ctor = m.constructor as unknown as { fromJSON(o: unknown, source?: string): Learner };
      const corrupt = isNadir('NADIR_ERR_MODEL_CORRUPT');
      for (const bad of [null, 42, 'logreg', [], {}, { hello: 1 }]) {
        assert.throws(() => learnerFromJSON(bad), corrupt, JSON.stringify(bad));
        assert.throws(() => Ctor.fromJSON(bad), corrupt, JSON.stringify(bad));
      }
      assert.throws(() => learnerFromJSON({ ...good, type: 'xgboost' }), isNadir('NADIR_ERR_MODEL_CORRUPT', /unknown learner type 'xgboost'/));
      const other = LEARNER_TYPES.find((t) => t !== type)!;
      assert.throws(() => Ctor.fromJSON({ ...good, type: other }, 'm.json'), isNadir('NADIR_ERR_MODEL_CORRUPT', new RegExp(`^m\\.json: .*expected a '${type}' learner, got '${other}'`)));
      assert.throws(() => learnerFromJSON({ ...good, version: good.version + 1 }), isNadir('NADIR_ERR_MODEL_VERSION', /newer/));
      assert.throws(() => learnerFromJSON({ ...good, fitted: [] }), corrupt);
      assert.throws(() => learnerFromJSON({ ...good, options: null }), corrupt);
      assert.throws(() => learnerFromJSON({ ...good, options: { ...good.options, noSuchOption: 1 } }), corrupt);
      for (const key of Object.keys(good.fitted)) {
        const v = good.fitted[key];
        const without = structuredClone(good);
        delete without.fitted[key];
        assert.throws(() => learnerFromJSON(without), corrupt, `fitted.${key} missing`);
        const wrongKind = structuredClone(good);
        wrongKind.fitted[key] = ArrayBuffer.isView(v) ? new Uint8Array((v as Uint8Array).length) : { nested: true };
        assert.throws(() => learnerFromJSON(wrongKind), corrupt, `fitted.${key} of the wrong kind`);
        if (ArrayBuffer.isView(v) && (v as Uint8Array).length > 0) {
          const cut = structuredClone(good);
          cut.fitted[key] = (v as Uint8Array).subarray(0, (v as Uint8Array).length - 1).slice();
          assert.throws(() => learnerFromJSON(cut), corrupt, `fitted.${key} truncated`);
        }
      }
    });
  });
}

test('registry: createLearner refuses an unknown type or non-object options', () => {
  assert.throws(() => createLearner('svm'), isNadir('NADIR_ERR_BAD_OPTION', /unknown learner 'svm' \(known: .*logreg/));
  assert.throws(() => createLearner('logreg', [] as unknown as Record<string, unknown>), isNadir('NADIR_ERR_BAD_OPTION'));
  assert.throws(() => learnerFromJSON({ version: 1 }), isNadir('NADIR_ERR_MODEL_CORRUPT', /missing learner 'type'/));
});
