/**
 * JSON records straight to feature rows: what `pipeline.transform(typedRecordsTable(inputs,
 * records))` gives, bit for bit, without the intermediate table, for the HTTP API's hot path.
 *
 * One function per fitted pipeline, generated once (`new Function`) with each input field's
 * name as a literal key, so reading 41 fields of records that share one shape (JSON.parse gives
 * every record with the same keys in the same order the same hidden class) is 41 monomorphic
 * property loads, not 41 dictionary lookups; numeric plans become `(x − mean) × scale` (with
 * signed log1p when the plan has it, the median for a null), categorical plans a lookup of the
 * string in a map of the spellings already resolved, each resolved once the way the data layer
 * reads a cell (parseCell, numberAsCategory) and matched against the training categories.
 *
 * The encoder only takes records it is sure of: an object holding every input field, numbers
 * finite, each field of its kind (numeric: number or null; categorical: string, number or null),
 * at least one value that is not missing. Anything else is reported as SLOW, without a reason:
 * the caller then uses the general path (schema validation, typed table, transform), which
 * names the field and the problem. So the encoder decides nothing the general path would decide
 * differently; it only answers faster when the answer is a prediction.
 */
import { numberAsCategory, parseCell } from '../data/column-builder.js';
import type { ColumnPlan, Pipeline } from './pipeline.js';

/** encode's result bits: 0 = encoded. */
export const ENCODED = 0;
/** Encoded, and some categorical field holds a value never seen in training (scored as the unseen category). */
export const UNSEEN_VALUE = 1;
/** Not encoded: the record needs the general path (which validates it and says what is wrong). */
export const SLOW = 2;

export interface RecordEncoder {
  /** Output columns (the pipeline's). */
  readonly columns: readonly string[];
  readonly nCols: number;
  /** The input fields in order, with what encoding each needs (for readers of other forms, see json-records). */
  readonly fields: readonly EncoderField[];
  /**
   * Write the feature row of `record` into out[off .. off + nCols) — which must be zero (one-hot
   * columns are only set) — and return ENCODED, UNSEEN_VALUE, or SLOW (out may then be partly
   * written: discard the row).
   */
  encode(record: unknown, out: Float32Array, off: number): number;
  /** The categorical values of `record` never seen in training, as the data layer spells them (for warnings). */
  unseenValues(record: Record<string, unknown>): Array<{ field: string; value: string }>;
}

/** One input field as the encoder writes it, from column `offset` of the row. */
export type EncoderField =
  | {
      kind: 'numeric';
      name: string;
      offset: number;
      /** x → (log ? signed log1p(x) : x), then (· − mean) × scale; a missing value writes `filled`. */
      log: boolean;
      mean: number;
      scale: number;
      filled: number;
    }
  | {
      kind: 'categorical';
      name: string;
      offset: number;
      onehot: boolean;
      resolver: CategoryResolver;
    };

/** A categorical plan's resolver: raw value → category index (≥ 0), the unseen bucket (= number of categories), or -1 for missing. */
export interface CategoryResolver {
  /** Spellings resolved so far (the training categories first), bounded. */
  readonly cache: Map<string, number>;
  readonly index: ReadonlyMap<string, number>;
  readonly unseen: number;
  /** The column a missing value is filled with (the most frequent category, or the unseen bucket). */
  readonly fill: number;
}

/** Distinct raw spellings cached per categorical field beyond its categories (a client sending endless variants cannot grow it). */
const CACHE_EXTRA = 256;

/** The data layer's spelling of a categorical cell given as a string: null for a missing token. */
function canonicalString(s: string): string | null {
  const cell = parseCell(s);
  if (cell.kind === 'missing') return null;
  return cell.kind === 'number' ? numberAsCategory(cell.value) : cell.text;
}

/** The category index of a string value (see CategoryResolver). */
export function resolveString(r: CategoryResolver, s: string): number {
  let k = r.cache.get(s);
  if (k !== undefined) return k;
  const c = canonicalString(s);
  k = c === null ? -1 : (r.index.get(c) ?? r.unseen);
  if (r.cache.size < r.index.size + CACHE_EXTRA) r.cache.set(s, k);
  return k;
}

/** The category index of a number in a categorical field (its data-layer spelling). */
export function resolveNumber(r: CategoryResolver, v: number): number {
  return r.index.get(numberAsCategory(v)) ?? r.unseen;
}

/** A categorical value's data-layer spelling when it is not a training category (and not missing), else null. */
export function unseenSpelling(r: CategoryResolver, v: unknown): string | null {
  const c = typeof v === 'string' ? canonicalString(v) : typeof v === 'number' ? numberAsCategory(v) : null;
  return c !== null && !r.index.has(c) ? c : null;
}

/** Names that cannot be read as a plain own property of a parsed JSON object with `r[name]`. */
function plainKey(name: string): boolean {
  return name !== '__proto__';
}

/**
 * The encoder of a fitted pipeline, or null when it cannot have one (an input named
 * `__proto__`): the caller then always takes the general path.
 */
export function recordEncoder(pipeline: Pipeline): RecordEncoder | null {
  const { plans, options } = pipeline.toJSON();
  const onehot = (options.encoding ?? 'onehot') === 'onehot';
  if (!plans.every((p) => plainKey(p.name))) return null;
  const columns = pipeline.columns;
  const consts: unknown[] = [];
  const k = (v: unknown): string => {
    consts.push(v);
    return `k[${consts.length - 1}]`;
  };
  const resolvers: Array<{ plan: Extract<ColumnPlan, { kind: 'categorical' }>; r: CategoryResolver }> = [];
  const fields: EncoderField[] = [];
  const lines: string[] = [];
  let offset = 0;
  for (const p of plans) {
    const key = JSON.stringify(p.name);
    lines.push(`v = r[${key}];`);
    if (p.kind === 'numeric') {
      // exactly Pipeline.transform's arithmetic, in doubles, rounded to float32 by the store
      const filled = ((): number => {
        let x = p.fill;
        if (p.log) x = x >= 0 ? Math.log1p(x) : -Math.log1p(-x);
        return (x - p.mean) * p.scale;
      })();
      fields.push({ kind: 'numeric', name: p.name, offset, log: p.log, mean: p.mean, scale: p.scale, filled });
      const mean = k(p.mean);
      const scale = k(p.scale);
      const x = p.log ? '(v >= 0 ? Math.log1p(v) : -Math.log1p(-v))' : 'v';
      lines.push(
        `if (typeof v === 'number') { if (v - v !== 0) return ${SLOW}; any = 1; out[off + ${offset}] = (${x} - ${mean}) * ${scale}; }`,
        `else if (v === null) out[off + ${offset}] = ${k(filled)};`,
        `else return ${SLOW};`,
      );
      offset++;
    } else {
      const index = new Map(p.categories.map((c, i) => [c, i]));
      const unseen = p.categories.length;
      const fill = p.fill === null ? unseen : p.categories.indexOf(p.fill);
      const r: CategoryResolver = { cache: new Map(), index, unseen, fill: fill < 0 ? unseen : fill };
      // every category's own spelling first (resolved like any other string, so a category that
      // reads as missing or as another number's spelling is resolved as the general path would)
      for (const c of p.categories) resolveString(r, c);
      resolvers.push({ plan: p, r });
      fields.push({ kind: 'categorical', name: p.name, offset, onehot, resolver: r });
      const R = k(r);
      lines.push(
        `if (typeof v === 'string') { c = ${R}.cache.get(v); if (c === undefined) c = rs(${R}, v); }`,
        `else if (typeof v === 'number') { if (v - v !== 0) return ${SLOW}; c = rn(${R}, v); }`,
        `else if (v === null) c = -1;`,
        `else return ${SLOW};`,
        `if (c < 0) c = ${r.fill}; else { any = 1; if (c === ${unseen}) st = ${UNSEEN_VALUE}; }`,
        onehot ? `out[off + ${offset} + c] = 1;` : `out[off + ${offset}] = c;`,
      );
      offset += onehot ? unseen + 1 : 1;
    }
  }
  if (offset !== columns.length) throw new Error(`recordEncoder: ${offset} columns encoded, the pipeline has ${columns.length}`);
  const body = `"use strict";
return function encode(r, out, off) {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return ${SLOW};
  let v, c, any = 0, st = ${ENCODED};
  ${lines.join('\n  ')}
  return any === 1 ? st : ${SLOW};
};`;
  const encode = new Function('k', 'rs', 'rn', body)(consts, resolveString, resolveNumber) as RecordEncoder['encode'];

  const unseenValues = (record: Record<string, unknown>): Array<{ field: string; value: string }> => {
    const out: Array<{ field: string; value: string }> = [];
    for (const { plan, r } of resolvers) {
      const c = unseenSpelling(r, record[plan.name]);
      if (c !== null) out.push({ field: plan.name, value: c });
    }
    return out;
  };
  return { columns, nCols: columns.length, fields, encode, unseenValues };
}
