import { nadirError } from '../errors.js';
import type { IdentifierRole } from './roles.js';
import { ColumnBuilder, parseCell } from './column-builder.js';

export interface CsvReadOptions {
  /** true: first row is a header; false: no header; 'auto' (default): guess from the first rows. */
  header?: boolean | 'auto';
  /** Field separator (default ','). */
  delimiter?: string;
  /** Names to use when the file has no header (default c0, c1, …). */
  names?: readonly string[];
  /** How many bad-row line numbers to keep as examples. */
  maxExamples?: number;
  /** Keep the data-record number of every skipped row in `skippedRecords` (scoring: output rows name their input records). */
  keepSkipped?: boolean;
}

/** The raw result of reading a delimited file: builders per column plus what went wrong on the way. */
export interface RawColumns {
  /** Header names as written in the file (untrimmed), or null when headerless. */
  header: string[] | null;
  builders: ColumnBuilder[];
  nRows: number;
  skippedRows: number;
  /** 1-based line numbers of the first skipped rows. */
  skippedExamples: number[];
  /** Field count the skipped rows were compared against. */
  width: number;
  /**
   * With `keepSkipped`: the 1-based data-record numbers (header and blank lines not counted) of
   * every skipped row, ascending; the kept rows are the other records, in order.
   */
  skippedRecords?: number[];
  /** JSON Lines: the 1-based line of each record (blank lines are not records). */
  recordLines?: Uint32Array;
  /** Zeek ASCII logs: the log's `#path` (`conn`, `dns`, …), which names what it holds. */
  logPath?: string;
  /** Identifier roles the reader knows from the format itself (Suricata's numeric flow_id), by column name. */
  roles?: Record<string, IdentifierRole>;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = Buffer.from('\n');
/** fQuoted value of an unquoted field already parsed as a number (its value in fVal). */
const NUMBER = 3;

/**
 * Streaming RFC 4180 CSV reader over byte chunks. Fields are located as byte ranges in the
 * chunk and pushed straight into typed column builders: numbers are parsed from bytes
 * (Clinger's fast path, see parseNumberBytes), so a numeric cell never becomes a JS string;
 * a text cell is looked up by its bytes in a small per-column cache, so a repeated category
 * is decoded once per file, not once per row. A record cut by a chunk boundary is carried
 * over and re-scanned. Memory: the columns' typed arrays plus one chunk — no per-row objects.
 * Quoted fields may hold delimiters, newlines and doubled quotes; CRLF, LF and CR line ends;
 * a UTF-8 byte-order mark is skipped; the last line needs no newline.
 */
export async function readCsv(chunks: AsyncIterable<Buffer>, path: string, opts: CsvReadOptions = {}): Promise<RawColumns> {
  const reader = new CsvReader(path, opts);
  let carry: Buffer | null = null;
  let first = true;
  for await (let chunk of chunks) {
    if (first) {
      first = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    carry = reader.scan(carry ? Buffer.concat([carry, chunk]) : chunk);
  }
  // the last record may lack its newline
  if (carry && carry.length > 0) {
    const rest = reader.scan(Buffer.concat([carry, NEWLINE]));
    if (rest && rest.length > 0) throw nadirError('NADIR_ERR_BAD_FORMAT', path, `line ${reader.line}: a quoted field is never closed`);
  }
  return reader.finish();
}

class CsvReader {
  private readonly path: string;
  private readonly opts: CsvReadOptions;
  private readonly delim: number;
  private readonly maxExamples: number;
  header: string[] | null = null;
  builders: ColumnBuilder[] = [];
  private caches: Array<CellCache | null | typeof DISABLED> = [];
  width = -1;
  nRows = 0;
  skippedRows = 0;
  skippedExamples: number[] = [];
  /** Data-record numbers of the skipped rows (only with opts.keepSkipped). */
  private readonly skippedRecords: number[] | null;
  /** 1-based line number where the next record starts. */
  line = 1;
  /** With header 'auto', the first two records are held back (as strings) until the header question is settled. */
  private pending: string[][] | null;
  private pendingLines: number[] = [];
  private headerDecided: boolean;
  // the current record's fields as byte ranges: [start, end) untrimmed, and 0 unquoted / 1 quoted / 2 quoted with "" escapes / 3 NUMBER
  private fStart = new Int32Array(64);
  private fEnd = new Int32Array(64);
  private fQuoted = new Uint8Array(64);
  /** The value of a field marked NUMBER (parsed during the scan). */
  private fVal = new Float64Array(64);

  constructor(path: string, opts: CsvReadOptions) {
    this.path = path;
    this.opts = opts;
    const d = opts.delimiter ?? ',';
    if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') throw nadirError('NADIR_ERR_BAD_OPTION', 'delimiter', `expected one character other than a quote or a newline, got ${JSON.stringify(d)}`);
    this.delim = d.charCodeAt(0);
    this.maxExamples = opts.maxExamples ?? 5;
    const auto = opts.header === 'auto' || opts.header === undefined;
    this.pending = auto ? [] : null;
    this.headerDecided = !auto;
    this.skippedRecords = opts.keepSkipped ? [] : null;
  }

  private growFields(): void {
    const n = this.fStart.length * 2;
    this.fStart = copied(this.fStart, new Int32Array(n));
    this.fEnd = copied(this.fEnd, new Int32Array(n));
    this.fQuoted = copied(this.fQuoted, new Uint8Array(n));
    this.fVal = copied(this.fVal, new Float64Array(n));
  }

  /** Scan the complete records in `buf`; returns the unfinished tail to carry into the next chunk. */
  scan(buf: Buffer): Buffer | null {
    const n = buf.length;
    const delim = this.delim;
    const skipSpaces = delim !== SPACE;
    // the fused number parser reads digits, '.', '+', '-' before looking for the delimiter
    const fuse = !((delim >= 0x30 && delim <= 0x39) || delim === 0x2e || delim === 0x2b || delim === 0x2d);
    let recStart = 0;
    let recLines = 0; // newlines inside quoted fields of the current record
    let nFields = 0;
    let i = 0;
    // hot loop over bytes, written out by hand: one pass, no per-field allocation
    while (i < n) {
      if (nFields === this.fStart.length) this.growFields();
      const fieldStart = i;
      let j = i;
      if (skipSpaces) while (j < n && buf[j] === SPACE) j++;
      if (j < n && buf[j] === QUOTE) {
        let k = j + 1;
        let escaped = false;
        for (;;) {
          if (k >= n) return tail(buf, recStart);
          const c = buf[k]!;
          if (c === QUOTE) {
            if (k + 1 >= n) return tail(buf, recStart);
            if (buf[k + 1] !== QUOTE) break;
            escaped = true;
            k += 2;
            continue;
          }
          if (c === LF) recLines++;
          k++;
        }
        this.fStart[nFields] = j + 1;
        this.fEnd[nFields] = k;
        this.fQuoted[nFields] = escaped ? 2 : 1;
        nFields++;
        i = k + 1;
        if (skipSpaces) while (i < n && buf[i] === SPACE) i++;
        if (i >= n) return tail(buf, recStart);
        const c = buf[i]!;
        if (c === delim) {
          i++;
          continue;
        }
        if (c !== LF && c !== CR) {
          const col = this.header && this.header[nFields - 1] !== undefined ? ` (column '${this.header[nFields - 1]!.trim()}')` : '';
          throw nadirError('NADIR_ERR_BAD_FORMAT', this.path, `line ${this.line + recLines}, field ${nFields}${col}: unexpected character ${JSON.stringify(String.fromCharCode(c))} after a closing quote`);
        }
      } else {
        let k = j;
        // number parsed while the field's end is sought (same Clinger fast path as parseNumberBytes)
        let m = 0;
        let sig = 0;
        let frac = -1;
        let any = false;
        let fast = fuse;
        let neg = false;
        if (fast && k < n && (buf[k] === 0x2d || buf[k] === 0x2b)) {
          neg = buf[k] === 0x2d;
          k++;
        }
        if (fast) {
          while (k < n) {
            const c = buf[k]!;
            const d = c - 0x30;
            if (d >= 0 && d <= 9) {
              m = m * 10 + d;
              if (m !== 0) sig++;
              if (frac >= 0) frac++;
              any = true;
              k++;
              continue;
            }
            if (c === 0x2e && frac < 0) {
              frac = 0;
              k++;
              continue;
            }
            if (c !== delim && c !== LF && c !== CR) fast = false;
            break;
          }
        }
        while (k < n) {
          const c = buf[k]!;
          if (c === delim || c === LF || c === CR) break;
          k++;
        }
        if (k >= n) return tail(buf, recStart);
        this.fStart[nFields] = fieldStart;
        this.fEnd[nFields] = k;
        if (fast && any && sig <= 15 && frac <= 22) {
          const v = frac > 0 ? m / POW10[frac]! : m;
          this.fVal[nFields] = neg ? -v : v;
          this.fQuoted[nFields] = NUMBER;
        } else this.fQuoted[nFields] = 0;
        nFields++;
        i = k;
        if (buf[i] === delim) {
          i++;
          continue;
        }
      }
      // end of record at buf[i] (CR or LF)
      if (buf[i] === CR) {
        if (i + 1 >= n) return tail(buf, recStart);
        if (buf[i + 1] === LF) i++;
      }
      i++;
      this.record(buf, nFields, this.line);
      this.line += 1 + recLines;
      recLines = 0;
      nFields = 0;
      recStart = i;
    }
    return tail(buf, recStart);
  }

  private skip(recLine: number): void {
    // every data record is either kept (nRows) or skipped, in file order: this one's number follows them
    this.skippedRecords?.push(this.nRows + this.skippedRows + 1);
    this.skippedRows++;
    if (this.skippedExamples.length < this.maxExamples) this.skippedExamples.push(recLine);
  }

  private decode(buf: Buffer, k: number): string {
    const s = buf.toString('utf8', this.fStart[k], this.fEnd[k]);
    return this.fQuoted[k] === 2 ? s.replace(/""/g, '"') : s;
  }

  private record(buf: Buffer, nFields: number, recLine: number): void {
    const fStart = this.fStart;
    const fEnd = this.fEnd;
    const fQuoted = this.fQuoted;
    // a blank line (one empty unquoted field) is not a record
    if (nFields === 1 && fQuoted[0] === 0 && isBlank(buf, fStart[0]!, fEnd[0]!)) return;
    if (this.width < 0 || !this.headerDecided) {
      this.early(buf, nFields, recLine);
      return;
    }
    if (nFields !== this.width) {
      this.skip(recLine);
      return;
    }
    const builders = this.builders;
    const fVal = this.fVal;
    for (let k = 0; k < nFields; k++) {
      const q = fQuoted[k]!;
      if (q === NUMBER) {
        builders[k]!.pushNumber(fVal[k]!);
        continue;
      }
      const s = fStart[k]!;
      const e = fEnd[k]!;
      if (q !== 2) {
        const v = parseNumberBytes(buf, s, e);
        if (v === v) {
          builders[k]!.pushNumber(v);
          continue;
        }
      }
      this.textCell(k, buf, s, e, q, recLine);
    }
    this.nRows++;
  }

  /** A cell that is not a plain number: missing token, ±Infinity, a number in quotes with escapes, or text. */
  private textCell(k: number, buf: Buffer, s: number, e: number, q: number, line: number): void {
    const b = this.builders[k]!;
    let cache = this.caches[k];
    if (q === 2 || e - s > CellCache.MAX_KEY || cache === DISABLED) {
      b.pushCell(this.decode(buf, k), line);
      return;
    }
    if (!cache) cache = this.caches[k] = new CellCache();
    const hit = cache.get(buf, s, e);
    if (hit !== MISS) {
      if (hit >= 0) b.pushCode(hit, line);
      else if (hit === C_MISSING) b.pushMissing();
      else b.pushNumber(hit === C_INF ? Infinity : -Infinity);
      return;
    }
    const c = parseCell(this.decode(buf, k));
    let val: number;
    if (c.kind === 'missing') {
      b.pushMissing();
      val = C_MISSING;
    } else if (c.kind === 'number') {
      b.pushNumber(c.value);
      if (c.value === Infinity) val = C_INF;
      else if (c.value === -Infinity) val = C_NINF;
      else return;
    } else val = b.pushText(c.text, line);
    if (!cache.put(buf, s, e, val)) this.caches[k] = DISABLED;
  }

  /** Records before the layout is known: held as strings. */
  private early(buf: Buffer, nFields: number, recLine: number): void {
    const fields: string[] = [];
    for (let k = 0; k < nFields; k++) fields.push(this.decode(buf, k));
    if (!this.headerDecided) {
      this.pending!.push(fields);
      this.pendingLines.push(recLine);
      if (this.pending!.length >= 2) this.settle();
      return;
    }
    if (this.opts.header === true) {
      this.setHeader(fields);
      return;
    }
    this.makeBuilders(defaultNames(nFields, this.opts.names));
    this.pushStrings(fields, recLine);
  }

  private setHeader(names: string[]): void {
    this.header = names;
    this.makeBuilders(names.slice());
  }

  private makeBuilders(names: string[]): void {
    this.builders = names.map((n) => new ColumnBuilder(n, 4096));
    this.caches = names.map((): CellCache | null => null);
    this.width = names.length;
  }

  private pushStrings(fields: string[], recLine: number): void {
    if (fields.length !== this.width) {
      this.skip(recLine);
      return;
    }
    for (let k = 0; k < this.width; k++) this.builders[k]!.pushCell(fields[k]!, recLine);
    this.nRows++;
  }

  private settle(): void {
    if (this.headerDecided) return;
    this.headerDecided = true;
    const rows = this.pending!;
    const lines = this.pendingLines;
    this.pending = null;
    this.pendingLines = [];
    if (rows.length === 0) return;
    let start = 0;
    if (looksLikeHeader(rows[0]!, rows[1])) {
      this.setHeader(rows[0]!);
      start = 1;
    } else this.makeBuilders(defaultNames(rows[0]!.length, this.opts.names));
    for (let r = start; r < rows.length; r++) this.pushStrings(rows[r]!, lines[r]!);
  }

  finish(): RawColumns {
    this.settle();
    if (this.width < 0) throw nadirError('NADIR_ERR_EMPTY_FILE', this.path);
    if (this.nRows === 0 && this.skippedRows > 0) {
      throw nadirError('NADIR_ERR_BAD_FORMAT', this.path, `no row could be read: all ${this.skippedRows} rows have a different number of fields than the ${this.header ? 'header' : 'first row'} (${this.width}); first at line${this.skippedExamples.length === 1 ? '' : 's'} ${this.skippedExamples.join(', ')}`);
    }
    if (this.nRows === 0 && this.header) throw nadirError('NADIR_ERR_BAD_FORMAT', this.path, 'only a header line, no data rows');
    const raw: RawColumns = { header: this.header, builders: this.builders, nRows: this.nRows, skippedRows: this.skippedRows, skippedExamples: this.skippedExamples, width: this.width };
    if (this.skippedRecords) raw.skippedRecords = this.skippedRecords;
    return raw;
  }
}

/** `to` with `from` copied to its start. */
function copied<T extends Int32Array | Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function tail(buf: Buffer, recStart: number): Buffer | null {
  return recStart < buf.length ? Buffer.from(buf.subarray(recStart)) : null;
}

function isBlank(buf: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i] !== SPACE && buf[i] !== TAB) return false;
  return true;
}

function defaultNames(n: number, names?: readonly string[]): string[] {
  if (names && names.length === n) return [...names];
  return Array.from({ length: n }, (_, i) => (names && names[i]) || `c${i}`);
}

const MISS = -0x7fffffff;
const C_MISSING = -1;
const C_INF = -2;
const C_NINF = -3;
const DISABLED = 'disabled' as const;

/**
 * Open-addressing hash table from a cell's bytes to what the cell was read as (a dictionary
 * code ≥ 0, missing, ±Infinity). FNV-1a hash (Fowler–Noll–Vo), linear probing, bytes kept in
 * one pool and compared on a hash match, so a hit is exact. Bounded: a column with more
 * distinct text values than MAX_ENTRIES (IDs, timestamps) stops caching.
 */
class CellCache {
  static readonly MAX_KEY = 128;
  static readonly MAX_ENTRIES = 4096;
  private static readonly MASK = 8191;
  private readonly slots = new Int32Array(8192).fill(-1);
  private readonly hashes = new Int32Array(CellCache.MAX_ENTRIES);
  private readonly offs = new Int32Array(CellCache.MAX_ENTRIES + 1);
  private readonly vals = new Int32Array(CellCache.MAX_ENTRIES);
  private pool = new Uint8Array(4096);
  private n = 0;
  private lastHash = 0;

  get(buf: Buffer, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    this.lastHash = h;
    const len = e - s;
    let slot = h & CellCache.MASK;
    for (;;) {
      const id = this.slots[slot]!;
      if (id < 0) return MISS;
      if (this.hashes[id] === h) {
        const o = this.offs[id]!;
        if (this.offs[id + 1]! - o === len) {
          let t = 0;
          while (t < len && this.pool[o + t] === buf[s + t]) t++;
          if (t === len) return this.vals[id]!;
        }
      }
      slot = (slot + 1) & CellCache.MASK;
    }
  }

  /** Insert the bytes last passed to get(); false when the cache is full. */
  put(buf: Buffer, s: number, e: number, val: number): boolean {
    if (this.n === CellCache.MAX_ENTRIES) return false;
    const o = this.offs[this.n]!;
    const len = e - s;
    if (o + len > this.pool.length) {
      const p = new Uint8Array(Math.max(this.pool.length * 2, o + len));
      p.set(this.pool);
      this.pool = p;
    }
    for (let t = 0; t < len; t++) this.pool[o + t] = buf[s + t]!;
    const id = this.n++;
    this.offs[id + 1] = o + len;
    this.hashes[id] = this.lastHash;
    this.vals[id] = val;
    let slot = this.lastHash & CellCache.MASK;
    while (this.slots[slot]! >= 0) slot = (slot + 1) & CellCache.MASK;
    this.slots[slot] = id;
    return true;
  }
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Parse a plain decimal number from bytes [s, e), ignoring surrounding spaces. Returns NaN
 * when the bytes are not a plain decimal (the caller then reads the cell as text, missing or
 * ±Infinity). Clinger (1990) fast path: while the significant digits fit in 15 (< 2^53) and
 * the scale is 10^0…10^22, m / 10^k is one correctly rounded IEEE division, equal to
 * Number(text); anything else (exponents, long mantissas) goes through Number() on the bytes.
 */
export function parseNumberBytes(buf: Uint8Array, s: number, e: number): number {
  while (s < e && buf[s] === SPACE) s++;
  while (e > s && buf[e - 1] === SPACE) e--;
  if (s >= e) return NaN;
  let i = s;
  let neg = false;
  let c = buf[i]!;
  if (c === 0x2d || c === 0x2b) {
    neg = c === 0x2d;
    i++;
  }
  let m = 0;
  let digits = 0;
  let frac = 0;
  let sawDigit = false;
  while (i < e) {
    c = buf[i]!;
    if (c < 0x30 || c > 0x39) break;
    m = m * 10 + (c - 0x30);
    if (m !== 0) digits++;
    sawDigit = true;
    i++;
  }
  if (i < e && buf[i] === 0x2e) {
    i++;
    while (i < e) {
      c = buf[i]!;
      if (c < 0x30 || c > 0x39) break;
      m = m * 10 + (c - 0x30);
      if (m !== 0) digits++;
      frac++;
      sawDigit = true;
      i++;
    }
  }
  if (!sawDigit) return NaN;
  if (i < e) {
    if (buf[i] !== 0x65 && buf[i] !== 0x45) return NaN;
    // an exponent: validate its form, then let Number() round it
    let j = i + 1;
    if (j < e && (buf[j] === 0x2b || buf[j] === 0x2d)) j++;
    if (j >= e) return NaN;
    while (j < e && buf[j]! >= 0x30 && buf[j]! <= 0x39) j++;
    if (j !== e) return NaN;
    return Number(latin1(buf, s, e));
  }
  if (digits > 15 || frac > 22) return Number(latin1(buf, s, e));
  const v = frac > 0 ? m / POW10[frac]! : m;
  return neg ? -v : v;
}

function latin1(buf: Uint8Array, s: number, e: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
}

/** A header row is all text, and the next row has a number where the header has text. */
export function looksLikeHeader(first: readonly string[], second: readonly string[] | undefined): boolean {
  const isNum = (s: string): boolean => parseCell(s).kind === 'number';
  if (first.some(isNum)) return false;
  if (!second) return true;
  if (second.length !== first.length) return true;
  // names are distinct text; data rows usually repeat values or contain numbers
  if (second.some(isNum)) return true;
  return new Set(first).size === first.length && first.every((s) => /^[A-Za-z_ ][\w .\-/()]*$/.test(s.trim()));
}
