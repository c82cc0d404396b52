import type { Table } from './types.js';

/** A table's rows (the first n) as JSON records, the way a client sends them (numbers as numbers, categories as strings, missing as null). */
export function tableRecords(table: Table, n = table.nRows): Array<Record<string, unknown>> {
  const cols = table.columns;
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const r: Record<string, unknown> = {};
    for (const c of cols) {
      if (c.kind === 'numeric') r[c.name] = Number.isNaN(c.values[i]!) ? null : c.values[i]!;
      else r[c.name] = c.codes[i]! < 0 ? null : c.dictionary[c.codes[i]!]!;
    }
    out.push(r);
  }
  return out;
}
