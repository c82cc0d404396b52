import { nadirError } from '../errors.js';
import { ColumnBuilder } from './column-builder.js';

export interface CsvReadOptions {
  /** true: first row is a header; false: no header; 'auto' (default): guess from the first rows. */
  header?: boolean | 'auto';
  /** Field separator (default ','). */
  delimiter?: string;
  /** Names to use when the file has no header (default c0, c1, …). */
  names?: readonly string[];
  /** How many bad-row line numbers to keep as examples. */
  maxExamples?: number;
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
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/**
 * Streaming RFC 4180 CSV reader over byte chunks. Fields are located as byte ranges in the
 * chunk and pushed straight into typed column builders: numbers are parsed from bytes
 * (Clinger's fast path: an exact integer mantissa divided by an exact power of ten is
 * correctly rounded), so a numeric cell never becomes a JS string. Only text cells are
 * decoded. A record cut by a chunk boundary is carried over and re-scanned.
 * Memory: the columns' typed arrays plus one chunk — no per-row objects.
 */
export async function readCsv(chunks: AsyncIterable<Buffer>, path: string, opts: CsvReadOptions = {}): Promise<RawColumns> {
  const delim = (opts.delimiter ?? ',').charCodeAt(0);
  const maxExamples = opts.maxExamples ?? 5;
  let header: string[] | null = null;
  let builders: ColumnBuilder[] = [];
  let width = -1;
  let nRows = 0;
  let skippedRows = 0;
  const skippedExamples: number[] = [];
  let line = 1; // 1-based line number of the current record's start
  // the first records are held back (as strings) until the header question is settled
  let pending: string[][] | null = opts.header === 'auto' || opts.header === undefined ? [] : null;
  let pendingLines: number[] = [];
  let headerDecided = pending === null;

  // reusable field boundaries for the current record
  let fStart: Int32Array = new Int32Array(64);
  let fEnd: Int32Array = new Int32Array(64);
  let fQuoted: Uint8Array = new Uint8Array(64);

  const decode = (buf: Buffer, i: number): string => {
    const s = buf.toString('utf8', fStart[i], fEnd[i]);
    return fQuoted[i] === 2 ? s.replace(/""/g, '"') : s;
  };

  const makeBuilders = (names: string[]): void => {
    builders = names.map((n) => new ColumnBuilder(n, 4096));
    width = names.length;
  };

  const pushRecordStrings = (fields: string[], recLine: number): void => {
    if (fields.length !== width) {
      skip(recLine);
      return;
    }
    for (let i = 0; i < width; i++) pushString(builders[i]!, fields[i]!, recLine);
    nRows++;
  };

  const skip = (recLine: number): void => {
    skippedRows++;
    if (skippedExamples.length < maxExamples) skippedExamples.push(recLine);
  };

  const settleHeader = (force: boolean): void => {
    if (headerDecided || !pending) return;
    if (!force && pending.length < 2) return;
    const first = pending[0];
    let hasHeader = opts.header === true;
    if (opts.header === 'auto' || opts.header === undefined) {
      hasHeader = first !== undefined && looksLikeHeader(first, pending[1]);
    }
    headerDecided = true;
    const rows = pending;
    const lines = pendingLines;
    pending = null;
    pendingLines = [];
    if (rows.length === 0) return;
    let start = 0;
    if (hasHeader) {
      header = rows[0]!;
      makeBuilders(header.map((h) => h));
      start = 1;
    } else {
      makeBuilders(defaultNames(rows[0]!.length, opts.names));
    }
    for (let r = start; r < rows.length; r++) pushRecordStrings(rows[r]!, lines[r]!);
  };

  const onRecord = (buf: Buffer, nFields: number, recLine: number): void => {
    // a blank line (one empty unquoted field) is not a record
    if (nFields === 1 && fEnd[0]! - fStart[0]! === 0 && fQuoted[0] === 0) return;
    if (!headerDecided) {
      const fields: string[] = [];
      for (let i = 0; i < nFields; i++) fields.push(decode(buf, i));
      if (opts.header === true && !pending) return;
      pending!.push(fields);
      pendingLines.push(recLine);
      settleHeader(false);
      return;
    }
    if (width < 0) {
      const fields: string[] = [];
      for (let i = 0; i < nFields; i++) fields.push(decode(buf, i));
      if (opts.header === true) {
        header = fields;
        makeBuilders(fields);
        return;
      }
      makeBuilders(defaultNames(nFields, opts.names));
      pushRecordStrings(fields, recLine);
      return;
    }
    if (nFields !== width) {
      skip(recLine);
      return;
    }
    for (let i = 0; i < nFields; i++) {
      const b = builders[i]!;
      const s = fStart[i]!;
      const e = fEnd[i]!;
      if (fQuoted[i] === 0) {
        const v = parseNumberBytes(buf, s, e);
        if (v === v) {
          // not NaN: a number (fast path)
          b.pushNumber(v, () => buf.toString('utf8', s, e));
          continue;
        }
      }
      pushString(b, decode(buf, i), recLine);
    }
    nRows++;
  };

  /** Scan complete records in `buf`; returns the unfinished tail to carry into the next chunk. */
  const scan = (buf: Buffer): Buffer | null => {
    // scan records; `recStart` is where the current record began
    let recStart = 0;
    let recLineCount = 0; // newlines inside quoted fields of the current record
    let nFields = 0;
    let i = 0;
    const n = buf.length;
    let complete = true;
    outer: while (i < n) {
      // start of a field
      if (nFields === fStart.length) {
        const grow = (a: Int32Array): Int32Array => {
          const b = new Int32Array(a.length * 2);
          b.set(a);
          return b;
        };
        fStart = grow(fStart);
        fEnd = grow(fEnd);
        const q = new Uint8Array(fQuoted.length * 2);
        q.set(fQuoted);
        fQuoted = q;
      }
      // skip leading spaces
      while (i < n && buf[i] === SPACE) i++;
      if (i < n && buf[i] === QUOTE) {
        // quoted field
        let j = i + 1;
        let escaped = false;
        for (;;) {
          if (j >= n) {
            complete = false;
            break outer;
          }
          const c = buf[j]!;
          if (c === QUOTE) {
            if (j + 1 < n && buf[j + 1] === QUOTE) {
              escaped = true;
              j += 2;
              continue;
            }
            if (j + 1 >= n) {
              complete = false;
              break outer;
            }
            break;
          }
          if (c === LF) recLineCount++;
          j++;
        }
        fStart[nFields] = i + 1;
        fEnd[nFields] = j;
        fQuoted[nFields] = escaped ? 2 : 1;
        nFields++;
        i = j + 1;
        while (i < n && buf[i] === SPACE) i++;
        if (i >= n) {
          complete = false;
          break;
        }
        const c = buf[i]!;
        if (c === delim) {
          i++;
          continue;
        }
        if (c === CR && i + 1 < n && buf[i + 1] === LF) i++;
        else if (c === CR && i + 1 >= n) {
          complete = false;
          break;
        }
        if (buf[i] === LF || buf[i] === CR) {
          onRecord(buf, nFields, line);
          line += 1 + recLineCount;
          recLineCount = 0;
          nFields = 0;
          i++;
          recStart = i;
          continue;
        }
        throw nadirError('NADIR_ERR_BAD_FORMAT', path, `line ${line}: unexpected character after a closing quote`);
      }
      // unquoted field: up to delimiter or end of line
      const s = i;
      while (i < n) {
        const c = buf[i]!;
        if (c === delim || c === LF || c === CR) break;
        i++;
      }
      if (i >= n) {
        complete = false;
        break;
      }
      let e = i;
      while (e > s && buf[e - 1] === SPACE) e--;
      fStart[nFields] = s;
      fEnd[nFields] = e;
      fQuoted[nFields] = 0;
      nFields++;
      const c = buf[i]!;
      if (c === delim) {
        i++;
        if (i >= n) {
          complete = false;
          break;
        }
        continue;
      }
      if (c === CR) {
        if (i + 1 >= n) {
          complete = false;
          break;
        }
        if (buf[i + 1] === LF) i++;
      }
      onRecord(buf, nFields, line);
      line += 1 + recLineCount;
      recLineCount = 0;
      nFields = 0;
      i++;
      recStart = i;
    }
    return !complete || recStart < n ? Buffer.from(buf.subarray(recStart)) : null;
  };

  let carry: Buffer | null = null;
  for await (const chunk of chunks) carry = scan(carry ? Buffer.concat([carry, chunk]) : chunk);
  // last record without a trailing newline
  if (carry && carry.length > 0) {
    const rest = scan(Buffer.concat([carry, Buffer.from('\n')]));
    if (rest && rest.length > 0) throw nadirError('NADIR_ERR_BAD_FORMAT', path, `line ${line}: a quoted field is never closed`);
  }
  settleHeader(true);
  if (width < 0 && header === null) throw nadirError('NADIR_ERR_EMPTY_FILE', path);
  return { header, builders, nRows, skippedRows, skippedExamples, width };
}

function defaultNames(n: number, names?: readonly string[]): string[] {
  if (names && names.length === n) return [...names];
  return Array.from({ length: n }, (_, i) => (names && names[i]) || `c${i}`);
}

/** Push a decoded cell: missing token, number written as text (e.g. "Infinity", " 1e3"), or text. */
export function pushString(b: ColumnBuilder, raw: string, line: number): void {
  const s = raw.trim();
  const lower = s.toLowerCase();
  if (s === '' || lower === 'nan' || lower === 'na' || lower === 'null' || lower === 'none' || s === '?') {
    b.pushMissing();
    return;
  }
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') {
    b.pushNumber(Infinity, () => s);
    return;
  }
  if (lower === '-infinity' || lower === '-inf') {
    b.pushNumber(-Infinity, () => s);
    return;
  }
  const v = Number(s);
  if (!Number.isNaN(v) && /^[+-]?(\d|\.\d)/.test(s)) {
    b.pushNumber(v, () => s);
    return;
  }
  b.pushText(s, line);
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Parse a decimal number from bytes [s, e). Returns NaN when the bytes are not a plain
 * decimal (the caller then decodes the cell as text). Clinger (1990) fast path: while the
 * mantissa fits in 2^53 and the exponent in ±22, m / 10^k or m × 10^k is correctly rounded;
 * other numbers fall back to Number() on the decoded text.
 */
export function parseNumberBytes(buf: Buffer, s: number, e: number): number {
  if (s >= e) return NaN;
  let i = s;
  let neg = false;
  let c = buf[i]!;
  if (c === 0x2d || c === 0x2b) {
    neg = c === 0x2d;
    i++;
    if (i >= e) return NaN;
  }
  let m = 0;
  let digits = 0;
  let frac = 0;
  let sawDigit = false;
  while (i < e) {
    c = buf[i]!;
    if (c >= 0x30 && c <= 0x39) {
      m = m * 10 + (c - 0x30);
      if (m !== 0 || digits > 0) digits++;
      sawDigit = true;
      i++;
    } else break;
  }
  if (i < e && buf[i] === 0x2e) {
    i++;
    while (i < e) {
      c = buf[i]!;
      if (c >= 0x30 && c <= 0x39) {
        m = m * 10 + (c - 0x30);
        if (m !== 0 || digits > 0) digits++;
        frac++;
        sawDigit = true;
        i++;
      } else break;
    }
  }
  if (!sawDigit) return NaN;
  let exp = 0;
  if (i < e && (buf[i] === 0x65 || buf[i] === 0x45)) {
    // exponent: leave to the slow path for exactness
    return Number(buf.toString('latin1', s, e));
  }
  if (i !== e) return NaN;
  exp -= frac;
  if (digits > 15 || exp < -22) return Number(buf.toString('latin1', s, e));
  const v = exp < 0 ? m / POW10[-exp]! : m;
  return neg ? -v : v;
}

/** A header row is all text, and the next row has a number where the header has text. */
export function looksLikeHeader(first: readonly string[], second: readonly string[] | undefined): boolean {
  const isNum = (s: string): boolean => {
    const t = s.trim();
    return t !== '' && !Number.isNaN(Number(t));
  };
  if (first.some(isNum)) return false;
  if (!second) return true;
  if (second.length !== first.length) return true;
  // names are distinct text; data rows usually repeat values or contain numbers
  if (second.some(isNum)) return true;
  return new Set(first).size === first.length && first.every((s) => /^[A-Za-z_ ][\w .\-/()]*$/.test(s.trim()));
}
