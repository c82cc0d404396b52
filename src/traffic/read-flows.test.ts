import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { isNadirError } from '../errors.js';
import { CollectingLogger } from '../logger.js';
import { flowValues } from './columns.js';
import { readFlows } from './read-flows.js';
import { CAPTURES } from './testdata/fixtures.js';

const GZ = CAPTURES + 'cicflowmeter/test.pcap.gz';

async function* chunks(b: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, Math.min(b.length, i + size));
}

describe('readFlows: files, gzip, streams, warnings', () => {
  it('a gzip’d file, the plain file and a stream in 1,000-byte chunks give the same flows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nadir-traffic-'));
    const plain = join(dir, 'test.pcap');
    const bytes = gunzipSync(readFileSync(GZ));
    writeFileSync(plain, bytes);
    const run = async (input: Parameters<typeof readFlows>[0][number]): Promise<string[]> => {
      const rows: string[] = [];
      await readFlows([input], (f) => rows.push(JSON.stringify(flowValues(f, 'cic2017'))), { chunkSize: 4096 });
      return rows.sort();
    };
    const a = await run(GZ);
    assert.equal(a.length, 96);
    assert.deepEqual(await run(plain), a);
    assert.deepEqual(await run({ name: 'stream', stream: chunks(bytes, 1000) }), a);
    assert.deepEqual(await run({ name: 'gz stream', stream: chunks(readFileSync(GZ), 777) }), a);
  });

  it('a truncated gzip file is one catalogued error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nadir-traffic-'));
    const cut = join(dir, 'cut.pcap.gz');
    writeFileSync(cut, readFileSync(GZ).subarray(0, 50_000));
    await assert.rejects(readFlows([cut], () => {}), (e: unknown) => isNadirError(e) && e.code === 'NADIR_ERR_GZIP' && /cut\.pcap\.gz/.test(e.message));
  });

  it('odd records are warnings naming the packet, the first 10 one by one, then a count', async () => {
    // 15 records whose captured length exceeds the snap length of 60
    const head = Buffer.from('d4c3b2a1020004000000000000000000' + '3c000000' + '01000000', 'hex');
    const recs: Buffer[] = [];
    const pkt = gunzipSync(readFileSync(GZ)).subarray(24 + 16, 24 + 16 + 66);
    for (let i = 0; i < 15; i++) {
      const h = Buffer.alloc(16);
      h.writeUInt32LE(1_500_000_000 + i, 0);
      h.writeUInt32LE(66, 8);
      h.writeUInt32LE(66, 12);
      recs.push(h, pkt);
    }
    const log = new CollectingLogger();
    const stats = await readFlows([{ name: 'snap.pcap', stream: chunks(Buffer.concat([head, ...recs]), 100) }], () => {}, { logger: log });
    assert.equal(stats.packets, 15);
    assert.equal(stats.issues, 15);
    assert.equal(log.warnings.length, 11);
    assert.match(log.warnings[0]!.message, /snap\.pcap: packet 1 has 66 captured bytes, more than the snap length 60/);
    assert.match(log.warnings[10]!.message, /15 capture records were odd \(15 caplen-exceeds-snaplen\)/);
  });

  it('an empty input and a missing file are errors naming them', async () => {
    await assert.rejects(readFlows([{ name: 'empty', stream: chunks(Buffer.alloc(0), 1) }], () => {}), (e: unknown) => isNadirError(e) && e.code === 'NADIR_ERR_EMPTY_FILE');
    await assert.rejects(readFlows(['/nonexistent/x.pcap'], () => {}), (e: unknown) => isNadirError(e) && e.code === 'NADIR_ERR_FILE_NOT_FOUND');
  });
});
