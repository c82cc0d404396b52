/**
 * The identifier columns of a dataset (addresses, times, flow ids: data/roles.ts), for the
 * analyst rather than the model: how many distinct values each holds and its top talkers — the
 * values on most rows, with how many of those rows are attacks. They are not model inputs and
 * take no part in the tests or the ranking of features linked to attacks.
 */
import { ROLE_DESCRIPTIONS } from '../data/roles.js';
import type { Column, Dataset } from '../data/types.js';
import type { IdentifierSummary } from './types.js';

/** Top talkers listed per identifier column. */
export const TOP_TALKERS = 10;

/** `isAttack[i]`: row i is attack traffic (binary target 1); rows without a label count in `rows` only. */
export function analyzeIdentifiers(ds: Dataset, isAttack: (row: number) => boolean): IdentifierSummary[] {
  return (ds.identifiers ?? []).map(({ column, role }) => {
    const { keys, counts, attacks, missing } = tally(column, isAttack);
    const order = Array.from(counts.keys()).sort((a, b) => counts[b]! - counts[a]! || (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
    return {
      name: column.name,
      role,
      description: ROLE_DESCRIPTIONS[role],
      distinct: keys.length,
      missing,
      top: order.slice(0, TOP_TALKERS).map((k) => ({ value: keys[k]!, rows: counts[k]!, attackRows: attacks[k]! })),
    };
  });
}

/** Rows and attack rows per distinct value (text, or a number written as text), one pass over the rows. */
function tally(col: Column, isAttack: (row: number) => boolean): { keys: string[]; counts: number[]; attacks: number[]; missing: number } {
  const keys: string[] = [];
  const counts: number[] = [];
  const attacks: number[] = [];
  let missing = 0;
  if (col.kind === 'categorical') {
    const slot = new Int32Array(col.dictionary.length).fill(-1);
    for (let i = 0; i < col.codes.length; i++) {
      const c = col.codes[i]!;
      if (c < 0) {
        missing++;
        continue;
      }
      let s = slot[c]!;
      if (s < 0) {
        s = slot[c] = keys.length;
        keys.push(col.dictionary[c]!);
        counts.push(0);
        attacks.push(0);
      }
      counts[s]!++;
      if (isAttack(i)) attacks[s]!++;
    }
    return { keys, counts, attacks, missing };
  }
  const slots = new Map<number, number>();
  for (let i = 0; i < col.values.length; i++) {
    const v = col.values[i]!;
    if (v !== v) {
      missing++;
      continue;
    }
    let s = slots.get(v);
    if (s === undefined) {
      s = keys.length;
      slots.set(v, s);
      keys.push(String(v));
      counts.push(0);
      attacks.push(0);
    }
    counts[s]!++;
    if (isAttack(i)) attacks[s]!++;
  }
  return { keys, counts, attacks, missing };
}
