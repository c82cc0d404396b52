/**
 * The learner registry: one place that knows every learner type, so the CLI, the model artifact
 * and the server can create a learner by name and restore a saved one without knowing classes.
 */
import { nadirError } from '../errors.js';
import { GBDT_SPEC, GradientBoostingClassifier } from './gbdt.js';
import { HYBRID_SPEC, HybridDetector } from './hybrid.js';
import { IFOREST_SPEC, IsolationForest } from './isolation-forest.js';
import { LOGREG_SPEC, LogisticRegression } from './logistic-regression.js';
import { RandomForestClassifier, RF_SPEC } from './random-forest.js';
import type { LearnerSpec } from './spec.js';
import type { Learner } from './types.js';

/** A learner: its spec (spec.ts), how to make a new one and how to restore a saved one. */
interface Entry {
  readonly spec: LearnerSpec;
  create(options: Record<string, unknown>): Learner;
  fromJSON(obj: unknown, source: string): Learner;
}

const REGISTRY = {
  gbdt: { spec: GBDT_SPEC, create: (o) => new GradientBoostingClassifier(o), fromJSON: (obj, source) => GradientBoostingClassifier.fromJSON(obj, source) },
  rf: { spec: RF_SPEC, create: (o) => new RandomForestClassifier(o), fromJSON: (obj, source) => RandomForestClassifier.fromJSON(obj, source) },
  logreg: { spec: LOGREG_SPEC, create: (o) => new LogisticRegression(o), fromJSON: (obj, source) => LogisticRegression.fromJSON(obj, source) },
  iforest: { spec: IFOREST_SPEC, create: (o) => new IsolationForest(o), fromJSON: (obj, source) => IsolationForest.fromJSON(obj, source) },
  hybrid: { spec: HYBRID_SPEC, create: (o) => new HybridDetector(o), fromJSON: (obj, source) => HybridDetector.fromJSON(obj, source) },
} as const satisfies Record<string, Entry>;

export type LearnerType = keyof typeof REGISTRY;

/** Every registered learner type. */
export const LEARNER_TYPES = Object.keys(REGISTRY) as readonly LearnerType[];

export function isLearnerType(t: unknown): t is LearnerType {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(REGISTRY, t);
}

/** Every learner's spec, in registry order. */
export const LEARNER_SPECS: readonly LearnerSpec[] = LEARNER_TYPES.map((t) => REGISTRY[t].spec);

/** One-line description of a learner type. */
export function describeLearner(type: LearnerType): string {
  return REGISTRY[type].spec.description;
}

/** The spec of a learner type; an unknown type is refused naming `option` (default 'model'). */
export function learnerSpec(type: string, option = 'model'): LearnerSpec {
  if (!isLearnerType(type)) throw nadirError('NADIR_ERR_BAD_OPTION', option, `expected one of ${LEARNER_TYPES.join(', ')}, got '${type}'`);
  return REGISTRY[type].spec;
}

/**
 * A new, unfitted learner. Options are stored as given and validated by `fit`, like every
 * learner's constructor; an unknown type is refused here.
 */
export function createLearner<T extends LearnerType>(type: T, options?: Record<string, unknown>): ReturnType<(typeof REGISTRY)[T]['create']>;
export function createLearner(type: string, options?: Record<string, unknown>): Learner;
export function createLearner(type: string, options: Record<string, unknown> = {}): Learner {
  if (!isLearnerType(type)) {
    throw nadirError('NADIR_ERR_BAD_OPTION', 'type', `unknown learner '${type}' (known: ${LEARNER_TYPES.join(', ')})`);
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw nadirError('NADIR_ERR_BAD_OPTION', `${type} options`, 'expected an object');
  }
  return REGISTRY[type].create(options);
}

/**
 * Restore a learner from its `toJSON()` form (typed arrays already decoded, see util/typed-json).
 * A non-object, a missing or unknown `type` → NADIR_ERR_MODEL_CORRUPT; a layout version this build
 * does not read → NADIR_ERR_MODEL_VERSION (raised by the learner's own `fromJSON`).
 */
export function learnerFromJSON(obj: unknown, source = 'model'): Learner {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'expected a serialised learner object');
  }
  const type = (obj as { type?: unknown }).type;
  if (typeof type !== 'string') throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, "missing learner 'type'");
  if (!isLearnerType(type)) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `unknown learner type '${type}' (known: ${LEARNER_TYPES.join(', ')})`);
  }
  return REGISTRY[type].fromJSON(obj, source);
}
