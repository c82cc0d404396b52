import type { Peek, Recognition } from './types.js';
import { mapLabels } from './map-labels.js';
import { DEFAULT_NORMAL, LABEL_CANDIDATES } from './generic.js';

/**
 * Zeek's conn.log, as Zeek writes it in ASCII (TSV with `#fields`/`#types`, read by zeek.ts) or
 * as JSON lines (`LogAscii::use_json`, read by jsonl.ts): recognised by conn.log's own field
 * names (`uid`, `id.orig_h`, `id.resp_h`, `conn_state`). conn.log carries no label: the data is
 * unlabelled (inspect, eda and the isolation forest use it as it is; predict scores it) unless a
 * label column is named (or a column is named like one: label, class, …). `ts`, `uid` and the
 * addresses are identifiers (roles.ts); the ports are numeric inputs; `proto`, `service`,
 * `conn_state` and `history` are categorical.
 */
export function recogniseZeekConn(p: Peek): Recognition | null {
  if (!p.header) return null;
  const names = new Set(p.header);
  // a Zeek ASCII log that says it is a conn log (#path conn), or any log with conn.log's own fields (JSON lines have no #path)
  if (p.logPath !== 'conn' && !ZEEK_CONN_MARKS.every((n) => names.has(n))) return null;
  return { format: 'zeek-conn', labelColumn: labelIn(p.header), drop: [], normalLabels: NORMAL, categories: normalOr };
}

/** Fields every conn.log has (Zeek 2.x to 6.x). */
const ZEEK_CONN_MARKS = ['uid', 'id.orig_h', 'id.resp_h', 'conn_state'];

/**
 * Suricata's EVE JSON as suricata.ts reads it: one row per `flow` event, with a `label` column
 * (the first alert's category, `normal` for a flow without an alert) when the file holds any
 * alert, and no label (unlabelled data) when it holds none. Recognised by the flow events'
 * fields (`flow_id`, `src_ip`, `dest_ip` and the flattened `flow.*` counters).
 */
export function recogniseSuricataEve(p: Peek): Recognition | null {
  if (!p.header) return null;
  const names = new Set(p.header);
  if (!['flow_id', 'src_ip', 'dest_ip', 'flow.pkts_toserver'].every((n) => names.has(n))) return null;
  return { format: 'suricata-eve', labelColumn: names.has('label') ? 'label' : null, drop: [], normalLabels: NORMAL, categories: normalOr };
}

const NORMAL = DEFAULT_NORMAL;

/** A label column by its usual names, if a Zeek log was given one (joined with ground truth). */
function labelIn(header: readonly string[]): string | null {
  for (const cand of LABEL_CANDIDATES) {
    const hit = header.find((n) => n.toLowerCase() === cand);
    if (hit) return hit;
  }
  return null;
}

function normalOr(labels: Parameters<Recognition['categories']>[0]): string[] | Int32Array {
  return mapLabels(labels, (l) => (DEFAULT_NORMAL.includes(l.toLowerCase()) ? 'normal' : l));
}
