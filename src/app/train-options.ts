/**
 * The train use case's options: named fields with their rules, checked once, before anything is
 * loaded. Errors name the option (errors.ts opt()); each front end spells it its own way.
 */
import type { TargetKind } from '../data/types.js';
import { nadirError, opt } from '../errors.js';
import { MAX_CATEGORIES } from '../features/one-hot.js';
import { findParam, paramDefault, resolveParams, SEED_PARAM, checkParam, type LearnerSpec, type ParamSpec } from '../learners/spec.js';
import { LEARNER_TYPES, learnerSpec } from '../learners/registry.js';

export type ThresholdRule = number | 'auto' | 'f1';

/** The options of `train` other than the learner's own (those are in each learner's spec). */
export const TRAIN_PARAMS = {
  model: { name: 'model', type: 'word', words: LEARNER_TYPES, default: 'gbdt', help: 'learner' },
  target: { name: 'target', type: 'word', words: ['binary', 'category', 'label'], default: 'binary', help: 'binary (normal vs attack) | category | label' },
  cv: {
    name: 'cv',
    type: 'integer',
    accept: (v) => v === 0 || (v >= 2 && v <= 50),
    expected: '0 (no cross-validation) or a whole number of folds from 2 to 50',
    default: 5,
    help: 'folds of stratified cross-validation: 0 (none) or 2 to 50',
  },
  seed: { ...SEED_PARAM, help: 'random seed of folds, sampling and permutations' },
  threads: { name: 'threads', type: 'integer', min: 1, max: 256, defaultText: 'all cores', help: 'worker threads of the learners that fan out' },
  threshold: {
    name: 'threshold',
    type: 'number',
    min: 0,
    max: 1,
    words: ['auto', 'f1'],
    expected: "a probability from 0 to 1, 'auto' or 'f1'",
    help: 'binary target: decision threshold on the score',
  },
  maxFpr: {
    name: 'maxFpr',
    type: 'number',
    min: 0,
    max: 1,
    default: 0.01,
    help: "target false-positive rate of threshold 'auto'; hybrid: of its anomaly part on normal training rows (default 0.02)",
  },
  permutationRepeats: { name: 'permutationRepeats', type: 'integer', min: 0, default: 3, help: 'permutation-importance repeats (0 = skip)' },
  permutationRows: { name: 'permutationRows', type: 'integer', min: 1, default: 5000, help: 'rows sampled for permutation importance' },
  maxCategories: { name: 'maxCategories', type: 'integer', min: 1, default: MAX_CATEGORIES, help: "categories one-hot keeps per categorical column, most frequent first; the rarer ones share an '<other>' column" },
} as const satisfies Record<string, ParamSpec>;

export interface TrainChoices {
  model?: string;
  target?: TargetKind;
  /** Folds of stratified cross-validation: 0 = none, or 2..50. */
  cv?: number;
  seed?: number;
  /** Worker threads, for the learners that take them. */
  threads?: number;
  /** The learner's own options (nEstimators, maxDepth, learningRate, …; see its spec), as given. */
  learner?: Record<string, unknown>;
  /** Binary task: a fixed threshold, 'auto' (maxFpr on out-of-fold scores) or 'f1'. Default: 0.5 for a probability, 'auto' for an anomaly score. */
  threshold?: ThresholdRule;
  /** With threshold 'auto': target false-positive rate on normal training rows (default 0.01); the hybrid's anomaly budget (default 0.02). */
  maxFpr?: number;
  permutationRepeats?: number;
  permutationRows?: number;
  /** Categories kept per categorical input column (most frequent first); the rest share `<other>` (default 100). */
  maxCategories?: number;
}

export interface ResolvedTrain {
  model: string;
  spec: LearnerSpec;
  target: TargetKind;
  cv: number;
  seed: number;
  /** Options handed to the learner: as given, plus the seed and threads where it takes them. */
  learner: Record<string, unknown>;
  /** As given (undefined: the learner's default rule, see thresholdRule). */
  threshold: ThresholdRule | undefined;
  maxFpr: number;
  permutationRepeats: number;
  permutationRows: number;
  maxCategories: number;
}

/**
 * Every option checked, in the order a user reads them: the model and target, then the numbers,
 * then what depends on them (a threshold needs a binary target; 'auto'/'f1' need cross-validation;
 * a learner option must be one the chosen learner takes, within its range).
 */
export function resolveTrainOptions(o: TrainChoices): ResolvedTrain {
  const P = TRAIN_PARAMS;
  const model = String(checkOr(P.model, o.model));
  const spec = learnerSpec(model);
  const target = checkOr(P.target, o.target) as TargetKind;
  if (!spec.targets.includes(target)) {
    const why = spec.kind === 'anomaly-detector' ? 'is unsupervised: it only scores normal vs anomalous' : 'is binary: normal traffic against attacks';
    throw nadirError('NADIR_ERR_BAD_OPTION', 'target', `the ${spec.name} ${why} (use ${opt('target')} binary)`);
  }
  const cv = checkOr(P.cv, o.cv) as number;
  const seed = checkOr(P.seed, o.seed) as number;
  const threads = o.threads === undefined ? undefined : (checkParam(P.threads, o.threads) as number);
  // the hybrid's budget is its anomaly part's (its own option maxFpr, default 0.02: see learners/hybrid.ts)
  const hybrid = model === 'hybrid';
  const maxFpr = hybrid && o.maxFpr === undefined ? (paramDefault(findParam(spec, 'maxFpr')!) as number) : (checkOr(P.maxFpr, o.maxFpr) as number);
  const permutationRepeats = checkOr(P.permutationRepeats, o.permutationRepeats) as number;
  const permutationRows = checkOr(P.permutationRows, o.permutationRows) as number;
  const maxCategories = checkOr(P.maxCategories, o.maxCategories) as number;
  let threshold: ThresholdRule | undefined;
  if (o.threshold !== undefined) {
    if (target !== 'binary') {
      throw nadirError('NADIR_ERR_BAD_OPTION', 'threshold', `applies to ${opt('target')} binary only (a ${target} model predicts its most probable class)`);
    }
    threshold = checkParam(P.threshold, o.threshold) as ThresholdRule;
    if (typeof threshold === 'string' && cv < 2) {
      throw nadirError('NADIR_ERR_BAD_OPTION', 'threshold', `'${threshold}' is chosen from out-of-fold scores: it needs ${opt('cv')} 2 or more`);
    }
  }
  const given = o.learner ?? {};
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw nadirError('NADIR_ERR_BAD_OPTION', 'learner', 'expected an object of learner options');
  for (const name of Object.keys(given)) {
    if (!findParam(spec, name)) throw nadirError('NADIR_ERR_BAD_OPTION', name, `does not apply to ${opt('model')} ${model}`);
  }
  const learner: Record<string, unknown> = { ...given };
  if (findParam(spec, 'seed') && learner.seed === undefined) learner.seed = seed;
  if (threads !== undefined && findParam(spec, 'nThreads')) learner.nThreads = threads;
  if (hybrid) {
    if (learner.maxFpr !== undefined && learner.maxFpr !== maxFpr && o.maxFpr !== undefined) throw nadirError('NADIR_ERR_BAD_OPTION', 'maxFpr', `given twice with different values (${String(o.maxFpr)}, ${String(learner.maxFpr)})`);
    learner.maxFpr ??= maxFpr;
  }
  resolveParams(spec.type, spec.params, learner); // each value within its range (the learner checks the same rules when it fits)
  return { model, spec, target, cv, seed, learner, threshold, maxFpr, permutationRepeats, permutationRows, maxCategories };
}

/** The threshold rule in force: as given, else 0.5 for a probability and 'auto' for an anomaly score (not a probability). */
export function thresholdRule(r: ResolvedTrain): ThresholdRule {
  return r.threshold ?? (r.spec.score === 'anomaly-score' ? 'auto' : 0.5);
}

function checkOr(p: ParamSpec, value: unknown): unknown {
  return value === undefined ? p.default : checkParam(p, value);
}
