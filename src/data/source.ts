import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { nadirError, nadirErrorWithCause } from '../errors.js';

/** What a file holds, judged from its name and first bytes. */
export interface SourceInfo {
  path: string;
  gzip: boolean;
  size: number;
  /** 'csv' | 'jsonl' | 'parquet', from the extension (after stripping .gz) or the content. */
  kind: 'csv' | 'jsonl' | 'parquet';
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
  const head = Buffer.alloc(4);
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, 4, 0);
  } finally {
    await fh.close();
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const parquet = head.toString('latin1', 0, 4) === 'PAR1';
  const base = path.toLowerCase().replace(/\.gz$/, '');
  let kind: SourceInfo['kind'] = 'csv';
  if (parquet || base.endsWith('.parquet')) kind = 'parquet';
  else if (base.endsWith('.jsonl') || base.endsWith('.ndjson') || base.endsWith('.json')) kind = 'jsonl';
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
        if (chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
          throw nadirError('NADIR_ERR_BAD_FORMAT', info.path, 'the text is UTF-16 encoded; save it as UTF-8');
        }
        if (looksBinary(chunk)) throw nadirError('NADIR_ERR_BINARY', info.path);
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

/** Text files have no NUL bytes and few control characters. */
export function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.05;
}
