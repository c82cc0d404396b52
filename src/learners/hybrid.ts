/**
 * The hybrid detector: a supervised classifier (gbdt by default) for the attacks it was shown, and
 * a profile of normal traffic (profile/knn-profile.ts) for what it was never shown. A row is an
 * attack when the supervised part says so (P(attack) ≥ 0.5) or when it is anomalous with respect to
 * normal traffic (profile score ≥ the anomaly threshold) and the supervised part does not veto it:
 * an anomaly alarm stands only when P(attack) ≥ `gate`, so traffic the supervised part confidently
 * recognises as normal (P(attack) < gate) is not flagged for its distance alone. Binary only; class
 * 0 is normal traffic.
 *
 * The anomaly threshold is set at fit time from the normal training rows alone: they are split into
 * `calibrationFolds` folds, a profile is fitted on all folds but one and scores the held-out fold,
 * and the threshold is the lowest that flags at most `maxFpr` of these out-of-fold scores
 * (profile/calibrate.ts); then the profile is refitted on all normal rows. No other data is read.
 *
 * Its score, `predictProba`'s column 1, combines both parts so that 0.5 is exactly the verdict
 * "either part fires": max(P(attack), v) with v = a / (a + T), a the profile score and T the anomaly
 * threshold (a / (a + T) ≥ 0.5 ⇔ a ≥ T), kept below 0.5 when the gate vetoes the alarm. `parts`
 * gives both scores and which part fired.
 * Which profile and which k were chosen by cross-validation on the training file alone:
 * `npm run bench -- hybrid-select` (bench/hybrid-select.ts; docs/hybrid.md); the gate by its
 * pre-registered round 2 (bench/hybrid-gate.ts); the profile's scale (none: the plain distance),
 * the budget (0.02) and the gate (0.01) by its pre-registered round 3, `npm run bench --
 * hybrid-round3` (bench/hybrid-round3.ts), which added the no-harm rule (CV accuracy within 0.002
 * of gbdt's) to round 2's CV ≥ 0.995.
 */
import { nadirError } from '../errors.js';
import type { Matrix } from '../features/types.js';
import { takeMatrixRows } from '../features/take-rows.js';
import { Random } from '../util/random.js';
import { ClassifierEstimator } from './estimator.js';
import { thresholdAtFpr } from './profile/calibrate.js';
import { KnnProfile, PROFILE_SCALES, type KnnProfileJSON, type ProfileScale } from './profile/knn-profile.js';
import { GBDT_SPEC, GradientBoostingClassifier } from './gbdt.js';
import { LOGREG_SPEC, LogisticRegression } from './logistic-regression.js';
import { RandomForestClassifier, RF_SPEC } from './random-forest.js';
import { findParam, resolveParams, SEED_PARAM, type LearnerSpec } from './spec.js';
import type { Classifier, FitOptions, SerializedModel } from './types.js';
import { checkFitInput, checkPredictInput, readNumber, readSaved } from './validate.js';

const TYPE = 'hybrid';
/** The default profile scale, budget and gate: chosen by bench/hybrid-round3.ts (docs/hybrid.md, round 3). */
const DEFAULT_PROFILE_SCALE: ProfileScale = 'none';
const DEFAULT_MAX_FPR = 0.02;
const DEFAULT_GATE = 0.01;
/**
 * 3: the profile's scale is an option (`profileScale`, stored in the profile too); version 2 files
 * (before it existed) load with profileScale 'none'. 2: the gate and the budget are stored
 * (`fitted.gate`, `fitted.maxFpr`); version 1 files load with gate 0, budget 0.05.
 */
const VERSION = 3;
const WHO = 'HybridDetector';
/** Supervised learners the hybrid can use. */
export const HYBRID_SUPERVISED = ['gbdt', 'rf', 'logreg'] as const;
/**
 * The supervised learners, imported directly rather than through the registry (which imports this
 * file: a cycle would leave HYBRID_SPEC uninitialised for whoever imports this file first).
 */
const SUPERVISED: Record<(typeof HYBRID_SUPERVISED)[number], { spec: LearnerSpec; create(o: Record<string, unknown>): Classifier; fromJSON(obj: unknown, source: string): Classifier }> = {
  gbdt: { spec: GBDT_SPEC, create: (o) => new GradientBoostingClassifier(o), fromJSON: (obj, source) => GradientBoostingClassifier.fromJSON(obj, source) },
  rf: { spec: RF_SPEC, create: (o) => new RandomForestClassifier(o), fromJSON: (obj, source) => RandomForestClassifier.fromJSON(obj, source) },
  logreg: { spec: LOGREG_SPEC, create: (o) => new LogisticRegression(o), fromJSON: (obj, source) => LogisticRegression.fromJSON(obj, source) },
};

/** Options handed on to the supervised learner when it takes them. */
const FORWARDED = ['nEstimators', 'maxDepth', 'learningRate', 'maxFeatures', 'C'] as const;

export interface HybridOptions {
  supervised?: (typeof HYBRID_SUPERVISED)[number];
  /** k of the k-nearest-neighbour profile (default 1: chosen by bench/hybrid-select.ts). */
  neighbors?: number;
  /** 'none': the distance to normal traffic; 'local': that distance over the local spacing of normal traffic at the nearest normal row. */
  profileScale?: ProfileScale;
  /** Largest share of normal training rows (out-of-fold) the anomaly part may flag (default 0.02: round 3). */
  maxFpr?: number;
  /** The supervised part's veto: an anomaly alarm stands only when P(attack) ≥ gate (0: never vetoed). */
  gate?: number;
  calibrationFolds?: number;
  nEstimators?: number;
  maxDepth?: number;
  learningRate?: number;
  maxFeatures?: number | string;
  C?: number;
  seed?: number;
  nThreads?: number;
}

export const HYBRID_SPEC: LearnerSpec = {
  type: TYPE,
  name: 'hybrid detector',
  description: 'hybrid: a supervised classifier (gbdt) OR a k-nearest-neighbour profile of normal traffic; says which part fired',
  kind: 'classifier',
  score: 'probability',
  scoreText: {
    name: 'hybrid score',
    note: 'max(P(attack) of the supervised part, a / (a + T)) with a the distance to normal traffic and T its threshold: ≥ 0.5 exactly when either part fires; not a calibrated probability',
  },
  explainer: 'tree-shap',
  importance: 'gain',
  supportsWeights: false,
  targets: ['binary'],
  preprocessing: { encoding: 'onehot' },
  params: [
    { name: 'supervised', type: 'word', words: HYBRID_SUPERVISED, default: 'gbdt', help: 'the supervised part' },
    { name: 'neighbors', type: 'integer', min: 1, max: 100, default: 1, help: 'k of the profile: the mean distance to the k nearest normal training rows' },
    {
      name: 'profileScale',
      type: 'word',
      words: PROFILE_SCALES,
      default: DEFAULT_PROFILE_SCALE,
      help: "the profile's score: none = the distance to the nearest normal training row; local = that distance over the spacing of normal rows around that row (far for its region)",
    },
    { name: 'maxFpr', type: 'number', gt: 0, max: 0.5, default: DEFAULT_MAX_FPR, help: 'largest share of normal training rows (out-of-fold) the anomaly part may flag' },
    { name: 'gate', type: 'number', min: 0, max: 0.5, default: DEFAULT_GATE, help: "the supervised part's veto: an anomaly alarm stands only when its P(attack) ≥ gate (0: never vetoed)" },
    { name: 'calibrationFolds', type: 'integer', min: 2, max: 20, default: 5, help: 'folds of normal training rows for the out-of-fold anomaly threshold' },
    { name: 'nEstimators', aliases: ['nTrees', 'nRounds'], type: 'integer', min: 1, defaultText: 'its part’s', help: "the supervised part's trees (its own default)" },
    { name: 'maxDepth', type: 'integer', min: 1, max: 64, defaultText: 'its part’s', help: "the supervised part's tree depth (its own default)" },
    { name: 'learningRate', type: 'number', gt: 0, defaultText: 'its part’s', help: "gbdt's shrinkage (its own default)" },
    { name: 'maxFeatures', type: 'number', gt: 0, max: 1, words: ['sqrt', 'log2'], defaultText: 'its part’s', help: "rf's features per split (its own default)" },
    { name: 'C', type: 'number', gt: 0, defaultText: 'its part’s', help: "logreg's inverse regularisation (its own default)" },
    SEED_PARAM,
    { name: 'nThreads', type: 'integer', min: 1, max: 256, defaultText: 'its part’s', help: "the supervised part's worker threads (its own default)" },
  ],
};

interface Resolved {
  supervised: (typeof HYBRID_SUPERVISED)[number];
  neighbors: number;
  profileScale: ProfileScale;
  maxFpr: number;
  gate: number;
  calibrationFolds: number;
  seed: number;
  /** Options of the supervised learner. */
  inner: Record<string, unknown>;
}

function resolve(o: HybridOptions): Resolved {
  const p = resolveParams(WHO, HYBRID_SPEC.params, o);
  const supervised = p.supervised as (typeof HYBRID_SUPERVISED)[number];
  const spec = SUPERVISED[supervised].spec;
  const inner: Record<string, unknown> = {};
  for (const name of FORWARDED) {
    if (p[name] === undefined) continue;
    if (!findParam(spec, name)) throw nadirError('NADIR_ERR_BAD_OPTION', name, `does not apply to the hybrid's supervised part ${supervised}`);
    inner[name] = p[name];
  }
  if (findParam(spec, 'seed')) inner.seed = p.seed;
  if (p.nThreads !== undefined && findParam(spec, 'nThreads')) inner.nThreads = p.nThreads;
  return { supervised, neighbors: p.neighbors as number, profileScale: p.profileScale as ProfileScale, maxFpr: p.maxFpr as number, gate: p.gate as number, calibrationFolds: p.calibrationFolds as number, seed: p.seed as number, inner };
}

/** Which part fired, per row: bit 0 the supervised part (known attack), bit 1 the anomaly part. */
export const FIRED_KNOWN = 1;
export const FIRED_ANOMALY = 2;

export interface HybridParts {
  /** The supervised part's P(attack). */
  probability: Float64Array;
  /** The profile's anomaly score (mean distance to the k nearest normal training rows; over their local spacing with profileScale 'local'). */
  anomaly: Float64Array;
  /** FIRED_KNOWN | FIRED_ANOMALY bits per row. */
  fired: Uint8Array;
}

export interface HybridThresholds {
  /** On the supervised part's P(attack). */
  supervised: number;
  /** On the profile's anomaly score; chosen on out-of-fold normal training rows. */
  anomaly: number;
  /** The profile's score: 'none' the distance, 'local' the distance over the local spacing. */
  profileScale: ProfileScale;
  maxFpr: number;
  /** The supervised part's veto: the anomaly part fires only when P(attack) ≥ gate. */
  gate: number;
  /** Share of the normal training rows' out-of-fold scores the anomaly threshold flags (distance alone, before the gate). */
  oofFpr: number;
  /** Normal training rows the profile was fitted on. */
  normalRows: number;
}

interface Fitted {
  classes: readonly string[];
  nFeatures: number;
  supervised: Classifier;
  profile: KnnProfile;
  anomalyThreshold: number;
  maxFpr: number;
  gate: number;
  oofFpr: number;
  normalRows: number;
}

/** The supervised part's fixed threshold on P(attack). */
const SUPERVISED_THRESHOLD = 0.5;
const BELOW_HALF = 0.49999999999999994;

export class HybridDetector extends ClassifierEstimator<HybridOptions, Fitted> implements Classifier {
  readonly type = TYPE;
  protected readonly who = WHO;

  async fit(X: Matrix, y: Int32Array, opts: FitOptions = {}): Promise<this> {
    const o = resolve(this.options);
    const { classes } = checkFitInput(WHO, X, y, opts);
    if (classes.length !== 2) throw nadirError('NADIR_ERR_BAD_INPUT', `${WHO}: the hybrid detector is binary (normal vs attack), got ${classes.length} classes`);
    if (opts.sampleWeight) throw nadirError('NADIR_ERR_BAD_INPUT', `${WHO}: sample weights are not supported`);
    const normal: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === 0) normal.push(i);
    if (normal.length < o.calibrationFolds) {
      throw nadirError('NADIR_ERR_BAD_INPUT', `${WHO}: ${normal.length} normal rows (class '${classes[0]}'): the profile of normal traffic needs at least ${o.calibrationFolds} (calibrationFolds)`);
    }
    const supervised = SUPERVISED[o.supervised].create(o.inner);
    await supervised.fit(X, y, { classes, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
    const { threshold, fpr } = calibrate(X, normal, o);
    const profile = new KnnProfile(o.neighbors, {}, o.profileScale);
    profile.fit(takeMatrixRows(X, Uint32Array.from(normal)), o.seed);
    this.fitted = { classes, nFeatures: X.nCols, supervised, profile, anomalyThreshold: threshold, maxFpr: o.maxFpr, gate: o.gate, oofFpr: fpr, normalRows: normal.length };
    return this;
  }

  /** Both parts' scores and which part fired. */
  parts(X: Matrix): HybridParts {
    const f = this.state();
    checkPredictInput(WHO, X, f.nFeatures);
    const P = f.supervised.predictProba(X);
    const anomaly = X.nRows > 0 ? f.profile.score(X) : new Float64Array(0);
    const probability = new Float64Array(X.nRows);
    const fired = new Uint8Array(X.nRows);
    for (let i = 0; i < X.nRows; i++) {
      probability[i] = P[2 * i + 1]!;
      fired[i] = (probability[i]! >= SUPERVISED_THRESHOLD ? FIRED_KNOWN : 0) | (anomalyFires(anomaly[i]!, probability[i]!, f) ? FIRED_ANOMALY : 0);
    }
    return { probability, anomaly, fired };
  }

  predictProba(X: Matrix): Float64Array {
    const f = this.state();
    const { probability, anomaly } = this.parts(X);
    const out = new Float64Array(2 * X.nRows);
    const T = f.anomalyThreshold;
    for (let i = 0; i < X.nRows; i++) {
      const a = anomaly[i]!;
      const r = a / (a + T);
      const v = anomalyFires(a, probability[i]!, f) ? Math.max(0.5, r) : Math.min(r, BELOW_HALF);
      const c = Math.max(probability[i]!, v);
      out[2 * i] = 1 - c;
      out[2 * i + 1] = c;
    }
    return out;
  }

  get thresholds(): HybridThresholds {
    const f = this.state();
    return { supervised: SUPERVISED_THRESHOLD, anomaly: f.anomalyThreshold, profileScale: f.profile.scale, maxFpr: f.maxFpr, gate: f.gate, oofFpr: f.oofFpr, normalRows: f.normalRows };
  }

  /** The supervised part (TreeSHAP, importance). */
  get supervised(): Classifier {
    return this.state().supervised;
  }

  /** Per-column contributions to the anomaly score (row-major nRows × nFeatures), summing to it exactly (knn-profile.ts). */
  anomalyContributions(X: Matrix): Float64Array {
    const f = this.state();
    checkPredictInput(WHO, X, f.nFeatures);
    return f.profile.contributions(X);
  }

  featureImportance(): Float64Array | undefined {
    return (this.state().supervised as { featureImportance?: () => Float64Array }).featureImportance?.();
  }

  toJSON(): SerializedModel {
    const f = this.state();
    return this.saved(VERSION, {
      supervised: f.supervised.toJSON(),
      profile: f.profile.toJSON(),
      anomalyThreshold: f.anomalyThreshold,
      maxFpr: f.maxFpr,
      gate: f.gate,
      oofFpr: f.oofFpr,
      normalRows: f.normalRows,
    });
  }

  static fromJSON(obj: unknown, source = 'model'): HybridDetector {
    const head = readSaved<HybridOptions, Resolved>(obj, { type: TYPE, version: VERSION, oldest: 1 }, source, resolve, (c) => {
      if (c.length !== 2) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'a hybrid detector has exactly 2 classes');
    });
    const { version, fitted: fd, classes, nFeatures } = head;
    // files written before the profile's scale existed (versions 1 and 2) scored the raw distance
    const options: HybridOptions = version < 3 ? { ...head.options, profileScale: 'none' } : head.options;
    const resolved = version < 3 ? { ...head.resolved, profileScale: 'none' as const } : head.resolved;
    const s = fd.supervised;
    if (s === null || typeof s !== 'object' || (s as { type?: unknown }).type !== resolved.supervised) {
      throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `fitted.supervised must be a saved '${resolved.supervised}' learner`);
    }
    const supervised = SUPERVISED[resolved.supervised].fromJSON(s, source);
    if (supervised.classes.length !== 2) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, "the hybrid's supervised part must have 2 classes");
    const profile = KnnProfile.fromJSON(fd.profile as KnnProfileJSON, nFeatures, source);
    if (profile.k !== resolved.neighbors) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `profile k = ${profile.k}, options say neighbors = ${resolved.neighbors}`);
    if (profile.scale !== resolved.profileScale) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `profile scale '${profile.scale}', options say profileScale = '${resolved.profileScale}'`);
    const anomalyThreshold = readNumber(fd, 'anomalyThreshold', { gt: 0 }, source);
    // version 1 files (before the gate existed) decide without it, at the budget that was the default then (0.05)
    const gate = version === 1 ? 0 : readNumber(fd, 'gate', { min: 0, max: 0.5 }, source);
    const maxFpr = version === 1 ? (options.maxFpr ?? 0.05) : readNumber(fd, 'maxFpr', { gt: 0, max: 0.5 }, source);
    const oofFpr = readNumber(fd, 'oofFpr', { min: 0, max: 1 }, source);
    const normalRows = readNumber(fd, 'normalRows', { integer: true, min: 1 }, source);
    const m = new HybridDetector(options);
    m.fitted = { classes, nFeatures, supervised, profile, anomalyThreshold, maxFpr, gate, oofFpr, normalRows };
    return m;
  }
}

/** The anomaly part fires: far enough from normal traffic, and not vetoed by the supervised part. */
function anomalyFires(anomaly: number, probability: number, f: Pick<Fitted, 'anomalyThreshold' | 'gate'>): boolean {
  return anomaly >= f.anomalyThreshold && probability >= f.gate;
}

/** The anomaly threshold from out-of-fold profile scores of the normal rows (see the file's comment). */
function calibrate(X: Matrix, normal: readonly number[], o: Resolved): { threshold: number; fpr: number } {
  return thresholdAtFpr(outOfFoldNormalScores(X, normal, o), o.maxFpr);
}

/**
 * Out-of-fold profile scores of the normal rows `normal` of X, in a shuffled order (only their
 * distribution is used): `calibrationFolds` folds, a k-NN profile fitted on all but one scores the
 * held-out one. Exported for the selection benchmark
 * (bench/hybrid-gate.ts), which calibrates several budgets from one set of scores.
 */
export function outOfFoldNormalScores(X: Matrix, normal: readonly number[], o: { calibrationFolds: number; neighbors: number; seed: number; profileScale?: ProfileScale }): Float64Array {
  const K = o.calibrationFolds;
  const order = new Random(o.seed ^ 0x5eed).shuffle(Uint32Array.from(normal));
  const oof = new Float64Array(order.length);
  for (let g = 0; g < K; g++) {
    const fit: number[] = [];
    const held: number[] = [];
    for (let i = 0; i < order.length; i++) (i % K === g ? held : fit).push(i);
    const p = new KnnProfile(o.neighbors, {}, o.profileScale ?? 'none');
    p.fit(takeMatrixRows(X, Uint32Array.from(fit, (i) => order[i]!)), o.seed + 1 + g);
    const s = p.score(takeMatrixRows(X, Uint32Array.from(held, (i) => order[i]!)));
    held.forEach((i, j) => (oof[i] = s[j]!));
  }
  return oof;
}
