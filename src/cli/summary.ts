/**
 * What the CLI prints about a model's metrics, shared by `train` and `evaluate`: the `--json`
 * contract's Metrics, the score entry, the threshold line and the importance line.
 */
import { basename } from 'node:path';
import type { TestResult } from '../app/train.js';
import type { Metrics } from '../eval/types.js';
import type { ModelBody } from '../model/types.js';
import { carriedImportance } from '../reports/training-report-charts.js';
import { CV_THRESHOLD_NOTE, thresholdChosenOnCvScores, type ScoreKind } from '../reports/report-common.js';
import { formatFixed } from '../util/format.js';

/** A metric in the CLI's text tables: four decimals, '—' when there is none. */
export function f4(x: number | null | undefined): string {
  return formatFixed(x, 4, '—');
}

/**
 * The text output's importance line: the columns that carried importance (> 0), most important
 * first, with their values — permutation importance when it was measured (what the model needs on
 * held-out rows), else the share of split gain. A column with zero importance is not listed, so a
 * run where one column decides everything says so instead of naming the rest in file order.
 * Empty when the model has neither measure.
 */
export function importanceLine(importance: ModelBody['importance'], scoreName: string, testFile?: string): string {
  const { permutation, gain } = importance;
  const entries = permutation ?? gain;
  if (!entries || !entries.length) return '';
  const where = testFile !== undefined ? basename(testFile) : 'the training data';
  const what = permutation ? `permutation importance: drop in ${scoreName} when shuffled, on ${where}` : 'share of split gain';
  const carried = carriedImportance(entries);
  if (!carried.length) return `most important (${what}): no column carried importance`;
  let total = 0;
  for (const e of carried) total += e.importance;
  const value = (x: number): string => (permutation ? x.toFixed(4) : `${((100 * x) / total).toFixed(1)}%`);
  const shown = carried.slice(0, 5).map((e) => `${e.feature} ${value(e.importance)}`);
  const rest = carried.length - shown.length;
  const none = entries.length - carried.length;
  const tail = [...(rest > 0 ? [`${rest} more`] : []), ...(none > 0 ? [`${none} of ${entries.length} columns carried none`] : [])];
  return `most important (${what}): ${shown.join(', ')}${tail.length ? ` (${tail.join('; ')})` : ''}`;
}

/**
 * The `--json` contract's Metrics: { accuracy, precision, recall, f1, rocAuc, confusionMatrix } plus
 * the rest. For an anomaly score (isolation forest) `logLoss` is null: it is defined on
 * probabilities, and the score is not one (the document's `score` says so).
 */
export function contract(m: Metrics, score?: ScoreKind): Record<string, unknown> {
  const { curves: _c, ...rest } = m;
  return score && !score.probability ? { ...rest, logLoss: null } : rest;
}

/**
 * `train --json`'s `cv` block: the contract's Metrics, and whether the threshold was chosen on
 * these same out-of-fold scores ('auto', 'f1'), which makes the metrics at it optimistic by
 * construction (then with a `note` saying so).
 */
export function cvJson(cv: Metrics, body: Pick<ModelBody, 'decision'>, score?: ScoreKind): Record<string, unknown> {
  const chosen = thresholdChosenOnCvScores(body);
  return { ...contract(cv, score), thresholdChosenOnTheseScores: chosen, ...(chosen ? { note: CV_THRESHOLD_NOTE } : {}) };
}

/**
 * `train --json`'s entry of one test file: the contract's Metrics, the rows left out of them
 * (`skipped`: a class the model was not trained on, e.g. an attack label absent from training with
 * `--target label`) and the raw label values that never occur in the training data, with their
 * row counts (`unseenLabels`).
 */
export function testJson(t: Pick<TestResult, 'metrics' | 'skipped' | 'unseenLabels'>, score?: ScoreKind): Record<string, unknown> {
  return { ...contract(t.metrics, score), skipped: t.skipped, unseenLabels: t.unseenLabels ?? {} };
}

/** The `score` entry of a binary model's JSON: what the threshold is applied to. */
export function scoreJson(score: ScoreKind): Record<string, unknown> {
  return score.probability
    ? { kind: 'probability', name: score.name }
    : { kind: 'anomaly-score', name: score.name, note: `${score.note}; the threshold applies to it, and logLoss is null (not meaningful)` };
}

/** The text output's threshold line, naming what it is applied to. */
export function thresholdLine(score: ScoreKind, threshold: number, method: string): string {
  return score.probability
    ? `decision threshold on ${score.name}: ${threshold.toFixed(4)} (${method})`
    : `decision threshold on the anomaly score s(x): ${threshold.toFixed(4)} (${method}) — ${score.note}`;
}

