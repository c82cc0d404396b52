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
  const builders: ColumnBuilder[] = [];
  const index = new Map<string, number>();
  let nRows = 0;
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
    const rec = obj as Record<string, unknown>;
    for (const key of Object.keys(rec)) {
      if (!index.has(key)) {
        const b = new ColumnBuilder(key, 1024);
        for (let i = 0; i < nRows; i++) b.pushMissing();
        index.set(key, builders.length);
        builders.push(b);
      }
    }
    for (const b of builders) {
      const v = rec[b.name];
      if (v === undefined || v === null) b.pushMissing();
      else if (typeof v === 'number') b.pushNumber(v);
      else if (typeof v === 'boolean') b.pushNumber(v ? 1 : 0);
      else if (typeof v === 'string') b.pushCell(v, lineNo);
      else throw nadirError('NADIR_ERR_BAD_VALUE', `${path} line ${lineNo}`, `field '${b.name}' must be a number or a string`);
    }
    nRows++;
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
  if (nRows === 0) throw nadirError('NADIR_ERR_EMPTY_FILE', path);
  return { header: builders.map((b) => b.name), builders, nRows, skippedRows: 0, skippedExamples: [], width: builders.length };
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
  const builders: ColumnBuilder[] = [];
  const index = new Map<string, number>();
  records.forEach((rec, r) => {
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      throw nadirError('NADIR_ERR_BAD_VALUE', `${where} record ${r + 1}`, 'expected a JSON object');
    }
    for (const key of Object.keys(rec)) {
      if (!index.has(key)) {
        const b = new ColumnBuilder(key, records.length);
        for (let i = 0; i < r; i++) b.pushMissing();
        index.set(key, builders.length);
        builders.push(b);
      }
    }
    for (const b of builders) {
      const v = rec[b.name];
      if (v === undefined || v === null) b.pushMissing();
      else if (typeof v === 'number') b.pushNumber(v);
      else if (typeof v === 'boolean') b.pushNumber(v ? 1 : 0);
      else if (typeof v === 'string') b.pushCell(v, r + 1);
      else throw nadirError('NADIR_ERR_BAD_VALUE', `${where} record ${r + 1}`, `field '${b.name}' must be a number or a string`);
    }
  });
  return { header: builders.map((b) => b.name), builders, nRows: records.length, skippedRows: 0, skippedExamples: [], width: builders.length };
}
