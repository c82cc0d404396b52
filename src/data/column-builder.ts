import type { Column } from './types.js';

/** Tokens read as a missing value (case-insensitive after trimming). */
const MISSING = new Set(['', 'na', 'nan', 'null', 'none', '?', '-']);

export function isMissingToken(s: string): boolean {
  return MISSING.has(s.trim().toLowerCase());
}

/**
 * Accumulates one column while rows stream in, without per-row objects.
 * Starts numeric (Float64Array, NaN = missing); on the first value that is not a number
 * it turns categorical (Int32Array codes + dictionary), re-encoding the numbers seen so far.
 * Counts what the data-quality report needs: missing, ±Infinity, and how many values
 * were numbers vs text (a column with both is "mixed").
 */
export class ColumnBuilder {
  readonly name: string;
  private kind: 'numeric' | 'categorical' = 'numeric';
  private num: Float64Array;
  private codes: Int32Array | null = null;
  private dict: string[] = [];
  private dictIndex = new Map<string, number>();
  length = 0;
  missing = 0;
  infinities = 0;
  numericTokens = 0;
  textTokens = 0;
  /** First 1-based line numbers where a text value appeared in a mostly numeric column. */
  firstTextLine = 0;

  constructor(name: string, capacity = 1024) {
    this.name = name;
    this.num = new Float64Array(capacity);
  }

  get isCategorical(): boolean {
    return this.kind === 'categorical';
  }

  private grow(): void {
    if (this.kind === 'numeric') {
      const n = new Float64Array(this.num.length * 2);
      n.set(this.num);
      this.num = n;
    } else {
      const c = new Int32Array(this.codes!.length * 2);
      c.set(this.codes!);
      this.codes = c;
    }
  }

  private cap(): number {
    return this.kind === 'numeric' ? this.num.length : this.codes!.length;
  }

  pushMissing(): void {
    if (this.length === this.cap()) this.grow();
    if (this.kind === 'numeric') this.num[this.length] = NaN;
    else this.codes![this.length] = -1;
    this.length++;
    this.missing++;
  }

  /** A value already parsed as a number (may be ±Infinity). */
  pushNumber(v: number, raw: () => string): void {
    if (this.length === this.cap()) this.grow();
    this.numericTokens++;
    if (v === Infinity || v === -Infinity) this.infinities++;
    if (this.kind === 'numeric') this.num[this.length] = v;
    else this.codes![this.length] = this.code(raw());
    this.length++;
  }

  /** A text value (not a number, not a missing token). */
  pushText(s: string, line: number): void {
    if (this.kind === 'numeric') this.toCategorical();
    if (this.length === this.cap()) this.grow();
    this.textTokens++;
    if (this.firstTextLine === 0) this.firstTextLine = line;
    this.codes![this.length] = this.code(s);
    this.length++;
  }

  private code(s: string): number {
    let c = this.dictIndex.get(s);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(s);
      this.dictIndex.set(s, c);
    }
    return c;
  }

  private toCategorical(): void {
    const cap = Math.max(this.num.length, 16);
    const codes = new Int32Array(cap);
    for (let i = 0; i < this.length; i++) {
      const v = this.num[i]!;
      codes[i] = Number.isNaN(v) ? -1 : this.code(formatNumber(v));
    }
    this.kind = 'categorical';
    this.codes = codes;
    this.num = new Float64Array(0);
  }

  /** Force categorical (user override or label column). */
  forceCategorical(): void {
    if (this.kind === 'numeric') this.toCategorical();
  }

  build(): Column {
    if (this.kind === 'numeric') {
      return { kind: 'numeric', name: this.name, values: this.num.slice(0, this.length) };
    }
    return { kind: 'categorical', name: this.name, codes: this.codes!.slice(0, this.length), dictionary: this.dict };
  }
}

/** How a number seen in a column that later turned categorical is written as a category. */
export function formatNumber(v: number): string {
  return String(v);
}

/** Convert a finished column to categorical (numbers written as text). */
export function asCategorical(col: Column): Column {
  if (col.kind === 'categorical') return col;
  const dict: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(col.values.length);
  for (let i = 0; i < codes.length; i++) {
    const v = col.values[i]!;
    if (Number.isNaN(v)) {
      codes[i] = -1;
      continue;
    }
    const s = formatNumber(v);
    let c = index.get(s);
    if (c === undefined) {
      c = dict.length;
      dict.push(s);
      index.set(s, c);
    }
    codes[i] = c;
  }
  return { kind: 'categorical', name: col.name, codes, dictionary: dict };
}

/** Convert a finished categorical column to numeric where every value parses as a number; else undefined. */
export function asNumeric(col: Column): Column | undefined {
  if (col.kind === 'numeric') return col;
  const parsed = col.dictionary.map((s) => (isMissingToken(s) ? NaN : Number(s)));
  if (parsed.some((v, i) => Number.isNaN(v) && !isMissingToken(col.dictionary[i]!))) return undefined;
  const values = new Float64Array(col.codes.length);
  for (let i = 0; i < values.length; i++) {
    const c = col.codes[i]!;
    values[i] = c < 0 ? NaN : parsed[c]!;
  }
  return { kind: 'numeric', name: col.name, values };
}
