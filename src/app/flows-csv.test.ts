/**
 * The CSV `nadir flows` writes, byte for byte. The hashes were taken from the output of the
 * writer before it encoded lines into buffers (commit c7d35ea): a faster writer must write the
 * same bytes (the cic2017 file is the one the conformance test compares to CICFlowMeter's CSV).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { tempDir } from '../data/testdata/files.js';
import { writeFlows, type FlowsOptions } from './flows.js';

const CAPTURES = 'test/fixtures/captures/';
const dir = tempDir('nadir-flows-csv-');
after(() => rmSync(dir, { recursive: true, force: true }));

async function csvOf(capture: string, options: FlowsOptions): Promise<Buffer> {
  const out = join(dir, 'flows.csv');
  await writeFlows([CAPTURES + capture], { path: out }, 'csv', options);
  const bytes = readFileSync(out);
  rmSync(out);
  return bytes;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('flows CSV: the same bytes as before the writer was made faster', () => {
  const cases: [string, FlowsOptions, number, string][] = [
    ['cicflowmeter/test.pcap.gz', { mode: 'cic2017' }, 96, '01234aa93eb2f1a22af75e2f61909ddebf06cea0b6f73c73d7140938545f323d'],
    ['cicflowmeter/test.pcap.gz', { mode: 'corrected', label: 'a "quoted", label' }, 67, 'ee10b3e4e5f65c33f7b58718b267d61029e9afc1217b31c858617da3df293d31'],
    ['zeek/infected.pcap', { mode: 'cic2017' }, 23, 'c49f503abe10dec287387afb40c6c162c6046d4f9e9dc8ae78d834ef55f1a2e9'],
    ['zeek/infected.pcap', { mode: 'corrected', label: 'Bot' }, 15, '47811a600e588dd7c4e5c45babda138589b668fdf8ea70bc03268f00bbf6b827'],
    ['dpkt/http.pcap', { mode: 'corrected' }, 3, 'fbb329ab67af3d227bce3aa6a1437ed65b40375e3925f94550dd1aa439f09c7b'],
  ];
  for (const [capture, options, flows, hash] of cases) {
    it(`${capture}, ${options.mode}${options.label ? ', --label' : ''}: ${flows} flows, sha256 unchanged`, async () => {
      const csv = await csvOf(capture, options);
      assert.equal(csv.toString('utf8').split('\n').length - 2, flows);
      assert.equal(sha256(csv), hash);
    });
  }

  it('a stream (stdout) gets the same bytes as a file', async () => {
    const stream = new PassThrough();
    const parts: Buffer[] = [];
    stream.on('data', (b: Buffer) => parts.push(b));
    await writeFlows([CAPTURES + 'cicflowmeter/test.pcap.gz'], { stream }, 'csv', { mode: 'cic2017' });
    assert.equal(sha256(Buffer.concat(parts)), cases[0]![3]);
  });

  it('labels of any size and script: each line is the unlabelled line plus the label, encoded as UTF-8', async () => {
    const base = (await csvOf('dpkt/http.pcap', { mode: 'corrected', label: 'X' })).toString('utf8');
    // one label longer than the writer's 1 MB buffer can take in one piece, one with multi-byte characters
    for (const label of ['Ångström ✓ 攻撃 🛡', 'L'.repeat(400_000), 'é'.repeat(200_000)]) {
      const csv = await csvOf('dpkt/http.pcap', { mode: 'corrected', label });
      assert.equal(csv.toString('utf8'), base.replace(/,X\n/g, `,${label}\n`));
      assert.equal(csv.length, Buffer.byteLength(base.replace(/,X\n/g, `,${label}\n`)));
    }
  });
});
