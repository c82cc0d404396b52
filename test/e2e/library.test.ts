import assert from 'node:assert/strict';
import { test } from 'node:test';
// the package's own entry point, as a user imports it
import { binMatrix, buildTarget, computeMetrics, createLearner, decodeModel, Detector, encodeModel, fitBinMapper, loadDataset, Pipeline, train } from 'nadir';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;

test("import { … } from 'nadir': load → preprocess → bin → fit → score, on NSL-KDD", async () => {
  const tr = await loadDataset(`${DATA}KDDTrain+_20Percent.txt.gz`);
  const te = await loadDataset(`${DATA}KDDTest+.txt.gz`);
  const ytr = buildTarget(tr, 'binary');
  const yte = buildTarget(te, 'binary');
  const pipe = new Pipeline().fit(tr.features);
  const X = pipe.transform(tr.features);
  const Xt = pipe.transform(te.features);
  // the binned form the tree learner uses: ≤ 256 bins per feature, fitted on training rows
  const mapper = fitBinMapper(X, { maxBins: 64 });
  const binned = binMatrix(mapper, Xt);
  assert.equal(binned.nRows, 22544);
  const gb = await createLearner('gbdt', { nEstimators: 40, seed: 0 }).fit(X, ytr.y, { classes: ytr.classes });
  const m = computeMetrics(yte.y, gb.predictProba(Xt), ytr.classes);
  assert.ok(m.accuracy >= 0.77 && m.rocAuc! >= 0.93, `accuracy ${m.accuracy}, AUC ${m.rocAuc}`);
});

test('train() and Detector: the same use case the CLI runs', async () => {
  const r = await train({ data: `${DATA}KDDTrain+_20Percent.txt.gz`, model: 'logreg', cv: 0, permutationRepeats: 0 });
  const d = Detector.fromBody(decodeModel(encodeModel(r.body)));
  assert.deepEqual(d.classes, ['normal', 'attack']);
  const te = await loadDataset(`${DATA}KDDTest-21.txt.gz`);
  const s = d.score(te);
  assert.equal(s.nRows, 11850);
});
