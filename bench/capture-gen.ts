/**
 * A synthetic capture for the flows benchmark: CICFlowMeter's test capture (3,292 real packets,
 * 96 TCP flows and more) replayed again and again, each copy with its IPv4 addresses moved to
 * other hosts (the same mapping for source and destination, so each copy's flows stay whole) and
 * its times shifted past the previous copy. Packets are cut to 96 captured bytes (tcpdump -s 96:
 * headers only; the IP length fields keep the payload sizes), so 1 M packets make ~110 MB.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT } from './lib/paths.js';

const SNAP = 96;

interface Frame {
  tsMicros: number;
  data: Buffer;
  wire: number;
}

function sourceFrames(): Frame[] {
  const b = gunzipSync(readFileSync(join(ROOT, 'test', 'fixtures', 'captures', 'cicflowmeter', 'test.pcap.gz')));
  const frames: Frame[] = [];
  for (let off = 24; off + 16 <= b.length; ) {
    const incl = b.readUInt32LE(off + 8);
    frames.push({ tsMicros: b.readUInt32LE(off) * 1e6 + b.readUInt32LE(off + 4), data: Buffer.from(b.subarray(off + 16, off + 16 + Math.min(incl, SNAP))), wire: b.readUInt32LE(off + 12) });
    off += 16 + incl;
  }
  return frames;
}

/** The capture as pcap bytes, in chunks of about 1 MiB, `packets` packets in all. */
export function* synthCapture(packets: number): Generator<Buffer> {
  const frames = sourceFrames();
  const t0 = frames[0]!.tsMicros;
  const span = frames[frames.length - 1]!.tsMicros - t0 + 1_000_000;
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(SNAP, 16);
  head.writeUInt32LE(1, 20);
  let out = Buffer.alloc(1 << 20);
  head.copy(out, 0);
  let at = 24;
  for (let n = 0, copy = 0; n < packets; copy++) {
    const shift = copy * span;
    for (let i = 0; i < frames.length && n < packets; i++, n++) {
      const f = frames[i]!;
      if (at + 16 + f.data.length > out.length) {
        yield out.subarray(0, at);
        out = Buffer.alloc(1 << 20);
        at = 0;
      }
      const ts = f.tsMicros + shift;
      out.writeUInt32LE(Math.floor(ts / 1e6), at);
      out.writeUInt32LE(ts % 1e6, at + 4);
      out.writeUInt32LE(f.data.length, at + 8);
      out.writeUInt32LE(f.wire, at + 12);
      f.data.copy(out, at + 16);
      // Ethernet + IPv4: addresses at 26..33; move both to the copy's hosts (2nd and 3rd octets)
      if (f.data.length >= 34 && f.data[12] === 0x08 && f.data[13] === 0x00) {
        for (const a of [at + 16 + 26, at + 16 + 30]) {
          out[a + 1] = out[a + 1]! ^ ((copy >> 8) & 255);
          out[a + 2] = out[a + 2]! ^ (copy & 255);
        }
      }
      at += 16 + f.data.length;
    }
  }
  if (at > 0) yield out.subarray(0, at);
}
