import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Logger, Warning } from '../../logger.js';

/** A fresh temporary directory for one test file's fixtures. */
export function tempDir(prefix = 'nadir-data-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Write `content` to `dir/name` (gzipped when the name ends in .gz) and return the path. */
export function writeFixture(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(bytes) : bytes);
  return path;
}

/** Feed a buffer as chunks of `size` bytes (to exercise records cut by chunk boundaries). */
export async function* chunksOf(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, Math.min(buf.length, i + size));
}

/** A logger that keeps warnings, for asserting findings. */
export function collect(): Logger & { warnings: Warning[] } {
  const warnings: Warning[] = [];
  return { warnings, warn: (w) => warnings.push(w), info: () => {} };
}

/** Expect a promise to reject with a NadirError whose code and message match. */
export async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<string> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code !== code) throw new Error(`expected ${code}, got ${err.code ?? 'no code'}: ${err.message}`);
    if (!message.test(err.message)) throw new Error(`message ${JSON.stringify(err.message)} does not match ${message}`);
    if (err.message.includes('\n')) throw new Error(`message spans several lines: ${JSON.stringify(err.message)}`);
    return err.message;
  }
  throw new Error(`expected a rejection with ${code}`);
}
