import type { Column } from '../data/types.js';

/** A column with at most one distinct non-missing value in the training data carries no information. */
export function isConstant(col: Column): boolean {
  if (col.kind === 'numeric') {
    let first = NaN;
    for (let i = 0; i < col.values.length; i++) {
      const v = col.values[i]!;
      if (v !== v) continue;
      if (first !== first) first = v;
      else if (v !== first) return false;
    }
    return true;
  }
  let first = -1;
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i]!;
    if (c < 0) continue;
    if (first < 0) first = c;
    else if (c !== first) return false;
  }
  return true;
}
