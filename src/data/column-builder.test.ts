import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asCategorical, asNumeric, ColumnBuilder, parseCell } from './column-builder.js';

describe('parseCell', () => {
  it('classifies missing tokens, infinities, plain decimals and text', () => {
    for (const s of ['', '  ', 'NA', 'n/a', 'NaN', 'null', 'None', '?']) assert.deepEqual(parseCell(s), { kind: 'missing' }, s);
    assert.deepEqual(parseCell(' Infinity '), { kind: 'number', value: Infinity });
    assert.deepEqual(parseCell('-inf'), { kind: 'number', value: -Infinity });
    assert.deepEqual(parseCell(' 1e3 '), { kind: 'number', value: 1000 });
    assert.deepEqual(parseCell('-.5'), { kind: 'number', value: -0.5 });
    for (const s of ['0x1F', '1,5', '-', 'tcp', '1e', 'Infinityx']) assert.equal(parseCell(s).kind, 'text', s);
    assert.deepEqual(parseCell('  SF '), { kind: 'text', text: 'SF' });
    assert.deepEqual(parseCell(' NULL '), { kind: 'missing' });
    assert.equal(parseCell('-').kind, 'text');
  });
});

describe('ColumnBuilder', () => {
  it('stores many numbers across blocks and builds them back in order', () => {
    const b = new ColumnBuilder('x', 16);
    const n = 200_003;
    for (let i = 0; i < n; i++) b.pushNumber(i * 0.5);
    assert.equal(b.length, n);
    const c = b.build();
    assert.equal(c.kind, 'numeric');
    if (c.kind === 'numeric') {
      assert.equal(c.values.length, n);
      for (let i = 0; i < n; i += 9973) assert.equal(c.values[i], i * 0.5);
      assert.equal(c.values[n - 1], (n - 1) * 0.5);
    }
  });

  it('turns categorical on the first text after several blocks, re-encoding earlier numbers', () => {
    const b = new ColumnBuilder('port', 1);
    const n = 150_000;
    for (let i = 0; i < n; i++) {
      if (i % 1000 === 7) b.pushMissing();
      else b.pushNumber(i % 3);
    }
    b.pushText('http', n + 2);
    b.pushNumber(1);
    b.pushCell('ftp', n + 4);
    assert.equal(b.isCategorical, true);
    const c = b.build();
    assert.equal(c.kind, 'categorical');
    if (c.kind === 'categorical') {
      assert.equal(c.codes.length, n + 3);
      const at = (i: number): string | null => (c.codes[i]! < 0 ? null : c.dictionary[c.codes[i]!]!);
      for (let i = 0; i < n; i += 997) assert.equal(at(i), i % 1000 === 7 ? null : String(i % 3));
      assert.equal(at(7), null);
      assert.deepEqual([at(n), at(n + 1), at(n + 2)], ['http', '1', 'ftp']);
      assert.deepEqual([...c.dictionary].sort(), ['0', '1', '2', 'ftp', 'http']);
    }
  });

  it('counts missing values, infinities, numbers and text, and the first text line', () => {
    const b = new ColumnBuilder('r');
    b.pushNumber(1);
    b.pushNumber(Infinity);
    b.pushNumber(NaN);
    b.pushCell('NaN', 4);
    b.pushCell('-Infinity', 5);
    b.pushCell('abc', 6);
    b.pushCell('def', 7);
    assert.deepEqual([b.length, b.missing, b.infinities, b.numericTokens, b.textTokens, b.firstTextLine], [7, 2, 2, 3, 2, 6]);
  });

  it('builds a one-value column without copying and an empty one as empty', () => {
    const one = new ColumnBuilder('a', 1);
    one.pushNumber(3);
    assert.deepEqual(one.build(), { kind: 'numeric', name: 'a', values: Float64Array.from([3]) });
    assert.deepEqual(new ColumnBuilder('e').build(), { kind: 'numeric', name: 'e', values: new Float64Array(0) });
  });
});

describe('kind conversions', () => {
  it('asCategorical spells numbers with String() and keeps NaN missing', () => {
    const c = asCategorical({ kind: 'numeric', name: 'p', values: Float64Array.from([80, NaN, 443, 80, 1.5]) });
    assert.equal(c.kind, 'categorical');
    if (c.kind === 'categorical') {
      assert.deepEqual(c.dictionary, ['80', '443', '1.5']);
      assert.deepEqual(Array.from(c.codes), [0, -1, 1, 0, 2]);
    }
  });

  it('asNumeric reads number-like categories (missing tokens as NaN) and refuses text', () => {
    const n = asNumeric({ kind: 'categorical', name: 'x', dictionary: ['1', ' 2.5', 'NA', 'Infinity'], codes: Int32Array.from([0, 1, 2, 3, -1]) });
    assert.ok(n && n.kind === 'numeric');
    if (n && n.kind === 'numeric') assert.deepEqual(Array.from(n.values), [1, 2.5, NaN, Infinity, NaN]);
    assert.equal(asNumeric({ kind: 'categorical', name: 'x', dictionary: ['1', 'tcp'], codes: Int32Array.from([0, 1]) }), undefined);
    assert.equal(asNumeric({ kind: 'categorical', name: 'x', dictionary: ['0x10'], codes: Int32Array.from([0]) }), undefined);
  });
});
