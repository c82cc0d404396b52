/**
 * What every learner shares (scikit-learn's BaseEstimator, see types.ts for the contract): the
 * options stored exactly as given, the learned state in `fitted` behind the one guard `state()`,
 * `classes` read from that state, and the head of the saved form (readSaved reads it back). A learner adds only what is
 * its own: its options and fitted state, `fit`, predicting or scoring, and its static `fromJSON`.
 */
import type { Matrix } from '../features/types.js';
import type { SerializedModel } from './types.js';
import { argmaxRows, requireFitted } from './validate.js';

/** What every fitted state holds: the class names and the number of features it was fitted on. */
export interface FittedBase {
  readonly classes: readonly string[];
  readonly nFeatures: number;
}

export abstract class Estimator<Options extends object, Fitted extends FittedBase> {
  /** Registry name, as in a model file's `learner.type`. */
  abstract readonly type: string;
  /** The options as given to the constructor; `fit` validates them, nothing rewrites them. */
  readonly options: Readonly<Options>;
  /** Learned state; undefined until `fit` (or `fromJSON`). */
  protected fitted: Fitted | undefined;
  /** The learner's name in messages ("GradientBoostingClassifier is not fitted"). */
  protected abstract readonly who: string;

  /** Every learner's options are all optional, so none given means all defaults. */
  constructor(options: Options = {} as Options) {
    this.options = options;
  }

  /** Class names, in the order of `predictProba`'s columns (empty before fit). */
  get classes(): readonly string[] {
    return this.fitted?.classes ?? [];
  }

  /** The fitted state, or NADIR_ERR_NOT_FITTED. */
  protected state(): Fitted {
    return requireFitted(this.who, this.fitted);
  }

  /**
   * The saved form: this learner's type, its layout `version`, a copy of the options, and as
   * `fitted` the class names and feature count, then the learner's own fields `own`.
   */
  protected saved(version: number, own: Record<string, unknown>): SerializedModel {
    const f = this.state();
    const fitted = { classes: [...f.classes], nFeatures: f.nFeatures, ...own };
    return { type: this.type, version, options: { ...this.options } as Record<string, unknown>, fitted };
  }
}

/** A classifier's base (scikit-learn's ClassifierMixin): `predict` is the argmax of `predictProba`. */
export abstract class ClassifierEstimator<Options extends object, Fitted extends FittedBase> extends Estimator<Options, Fitted> {
  /** Row-major probabilities, nRows × classes.length. */
  abstract predictProba(X: Matrix): Float64Array;

  /** The most probable class index per row (the first class wins a tie). */
  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X), this.state().classes.length);
  }
}
