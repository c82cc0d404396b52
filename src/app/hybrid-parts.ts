/**
 * What a hybrid model's two parts did on a labelled set, and how many rows of labels never seen
 * in training a binary model still flags: the numbers `train`, `evaluate` and the reports show
 * next to accuracy (detection of unknown attacks is the point of the hybrid).
 */
import type { Dataset } from '../data/types.js';
import type { Matrix } from '../features/types.js';
import { FIRED_ANOMALY, FIRED_KNOWN, HybridDetector } from '../learners/hybrid.js';
import type { Detector } from '../model/detector.js';

/** Rows by which part fired: known-attack only, anomaly only, both, neither. */
export interface PartCounts {
  knownAttack: number;
  anomaly: number;
  both: number;
  neither: number;
}

export interface HybridEvaluation {
  /** By true class (normal, attack). */
  byClass: Record<string, PartCounts>;
  /** Attack rows of labels absent from training, by part (when the model knows its training labels). */
  unseen?: PartCounts;
  thresholds: { supervised: number; anomaly: number; gate: number };
  /** Per row, for histograms: the true class, the supervised P(attack) and the anomaly score. */
  y: Int32Array;
  probability: Float64Array;
  anomaly: Float64Array;
}

export interface UnseenDetection {
  /** Attack rows whose raw label never occurs in the training data. */
  rows: number;
  /** Of them, flagged as attacks. */
  detected: number;
  /** detected / rows, null without such rows. */
  rate: number | null;
  /** Per label: rows and detected. */
  byLabel: Record<string, { rows: number; detected: number }>;
}

const empty = (): PartCounts => ({ knownAttack: 0, anomaly: 0, both: 0, neither: 0 });

function add(c: PartCounts, fired: number): void {
  if (fired === (FIRED_KNOWN | FIRED_ANOMALY)) c.both++;
  else if (fired === FIRED_KNOWN) c.knownAttack++;
  else if (fired === FIRED_ANOMALY) c.anomaly++;
  else c.neither++;
}

/** Which raw label values of the scored rows were never seen in training (null: the model does not say). */
export function unseenMask(detector: Detector, ds: Dataset, rows: Uint32Array | null, n: number): Uint8Array | null {
  const train = detector.body.trainLabels;
  if (!train) return null;
  const known = new Set(train);
  const normal = new Set(ds.normalLabels);
  const dict = ds.labels.dictionary.map((v) => !known.has(v) && !normal.has(v));
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const code = ds.labels.codes[rows ? rows[i]! : i]!;
    out[i] = code >= 0 && dict[code] ? 1 : 0;
  }
  return out;
}

/** Detection of the attack rows whose labels training never saw. */
export function unseenDetection(ds: Dataset, rows: Uint32Array | null, mask: Uint8Array, pred: Int32Array): UnseenDetection {
  const byLabel: Record<string, { rows: number; detected: number }> = {};
  let total = 0;
  let detected = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const label = ds.labels.dictionary[ds.labels.codes[rows ? rows[i]! : i]!]!;
    const e = (byLabel[label] ??= { rows: 0, detected: 0 });
    e.rows++;
    total++;
    if (pred[i] === 1) {
      e.detected++;
      detected++;
    }
  }
  return { rows: total, detected, rate: total ? detected / total : null, byLabel };
}

/** The hybrid's parts on scored rows (undefined for another model). */
export function hybridEvaluation(detector: Detector, X: Matrix, y: Int32Array, mask: Uint8Array | null): HybridEvaluation | undefined {
  const h = detector.learner;
  if (!(h instanceof HybridDetector)) return undefined;
  const parts = h.parts(X);
  const classes = detector.classes;
  const byClass: Record<string, PartCounts> = Object.fromEntries(classes.map((c) => [c, empty()]));
  const unseen = mask ? empty() : undefined;
  for (let i = 0; i < X.nRows; i++) {
    add(byClass[classes[y[i]!]!]!, parts.fired[i]!);
    if (unseen && mask![i]) add(unseen, parts.fired[i]!);
  }
  const t = h.thresholds;
  return { byClass, ...(unseen ? { unseen } : {}), thresholds: { supervised: t.supervised, anomaly: t.anomaly, gate: t.gate }, y, probability: parts.probability, anomaly: parts.anomaly };
}
