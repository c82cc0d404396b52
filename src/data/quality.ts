import { opt, renderMessage } from '../errors.js';
import type { CategoricalColumn, Column, Finding, Table } from './types.js';

/**
 * Data-quality findings over a loaded table: missing values, ±Infinity, constant and
 * all-missing columns, identifier-like columns, duplicated rows, labels seen only once. Each
 * is a finding (a warning), never an error: the data is still usable.
 */
export function assessQuality(table: Table, labels?: CategoricalColumn): Finding[] {
  const findings: Finding[] = [];
  const n = table.nRows;
  for (const col of table.columns) {
    let missing = 0;
    let inf = 0;
    let distinct = 0;
    // identifier-like: numeric = whole numbers in strictly increasing (or decreasing) order;
    // categorical = a different value on every row
    let identifier = false;
    if (col.kind === 'numeric') {
      const v = col.values;
      let first = NaN;
      let prev = NaN;
      let whole = true;
      let up = true;
      let down = true;
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        if (x !== x) missing++;
        else {
          if (x === Infinity || x === -Infinity) inf++;
          if (distinct === 0) {
            first = x;
            distinct = 1;
          } else if (distinct === 1 && x !== first) distinct = 2;
          if (whole && !Number.isInteger(x)) whole = false;
        }
        // NaN compares false both ways, so a missing value ends both runs
        if (i > 0) {
          if (!(x > prev)) up = false;
          if (!(x < prev)) down = false;
        }
        prev = x;
      }
      identifier = n > IDENTIFIER_MIN_ROWS && whole && (up || down);
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
      identifier = n > IDENTIFIER_MIN_ROWS && missing === 0 && everyCodeOnce(c, col.dictionary.length);
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
    if (identifier) {
      const what = col.kind === 'numeric' ? 'a different value on every row, in order' : 'a different value on every row';
      const harm =
        col.kind === 'numeric'
          ? 'a model can learn the row order from it (and files are often sorted by time or by label), which scores well in cross-validation and means nothing for new traffic'
          : 'a model can only memorise rows from it, nothing that carries over to new traffic';
      const template = `column '${col.name}' looks like a row identifier (${what}): ${harm}; drop it (${opt('drop')} ${quoteColumn(col.name)} when training)`;
      findings.push({ code: 'identifier-like', column: col.name, message: renderMessage(template), template });
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

/**
 * Rows a column must have before "a different value on every row" says anything: a few rows
 * are often distinct or in order by chance.
 */
const IDENTIFIER_MIN_ROWS = 50;

/** Every dictionary code occurs at most once (no missing codes are passed in use). */
function everyCodeOnce(codes: Int32Array, size: number): boolean {
  if (codes.length > size) return false;
  const seen = new Uint8Array(size);
  for (let i = 0; i < codes.length; i++) {
    const k = codes[i]!;
    if (seen[k]) return false;
    seen[k] = 1;
  }
  return true;
}

/** A column name as a shell word for the hint (quoted when it holds spaces or shell characters). */
function quoteColumn(name: string): string {
  return /^[\w@%+=:./-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
}

function pct(k: number, n: number): string {
  return `${((100 * k) / Math.max(1, n)).toFixed(k / n < 0.001 ? 3 : 1)}%`;
}

/**
 * Rows that repeat an earlier row (all features and the label equal; NaN equals NaN).
 * Each row gets a 32-bit hash built column by column (no row strings or objects); rows are
 * then inserted into an open-addressing table of row indices (linear probing), and a hash
 * match is confirmed by comparing the two rows value by value, so the count is exact.
 */
export function countDuplicateRows(table: Table, labels?: CategoricalColumn): number {
  const n = table.nRows;
  if (n < 2) return 0;
  const cols: Column[] = labels ? [...table.columns, labels] : [...table.columns];
  const h = new Int32Array(n).fill(0x811c9dc5 | 0);
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  for (const col of cols) {
    if (col.kind === 'numeric') {
      const v = col.values;
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        f64[0] = x !== x ? NaN : x === 0 ? 0 : x; // one bit pattern for every NaN and for ±0
        let k = Math.imul(h[i]! ^ u32[0]!, 0x9e3779b1);
        k = Math.imul(k ^ (k >>> 15) ^ u32[1]!, 0x85ebca6b);
        h[i] = k ^ (k >>> 13);
      }
    } else {
      const c = col.codes;
      for (let i = 0; i < n; i++) {
        const k = Math.imul(h[i]! ^ (c[i]! + 0x3c6ef372), 0x9e3779b1);
        h[i] = k ^ (k >>> 15);
      }
    }
  }
  const nums: Float64Array[] = [];
  const codes: Int32Array[] = [];
  for (const col of cols) {
    if (col.kind === 'numeric') nums.push(col.values);
    else codes.push(col.codes);
  }
  const equal = (a: number, b: number): boolean => {
    for (let c = 0; c < codes.length; c++) if (codes[c]![a] !== codes[c]![b]) return false;
    for (let c = 0; c < nums.length; c++) {
      const x = nums[c]![a]!;
      const y = nums[c]![b]!;
      if (x !== y && !(x !== x && y !== y)) return false;
    }
    return true;
  };
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  let dups = 0;
  for (let i = 0; i < n; i++) {
    const hi = h[i]!;
    let slot = Math.imul(hi ^ (hi >>> 16), 0x7feb352d) & mask;
    for (;;) {
      const j = slots[slot]!;
      if (j < 0) {
        slots[slot] = i;
        break;
      }
      if (h[j] === hi && equal(j, i)) {
        dups++;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return dups;
}
