import { nadirError } from '../errors.js';
import { textLines } from './text-lines.js';
import { ColumnBuilder } from './column-builder.js';
import type { RawColumns } from './csv.js';
import type { IdentifierRole } from './roles.js';

/**
 * Suricata's EVE JSON (eve.json: one event per line) as a table of flows with alerts as
 * labels. Each `event_type: "flow"` event is a row: its top-level fields (`timestamp`,
 * `flow_id`, `src_ip`, `src_port`, `dest_ip`, `dest_port`, `proto`, `app_proto`, …) and its
 * `flow` and `tcp` objects flattened (`flow.pkts_toserver`, `flow.bytes_toclient`, `tcp.syn`, …;
 * `true`/`false` as 1/0). The `label` column is the category of the flow's first alert (an
 * `alert` event with the same `flow_id`, `alert.category`, or its signature when it has no
 * category), `normal` when the flow raised none — when the file holds at least one alert; a file without
 * alerts has no `label` column (unlabelled flows: nothing says they are all normal). Left out because they would leak the label or
 * number the capture: `flow.alerted`, `pcap_cnt`, `event_type`, `pkt_src`, `in_iface`, and every
 * nested array. Other event types (dns, tls, http, stats, …) are read only for their flow id; a
 * line that is not JSON is an error naming it. `flow_id` is an identifier (a flow id), like the
 * addresses and times, which roles.ts recognises by their values.
 */
export async function readEve(chunks: AsyncIterable<Buffer>, path: string): Promise<RawColumns> {
  const flows: Array<{ line: number; id: string | null; fields: Map<string, unknown> }> = [];
  const alerts = new Map<string, string>();
  let lineNo = 0;
  const line = (raw: string): void => {
    lineNo++;
    const s = raw.trim();
    if (s === '') return;
    let ev: unknown;
    try {
      ev = JSON.parse(s);
    } catch (e) {
      throw nadirError('NADIR_ERR_BAD_FORMAT', path, `line ${lineNo}: not a JSON event (${(e as Error).message})`);
    }
    if (ev === null || typeof ev !== 'object' || Array.isArray(ev)) throw nadirError('NADIR_ERR_BAD_FORMAT', path, `line ${lineNo}: expected a JSON object (an EVE event)`);
    const e = ev as Record<string, unknown>;
    const id = typeof e.flow_id === 'number' || typeof e.flow_id === 'string' ? String(e.flow_id) : null;
    if (e.event_type === 'alert') {
      const a = e.alert as Record<string, unknown> | undefined;
      const what = a && typeof a === 'object' ? (typeof a.category === 'string' && a.category !== '' ? a.category : typeof a.signature === 'string' ? a.signature : 'alert') : 'alert';
      if (id !== null && !alerts.has(id)) alerts.set(id, what);
      return;
    }
    if (e.event_type !== 'flow') return;
    const fields = new Map<string, unknown>();
    for (const [k, v] of Object.entries(e)) {
      if (SKIP.has(k)) continue;
      if (k === 'flow' || k === 'tcp') {
        if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
        for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) if (!SKIP.has(`${k}.${k2}`) && isScalar(v2)) fields.set(`${k}.${k2}`, v2);
        // Suricata writes a TCP flag only when it was seen: absent from a TCP flow's tcp object means not seen
        if (k === 'tcp') for (const flag of TCP_FLAGS) if (!fields.has(`tcp.${flag}`)) fields.set(`tcp.${flag}`, false);
        continue;
      }
      if (isScalar(v)) fields.set(k, v);
    }
    flows.push({ line: lineNo, id, fields });
  };
  for await (const l of textLines(chunks)) line(l);
  if (flows.length === 0) throw nadirError('NADIR_ERR_BAD_FORMAT', path, `no flow events (event_type "flow") among ${lineNo} line${lineNo === 1 ? '' : 's'}: enable the flow log in suricata.yaml (outputs → eve-log → types → flow)`);

  // columns in first-seen order; a field absent from a flow is a missing value
  const names: string[] = [];
  const index = new Map<string, number>();
  for (const f of flows) for (const k of f.fields.keys()) if (!index.has(k)) index.set(k, names.push(k) - 1);
  const builders = names.map((n) => new ColumnBuilder(n, flows.length));
  // the alerts label the flows only when the file holds any: without one, the flows are unlabelled (not all normal)
  const label = alerts.size > 0 ? new ColumnBuilder('label', flows.length) : null;
  for (const f of flows) {
    for (let j = 0; j < names.length; j++) {
      const v = f.fields.get(names[j]!);
      const b = builders[j]!;
      if (v === undefined || v === null) b.pushMissing();
      else if (typeof v === 'number') b.pushNumber(v);
      else if (typeof v === 'boolean') b.pushNumber(v ? 1 : 0);
      else if (typeof v === 'string') b.pushText(v, f.line);
      else b.pushMissing();
    }
    label?.pushText(f.id !== null ? (alerts.get(f.id) ?? 'normal') : 'normal', f.line);
  }
  const roles: Record<string, IdentifierRole> = { flow_id: 'flow-id' };
  if (!label) return { header: names, builders, nRows: flows.length, skippedRows: 0, skippedExamples: [], width: names.length, roles };
  return { header: [...names, 'label'], builders: [...builders, label], nRows: flows.length, skippedRows: 0, skippedExamples: [], width: names.length + 1, roles };
}

/** Fields that would leak the label (`flow.alerted`) or only number the capture. */
const SKIP = new Set(['event_type', 'pcap_cnt', 'pkt_src', 'in_iface', 'flow.alerted']);

const TCP_FLAGS = ['syn', 'fin', 'rst', 'psh', 'ack', 'urg', 'ecn', 'cwr'];

function isScalar(v: unknown): boolean {
  return v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

/** The first line of an EVE file: a JSON object with an event_type. */
export function looksLikeEve(head: string): boolean {
  return head.startsWith('{') && /"event_type"\s*:/.test(head.slice(0, 4096).split('\n')[0] ?? '');
}
