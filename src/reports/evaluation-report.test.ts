import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CategoricalColumn } from '../data/types.js';
import { computeMetrics } from '../eval/metrics.js';
import type { Metrics } from '../eval/types.js';
import type { Warning } from '../logger.js';
import type { ModelBody } from '../model/types.js';
import { Random } from '../util/random.js';
import { BINARY, binaryScores, CATEGORIES, modelBody, multiclassScores, TEST_SHA, TRAIN_SHA } from './testdata/report-fixtures.js';
import { scoreHistogramSpec } from './training-report-charts.js';
import { f4 } from './report-common.js';
import {
  BADGE_MIN_ROWS,
  compareWithTraining,
  labelBadge,
  labelBreakdown,
  type LabelRow,
  renderEvaluationReport,
  sha256File,
  writeEvaluationReport,
  type EvaluationReportInput,
} from './evaluation-report.js';

const NEW_SHA = 'c'.repeat(64);

/** The shared model body with this suite's binary threshold: 0.3, chosen on out-of-fold scores for FPR ≤ 1%. */
function body(task: ModelBody['task'], classes: string[], over: Partial<ModelBody> = {}): ModelBody {
  return modelBody(task, classes, {
    decision: task === 'binary' ? { kind: 'threshold', score: 'probability', threshold: 0.3, method: 'max-fpr', maxFpr: 0.01, oofFpr: 0.008, oofTpr: 0.99 } : { kind: 'argmax' },
    ...over,
  });
}

function labels(dictionary: string[], codes: number[]): CategoricalColumn {
  return { kind: 'categorical', name: 'label', codes: Int32Array.from(codes), dictionary };
}

/**
 * A seeded binary "file": normal rows score low (~2% of them above the 0.3 threshold); known
 * attacks ('neptune', code 1) high; a share of the attacks are novel ('mscan', code 2) and score
 * like normal traffic, as NSL-KDD's test attacks do. Row i's raw label code goes with evaluated row i.
 */
function binaryFile(seed: number, nNormal: number, nAttack: number, novelShare: number): { y: Int32Array; proba: Float64Array; codes: number[] } {
  return binaryScores(new Random(seed), nNormal, nAttack, novelShare, 40);
}

function binaryInput(opts: { novel: number; sha?: string; cv?: Metrics | null; warnings?: Warning[]; stored?: Metrics } = { novel: 0.35 }): EvaluationReportInput {
  const cvScores = binaryFile(1, 1600, 1400, 0.01);
  const cv = opts.cv === undefined ? computeMetrics(cvScores.y, cvScores.proba, BINARY, { threshold: 0.3 }) : opts.cv;
  const file = binaryFile(2, 900, 1100, opts.novel);
  const metrics = computeMetrics(file.y, file.proba, BINARY, { threshold: 0.3, curves: true });
  const b = body('binary', BINARY, { metrics: { ...(cv ? { cv } : {}), ...(opts.stored ? { test: { 'KDDTest+.txt.gz': opts.stored } } : {}) } });
  return {
    body: b,
    modelFile: 'models/m.nadir',
    dataFile: 'data/nsl-kdd/KDDTest+.txt.gz',
    evaluation: { metrics, skipped: 0, proba: file.proba, y: file.y },
    dataset: { format: 'nsl-kdd', features: { nRows: file.y.length, columns: [] }, labels: labels(['normal', 'neptune', 'mscan'], file.codes), normalLabels: ['normal'], findings: [], skippedRows: 0 },
    ...(opts.sha !== undefined ? { dataSha256: opts.sha } : {}),
    warnings: opts.warnings ?? [],
    command: 'nadir evaluate --model models/m.nadir --data data/nsl-kdd/KDDTest+.txt.gz --report r.html',
    evaluatedAt: '2024-06-01T08:00:00.000Z',
    timings: { load: 0.5, score: 0.2 },
  };
}

test('much worse than CV: a warning that names the gap, its cause, the unseen values and the missed labels', () => {
  const unseen: Warning = { code: 'unseen-category', column: 'service', count: 12, message: "column 'service': 12 values never seen in training" };
  const input = binaryInput({ novel: 0.35, sha: NEW_SHA, warnings: [unseen] });
  const c = compareWithTraining(input);
  assert.equal(c.relation, 'new');
  assert.equal(c.level, 'warn');
  const m = input.evaluation.metrics;
  assert.ok(c.cv && Math.abs(c.accuracyDrop! - (c.cv.accuracy - m.accuracy)) < 1e-15 && c.accuracyDrop! > 0.05);
  const text = c.callout.value;
  assert.match(text, /class="callout warn"/);
  assert.match(text, /KDDTest\+ scores much worse than the model's cross-validation promised/);
  assert.match(text, /Most of the gap is missed attacks/);
  assert.match(text, /attack types that never occur in the training file/);
  assert.match(text, /<code>service<\/code> \(12 rows\) holds values never seen in training/);
  // the novel label is named with its own counts
  const rows = labelBreakdown(input)!;
  const mscan = rows.find((r) => r.label === 'mscan')!;
  assert.equal(rows[0]!.label, 'mscan');
  assert.ok(text.includes(`<code>mscan</code> (${mscan.errors.toLocaleString('en-US')} of ${mscan.rows.toLocaleString('en-US')})`));
});

test('a file that scores like CV gets a short confirmation', () => {
  const c = compareWithTraining(binaryInput({ novel: 0.01, sha: NEW_SHA }));
  assert.equal(c.level, 'ok');
  assert.match(c.callout.value, /class="callout ok"/);
  assert.match(c.callout.value, /transfers to this file/);
  assert.doesNotMatch(c.callout.value, /much worse/);
});

test('the training file itself: resubstitution numbers, said plainly, no gap verdict', () => {
  const c = compareWithTraining(binaryInput({ novel: 0.01, sha: TRAIN_SHA }));
  assert.equal(c.relation, 'training-file');
  assert.equal(c.level, null);
  assert.match(c.callout.value, /This is the file the model was trained on/);
  assert.match(c.callout.value, /resubstitution/);
});

test('a training-time hold-out: same numbers confirm the model file, different numbers are flagged', () => {
  const first = binaryInput({ novel: 0.35, sha: TEST_SHA });
  const same = compareWithTraining({ ...first, body: { ...first.body, metrics: { ...first.body.metrics, test: { 'KDDTest+.txt.gz': first.evaluation.metrics } } } });
  assert.equal(same.relation, 'training-holdout');
  assert.equal(same.recorded?.same, true);
  assert.match(same.callout.value, /scores exactly as recorded then/);
  // the verdict on the gap comes first, the reproducibility check after it
  assert.ok(same.callout.value.indexOf('much worse') < same.callout.value.indexOf('exactly as recorded'));
  const other = binaryFile(9, 900, 1100, 0.1);
  const stored = computeMetrics(other.y, other.proba, BINARY, { threshold: 0.3 });
  const differs = compareWithTraining(binaryInput({ novel: 0.35, sha: TEST_SHA, stored }));
  assert.equal(differs.recorded?.same, false);
  assert.match(differs.callout.value, /but it scores differently now/);
});

test('a model trained without CV: a note instead of a comparison', () => {
  const c = compareWithTraining(binaryInput({ novel: 0.35, sha: NEW_SHA, cv: null }));
  assert.equal(c.level, null);
  assert.equal(c.accuracyDrop, null);
  assert.match(c.callout.value, /no cross-validation metrics/);
});

test('labelBreakdown: exact counts per raw label, binary task (missing labels are not evaluated rows)', () => {
  // file rows: normal, normal, neptune, (no label), smurf, smurf, mscan — six evaluated rows
  const y = Int32Array.from([0, 0, 1, 1, 1, 1]);
  const p = [0.1, 0.7, 0.9, 0.2, 0.6, 0.05];
  const proba = Float64Array.from(p.flatMap((v) => [1 - v, v]));
  const metrics = computeMetrics(y, proba, BINARY, { threshold: 0.5 });
  const input: EvaluationReportInput = {
    body: body('binary', BINARY, { decision: { kind: 'threshold', score: 'probability', threshold: 0.5, method: 'max-fpr', maxFpr: 0.01, oofFpr: 0.008, oofTpr: 0.99 } }),
    modelFile: 'm.nadir',
    dataFile: 'f.csv',
    evaluation: { metrics, skipped: 0, proba, y },
    dataset: { format: 'generic', features: { nRows: 7, columns: [] }, labels: labels(['normal', 'neptune', 'smurf', 'mscan'], [0, 0, 1, -1, 2, 2, 3]), normalLabels: ['normal'], findings: [], skippedRows: 0 },
  };
  const rows = labelBreakdown(input);
  assert.deepEqual(rows, [
    { label: 'normal', normal: true, rows: 2, errors: 1, flagged: 1, confusedWith: null },
    { label: 'smurf', normal: false, rows: 2, errors: 1, flagged: 1, confusedWith: null },
    { label: 'mscan', normal: false, rows: 1, errors: 1, flagged: 0, confusedWith: null },
    { label: 'neptune', normal: false, rows: 1, errors: 0, flagged: 1, confusedWith: null },
  ]);
  // the errors add up to the confusion matrix's off-diagonal (same decision rule as the Detector)
  const cm = metrics.confusionMatrix;
  assert.equal(rows!.reduce((a, r) => a + r.errors, 0), cm[0]![1]! + cm[1]![0]!);
  // rows that cannot be matched: no breakdown rather than a wrong one
  assert.equal(labelBreakdown({ ...input, dataset: { ...input.dataset!, labels: labels(['normal'], [0, 0, 0]) } }), null);
  assert.equal(labelBreakdown({ ...input, body: body('label', BINARY) }), null);
  assert.equal(labelBreakdown({ ...input, dataset: undefined }), null);
});

test('labelBreakdown: category task names the class each label is taken for', () => {
  const classes = ['normal', 'DoS', 'R2L'];
  // raw labels: normal, neptune (DoS), guess_passwd (R2L) ×2
  const y = Int32Array.from([0, 1, 2, 2]);
  const proba = Float64Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.6, 0.1, 0.3, 0.5, 0.1, 0.4]);
  const metrics = computeMetrics(y, proba, classes, {});
  const rows = labelBreakdown({
    body: body('category', classes),
    modelFile: 'm.nadir',
    dataFile: 'f.csv',
    evaluation: { metrics, skipped: 0, proba, y },
    dataset: { format: 'nsl-kdd', features: { nRows: 4, columns: [] }, labels: labels(['normal', 'neptune', 'guess_passwd'], [0, 1, 2, 2]), normalLabels: ['normal'], findings: [], skippedRows: 0 },
  });
  assert.deepEqual(rows?.[0], { label: 'guess_passwd', normal: false, rows: 2, errors: 2, flagged: 0, confusedWith: 'normal' });
  assert.deepEqual(rows?.slice(1).map((r) => [r.label, r.errors]), [['neptune', 0], ['normal', 0]]);
});

test('score histogram: this file\'s wording in place of the training builder\'s out-of-fold one', async () => {
  const f = binaryFile(3, 50, 50, 0.2);
  assert.match(JSON.stringify(scoreHistogramSpec(f.proba, f.y, BINARY, 1, 0.3)), /Out-of-fold scores by true class.*"out-of-fold P\(attack\)"/);
  const spec = scoreHistogramSpec(f.proba, f.y, BINARY, 1, 0.3, { title: 'Scores on KDDTest+ by true class', scoreLabel: 'P(attack)' });
  const text = JSON.stringify(spec);
  assert.doesNotMatch(text, /out-of-fold/i);
  assert.match(text, /Scores on KDDTest\+ by true class/);
  assert.match(text, /"P\(attack\)"/);
  // and the report draws it so: the chart's SVG names this file and no out-of-fold scores
  const page = await renderEvaluationReport(binaryInput({ novel: 0.2, sha: NEW_SHA }));
  const svg = page.slice(page.indexOf('aria-label="Score distribution"'), page.indexOf('</svg>', page.indexOf('aria-label="Score distribution"')));
  assert.match(svg, /Scores on KDDTest\+ by true class/);
  assert.match(svg, />P\(attack\)</);
  assert.doesNotMatch(svg, /out-of-fold/i);
});

test('binary report: every section, charts as inline SVG, FPR at the threshold, hostile names escaped', async () => {
  const input = binaryInput({ novel: 0.35, sha: NEW_SHA, warnings: [{ code: 'unseen-category', column: '<b>svc</b>', count: 3, message: "column '<b>svc</b>': 3 values never seen" }] });
  const page = await renderEvaluationReport(input);
  assert.match(page, /^<!DOCTYPE html>/);
  assert.doesNotMatch(page, /<script|<link |src="http|<img |<b>svc/);
  assert.match(page, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(page, /<title>Evaluation report: gradient-boosted trees on KDDTest\+\.txt\.gz<\/title>/);
  const ids = [...page.matchAll(/<section class="report" id="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(ids, ['summary', 'comparison', 'confusion', 'curves', 'threshold', 'classes', 'labels', 'model', 'data', 'reproduce']);
  const charts = [...page.matchAll(/<svg role="img" aria-label="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(charts, ['Confusion matrix, KDDTest+', 'Confusion matrix, training CV', 'ROC curve', 'ROC curve, log false-positive rate', 'Precision-recall curve', 'Score distribution', 'Gain importance', 'Permutation importance']);
  const m = input.evaluation.metrics;
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  // this file's FPR at the model's threshold, next to the training CV's
  assert.ok(page.includes(pct(m.fpr!)), 'FPR');
  assert.ok(page.includes(pct(input.body.metrics.cv!.fpr!)), 'CV FPR');
  assert.ok(page.includes(m.rocAuc!.toFixed(4)), 'ROC-AUC');
  assert.match(page, /<div class="value">0\.3<\/div><div class="label">threshold on P\(attack\)<\/div>/);
  assert.match(page, /out-of-fold scores of the training data only/);
  assert.match(page, m.fpr! > 0.01 ? /FPR above 1\.00%/ : /within FPR target/);
  assert.match(page, /KDDTrain\+_20Percent\.txt\.gz/);
  assert.match(page, /nadir evaluate --model models\/m\.nadir/);
  // the comparison table: training CV, the hold-out recorded at training (none stored here), this file
  assert.match(page, /training 3-fold CV/);
  assert.match(page, /this file, now/);
});

test('multi-class report: per-class table with CV recall, no threshold or curves', async () => {
  const classes = CATEGORIES;
  // R2L (class 3) gets no boost: the class that does not transfer
  const { y, proba } = multiclassScores(5, 600, 3, 2);
  const metrics = computeMetrics(y, proba, classes, {});
  const cvY = y.slice();
  const cvP = proba.map((v, j) => (cvY[Math.floor(j / 5)] === j % 5 ? v + 1 : v));
  const cv = computeMetrics(cvY, cvP, classes, {});
  const page = await renderEvaluationReport({
    body: body('category', classes, { metrics: { cv }, importance: {} }),
    modelFile: 'cat.nadir',
    dataFile: 'test.csv',
    evaluation: { metrics, skipped: 7, proba, y },
  });
  const ids = [...page.matchAll(/<section class="report" id="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(ids, ['summary', 'comparison', 'confusion', 'classes', 'model', 'data', 'reproduce']);
  assert.match(page, /Precision \(macro\)/);
  assert.match(page, /CV recall/);
  assert.ok(page.includes(metrics.perClass.R2L!.recall.toFixed(4)));
  assert.match(page, /<strong>R2L<\/strong> \(recall/, 'the class that does not transfer is named');
  assert.match(page, /7 left out \(unknown class\)/);
  assert.match(page, /the most probable class/);
  assert.doesNotMatch(page, /aria-label="ROC curve"/);
});

test('writeEvaluationReport writes through a temp file; a missing folder fails and leaves nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nadir-eval-report-'));
  try {
    const file = join(dir, 'r.html');
    await writeEvaluationReport(file, binaryInput({ novel: 0.2 }));
    assert.match(await readFile(file, 'utf8'), /<\/html>\n$/);
    assert.deepEqual(await readdir(dir), ['r.html']);
    await assert.rejects(writeEvaluationReport(join(dir, 'no', 'r.html'), binaryInput({ novel: 0.2 })), /cannot write/);
    assert.deepEqual(await readdir(dir), ['r.html']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sha256File streams the same digest as hashing the bytes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nadir-sha-'));
  try {
    const file = join(dir, 'x.bin');
    const bytes = Buffer.alloc(300_000, 7);
    bytes.write('nadir', 1234);
    await writeFile(file, bytes);
    assert.equal(await sha256File(file), createHash('sha256').update(bytes).digest('hex'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('isolation forest: the model card, cards, curves and metrics name the anomaly score, and leave out log loss', async () => {
  const input = binaryInput();
  input.body = body('binary', BINARY, { learner: { type: 'iforest', version: 1, options: {}, fitted: {} }, importance: {} });
  input.body.provenance.options.model = 'iforest';
  const page = await renderEvaluationReport(input);
  assert.doesNotMatch(page, /P\(attack\)|Log loss/);
  assert.match(page, /anomaly score s\(x\) ≥ <strong>0\.3<\/strong> → attack/);
  assert.match(page, /the isolation forest&#39;s anomaly score \(Liu et al\. 2008\): in \(0, 1\), higher = more anomalous; not a probability/);
  assert.match(page, /threshold on the anomaly score/);
  assert.match(page, /Thresholded metrics use s\(x\) ≥ 0\.3 in every column, the isolation forest/);
});

test('the same data compressed or not: matched on the content digest, and each digest labelled', async () => {
  const content = 'e'.repeat(64);
  // the model recorded the gzip'd hold-out with its content digest; this file is the uncompressed copy
  const input = binaryInput({ novel: 0.35, sha: content });
  input.body.provenance.tests = [{ file: 'KDDTest+.txt.gz', sha256: TEST_SHA, contentSha256: content, rows: 2000 }];
  assert.equal(compareWithTraining(input).relation, 'training-holdout');
  // and the other way round: a gzip'd copy of an uncompressed training file
  const gz = binaryInput({ novel: 0.35, sha: NEW_SHA });
  gz.dataContentSha256 = TRAIN_SHA;
  assert.equal(compareWithTraining(gz).relation, 'training-file');
  // other data
  const other = binaryInput({ novel: 0.35, sha: NEW_SHA });
  other.dataContentSha256 = 'f'.repeat(64);
  assert.equal(compareWithTraining(other).relation, 'new');
  const page = await renderEvaluationReport(gz);
  const data = page.slice(page.indexOf('id="data"'), page.indexOf('id="reproduce"'));
  assert.match(data, /sha256 of the content \(decompressed\)<\/span><\/td><td class="">.*?<code title="a{64}">/);
  assert.match(data, /<td class="">sha256 of the file bytes \(compressed\)<\/td>/);
  assert.match(data, /<td class="">seen at training<\/td><td class="">.*?the training data/);
  assert.match(page, /training data: sha256 of the file bytes \(compressed\)/);
});

test('where the errors come from: 9 of 9 missed gets a badge (5 rows are enough), in a column of its own', async () => {
  const row = (label: string, rows: number, flagged: number, normal = false): LabelRow => ({ label, normal, rows, errors: normal ? flagged : rows - flagged, flagged, confusedWith: null });
  const text = (h: unknown): string => (typeof h === 'string' ? h : (h as { value: string }).value);
  assert.match(text(labelBadge(row('xlock', 9, 0), true)), />all missed</);
  assert.match(text(labelBadge(row('named', 17, 4), true)), />mostly missed</);
  assert.equal(text(labelBadge(row('xsnoop', 4, 0), true)), '', 'fewer than 5 rows: no verdict');
  assert.equal(text(labelBadge(row('mscan', 996, 933), true)), '');
  assert.match(text(labelBadge(row('normal', 9711, 600, true), true)), />many false alarms</);
  assert.equal(text(labelBadge(row('normal', 9, 2, true), true)), '', 'a normal label needs 10 rows');
  // multi-class: rows classified correctly
  assert.match(text(labelBadge({ label: 'xlock', normal: false, rows: 9, errors: 9, flagged: 0, confusedWith: 'normal' }, false)), />all missed</);
  assert.equal(BADGE_MIN_ROWS.attack, 5);
});

test('per-class table: a class no row was predicted as has precision "—" (0/0) with a note; recall badges sit in their own column', async () => {
  const classes = CATEGORIES;
  const { y, proba } = multiclassScores(3, 600);
  // move every U2R prediction to another class: nothing is predicted as U2R
  const u2r = classes.indexOf('U2R');
  const k = classes.length;
  for (let i = 0; i < y.length; i++) {
    proba[i * k + u2r] = 0;
  }
  const metrics = computeMetrics(y, proba, classes, {});
  assert.equal(metrics.perClass.U2R!.precision, 0, 'the metrics keep 0 (scikit-learn zero_division=0)');
  const page = await renderEvaluationReport({
    body: body('category', classes),
    modelFile: 'm.nadir',
    dataFile: 'KDDTest+.txt.gz',
    evaluation: { metrics, skipped: 0, proba, y },
  });
  const section = page.slice(page.indexOf('id="classes"'), page.indexOf('id="model"'));
  const u2rRow = section.split('<tr').find((r) => r.includes('<strong>U2R</strong>'))!;
  const cells = [...u2rRow.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!);
  assert.equal(cells[2], '<span title="no rows predicted as this class: precision is 0/0, undefined (--json gives 0, as scikit-learn’s zero_division=0)">—</span>');
  assert.equal(cells[3], f4(metrics.perClass.U2R!.recall), 'the recall cell holds the number only');
  assert.match(cells[4]!, /badge bad">mostly missed</);
  assert.match(section, /<p[^>]*>— no rows predicted as this class: precision is 0\/0, undefined/);
});
