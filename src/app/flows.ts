/**
 * The flows use case: packet captures (pcap / pcapng, gzip'd or not, files or stdin) → a flow
 * table with CIC-IDS2017's columns, written as CSV or JSON Lines as the flows end (streaming:
 * memory holds the open flows, not the table). Options are named (errors use opt()).
 */
import { formatCount } from '../util/format.js';
import { once } from 'node:events';
import { Buffer } from 'node:buffer';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { nadirError, nadirErrorWithCause } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { csvHeaderNames, FLOW_COLUMNS, flowCsvLine, flowRecord } from '../traffic/columns.js';
import { DEFAULT_ACTIVE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, type FlowMode } from '../traffic/flow-meter.js';
import { readFlows, type CaptureInput, type CaptureStats } from '../traffic/read-flows.js';

export const FLOW_MODES: readonly FlowMode[] = ['cic2017', 'corrected'];

export interface FlowsOptions {
  /** 'cic2017' (default): CICFlowMeter's features as CIC-IDS2017 has them; 'corrected': its bugs fixed */
  mode?: FlowMode | string;
  /** seconds after a flow's first packet at which it ends (CICFlowMeter's flow timeout); default 120 */
  activeTimeout?: number;
  /** seconds of silence that end an active period (CICFlowMeter's activity timeout); default 5 */
  idleTimeout?: number;
  /** a Label column with this value on every flow (for training sets made from labelled captures) */
  label?: string;
  logger?: Logger;
  onProgress?: (done: number, total: number, packets: number) => void;
  signal?: AbortSignal;
}

export interface CheckedFlowsOptions {
  mode: FlowMode;
  activeTimeout: number;
  idleTimeout: number;
  label: string | undefined;
}

/** Checks the options once, before any work; errors name the option. */
export function checkFlowsOptions(o: FlowsOptions): CheckedFlowsOptions {
  const mode = o.mode ?? 'cic2017';
  if (!FLOW_MODES.includes(mode as FlowMode)) throw nadirError('NADIR_ERR_BAD_OPTION', 'mode', `expected one of ${FLOW_MODES.join(', ')}, got '${String(mode)}'`);
  const seconds = (name: string, v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw nadirError('NADIR_ERR_BAD_OPTION', name, `expected a number of seconds > 0, got '${String(v)}'`);
    return v;
  };
  const activeTimeout = seconds('activeTimeout', o.activeTimeout, DEFAULT_ACTIVE_TIMEOUT);
  const idleTimeout = seconds('idleTimeout', o.idleTimeout, DEFAULT_IDLE_TIMEOUT);
  if (o.label !== undefined && (typeof o.label !== 'string' || o.label.trim() === '' || /[\r\n]/.test(o.label))) {
    throw nadirError('NADIR_ERR_BAD_OPTION', 'label', 'expected a non-empty label on one line');
  }
  return { mode: mode as FlowMode, activeTimeout, idleTimeout, label: o.label };
}

export type FlowsFormat = 'csv' | 'jsonl' | 'parquet';

/** The output format an output file's name asks for; anything else is refused before any work. */
export function flowsFormatOf(path: string): FlowsFormat {
  const ext = /\.([^./\\]+)$/.exec(path.replace(/\.gz$/i, ''))?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'parquet' && !/\.gz$/i.test(path)) return 'parquet';
  throw nadirError('NADIR_ERR_BAD_OPTION', 'out', `${path}: expected a .csv, .jsonl or .parquet file`);
}

/**
 * Meters the captures and writes their flows to `out` (a file, written to a temporary name and
 * renamed at the end, or a stream such as stdout). Returns what reading the captures counted.
 */
export async function writeFlows(inputs: readonly CaptureInput[], out: { path: string } | { stream: Writable }, format: FlowsFormat, options: FlowsOptions = {}): Promise<CaptureStats> {
  if (format === 'parquet') {
    if (!('path' in out)) throw nadirError('NADIR_ERR_BAD_OPTION', 'out', 'Parquet is written to a file, not a stream');
    // JSON Lines first (streaming), then DuckDB turns them into Parquet with the columns typed
    const tmp = `${out.path}.${process.pid}.jsonl`;
    try {
      const stats = await writeFlows(inputs, { path: tmp }, 'jsonl', options);
      await jsonlToParquet(tmp, out.path, options.label !== undefined);
      return stats;
    } finally {
      await rm(tmp, { force: true });
    }
  }
  const o = checkFlowsOptions(options);
  if (inputs.length === 0) throw nadirError('NADIR_ERR_BAD_INPUT', 'no capture to read: name one or more pcap/pcapng files (or - for stdin)');
  if (inputs.filter((i) => i === '-').length > 1) throw nadirError('NADIR_ERR_BAD_INPUT', "stdin ('-') can be read only once");
  const tmp = 'path' in out ? `${out.path}.${process.pid}.tmp` : null;
  const stream: Writable = 'path' in out ? createWriteStream(tmp!) : out.stream;
  // a write error (disk full, a closed pipe) comes as an event: kept here, thrown at the next flush
  const state: { failed: Error | null } = { failed: null };
  stream.on('error', (e) => (state.failed = e));
  // lines are encoded into 1 MB buffers as they come (rather than 1 MB strings joined, then
  // encoded, per write); full buffers wait in `ready` for the next flush
  const CHUNK = 1 << 20;
  let chunk = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  let ready: Buffer[] = [];
  let readyBytes = 0;
  const seal = (): void => {
    if (used === 0) return;
    ready.push(chunk.subarray(0, used));
    readyBytes += used;
    // the stream keeps written bytes until they are out: the next lines go to a new buffer
    chunk = Buffer.allocUnsafe(CHUNK);
    used = 0;
  };
  const add = (line: string): void => {
    // a UTF-16 unit takes at most 3 bytes in UTF-8
    if (used + line.length * 3 > CHUNK) seal();
    if (line.length * 3 > CHUNK) {
      const b = Buffer.from(line);
      ready.push(b);
      readyBytes += b.length;
    } else used += chunk.write(line, used);
  };
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
    });
  const flush = async (): Promise<void> => {
    if (state.failed) throw state.failed;
    seal();
    const data = ready.length === 1 ? ready[0]! : Buffer.concat(ready, readyBytes);
    ready = [];
    readyBytes = 0;
    if (data.length === 0) return;
    if (!stream.write(data)) await drained();
    if (state.failed) throw state.failed;
  };
  if (format === 'csv') add(`${csvHeaderNames(o.label !== undefined).join(',')}\n`);
  try {
    const stats = await readFlows(
      inputs,
      (f) => {
        let line: string;
        if (format === 'csv') line = `${flowCsvLine(f, o.mode, o.label)}\n`;
        else {
          const r = flowRecord(f, o.mode);
          if (o.label !== undefined) r.Label = o.label;
          line = `${JSON.stringify(r)}\n`;
        }
        add(line);
      },
      {
        mode: o.mode,
        activeTimeout: o.activeTimeout,
        idleTimeout: o.idleTimeout,
        logger: options.logger ?? silentLogger,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        afterChunk: async () => {
          if (readyBytes > 0) await flush();
        },
      },
    );
    await flush();
    if (tmp !== null) {
      stream.end();
      await once(stream, 'finish');
      await rename(tmp, (out as { path: string }).path);
    }
    return stats;
  } catch (e) {
    if (tmp !== null) {
      stream.destroy();
      await rm(tmp, { force: true });
    }
    if (e === state.failed) throw nadirErrorWithCause('NADIR_ERR_FILE_WRITE', e, 'path' in out ? out.path : 'output', (e as Error).message);
    throw e;
  }
}

const TEXT_COLUMNS = new Set(['Flow ID', 'Source IP', 'Destination IP', 'Timestamp', 'Label']);

/** Flow records (JSON Lines) → Parquet: identifiers and the label as text, every other column a double (NaN/Infinity → null). */
async function jsonlToParquet(jsonl: string, parquet: string, label: boolean): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  const names = [...FLOW_COLUMNS, ...(label ? ['Label'] : [])];
  const columns = names.map((n) => `${q(n)}: ${q(TEXT_COLUMNS.has(n) ? 'VARCHAR' : 'DOUBLE')}`).join(', ');
  const tmp = `${parquet}.${process.pid}.tmp`;
  try {
    await conn.run(`COPY (SELECT * FROM read_json(${q(jsonl)}, format = 'newline_delimited', columns = {${columns}})) TO ${q(tmp)} (FORMAT parquet)`);
    await rename(tmp, parquet);
  } catch (e) {
    await rm(tmp, { force: true });
    throw nadirErrorWithCause('NADIR_ERR_FILE_WRITE', e, parquet, (e as Error).message.split('\n')[0]!);
  } finally {
    conn.closeSync();
  }
}

/** A one-line account of what was read, for stderr. */
export function flowsSummary(s: CaptureStats, seconds: number): string {
  const skipped = Object.entries(s.skipped)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n.toLocaleString('en-US')} ${k}`);
  const parts = [`${s.packets.toLocaleString('en-US')} packets → ${s.flows.toLocaleString('en-US')} flows in ${seconds.toFixed(1)} s`];
  if (skipped.length) parts.push(`not metered: ${skipped.join(', ')}`);
  if (s.ignored) parts.push(`${formatCount(s.ignored, 'packet')} of protocols other than TCP/UDP (ignored in cic2017 mode)`);
  if (s.droppedSingle) parts.push(`${formatCount(s.droppedSingle, 'one-packet flow')} dropped (cic2017 mode)`);
  if (s.issues) parts.push(`${formatCount(s.issues, 'capture record')} skipped`);
  return parts.join('; ');
}
