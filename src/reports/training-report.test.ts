import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train } from '../app/train.js';
import { computeMetrics } from '../eval/metrics.js';
import { Random } from '../util/random.js';
import { binaryScores, CATEGORIES, modelBody, multiclassScores } from './testdata/report-fixtures.js';
import { carriedImportance, curveSpec, gainSpec, permutationSpec } from './training-report-charts.js';
import { displayName, thresholdMethodName } from './report-common.js';
import { holdoutCallouts, holdoutFindings, importanceTable, reconstructCommand, renderTrainingReport, writeTrainingReport, type TrainingReportInput } from './training-report.js';
import { thresholdInfoOf, type ThresholdDecision } from '../model/decision.js';

/**
 * A small TrainResult-shaped run built from real metric computations on seeded synthetic scores:
 * CV scores separate the classes well; in the hold-out set a third of the attacks are "novel"
 * (scored like normal traffic), as with NSL-KDD's KDDTest+.
 */
function binaryRun(): TrainingReportInput {
  const r = new Random(42);
  const cvScores = binaryScores(r, 1600, 1400, 0.01);
  const testScores = binaryScores(r, 900, 1100, 0.35);
  const classes = ['normal', 'attack'];
  const cv = computeMetrics(cvScores.y, cvScores.proba, classes, { threshold: 0.5, curves: true });
  const holdout = computeMetrics(testScores.y, testScores.proba, classes, { threshold: 0.5, curves: true });
  const b = modelBody('binary', classes);
  return {
    body: b,
    cv,
    tests: [{ file: 'data/nsl-kdd/KDDTest+.txt.gz', metrics: holdout, skipped: 0 }],
    oof: cvScores,
    train: { file: 'data/nsl-kdd/KDDTrain+_20Percent.txt.gz', rows: 3000, classes: { normal: 1600, attack: 1400 } },
    timings: b.timings,
  };
}

function multiclassRun(): TrainingReportInput {
  const classes = CATEGORIES;
  const n = 1500;
  const { y, proba } = multiclassScores(3, n);
  const cv = computeMetrics(y, proba, classes, {});
  const counts: Record<string, number> = {};
  classes.forEach((c, k) => (counts[c] = y.filter((v) => v === k).length));
  const b = modelBody('category', classes, { importance: {}, provenance: { ...modelBody('category', classes).provenance, tests: [] } });
  return { body: b, cv, tests: [], oof: { proba, y }, train: { file: 'train.csv', rows: n, classes: counts }, timings: { loadSeconds: 0.1 } };
}

test('binary report: every section, charts as inline SVG, no scripts, hostile names escaped', async () => {
  const run = binaryRun();
  const page = await renderTrainingReport(run);
  assert.match(page, /^<!DOCTYPE html>/);
  assert.doesNotMatch(page, /<script|<link |src="http|<img /);
  assert.match(page, /&lt;img src=x onerror=alert\(1\)&gt;/);
  for (const id of ['summary', 'data', 'metrics', 'confusion', 'curves', 'threshold', 'classes', 'importance', 'timings', 'reproduce']) {
    assert.match(page, new RegExp(`<section class="report" id="${id}">`), id);
  }
  const labels = [...page.matchAll(/<svg role="img" aria-label="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(labels, [
    'Confusion matrix, 3-fold CV',
    'Confusion matrix, KDDTest+',
    'ROC curve',
    'ROC curve, log false-positive rate',
    'Precision-recall curve',
    'Out-of-fold score distribution',
    'Gain importance',
    'Permutation importance',
  ]);
  // CV and hold-out side by side, with the numbers computed from the scores
  assert.ok(page.includes(`${(100 * run.cv!.accuracy).toFixed(2)}%`));
  assert.ok(page.includes(`${(100 * run.tests[0]!.metrics.accuracy).toFixed(2)}%`));
  assert.ok(page.includes(run.tests[0]!.metrics.rocAuc!.toFixed(4)));
  // the confusion-matrix counts appear as text inside the heat map
  const cm = run.tests[0]!.metrics.confusionMatrix;
  assert.ok(page.includes(`>${cm[1]![0]!.toLocaleString('en-US')}<`), 'missed attacks count in the heat map');
  // reproduce: a library run has no command line, so one is reconstructed from the options
  assert.ok(page.includes('nadir train --data data/nsl-kdd/KDDTrain+_20Percent.txt.gz --test data/nsl-kdd/KDDTest+.txt.gz --model gbdt --target binary --cv 3 --seed 7 --trees 30'));
  assert.ok(page.includes('a'.repeat(64)));
});

test('a hold-out set much worse than CV is called out in words, with counts from the confusion matrix', () => {
  const run = binaryRun();
  const [f] = holdoutFindings(run);
  assert.ok(f);
  const cv = run.cv!;
  const t = run.tests[0]!.metrics;
  assert.equal(f.level, 'warn');
  assert.equal(f.test, 'KDDTest+');
  assert.equal(f.accuracyDrop, cv.accuracy - t.accuracy);
  assert.ok(f.accuracyDrop > 0.1, `drop ${f.accuracyDrop}`);
  assert.equal(f.aucDrop, cv.rocAuc! - t.rocAuc!);
  const missed = t.confusionMatrix[1]![0]!;
  const attacks = t.confusionMatrix[1]![0]! + t.confusionMatrix[1]![1]!;
  assert.match(f.html.value, /Most of the gap is missed attacks/);
  assert.ok(f.html.value.includes(`${missed.toLocaleString('en-US')} of ${attacks.toLocaleString('en-US')} attacks in KDDTest+ were scored as normal`));
  // the summary's callout: the verdict and the reason, said once for all sets
  const box = holdoutCallouts(run).value;
  assert.match(box, /^<div class="callout warn"><p><strong>The hold-out result is much worse than cross-validation\.<\/strong>/);
  assert.ok(box.includes(f.html.value));
  assert.match(box, /KDDTest\+ was recorded separately, and the NSL-KDD test set holds attack types that never occur in training/);
  // the same set as CV agrees with itself
  const same = holdoutFindings({ ...run, tests: [{ file: 'x/same.csv', metrics: cv, skipped: 0 }] });
  assert.equal(same[0]!.level, 'ok');
  assert.match(same[0]!.html.value, /agrees with cross-validation/);
  assert.match(holdoutCallouts({ ...run, tests: [{ file: 'x/same.csv', metrics: cv, skipped: 0 }] }).value, /^<div class="callout ok">/);
  assert.deepEqual(holdoutFindings({ ...run, cv: null }), []);
});

test('threshold chosen for a target FPR: method, out-of-fold rates and the cost per set', async () => {
  const run = binaryRun();
  run.body.decision = { kind: 'threshold', score: 'probability', threshold: 0.62, method: 'max-fpr', maxFpr: 0.01, oofFpr: 0.0081, oofTpr: 0.973 };
  const page = await renderTrainingReport(run);
  const thr = page.slice(page.indexOf('id="threshold"'), page.indexOf('id="classes"'));
  assert.match(thr, /out-of-fold scores of the training data only/);
  assert.match(thr, /within the target of <strong>1\.00%<\/strong>/);
  assert.match(thr, /FPR 0\.81% and detection rate 97\.30%/);
  assert.match(thr, /within FPR target|FPR above 1\.00%/);
  assert.match(thr, /per 10,000 normal/);
});

test('multi-class report without a hold-out set: per-class tables, no curves, a note asking for --test', async () => {
  const run = multiclassRun();
  const page = await renderTrainingReport(run);
  assert.doesNotMatch(page, /id="curves"|id="threshold"/);
  assert.match(page, /No hold-out set was given/);
  const classes = page.slice(page.indexOf('id="classes"'), page.indexOf('id="importance"'));
  for (const c of run.body.classes) assert.ok(classes.includes(`<td class="">${c}</td>`), c);
  assert.match(page, /F1 \(macro\)/);
  assert.match(page, /aria-label="Confusion matrix, 3-fold CV"/);
  assert.match(page, /No gain importance/);
  assert.match(page, /No permutation importance/);
});

test('multi-class hold-out: the classes that do not transfer are named with their recall', () => {
  const run = multiclassRun();
  const t = multiclassScores(9, 900, 3);
  const holdout = computeMetrics(t.y, t.proba, CATEGORIES, {});
  const [f] = holdoutFindings({ ...run, tests: [{ file: 'KDDTest+.txt.gz', metrics: holdout, skipped: 0 }] });
  assert.equal(f!.level, 'warn');
  const r2l = holdout.perClass.R2L!;
  assert.ok(r2l.recall < 0.5);
  assert.ok(f!.html.value.includes(`The classes that do not transfer: <strong>R2L</strong> (recall ${(100 * r2l.recall).toFixed(1)}% against ${(100 * run.cv!.perClass.R2L!.recall).toFixed(1)}% in CV, ${r2l.support} rows).`));
});

test('without cross-validation: hold-out columns only, no verdict, no score histogram', async () => {
  const run = { ...binaryRun(), cv: null, oof: null };
  run.body.provenance.options.cv = 0;
  const page = await renderTrainingReport(run);
  assert.doesNotMatch(page, /fold CV|much worse|Out-of-fold score distribution/);
  assert.match(page, /No cross-validation was run/);
  const labels = [...page.matchAll(/<svg role="img" aria-label="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(labels, ['Confusion matrix, KDDTest+', 'ROC curve', 'ROC curve, log false-positive rate', 'Precision-recall curve', 'Gain importance', 'Permutation importance']);
});

test('writeTrainingReport writes atomically and fails cleanly', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nadir-report-'));
  try {
    const path = join(dir, 'report.html');
    await writeTrainingReport(path, binaryRun());
    assert.match(await readFile(path, 'utf8'), /<\/html>\n$/);
    assert.deepEqual(await readdir(dir), ['report.html']);
    await assert.rejects(writeTrainingReport(join(dir, 'missing', 'r.html'), binaryRun()), (e: Error & { code?: string }) => e.code === 'NADIR_ERR_FILE_WRITE');
    assert.deepEqual(await readdir(dir), ['report.html']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('display names and reconstructed commands', () => {
  assert.equal(displayName('data/nsl-kdd/KDDTest-21.txt.gz'), 'KDDTest-21');
  assert.equal(displayName('/x/flows.parquet'), 'flows');
  assert.equal(displayName('.gz'), '.gz');
  const run = binaryRun();
  run.body.schema.format = 'generic';
  run.body.schema.labelColumn = 'Attack Label';
  run.body.provenance.options = { model: 'rf', target: 'binary', cv: 5, seed: 0, threshold: 'auto', maxFpr: 0.005, learner: { nEstimators: 100, maxFeatures: 'sqrt' } };
  run.train.file = "my data/it's.csv";
  assert.equal(
    reconstructCommand(run),
    "nadir train --data 'my data/it'\\''s.csv' --test data/nsl-kdd/KDDTest+.txt.gz --model rf --target binary --cv 5 --seed 0 --threshold auto --max-fpr 0.005 --trees 100 --max-features sqrt --label 'Attack Label'",
  );
  // columns left out with --drop are part of the command
  run.body.provenance.options.drop = ['flow_id', 'Src IP'];
  assert.match(reconstructCommand(run), / --label 'Attack Label' --drop 'flow_id,Src IP'$/);
});

test('an in-sample threshold (no --threshold, --cv 0): the reconstructed command has no --threshold and the method is named in-sample', async () => {
  // moved here from app/train.test.ts, so that app/ imports nothing from reports/
  const data = new URL('../../../data/nsl-kdd/KDDTest-21.txt.gz', import.meta.url).pathname;
  const r = await train({ data, model: 'iforest', cv: 0, learner: { nEstimators: 5 }, permutationRepeats: 0, maxFpr: 0.02 });
  const info = thresholdInfoOf(r.body)!;
  assert.equal(info.method, 'max-fpr-in-sample');
  // provenance: no --threshold was given; the command that reproduces the model has none either
  assert.match(reconstructCommand(r), /--cv 0 --seed 0 --max-fpr 0\.02 --trees 5$/);
  assert.equal(thresholdMethodName(info), 'in-sample: FPR ≤ 2.00% on the training rows’ own scores (no CV)');
  assert.equal(thresholdMethodName(info, { short: true }), 'in-sample, FPR ≤ 2.0%');
});

test('log-FPR ROC: FPR 0 sits on the left edge and long segments stay straight in linear space', () => {
  // y: 0 0 1 | 0 1 1 scored so that the curve is (0,0) → (0, 1/3) → (0.5, 2/3) → (1, 1)
  const y = new Int32Array([0, 0, 1, 1, 1, 0]);
  const p1 = [0.1, 0.6, 0.6, 0.9, 0.2, 0.2];
  const proba = new Float64Array(p1.flatMap((p) => [1 - p, p]));
  const m = computeMetrics(y, proba, ['normal', 'attack'], { threshold: 0.5, curves: true });
  const spec = curveSpec('roc', [{ label: 'set', color: '#000', metrics: m }], { logFpr: true }) as unknown as { layer: Array<{ data: { values: Array<{ x: number; y: number }> } }> };
  const line = spec.layer[1]!.data.values;
  const xMin = Math.min(...line.map((p) => p.x));
  assert.equal(xMin, 0.01); // the decade at or below the smallest non-zero FPR (1/3), but never above 1%
  assert.deepEqual(line[0], { set: 'set', i: 0, x: 0.01, y: 0 });
  // every point lies on the piecewise-linear ROC of the metrics (checked in linear FPR space)
  const { x: fx, y: fy } = m.curves!.roc;
  for (const p of line) {
    if (p.x <= xMin) continue;
    const k = fx.findIndex((v) => v >= p.x);
    const yy = fx[k] === p.x ? fy[k]! : fy[k - 1]! + ((fy[k]! - fy[k - 1]!) * (p.x - fx[k - 1]!)) / (fx[k]! - fx[k - 1]!);
    assert.ok(Math.abs(yy - p.y) < 1e-12 || fx.filter((v) => v === p.x).length > 1, `(${p.x}, ${p.y}) on the curve`);
  }
  assert.ok(line.length > fx.length, 'segments densified');
  // the operating point: the exact rates at the threshold
  const points = spec.layer[2]!.data.values;
  assert.deepEqual(points.map((p) => [p.x, p.y]), [[m.fpr, m.tpr]]);
});

test('curves: a set given only its rates (CV metrics stored without curves) is drawn as its operating point', () => {
  const run = binaryRun();
  const stored = computeMetrics(run.oof!.y, run.oof!.proba, ['normal', 'attack'], { threshold: 0.5 });
  assert.equal(stored.curves, undefined);
  const holdout = run.tests[0]!.metrics;
  const sets = [
    { label: 'KDDTest+', color: '#F58518', metrics: holdout },
    { label: 'training CV', color: '#2F6690', metrics: stored },
  ];
  type Layers = { layer: Array<{ data: { values: Array<{ set: string; x: number; y: number }> } }> };
  const roc = curveSpec('roc', sets) as unknown as Layers;
  assert.ok(roc.layer[1]!.data.values.every((p) => p.set === 'KDDTest+'), 'only the set with a curve has a line');
  assert.deepEqual(
    roc.layer[2]!.data.values.map((p) => [p.set, p.x, p.y]),
    [
      ['KDDTest+', holdout.fpr, holdout.tpr],
      ['training CV', stored.fpr, stored.tpr],
    ],
  );
  const pr = curveSpec('pr', sets) as unknown as Layers;
  // no chance line on the PR chart: the curves, then the points
  assert.deepEqual(pr.layer[1]!.data.values[1], { set: 'training CV', x: stored.perClass.attack!.recall, y: stored.perClass.attack!.precision });
});

test('importance: columns with zero importance are not ranked or charted (a ranking of zeros is file order)', async () => {
  // as on a small CIC-like file where one column decides everything: every other column has 0
  const gain = [
    { feature: 'Destination Port', importance: 12 },
    { feature: 'Flow Duration', importance: 0 },
    { feature: 'Total Fwd Packets', importance: 0 },
    { feature: 'Fwd IAT', importance: 3 },
  ];
  const permutation = [
    { feature: 'Flow Duration', importance: 0, std: 0 },
    { feature: 'Destination Port', importance: 0.46, std: 0.02 },
    { feature: 'Total Fwd Packets', importance: -0.001, std: 0.002 },
    { feature: 'Fwd IAT', importance: 0, std: 0 },
  ];
  assert.deepEqual(carriedImportance(permutation).map((e) => e.feature), ['Destination Port']);
  assert.deepEqual(carriedImportance(gain).map((e) => e.feature), ['Destination Port', 'Fwd IAT']);
  type Bars = { data: { values: Array<{ feature: string }> }; title: { subtitle: string[] } };
  const g = gainSpec(gain) as unknown as Bars;
  assert.deepEqual(g.data.values.map((r) => r.feature), ['Destination Port', 'Fwd IAT']);
  assert.deepEqual(g.title.subtitle, ['share of the total split gain, top 2 of the 2 columns split on', '2 never split on (no gain) not shown']);
  const p = permutationSpec(permutation, 'ROC-AUC') as unknown as Bars;
  assert.deepEqual(p.data.values.map((r) => r.feature), ['Destination Port']);
  assert.deepEqual(p.title.subtitle, ['drop in ROC-AUC when the column is shuffled, ± 1 std', 'top 1 of the 1 column whose shuffling lowers it; 3 not shown']);

  // the table of all columns ranks only what carried importance
  const table = importanceTable(gain, permutation)!.value;
  const rows = [...table.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].slice(1).map((m) => [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')));
  assert.deepEqual(
    rows.map((r) => [r[0], r[1]]),
    [
      ['1', 'Destination Port'],
      ['', 'Fwd IAT'],
      ['', 'Flow Duration'],
      ['', 'Total Fwd Packets'],
    ],
  );
  assert.match(table, /Ranked by permutation drop, for the 1 column where it is above zero; 2 columns carried no importance by either measure \(dimmed, unranked\)/);

  // nothing carried importance: said in words, no chart of zeros
  const run = binaryRun();
  run.body.importance = { gain: gain.map((e) => ({ ...e, importance: 0 })), permutation: permutation.map((e) => ({ ...e, importance: 0 })) };
  const page = await renderTrainingReport(run);
  assert.doesNotMatch(page, /aria-label="(Gain|Permutation) importance"/);
  assert.match(page, /No column carried gain importance: the trees made no split\./);
  assert.match(page, /No column carried permutation importance: shuffling no single column lowered ROC-AUC on the hold-out set KDDTest\+\./);
});

test('isolation forest: the threshold is on the anomaly score s(x), not P(attack), and no log loss is shown', async () => {
  const run = binaryRun();
  run.body.learner = { type: 'iforest', version: 1, options: { nEstimators: 100 }, fitted: {} };
  run.body.provenance.options.model = 'iforest';
  run.body.importance = {};
  run.body.decision = { ...(run.body.decision as ThresholdDecision), score: 'anomaly-score', threshold: 0.5426 };
  const page = await renderTrainingReport(run);
  assert.doesNotMatch(page, /P\(attack\)|Log loss|quality of the probabilities/);
  assert.match(page, /Thresholded metrics use s\(x\) ≥ 0\.5426, the isolation forest&#39;s anomaly score \(Liu et al\. 2008\): in \(0, 1\), higher = more anomalous; not a probability, so no log loss is given/);
  assert.match(page, /threshold on the anomaly score/);
  assert.match(page, /ranking of the anomaly score, threshold-free/);
  assert.match(page, /out-of-fold anomaly score s\(x\)/);
  // a classifier keeps its probability wording
  const gbdt = await renderTrainingReport(binaryRun());
  assert.match(gbdt, /Thresholded metrics use P\(attack\) ≥ 0\.5; attack is the positive class\./);
  assert.match(gbdt, /Log loss/);
});

test('provenance: each sha256 says which bytes it is of (the content digest of a gzip file matches SHA256SUMS)', async () => {
  const run = binaryRun();
  run.body.provenance.data = { ...run.body.provenance.data, contentSha256: 'c'.repeat(64) };
  const page = await renderTrainingReport(run);
  const data = page.slice(page.indexOf('id="data"'), page.indexOf('id="metrics"'));
  assert.match(data, /sha256 of the content \(decompressed\)<\/span><\/td><td class="num"><code title="c{64}">c{16}…<\/code>/);
  assert.match(data, /<td class="">sha256 of the file bytes \(compressed\)<\/td><td class="num"><code title="a{64}">a{16}…<\/code>/);
  const reproduce = page.slice(page.indexOf('id="reproduce"'));
  assert.match(reproduce, /training data: sha256 of the content \(decompressed\)/);
  assert.match(reproduce, /the content digest is what <code>zcat &lt;file&gt; \| sha256sum<\/code> prints/);
  // an uncompressed file has one digest, of its bytes
  const plain = binaryRun();
  plain.body.provenance.data = { file: 'flows.csv', sha256: 'd'.repeat(64), rows: 3000 };
  const p = await renderTrainingReport(plain);
  assert.match(p, /<td class="">sha256 of the file bytes<\/td>/);
  assert.doesNotMatch(p.slice(p.indexOf('id="data"'), p.indexOf('id="metrics"')), /decompressed/);
});
