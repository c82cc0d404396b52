import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isNadirError } from '../errors.js';
import { ticksToMicros } from './capture.js';
import { CAPTURES, fixture, readAllFrames } from './testdata/fixtures.js';

interface NgPacket {
  data?: string;
  tsNanos?: number | null;
  length?: number;
  captureLength?: number;
  interface?: number;
  err?: string;
}
interface NgTest {
  name: string;
  mixed: boolean;
  skipv: boolean;
  packets: NgPacket[];
}

const NG = JSON.parse(readFileSync(CAPTURES + 'gopacket/ngread-expected.json', 'utf8')) as { tests: NgTest[] };

describe('pcapng: gopacket pcapgo test suite (26 files × little and big endian)', () => {
  for (const order of ['le', 'be']) {
    for (const t of NG.tests) {
      it(`${order}/${t.name}.pcapng: the packets ngread_test.go expects`, () => {
        const bytes = fixture(`gopacket/${order}/${t.name}.pcapng`);
        // chunks of 7 bytes: every record is cut by a chunk boundary somewhere
        for (const chunk of [7, 1 << 20]) {
          const all = readAllFrames(bytes, chunk, t.name);
          // gopacket's reader (without wantMixedLinkType) skips packets of interfaces whose link type
          // differs from the first one's; this reader hands them all over with their link type
          const frames = t.mixed ? all.frames : all.frames.filter((f) => f.linkType === 1);
          const format = all.format;
          assert.equal(format, 'pcapng');
          const want = t.packets.filter((p) => p.err === undefined);
          assert.equal(frames.length, want.length, `${t.name}: packet count`);
          want.forEach((w, i) => {
            const f = frames[i]!;
            assert.equal(f.data.toString('hex'), w.data, `${t.name} packet ${i + 1}: data`);
            assert.equal(f.wireLength, w.length, `${t.name} packet ${i + 1}: wire length`);
            assert.equal(f.data.length, w.captureLength);
            assert.equal(f.interfaceId, w.interface);
            // Go's zero time (a Simple Packet Block has no timestamp) is 0 here
            const us = w.tsNanos === null || w.tsNanos === undefined ? 0 : Math.floor(w.tsNanos / 1000);
            assert.equal(f.tsMicros, us, `${t.name} packet ${i + 1}: timestamp`);
          });
        }
      });
    }
  }
});

type TsharkFrame = string[];
const TSHARK = JSON.parse(readFileSync(CAPTURES + 'tshark-frames.json', 'utf8')) as Record<string, TsharkFrame[]>;

describe('pcap and pcapng files: frames as tshark reads them', () => {
  for (const [file, rows] of Object.entries(TSHARK)) {
    it(`${file}: ${rows.length} frames, times and lengths`, () => {
      const { frames } = readAllFrames(fixture(file), 4096, file);
      assert.equal(frames.length, rows.length);
      rows.forEach((r, i) => {
        const f = frames[i]!;
        assert.equal(f.number, Number(r[0]));
        // tshark prints seconds.nanoseconds: compare at microsecond resolution, as integers
        const [s, frac] = r[1]!.split('.');
        assert.equal(f.tsMicros, Number(s) * 1e6 + Math.floor(Number((frac ?? '0').padEnd(9, '0')) / 1000), `${file} frame ${i + 1}`);
        assert.equal(f.data.length, Number(r[2]));
        assert.equal(f.wireLength, Number(r[3]));
      });
    });
  }

  it('a gzip’d capture is not read by the frame reader itself (read-flows gunzips): clear error', () => {
    const gz = fixture('cicflowmeter/test.pcap.gz');
    assert.throws(() => readAllFrames(gz), (e: unknown) => isNadirError(e) && /gzip data/.test(e.message));
  });
});

/** A classic pcap file in memory: header + records. */
function pcap(records: { ts: number; data: Buffer; orig?: number; incl?: number }[], opts: { be?: boolean; nano?: boolean; snap?: number; link?: number } = {}): Buffer {
  const w32 = (b: Buffer, v: number, o: number): void => {
    if (opts.be) b.writeUInt32BE(v >>> 0, o);
    else b.writeUInt32LE(v >>> 0, o);
  };
  const h = Buffer.alloc(24);
  w32(h, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  if (opts.be) {
    h.writeUInt16BE(2, 4);
    h.writeUInt16BE(4, 6);
  } else {
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
  }
  w32(h, opts.snap ?? 65535, 16);
  w32(h, opts.link ?? 1, 20);
  const parts: Buffer[] = [h];
  for (const r of records) {
    const rh = Buffer.alloc(16);
    w32(rh, Math.floor(r.ts), 0);
    w32(rh, Math.round((r.ts % 1) * (opts.nano ? 1e9 : 1e6)), 4);
    w32(rh, r.incl ?? r.data.length, 8);
    w32(rh, r.orig ?? r.data.length, 12);
    parts.push(rh, r.data);
  }
  return Buffer.concat(parts);
}

describe('classic pcap: byte orders, resolutions, malformed files', () => {
  const data = Buffer.from('00112233445566778899aabb0800', 'hex');
  for (const be of [false, true]) {
    for (const nano of [false, true]) {
      it(`${be ? 'big' : 'little'}-endian, ${nano ? 'nano' : 'micro'}second timestamps`, () => {
        const { frames } = readAllFrames(pcap([{ ts: 1500000000.25, data }, { ts: 1500000001.000123, data, orig: 60 }], { be, nano }), 5);
        assert.deepEqual(
          frames.map((f) => [f.number, f.tsMicros, f.wireLength, f.data.length, f.linkType]),
          [
            [1, 1500000000250000, 14, 14, 1],
            [2, 1500000001000123, 60, 14, 1],
          ],
        );
      });
    }
  }

  it('refuses a file that is not a capture in one line naming it', () => {
    assert.throws(
      () => readAllFrames(Buffer.from('Flow ID,Source IP\n1,2\n'), 1 << 16, 'flows.csv'),
      (e: unknown) => isNadirError(e) && e.code === 'NADIR_ERR_BAD_FORMAT' && /flows\.csv: not a pcap or pcapng capture \(magic number/.test(e.message),
    );
    assert.throws(() => readAllFrames(Buffer.from([0xd4, 0xc3])), /not a pcap or pcapng capture \(only 2 bytes\)/);
  });

  it('a truncated last packet is skipped with a warning naming its number', () => {
    const whole = pcap([{ ts: 1, data }, { ts: 2, data }, { ts: 3, data }]);
    const { frames, issues } = readAllFrames(whole.subarray(0, whole.length - 5), 16);
    assert.equal(frames.length, 2);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.code, 'truncated-packet');
    assert.equal(issues[0]!.packet, 3);
    assert.match(issues[0]!.message, /packet 3 is truncated/);
  });

  it('the real truncated captures of dpkt: a short capture length is read; 7 stray bytes at the end are a truncated packet 2', () => {
    for (const f of ['dpkt/truncated_dns.pcap', 'dpkt/truncated_dns_2.pcap']) {
      const { frames, issues } = readAllFrames(fixture(f));
      assert.equal(frames.length, 1);
      assert.ok(frames[0]!.wireLength > frames[0]!.data.length);
      if (f.endsWith('_2.pcap')) assert.deepEqual(issues.map((i) => [i.code, i.packet]), [['truncated-packet', 2]]);
      else assert.equal(issues.length, 0);
    }
  });

  it('a record longer than the snap length is read with a warning; an impossible one is one clear error', () => {
    const { frames, issues } = readAllFrames(pcap([{ ts: 1, data }], { snap: 10 }));
    assert.equal(frames.length, 1);
    assert.equal(issues[0]!.code, 'caplen-exceeds-snaplen');
    assert.match(issues[0]!.message, /packet 1 has 14 captured bytes, more than the snap length 10/);
    const broken = pcap([{ ts: 1, data }, { ts: 2, data, incl: 0x7fffffff }]);
    assert.throws(
      () => readAllFrames(broken),
      (e: unknown) => isNadirError(e) && /packet 2: record claims 2147483647 captured bytes.*broken record header \(at byte 54\)/.test(e.message),
    );
  });

  it('an empty input is an empty-file error', () => {
    assert.throws(() => readAllFrames(Buffer.alloc(0)), (e: unknown) => isNadirError(e) && e.code === 'NADIR_ERR_EMPTY_FILE');
  });
});

describe('pcapng timestamps', () => {
  it('ticks → µs exactly for micro-, nano- and binary resolutions and an offset', () => {
    const ns = 1519128000195312500n;
    const hi = Number(ns >> 32n);
    const lo = Number(ns & 0xffffffffn);
    assert.equal(ticksToMicros(hi, lo, { decimalExp: 9, binaryExp: -1, offsetSeconds: 0 }), 1519128000195312);
    assert.equal(ticksToMicros(0, 1000, { decimalExp: 6, binaryExp: -1, offsetSeconds: 0 }), 1000);
    assert.equal(ticksToMicros(0, 5, { decimalExp: 3, binaryExp: -1, offsetSeconds: 0 }), 5000);
    assert.equal(ticksToMicros(0, 3, { decimalExp: -1, binaryExp: 1, offsetSeconds: 10 }), 11500000);
  });
});
