/**
 * The decision policy: how a model turns its scores into a verdict, stored in the model file in
 * place of a bare threshold, so that a model whose verdict needs more than one number (a composite:
 * a classifier and an anomaly profile, each with its threshold) fits without special cases.
 *
 * - `argmax`: the most probable class (multi-class models);
 * - `threshold`: class 1 (attack / anomaly) when the score in column 1 is ≥ `threshold`, where the
 *   score is P(attack) or an anomaly score (not a probability); `method` and the rates say how the
 *   threshold was chosen (on training data only).
 */
import { nadirError } from '../errors.js';

export interface ThresholdInfo {
  /** 'fixed', 'max-fpr' / 'f1' (on out-of-fold scores: oofFpr/oofTpr), 'max-fpr-in-sample' (training rows' own scores: trainFpr/trainTpr). */
  method: string;
  maxFpr?: number;
  oofFpr?: number | null;
  oofTpr?: number | null;
  trainFpr?: number | null;
  trainTpr?: number | null;
  /**
   * A composite model (the hybrid detector): each part's threshold. The decision's own threshold
   * applies to the combined score, which reaches it exactly when either part fires.
   */
  parts?: HybridDecisionParts;
}

export interface HybridDecisionParts {
  /** On the supervised part's P(attack). */
  supervised: { threshold: number };
  /**
   * On the profile's anomaly score: at most maxFpr of the normal training rows' out-of-fold scores
   * reach it (oofFpr). `gate`: the alarm stands only when the supervised P(attack) ≥ gate (absent in
   * models written before the gate existed: 0, never vetoed). `profileScale`: the score is the
   * distance to the nearest normal training row ('none'; absent in models written before round 3)
   * or that distance over the local spacing of normal rows there ('local').
   */
  anomaly: { threshold: number; method: 'max-fpr-oof-normal'; maxFpr: number; oofFpr: number; normalRows: number; gate?: number; profileScale?: 'none' | 'local' };
}

export interface ThresholdDecision extends ThresholdInfo {
  kind: 'threshold';
  /** What the threshold applies to (column 1 of the scores). */
  score: 'probability' | 'anomaly-score';
  threshold: number;
}

export type DecisionPolicy = { kind: 'argmax' } | ThresholdDecision;

/** The verdict per row of an nRows × k score matrix. */
export function decide(policy: DecisionPolicy, scores: Float64Array, k: number): Int32Array {
  const n = scores.length / k;
  const pred = new Int32Array(n);
  if (policy.kind === 'threshold') {
    const t = policy.threshold;
    for (let i = 0; i < n; i++) pred[i] = scores[i * k + 1]! >= t ? 1 : 0;
    return pred;
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (scores[i * k + c]! > scores[i * k + best]!) best = c;
    pred[i] = best;
  }
  return pred;
}

/** The threshold of a threshold policy, else null. */
export function thresholdOf(body: { decision: DecisionPolicy }): number | null {
  return body.decision.kind === 'threshold' ? body.decision.threshold : null;
}

/** How a threshold policy's threshold was chosen, else undefined. */
export function thresholdInfoOf(body: { decision: DecisionPolicy }): ThresholdInfo | undefined {
  if (body.decision.kind !== 'threshold') return undefined;
  const { kind: _k, score: _s, threshold: _t, ...info } = body.decision;
  return info;
}

/** Check a policy read from a model file; `classes` is the model's class count. */
export function checkDecision(policy: unknown, classes: number, source: string): DecisionPolicy {
  const bad = (why: string): Error => nadirError('NADIR_ERR_MODEL_CORRUPT', source, why);
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) throw bad('decision must be an object');
  const p = policy as Record<string, unknown>;
  if (p.kind === 'argmax') return { kind: 'argmax' };
  if (p.kind !== 'threshold') throw bad(`unknown decision kind ${JSON.stringify(p.kind)} (expected argmax or threshold)`);
  if (classes !== 2) throw bad(`a threshold decision needs 2 classes, the model has ${classes}`);
  if (p.score !== 'probability' && p.score !== 'anomaly-score') throw bad(`decision score must be 'probability' or 'anomaly-score', got ${JSON.stringify(p.score)}`);
  const t = p.threshold;
  // a calibrated threshold may sit just above the highest score (1.0000000000000002: flag nothing)
  if (p.score === 'probability' ? !(typeof t === 'number' && t >= 0 && t <= 1 + 1e-9) : !(typeof t === 'number' && Number.isFinite(t))) {
    throw bad(`decision threshold must be a number${p.score === 'probability' ? ' in [0, 1]' : ''}, got ${JSON.stringify(t)}`);
  }
  if (typeof p.method !== 'string') throw bad('decision method must be a string');
  return p as unknown as ThresholdDecision;
}

/**
 * Model format 1 kept a bare `threshold` (null for multi-class) and `thresholdInfo`: the same
 * decision as a policy. `score` is what the learner's score is (its spec says).
 */
export function decisionFromV1(threshold: unknown, info: unknown, score: ThresholdDecision['score'], source: string): DecisionPolicy {
  if (threshold === null || threshold === undefined) return { kind: 'argmax' };
  if (!(typeof threshold === 'number' && threshold >= 0 && threshold <= 1 + 1e-9)) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `threshold must be a number in [0, 1] or null, got ${JSON.stringify(threshold)}`);
  }
  const rest = info !== null && typeof info === 'object' && !Array.isArray(info) ? (info as ThresholdInfo) : { method: 'fixed' };
  return { kind: 'threshold', score, threshold, ...rest };
}
