import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeFrame, ipv4String, ipv6String, PacketInfo } from './decode.js';
import { CAPTURES, fixture, readAllFrames } from './testdata/fixtures.js';

const TSHARK = JSON.parse(readFileSync(CAPTURES + 'tshark-frames.json', 'utf8')) as Record<string, string[][]>;

/** tshark's text for a 16-byte address, from ours */
function v6(hex: string): string {
  return ipv6String(hex);
}

describe('decoders: every frame of the fixture captures as tshark decodes it', () => {
  for (const [file, rows] of Object.entries(TSHARK)) {
    it(`${file}: addresses, protocol, ports, TCP flags, payload length`, () => {
      const { frames } = readAllFrames(fixture(file));
      const p = new PacketInfo();
      let decoded = 0;
      rows.forEach((r, i) => {
        const f = frames[i]!;
        const [, , , , ipver, ipsrc, ipdst, v6src, v6dst, ipproto, v6nxt, tsp, tdp, usp, udp, tflags, tlen, ulen, frag] = r.map((x) => x.split(',')[0]!);
        const why = decodeFrame(f.linkType, f.data, p);
        const where = `${file} frame ${i + 1}`;
        if (!ipver && !v6src) {
          assert.notEqual(why, null, `${where}: not IP for tshark`);
          return;
        }
        if (frag && frag !== '0') {
          assert.equal(why, 'fragment', where);
          return;
        }
        const proto = Number(ipproto || v6nxt);
        if (proto !== 6 && proto !== 17 && proto !== 1 && proto !== 58) {
          // an IPv6 extension header chain: tshark's ipv6.nxt is the first next-header value
          if (why === null) assert.ok([6, 17, 1, 58].includes(p.protocol), where);
          return;
        }
        if (why === 'truncated') {
          // the transport header is cut by the capture length: tshark shows no ports either
          assert.ok(!tsp && !usp, where);
          return;
        }
        assert.equal(why, null, `${where}: ${why}`);
        decoded++;
        if (p.ipVersion === 4) {
          assert.equal(ipv4String(p.src4), ipsrc, where);
          assert.equal(ipv4String(p.dst4), ipdst, where);
        } else {
          assert.equal(v6(p.src6), v6src, where);
          assert.equal(v6(p.dst6), v6dst, where);
        }
        assert.equal(p.protocol, proto, where);
        if (proto === 6) {
          assert.equal(p.srcPort, Number(tsp), where);
          assert.equal(p.dstPort, Number(tdp), where);
          assert.equal(p.tcpFlags & 0x1ff, Number(tflags) & 0x1ff, where);
          assert.equal(p.payloadBytes, Number(tlen), where);
        } else if (proto === 17) {
          assert.equal(p.srcPort, Number(usp), where);
          assert.equal(p.dstPort, Number(udp), where);
          assert.equal(p.payloadBytes, Number(ulen) - 8, where);
        }
      });
      assert.ok(decoded > 0, `${file}: no frame decoded`);
    });
  }
});

describe('decoders: link types and headers built by hand', () => {
  const ip4tcp = Buffer.from(
    // IPv4, IHL 6 (one option word), total 48, TCP 20-byte header + 4 bytes of payload
    '46000030000040004006000c0a0000010a000002' + '01010000' + '3039005000000001000000005018ffff00000000' + 'deadbeef',
    'hex',
  );
  it('raw IPv4 with options: header and payload lengths from the IP header', () => {
    const p = new PacketInfo();
    assert.equal(decodeFrame(101, ip4tcp, p), null);
    assert.deepEqual([ipv4String(p.src4), ipv4String(p.dst4), p.srcPort, p.dstPort, p.ipHeaderBytes, p.headerBytes, p.payloadBytes, p.tcpWindow], ['10.0.0.1', '10.0.0.2', 12345, 80, 24, 20, 4, 65535]);
  });
  it('Ethernet with two VLAN tags (802.1ad + 802.1Q), SLL, SLL2, BSD loopback in both byte orders', () => {
    const p = new PacketInfo();
    const eth = Buffer.concat([Buffer.from('001122334455665544332211' + '88a80064' + '81000065' + '0800', 'hex'), ip4tcp]);
    assert.equal(decodeFrame(1, eth, p), null);
    assert.equal(p.dstPort, 80);
    const sll = Buffer.concat([Buffer.from('0000000100060011223344550000' + '0800', 'hex'), ip4tcp]);
    assert.equal(decodeFrame(113, sll, p), null);
    const sll2 = Buffer.concat([Buffer.from('0800' + '0000' + '00000002' + '0001' + '00' + '06' + '001122334455' + '0000', 'hex'), ip4tcp]);
    assert.equal(decodeFrame(276, sll2, p), null);
    assert.equal(decodeFrame(0, Buffer.concat([Buffer.from('02000000', 'hex'), ip4tcp]), p), null);
    assert.equal(decodeFrame(0, Buffer.concat([Buffer.from('00000002', 'hex'), ip4tcp]), p), null);
    assert.equal(decodeFrame(108, Buffer.concat([Buffer.from('00000002', 'hex'), ip4tcp]), p), null);
    assert.equal(decodeFrame(0, Buffer.from('07000000', 'hex'), p), 'not-ip');
    assert.equal(decodeFrame(147, eth, p), 'link-type');
  });
  it('IPv4 fragments: the first is metered, the others are counted as fragments', () => {
    const p = new PacketInfo();
    const first = Buffer.from(ip4tcp);
    first[6] = 0x20; // MF, offset 0
    assert.equal(decodeFrame(101, first, p), null);
    assert.equal(p.firstFragment, true);
    const later = Buffer.from(ip4tcp);
    later[6] = 0x00;
    later[7] = 0x10;
    assert.equal(decodeFrame(101, later, p), 'fragment');
  });
  it('IPv6 with hop-by-hop and destination-options headers, then UDP; a later fragment', () => {
    const p = new PacketInfo();
    const src = '20010db8000000000000000000000001';
    const dst = '20010db8000000000000000000000002';
    const udp = '0035c00000100000' + '0102030405060708';
    const ext = '3c00000000000000' + '1100000000000000';
    const pkt = Buffer.from('60000000' + (16 + 16).toString(16).padStart(4, '0') + '00' + '40' + src + dst + ext + udp, 'hex');
    assert.equal(decodeFrame(229, pkt, p), null);
    assert.deepEqual([ipv6String(p.src6), p.protocol, p.srcPort, p.dstPort, p.payloadBytes, p.ipHeaderBytes], ['2001:db8::1', 17, 53, 49152, 8, 56]);
    const frag = Buffer.from('60000000' + '0010' + '2c' + '40' + src + dst + '1100000800000001' + udp, 'hex');
    assert.equal(decodeFrame(229, frag, p), 'fragment');
  });
  it('truncated and broken headers are reasons, never exceptions', () => {
    const p = new PacketInfo();
    for (let n = 0; n < ip4tcp.length - 4; n++) {
      const why = decodeFrame(101, ip4tcp.subarray(0, n), p);
      assert.ok(why === 'truncated' || why === 'not-ip', `${n} bytes: ${why}`);
    }
    const bad = Buffer.from(ip4tcp);
    bad[0] = 0x43; // IHL 3
    assert.equal(decodeFrame(101, bad, p), 'bad-ip-header');
  });
});
