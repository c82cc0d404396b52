import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { constants as zlibConstants, createGunzip, gunzipSync } from 'node:zlib';
import { nadirError, nadirErrorWithCause, opt } from '../errors.js';
import { looksLikeEve } from './suricata.js';
import { looksLikeZeek } from './zeek.js';

/** What a file holds, judged from its name and first bytes. */
export interface SourceInfo {
  path: string;
  gzip: boolean;
  size: number;
  /** 'csv' | 'jsonl' | 'parquet' | 'zeek' (a Zeek ASCII log) | 'eve' (Suricata EVE JSON), from the extension (after stripping .gz) or the content. */
  kind: 'csv' | 'jsonl' | 'parquet' | 'zeek' | 'eve';
}

/** Looks at a file before reading it: exists, not empty, gzip or not, which format. */
export async function probeSource(path: string): Promise<SourceInfo> {
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw nadirError('NADIR_ERR_FILE_UNREADABLE', path, 'it is a directory');
    size = st.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw nadirError('NADIR_ERR_FILE_NOT_FOUND', path);
    if ((e as { code?: string }).code?.startsWith('NADIR_')) throw e;
    throw nadirErrorWithCause('NADIR_ERR_FILE_UNREADABLE', e, path, (e as Error).message);
  }
  if (size === 0) throw nadirError('NADIR_ERR_EMPTY_FILE', path);
  const head = Buffer.alloc(Math.min(size, MODEL_PEEK));
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (isModelFile(head)) throw notData(path);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const parquet = head.toString('latin1', 0, 4) === 'PAR1';
  const base = path.toLowerCase().replace(/\.gz$/, '');
  let kind: SourceInfo['kind'] = 'csv';
  if (parquet || base.endsWith('.parquet')) kind = 'parquet';
  else if (base.endsWith('.jsonl') || base.endsWith('.ndjson') || base.endsWith('.json')) {
    const name = base.slice(base.lastIndexOf('/') + 1);
    kind = (gzip ? name.includes('eve') : looksLikeEve(head.toString('utf8'))) ? 'eve' : 'jsonl';
  }
  else if (!gzip && looksLikeZeek(head.toString('latin1', 0, 16))) kind = 'zeek';
  else if (base.endsWith('.log') && (gzip || head.toString('latin1', 0, 1) === '#')) kind = 'zeek';
  return { path, gzip, size, kind };
}

/**
 * The file's bytes as a stream of chunks, gunzipped when needed; errors become catalogued NadirErrors.
 * `onProgress(done, total)` follows the bytes read from disk (compressed bytes for gzip) against the file size.
 */
export async function* readChunks(info: SourceInfo, highWaterMark = 1 << 20, onProgress?: (done: number, total: number) => void): AsyncGenerator<Buffer> {
  const file = createReadStream(info.path, { highWaterMark });
  const stream = info.gzip ? file.pipe(createGunzip({ chunkSize: highWaterMark })) : file;
  if (info.gzip) file.on('error', (e) => stream.destroy(e));
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        checkText(chunk, info.path);
      }
      onProgress?.(Math.min(file.bytesRead, info.size), info.size);
      yield chunk;
    }
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('NADIR_')) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (info.gzip && (code.startsWith('Z_') || /unexpected end of file|incorrect header/i.test((e as Error).message))) {
      throw nadirErrorWithCause('NADIR_ERR_GZIP', e, info.path, (e as Error).message);
    }
    throw nadirErrorWithCause('NADIR_ERR_FILE_UNREADABLE', e, info.path, (e as Error).message);
  } finally {
    file.destroy();
  }
  if (first) throw nadirError('NADIR_ERR_EMPTY_FILE', info.path);
  onProgress?.(info.size, info.size);
}

/**
 * Data read from a stream (stdin) with the checks a file gets on its first bytes: not a nadir
 * model file, not UTF-16, not binary. `name` names the stream in errors.
 */
export async function* readStream(chunks: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  // the first bytes are gathered until there are enough to recognise a model file (or the stream ends)
  let head: Buffer[] | null = [];
  let size = 0;
  for await (const chunk of chunks) {
    if (head === null) {
      yield chunk;
      continue;
    }
    head.push(chunk);
    size += chunk.length;
    if (size < MODEL_PEEK) continue;
    const first = Buffer.concat(head);
    head = null;
    checkText(first, name);
    yield first;
  }
  if (head !== null && size > 0) {
    const first = Buffer.concat(head);
    checkText(first, name);
    yield first;
  }
}

/**
 * A stream's bytes, inflated when they are gzip'd (recognised by the gzip magic bytes, whatever
 * the stream claims to be); a corrupt or truncated gzip stream is NADIR_ERR_GZIP naming `name`.
 */
export async function* gunzipStream(chunks: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  // the first two bytes decide: gather them (a chunk may hold a single byte)
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const r = await it.next();
    if (r.done) break;
    head = head.length === 0 ? r.value : Buffer.concat([head, r.value]);
  }
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => it };
  if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) {
    if (head.length > 0) yield head;
    yield* rest;
    return;
  }
  const gunzip = createGunzip();
  const feed = async (): Promise<void> => {
    try {
      if (!gunzip.write(head)) await once(gunzip, 'drain');
      for await (const chunk of rest) if (!gunzip.write(chunk)) await once(gunzip, 'drain');
      gunzip.end();
    } catch (e) {
      gunzip.destroy(e as Error);
    }
  };
  void feed();
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('NADIR_')) throw e;
    throw nadirErrorWithCause('NADIR_ERR_GZIP', e, name, (e as Error).message);
  } finally {
    gunzip.destroy();
  }
}

/** The first chunk of (decompressed) text: UTF-16 and binary data are refused, naming `name`. */
function checkText(chunk: Buffer, name: string): void {
  if (chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
    throw nadirError('NADIR_ERR_BAD_FORMAT', name, 'the text is UTF-16 encoded; save it as UTF-8');
  }
  if (isModelFile(chunk)) throw notData(name);
  if (looksBinary(chunk)) throw nadirError('NADIR_ERR_BINARY', name);
}

/** Bytes read from the start of a file to recognise a nadir model (its gzip'd header line decompresses from far fewer). */
const MODEL_PEEK = 4096;
const MODEL_HEADER = Buffer.from('NADIR-MODEL ', 'latin1');

/**
 * A nadir model file starts with the line `NADIR-MODEL <version> sha256=…`, gzip'd (or, written
 * by hand, plain). `head` is the file's first bytes: a gzip'd start is inflated as far as it goes
 * (Z_SYNC_FLUSH accepts a cut stream).
 */
export function isModelFile(head: Buffer): boolean {
  if (head.length >= MODEL_HEADER.length && head.subarray(0, MODEL_HEADER.length).equals(MODEL_HEADER)) return true;
  if (head.length < 10 || head[0] !== 0x1f || head[1] !== 0x8b) return false;
  let text: Buffer;
  try {
    text = gunzipSync(head.subarray(0, MODEL_PEEK), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return false;
  }
  return text.length >= MODEL_HEADER.length && text.subarray(0, MODEL_HEADER.length).equals(MODEL_HEADER);
}

function notData(name: string): Error {
  return nadirError('NADIR_ERR_BAD_INPUT', `${name} is a nadir model file, not a dataset (give it as ${opt('model')})`);
}

/** Text files have no NUL bytes and few control characters. */
function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.05;
}
