import { CIC_IDS2017_COLUMNS } from '../data/formats/cicids.js';
import type { Flow, FlowMode } from './flow-meter.js';

/**
 * The columns of a flow record: the canonical CIC-IDS2017 names (data/formats/cicids.ts, the
 * names CICFlowMeter's `test.pcap_CIC.csv` uses, padding trimmed), without the label (84 columns;
 * `nadir flows --label` adds it). `Fwd Header Length` appears twice there: the second one is
 * `Fwd Header Length.1`, which is what nadir's CSV loader calls the repeat when it reads a
 * CIC-IDS2017 file (CSV output writes the original header, with the name twice). One list, so the
 * flow meter writes exactly what the loader recognises and models trained on CIC-IDS2017 read.
 */
export type FlowColumn = Exclude<(typeof CIC_IDS2017_COLUMNS)[number], 'Label'>;
export const FLOW_COLUMNS: readonly FlowColumn[] = CIC_IDS2017_COLUMNS.filter((c): c is FlowColumn => c !== 'Label');

/**
 * The columns that name a flow (its id, endpoints, protocol and time). The loader sets the flow
 * id, addresses and time aside as identifiers; ports and protocol stay numeric model inputs there,
 * as in CIC-IDS2017-trained models (they are informative).
 */
export const FLOW_ID_COLUMNS: readonly FlowColumn[] = ['Flow ID', 'Source IP', 'Source Port', 'Destination IP', 'Destination Port', 'Protocol', 'Timestamp'];

/** The header line of CSV output: CICFlowMeter's names, `Fwd Header Length` twice as in CIC-IDS2017. */
export function csvHeaderNames(label: boolean): string[] {
  const names: string[] = FLOW_COLUMNS.map((c) => (c === 'Fwd Header Length.1' ? 'Fwd Header Length' : c));
  if (label) names.push('Label');
  return names;
}

/**
 * CICFlowMeter wrote the eight flag counts by iterating a java.util.HashMap, whose order is not
 * the header's: the columns FIN, SYN, RST, PSH, ACK, URG, CWE, ECE hold the counts of RST, PSH,
 * ECE, SYN, ACK, FIN, URG, CWR (String.hashCode buckets of a 16-slot table). Indices into
 * Flow.flags (FIN SYN RST PSH ACK URG CWR ECE) for each header position.
 */
const CIC_FLAG_ORDER = [2, 3, 7, 1, 4, 0, 5, 6];
const HEADER_FLAG_ORDER = [0, 1, 2, 3, 4, 5, 6, 7];

/** The CICFlowMeter timestamp, as dd/MM/yyyy HH:mm:ss in UTC (CICFlowMeter wrote local time, 12-hour clock). */
export function cicTimestamp(micros: number): string {
  const d = new Date(Math.floor(micros / 1000));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

type Stat = { n: number; sum: number; max: number; min: number; mean: number; std: number };

/** max, min, mean, std of a stat (zeros when `ok` is false). */
function pushStat(v: (number | string)[], s: Stat, ok: boolean): void {
  if (ok) v.push(s.max, s.min, s.mean, s.std);
  else v.push(0, 0, 0, 0);
}

/** total, mean, std, max, min of inter-arrival times (zeros when `ok` is false). */
function pushIat(v: (number | string)[], s: Stat, ok: boolean): void {
  if (ok) v.push(s.sum, s.mean, s.std, s.max, s.min);
  else v.push(0, 0, 0, 0, 0);
}

/** mean, std, max, min (zeros for no values). */
function pushPeriods(v: (number | string)[], s: Stat): void {
  if (s.n > 0) v.push(s.mean, s.std, s.max, s.min);
  else v.push(0, 0, 0, 0);
}

/**
 * A flow's values in FLOW_COLUMNS order. Written as a run of pushes (no spread arrays): it is
 * called once per flow by every writer, and the CSV bytes are checked against fixed hashes in
 * app/flows-csv.test.ts.
 */
export function flowValues(f: Flow, mode: FlowMode): (number | string)[] {
  const cic = mode === 'cic2017';
  const dur = f.duration;
  const secs = dur / 1e6;
  const n = f.packets;
  const fl = f.fwdLen;
  const bl = f.bwdLen;
  const al = f.allLen;
  const fwdN = fl.n;
  const bwdN = bl.n;
  const bytes = fl.sum + bl.sum;
  const v: (number | string)[] = [f.id, f.srcIp, f.srcPort, f.dstIp, f.dstPort, f.protocol, cicTimestamp(f.startMicros), dur, fwdN, bwdN, fl.sum, bl.sum];
  pushStat(v, fl, fwdN > 0);
  pushStat(v, bl, bwdN > 0);
  v.push(bytes / secs, n / secs);
  pushPeriods(v, f.flowIat);
  pushIat(v, f.fwdIat, fwdN > 1);
  pushIat(v, f.bwdIat, bwdN > 1);
  v.push(f.fPsh, f.bPsh, f.fUrg, f.bUrg, f.fwdHeaderBytes, f.bwdHeaderBytes);
  v.push(dur > 0 ? fwdN / secs : 0, dur > 0 ? bwdN / secs : 0);
  v.push(al.min, al.max, al.mean, al.std, al.variance);
  const flagOrder = cic ? CIC_FLAG_ORDER : HEADER_FLAG_ORDER;
  for (let i = 0; i < 8; i++) v.push(f.flags[flagOrder[i]!]!);
  v.push(fwdN > 0 ? (cic ? Math.trunc(bwdN / fwdN) : bwdN / fwdN) : 0);
  v.push(n > 0 ? al.sum / n : 0);
  v.push(fwdN ? fl.sum / fwdN : 0, bwdN ? bl.sum / bwdN : 0);
  v.push(f.fwdHeaderBytes);
  // bulk: CICFlowMeter's comparison of byte-array references made every packet "backward" and
  // its dump wrote zeros; CIC-IDS2017's six bulk columns are all 0
  if (cic) v.push(0, 0, 0, 0, 0, 0);
  else {
    const fb = f.fBulk;
    const bb = f.bBulk;
    v.push(
      fb.states ? Math.trunc(fb.size / fb.states) : 0,
      fb.states ? Math.trunc(fb.packets / fb.states) : 0,
      fb.duration ? Math.trunc(fb.size / (fb.duration / 1e6)) : 0,
      bb.states ? Math.trunc(bb.size / bb.states) : 0,
      bb.states ? Math.trunc(bb.packets / bb.states) : 0,
      bb.duration ? Math.trunc(bb.size / (bb.duration / 1e6)) : 0,
    );
  }
  if (cic) v.push(fwdN, fl.sum, bwdN, bl.sum);
  else {
    const sf = f.subflows;
    v.push(fwdN / sf, fl.sum / sf, bwdN / sf, bl.sum / sf);
  }
  v.push(f.initWinFwd, f.initWinBwd, f.actDataFwd, f.minSegFwd);
  pushPeriods(v, f.active);
  pushPeriods(v, f.idle);
  return v;
}

/** A flow as a record keyed by column name (JSON Lines, scoring); NaN and ±Infinity become null. */
export function flowRecord(f: Flow, mode: FlowMode): Record<string, number | string | null> {
  const v = flowValues(f, mode);
  const r: Record<string, number | string | null> = {};
  for (let i = 0; i < FLOW_COLUMNS.length; i++) {
    const x = v[i]!;
    r[FLOW_COLUMNS[i]!] = typeof x === 'number' && !Number.isFinite(x) ? null : x;
  }
  return r;
}

/** One CSV line of a flow (and its label): numbers as JavaScript prints them, NaN and Infinity as CICFlowMeter wrote them. */
export function flowCsvLine(f: Flow, mode: FlowMode, label?: string): string {
  const v = flowValues(f, mode);
  // join writes numbers as String() does, into one flat string
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (typeof x === 'string') v[i] = csvText(x);
  }
  if (label !== undefined) v.push(csvText(label));
  return v.join(',');
}

function csvText(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
