import type { DatasetFormat } from '../types.js';
import { recogniseCicIds2017 } from './cic-ids2017.js';
import { recogniseGeneric } from './generic.js';
import { recogniseNslKdd } from './nsl-kdd.js';
import type { Peek, Recognition } from './types.js';
import { recogniseUnswNb15 } from './unsw-nb15.js';

/**
 * Decide the format: a forced one, else the first known format that matches, else generic.
 * An explicit `label` always wins over the format's own label column.
 */
export function recognise(p: Peek, opts: { format?: DatasetFormat; label?: string } = {}): Recognition {
  const known: Array<[DatasetFormat, (p: Peek) => Recognition | null]> = [
    ['nsl-kdd', recogniseNslKdd],
    ['cic-ids2017', recogniseCicIds2017],
    ['unsw-nb15', recogniseUnswNb15],
  ];
  let rec: Recognition | null = null;
  for (const [name, f] of known) {
    if (opts.format && opts.format !== name) continue;
    rec = f(p);
    if (rec) break;
  }
  if (!rec) return recogniseGeneric(p, opts.label);
  if (opts.label !== undefined && opts.label !== rec.labelColumn) {
    const names = rec.names ?? p.header ?? [];
    rec = { ...rec, labelColumn: names.includes(opts.label) ? opts.label : null, drop: rec.drop.filter((d) => d !== opts.label) };
  }
  return rec;
}
