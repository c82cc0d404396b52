import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Column } from './types.js';
import { readJsonl, recordsToColumns } from './jsonl.js';
import type { RawColumns } from './csv.js';

function values(c: Column): Array<string | number | null> {
  if (c.kind === 'numeric') return Array.from(c.values, (v) => (Number.isNaN(v) ? null : v));
  return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]!));
}

function table(raw: RawColumns): Record<string, Array<string | number | null>> {
  return Object.fromEntries(raw.builders.map((b) => [b.name, values(b.build())]));
}

async function* once(text: string): AsyncIterable<Buffer> {
  yield Buffer.from(text, 'utf8');
}

test('a file and in-memory records build the same columns: first-seen keys, late keys missing before, booleans 0/1', async () => {
  const records = [{ a: 1, b: 'x' }, { a: 2.5, c: true }, { b: 'y', a: null, c: false }, { d: 'z' }];
  const fromRecords = recordsToColumns(records);
  const fromFile = await readJsonl(once(records.map((r) => JSON.stringify(r)).join('\n')), 'r.jsonl');
  const expected = { a: [1, 2.5, null, null], b: ['x', null, 'y', null], c: [null, 1, 0, null], d: [null, null, null, 'z'] };
  assert.deepEqual(table(fromRecords), expected);
  assert.deepEqual(table(fromFile), expected);
  for (const raw of [fromRecords, fromFile]) {
    assert.deepEqual(raw.header, ['a', 'b', 'c', 'd']);
    assert.equal(raw.nRows, 4);
    assert.equal(raw.width, 4);
  }
});

test('a nested value is refused, naming the record (in memory) or the line (file) and the field', async () => {
  assert.throws(() => recordsToColumns([{ a: 1 }, { a: [1] }], 'batch'), /batch record 2: field 'a' must be a number or a string/);
  await assert.rejects(readJsonl(once('{"a":1}\n\n{"a":{"b":2}}\n'), 'f.jsonl'), /f\.jsonl line 3: field 'a' must be a number or a string/);
});
