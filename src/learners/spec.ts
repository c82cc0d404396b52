/**
 * What nadir knows about a learner, in one place (LightGBM's config.h, scikit-learn's
 * `_parameter_constraints`): its kind, what its score means, its options with defaults, ranges and
 * help, the preprocessing it wants and how its predictions are explained. The learner validates its
 * options from here; the CLI's flags and help, the use cases' checks, the reports' names and (next)
 * the HTTP API's schemas are generated from it. No other table of learners exists.
 */
import type { TargetKind } from '../data/types.js';
import { nadirError } from '../errors.js';
import type { PipelineOptions } from '../features/pipeline.js';
import { defaultThreads } from '../tree/parallel/pool.js';

export type ParamValue = number | string | boolean;

/**
 * One option. A value is a number (`integer` / `number`, within min/max/gt and `accept`), one of
 * `words` (e.g. 'sqrt'), or a boolean; `undefined` means "not set" and takes the default.
 */
export interface ParamSpec {
  /** The option's name in the library and the use cases (camelCase). */
  readonly name: string;
  /** Other names accepted for it (`nTrees` for `nEstimators`); giving two different values is an error. */
  readonly aliases?: readonly string[];
  readonly type: 'integer' | 'number' | 'boolean' | 'word';
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound. */
  readonly gt?: number;
  /** Words accepted instead of (type integer/number) or as (type word) the value. */
  readonly words?: readonly string[];
  /** A further rule on numbers, described by `expected`. */
  readonly accept?: (value: number) => boolean;
  /** The rule in words, when the generated description does not say it (see describeParam). */
  readonly expected?: string;
  /** What is typical, shown after the rule: "a number > 0 (typically 0.01 to 0.3)". */
  readonly hint?: string;
  /** Default when not set; a function for defaults that depend on the machine (threads). */
  readonly default?: ParamValue | (() => ParamValue);
  /** The default in words, where there is no value (e.g. 'unlimited') or it depends on the machine. */
  readonly defaultText?: string;
  /** One line for help texts. */
  readonly help: string;
}

export type LearnerKind = 'classifier' | 'anomaly-detector';

export interface LearnerSpec {
  /** Registry name, as in `--model gbdt` and a model file's `learner.type`. */
  readonly type: string;
  /** In sentences and reports: "gradient-boosted trees". */
  readonly name: string;
  /** One line for `--help` and docs. */
  readonly description: string;
  /** A classifier learns labels (predictProba); an anomaly detector learns normal traffic (scoreSamples). */
  readonly kind: LearnerKind;
  /** What its binary score is: P(attack), or an anomaly score (higher = more anomalous, not a probability). */
  readonly score: 'probability' | 'anomaly-score';
  /** An anomaly score in words, so that no page calls it a probability: its name in a sentence and a note explaining it once. */
  readonly scoreText?: { readonly name: string; readonly note: string };
  /** How a prediction is explained: TreeSHAP, exact linear contributions, or not at all. */
  readonly explainer: 'tree-shap' | 'linear' | 'none';
  /** Importance it learns while fitting ('gain': split gain / impurity decrease), if any. */
  readonly importance: 'gain' | 'none';
  readonly supportsWeights: boolean;
  /** Targets it can learn (an anomaly detector: binary normal vs anomalous only). */
  readonly targets: readonly TargetKind[];
  /** The preprocessing it wants: trees need none beyond encoding; linear models want scaled, log-compressed inputs. */
  readonly preprocessing: PipelineOptions;
  readonly params: readonly ParamSpec[];
}

/**
 * The traits every classifier shares: it learns labels of any target kind, with sample weights,
 * and scores with P(class). A spec spreads these and adds its own.
 */
export const CLASSIFIER_TRAITS = {
  kind: 'classifier',
  score: 'probability',
  supportsWeights: true,
  targets: ['binary', 'category', 'label'],
} as const satisfies Partial<LearnerSpec>;

/** The traits of a tree classifier: a classifier explained by TreeSHAP, with split-gain importance, on one-hot inputs (trees need no scaling). */
export const TREE_CLASSIFIER_TRAITS = {
  ...CLASSIFIER_TRAITS,
  explainer: 'tree-shap',
  importance: 'gain',
  preprocessing: { encoding: 'onehot' },
} as const satisfies Partial<LearnerSpec>;

/** A param's rule in words: "a whole number from 1 to 64", "a number > 0 (typically 0.01 to 0.3)". */
export function describeParam(p: ParamSpec): string {
  if (p.expected !== undefined) return p.expected;
  let rule: string;
  if (p.type === 'boolean') rule = 'true or false';
  else if (p.type === 'word') rule = `one of ${(p.words ?? []).join(', ')}`;
  else {
    const what = p.type === 'integer' ? 'a whole number' : 'a number';
    if (p.min !== undefined && p.max !== undefined) rule = `${what} from ${p.min} to ${p.max}`;
    else if (p.gt !== undefined) rule = `${what} > ${p.gt}${p.max !== undefined ? ` and ≤ ${p.max}` : ''}`;
    else if (p.min !== undefined) rule = `${what} ≥ ${p.min}`;
    else if (p.max !== undefined) rule = `${what} ≤ ${p.max}`;
    else rule = what;
    if (p.words?.length) rule = `${p.words.map((w) => `'${w}'`).join(', ')} or ${rule}`;
  }
  return p.hint !== undefined ? `${rule} (${p.hint})` : rule;
}

/** `value` if it obeys the param's rule, else NADIR_ERR_BAD_OPTION naming the option: "expected <rule>, got '<value>'". */
export function checkParam(p: ParamSpec, value: unknown, name = p.name): ParamValue {
  const bad = (): Error => nadirError('NADIR_ERR_BAD_OPTION', name, `expected ${describeParam(p)}, got '${String(value)}'`);
  if (p.type === 'boolean') {
    if (typeof value !== 'boolean') throw bad();
    return value;
  }
  if (typeof value === 'string') {
    if (p.words?.includes(value)) return value;
    throw bad();
  }
  if (p.type === 'word' || typeof value !== 'number' || !Number.isFinite(value)) throw bad();
  if (p.type === 'integer' && !Number.isInteger(value)) throw bad();
  if (p.min !== undefined && value < p.min) throw bad();
  if (p.max !== undefined && value > p.max) throw bad();
  if (p.gt !== undefined && !(value > p.gt)) throw bad();
  if (p.accept && !p.accept(value)) throw bad();
  return value;
}

/** The default of a param (undefined: not set, e.g. unlimited depth). */
export function paramDefault(p: ParamSpec): ParamValue | undefined {
  return typeof p.default === 'function' ? p.default() : p.default;
}

/**
 * Options as given → every param's value (checked, default filled in; `undefined` where a param
 * has no default and was not given). Unknown names and aliases given with different values are
 * refused, naming the option. `who` names the learner in messages.
 */
export function resolveParams(who: string, params: readonly ParamSpec[], options: unknown): Record<string, ParamValue | undefined> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw nadirError('NADIR_ERR_BAD_OPTION', `${who} options`, `expected an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  const given = options as Record<string, unknown>;
  const known = params.flatMap((p) => [p.name, ...(p.aliases ?? [])]);
  for (const k of Object.keys(given)) {
    if (!known.includes(k)) throw nadirError('NADIR_ERR_BAD_OPTION', k, `unknown option for ${who} (known: ${known.join(', ')})`);
  }
  const out: Record<string, ParamValue | undefined> = {};
  for (const p of params) {
    let value: unknown;
    let from = p.name;
    for (const n of [p.name, ...(p.aliases ?? [])]) {
      const v = given[n];
      if (v === undefined) continue;
      if (value !== undefined && v !== value) throw nadirError('NADIR_ERR_BAD_OPTION', n, `is an alias of ${from}; got both (${String(value)}, ${String(v)})`);
      value = v;
      from = n;
    }
    out[p.name] = value === undefined ? paramDefault(p) : checkParam(p, value, from);
  }
  return out;
}

/** The param of a spec by name (or alias), or undefined. */
export function findParam(spec: Pick<LearnerSpec, 'params'>, name: string): ParamSpec | undefined {
  return spec.params.find((p) => p.name === name || p.aliases?.includes(name));
}

/** The seed every randomised learner takes. */
export const SEED_PARAM: ParamSpec = { name: 'seed', type: 'integer', min: 0, max: 0xffffffff, default: 0, help: 'seed of the random generator' };

/** Worker threads of a learner that fans out (default: the machine's cores). */
export function threadsParam(help: string): ParamSpec {
  return { name: 'nThreads', type: 'integer', min: 1, max: 256, default: defaultThreads, defaultText: 'all cores', help };
}
