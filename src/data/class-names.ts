import { DictionaryEncoder } from './column-builder.js';
import type { CategoricalColumn, DatasetFormat } from './types.js';

/**
 * Class names as shared copies of the datasets spell them: `PortScan` / `Port Scan`, `Bot` /
 * `Botnet`, `Web Attack – XSS` (en dash; `Web Attack � XSS` where the cp1252 dash was read as
 * UTF-8) / `Web Attack - XSS`, UNSW-NB15's `Backdoor` / `Backdoors` and ` Fuzzers` / `Fuzzers`.
 * One class under two spellings would be two classes (and the second "a class the model was not
 * trained on" at evaluation), so class names are compared by a key — case, spaces, dashes and
 * underscores ignored — and written in one canonical spelling per format.
 */
export function classKey(name: string): string {
  return name.toLowerCase().replace(/[\s\-_–—\uFFFD./]+/g, '');
}

/** CIC-IDS2017 (and the CSE-CIC-IDS2018 names for the same attacks): key → the CIC-IDS2017 spelling (dashes as ASCII `-`). */
const CIC_CLASSES: ReadonlyMap<string, string> = keyed({
  BENIGN: ['Normal'],
  DDoS: [],
  'DoS Hulk': [],
  'DoS GoldenEye': [],
  'DoS slowloris': [],
  'DoS Slowhttptest': [],
  PortScan: [],
  Bot: ['Botnet'],
  'FTP-Patator': ['FTP-BruteForce'],
  'SSH-Patator': ['SSH-Bruteforce'],
  'Web Attack - Brute Force': ['Brute Force -Web'],
  'Web Attack - XSS': ['Brute Force -XSS'],
  'Web Attack - Sql Injection': ['SQL Injection'],
  Infiltration: ['Infilteration'],
  Heartbleed: [],
});

/** UNSW-NB15 attack categories: key → the spelling of its training/testing sets. */
const UNSW_CLASSES: ReadonlyMap<string, string> = keyed({
  Normal: [],
  Analysis: [],
  Backdoor: ['Backdoors'],
  DoS: [],
  Exploits: [],
  Fuzzers: [],
  Generic: [],
  Reconnaissance: [],
  Shellcode: [],
  Worms: [],
});

function keyed(table: Record<string, readonly string[]>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [canonical, others] of Object.entries(table)) for (const s of [canonical, ...others]) m.set(classKey(s), canonical);
  return m;
}

/** The known spellings of a format's classes, or null for a format without a table (spellings are still merged by key). */
export function knownClasses(format: DatasetFormat): ReadonlyMap<string, string> | null {
  return format === 'cic-ids2017' ? CIC_CLASSES : format === 'unsw-nb15' ? UNSW_CLASSES : null;
}

/** Class names merged: the name kept and the raw spellings read as it, with their row counts. */
export interface MergedClass {
  name: string;
  spellings: Array<{ raw: string; rows: number }>;
}

/**
 * A column of class names in canonical spelling: a known name in the format's spelling;
 * otherwise the spellings that share a key become the most frequent of them (trimmed). Returns
 * the column unchanged (same object) when no name changes.
 */
export function normaliseClassNames(col: CategoricalColumn, known: ReadonlyMap<string, string> | null): { column: CategoricalColumn; merged: MergedClass[] } {
  const counts = new Float64Array(col.dictionary.length);
  for (let i = 0; i < col.codes.length; i++) if (col.codes[i]! >= 0) counts[col.codes[i]!]!++;
  // the most frequent spelling per key (for names the table does not know)
  const byKey = new Map<string, { raw: string; rows: number }>();
  col.dictionary.forEach((raw, k) => {
    const key = classKey(raw);
    const best = byKey.get(key);
    if (counts[k]! > 0 && (!best || counts[k]! > best.rows)) byKey.set(key, { raw: raw.trim(), rows: counts[k]! });
  });
  const canonical = col.dictionary.map((raw) => {
    const key = classKey(raw);
    if (key === '') return raw;
    return known?.get(key) ?? byKey.get(key)?.raw ?? raw.trim();
  });
  if (canonical.every((c, k) => c === col.dictionary[k])) return { column: col, merged: [] };
  const dict = new DictionaryEncoder();
  const map = Int32Array.from(canonical, (c) => dict.code(c));
  const codes = new Int32Array(col.codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = col.codes[i]!;
    codes[i] = c < 0 ? -1 : map[c]!;
  }
  const groups = new Map<string, Array<{ raw: string; rows: number }>>();
  col.dictionary.forEach((raw, k) => {
    if (counts[k] === 0) return;
    const list = groups.get(canonical[k]!) ?? [];
    list.push({ raw, rows: counts[k]! });
    groups.set(canonical[k]!, list);
  });
  const merged = [...groups].filter(([, s]) => s.length > 1).map(([name, spellings]) => ({ name, spellings }));
  return { column: { kind: 'categorical', name: col.name, codes, dictionary: dict.dictionary }, merged };
}
