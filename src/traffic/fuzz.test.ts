import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isNadirError } from '../errors.js';
import { CaptureReader } from './capture.js';
import { flowValues } from './columns.js';
import { decodeFrame, PacketInfo } from './decode.js';
import { FlowMeter } from './flow-meter.js';
import { CAPTURES, fixture } from './testdata/fixtures.js';

/**
 * Fuzzing the whole path bytes → frames → decoded packets → flows → feature values with mutated
 * real captures (bit flips, overwritten bytes, cut and spliced files, cut in random chunks):
 * every input either reads through or stops with one NadirError; nothing else is thrown, nothing
 * hangs, and what is buffered stays below one record.
 */

const SEEDS: Buffer[] = [
  ...['test001', 'test004', 'test008', 'test010', 'test016', 'test101', 'test202', 'test901', 'test902'].flatMap((t) => [fixture(`gopacket/le/${t}.pcapng`), fixture(`gopacket/be/${t}.pcapng`)]),
  fixture('gopacket/pcap/test_ethernet.pcap'),
  fixture('gopacket/pcap/test_dns.pcap'),
  fixture('dpkt/dns_icmp.pcap'),
  fixture('dpkt/truncated_dns_2.pcap'),
  fixture('dpkt/nb6-http.pcap').subarray(0, 3000),
  fixture('gopacket/pcap/test_loopback.pcap').subarray(0, 3000),
];

function runAll(bytes: Buffer, chunk: number, mode: 'cic2017' | 'corrected'): { frames: number; flows: number } {
  const p = new PacketInfo();
  let frames = 0;
  let flows = 0;
  const meter = new FlowMeter(
    (f) => {
      flows++;
      const v = flowValues(f, mode);
      assert.equal(v.length, 84);
    },
    { mode, activeTimeout: 3 },
  );
  const r = new CaptureReader('fuzz', (f) => {
    frames++;
    assert.ok(f.data.length <= 16 * 1024 * 1024);
    if (decodeFrame(f.linkType, f.data, p) === null) {
      p.tsMicros = f.tsMicros;
      p.wireLength = f.wireLength;
      meter.add(p);
    }
  });
  try {
    for (let i = 0; i < bytes.length; i += chunk) r.push(bytes.subarray(i, Math.min(bytes.length, i + chunk)));
    r.end();
  } catch (e) {
    if (!isNadirError(e)) throw e;
    assert.ok(!/\n/.test(e.message), 'one line');
  }
  meter.finish();
  return { frames, flows };
}

const mutation = fc.record({
  seed: fc.integer({ min: 0, max: SEEDS.length - 1 }),
  edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'xor', 'cut', 'dup')), { minLength: 1, maxLength: 6 }),
  chunk: fc.integer({ min: 1, max: 5000 }),
  mode: fc.constantFrom('cic2017' as const, 'corrected' as const),
});

function mutate(seed: Buffer, edits: [number, number, string][]): Buffer {
  let b = Buffer.from(seed);
  for (const [at, v, op] of edits) {
    if (b.length === 0) break;
    const i = at % b.length;
    if (op === 'set') b[i] = v;
    else if (op === 'xor') b[i] = b[i]! ^ (1 << (v & 7));
    else if (op === 'cut') b = b.subarray(0, i);
    else b = Buffer.concat([b.subarray(0, i), b.subarray(i, Math.min(b.length, i + v)), b.subarray(i)]);
  }
  return b;
}

describe('fuzz: pcap/pcapng reader, decoders and flow meter', () => {
  it('the seeds read cleanly', () => {
    for (const s of SEEDS) runAll(s, 4096, 'corrected');
    assert.ok(readdirSync(CAPTURES + 'gopacket/le/').length >= 26);
  });
  it('10,000 mutated captures: no crash, no hang, only catalogued errors', () => {
    fc.assert(
      fc.property(mutation, ({ seed, edits, chunk, mode }) => {
        runAll(mutate(SEEDS[seed]!, edits), chunk, mode);
      }),
      { numRuns: 10_000, seed: 20261206 },
    );
  });
  it('1,000 random byte strings behind a valid pcap or pcapng header', () => {
    const pcapHead = fixture('gopacket/pcap/test_ethernet.pcap').subarray(0, 24);
    const ngHead = fixture('gopacket/le/test001.pcapng').subarray(0, 200);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), (bytes, ng) => {
        runAll(Buffer.concat([ng ? ngHead : pcapHead, Buffer.from(bytes)]), 97, 'corrected');
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
