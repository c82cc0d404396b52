import type { Peek, Recognition } from './types.js';
import { mapLabels } from './map-labels.js';
import { canonicalHeader, CIC_MIN_MATCHES } from './cicids.js';

/**
 * CIC-IDS2017 (Sharafaldin et al. 2018) and CICFlowMeter output in any of its spellings
 * (cicids.ts): header names padded with spaces (" Destination Port") or abbreviated
 * (CICFlowMeter-V4 "Tot Fwd Pkts"), a `Label` column with `BENIGN` for normal traffic (CICFlowMeter
 * writes `No Label` when it has none; unlabelled flows to score have no label column),
 * `Infinity`/`NaN` cells in the rate columns and `Fwd Header Length` twice. Columns are read
 * under their canonical CIC-IDS2017 names.
 */
export function recogniseCicIds2017(p: Peek): Recognition | null {
  if (!p.header) return null;
  const canon = canonicalHeader(p.header);
  const names = new Set(canon.names);
  const classic = names.has('Label') && (names.has('Flow Duration') || names.has('Destination Port') || names.has('Flow Bytes/s'));
  if (!classic && canon.matched < CIC_MIN_MATCHES) return null;
  return {
    format: 'cic-ids2017',
    ...(canon.renamed.length ? { names: canon.names, renamed: canon.renamed } : {}),
    labelColumn: names.has('Label') ? 'Label' : null,
    drop: [],
    normalLabels: ['BENIGN'],
    duplicates: [['Fwd Header Length', 'Fwd Header Length.1']],
    categories: (labels) => mapLabels(labels, cicCategory),
  };
}

/** Attack families of CIC-IDS2017 labels. */
export function cicCategory(label: string): string {
  const l = label.toLowerCase();
  if (l === 'benign') return 'normal';
  if (l.startsWith('ddos')) return 'DDoS';
  if (l.startsWith('dos')) return 'DoS';
  if (l.includes('portscan')) return 'PortScan';
  if (l.includes('patator')) return 'BruteForce';
  if (l.startsWith('web attack')) return 'WebAttack';
  if (l.startsWith('bot')) return 'Bot';
  if (l.startsWith('infiltration')) return 'Infiltration';
  if (l.startsWith('heartbleed')) return 'Heartbleed';
  return label;
}
