import { isIP } from 'node:net';
import type { Column } from './types.js';

/**
 * What a column is, beyond numeric or categorical. Flow data always carries endpoints, times
 * and flow ids (CICFlowMeter's `Flow ID`, `Source IP`, `Timestamp`; Zeek's `uid`, `id.orig_h`,
 * `ts`; Suricata's `src_ip`, `timestamp`; UNSW-NB15's `id`). They name a flow, they do not
 * describe its behaviour: a model that learns them learns the capture (its addresses, its
 * clock), nothing that carries over to new traffic. So they are identifiers: kept with the data
 * (EDA shows them, predictions pass them through) but not model inputs, unless kept on purpose.
 *
 * Ports are not identifiers: a destination port says which service a flow talks to, which is
 * informative, and they stay numeric inputs.
 */
export type IdentifierRole = 'ip-address' | 'mac-address' | 'timestamp' | 'flow-id' | 'zeek-uid' | 'community-id' | 'row-id';
export type ColumnRole = 'feature' | IdentifierRole;

/** A human description of each identifier role (inspect, EDA, findings). */
export const ROLE_DESCRIPTIONS: Readonly<Record<IdentifierRole, string>> = {
  'ip-address': 'IP address',
  'mac-address': 'MAC address',
  timestamp: 'timestamp',
  'flow-id': 'flow id',
  'zeek-uid': 'Zeek uid',
  'community-id': 'community id',
  'row-id': 'row number',
};

const MAC = /^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}$/;
/** ISO 8601 date-time: `2017-07-03T08:55:58.123Z`, `2017-07-03 08:55:58+02:00`, Suricata's `+0200`. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
/** Day/month/year times as CICFlowMeter writes them: `31/03/2015 08:32:22`, `3/7/2017 8:55`, `7/3/2017 01:02:03 PM`. */
const DMY_TIME = /^\d{1,2}\/\d{1,2}\/\d{4}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?$/;
/** CICFlowMeter's flow id: `src-dst-srcport-dstport-protocol` (the addresses checked separately). */
const FLOW_ID = /^([0-9A-Fa-f.:]+)-([0-9A-Fa-f.:]+)-(\d{1,5})-(\d{1,5})-(\d{1,3})$/;
/** Zeek connection (C…) and file (F…) uids: base62 of a 96-bit number. */
const ZEEK_UID = /^[CF][0-9A-Za-z]{14,20}$/;
/** Community ID v1 (Corelight): `1:` and the base64 of a SHA-1. */
const COMMUNITY_ID = /^1:[A-Za-z0-9+/]{27}=$/;

/** One text value's identifier role, or null when it is none of them. */
export function textRole(s: string): IdentifierRole | null {
  if (s.length < 2 || s.length > 64) return null;
  if (MAC.test(s)) return 'mac-address';
  if (isIP(s) !== 0) return 'ip-address';
  if (ISO_TIME.test(s) || DMY_TIME.test(s)) return 'timestamp';
  const f = FLOW_ID.exec(s);
  if (f && isIP(f[1]!) !== 0 && isIP(f[2]!) !== 0) return 'flow-id';
  if (COMMUNITY_ID.test(s)) return 'community-id';
  if (ZEEK_UID.test(s) && /\d/.test(s) && /[a-z]/.test(s)) return 'zeek-uid';
  return null;
}

/** A column name with case, spaces and punctuation ignored: `Source IP`, `source_ip`, `SourceIP` → `sourceip`. */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Names of numeric time columns (seconds, or milliseconds, since 1970): Zeek `ts`, UNSW-NB15 `stime`/`ltime`, … */
const TIME_NAMES = new Set(['ts', 'time', 'timestamp', 'stime', 'ltime', 'starttime', 'endtime', 'flowstart', 'flowend', 'firstseen', 'lastseen', 'tsstart', 'tsend', 'flowstartmilliseconds', 'flowendmilliseconds']);
/** Names of row numbers: UNSW-NB15's `id`, pandas' `Unnamed: 0`, … */
const ROW_ID_NAMES = new Set(['id', 'rowid', 'index', 'unnamed0', 'no', 'recordid']);

/** Epoch seconds from 1990 to 2100, or the same in milliseconds or microseconds. */
function isEpoch(x: number): boolean {
  const s = x >= 1e14 ? x / 1e6 : x >= 1e11 ? x / 1e3 : x;
  return s >= 631152000 && s <= 4102444800;
}

/** Distinct values looked at per column: enough to be sure, bounded for wide high-cardinality columns. */
const SAMPLE = 256;

/**
 * The role of a loaded column. Text columns: every distinct value looked at (up to 256, spread
 * over the dictionary) must be of the same kind — one stray value and the column stays a
 * feature. Numeric columns: a time only by name (`ts`, `stime`, …) with every value an epoch time
 * (seconds, ms or µs since 1970, 1990–2100); a row number only by name (`id`, `index`, …) with
 * whole numbers, all distinct. A number alone is never enough: byte counts can look like times.
 */
export function columnRole(col: Column): ColumnRole {
  if (col.kind === 'categorical') {
    const present = presentCodes(col.codes, col.dictionary.length);
    if (present.length === 0) return 'feature';
    const step = Math.max(1, Math.floor(present.length / SAMPLE));
    let role: IdentifierRole | null = null;
    // a uid without a digit or a lower-case letter (about 1 in 20 of Zeek's 17–18 characters) is one only beside others that have them
    let bareUid = false;
    for (let i = 0; i < present.length; i += step) {
      const s = col.dictionary[present[i]!]!;
      const r = textRole(s);
      if (r === null && ZEEK_UID.test(s)) {
        bareUid = true;
        continue;
      }
      if (r === null || (role !== null && r !== role)) return 'feature';
      role = r;
    }
    if (bareUid && role !== 'zeek-uid') return 'feature';
    if (role === 'zeek-uid' && present.length < 0.5 * nonMissing(col.codes)) return 'feature';
    return role ?? 'feature';
  }
  const key = nameKey(col.name);
  const v = col.values;
  if (TIME_NAMES.has(key)) {
    let any = false;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (x !== x) continue;
      if (!isEpoch(x)) return 'feature';
      any = true;
    }
    return any ? 'timestamp' : 'feature';
  }
  if (ROW_ID_NAMES.has(key) && v.length > 1) {
    const seen = new Set<number>();
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (!Number.isInteger(x) || seen.has(x)) return 'feature';
      seen.add(x);
    }
    return 'row-id';
  }
  return 'feature';
}

function presentCodes(codes: Int32Array, size: number): number[] {
  const seen = new Uint8Array(size);
  const out: number[] = [];
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0 && seen[c] === 0) {
      seen[c] = 1;
      out.push(c);
    }
  }
  return out;
}

function nonMissing(codes: Int32Array): number {
  let n = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0) n++;
  return n;
}
