import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataFromRecords } from './load.js';
import { typedRecordsTable, type TypedField } from './typed-records.js';
import type { Column } from './types.js';

function values(c: Column): Array<string | number | null> {
  if (c.kind === 'numeric') return Array.from(c.values, (v) => (Number.isNaN(v) ? null : v));
  return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]!));
}

const FIELDS: TypedField[] = [
  { name: 'bytes', kind: 'numeric' },
  { name: 'proto', kind: 'categorical' },
  { name: 'port', kind: 'categorical' },
];

test('typed records load to the values dataFromRecords gives the same records (missing tokens, trimming, numbers as categories)', () => {
  const records = [
    { bytes: 10, proto: 'tcp', port: 80, extra: 'ignored' },
    { bytes: 2.5, proto: ' udp ', port: '443' },
    { bytes: null, proto: 'NA', port: null },
    { proto: '', port: 'x' },
    { bytes: 0, proto: 'tcp', port: '80' },
  ];
  const typed = typedRecordsTable(FIELDS, records);
  const loaded = dataFromRecords(records, { role: 'score', kinds: { port: 'categorical' } }).features;
  assert.equal(typed.nRows, 5);
  for (const f of FIELDS) {
    const col = loaded.columns.find((c) => c.name === f.name)!;
    assert.deepEqual(values(typed.columns.find((c) => c.name === f.name)!), values(col), f.name);
  }
  assert.deepEqual(values(typed.columns[2]!), ['80', '443', null, 'x', '80']);
});

test('rows pick and order the records; a value of the wrong type is refused, naming the record', () => {
  const records = [{ bytes: 1, proto: 'a', port: 'p' }, { bytes: 'oops' }, { bytes: 3, proto: 'c', port: 'q' }];
  const t = typedRecordsTable(FIELDS, records, [2, 0]);
  assert.deepEqual(values(t.columns[0]!), [3, 1]);
  assert.deepEqual(values(t.columns[1]!), ['c', 'a']);
  assert.throws(() => typedRecordsTable(FIELDS, records, undefined, (i) => `batch record ${i}`), /batch record 1: field 'bytes' must be a number or null/);
  assert.throws(() => typedRecordsTable(FIELDS, [{ bytes: 1, proto: { x: 1 } }]), /record 0: field 'proto' must be a string or null/);
});
