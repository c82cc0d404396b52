import { asCategorical, asNumeric, parseCell } from '../data/column-builder.js';
import type { CategoricalColumn, Column, Table } from '../data/types.js';
import { nadirError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { isConstant } from './drop-constant.js';
import { fitMedian, fitMostFrequent } from './imputer.js';
import { isHeavyTailed, signedLog1p } from './log1p.js';
import { codeMap, fitCategories, MAX_CATEGORIES, oneHotNames } from './one-hot.js';
import { fitStandard } from './scaler.js';
import type { Matrix } from './types.js';

export interface PipelineOptions {
  /** Categorical encoding: 'onehot' (default; with an unseen-category column) or 'ordinal' (unseen = its own code). */
  encoding?: 'onehot' | 'ordinal';
  /** Standard-scale numeric outputs (default false; linear models want true). */
  scale?: boolean;
  /** Signed log1p on heavy-tailed non-negative numeric columns ('auto'), on the named ones, or none (default). */
  log1p?: 'auto' | readonly string[] | false;
  /** Drop columns constant in the training data (default true). */
  dropConstant?: boolean;
  /** Columns to leave out. */
  exclude?: readonly string[];
  /** Categories kept per categorical column, most frequent first; the rest share an `<other>` bucket (default MAX_CATEGORIES, 100). */
  maxCategories?: number;
}

/** A categorical column whose rarer training categories were cut into `<other>`. */
export interface CategoryCut {
  column: string;
  kept: number;
  /** Training categories that went to `<other>`, and the training rows that hold them. */
  cut: number;
  rows: number;
}

/** What the pipeline learned about one input column. */
export type ColumnPlan =
  | { kind: 'numeric'; name: string; fill: number; log: boolean; mean: number; scale: number }
  | { kind: 'categorical'; name: string; fill: string | null; categories: string[]; other?: number };

export interface PipelineJSON {
  type: 'pipeline';
  version: 1;
  options: PipelineOptions;
  plans: ColumnPlan[];
  dropped: string[];
}

/**
 * Preprocessing fitted on training data only, applied identically to any later table:
 * imputation (median / most frequent; ±Infinity counts as missing) → optional signed log1p →
 * one-hot or ordinal encoding with an unseen bucket → optional standard scaling.
 * Output: a dense row-major Float32Array matrix with feature names, plus for every output
 * column the input column it came from (to sum one-hot explanations back).
 */
export class Pipeline {
  readonly options: PipelineOptions;
  private fitted: { plans: ColumnPlan[]; dropped: string[]; columns: string[]; source: string[]; cuts?: CategoryCut[] } | null = null;

  constructor(options: PipelineOptions = {}) {
    this.options = options;
  }

  fit(table: Table): this {
    const o = this.options;
    const encoding = o.encoding ?? 'onehot';
    if (encoding !== 'onehot' && encoding !== 'ordinal') throw nadirError('NADIR_ERR_BAD_OPTION', 'encoding', `expected onehot or ordinal, got ${String(encoding)}`);
    const exclude = new Set(o.exclude ?? []);
    const limit = o.maxCategories ?? MAX_CATEGORIES;
    if (!(Number.isInteger(limit) && limit >= 1)) throw nadirError('NADIR_ERR_BAD_OPTION', 'maxCategories', `expected a whole number ≥ 1, got ${String(limit)}`);
    const cuts: CategoryCut[] = [];
    const plans: ColumnPlan[] = [];
    const dropped: string[] = [];
    for (const col of table.columns) {
      if (exclude.has(col.name)) continue;
      if ((o.dropConstant ?? true) && isConstant(col)) {
        dropped.push(col.name);
        continue;
      }
      if (col.kind === 'numeric') {
        const fill = fitMedian(col.values);
        const log = o.log1p === 'auto' ? isHeavyTailed(col.values) : Array.isArray(o.log1p) ? o.log1p.includes(col.name) : false;
        const tf = (x: number): number => {
          const v = Number.isFinite(x) ? x : fill;
          return log ? signedLog1p(v) : v;
        };
        const { mean, scale } = o.scale ? fitStandard(col.values, tf) : { mean: 0, scale: 1 };
        plans.push({ kind: 'numeric', name: col.name, fill, log, mean, scale });
      } else {
        const fit = fitCategories(col, limit);
        const mode = fitMostFrequent(col);
        // the most frequent category is always kept (a tie at a limit of 1 is broken the way fitCategories breaks it)
        const fill = mode === null || fit.categories.includes(mode) ? mode : fit.categories[0]!;
        plans.push({ kind: 'categorical', name: col.name, fill, categories: fit.categories, ...(fit.cut > 0 ? { other: fit.cut } : {}) });
        if (fit.cut > 0) cuts.push({ column: col.name, kept: fit.categories.length, cut: fit.cut, rows: fit.cutRows });
      }
    }
    if (plans.length === 0) throw nadirError('NADIR_ERR_BAD_INPUT', 'no usable feature columns: every column is constant, empty or excluded');
    this.fitted = { plans, dropped, cuts, ...layout(plans, encoding) };
    return this;
  }

  private get state(): NonNullable<Pipeline['fitted']> {
    if (!this.fitted) throw nadirError('NADIR_ERR_NOT_FITTED', 'Pipeline');
    return this.fitted;
  }

  /** Output column names. */
  get columns(): readonly string[] {
    return this.state.columns;
  }

  /** For each output column, the input column it came from. */
  get sourceMap(): readonly string[] {
    return this.state.source;
  }

  /** Input columns the pipeline reads (in order), with their kinds — the model's input schema. */
  get inputs(): ReadonlyArray<{ name: string; kind: 'numeric' | 'categorical'; categories?: readonly string[] }> {
    return this.state.plans.map((p) => (p.kind === 'numeric' ? { name: p.name, kind: p.kind } : { name: p.name, kind: p.kind, categories: p.categories }));
  }

  get dropped(): readonly string[] {
    return this.state.dropped;
  }

  /** Categorical columns whose rarer categories were cut into `<other>` when fitting (empty for a loaded pipeline). */
  get cuts(): readonly CategoryCut[] {
    return this.state.cuts ?? [];
  }

  /**
   * Encode a table. Columns are matched by name; a missing input column is an error naming it.
   * Unseen categories go to the unseen bucket and are reported once per column as a warning.
   */
  transform(table: Table, logger: Logger = silentLogger): Matrix {
    const { plans, columns } = this.state;
    const onehot = (this.options.encoding ?? 'onehot') === 'onehot';
    const n = table.nRows;
    const stride = columns.length;
    const out = new Float32Array(n * stride);
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    let offset = 0;
    for (const p of plans) {
      const raw = byName.get(p.name);
      if (!raw) throw nadirError('NADIR_ERR_MISSING_COLUMN', p.name, 'the input (the model needs it)');
      if (p.kind === 'numeric') {
        const col = raw.kind === 'numeric' ? raw : asNumeric(raw);
        if (!col || col.kind !== 'numeric') {
          const bad = firstTextValue(raw as CategoricalColumn);
          throw nadirError('NADIR_ERR_BAD_VALUE', `column '${p.name}'${bad ? ` row ${bad.row + 1}` : ''}`, `expected a number${bad ? `, got ${JSON.stringify(bad.value)}` : ''}`);
        }
        // hot loop: one column at a time into the row-major output, no per-row allocation
        const v = col.values;
        const { fill, log, mean, scale } = p;
        for (let i = 0, j = offset; i < n; i++, j += stride) {
          let x = v[i]!;
          if (!Number.isFinite(x)) x = fill;
          if (log) x = x >= 0 ? Math.log1p(x) : -Math.log1p(-x);
          out[j] = (x - mean) * scale;
        }
        offset++;
      } else {
        const col = (raw.kind === 'categorical' ? raw : asCategorical(raw)) as CategoricalColumn;
        const map = codeMap(col, p.categories);
        const fillIdx = p.fill === null ? p.categories.length : p.categories.indexOf(p.fill);
        let unseen = 0;
        const unseenValues = new Set<string>();
        for (let i = 0, j = offset; i < n; i++, j += stride) {
          const c = col.codes[i]!;
          let k = c < 0 ? fillIdx : map[c]!;
          if (k === p.categories.length && c >= 0 && !p.other) {
            unseen++;
            if (unseenValues.size < 5) unseenValues.add(col.dictionary[c]!);
          }
          if (k < 0) k = p.categories.length;
          if (onehot) out[j + k] = 1;
          else out[j] = k;
        }
        if (unseen > 0) {
          logger.warn({ code: 'unseen-category', column: p.name, count: unseen, examples: [...unseenValues], message: `column '${p.name}': ${unseen} value${unseen === 1 ? '' : 's'} never seen in training (${[...unseenValues].join(', ')}) → '<unseen>'` });
        }
        offset += onehot ? p.categories.length + 1 : 1;
      }
    }
    return { data: out, nRows: n, nCols: stride, columns };
  }

  fitTransform(table: Table): Matrix {
    return this.fit(table).transform(table);
  }

  toJSON(): PipelineJSON {
    const { plans, dropped } = this.state;
    return { type: 'pipeline', version: 1, options: this.options, plans, dropped };
  }

  /** `source` names the model (file) in errors. */
  static fromJSON(obj: unknown, source = 'pipeline'): Pipeline {
    const j = obj as PipelineJSON;
    if (!j || typeof j !== 'object' || j.type !== 'pipeline' || j.version !== 1 || !Array.isArray(j.plans) || !Array.isArray(j.dropped)) {
      throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'preprocessing section is missing or malformed');
    }
    const encoding = j.options?.encoding ?? 'onehot';
    if (encoding !== 'onehot' && encoding !== 'ordinal') throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `preprocessing: unknown encoding ${JSON.stringify(encoding)}`);
    if (j.plans.length === 0 || !j.dropped.every((d) => typeof d === 'string')) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'preprocessing: no column plans');
    for (const p of j.plans) {
      const ok =
        p && typeof p === 'object' && typeof p.name === 'string' &&
        ((p.kind === 'numeric' && [p.fill, p.mean, p.scale].every((x) => typeof x === 'number' && Number.isFinite(x)) && typeof p.log === 'boolean') ||
          (p.kind === 'categorical' && Array.isArray(p.categories) && p.categories.every((c) => typeof c === 'string') &&
            (p.other === undefined || (Number.isInteger(p.other) && p.other >= 0)) &&
            (p.fill === null || (typeof p.fill === 'string' && p.categories.includes(p.fill)))));
      if (!ok) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `preprocessing: bad column plan ${JSON.stringify(p).slice(0, 80)}`);
    }
    const pipe = new Pipeline(j.options ?? {});
    pipe.fitted = { plans: j.plans, dropped: j.dropped, ...layout(j.plans, j.options?.encoding ?? 'onehot') };
    return pipe;
  }
}

function layout(plans: ColumnPlan[], encoding: 'onehot' | 'ordinal'): { columns: string[]; source: string[] } {
  const columns: string[] = [];
  const source: string[] = [];
  for (const p of plans) {
    const names = p.kind === 'numeric' || encoding === 'ordinal' ? [p.name] : oneHotNames(p.name, p.categories, (p.other ?? 0) > 0);
    for (const n of names) {
      columns.push(n);
      source.push(p.name);
    }
  }
  return { columns, source };
}

function firstTextValue(col: Column): { row: number; value: string } | null {
  if (col.kind !== 'categorical') return null;
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i]!;
    if (c >= 0 && parseCell(col.dictionary[c]!).kind === 'text') return { row: i, value: col.dictionary[c]! };
  }
  return null;
}
