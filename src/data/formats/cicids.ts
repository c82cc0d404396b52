/**
 * The canonical CIC-IDS2017 flow schema and the alias table that maps the other spellings of
 * the same CICFlowMeter features onto it.
 *
 * Canonical names are those of the CIC-IDS2017 CSVs (Sharafaldin et al. 2018, the
 * TrafficLabelling files; the MachineLearningCVE files are the same without the first seven
 * identifier columns but `Destination Port`), with the padding spaces trimmed. CIC-IDS2017 has
 * `Fwd Header Length` twice (CICFlowMeter-V3 wrote the same value into two slots); nadir names
 * the second copy `Fwd Header Length.1` when loading, like pandas, and drops it when it equals the
 * first on every row (it always does in CICFlowMeter output). Files are read under these names
 * whichever spelling they use, so a model trained on one variant scores another; nadir's own flow
 * meter (src/traffic) writes them too.
 *
 * Aliases: the CICFlowMeter-V4 abbreviations (`Tot Fwd Pkts`, `Fwd Pkt Len Max`, `Init Fwd Win
 * Byts`; also CSE-CIC-IDS2018), the later CICFlowMeter names used in re-generated copies
 * (`Packet Length Min`, `Total Fwd Packet`, `Fwd Segment Size Avg`, `FWD Init Win Bytes`, `CWR Flag
 * Count`), and, through the name key (case, spaces and punctuation ignored), their snake_case
 * forms (`tot_fwd_pkts`, the Python cicflowmeter's output; `flow_byts_s`).
 *
 * This module is at the bottom of the layers (data): src/traffic imports it.
 */
import { nameKey } from '../roles.js';

/** The canonical CIC-IDS2017 columns in file order (TrafficLabelling layout), the label last. */
export const CIC_IDS2017_COLUMNS = [
  'Flow ID', 'Source IP', 'Source Port', 'Destination IP', 'Destination Port', 'Protocol', 'Timestamp',
  'Flow Duration', 'Total Fwd Packets', 'Total Backward Packets', 'Total Length of Fwd Packets', 'Total Length of Bwd Packets',
  'Fwd Packet Length Max', 'Fwd Packet Length Min', 'Fwd Packet Length Mean', 'Fwd Packet Length Std',
  'Bwd Packet Length Max', 'Bwd Packet Length Min', 'Bwd Packet Length Mean', 'Bwd Packet Length Std',
  'Flow Bytes/s', 'Flow Packets/s', 'Flow IAT Mean', 'Flow IAT Std', 'Flow IAT Max', 'Flow IAT Min',
  'Fwd IAT Total', 'Fwd IAT Mean', 'Fwd IAT Std', 'Fwd IAT Max', 'Fwd IAT Min',
  'Bwd IAT Total', 'Bwd IAT Mean', 'Bwd IAT Std', 'Bwd IAT Max', 'Bwd IAT Min',
  'Fwd PSH Flags', 'Bwd PSH Flags', 'Fwd URG Flags', 'Bwd URG Flags', 'Fwd Header Length', 'Bwd Header Length',
  'Fwd Packets/s', 'Bwd Packets/s', 'Min Packet Length', 'Max Packet Length', 'Packet Length Mean', 'Packet Length Std', 'Packet Length Variance',
  'FIN Flag Count', 'SYN Flag Count', 'RST Flag Count', 'PSH Flag Count', 'ACK Flag Count', 'URG Flag Count', 'CWE Flag Count', 'ECE Flag Count',
  'Down/Up Ratio', 'Average Packet Size', 'Avg Fwd Segment Size', 'Avg Bwd Segment Size', 'Fwd Header Length.1',
  'Fwd Avg Bytes/Bulk', 'Fwd Avg Packets/Bulk', 'Fwd Avg Bulk Rate', 'Bwd Avg Bytes/Bulk', 'Bwd Avg Packets/Bulk', 'Bwd Avg Bulk Rate',
  'Subflow Fwd Packets', 'Subflow Fwd Bytes', 'Subflow Bwd Packets', 'Subflow Bwd Bytes',
  'Init_Win_bytes_forward', 'Init_Win_bytes_backward', 'act_data_pkt_fwd', 'min_seg_size_forward',
  'Active Mean', 'Active Std', 'Active Max', 'Active Min', 'Idle Mean', 'Idle Std', 'Idle Max', 'Idle Min',
  'Label',
] as const;

/** The canonical flow features: the columns without the identifiers (flow id, addresses, time), the duplicate and the label. */
export const CIC_IDS2017_FEATURES: readonly string[] = CIC_IDS2017_COLUMNS.filter(
  (c) => !['Flow ID', 'Source IP', 'Destination IP', 'Timestamp', 'Fwd Header Length.1', 'Label'].includes(c),
);

/**
 * Other spellings of each canonical column: CICFlowMeter-V4 (first), then later CICFlowMeter /
 * re-generated copies. Spellings that differ only in case, spaces or punctuation need no entry:
 * names are compared by their key (roles.ts nameKey).
 */
export const CIC_IDS2017_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'Source IP': ['Src IP', 'src_addr', 'Src Addr'],
  'Source Port': ['Src Port'],
  'Destination IP': ['Dst IP', 'dst_addr', 'Dst Addr'],
  'Destination Port': ['Dst Port'],
  'Total Fwd Packets': ['Tot Fwd Pkts', 'Total Fwd Packet'],
  'Total Backward Packets': ['Tot Bwd Pkts', 'Total Bwd Packets', 'Total Bwd packets'],
  'Total Length of Fwd Packets': ['TotLen Fwd Pkts', 'Total Length of Fwd Packet', 'Fwd Packets Length Total'],
  'Total Length of Bwd Packets': ['TotLen Bwd Pkts', 'Total Length of Bwd Packet', 'Bwd Packets Length Total'],
  'Fwd Packet Length Max': ['Fwd Pkt Len Max'],
  'Fwd Packet Length Min': ['Fwd Pkt Len Min'],
  'Fwd Packet Length Mean': ['Fwd Pkt Len Mean'],
  'Fwd Packet Length Std': ['Fwd Pkt Len Std'],
  'Bwd Packet Length Max': ['Bwd Pkt Len Max'],
  'Bwd Packet Length Min': ['Bwd Pkt Len Min'],
  'Bwd Packet Length Mean': ['Bwd Pkt Len Mean'],
  'Bwd Packet Length Std': ['Bwd Pkt Len Std'],
  'Flow Bytes/s': ['Flow Byts/s'],
  'Flow Packets/s': ['Flow Pkts/s'],
  'Fwd IAT Total': ['Fwd IAT Tot'],
  'Bwd IAT Total': ['Bwd IAT Tot'],
  'Fwd Header Length': ['Fwd Header Len'],
  'Bwd Header Length': ['Bwd Header Len'],
  'Fwd Packets/s': ['Fwd Pkts/s'],
  'Bwd Packets/s': ['Bwd Pkts/s'],
  'Min Packet Length': ['Pkt Len Min', 'Packet Length Min'],
  'Max Packet Length': ['Pkt Len Max', 'Packet Length Max'],
  'Packet Length Mean': ['Pkt Len Mean'],
  'Packet Length Std': ['Pkt Len Std'],
  'Packet Length Variance': ['Pkt Len Var'],
  'FIN Flag Count': ['FIN Flag Cnt'],
  'SYN Flag Count': ['SYN Flag Cnt'],
  'RST Flag Count': ['RST Flag Cnt'],
  'PSH Flag Count': ['PSH Flag Cnt'],
  'ACK Flag Count': ['ACK Flag Cnt'],
  'URG Flag Count': ['URG Flag Cnt'],
  'CWE Flag Count': ['CWE Flag Cnt', 'CWR Flag Count', 'CWR Flag Cnt'],
  'ECE Flag Count': ['ECE Flag Cnt'],
  'Average Packet Size': ['Pkt Size Avg', 'Packet Size Avg', 'Avg Packet Size'],
  'Avg Fwd Segment Size': ['Fwd Seg Size Avg', 'Fwd Segment Size Avg'],
  'Avg Bwd Segment Size': ['Bwd Seg Size Avg', 'Bwd Segment Size Avg'],
  'Fwd Avg Bytes/Bulk': ['Fwd Byts/b Avg', 'Fwd Bytes/Bulk Avg'],
  'Fwd Avg Packets/Bulk': ['Fwd Pkts/b Avg', 'Fwd Packet/Bulk Avg'],
  'Fwd Avg Bulk Rate': ['Fwd Blk Rate Avg', 'Fwd Bulk Rate Avg'],
  'Bwd Avg Bytes/Bulk': ['Bwd Byts/b Avg', 'Bwd Bytes/Bulk Avg'],
  'Bwd Avg Packets/Bulk': ['Bwd Pkts/b Avg', 'Bwd Packet/Bulk Avg'],
  'Bwd Avg Bulk Rate': ['Bwd Blk Rate Avg', 'Bwd Bulk Rate Avg'],
  'Subflow Fwd Packets': ['Subflow Fwd Pkts'],
  'Subflow Fwd Bytes': ['Subflow Fwd Byts'],
  'Subflow Bwd Packets': ['Subflow Bwd Pkts'],
  'Subflow Bwd Bytes': ['Subflow Bwd Byts'],
  Init_Win_bytes_forward: ['Init Fwd Win Byts', 'FWD Init Win Bytes', 'Init Fwd Win Bytes'],
  Init_Win_bytes_backward: ['Init Bwd Win Byts', 'Bwd Init Win Bytes', 'Init Bwd Win Bytes'],
  act_data_pkt_fwd: ['Fwd Act Data Pkts', 'Fwd Act Data Packets'],
  min_seg_size_forward: ['Fwd Seg Size Min', 'Fwd Segment Size Min'],
};

/** name key → canonical name, for the canonical names and every alias. */
const BY_KEY: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const c of CIC_IDS2017_COLUMNS) m.set(nameKey(c), c);
  for (const [c, aliases] of Object.entries(CIC_IDS2017_ALIASES)) for (const a of aliases) m.set(nameKey(a), c);
  return m;
})();

/** The canonical CIC-IDS2017 name of a column name in any known spelling, or null. */
export function canonicalCicName(name: string): string | null {
  return BY_KEY.get(nameKey(name)) ?? null;
}

/** Canonical names a header must map to before it is read as CICFlowMeter output (with or without a label). */
export const CIC_MIN_MATCHES = 20;

/**
 * A header under canonical names: every column with a known spelling renamed (the first column
 * to claim a canonical name gets it; a later one keeps its own name), with the renamings made.
 */
export function canonicalHeader(header: readonly string[]): { names: string[]; renamed: Array<[string, string]>; matched: number } {
  const original = new Set(header);
  // canonical names the header already holds are taken; a renaming never collides with a column's own name
  const taken = new Set(header.filter((h) => canonicalCicName(h) === h));
  const renamed: Array<[string, string]> = [];
  let matched = 0;
  const names = header.map((h) => {
    const c = canonicalCicName(h);
    if (c === null) return h;
    if (c === h) {
      matched++;
      return h;
    }
    if (taken.has(c) || original.has(c)) return h;
    taken.add(c);
    matched++;
    renamed.push([h, c]);
    return c;
  });
  return { names, renamed, matched };
}

/**
 * For a column a model needs but an input lacks: the input column that is probably it — the
 * same canonical column under another spelling, the same name key, or a near miss (edit distance
 * of the keys at most 2, or 1 for short names) — or null.
 */
export function suggestColumn(missing: string, available: readonly string[]): string | null {
  const canonical = canonicalCicName(missing);
  const key = nameKey(missing);
  for (const a of available) if ((canonical !== null && canonicalCicName(a) === canonical) || nameKey(a) === key) return a;
  let best: string | null = null;
  let bestD = key.length <= 5 ? 1 : 2;
  for (const a of available) {
    const d = editDistance(key, nameKey(a), bestD);
    if (d < bestD || (d === bestD && best === null)) {
      best = a;
      bestD = d;
    }
  }
  return best;
}

/** Levenshtein distance of a and b, or more than `max` as soon as it is known to exceed it (then `max + 1`). */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
