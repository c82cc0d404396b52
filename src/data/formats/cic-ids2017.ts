import type { Peek, Recognition } from './types.js';
import { mapLabels } from './map-labels.js';

/**
 * CIC-IDS2017 (Sharafaldin et al. 2018), CICFlowMeter columns: header names padded with
 * spaces (" Destination Port"), a `Label` column with `BENIGN` for normal traffic,
 * `Infinity`/`NaN` cells in the rate columns and `Fwd Header Length` twice.
 */
export function recogniseCicIds2017(p: Peek): Recognition | null {
  if (!p.header) return null;
  const names = new Set(p.header);
  if (!names.has('Label') || !(names.has('Flow Duration') || names.has('Destination Port') || names.has('Flow Bytes/s'))) return null;
  return {
    format: 'cic-ids2017',
    labelColumn: 'Label',
    drop: [],
    normalLabels: ['BENIGN'],
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
