/**
 * Permutation importance (Breiman 2001; scikit-learn's `permutation_importance`): the drop
 * of a score when one feature's values are shuffled across rows, breaking its link with the
 * target, averaged over `nRepeats` shuffles. nadir permutes whole SOURCE columns: all matrix
 * columns that came from one original column (e.g. every one-hot column of `service`) are
 * moved together with one row permutation, so each permuted row is still a valid encoding.
 */
import { nadirError } from '../errors.js';
import type { Matrix, SourceMap } from '../features/types.js';
import { Random } from '../util/random.js';
import { accuracy } from './classification.js';
import { logLoss } from './log-loss.js';
import { applyThreshold } from './rates.js';
import { rocAuc, rocAucOvr } from './roc.js';
import { argmaxRows, column } from './validate.js';

/** Higher is better. `proba` is row-major nRows × nClasses. */
export type ScoreFn = (yTrue: Int32Array, proba: Float64Array, nClasses: number) => number;
export type Scoring = 'accuracy' | 'roc_auc' | 'neg_log_loss' | ScoreFn;

export interface PermutationImportanceOptions {
  /** Default 'accuracy'. 'roc_auc': binary AUC of class 1, one-vs-rest macro for multi-class. */
  scoring?: Scoring;
  /** Shuffles per group (default 5). */
  nRepeats?: number;
  /** Seed of the shuffles (default 0). */
  seed?: number;
  /**
   * Which matrix columns move together: a SourceMap (matrix column → original column name)
   * or an explicit name → column indices map. Default: every matrix column on its own.
   */
  groups?: SourceMap | Readonly<Record<string, readonly number[]>>;
  /** Use a seeded random sample of at most this many rows (default: all rows). */
  maxRows?: number;
  /** Binary 'accuracy' at this threshold on P(class 1) instead of the argmax. */
  threshold?: number;
  /** Called after each group: `done` of `total` groups. */
  onProgress?: (done: number, total: number) => void;
}

export interface GroupImportance {
  /** Source column name (or the matrix column's name without groups). */
  name: string;
  /** Matrix columns permuted together. */
  columns: number[];
  /** Mean drop of the score over the repeats (baseline − permuted score). */
  mean: number;
  /** Standard deviation of the drops (population, like numpy.std). */
  std: number;
  /** The drop of each repeat. */
  drops: number[];
}

export interface PermutationImportanceResult {
  scoring: string;
  /** Score on the unpermuted data. */
  baseline: number;
  nRepeats: number;
  nRows: number;
  /** One entry per group, highest mean drop first. */
  importances: GroupImportance[];
}

export function permutationImportance(
  predictProba: (X: Matrix) => Float64Array,
  X: Matrix,
  y: Int32Array,
  opts: PermutationImportanceOptions = {},
): PermutationImportanceResult {
  const nRepeats = opts.nRepeats ?? 5;
  if (!(Number.isInteger(nRepeats) && nRepeats >= 1)) throw nadirError('NADIR_ERR_BAD_OPTION', 'nRepeats', `must be a positive integer, got ${nRepeats}`);
  if (y.length !== X.nRows) throw nadirError('NADIR_ERR_BAD_INPUT', `permutationImportance: ${X.nRows} rows but ${y.length} labels`);
  if (X.nRows === 0) throw nadirError('NADIR_ERR_BAD_INPUT', 'permutationImportance: no rows');
  const rng = new Random(opts.seed ?? 0);
  const groups = resolveGroups(X, opts.groups);
  const nc = X.nCols;

  // One scratch copy of the (sampled) rows; each group's columns are overwritten in place
  // and restored from `orig` afterwards, so no matrix is allocated per repeat or per row.
  let orig = X.data;
  let yy = y;
  let n = X.nRows;
  if (opts.maxRows !== undefined && opts.maxRows < n) {
    const rows = rng.sample(n, opts.maxRows);
    n = rows.length;
    orig = new Float32Array(n * nc);
    yy = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      orig.set(X.data.subarray(r * nc, (r + 1) * nc), i * nc);
      yy[i] = y[r]!;
    }
  }
  const scratch = new Float32Array(orig);
  const work: Matrix = { data: scratch, nRows: n, nCols: nc, columns: X.columns };
  const score = scorer(opts.scoring ?? 'accuracy', opts.threshold);

  const evaluate = (): number => {
    const proba = predictProba(work);
    const k = proba.length / n;
    if (!Number.isInteger(k) || k < 2) throw nadirError('NADIR_ERR_BAD_INPUT', `permutationImportance: predictProba returned ${proba.length} values for ${n} rows`);
    return score(yy, proba, k);
  };

  const baseline = evaluate();
  const perm = new Uint32Array(n);
  const importances: GroupImportance[] = [];
  for (let g = 0; g < groups.length; g++) {
    const { name, columns } = groups[g]!;
    const cols = Int32Array.from(columns);
    const m = cols.length;
    const drops: number[] = [];
    for (let rep = 0; rep < nRepeats; rep++) {
      for (let i = 0; i < n; i++) perm[i] = i;
      rng.shuffle(perm);
      // Hot loop written out: row i of the group takes row perm[i]'s values.
      for (let i = 0; i < n; i++) {
        const dst = i * nc;
        const src = perm[i]! * nc;
        for (let j = 0; j < m; j++) scratch[dst + cols[j]!] = orig[src + cols[j]!]!;
      }
      drops.push(baseline - evaluate());
    }
    for (let i = 0; i < n; i++) {
      const base = i * nc;
      for (let j = 0; j < m; j++) scratch[base + cols[j]!] = orig[base + cols[j]!]!;
    }
    let mean = 0;
    for (const d of drops) mean += d;
    mean /= nRepeats;
    let v = 0;
    for (const d of drops) v += (d - mean) * (d - mean);
    importances.push({ name, columns: [...columns], mean, std: Math.sqrt(v / nRepeats), drops });
    opts.onProgress?.(g + 1, groups.length);
  }
  importances.sort((a, b) => b.mean - a.mean);
  const scoringName = typeof opts.scoring === 'function' ? opts.scoring.name || 'custom' : (opts.scoring ?? 'accuracy');
  return { scoring: scoringName, baseline, nRepeats, nRows: n, importances };
}

function scorer(s: Scoring, threshold: number | undefined): ScoreFn {
  if (typeof s === 'function') return s;
  switch (s) {
    case 'accuracy':
      return (y, p, k) => accuracy(y, k === 2 && threshold !== undefined ? applyThreshold(column(p, 2, 1), threshold) : argmaxRows(p, k));
    case 'roc_auc':
      return (y, p, k) => {
        const a = k === 2 ? rocAuc(y, column(p, 2, 1)) : rocAucOvr(y, p, k).macro;
        if (a === null) throw nadirError('NADIR_ERR_BAD_INPUT', 'permutationImportance: ROC-AUC needs both classes among the rows');
        return a;
      };
    case 'neg_log_loss':
      return (y, p, k) => -logLoss(y, p, k);
    default:
      throw nadirError('NADIR_ERR_BAD_OPTION', 'scoring', `unknown scoring '${String(s)}' (accuracy, roc_auc, neg_log_loss)`);
  }
}

function resolveGroups(X: Matrix, groups: PermutationImportanceOptions['groups']): Array<{ name: string; columns: number[] }> {
  if (groups === undefined) return X.columns.map((name, c) => ({ name, columns: [c] }));
  if (Array.isArray(groups)) {
    const map = groups as SourceMap;
    if (map.length !== X.nCols) throw nadirError('NADIR_ERR_BAD_INPUT', `permutationImportance: source map has ${map.length} entries for ${X.nCols} columns`);
    const byName = new Map<string, number[]>();
    map.forEach((name, c) => {
      const cols = byName.get(name);
      if (cols) cols.push(c);
      else byName.set(name, [c]);
    });
    return [...byName].map(([name, columns]) => ({ name, columns }));
  }
  return Object.entries(groups as Record<string, readonly number[]>).map(([name, cols]) => {
    for (const c of cols) {
      if (!(Number.isInteger(c) && c >= 0 && c < X.nCols)) throw nadirError('NADIR_ERR_BAD_INPUT', `permutationImportance: group '${name}' has column ${c} outside 0..${X.nCols - 1}`);
    }
    return { name, columns: [...cols] };
  });
}
