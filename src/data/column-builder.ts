import type { Column } from './types.js';

/** Tokens read as a missing value (case-insensitive after trimming). `-` is not one: UNSW-NB15 uses it as a service value. */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);

/** A plain decimal number as written in CSV files (no hex, no `_`, no empty string). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** What a text cell holds: missing, a number (±Infinity included) or text. */
export type CellValue = { kind: 'missing' } | { kind: 'number'; value: number } | { kind: 'text'; text: string };

/**
 * Classify one cell's text (the one definition every reader and converter shares):
 * missing tokens (`''`, NA, N/A, NaN, null, None, `?`), `Infinity`/`inf` with a sign, plain
 * decimals (no hex or binary literals: `0x10` stays text), else trimmed text.
 */
export function parseCell(raw: string): CellValue {
  const s = raw.trim();
  if (s.length <= 9) {
    const lower = s.toLowerCase();
    if (MISSING.has(lower)) return { kind: 'missing' };
    if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return { kind: 'number', value: Infinity };
    if (lower === '-infinity' || lower === '-inf') return { kind: 'number', value: -Infinity };
  }
  if (DECIMAL.test(s)) return { kind: 'number', value: Number(s) };
  return { kind: 'text', text: s };
}

/** Rows per storage block once a column has grown past its first block. */
const BLOCK = 1 << 16;
const EMPTY_F64 = new Float64Array(0);
const EMPTY_I32 = new Int32Array(0);

/**
 * Accumulates one column while rows stream in, without per-row objects.
 * Starts numeric (Float64Array, NaN = missing); on the first value that is not a number
 * it turns categorical (Int32Array codes + dictionary), re-encoding the numbers seen so far
 * as text (`String(v)`, the same spelling every later number in the column gets).
 * Storage is a list of fixed blocks (after a small first block that doubles up to the block
 * size), so growing never copies the column; `build()` concatenates once and releases them.
 * Counts what the data-quality report needs: missing, ±Infinity, and how many values
 * were numbers vs text (a column with both is "mixed").
 */
export class ColumnBuilder {
  readonly name: string;
  private categorical = false;
  /** Full blocks (numeric or code blocks, by `categorical`). */
  private numBlocks: Float64Array[] = [];
  private codeBlocks: Int32Array[] = [];
  /** The block being filled and the position in it. */
  private num: Float64Array;
  private codes: Int32Array = EMPTY_I32;
  private pos = 0;
  /** Values held in the full blocks. */
  private base = 0;
  private dict: string[] = [];
  private dictIndex: Map<string, number> | null = null;
  missing = 0;
  infinities = 0;
  textTokens = 0;
  /** 1-based line number (or record number) of the first text value. */
  firstTextLine = 0;

  /** `capacity`: rows expected (the first block's size; a single API record gets a one-slot, on-heap array). */
  constructor(name: string, capacity = 1024) {
    this.name = name;
    this.num = new Float64Array(Math.max(1, Math.min(capacity, BLOCK)));
  }

  get isCategorical(): boolean {
    return this.categorical;
  }

  /** Values pushed so far. */
  get length(): number {
    return this.base + this.pos;
  }

  /** Values that were numbers (every value is exactly one of missing, number, text). */
  get numericTokens(): number {
    return this.length - this.missing - this.textTokens;
  }

  /** The current block is full: double it while small, else start a new block. */
  private next(): void {
    if (!this.categorical) this.num = this.nextBlock(this.num, this.numBlocks, (n) => new Float64Array(n));
    else this.codes = this.nextBlock(this.codes, this.codeBlocks, (n) => new Int32Array(n));
  }

  /** After the full block `cur`: a copy of it twice as long while small, else a new block (`cur` kept in `blocks`). */
  private nextBlock<T extends Float64Array | Int32Array>(cur: T, blocks: T[], alloc: (n: number) => T): T {
    if (cur.length < BLOCK) {
      const grown = alloc(Math.min(Math.max(cur.length * 2, 16), BLOCK));
      grown.set(cur);
      return grown;
    }
    blocks.push(cur);
    this.base += cur.length;
    this.pos = 0;
    return alloc(BLOCK);
  }

  pushMissing(): void {
    if (!this.categorical) {
      if (this.pos === this.num.length) this.next();
      this.num[this.pos++] = NaN;
    } else {
      if (this.pos === this.codes.length) this.next();
      this.codes[this.pos++] = -1;
    }
    this.missing++;
  }

  /** A value already parsed as a number (may be ±Infinity; NaN counts as missing). Hot path: one store when numeric. */
  pushNumber(v: number): void {
    if (v - v !== 0) {
      // NaN or ±Infinity (Infinity − Infinity is NaN)
      if (v !== v) {
        this.pushMissing();
        return;
      }
      this.infinities++;
    }
    if (!this.categorical) {
      if (this.pos === this.num.length) this.next();
      this.num[this.pos++] = v;
    } else {
      if (this.pos === this.codes.length) this.next();
      this.codes[this.pos++] = this.code(numberAsCategory(v));
    }
  }

  /** A text value (not a number, not a missing token); returns its dictionary code. */
  pushText(s: string, line: number): number {
    if (!this.categorical) this.toCategorical();
    const c = this.code(s);
    this.pushCode(c, line);
    return c;
  }

  /** A text value already in the dictionary (code from an earlier pushText on this builder). */
  pushCode(c: number, line: number): void {
    if (this.pos === this.codes.length) this.next();
    this.codes[this.pos++] = c;
    this.textTokens++;
    if (this.firstTextLine === 0) this.firstTextLine = line;
  }

  /** Push a cell given as text (JSON string values, quoted CSV cells): missing, number or text. */
  pushCell(raw: string, line: number): void {
    const c = parseCell(raw);
    if (c.kind === 'missing') this.pushMissing();
    else if (c.kind === 'number') this.pushNumber(c.value);
    else this.pushText(c.text, line);
  }

  private code(s: string): number {
    const index = (this.dictIndex ??= new Map<string, number>());
    let c = index.get(s);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(s);
      index.set(s, c);
    }
    return c;
  }

  private toCategorical(): void {
    const convert = (b: Float64Array): Int32Array => {
      const codes = new Int32Array(b.length);
      for (let i = 0; i < b.length; i++) {
        const v = b[i]!;
        codes[i] = v !== v ? -1 : this.code(numberAsCategory(v));
      }
      return codes;
    };
    this.codeBlocks = this.numBlocks.map(convert);
    // the current block: only its first `pos` entries are values
    const cur = new Int32Array(Math.max(this.num.length, 1));
    cur.set(convert(this.num.subarray(0, this.pos)));
    this.codes = cur;
    this.categorical = true;
    this.numBlocks = [];
    this.num = EMPTY_F64;
  }

  /** Force categorical (user override or label column). */
  forceCategorical(): void {
    if (!this.categorical) this.toCategorical();
  }

  /** The finished column (one copy of the data); the builder releases its blocks. */
  build(): Column {
    // a column that never left its first block needs no concatenation (a one-record API input: no copy at all)
    if (!this.categorical && this.numBlocks.length === 0) {
      const values = this.pos === this.num.length ? this.num : this.num.slice(0, this.pos);
      this.num = EMPTY_F64;
      return { kind: 'numeric', name: this.name, values };
    }
    if (!this.categorical) {
      const values = concatBlocks(new Float64Array(this.length), this.numBlocks, this.num.subarray(0, this.pos));
      this.numBlocks = [];
      this.num = EMPTY_F64;
      return { kind: 'numeric', name: this.name, values };
    }
    if (this.codeBlocks.length === 0) {
      const codes = this.pos === this.codes.length ? this.codes : this.codes.slice(0, this.pos);
      this.codes = EMPTY_I32;
      return { kind: 'categorical', name: this.name, codes, dictionary: this.dict };
    }
    const codes = concatBlocks(new Int32Array(this.length), this.codeBlocks, this.codes.subarray(0, this.pos));
    this.codeBlocks = [];
    this.codes = EMPTY_I32;
    return { kind: 'categorical', name: this.name, codes, dictionary: this.dict };
  }
}

/** The full blocks, then the values of the current one, copied one after another into `out`. */
function concatBlocks<T extends Float64Array | Int32Array>(out: T, blocks: readonly T[], last: T): T {
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  out.set(last, o);
  return out;
}

/** How a number in a categorical column is written as a category (one spelling for every path: files, JSON records, typed API records). */
export function numberAsCategory(v: number): string {
  return String(v);
}

/** Codes for strings in order of first appearance: `dictionary[code(s)] === s`. */
export class DictionaryEncoder {
  readonly dictionary: string[] = [];
  private readonly index = new Map<string, number>();

  code(s: string): number {
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.dictionary.length;
      this.dictionary.push(s);
      this.index.set(s, c);
    }
    return c;
  }
}

/** Convert a finished column to categorical (numbers written as text). */
export function asCategorical(col: Column): Column {
  if (col.kind === 'categorical') return col;
  const dict = new DictionaryEncoder();
  const codes = new Int32Array(col.values.length);
  for (let i = 0; i < codes.length; i++) {
    const v = col.values[i]!;
    codes[i] = Number.isNaN(v) ? -1 : dict.code(numberAsCategory(v));
  }
  return { kind: 'categorical', name: col.name, codes, dictionary: dict.dictionary };
}

/** Convert a finished categorical column to numeric where every value parses as a number; else undefined. */
export function asNumeric(col: Column): Column | undefined {
  if (col.kind === 'numeric') return col;
  const parsed = new Float64Array(col.dictionary.length);
  for (let k = 0; k < parsed.length; k++) {
    const c = parseCell(col.dictionary[k]!);
    if (c.kind === 'text') return undefined;
    parsed[k] = c.kind === 'number' ? c.value : NaN;
  }
  const values = new Float64Array(col.codes.length);
  for (let i = 0; i < values.length; i++) {
    const c = col.codes[i]!;
    values[i] = c < 0 ? NaN : parsed[c]!;
  }
  return { kind: 'numeric', name: col.name, values };
}
