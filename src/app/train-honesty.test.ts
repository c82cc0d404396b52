/**
 * Guards of an honest evaluation in the train use case (issue 10): an audit found it honest —
 * preprocessing fitted per fold, the threshold chosen on out-of-fold training scores only, test
 * sets used for nothing but their own metrics — and these tests keep it so. Each guard was seen
 * to fail against a deliberately broken train (see the commit that added it).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { loadDataset, takeRows } from '../data/load.js';
import { stratifiedKFold } from '../data/split.js';
import { buildTarget } from '../data/target.js';
import type { CategoricalColumn, Column, Dataset, NumericColumn } from '../data/types.js';
import { rejectsWith, tempDir, writeFixture } from '../data/testdata/files.js';
import { NadirError } from '../errors.js';
import { UNSEEN } from '../features/one-hot.js';
import { Pipeline } from '../features/pipeline.js';
import { createLearner } from '../learners/registry.js';
import { readModelFile, saveModelFile } from '../model/artifact.js';
import { Detector } from '../model/detector.js';
import type { ModelBody } from '../model/types.js';
import { take } from '../util/rows.js';
import { stringifyTyped } from '../util/typed-json.js';
import { resolveTrainOptions, type TrainChoices } from './train-options.js';
import { train, type TrainResult } from './train.js';
import { thresholdInfoOf, thresholdOf } from '../model/decision.js';
import { classScores } from '../learners/types.js';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const dir = tempDir('nadir-honest-');

/** The first `n` records of a bundled NSL-KDD file, written as a small file of the same format. */
function subset(file: string, n: number, name: string): string {
  const lines = gunzipSync(readFileSync(`${DATA}${file}`)).toString('utf8').trim().split('\n');
  return writeFixture(dir, name, `${lines.slice(0, n).join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// 1. preprocessing is fitted inside each fold, never on all training rows

/**
 * Out-of-fold probabilities by hand: the same folds (stratifiedKFold, same seed), the same
 * learner options, and the pipeline fitted on each fold's training rows ('fold') — or, to show
 * the test can tell the difference, once on all rows ('all', the leak this file guards against).
 */
async function oofByHand(ds: Dataset, opts: TrainChoices, fitPipelineOn: 'fold' | 'all'): Promise<Float64Array> {
  const o = resolveTrainOptions(opts);
  const target = buildTarget(ds, o.target);
  const k = target.classes.length;
  const proba = new Float64Array(ds.features.nRows * k);
  const onAll = new Pipeline(o.spec.preprocessing).fit(ds.features);
  for (const fold of stratifiedKFold(target.y, o.cv, o.seed)) {
    const rows = takeRows(ds.features, fold.train);
    const pipeline = fitPipelineOn === 'fold' ? new Pipeline(o.spec.preprocessing).fit(rows) : onAll;
    const learner = createLearner(o.model, o.learner);
    await learner.fit(pipeline.transform(rows), take(target.y, fold.train), { classes: target.classes });
    const P = classScores(learner, pipeline.transform(takeRows(ds.features, fold.test)));
    for (let i = 0; i < fold.test.length; i++) proba.set(P.subarray(i * k, (i + 1) * k), fold.test[i]! * k);
  }
  return proba;
}

/** Rows `rows` of `ds` with an extreme `numeric` value and a `categorical` value no other row has. */
function plant(ds: Dataset, rows: Uint32Array, numeric: string, categorical: string, value: string): Dataset {
  const columns = ds.features.columns.map((c): Column => {
    if (c.name === numeric) {
      const values = Float64Array.from((c as NumericColumn).values);
      for (const r of rows) values[r] = 1e12;
      return { ...(c as NumericColumn), values };
    }
    if (c.name === categorical) {
      const col = c as CategoricalColumn;
      const codes = Int32Array.from(col.codes);
      for (const r of rows) codes[r] = col.dictionary.length;
      return { ...col, codes, dictionary: [...col.dictionary, value] };
    }
    return c;
  });
  return { ...ds, features: { nRows: ds.features.nRows, columns } };
}

describe('train: cross-validation fits the preprocessing on each fold’s training rows only', () => {
  // logistic regression: its pipeline learns the most (medians, log1p choice, means and scales),
  // and every bit of that reaches the probabilities, so a pipeline fitted on other rows shows
  const opts: TrainChoices = { model: 'logreg', cv: 3, seed: 11, threshold: 0.5, permutationRepeats: 0, learner: { maxIter: 50 } };
  let ds: Dataset;
  let planted: Dataset;
  let heldOut: Uint32Array; // the rows fold 0 holds out
  let marked: Set<number>; // the planted rows among them
  let plain: TrainResult;
  let withPlanted: TrainResult;

  before(async () => {
    ds = await loadDataset(subset('KDDTrain+_20Percent.txt.gz', 900, 'train-900.csv'));
    const y = buildTarget(ds, 'binary').y;
    heldOut = stratifiedKFold(y, 3, 11)[0]!.test;
    // three normal and three attack rows that fold 0 holds out: only they get src_bytes 1e12 and
    // the service 'planted-in-fold-0', so to fold 0's model both must be new (out of range, unseen)
    const normal = [...heldOut].filter((r) => y[r] === 0).slice(0, 3);
    const attack = [...heldOut].filter((r) => y[r] === 1).slice(0, 3);
    marked = new Set([...normal, ...attack]);
    planted = plant(ds, Uint32Array.from(marked), 'src_bytes', 'service', 'planted-in-fold-0');
    plain = await train({ ...opts, data: ds });
    withPlanted = await train({ ...opts, data: planted });
  });

  test('the out-of-fold probabilities are those of a fold loop whose pipeline sees the fold’s training rows only', async () => {
    assert.deepEqual(withPlanted.oof!.proba, await oofByHand(planted, opts, 'fold'));
    assert.deepEqual(plain.oof!.proba, await oofByHand(ds, opts, 'fold'));
  });

  test('the observable can fail: a pipeline fitted on all rows gives other out-of-fold scores', async () => {
    const leaky = await oofByHand(planted, opts, 'all');
    const differ = [...heldOut].filter((r) => leaky[2 * r + 1] !== withPlanted.oof!.proba[2 * r + 1]);
    assert.ok(differ.length > heldOut.length / 2, `only ${differ.length} of fold 0's ${heldOut.length} rows score differently with a leaky pipeline`);
    for (const r of marked) assert.ok(differ.includes(r), `planted row ${r}`);
  });

  test('the planted rows are new to fold 0’s pipeline: an unseen category and a value out of the training range', () => {
    const y = buildTarget(planted, 'binary').y;
    const fold0 = stratifiedKFold(y, 3, 11)[0]!;
    const p = new Pipeline(resolveTrainOptions(opts).spec.preprocessing).fit(takeRows(planted.features, fold0.train));
    const service = p.inputs.find((i) => i.name === 'service')!;
    assert.ok(!service.categories!.includes('planted-in-fold-0'));
    const X = p.transform(takeRows(planted.features, Uint32Array.from(marked)));
    const unseen = p.columns.indexOf(`service=${UNSEEN}`);
    const bytes = p.columns.indexOf('src_bytes');
    const seen = p.transform(takeRows(planted.features, fold0.train));
    let max = -Infinity;
    for (let i = 0; i < seen.nRows; i++) max = Math.max(max, seen.data[i * seen.nCols + bytes]!);
    for (let i = 0; i < X.nRows; i++) {
      assert.equal(X.data[i * X.nCols + unseen], 1, 'the unseen bucket');
      assert.ok(X.data[i * X.nCols + bytes]! > max, 'beyond every training value');
    }
    // and to the model of a fold that trains on them they are known
    const fold1 = stratifiedKFold(y, 3, 11)[1]!;
    const q = new Pipeline(resolveTrainOptions(opts).spec.preprocessing).fit(takeRows(planted.features, fold1.train));
    assert.ok(q.inputs.find((i) => i.name === 'service')!.categories!.includes('planted-in-fold-0'));
  });

  test('metamorphic: changing rows fold 0 holds out leaves the scores of its other rows bit for bit alone', () => {
    // fold 0's model is fitted on folds 1 and 2, which are the same in both runs; a pipeline
    // fitted on all rows would see the planted values (its src_bytes scale) and move every score
    const k = 2;
    let same = 0;
    for (const r of heldOut) {
      if (marked.has(r)) continue;
      assert.equal(withPlanted.oof!.proba[r * k + 1], plain.oof!.proba[r * k + 1], `row ${r} of fold 0`);
      same++;
    }
    assert.ok(same > 200);
    // the other folds trained on the planted rows: their scores may move, and here they do
    const others = new Set<number>();
    for (let r = 0; r < ds.features.nRows; r++) if (!heldOut.includes(r) && withPlanted.oof!.proba[r * k + 1] !== plain.oof!.proba[r * k + 1]) others.add(r);
    assert.ok(others.size > 0, 'folds 1 and 2 see the planted rows in training');
  });
});

// ---------------------------------------------------------------------------------------------
// 2. test sets change nothing in the model but their own metrics

/** The parts of a model body that a test set may change: its own metrics and provenance, and what is measured on it. */
const MAY_DIFFER = ['createdAt', 'timings', 'metrics.test', 'provenance.tests', 'importance.permutation'] as const;

function without(body: ModelBody, paths: readonly string[]): Record<string, unknown> {
  const copy = JSON.parse(stringifyTyped(body)) as Record<string, Record<string, unknown>>;
  for (const p of paths) {
    const [a, b] = p.split('.') as [string, string | undefined];
    if (b === undefined) delete copy[a];
    else delete copy[a]![b];
  }
  return copy;
}

describe('train: a model is the same with and without test sets', () => {
  const base = { cv: 3, seed: 5, learner: { nEstimators: 5 }, permutationRepeats: 1, permutationRows: 300 } as const;
  let data: string;
  let testA: string;
  let testB: string;
  before(() => {
    data = subset('KDDTrain+_20Percent.txt.gz', 2000, 'train-2000.csv');
    testA = subset('KDDTest+.txt.gz', 700, 'kddtest-700.csv');
    testB = subset('KDDTest-21.txt.gz', 700, 'kddtest21-700.csv');
  });

  /** Train, save, and read the body back from the file: what a user gets. */
  async function saved(opts: Parameters<typeof train>[0], name: string): Promise<ModelBody> {
    const r = await train(opts);
    const file = `${dir}/${name}.nadir`;
    await saveModelFile(file, r.body);
    return readModelFile(file);
  }

  for (const threshold of ['auto', 'f1'] as const) {
    test(`--threshold ${threshold}: learner, pipeline, threshold and CV metrics are byte-identical; another test file cannot move the threshold`, async () => {
      const none = await saved({ ...base, data, threshold }, `none-${threshold}`);
      const a = await saved({ ...base, data, threshold, tests: [testA] }, `a-${threshold}`);
      const b = await saved({ ...base, data, threshold, tests: [testB, testA] }, `b-${threshold}`);
      assert.ok(a.metrics.test && b.metrics.test && !none.metrics.test, 'the test sets were evaluated');
      assert.ok(a.importance.permutation && b.importance.permutation, 'and measured on');
      for (const m of [a, b]) {
        for (const part of ['learner', 'pipeline', 'schema', 'decision', 'classes'] as const) {
          assert.equal(stringifyTyped(m[part]), stringifyTyped(none[part]), part);
        }
        assert.equal(JSON.stringify(m.metrics.cv), JSON.stringify(none.metrics.cv), 'metrics.cv');
        assert.equal(JSON.stringify(m.importance.gain), JSON.stringify(none.importance.gain), 'importance.gain');
        // and nothing else either, but for what a test set legitimately adds
        assert.equal(JSON.stringify(without(m, MAY_DIFFER)), JSON.stringify(without(none, MAY_DIFFER)));
      }
      assert.equal(thresholdOf(a), thresholdOf(b));
      assert.equal(thresholdInfoOf(a)?.method, threshold === 'auto' ? 'max-fpr' : 'f1');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 6. the isolation forest's log loss is null everywhere

describe('train: the isolation forest has no log loss', () => {
  test('null in the CV and test metrics of the result and of the model, saved and loaded', async () => {
    const small = subset('KDDTest-21.txt.gz', 1500, 'kddtest21-1500.csv');
    const r = await train({ data: small, tests: [small], model: 'iforest', cv: 2, learner: { nEstimators: 5 }, permutationRepeats: 0 });
    assert.equal(r.cv!.logLoss, null);
    assert.equal(r.tests[0]!.metrics.logLoss, null);
    assert.equal(r.body.metrics.cv!.logLoss, null);
    assert.equal(r.body.metrics.test!['kddtest21-1500.csv']!.logLoss, null);
    // a probability model has one, so the null is the score's doing
    assert.equal(typeof (await train({ data: small, model: 'gbdt', cv: 2, learner: { nEstimators: 5 }, permutationRepeats: 0 })).cv!.logLoss, 'number');
    const file = `${dir}/iforest.nadir`;
    await saveModelFile(file, r.body);
    const body = await readModelFile(file);
    assert.ok('logLoss' in body.metrics.cv! && body.metrics.cv!.logLoss === null, 'kept as null, not dropped');
    assert.equal(body.metrics.test!['kddtest21-1500.csv']!.logLoss, null);
    assert.equal((await Detector.load(file)).body.metrics.cv!.logLoss, null);
  });
});

// ---------------------------------------------------------------------------------------------
// 7. the library refuses what the CLI refuses

describe('train: cv 1 is refused', () => {
  test('NADIR_ERR_BAD_OPTION naming the option cv, before anything is loaded', async () => {
    let err: unknown;
    const message = await rejectsWith(
      train({ data: `${dir}/no-such-file.csv`, cv: 1 }).catch((e: unknown) => {
        err = e;
        throw e;
      }),
      'NADIR_ERR_BAD_OPTION',
      /^invalid option cv: expected 0 \(no cross-validation\) or a whole number of folds from 2 to 50, got '?1'?$/,
    );
    assert.ok(err instanceof NadirError && err.option === 'cv', message);
  });
});
