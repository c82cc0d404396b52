import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { nadirError, nadirErrorWithCause } from '../errors.js';
import { parseTyped, stringifyTyped } from '../util/typed-json.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import { isLearnerType, learnerSpec } from '../learners/registry.js';
import { decisionFromV1 } from './decision.js';
import type { ModelBody } from './types.js';

/**
 * The model file: gzip of
 *   line 1: `NADIR-MODEL <formatVersion> sha256=<hex of the body bytes>`
 *   rest:   the body, JSON (typed arrays as base64, see util/typed-json.ts)
 * Self-describing (schema, preprocessing, model arrays, classes, threshold, metrics,
 * provenance) and versioned. Loading only parses JSON — nothing is executed — and checks
 * the magic line, the format version and the checksum before anything is used.
 */
const MODEL_MAGIC = 'NADIR-MODEL';
export const MODEL_FORMAT_VERSION = 2;
/** The oldest format this build reads (and migrates on read; see migrate). */
export const MODEL_FORMAT_OLDEST = 1;

export function encodeModel(body: ModelBody): Buffer {
  const text = stringifyTyped(body);
  const sum = createHash('sha256').update(text, 'utf8').digest('hex');
  return gzipSync(Buffer.from(`${MODEL_MAGIC} ${MODEL_FORMAT_VERSION} sha256=${sum}\n${text}`, 'utf8'), { level: 6 });
}

export function decodeModel(buf: Buffer, source = 'model'): ModelBody {
  let raw: Buffer;
  try {
    raw = gunzipSync(buf);
  } catch (e) {
    const head = buf.subarray(0, 11).toString('latin1');
    if (head.startsWith(MODEL_MAGIC)) raw = buf; // an uncompressed model file is accepted too
    else throw nadirErrorWithCause('NADIR_ERR_MODEL_CORRUPT', e, source, buf.length === 0 ? 'the file is empty' : `not a gzip-compressed nadir model, or the file is damaged (${(e as Error).message})`);
  }
  const nl = raw.indexOf(0x0a);
  const header = raw.subarray(0, nl < 0 ? Math.min(raw.length, 80) : nl).toString('utf8');
  const m = /^NADIR-MODEL (\d+) sha256=([0-9a-f]{64})$/.exec(header);
  if (nl < 0 || !m) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'missing the NADIR-MODEL header line: this is not a nadir model file');
  const version = Number(m[1]);
  if (version < MODEL_FORMAT_OLDEST || version > MODEL_FORMAT_VERSION) {
    throw nadirError('NADIR_ERR_MODEL_VERSION', source, `model format version ${version} is not supported by this nadir (reads versions ${MODEL_FORMAT_OLDEST} to ${MODEL_FORMAT_VERSION}); retrain or upgrade`);
  }
  const body = raw.subarray(nl + 1);
  const sum = createHash('sha256').update(body).digest('hex');
  if (sum !== m[2]) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'checksum mismatch: the file was modified or damaged after it was written');
  const parsed = parseTyped(body.toString('utf8'), source) as ModelBody;
  if (!parsed || typeof parsed !== 'object' || parsed.kind !== 'nadir-model') throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'body is not a nadir model');
  return version === 1 ? migrateV1(parsed as unknown as Record<string, unknown>, source) : parsed;
}

/**
 * Format 1 → 2: the bare `threshold` / `thresholdInfo` become the decision policy (decision.ts).
 * (A learner's own layout is migrated by its fromJSON, e.g. the isolation forest's v1 trees.)
 */
function migrateV1(body: Record<string, unknown>, source: string): ModelBody {
  const { threshold, thresholdInfo, ...rest } = body;
  const type = (body.learner as { type?: unknown } | undefined)?.type;
  const score = typeof type === 'string' && isLearnerType(type) ? learnerSpec(type).score : 'probability';
  return { ...(rest as unknown as ModelBody), decision: decisionFromV1(threshold, thresholdInfo, score, source) };
}

export async function saveModelFile(path: string, body: ModelBody): Promise<void> {
  await writeFileAtomic(path, encodeModel(body));
}

export async function readModelFile(path: string): Promise<ModelBody> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw nadirError('NADIR_ERR_FILE_NOT_FOUND', path);
    throw nadirErrorWithCause('NADIR_ERR_FILE_UNREADABLE', e, path, (e as Error).message);
  }
  return decodeModel(buf, path);
}
