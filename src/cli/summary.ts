/**
 * What the CLI prints about a model's metrics, shared by `train` and `evaluate`: the `--json`
 * contract's Metrics, the score entry, the threshold line and the importance line.
 */
import { basename } from 'node:path';
import type { HybridEvaluation, PartCounts, UnseenDetection } from '../app/hybrid-parts.js';
import type { TestResult } from '../app/train.js';
import type { Metrics } from '../eval/types.js';
import type { ModelBody } from '../model/types.js';
import { carriedImportance } from '../reports/training-report-charts.js';
import { CV_THRESHOLD_NOTE, thresholdChosenOnCvScores, type ScoreKind } from '../reports/report-common.js';
import { formatFixed } from '../util/format.js';
import { flagOf } from './flags.js';

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
  const out: Record<string, unknown> = score && !score.probability ? { ...rest, logLoss: null } : rest;
  if (m.task === 'binary') {
    out.detectionRate = m.tpr ?? null;
    out.balancedAccuracy = balancedAccuracy(m);
  }
  return out;
}

/** Binary: (true-positive rate + true-negative rate) / 2, null when either class is absent. */
export function balancedAccuracy(m: Metrics): number | null {
  return m.tpr === undefined || m.tpr === null || m.fpr === undefined || m.fpr === null ? null : (m.tpr + 1 - m.fpr) / 2;
}

/** The `--json` form of a hybrid evaluation and of the detection of unseen labels (counts; no per-row arrays). */
export function hybridJson(h: HybridEvaluation | undefined, u: UnseenDetection | undefined): Record<string, unknown> {
  return {
    ...(u ? { unseenDetection: u } : {}),
    ...(h ? { hybrid: { thresholds: h.thresholds, byClass: h.byClass, ...(h.unseen ? { unseen: h.unseen } : {}) } } : {}),
  };
}

/** Text lines about a hybrid evaluation and unseen labels (empty when there is neither). */
export function hybridLines(name: string, h: HybridEvaluation | undefined, u: UnseenDetection | undefined): string[] {
  const out: string[] = [];
  if (u && u.rows > 0) out.push(`${name}: attack labels absent from training: ${u.detected.toLocaleString('en-US')} of ${u.rows.toLocaleString('en-US')} rows detected (${f4(u.rate)})`);
  if (h) {
    const parts = (c: PartCounts): string => `known-attack ${c.knownAttack}, anomaly ${c.anomaly}, both ${c.both}, neither ${c.neither}`;
    for (const [cls, c] of Object.entries(h.byClass)) out.push(`${name}: ${cls} rows by part that fired: ${parts(c)}`);
    if (h.unseen) out.push(`${name}: unseen-label attack rows by part: ${parts(h.unseen)}`);
  }
  return out;
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
export function testJson(t: Pick<TestResult, 'metrics' | 'skipped' | 'unseenLabels' | 'unseenDetection' | 'hybrid'>, score?: ScoreKind): Record<string, unknown> {
  return { ...contract(t.metrics, score), skipped: t.skipped, unseenLabels: t.unseenLabels ?? {}, ...hybridJson(t.hybrid, t.unseenDetection) };
}

/** The hybrid's two thresholds in words (from the model's decision), or '' for another model. */
export function hybridThresholdLine(body: Pick<ModelBody, 'decision'>): string {
  const parts = body.decision.kind === 'threshold' ? body.decision.parts : undefined;
  if (!parts) return '';
  const a = parts.anomaly;
  return `hybrid: known-attack when the supervised P(attack) ≥ ${parts.supervised.threshold.toFixed(4)}; anomaly when the ${anomalyScoreName(a.profileScale)} ≥ ${a.threshold.toFixed(4)} and the supervised P(attack) ≥ ${a.gate ?? 0} (the gate; the ${a.profileScale === 'local' ? 'score' : 'distance'} alone flags ${f4(a.oofFpr)} of ${a.normalRows.toLocaleString('en-US')} normal training rows out-of-fold; budget ${a.maxFpr})`;
}

/** What the anomaly part's score is, in words. */
export function anomalyScoreName(scale: 'none' | 'local' | undefined): string {
  return scale === 'local' ? `distance to normal traffic over its local spacing (${flagOf('profileScale')} local)` : 'distance to normal traffic';
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

