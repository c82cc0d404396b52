import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { FileProvenance } from '../model/types.js';

/** A data file a model was trained or tested on: its name, checksums and rows. */
export async function fileProvenance(file: string, rows: number): Promise<FileProvenance> {
  return { file: basename(file), ...(await fileChecksums(file)), rows };
}

/**
 * sha256 of a file's bytes and, for a gzip file, of its decompressed content, in one streamed
 * read. The first identifies the file as stored; the second is what `zcat f.gz | sha256sum` prints
 * and what published checksum lists of the uncompressed data give (data/nsl-kdd/SHA256SUMS),
 * and it stays the same when the file is recompressed or unpacked.
 */
export async function fileChecksums(path: string): Promise<{ sha256: string; contentSha256?: string }> {
  const raw = createHash('sha256');
  const fh = await open(path, 'r');
  const head = Buffer.alloc(2);
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  if (!(head[0] === 0x1f && head[1] === 0x8b)) {
    for await (const chunk of createReadStream(path)) raw.update(chunk as Buffer);
    return { sha256: raw.digest('hex') };
  }
  const content = createHash('sha256');
  const file = createReadStream(path);
  file.on('data', (chunk) => raw.update(chunk as Buffer));
  const gunzip = createGunzip();
  gunzip.on('data', (chunk: Buffer) => content.update(chunk));
  // the loader has read the file through gunzip already, so it decompresses here too
  await pipeline(file, gunzip);
  return { sha256: raw.digest('hex'), contentSha256: content.digest('hex') };
}
