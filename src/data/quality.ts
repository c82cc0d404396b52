import type { CategoricalColumn, Finding, Table } from './types.js';

/**
 * Data-quality findings over a loaded table: missing values, ±Infinity, constant and
 * all-missing columns, duplicated rows, labels seen only once. Each is a finding (a
 * warning), never an error: the data is still usable.
 */
export function assessQuality(table: Table, labels?: CategoricalColumn): Finding[] {
  const findings: Finding[] = [];
  const n = table.nRows;
  for (const col of table.columns) {
    let missing = 0;
    let inf = 0;
    let distinct = 0;
    if (col.kind === 'numeric') {
      const v = col.values;
      let first = NaN;
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        if (x !== x) missing++;
        else {
          if (x === Infinity || x === -Infinity) inf++;
          if (distinct === 0) {
            first = x;
            distinct = 1;
          } else if (distinct === 1 && x !== first) distinct = 2;
        }
      }
    } else {
      const c = col.codes;
      let first = -1;
      for (let i = 0; i < n; i++) {
        const x = c[i]!;
        if (x < 0) missing++;
        else if (distinct === 0) {
          first = x;
          distinct = 1;
        } else if (distinct === 1 && x !== first) distinct = 2;
      }
    }
    if (n > 0 && missing === n) {
      findings.push({ code: 'all-missing', column: col.name, count: n, message: `column '${col.name}' has no values (all ${n} missing)` });
      continue;
    }
    if (missing > 0) {
      findings.push({ code: 'missing-values', column: col.name, count: missing, message: `column '${col.name}' has ${missing} missing value${missing === 1 ? '' : 's'} (${pct(missing, n)})` });
    }
    if (inf > 0) {
      findings.push({ code: 'infinity', column: col.name, count: inf, message: `column '${col.name}' has ${inf} infinite value${inf === 1 ? '' : 's'} (${pct(inf, n)})` });
    }
    if (distinct === 1 && n > 1) {
      findings.push({ code: 'constant-column', column: col.name, message: `column '${col.name}' is constant: it carries no information` });
    }
  }
  const dups = countDuplicateRows(table, labels);
  if (dups > 0) findings.push({ code: 'duplicate-rows', count: dups, message: `${dups} duplicated row${dups === 1 ? '' : 's'} (${pct(dups, n)})` });
  if (labels) {
    const counts = new Int32Array(labels.dictionary.length);
    for (let i = 0; i < labels.codes.length; i++) if (labels.codes[i]! >= 0) counts[labels.codes[i]!]!++;
    const once = labels.dictionary.filter((_, k) => counts[k] === 1);
    if (once.length > 0) {
      findings.push({ code: 'single-label', column: labels.name, count: once.length, examples: once.slice(0, 10), message: `${once.length} label value${once.length === 1 ? '' : 's'} seen only once: ${once.slice(0, 5).join(', ')}${once.length > 5 ? ', …' : ''}` });
    }
  }
  return findings;
}

function pct(k: number, n: number): string {
  return `${((100 * k) / Math.max(1, n)).toFixed(k / n < 0.001 ? 3 : 1)}%`;
}

/**
 * Rows that repeat an earlier row (all features and the label equal). Rows are hashed
 * column by column into two independent 32-bit hashes (a 53-bit key), so no row strings
 * are built; a collision would need both hashes to collide (≈ n² / 2^54).
 */
export function countDuplicateRows(table: Table, labels?: CategoricalColumn): number {
  const n = table.nRows;
  const h1 = new Uint32Array(n).fill(0x811c9dc5);
  const h2 = new Uint32Array(n).fill(0x01000193);
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const mix = (i: number, a: number, b: number): void => {
    h1[i] = Math.imul(h1[i]! ^ a, 0x01000193) ^ Math.imul(b, 0x5bd1e995);
    h2[i] = Math.imul((h2[i]! ^ b) + 0x7ed55d16, 0x85ebca6b) ^ Math.imul(a, 0xc2b2ae35);
  };
  const cols = labels ? [...table.columns, labels] : table.columns;
  for (const col of cols) {
    if (col.kind === 'numeric') {
      for (let i = 0; i < n; i++) {
        const x = col.values[i]!;
        f64[0] = x !== x ? NaN : x;
        mix(i, u32[0]!, u32[1]!);
      }
    } else {
      for (let i = 0; i < n; i++) mix(i, col.codes[i]! + 1, 0x9e3779b9);
    }
  }
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) seen.add(h1[i]! * 2097152 + (h2[i]! & 0x1fffff));
  return n - seen.size;
}
