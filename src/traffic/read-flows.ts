import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { nadirError, nadirErrorWithCause } from '../errors.js';
import type { Logger } from '../logger.js';
import { warning } from '../logger.js';
import { CaptureReader, type CaptureIssue } from './capture.js';
import { decodeFrame, PacketInfo, type SkipReason } from './decode.js';
import { Flow, FlowMeter, type FlowMeterOptions } from './flow-meter.js';

/** What reading a capture counted. */
export interface CaptureStats {
  packets: number;
  /** packets that went into flows */
  metered: number;
  skipped: Record<SkipReason, number>;
  /** IPv4/IPv6 fragments: non-first ones are skipped (counted in skipped.fragment), first ones metered */
  firstFragments: number;
  issues: number;
  flows: number;
  /** cic2017 mode: flows of a single packet, dropped as CICFlowMeter drops them */
  droppedSingle: number;
  /** packets the mode does not meter (ICMP in cic2017 mode) */
  ignored: number;
  bytesRead: number;
}

export interface ReadFlowsOptions extends FlowMeterOptions {
  logger?: Logger;
  /** called now and then with the bytes read so far and the total (0 when unknown: stdin) */
  onProgress?: (done: number, total: number, packets: number) => void;
  /** at most this many issues are logged one by one (the rest are counted); default 10 */
  maxIssueWarnings?: number;
  /** read chunk size; default 1 MiB */
  chunkSize?: number;
  /** stops reading (Ctrl-C): open flows are flushed */
  signal?: AbortSignal;
  /**
   * Called after each chunk with the capture time of its last packet (µs; 0 before the first):
   * lets a writer flush and wait for its stream, and a replay pace itself (monitor --realtime).
   */
  afterChunk?: (tsMicros: number) => void | Promise<void>;
  /** Called once with the flow table (a live monitor ends timed-out flows by the wall clock). */
  onMeter?: (meter: FlowMeter) => void;
}

/** A capture source: a file path ('-' for stdin) or a stream of bytes with a name. */
export type CaptureInput = string | { name: string; stream: AsyncIterable<Buffer> };

function emptyStats(): CaptureStats {
  return {
    packets: 0,
    metered: 0,
    skipped: { 'link-type': 0, 'not-ip': 0, truncated: 0, 'bad-ip-header': 0, fragment: 0, 'other-protocol': 0 },
    firstFragments: 0,
    issues: 0,
    flows: 0,
    droppedSingle: 0,
    ignored: 0,
    bytesRead: 0,
  };
}

/** Bytes of a file (gunzipped when it starts with the gzip magic) or of stdin. */
async function* openInput(input: CaptureInput, chunkSize: number, onRaw: (n: number) => void): AsyncGenerator<Buffer> {
  let raw: AsyncIterable<Buffer>;
  let name: string;
  if (typeof input === 'string' && input !== '-') {
    name = input;
    try {
      const st = await stat(input);
      if (st.isDirectory()) throw nadirError('NADIR_ERR_FILE_UNREADABLE', input, 'it is a directory');
      if (st.size === 0) throw nadirError('NADIR_ERR_EMPTY_FILE', input);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw nadirError('NADIR_ERR_FILE_NOT_FOUND', input);
      if ((e as { code?: string }).code?.startsWith('NADIR_')) throw e;
      throw nadirErrorWithCause('NADIR_ERR_FILE_UNREADABLE', e, input, (e as Error).message);
    }
    raw = createReadStream(input, { highWaterMark: chunkSize });
  } else if (input === '-') {
    name = 'stdin';
    raw = process.stdin;
  } else {
    name = input.name;
    raw = input.stream;
  }
  const it = raw[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await it.next();
  } catch (e) {
    throw nadirErrorWithCause('NADIR_ERR_FILE_UNREADABLE', e, name, (e as Error).message);
  }
  if (first.done) throw nadirError('NADIR_ERR_EMPTY_FILE', name);
  const head = first.value;
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  async function* rest(): AsyncGenerator<Buffer> {
    onRaw(head.length);
    yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      onRaw(r.value.length);
      yield r.value;
    }
  }
  try {
    if (!gzip) {
      yield* rest();
      return;
    }
    const gunzip = createGunzip({ chunkSize });
    const src = rest();
    // feed the gunzip stream from the generator, with backpressure
    void (async () => {
      try {
        for await (const c of src) if (!gunzip.write(c)) await new Promise((r) => gunzip.once('drain', r));
        gunzip.end();
      } catch (e) {
        gunzip.destroy(e as Error);
      }
    })();
    yield* gunzip as AsyncIterable<Buffer>;
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('NADIR_')) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (gzip && (code.startsWith('Z_') || /unexpected end of file|incorrect header/i.test((e as Error).message))) {
      throw nadirErrorWithCause('NADIR_ERR_GZIP', e, name, (e as Error).message);
    }
    throw nadirErrorWithCause('NADIR_ERR_FILE_UNREADABLE', e, name, (e as Error).message);
  }
}

/** The chunks until the signal aborts — at once, even while waiting for the next chunk (a live pipe may stay quiet). */
async function* abortable(src: AsyncGenerator<Buffer>, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  if (!signal) {
    yield* src;
    return;
  }
  const aborted = new Promise<IteratorResult<Buffer>>((resolve) => {
    if (signal.aborted) resolve({ done: true, value: undefined });
    else signal.addEventListener('abort', () => resolve({ done: true, value: undefined }), { once: true });
  });
  try {
    for (;;) {
      const r = await Promise.race([src.next(), aborted]);
      if (r.done) return;
      yield r.value;
    }
  } finally {
    // a read still pending ends with its source (the caller closes stdin or kills the capture)
    if (!signal.aborted) await src.return(undefined);
  }
}

function inputName(input: CaptureInput): string {
  return typeof input === 'string' ? (input === '-' ? 'stdin' : input) : input.name;
}

/**
 * Reads captures (pcap / pcapng, plain or gzip'd, files or stdin) and meters their packets into
 * flows, handing each flow to `onFlow` as it ends; the inputs are read one after the other into
 * one flow table (their packets should be in time order). Returns the counts; skipped records
 * are logged as warnings naming the packet number (the first few) and counted.
 */
export async function readFlows(inputs: readonly CaptureInput[], onFlow: (f: Flow, meter: FlowMeter) => void, opts: ReadFlowsOptions = {}): Promise<CaptureStats> {
  const stats = emptyStats();
  const meter = new FlowMeter((f) => onFlow(f, meter), opts);
  opts.onMeter?.(meter);
  const logger = opts.logger;
  const maxWarn = opts.maxIssueWarnings ?? 10;
  const chunkSize = opts.chunkSize ?? 1 << 20;
  const p = new PacketInfo();
  let total = 0;
  for (const input of inputs) {
    if (typeof input === 'string' && input !== '-') {
      try {
        total += (await stat(input)).size;
      } catch {
        // reported by openInput
      }
    }
  }
  const issuesByCode = new Map<string, number>();
  for (const input of inputs) {
    if (opts.signal?.aborted) break;
    const name = inputName(input);
    let lastTs = 0;
    const onIssue = (i: CaptureIssue): void => {
      stats.issues++;
      issuesByCode.set(i.code, (issuesByCode.get(i.code) ?? 0) + 1);
      if (stats.issues <= maxWarn) logger?.warn(warning(i.code, i.message, { examples: [i.packet] }));
    };
    const reader = new CaptureReader(
      name,
      (fr) => {
        // the hot loop: decode into the one PacketInfo, meter it
        stats.packets++;
        const why = decodeFrame(fr.linkType, fr.buffer, p, fr.offset, fr.offset + fr.length);
        if (why !== null) {
          stats.skipped[why]++;
          return;
        }
        if (p.firstFragment) stats.firstFragments++;
        p.tsMicros = fr.tsMicros;
        p.wireLength = fr.wireLength;
        lastTs = fr.tsMicros;
        stats.metered++;
        meter.add(p);
      },
      onIssue,
    );
    let lastProgress = 0;
    for await (const chunk of abortable(openInput(input, chunkSize, (n) => (stats.bytesRead += n)), opts.signal)) {
      reader.push(chunk);
      if (opts.afterChunk) await opts.afterChunk(lastTs);
      if (opts.onProgress && stats.bytesRead - lastProgress >= 8 * chunkSize) {
        lastProgress = stats.bytesRead;
        opts.onProgress(stats.bytesRead, total, stats.packets);
      }
      if (opts.signal?.aborted) break;
    }
    if (!opts.signal?.aborted) reader.end();
  }
  meter.finish();
  stats.flows = meter.emitted;
  stats.droppedSingle = meter.droppedSingle;
  stats.ignored = meter.ignored;
  opts.onProgress?.(stats.bytesRead, total, stats.packets);
  if (stats.issues > maxWarn) {
    const parts = [...issuesByCode].map(([c, k]) => `${k} ${c}`).join(', ');
    logger?.warn(warning('capture-issues', `${stats.issues} capture records were odd (${parts}); the first ${maxWarn} are listed above`, { count: stats.issues }));
  }
  return stats;
}
