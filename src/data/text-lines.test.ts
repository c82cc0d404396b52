import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { textLines } from './text-lines.js';

async function collectLines(bytes: Buffer, cuts: number[]): Promise<string[]> {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  async function* chunks(): AsyncGenerator<Buffer> {
    let prev = 0;
    for (const c of at) {
      yield bytes.subarray(prev, c);
      prev = c;
    }
    yield bytes.subarray(prev);
  }
  const out: string[] = [];
  for await (const l of textLines(chunks())) out.push(l);
  return out;
}

test('textLines: the lines of any UTF-8 text, however the bytes are cut (characters split across chunks decoded whole)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), async (text, cuts) => {
      const want = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
      assert.deepEqual(await collectLines(Buffer.from(text, 'utf8'), cuts), want);
    }),
    { numRuns: 2000 },
  );
  // a two-byte and a four-byte character cut in the middle
  assert.deepEqual(await collectLines(Buffer.from('é\n😀x', 'utf8'), [1, 4, 5]), ['é', '😀x']);
});
