import { StringDecoder } from 'node:string_decoder';
import { nadirError } from '../errors.js';
import { ColumnBuilder } from './column-builder.js';
import type { RawColumns } from './csv.js';

/**
 * JSON Lines: one object per line. Keys become columns (first-seen order); a key missing
 * from a line is a missing value; numbers stay numbers. A line that is not a JSON object is
 * an error naming the line (JSONL is usually machine-written, so we do not guess).
 * Each line's object is parsed, pushed into typed builders and dropped. A file that starts
 * with `[` is one JSON array of objects (a .json export) and is parsed as a whole.
 */
export async function readJsonl(chunks: AsyncIterable<Buffer>, path: string): Promise<RawColumns> {
  const columns = new RecordColumns(1024, (n) => `${path} line ${n}`);
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
 * missing value, booleans are 0/1, and nested values are refused.
 */
class RecordColumns {
  readonly builders: ColumnBuilder[] = [];
  private readonly names = new Set<string>();
  nRows = 0;

  /**
   * `capacity`: rows expected (the builders' first block size); `where` names a record in errors
   * from its 1-based line or record number (built only when there is an error).
   */
  constructor(
    private readonly capacity: number,
    private readonly where: (lineNo: number) => string,
  ) {}

  /** Append one record; `lineNo` is its 1-based line or record number. */
  push(rec: Record<string, unknown>, lineNo: number): void {
    for (const key of Object.keys(rec)) {
      if (!this.names.has(key)) {
        const b = new ColumnBuilder(key, this.capacity);
        for (let i = 0; i < this.nRows; i++) b.pushMissing();
        this.names.add(key);
        this.builders.push(b);
      }
    }
    for (const b of this.builders) {
      const v = rec[b.name];
      if (v === undefined || v === null) b.pushMissing();
      else if (typeof v === 'number') b.pushNumber(v);
      else if (typeof v === 'boolean') b.pushNumber(v ? 1 : 0);
      else if (typeof v === 'string') b.pushCell(v, lineNo);
      else throw nadirError('NADIR_ERR_BAD_VALUE', this.where(lineNo), `field '${b.name}' must be a number or a string`);
    }
    this.nRows++;
  }

  toRaw(): RawColumns {
    const { builders, nRows } = this;
    return { header: builders.map((b) => b.name), builders, nRows, skippedRows: 0, skippedExamples: [], width: builders.length };
  }
}
