import { nadirError } from '../../errors.js';
import type { DatasetFormat } from '../types.js';
import { recogniseCicIds2017 } from './cic-ids2017.js';
import { DEFAULT_NORMAL, recogniseGeneric } from './generic.js';
import { mapLabels } from './map-labels.js';
import { recogniseNslKdd } from './nsl-kdd.js';
import { recogniseSuricataEve, recogniseZeekConn } from './flow-logs.js';
import type { Peek, Recognition } from './types.js';
import { recogniseUnswNb15 } from './unsw-nb15.js';

const KNOWN: ReadonlyArray<[DatasetFormat, (p: Peek) => Recognition | null]> = [
  ['nsl-kdd', recogniseNslKdd],
  ['cic-ids2017', recogniseCicIds2017],
  ['unsw-nb15', recogniseUnswNb15],
  ['zeek-conn', recogniseZeekConn],
  ['suricata-eve', recogniseSuricataEve],
];

/**
 * Decide the format: a forced one (an error when the table does not fit it), else the first
 * known format that matches, else generic. An explicit `label` always wins over the format's
 * own label column, which is then dropped from the features (it would leak the answer:
 * UNSW-NB15's 0/1 `label` when training on `attack_cat`).
 */
export function recognise(p: Peek, opts: { format?: DatasetFormat; label?: string; source?: string } = {}): Recognition {
  let rec: Recognition | null = null;
  for (const [name, f] of KNOWN) {
    if (opts.format && opts.format !== name) continue;
    rec = f(p);
    if (rec) break;
  }
  if (!rec) {
    if (opts.format && opts.format !== 'generic') {
      throw nadirError('NADIR_ERR_BAD_FORMAT', opts.source ?? 'input', `does not look like ${opts.format} (${describe(opts.format)})`);
    }
    return recogniseGeneric(p, opts.label);
  }
  if (opts.label !== undefined && opts.label !== rec.labelColumn) {
    const names = rec.names ?? p.header ?? [];
    const own = rec.labelColumn;
    const normal = [...new Set([...rec.normalLabels, ...DEFAULT_NORMAL])];
    const isNormal = new Set(normal.map((s) => s.toLowerCase()));
    rec = {
      ...rec,
      labelColumn: names.includes(opts.label) ? opts.label : null,
      drop: [...rec.drop.filter((d) => d !== opts.label), ...(own !== null ? [own] : [])],
      normalLabels: normal,
      categories: (labels) => mapLabels(labels, (l) => (isNormal.has(l.toLowerCase()) ? 'normal' : l)),
    };
  }
  return rec;
}

function describe(f: DatasetFormat): string {
  switch (f) {
    case 'nsl-kdd':
      return 'expected 41 (unlabelled), 42 or 43 columns without a header and tcp, udp or icmp in column 2, or a header with protocol_type, service, flag and src_bytes';
    case 'cic-ids2017':
      return 'expected a header with Label and CICFlowMeter columns such as Flow Duration';
    case 'unsw-nb15':
      return 'expected a header with label and attack_cat';
    case 'zeek-conn':
      return "expected a Zeek conn.log: fields uid, id.orig_h, id.resp_h and conn_state";
    case 'suricata-eve':
      return 'expected Suricata EVE JSON with flow events (flow_id, src_ip, dest_ip, flow.pkts_toserver)';
    default:
      return f;
  }
}
