import type { LoadedData } from '../data/load.js';

/** Loaded data as JSON records, the way a client sends them (numbers as numbers, categories as strings, missing as null). */
export function dataToRecords(data: LoadedData): Array<Record<string, unknown>> {
  const cols = data.features.columns;
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < data.features.nRows; i++) {
    const r: Record<string, unknown> = {};
    for (const c of cols) {
      if (c.kind === 'numeric') r[c.name] = Number.isNaN(c.values[i]!) ? null : c.values[i]!;
      else r[c.name] = c.codes[i]! < 0 ? null : c.dictionary[c.codes[i]!]!;
    }
    out.push(r);
  }
  return out;
}
