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

test('true/false are 1/0 in a column of 0/1 flags; mixed with other numbers or text they are refused, naming both records', async () => {
  const flags = recordsToColumns([{ land: true }, { land: 0 }, { land: '1' }, { land: false }, { land: null }]);
  assert.deepEqual(table(flags), { land: [1, 0, 1, 0, null] });
  // a boolean after byte counts, and a byte count after a boolean
  await assert.rejects(
    readJsonl(once('{"src_bytes":118}\n{"src_bytes":true}\n'), 'stdin'),
    { message: `stdin line 2: field 'src_bytes' is true, but stdin line 1 has 118 there; true/false are read as 1/0, only in columns of 0/1 flags` },
  );
  await assert.rejects(
    readJsonl(once('{"src_bytes":false}\n\n{"src_bytes":"2.5"}\n'), 'f.jsonl'),
    { message: `f.jsonl line 3: field 'src_bytes' is "2.5", but f.jsonl line 1 has false there; true/false are read as 1/0, only in columns of 0/1 flags` },
  );
  assert.throws(() => recordsToColumns([{ proto: 'tcp' }, { proto: true }], 'batch'), {
    message: `batch record 2: field 'proto' is true, but batch record 1 has "tcp" there; true/false are read as 1/0, only in columns of 0/1 flags`,
  });
});

test('a JSONL stream remembers the line of each record (blank lines are not records); records in memory need not', async () => {
  const raw = await readJsonl(once('{"a":1}\n\n{"a":2}\n   \n{"a":3}\n'), 'f.jsonl');
  assert.equal(raw.nRows, 3);
  assert.deepEqual(Array.from(raw.recordLines ?? []), [1, 3, 5]);
  assert.equal(recordsToColumns([{ a: 1 }]).recordLines, undefined);
  // many records: the line array grows past its first block
  const many = await readJsonl(once(Array.from({ length: 3000 }, (_, i) => `{"a":${i}}`).join('\n\n')), 'g.jsonl');
  assert.equal(many.recordLines!.length, 3000);
  assert.equal(many.recordLines![2999], 5999);
});
