/**
 * Mutation fuzzing of the Zeek and Suricata EVE readers on real logs (issue 14: ≥ 10,000 mutated
 * inputs, no crash, no hang): bytes of a real conn.log and of real EVE lines flipped, deleted,
 * inserted, duplicated or cut; each reader must give a table or a catalogued error, every time.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readEve } from './suricata.js';
import { readZeek } from './zeek.js';

async function* one(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

/** The first `lines` lines of a text, as bytes: small inputs keep 10,000 runs to a few seconds. */
function head(text: string, lines: number): Buffer {
  return Buffer.from(text.split('\n').slice(0, lines).join('\n'), 'utf8');
}

const ZEEK = head(readFileSync('test/fixtures/zeek/conn.log', 'utf8'), 16);
const EVE = head(gunzipSync(readFileSync('test/fixtures/suricata/Muntaha-Ghafoor_eve.json.gz')).toString('utf8'), 6);

type Edit = { kind: 'flip' | 'delete' | 'insert' | 'dup' | 'cut'; at: number; byte: number; len: number };
const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('flip', 'delete', 'insert', 'dup', 'cut'),
  at: fc.nat(),
  byte: fc.constantFrom(0x09, 0x0a, 0x22, 0x2c, 0x2d, 0x3a, 0x7b, 0x7d, 0x23, 0x00, 0xff, 0x30, 0x2e),
  len: fc.integer({ min: 1, max: 40 }),
});

function mutate(base: Buffer, edits: readonly Edit[]): Buffer {
  let b = base;
  for (const e of edits) {
    const at = b.length === 0 ? 0 : e.at % b.length;
    if (e.kind === 'flip') {
      b = Buffer.from(b);
      if (b.length) b[at] = e.byte;
    } else if (e.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.len)]);
    else if (e.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.alloc(e.len, e.byte), b.subarray(at)]);
    else if (e.kind === 'dup') b = Buffer.concat([b.subarray(0, at + e.len), b.subarray(at)]);
    else b = b.subarray(0, at);
  }
  return b;
}

async function tableOrCatalogued(read: () => Promise<unknown>): Promise<void> {
  try {
    await read();
  } catch (e) {
    assert.match((e as { code?: string }).code ?? '', /^NADIR_ERR_/, `not a catalogued error: ${String(e)}`);
  }
}

describe('flow-log readers under mutation (real Zeek conn.log and Suricata EVE lines)', () => {
  it('10,000 mutated Zeek conn.logs: a table or a catalogued error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => tableOrCatalogued(() => readZeek(one(mutate(ZEEK, edits)), 'conn.log'))),
      { numRuns: 10_000, seed: 20261206 },
    );
  });

  it('10,000 mutated EVE files: a table or a catalogued error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => tableOrCatalogued(() => readEve(one(mutate(EVE, edits)), 'eve.json'))),
      { numRuns: 10_000, seed: 20261206 },
    );
  });
});
