import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CaptureReader, type CaptureIssue } from '../capture.js';

/** test/fixtures/captures of the checkout (this file runs as dist/src/traffic/testdata/fixtures.js). */
export const CAPTURES = fileURLToPath(new URL('../../../../test/fixtures/captures/', import.meta.url));

/** The real captures of ../shared/datasets (README there), for tests that use what is not copied here. */
export const SHARED = fileURLToPath(new URL('../../../../../shared/datasets/', import.meta.url));

export interface FrameCopy {
  number: number;
  linkType: number;
  interfaceId: number;
  tsMicros: number;
  data: Buffer;
  wireLength: number;
}

/** Every frame of a capture held in memory, fed in chunks of `chunk` bytes. */
export function readAllFrames(bytes: Buffer, chunk = 1 << 16, name = 'test'): { frames: FrameCopy[]; issues: CaptureIssue[]; format: string | null } {
  const frames: FrameCopy[] = [];
  const issues: CaptureIssue[] = [];
  const r = new CaptureReader(name, (f) => frames.push({ ...f, data: Buffer.from(f.data) }), (i) => issues.push(i));
  for (let i = 0; i < bytes.length; i += chunk) r.push(bytes.subarray(i, Math.min(bytes.length, i + chunk)));
  r.end();
  return { frames, issues, format: r.format };
}

export function fixture(path: string): Buffer {
  return readFileSync(CAPTURES + path);
}
