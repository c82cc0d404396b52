/**
 * The training report says what its numbers are worth: CV metrics at a threshold tuned on the
 * same out-of-fold scores are labelled optimistic, and the labels a hold-out set holds that
 * training never showed are counted from the data, not quoted from NSL-KDD folklore.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeMetrics } from '../eval/metrics.js';
import { Random } from '../util/random.js';
import { thresholdChosenOnCvScores } from './report-common.js';
import { binaryScores, modelBody } from './testdata/report-fixtures.js';
import { holdoutCallouts, renderTrainingReport, unseenLabelsPhrase, type TrainingReportInput } from './training-report.js';
import { thresholdOf, type ThresholdInfo } from '../model/decision.js';

/** KDDTest+'s labels absent from KDDTrain+_20Percent, with their rows, as measured (train-honesty e2e test). */
const KDDTEST_UNSEEN: Record<string, number> = {
  saint: 319, mscan: 996, apache2: 737, snmpgetattack: 178, processtable: 685, httptunnel: 133, ps: 15, snmpguess: 331, mailbomb: 293,
  named: 17, sendmail: 14, xterm: 13, worm: 2, xlock: 9, perl: 2, xsnoop: 4, sqlattack: 2, udpstorm: 2,
};

/** A binary run whose hold-out set is much worse than CV (a third of its attacks novel), as with KDDTest+. */
function run(thresholdInfo?: ThresholdInfo, unseenLabels?: Record<string, number>): TrainingReportInput {
  const r = new Random(3);
  const cvScores = binaryScores(r, 1600, 1400, 0.01);
  const testScores = binaryScores(r, 900, 1100, 0.35);
  const classes = ['normal', 'attack'];
  const body = modelBody('binary', classes, thresholdInfo ? { decision: { kind: 'threshold', score: 'probability', threshold: 0.62, ...thresholdInfo } } : {});
  return {
    body,
    cv: computeMetrics(cvScores.y, cvScores.proba, classes, { threshold: thresholdOf(body)!, curves: true }),
    tests: [{ file: 'data/nsl-kdd/KDDTest+.txt.gz', metrics: computeMetrics(testScores.y, testScores.proba, classes, { threshold: thresholdOf(body)!, curves: true }), skipped: 0, ...(unseenLabels ? { unseenLabels } : {}) }],
    oof: cvScores,
    train: { file: 'data/nsl-kdd/KDDTrain+_20Percent.txt.gz', rows: 3000, classes: { normal: 1600, attack: 1400 } },
    timings: body.timings,
  };
}

const between = (page: string, from: string, to: string): string => page.slice(page.indexOf(`id="${from}"`), page.indexOf(`id="${to}"`));
const NOTE = /The CV figures at the threshold are optimistic by construction\.<\/strong> The threshold was chosen on these same out-of-fold scores \((.*?)\)/;

test('threshold auto or f1: the metrics section, the threshold section and the CV card say the CV figures are optimistic', async () => {
  for (const [info, rule] of [
    [{ method: 'max-fpr', maxFpr: 0.01, oofFpr: 0.0081, oofTpr: 0.973 }, 'the highest detection rate within the false-positive target'],
    [{ method: 'f1', oofFpr: 0.004, oofTpr: 0.96 }, 'the best F1'],
  ] as const) {
    const input = run(info);
    assert.equal(thresholdChosenOnCvScores(input.body), true);
    const page = await renderTrainingReport(input);
    const metrics = between(page, 'metrics', 'confusion');
    assert.equal(NOTE.exec(metrics)?.[1], rule, info.method);
    // the note comes before the table it is about
    assert.ok(metrics.indexOf('optimistic by construction') < metrics.indexOf('<table'), 'above the table');
    assert.match(between(page, 'threshold', 'classes'), /measured on the scores the threshold was tuned on, so they are optimistic by construction; the hold-out rows are the honest check/);
    assert.match(between(page, 'summary', 'data'), /ROC-AUC \d\.\d{4} · at a threshold tuned on these scores \(optimistic\)/);
  }
});

test('a fixed threshold, a multi-class model, or no cross-validation: no such note', async () => {
  const fixed = run({ method: 'fixed' });
  const noInfo = run();
  const multi = { ...run(), body: { ...modelBody('category', ['normal', 'DoS']), threshold: null } };
  const noCv = { ...run({ method: 'max-fpr', maxFpr: 0.01, oofFpr: 0.0081, oofTpr: 0.973 }), cv: null, oof: null };
  for (const [name, input] of [['fixed', fixed], ['default', noInfo], ['multi-class', multi], ['no CV', noCv]] as const) {
    const page = await renderTrainingReport(input as TrainingReportInput);
    assert.doesNotMatch(page, /optimistic by construction|tuned on these scores/, name);
  }
  assert.equal(thresholdChosenOnCvScores(fixed.body), false);
  assert.equal(thresholdChosenOnCvScores(multi.body), false);
  // in-sample (no CV) is said in its own words elsewhere
  assert.equal(thresholdChosenOnCvScores({ decision: { kind: 'threshold', score: 'probability', threshold: 0.4, method: 'max-fpr-in-sample', maxFpr: 0.01 } }), false);
});

test('the labels a hold-out set holds that training never showed are counted from the data', async () => {
  const text = (h: { value: string } | null): string => h?.value ?? '';
  assert.equal(
    text(unseenLabelsPhrase({ unseenLabels: KDDTEST_UNSEEN }, 'KDDTest+', ['normal'])),
    'KDDTest+ holds 18 attack types that never occur in training (3,752 rows; the most frequent: <code>mscan</code>, <code>apache2</code>, <code>processtable</code>, <code>snmpguess</code>, <code>saint</code>)',
  );
  assert.equal(text(unseenLabelsPhrase({ unseenLabels: { perl: 2 } }, 'x', ['normal'])), 'x holds 1 attack type that never occurs in training (2 rows; <code>perl</code>)');
  assert.equal(text(unseenLabelsPhrase({ unseenLabels: { BENIGN: 40, ddos: 1 } }, 'x', ['normal', 'BENIGN'])), 'x holds 2 label values that never occur in training (41 rows; <code>BENIGN</code>, <code>ddos</code>)');
  assert.equal(unseenLabelsPhrase({ unseenLabels: {} }, 'x', ['normal']), null);
  assert.equal(unseenLabelsPhrase({}, 'x', ['normal']), null);

  // the summary's verdict uses the count, never a number quoted for another training file
  const box = holdoutCallouts(run(undefined, KDDTEST_UNSEEN)).value;
  assert.match(box, /KDDTest\+ was recorded separately, and it holds 18 attack types that never occur in training \(3,752 rows; the most frequent: <code>mscan<\/code>/);
  assert.doesNotMatch(box, /17|NSL-KDD test set/);
  // a test set with no unseen labels gets no such clause, and no folklore either
  assert.doesNotMatch(holdoutCallouts(run(undefined, {})).value, /never occur in training/);

  // the data section lists them per hold-out file
  const data = between(await renderTrainingReport(run(undefined, KDDTEST_UNSEEN)), 'data', 'metrics');
  assert.match(data, /<th[^>]*>labels not in training<\/th>/);
  assert.match(data, /<span title="saint 319, mscan 996, [^"]*perl 2[^"]*">18 \(3,752 rows\)<\/span>/);
});
