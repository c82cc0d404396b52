/**
 * Input, option and saved-model checks shared by every learner, so that all of them refuse
 * bad input the same way and with the same messages (the conformance suite asserts this).
 *
 * - data problems (empty data, NaN labels, lengths that disagree, wrong column count at
 *   predict): NADIR_ERR_BAD_INPUT
 * - invalid options: NADIR_ERR_BAD_OPTION
 * - predicting before fit: NADIR_ERR_NOT_FITTED
 * - a saved model that is not what it claims: NADIR_ERR_MODEL_CORRUPT / NADIR_ERR_MODEL_VERSION
 */
import { nadirError } from '../errors.js';
import type { Matrix } from '../features/types.js';
import type { FitOptions, SerializedModel } from './types.js';

// ---------------------------------------------------------------- training / prediction data

export interface MatrixCheck {
  /** Refuse NaN / ±Infinity (learners without missing-value handling). Default false. */
  finite?: boolean;
}

/** X must be a well-formed Matrix with at least one row and one column. */
export function checkMatrix(who: string, X: Matrix, req: MatrixCheck = {}, allowEmpty = false): void {
  if (X === null || typeof X !== 'object') throw badInput(who, 'X must be a Matrix ({ data, nRows, nCols, columns })');
  if (!(X.data instanceof Float32Array)) {
    throw badInput(who, `X.data must be a row-major Float32Array, got ${describe(X.data)}`);
  }
  if (!Number.isInteger(X.nRows) || X.nRows < 0 || !Number.isInteger(X.nCols) || X.nCols < 0) {
    throw badInput(who, `X has an invalid shape ${String(X.nRows)} × ${String(X.nCols)}`);
  }
  if (X.data.length !== X.nRows * X.nCols) {
    throw badInput(who, `X.data has ${X.data.length} values, expected nRows × nCols = ${X.nRows} × ${X.nCols}`);
  }
  if (Array.isArray(X.columns) && X.columns.length !== X.nCols) {
    throw badInput(who, `X has ${X.nCols} columns but ${X.columns.length} column names`);
  }
  if (!allowEmpty && X.nRows === 0) throw badInput(who, 'no training rows (X is empty)');
  if (X.nCols === 0) throw badInput(who, 'X has no feature columns');
  if (req.finite) {
    const d = X.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i]!)) {
        const r = Math.floor(i / X.nCols);
        const c = i - r * X.nCols;
        const name = X.columns?.[c] ?? String(c);
        throw badInput(
          who,
          `X has a non-finite value (${d[i]}) at row ${r}, column '${name}'; this learner does not handle missing values — impute or drop them first`,
        );
      }
    }
  }
}

/**
 * Labels: an Int32Array of class indices 0..nClasses-1, one per row. A -1 (the dataset layer's
 * "no label") or a NaN that slipped in through another array type is refused with its row.
 */
export function checkLabels(who: string, y: Int32Array, nRows: number, nClasses?: number): void {
  if (!(y instanceof Int32Array)) {
    if (y !== null && typeof y === 'object' && typeof (y as { length?: unknown }).length === 'number') {
      const a = y as unknown as ArrayLike<unknown>;
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (typeof v !== 'number' || !Number.isInteger(v)) {
          throw badInput(who, `label y[${i}] = ${String(v)} is not a class index (labels must be an Int32Array of integers ≥ 0)`);
        }
      }
    }
    throw badInput(who, `labels y must be an Int32Array of class indices, got ${describe(y)}`);
  }
  if (y.length !== nRows) throw badInput(who, `X has ${nRows} rows but y has ${y.length} labels`);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v < 0) throw badInput(who, `label y[${i}] = ${v}: row has no label (class indices start at 0; drop unlabelled rows first)`);
    if (nClasses !== undefined && v >= nClasses) {
      throw badInput(who, `label y[${i}] = ${v} is out of range for ${nClasses} classes (0..${nClasses - 1})`);
    }
  }
}

/** Class names: `opts.classes` when given, else '0'..'k-1' with k = max(y) + 1. At least `minClasses`. */
export function resolveClasses(who: string, y: Int32Array, given?: readonly string[], minClasses = 2): readonly string[] {
  let classes: readonly string[];
  if (given !== undefined) {
    if (!Array.isArray(given) || given.some((c) => typeof c !== 'string')) {
      throw badInput(who, 'fit option classes must be an array of strings');
    }
    if (new Set(given).size !== given.length) throw badInput(who, `fit option classes has duplicate names: ${given.join(', ')}`);
    classes = [...given];
  } else {
    let max = -1;
    for (let i = 0; i < y.length; i++) if (y[i]! > max) max = y[i]!;
    classes = Array.from({ length: max + 1 }, (_, k) => String(k));
  }
  if (classes.length < minClasses) {
    throw badInput(who, `needs at least ${minClasses} classes, got ${classes.length} (${classes.join(', ') || 'none'})`);
  }
  return classes;
}

export function checkSampleWeight(who: string, w: Float32Array | undefined, nRows: number): void {
  if (w === undefined) return;
  if (!(w instanceof Float32Array)) throw badInput(who, `sampleWeight must be a Float32Array, got ${describe(w)}`);
  if (w.length !== nRows) throw badInput(who, `X has ${nRows} rows but sampleWeight has ${w.length} values`);
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    if (!(v >= 0) || v === Infinity) throw badInput(who, `sampleWeight[${i}] = ${v} must be finite and ≥ 0`);
    sum += v;
  }
  if (!(sum > 0)) throw badInput(who, 'sampleWeight sums to 0');
}

export interface FitCheck {
  readonly nRows: number;
  readonly nCols: number;
  readonly classes: readonly string[];
}

/** Everything `fit(X, y, opts)` must check before training: X, y, classes, sample weights. */
export function checkFitInput(
  who: string,
  X: Matrix,
  y: Int32Array,
  opts: FitOptions = {},
  req: MatrixCheck & { minClasses?: number } = {},
): FitCheck {
  checkMatrix(who, X, {});
  checkLabels(who, y, X.nRows, opts.classes?.length);
  const classes = resolveClasses(who, y, opts.classes, req.minClasses ?? 2);
  checkSampleWeight(who, opts.sampleWeight, X.nRows);
  if (req.finite) checkMatrix(who, X, { finite: true });
  if (opts.evalSet !== undefined) {
    checkMatrix(who, opts.evalSet.X, req);
    if (opts.evalSet.X.nCols !== X.nCols) {
      throw badInput(who, `evalSet.X has ${opts.evalSet.X.nCols} columns but X has ${X.nCols}`);
    }
    checkLabels(who, opts.evalSet.y, opts.evalSet.X.nRows, classes.length);
  }
  return { nRows: X.nRows, nCols: X.nCols, classes };
}

/** `predict` / `predictProba` input: a Matrix (0 rows allowed) with the fitted column count. */
export function checkPredictInput(who: string, X: Matrix, nCols: number, req: MatrixCheck = {}): void {
  checkMatrix(who, X, {}, true);
  if (X.nCols !== nCols) throw badInput(who, `X has ${X.nCols} columns but the model was fitted on ${nCols}`);
  if (req.finite) checkMatrix(who, X, req, true);
}

/** The one "is it fitted?" guard. */
export function requireFitted<T>(who: string, fitted: T | undefined): T {
  if (fitted === undefined) throw nadirError('NADIR_ERR_NOT_FITTED', who);
  return fitted;
}

/** argmax per row of a row-major nRows × k probability matrix (first maximum wins). */
export function argmaxRows(proba: Float64Array, k: number): Int32Array {
  const n = proba.length / k;
  const out = new Int32Array(n);
  for (let i = 0, o = 0; i < n; i++, o += k) {
    let best = 0;
    let bv = proba[o]!;
    for (let c = 1; c < k; c++) {
      if (proba[o + c]! > bv) {
        bv = proba[o + c]!;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

// ---------------------------------------------------------------- options
// Options are checked from each learner's spec (spec.ts: resolveParams).

export interface NumberRule {
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  gt?: number;
  integer?: boolean;
}

// ---------------------------------------------------------------- saved models

/**
 * Check the envelope of a saved learner: `{ type, version, options, fitted }` with the expected
 * `type` and layout `version` (or, for a learner that migrates older layouts on read, any
 * version from `oldest` to `version`). `source` names the input in messages.
 */
export function checkSerialized(obj: unknown, type: string, version: number, source = 'model', oldest = version): SerializedModel {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `expected a serialised learner object, got ${describe(obj)}`);
  }
  const o = obj as Record<string, unknown>;
  if (typeof o.type !== 'string') throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, "missing learner 'type'");
  if (o.type !== type) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `expected a '${type}' learner, got '${o.type}'`);
  if (typeof o.version !== 'number' || !Number.isInteger(o.version)) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `'${type}' learner has no integer layout 'version'`);
  }
  if (o.version > version || o.version < oldest) {
    throw nadirError(
      'NADIR_ERR_MODEL_VERSION',
      source,
      o.version > version || oldest === version
        ? `'${type}' learner layout version ${o.version} is ${o.version > version ? 'newer than' : 'older than'} the supported version ${version}`
        : `'${type}' learner layout version ${o.version} is older than the oldest supported version ${oldest}`,
    );
  }
  for (const k of ['options', 'fitted'] as const) {
    const v = o[k];
    if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) {
      throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `'${type}' learner: '${k}' must be an object`);
    }
  }
  return o as unknown as SerializedModel;
}

type TypedCtor<T> = { new (n: number): T; readonly name: string };

/** A typed array field of a saved model, of the given kind and (optionally) exact length. */
export function readTyped<T extends ArrayBufferView & { length: number }>(
  fitted: Record<string, unknown>,
  key: string,
  Ctor: TypedCtor<T>,
  length?: number,
  source = 'model',
): T {
  const v = fitted[key];
  if (!(v instanceof Ctor)) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `fitted.${key} must be a ${Ctor.name}, got ${describe(v)}`);
  }
  if (length !== undefined && v.length !== length) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `fitted.${key} has ${v.length} values, expected ${length}`);
  }
  return v;
}

/** A numeric field of a saved model. */
export function readNumber(fitted: Record<string, unknown>, key: string, rule: NumberRule = {}, source = 'model'): number {
  const v = fitted[key];
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!rule.integer || Number.isInteger(v)) &&
    (rule.min === undefined || v >= rule.min) &&
    (rule.max === undefined || v <= rule.max) &&
    (rule.gt === undefined || v > rule.gt);
  if (!ok) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `fitted.${key} = ${show(v)} is not a valid value`);
  return v as number;
}

/** A boolean field of a saved model. */
export function readBool(fitted: Record<string, unknown>, key: string, source = 'model'): boolean {
  const v = fitted[key];
  if (typeof v !== 'boolean') throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `fitted.${key} = ${show(v)} is not true or false`);
  return v;
}

/** A list of class names (distinct strings, at least `min`). */
export function readStrings(fitted: Record<string, unknown>, key: string, min = 1, source = 'model'): string[] {
  const v = fitted[key];
  if (!Array.isArray(v) || v.length < min || v.some((s) => typeof s !== 'string') || new Set(v).size !== v.length) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `fitted.${key} must be a list of at least ${min} distinct names`);
  }
  return [...(v as string[])];
}

/** What every learner's `fromJSON` reads first, alike (see readSaved). */
export interface SavedHead<O, R> {
  readonly version: number;
  /** The saved options, as the constructor takes them. */
  readonly options: O;
  /** The same options resolved as `fit` resolves them. */
  readonly resolved: R;
  /** The saved `fitted` object, for the learner's own fields. */
  readonly fitted: Record<string, unknown>;
  readonly classes: string[];
  readonly nFeatures: number;
}

/**
 * The head of a saved learner, read the same way by every learner, in this order: the envelope
 * (checkSerialized: `type`, layout `version` from `oldest`), the options resolved as `fit` resolves
 * them (a bad option makes the file corrupt), the class names (at least 2, then `checkClasses`
 * for a learner with a rule of its own) and the feature count.
 */
export function readSaved<O, R>(
  obj: unknown,
  layout: { readonly type: string; readonly version: number; readonly oldest?: number },
  source: string,
  resolve: (options: O) => R,
  checkClasses?: (classes: string[]) => void,
): SavedHead<O, R> {
  const s = checkSerialized(obj, layout.type, layout.version, source, layout.oldest);
  const options = s.options as O;
  const resolved = restoreOptions(source, () => resolve(options));
  const fitted = s.fitted;
  const classes = readStrings(fitted, 'classes', 2, source);
  checkClasses?.(classes);
  const nFeatures = readNumber(fitted, 'nFeatures', { integer: true, min: 1 }, source);
  return { version: s.version, options, resolved, fitted, classes, nFeatures };
}

/** Wrap an options error raised while restoring a model as a corrupt-model error. */
export function restoreOptions<T>(source: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `bad options: ${msg}`);
  }
}

// ---------------------------------------------------------------- helpers

function badInput(who: string, why: string): Error {
  return nadirError('NADIR_ERR_BAD_INPUT', `${who}: ${why}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object') return Array.isArray(v) ? 'an Array' : `a ${(v as object).constructor?.name ?? 'object'}`;
  return `a ${typeof v}`;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return describe(v);
}
