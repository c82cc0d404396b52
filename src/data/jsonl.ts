import { StringDecoder } from 'node:string_decoder';
import { nadirError } from '../errors.js';
import { ColumnBuilder, parseCell } from './column-builder.js';
import type { RawColumns } from './csv.js';

/**
 * JSON Lines: one object per line. Keys become columns (first-seen order); a key missing
 * from a line is a missing value; numbers stay numbers. A line that is not a JSON object is
 * an error naming the line (JSONL is usually machine-written, so we do not guess).
 * Each line's object is parsed, pushed into typed builders and dropped. A file that starts
 * with `[` is one JSON array of objects (a .json export) and is parsed as a whole.
 */
export async function readJsonl(chunks: AsyncIterable<Buffer>, path: string): Promise<RawColumns> {
  const columns = new RecordColumns(1024, (n) => `${path} line ${n}`, true);
  let lineNo = 0;
  let carry = '';
  const onLine = (text: string): void => {
    lineNo++;
    const t = text.trim();
    if (t === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch (e) {
      throw nadirError('NADIR_ERR_BAD_FORMAT', path, `line ${lineNo} is not valid JSON (${(e as Error).message})`);
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw nadirError('NADIR_ERR_BAD_FORMAT', path, `line ${lineNo}: expected a JSON object, got ${Array.isArray(obj) ? 'an array' : typeof obj}`);
    }
    columns.push(obj as Record<string, unknown>, lineNo);
  };
  // a multi-byte character may be cut by a chunk boundary: the decoder keeps its first bytes
  const decoder = new StringDecoder('utf8');
  let first = true;
  // a .json file holding one array of objects is read whole (it is one JSON document, not lines)
  let whole: string[] | null = null;
  for await (const chunk of chunks) {
    let text = carry + decoder.write(chunk);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const start = text.trimStart();
      if (start === '') {
        carry = text;
        continue;
      }
      first = false;
      if (start[0] === '[') whole = [];
    }
    if (whole) {
      whole.push(text);
      carry = '';
      continue;
    }
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    for (const l of lines) onLine(l);
  }
  carry += decoder.end();
  if (whole) return readJsonArray(whole.join('') + carry, path);
  if (carry.trim() !== '') onLine(carry);
  if (columns.nRows === 0) throw nadirError('NADIR_ERR_EMPTY_FILE', path);
  return columns.toRaw();
}

/** A JSON document that is an array of objects (a .json export): parsed whole, then typed like records. */
function readJsonArray(text: string, path: string): RawColumns {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw nadirError('NADIR_ERR_BAD_FORMAT', path, `not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(doc)) throw nadirError('NADIR_ERR_BAD_FORMAT', path, 'expected an array of objects');
  if (doc.length === 0) throw nadirError('NADIR_ERR_EMPTY_FILE', path);
  return recordsToColumns(doc as Record<string, unknown>[], path);
}

/** Records already in memory (HTTP API, stdin): the same column building as a JSONL file. */
export function recordsToColumns(records: readonly Record<string, unknown>[], where = 'input'): RawColumns {
  const columns = new RecordColumns(records.length, (n) => `${where} record ${n}`);
  records.forEach((rec, r) => {
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      throw nadirError('NADIR_ERR_BAD_VALUE', `${where} record ${r + 1}`, 'expected a JSON object');
    }
    columns.push(rec, r + 1);
  });
  return columns.toRaw();
}

/**
 * Records pushed one at a time into typed column builders: keys become columns in first-seen
 * order (a new key's column is missing in the earlier rows), a missing or null field is a
 * missing value, and nested values are refused. JSON true/false are read as 1/0, for columns of
 * 0/1 flags: a column that mixes true/false with text or with numbers other than 0 and 1
 * (`"src_bytes": true` among byte counts) is refused, naming both records.
 */
class RecordColumns {
  readonly builders: ColumnBuilder[] = [];
  private readonly names = new Set<string>();
  /** Per column: the first record holding true/false, and the first holding text or a number other than 0/1 (0 = none yet). */
  private readonly boolAt: number[] = [];
  private readonly otherAt: number[] = [];
  private readonly boolValue: boolean[] = [];
  private readonly otherValue: unknown[] = [];
  /** With `keepLines`: the 1-based line of each record. */
  private lines: Uint32Array | null;
  nRows = 0;

  /**
   * `capacity`: rows expected (the builders' first block size); `where` names a record in errors
   * from its 1-based line or record number (built only when there is an error); `keepLines`:
   * remember each record's line (a JSONL file or stream, where blank lines are not records).
   */
  constructor(
    private readonly capacity: number,
    private readonly where: (lineNo: number) => string,
    keepLines = false,
  ) {
    this.lines = keepLines ? new Uint32Array(Math.max(16, Math.min(capacity, 1 << 16))) : null;
  }

  /** Append one record; `lineNo` is its 1-based line or record number. */
  push(rec: Record<string, unknown>, lineNo: number): void {
    for (const key of Object.keys(rec)) {
      if (!this.names.has(key)) {
        const b = new ColumnBuilder(key, this.capacity);
        for (let i = 0; i < this.nRows; i++) b.pushMissing();
        this.names.add(key);
        this.builders.push(b);
        this.boolAt.push(0);
        this.otherAt.push(0);
        this.boolValue.push(false);
        this.otherValue.push(null);
      }
    }
    const builders = this.builders;
    for (let k = 0; k < builders.length; k++) {
      const b = builders[k]!;
      const v = rec[b.name];
      if (v === undefined || v === null) b.pushMissing();
      else if (typeof v === 'number') {
        if (v !== 0 && v !== 1 && this.otherAt[k] === 0) this.other(k, v, lineNo);
        b.pushNumber(v);
      } else if (typeof v === 'boolean') {
        if (this.boolAt[k] === 0) {
          if (this.otherAt[k] !== 0) this.mixed(k, lineNo, v, this.otherAt[k]!, this.otherValue[k]);
          this.boolAt[k] = lineNo;
          this.boolValue[k] = v;
        }
        b.pushNumber(v ? 1 : 0);
      } else if (typeof v === 'string') {
        if (this.otherAt[k] === 0 && v !== '0' && v !== '1') {
          const c = parseCell(v);
          if (c.kind === 'text' || (c.kind === 'number' && c.value !== 0 && c.value !== 1)) this.other(k, v, lineNo);
        }
        b.pushCell(v, lineNo);
      } else throw nadirError('NADIR_ERR_BAD_VALUE', this.where(lineNo), `field '${b.name}' must be a number or a string`);
    }
    if (this.lines) {
      if (this.nRows === this.lines.length) {
        const grown = new Uint32Array(this.lines.length * 2);
        grown.set(this.lines);
        this.lines = grown;
      }
      this.lines[this.nRows] = lineNo;
    }
    this.nRows++;
  }

  /** Column k's first value that is text or a number other than 0/1: refused if the column already had true/false. */
  private other(k: number, v: unknown, lineNo: number): void {
    if (this.boolAt[k] !== 0) this.mixed(k, lineNo, v, this.boolAt[k]!, this.boolValue[k]);
    this.otherAt[k] = lineNo;
    this.otherValue[k] = v;
  }

  private mixed(k: number, lineNo: number, v: unknown, earlier: number, earlierValue: unknown): never {
    throw nadirError(
      'NADIR_ERR_BAD_VALUE',
      this.where(lineNo),
      `field '${this.builders[k]!.name}' is ${JSON.stringify(v)}, but ${this.where(earlier)} has ${JSON.stringify(earlierValue)} there; true/false are read as 1/0, only in columns of 0/1 flags`,
    );
  }

  toRaw(): RawColumns {
    const { builders, nRows } = this;
    const raw: RawColumns = { header: builders.map((b) => b.name), builders, nRows, skippedRows: 0, skippedExamples: [], width: builders.length };
    if (this.lines) raw.recordLines = this.lines.subarray(0, nRows);
    return raw;
  }
}
