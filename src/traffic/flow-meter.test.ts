import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { FLOW_COLUMNS, flowValues } from './columns.js';
import { PacketInfo, TCP } from './decode.js';
import { Flow, FlowMeter, type FlowMode } from './flow-meter.js';
import { readFlows } from './read-flows.js';
import { CAPTURES } from './testdata/fixtures.js';
import { requireTool } from './testdata/tools.js';

const TEST_PCAP = CAPTURES + 'cicflowmeter/test.pcap.gz';

async function flowsOf(path: string, mode: FlowMode, extra: { activeTimeout?: number } = {}): Promise<{ flows: Flow[]; rows: (number | string)[][]; stats: Awaited<ReturnType<typeof readFlows>> }> {
  const flows: Flow[] = [];
  const stats = await readFlows([path], (f) => flows.push(f), { mode, ...extra });
  return { flows, rows: flows.map((f) => flowValues(f, mode)), stats };
}

/** CICFlowMeter's CSV: header names trimmed, Java's number text (e.g. 2.0810341E7) parsed. */
function cicCsv(): { names: string[]; rows: string[][] } {
  const lines = readFileSync(CAPTURES + 'cicflowmeter/test.pcap_CIC.csv', 'utf8').trim().split(/\r?\n/);
  return { names: lines[0]!.split(',').map((s) => s.trim()), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** CICFlowMeter's Timestamp: local time of its machine (UTC−3 here), 12-hour clock without AM/PM. */
function cicLocalTimestamp(ours: string): string {
  const m = /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d)$/.exec(ours)!;
  const d = new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - 3 * 3600e3);
  const p = (n: number): string => String(n).padStart(2, '0');
  const h12 = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(h12)}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

describe('flow meter, cic2017 mode: CICFlowMeter’s own output for its test capture', () => {
  it('the same 96 flows, every one of the 84 columns equal (documented tolerance: 1e-9 relative; observed: exact)', async () => {
    const { rows, stats } = await flowsOf(TEST_PCAP, 'cic2017');
    const cic = cicCsv();
    // same column names, in the same order (the repeated Fwd Header Length named .1, the label apart)
    assert.deepEqual(
      cic.names.slice(0, 84).map((n, i) => (i === 61 ? `${n}.1` : n)),
      [...FLOW_COLUMNS],
    );
    assert.equal(rows.length, 96);
    assert.equal(cic.rows.length, 96);
    // the 46 packets CICFlowMeter's flows leave out: 45 in flows of one packet, 1 ICMP packet
    assert.equal(stats.packets, 3292);
    assert.equal(stats.droppedSingle, 45);
    assert.equal(stats.ignored, 1);
    assert.equal(rows.reduce((s, r) => s + Number(r[8]) + Number(r[9]), 0), 3246);
    // flows match one to one by id, source, source port and packet counts
    const key = (r: (string | number)[]): string => `${r[0]}|${r[1]}|${r[2]}|${r[8]}|${r[9]}|${r[7]}`;
    const ours = new Map(rows.map((r) => [key(r), r]));
    assert.equal(ours.size, 96);
    let exact = 0;
    for (const ref of cic.rows) {
      const mine = ours.get(key(ref));
      assert.ok(mine, `flow ${ref.slice(0, 3).join(' ')} (${ref[8]} + ${ref[9]} packets) not found`);
      for (let i = 0; i < 7; i++) {
        const want: string = ref[i]!;
        const got: string = i === 6 ? cicLocalTimestamp(String(mine[i])) : String(mine[i]);
        assert.equal(got, want, `${ref[0]}: ${FLOW_COLUMNS[i]}`);
      }
      for (let i = 7; i < 84; i++) {
        const want = Number(ref[i]);
        const got = Number(mine[i]);
        const ok = want === got || Math.abs(want - got) <= 1e-9 * Math.max(1, Math.abs(want));
        assert.ok(ok, `${ref[0]} from ${ref[1]}: ${FLOW_COLUMNS[i]} is ${got}, CICFlowMeter says ${ref[i]}`);
        if (want === got) exact++;
      }
    }
    assert.equal(exact, 96 * 77);
  });
});

describe('flow meter, corrected mode on the same capture: the differences docs/flows.md lists', () => {
  it('keeps one-packet flows and ICMP, counts every flag, fixes Init_Win_bytes_backward and the ratios', async () => {
    const cic = await flowsOf(TEST_PCAP, 'corrected');
    const { flows, rows, stats } = cic;
    assert.equal(stats.droppedSingle, 0);
    // every packet of the capture is in a flow
    assert.equal(flows.reduce((s, f) => s + f.packets, 0), 3292);
    assert.ok(flows.some((f) => f.protocol === 1));
    const col = (name: string): number => FLOW_COLUMNS.indexOf(name as (typeof FLOW_COLUMNS)[number]);
    // flags are counted on every packet, in the header's order: ACK on nearly all TCP packets
    const acks = rows.reduce((s, r) => s + Number(r[col('ACK Flag Count')]), 0);
    assert.ok(acks > 3000, `ACK count ${acks}`);
    // the first backward packet's window, and the ratio as a real division
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i]!;
      const r = rows[i]!;
      if (f.bwdPackets === 0) assert.equal(r[col('Init_Win_bytes_backward')], -1);
      if (f.fwdPackets > 0) assert.equal(r[col('Down/Up Ratio')], f.bwdPackets / f.fwdPackets);
      // packet length mean over the packets, each counted once
      assert.ok(Math.abs(Number(r[col('Packet Length Mean')]) - (f.fwdLen.sum + f.bwdLen.sum) / f.packets) < 1e-9);
    }
  });
});

/** tshark's conversations: per endpoint pair, frames and bytes each way, start (µs) and duration (s). */
function tsharkConversations(path: string): Map<string, { aFrames: number; aBytes: number | null; bFrames: number; bBytes: number | null; start: number; duration: number }> {
  const tshark = requireTool('tshark');
  // absolute start times: -t ad does not apply to conv; take the first frame's time and add Rel Start
  const first = spawnSync(tshark, ['-r', path, '-c', '1', '-T', 'fields', '-e', 'frame.time_epoch'], { encoding: 'utf8' });
  const t0 = first.stdout.trim();
  const [s0, f0] = t0.split('.');
  const t0us = Number(s0) * 1e6 + Math.floor(Number((f0 ?? '0').padEnd(9, '0')) / 1000);
  const r = spawnSync(tshark, ['-r', path, '-q', '-z', 'conv,tcp', '-z', 'conv,udp'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<string, { aFrames: number; aBytes: number | null; bFrames: number; bBytes: number | null; start: number; duration: number }>();
  let proto = 0;
  const bytes = (n: string, unit: string): number | null => (unit === 'bytes' ? Number(n) : null);
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('TCP Conversations')) proto = 6;
    if (line.startsWith('UDP Conversations')) proto = 17;
    // A:port <-> B:port  framesBtoA bytes unit  framesAtoB bytes unit  total...  relStart duration
    const m = /^(\S+):(\d+)\s+<->\s+(\S+):(\d+)\s+(\d+)\s+([\d,]+)\s+(bytes|kB|MB)\s+(\d+)\s+([\d,]+)\s+(bytes|kB|MB)\s+\d+\s+[\d,]+\s+(?:bytes|kB|MB)\s+([\d.]+)\s+([\d.]+)/.exec(line);
    if (!m) continue;
    const rel = m[11]!.split('.');
    const start = t0us + Number(rel[0]) * 1e6 + Math.floor(Number(rel[1]!.padEnd(9, '0')) / 1000);
    out.set(`${m[1]}:${m[2]}|${m[3]}:${m[4]}|${proto}`, {
      bFrames: Number(m[5]),
      bBytes: bytes(m[6]!, m[7]!),
      aFrames: Number(m[8]),
      aBytes: bytes(m[9]!, m[10]!),
      start,
      duration: Number(m[12]),
    });
  }
  return out;
}

describe('flow meter vs tshark’s conversation statistics (real captures)', () => {
  for (const file of ['cicflowmeter/test.pcap.gz', 'sgr/bob2diego-1-400.pcap', 'dpkt/http.pcap', 'sgr/hs-tcp_synPingSweepRand.pcapng']) {
    it(`${file}: every conversation's frames and bytes each way, start and end, equal`, async () => {
      const conv = tsharkConversations(CAPTURES + file);
      assert.ok(conv.size > 0);
      // corrected mode keeps every packet; a conversation may be cut into several flows (FIN, RST,
      // timeout): add them up per endpoint pair and sending side
      const { flows } = await flowsOf(CAPTURES + file, 'corrected', { activeTimeout: 1e9 });
      const agg = new Map<string, { sent: Map<string, { frames: number; bytes: number }>; start: number; end: number }>();
      for (const f of flows) {
        if (f.protocol !== 6 && f.protocol !== 17) continue;
        const a = `${f.srcIp}:${f.srcPort}`;
        const b = `${f.dstIp}:${f.dstPort}`;
        const k = [a, b].sort().join('|') + `|${f.protocol}`;
        const e = agg.get(k) ?? { sent: new Map(), start: Infinity, end: -Infinity };
        const add = (who: string, frames: number, bytes: number): void => {
          const s = e.sent.get(who) ?? { frames: 0, bytes: 0 };
          s.frames += frames;
          s.bytes += bytes;
          e.sent.set(who, s);
        };
        add(a, f.fwdPackets, f.fwdWireBytes);
        add(b, f.bwdPackets, f.bwdWireBytes);
        e.start = Math.min(e.start, f.startMicros);
        e.end = Math.max(e.end, f.lastMicros);
        agg.set(k, e);
      }
      assert.equal(agg.size, conv.size, 'number of conversations');
      for (const [k, c] of conv) {
        const [a, b, proto] = k.split('|');
        const e = agg.get([a, b].sort().join('|') + `|${proto}`);
        assert.ok(e, `conversation ${k} not found`);
        const sa = e.sent.get(a!) ?? { frames: 0, bytes: 0 };
        const sb = e.sent.get(b!) ?? { frames: 0, bytes: 0 };
        assert.equal(sa.frames, c.aFrames, `${k}: frames A→B`);
        assert.equal(sb.frames, c.bFrames, `${k}: frames B→A`);
        if (c.aBytes !== null) assert.equal(sa.bytes, c.aBytes, `${k}: bytes A→B`);
        if (c.bBytes !== null) assert.equal(sb.bytes, c.bBytes, `${k}: bytes B→A`);
        assert.equal(e.start, c.start, `${k}: start`);
        // tshark prints the duration with 4 decimals
        assert.ok(Math.abs((e.end - e.start) / 1e6 - c.duration) <= 0.00005 + 1e-9, `${k}: duration ${(e.end - e.start) / 1e6} vs ${c.duration}`);
      }
    });
  }
});

/** A TCP packet between 10.0.0.1:1234 (client) and 10.0.0.2:80. */
function tcp(p: PacketInfo, ts: number, fromClient: boolean, flags: number, payload = 0): PacketInfo {
  p.tsMicros = ts;
  p.ipVersion = 4;
  p.src4 = fromClient ? 0x0a000001 : 0x0a000002;
  p.dst4 = fromClient ? 0x0a000002 : 0x0a000001;
  p.srcPort = fromClient ? 1234 : 80;
  p.dstPort = fromClient ? 80 : 1234;
  p.protocol = 6;
  p.headerBytes = 20;
  p.payloadBytes = payload;
  p.tcpFlags = flags;
  p.tcpWindow = 1000;
  p.wireLength = 54 + payload;
  p.ipLength = 40 + payload;
  return p;
}

describe('flow meter: lifecycle', () => {
  const S = TCP.SYN;
  const A = TCP.ACK;
  const F = TCP.FIN | TCP.ACK;
  it('cic2017: the first FIN ends the flow; the packets after it start a new one; one-packet flows are dropped', () => {
    const out: Flow[] = [];
    const m = new FlowMeter((f) => out.push(f));
    const p = new PacketInfo();
    m.add(tcp(p, 0, true, S));
    m.add(tcp(p, 10, false, S | A));
    m.add(tcp(p, 20, true, A, 100));
    m.add(tcp(p, 30, false, F));
    assert.equal(out.length, 1);
    assert.equal(out[0]!.packets, 4);
    assert.equal(out[0]!.endReason, 'fin');
    m.add(tcp(p, 40, true, F));
    m.finish();
    assert.equal(out.length, 1);
    assert.equal(m.droppedSingle, 1);
  });
  it('corrected: FIN from both sides and the last ACK, or a RST, end the flow; one-packet flows are kept', () => {
    const out: Flow[] = [];
    const m = new FlowMeter((f) => out.push(f), { mode: 'corrected' });
    const p = new PacketInfo();
    m.add(tcp(p, 0, true, S));
    m.add(tcp(p, 10, false, F));
    m.add(tcp(p, 20, true, F));
    assert.equal(out.length, 0);
    m.add(tcp(p, 25, false, A));
    assert.deepEqual(out.map((f) => [f.packets, f.endReason]), [[4, 'fin']]);
    m.add(tcp(p, 30, false, A));
    m.add(tcp(p, 40, true, TCP.RST));
    assert.deepEqual(out.map((f) => [f.packets, f.endReason]), [[4, 'fin'], [2, 'rst']]);
    m.add(tcp(p, 50, true, S));
    m.finish();
    assert.deepEqual(out.map((f) => f.packets), [4, 2, 1]);
  });
  it('active timeout: flows end that long after their first packet, as capture time advances (bounded memory)', () => {
    const out: Flow[] = [];
    const m = new FlowMeter((f) => out.push(f), { activeTimeout: 2 });
    const p = new PacketInfo();
    for (let i = 0; i < 1000; i++) {
      const t = i * 100_000; // 10 new flows a second, 2 packets each
      tcp(p, t, true, S);
      p.srcPort = 10000 + i;
      m.add(p);
      tcp(p, t + 10, false, S | A);
      p.dstPort = 10000 + i;
      m.add(p);
      // at most the flows of the last 2 s (+ the one-second sweep granularity) are open
      assert.ok(m.size <= 31, `open flows ${m.size} at ${t}`);
    }
    m.finish();
    assert.equal(out.length, 1000);
    assert.ok(out.slice(0, 900).every((f) => f.endReason === 'active-timeout'));
  });
  it('idle gaps above the idle timeout make active and idle periods', () => {
    const out: Flow[] = [];
    const m = new FlowMeter((f) => out.push(f), { idleTimeout: 1, mode: 'corrected' });
    const p = new PacketInfo();
    m.add(tcp(p, 0, true, A, 1));
    m.add(tcp(p, 500_000, false, A, 1));
    m.add(tcp(p, 3_500_000, true, A, 1));
    m.add(tcp(p, 3_700_000, false, A, 1));
    m.finish();
    const f = out[0]!;
    assert.deepEqual([f.idle.n, f.idle.mean, f.active.n, f.active.max], [1, 3_000_000, 2, 500_000]);
  });
});

/** Flows added up per endpoint pair and sending side (a conversation may be cut into several flows). */
function perPair(flows: Flow[], bytes: 'wire' | 'ip'): Map<string, { sent: Map<string, { packets: number; bytes: number }>; start: number }> {
  const agg = new Map<string, { sent: Map<string, { packets: number; bytes: number }>; start: number }>();
  for (const f of flows) {
    if (f.protocol !== 6 && f.protocol !== 17) continue;
    const a = `${f.srcIp}:${f.srcPort}`;
    const b = `${f.dstIp}:${f.dstPort}`;
    const k = `${[a, b].sort().join('|')}|${f.protocol}`;
    const e = agg.get(k) ?? { sent: new Map(), start: Infinity };
    const add = (who: string, packets: number, n: number): void => {
      const s = e.sent.get(who) ?? { packets: 0, bytes: 0 };
      s.packets += packets;
      s.bytes += n;
      e.sent.set(who, s);
    };
    add(a, f.fwdPackets, bytes === 'wire' ? f.fwdWireBytes : f.fwdIpBytes);
    add(b, f.bwdPackets, bytes === 'wire' ? f.bwdWireBytes : f.bwdIpBytes);
    e.start = Math.min(e.start, f.startMicros);
    agg.set(k, e);
  }
  return agg;
}

/** Another tool's records → the same shape: [a, b, proto, packets a→b, packets b→a, bytes a→b, bytes b→a, start µs]. */
function theirs(rows: Array<[string, string, number, number, number, number, number, number]>): ReturnType<typeof perPair> {
  const agg: ReturnType<typeof perPair> = new Map();
  for (const [a, b, proto, pa, pb, ba, bb, start] of rows) {
    const k = `${[a, b].sort().join('|')}|${proto}`;
    const e = agg.get(k) ?? { sent: new Map(), start: Infinity };
    for (const [who, p, n] of [[a, pa, ba], [b, pb, bb]] as const) {
      const s = e.sent.get(who) ?? { packets: 0, bytes: 0 };
      s.packets += p;
      s.bytes += n;
      e.sent.set(who, s);
    }
    e.start = Math.min(e.start, start);
    agg.set(k, e);
  }
  return agg;
}

function assertSamePairs(ours: ReturnType<typeof perPair>, other: ReturnType<typeof perPair>, tool: string): void {
  assert.equal(ours.size, other.size, `${tool}: number of endpoint pairs`);
  for (const [k, o] of other) {
    const m = ours.get(k);
    assert.ok(m, `${tool}: ${k} not among nadir's flows`);
    for (const [who, s] of o.sent) assert.deepEqual(m.sent.get(who) ?? { packets: 0, bytes: 0 }, s, `${tool}: ${k}, sent by ${who}`);
    assert.equal(m.start, o.start, `${tool}: ${k} start`);
  }
}

describe('flow meter vs Zeek’s conn.log and Argus (real captures)', () => {
  it('zeek/infected.pcap: every connection of the conn.log Zeek wrote for it — packets and IP bytes each way, start', async () => {
    const { flows } = await flowsOf(CAPTURES + 'zeek/infected.pcap', 'corrected', { activeTimeout: 1e9 });
    const rows = readFileSync(CAPTURES + 'zeek/conn.log', 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split('\t'))
      .filter((c) => c[6] === 'tcp' || c[6] === 'udp')
      // ts uid orig_h orig_p resp_h resp_p proto … orig_pkts(16) orig_ip_bytes(17) resp_pkts(18) resp_ip_bytes(19)
      .map((c) => [`${c[2]}:${c[3]}`, `${c[4]}:${c[5]}`, c[6] === 'tcp' ? 6 : 17, Number(c[16]), Number(c[18]), Number(c[17]), Number(c[19]), Math.round(Number(c[0]) * 1e6)] as [string, string, number, number, number, number, number, number]);
    assert.equal(rows.length, 15);
    assertSamePairs(perPair(flows, 'ip'), theirs(rows), 'zeek');
  });

  for (const file of ['cicflowmeter/test.pcap.gz', 'zeek/infected.pcap', 'dpkt/http.pcap', 'sgr/hs-tcp_synPingSweepRand.pcapng']) {
    it(`${file}: every Argus flow record (argus -r, ra) — packets and bytes each way, start`, async () => {
      const argus = requireTool('argus', 'argus-server');
      const ra = requireTool('ra', 'argus-client');
      const dir = mkdtempSync(join(tmpdir(), 'nadir-argus-'));
      let input = CAPTURES + file;
      if (file.endsWith('.gz')) {
        input = join(dir, 'capture.pcap');
        writeFileSync(input, gunzipSync(readFileSync(CAPTURES + file)));
      }
      const out = join(dir, 'flows.argus');
      const a = spawnSync(argus, ['-r', input, '-w', out], { encoding: 'utf8' });
      assert.equal(a.status, 0, a.stderr);
      const r = spawnSync(ra, ['-r', out, '-n', '-u', '-c', ',', '-s', 'stime', 'saddr', 'sport', 'daddr', 'dport', 'proto', 'spkts', 'dpkts', 'sbytes', 'dbytes'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.equal(r.status, 0, r.stderr);
      const rows = r.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
        .filter((c) => c[5] === 'tcp' || c[5] === 'udp')
        .map((c) => [`${c[1]}:${Number(c[2])}`, `${c[3]}:${Number(c[4])}`, c[5] === 'tcp' ? 6 : 17, Number(c[6]), Number(c[7]), Number(c[8]), Number(c[9]), Math.round(Number(c[0]) * 1e6)] as [string, string, number, number, number, number, number, number]);
      assert.ok(rows.length > 0);
      const { flows } = await flowsOf(CAPTURES + file, 'corrected', { activeTimeout: 1e9 });
      assertSamePairs(perPair(flows, 'wire'), theirs(rows), 'argus');
    });
  }
});
