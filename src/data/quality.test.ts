import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../util/random.js';
import { dataFromRecords } from './load.js';
import { assessQuality, countDuplicateRows } from './quality.js';
import type { CategoricalColumn, Column, Table } from './types.js';

const num = (name: string, v: number[]): Column => ({ kind: 'numeric', name, values: Float64Array.from(v) });
const cat = (name: string, dictionary: string[], codes: number[]): CategoricalColumn => ({ kind: 'categorical', name, dictionary, codes: Int32Array.from(codes) });

describe('assessQuality', () => {
  it('reports missing values, infinities, constant and all-missing columns with counts and messages', () => {
    const t: Table = {
      nRows: 4,
      columns: [
        num('a', [1, NaN, 3, 4]),
        num('rate', [Infinity, 1, -Infinity, 2]),
        num('zero', [0, 0, NaN, 0]),
        num('empty', [NaN, NaN, NaN, NaN]),
        cat('proto', ['tcp', 'udp'], [0, -1, 1, 0]),
        cat('flag', ['SF'], [0, 0, 0, 0]),
      ],
    };
    const f = assessQuality(t);
    const pick = (code: string): Array<[string | undefined, number | undefined]> => f.filter((x) => x.code === code).map((x) => [x.column, x.count]);
    assert.deepEqual(pick('missing-values'), [['a', 1], ['zero', 1], ['proto', 1]]);
    assert.deepEqual(pick('infinity'), [['rate', 2]]);
    assert.deepEqual(f.filter((x) => x.code === 'constant-column').map((x) => x.column), ['zero', 'flag']);
    assert.deepEqual(pick('all-missing'), [['empty', 4]]);
    assert.equal(f.find((x) => x.column === 'a')!.message, "column 'a' has 1 missing value (25.0%)");
    assert.equal(f.find((x) => x.code === 'infinity')!.message, "column 'rate' has 2 infinite values (50.0%)");
    assert.equal(f.find((x) => x.code === 'all-missing')!.message, "column 'empty' has no values (all 4 missing)");
    // an all-missing column is not also reported as missing values or constant
    assert.equal(f.filter((x) => x.column === 'empty').length, 1);
  });

  it('reports duplicated rows (label included) and labels seen only once', () => {
    const t: Table = { nRows: 5, columns: [num('a', [1, 1, 2, 1, 2]), cat('p', ['x', 'y'], [0, 0, 1, 0, 1])] };
    const labels = cat('label', ['normal', 'smurf', 'imap'], [0, 0, 1, 1, 2]);
    const f = assessQuality(t, labels);
    const dup = f.find((x) => x.code === 'duplicate-rows');
    // row 1 repeats row 0; row 3 has row 0's features but another label, row 4 row 2's: not duplicates
    assert.equal(dup?.count, 1);
    assert.equal(dup?.message, '1 duplicated row (20.0%)');
    const once = f.find((x) => x.code === 'single-label');
    assert.deepEqual(once?.examples, ['imap']);
    assert.equal(once?.message, '1 label value seen only once: imap');
  });

  it('finds mixed types through the loader, naming the first text line', () => {
    const d = dataFromRecords([{ port: 80 }, { port: 443 }, { port: 'http' }, { port: 22 }]);
    const f = d.findings.find((x) => x.code === 'mixed-types');
    assert.equal(f?.column, 'port');
    assert.deepEqual(f?.examples, [3]);
    assert.equal(f?.message, "column 'port' mixes numbers and text (3 numbers, 1 text value, first text at line 3); read as categorical");
  });
});

describe('countDuplicateRows', () => {
  it('treats NaN as equal to NaN and -0 as equal to 0', () => {
    const t: Table = { nRows: 4, columns: [num('a', [NaN, NaN, 0, -0]), cat('b', ['x'], [-1, -1, 0, 0])] };
    assert.equal(countDuplicateRows(t), 2);
  });

  it('matches a naive row-string count on random data with many repeats', () => {
    const rng = new Random(11);
    const n = 20000;
    const a = new Float64Array(n);
    const b = new Int32Array(n);
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = rng.int(20);
      b[i] = rng.int(5) - 1; // includes missing (-1)
      c[i] = rng.next() < 0.05 ? NaN : rng.int(4) / 4;
    }
    const t: Table = { nRows: n, columns: [{ kind: 'numeric', name: 'a', values: a }, { kind: 'categorical', name: 'b', codes: b, dictionary: ['p', 'q', 'r', 's'] }, { kind: 'numeric', name: 'c', values: c }] };
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) seen.add(`${a[i]}|${b[i]}|${c[i]}`);
    assert.equal(countDuplicateRows(t), n - seen.size);
    assert.ok(n - seen.size > 15000);
  });

  it('is 0 for fewer than two rows', () => {
    assert.equal(countDuplicateRows({ nRows: 1, columns: [num('a', [1])] }), 0);
    assert.equal(countDuplicateRows({ nRows: 0, columns: [] }), 0);
  });
});

describe('identifier-like columns', () => {
  const ids = (n: number, from = 1000, step = 1): number[] => Array.from({ length: n }, (_, i) => from + i * step);
  const codes = (name: string, values: string[]): CategoricalColumn => cat(name, values, values.map((_, i) => i));
  const found = (t: Table): Array<[string | undefined, string]> => assessQuality(t).filter((f) => f.code === 'identifier-like').map((f) => [f.column, f.message]);

  it('flags whole numbers in strictly increasing or decreasing order, and text distinct on every row, over more than 50 rows', () => {
    const n = 60;
    const t: Table = {
      nRows: n,
      columns: [
        num('flow_id', ids(n)),
        num('countdown', ids(n, 5000, -7)),
        num('bytes', ids(n).map((x) => (x * 7919) % 613)),
        codes('uid', ids(n).map((x) => `C${x.toString(36)}`)),
      ],
    };
    assert.deepEqual(found(t), [
      [
        'flow_id',
        "column 'flow_id' looks like a row identifier (a different value on every row, in order): a model can learn the row order from it (and files are often sorted by time or by label), which scores well in cross-validation and means nothing for new traffic; drop it (drop flow_id when training)",
      ],
      [
        'countdown',
        "column 'countdown' looks like a row identifier (a different value on every row, in order): a model can learn the row order from it (and files are often sorted by time or by label), which scores well in cross-validation and means nothing for new traffic; drop it (drop countdown when training)",
      ],
      ['uid', "column 'uid' looks like a row identifier (a different value on every row): a model can only memorise rows from it, nothing that carries over to new traffic; drop it (drop uid when training)"],
    ]);
  });

  it('leaves alone: 50 rows or fewer, fractions, ties, a row out of order, a missing value, repeated text; quotes a name with spaces', () => {
    const n = 60;
    const outOfOrder = ids(n);
    [outOfOrder[10], outOfOrder[11]] = [outOfOrder[11]!, outOfOrder[10]!];
    const tie = ids(n);
    tie[30] = tie[29]!;
    const gap: number[] = ids(n);
    gap[5] = NaN;
    const text = ids(n).map((x) => `h${x}`);
    text[59] = text[0]!;
    const t: Table = {
      nRows: n,
      columns: [
        num('time', ids(n).map((x) => x + 0.5)),
        num('tie', tie),
        num('swapped', outOfOrder),
        num('gap', gap),
        cat('host', [...new Set(text)], text.map((v, i) => (i === 59 ? 0 : i))),
      ],
    };
    assert.deepEqual(found(t), []);
    assert.deepEqual(found({ nRows: 50, columns: [num('id', ids(50)), codes('uid', ids(50).map(String))] }), []);
    const spaced = found({ nRows: 51, columns: [num('Flow ID', ids(51))] });
    assert.match(spaced[0]![1], /drop it \(drop 'Flow ID' when training\)$/);
  });
});
