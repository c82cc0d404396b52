/**
 * Packets to verdicts, end to end, on traffic this test makes itself on the loopback interface:
 * a model is trained (`nadir train`) on flows `nadir flows` builds from labelled real captures
 * (scans and a SYN flood as attacks; SSH, VoIP and CICFlowMeter's capture as normal traffic);
 * then `tcpdump -i lo` records normal HTTP requests to a server started here, an nmap SYN scan of
 * 200 closed ports of 127.0.0.1 and an hping3 burst of 100 SYNs; `nadir monitor --pcap` scores the
 * capture. The scan and the burst must be flagged far more often than the normal flows. Root,
 * tcpdump, nmap and hping3 are needed (npm test installs the Debian packages as root); a missing
 * tool fails the test with how to install it. Traffic stays on 127.0.0.1, bounded in count.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, nadir } from './cli.js';

const CAPTURES = new URL('../../../test/fixtures/captures/', import.meta.url).pathname;

function tool(name: string, pkg = name): string {
  const r = spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} 2>/dev/null`], { encoding: 'utf8' });
  const path = r.stdout.trim().split('\n')[0];
  if (!path) throw new Error(`this test needs '${name}' (Debian package ${pkg}): sudo apt-get install ${pkg}`);
  return path;
}

/** Labelled training captures (test/fixtures/captures/README.md). */
const TRAINING: Array<[string, string]> = [
  ['esnet/nmap_80_all.pcap', 'PortScan'],
  ['esnet/tcp_0_1000_20190821.pcap', 'PortScan'],
  ['sgr/hs-tcp_synPingSweepRand.pcapng', 'PortScan'],
  ['stopddos/synflood-1-3000.pcap', 'DoS'],
  ['sgr/SSHv2-1-3000.pcap', 'BENIGN'],
  ['sgr/bob2diego-1-400.pcap', 'BENIGN'],
  ['cicflowmeter/test.pcap.gz', 'BENIGN'],
  ['dpkt/http.pcap', 'BENIGN'],
];

const SCAN_PORTS = [47000, 47199];
const BURST_PORT = 47500;

let modelFile: Promise<string> | null = null;

/** The model both tests use, trained once: flows of the labelled captures (every packet kept: corrected mode). */
function trainedModel(): Promise<string> {
  modelFile ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nadir-monitor-model-'));
    const parts: string[] = [];
    for (const [file, label] of TRAINING) {
      const out = join(dir, `train-${parts.length}.csv`);
      const r = await nadir('flows', join(CAPTURES, file), '--mode', 'corrected', '--label', label, '--out', out);
      assert.equal(r.code, 0, r.stderr);
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      // at most 400 flows per capture (every k-th), so the floods do not drown the normal traffic
      const body = lines.slice(1);
      const step = Math.max(1, Math.ceil(body.length / 400));
      parts.push(...(parts.length === 0 ? [lines[0]!] : []), ...body.filter((_, i) => i % step === 0));
    }
    const train = join(dir, 'train.csv');
    writeFileSync(train, `${parts.join('\n')}\n`);
    const model = join(dir, 'flows.nadir');
    const t = await nadir('train', '--data', train, '--label', 'Label', '--drop', 'Flow ID,Source IP,Source Port,Destination IP,Protocol,Timestamp', '--cv', '0', '--out', model);
    assert.equal(t.code, 0, t.stderr);
    return model;
  })();
  return modelFile;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
}

function stop(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGINT');
  });
}

test('nadir monitor on loopback traffic: the nmap scan and the hping3 burst are flagged far more often than normal HTTP flows', { timeout: 180_000 }, async () => {
  const tcpdump = tool('tcpdump');
  const nmap = tool('nmap');
  const hping3 = tool('hping3');
  assert.equal(process.getuid?.(), 0, 'capturing on lo and sending raw SYNs needs root (CAP_NET_RAW): run npm test as root');
  const dir = mkdtempSync(join(tmpdir(), 'nadir-monitor-'));
  const model = await trainedModel();

  // 2. loopback traffic, captured
  const server: Server = createServer((_req, res) => res.end('hello from nadir\n'.repeat(20)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const httpPort = (server.address() as { port: number }).port;
  const pcap = join(dir, 'lo.pcap');
  const filter = `tcp and (port ${httpPort} or portrange ${SCAN_PORTS[0]}-${SCAN_PORTS[1]} or port ${BURST_PORT})`;
  const dump = spawn(tcpdump, ['-i', 'lo', '-w', pcap, '-U', '--immediate-mode', '-B', '16384', '-s', '256', '-n', filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let err = '';
      dump.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (/listening on/.test(err)) resolve();
      });
      dump.once('exit', (code) => reject(new Error(`tcpdump exited (${code}): ${err}`)));
    });
    // normal: 40 HTTP requests, one connection each
    for (let i = 0; i < 40; i++) {
      await new Promise<void>((resolve, reject) => {
        get({ host: '127.0.0.1', port: httpPort, path: `/page/${i}`, agent: false }, (res) => {
          res.resume();
          res.on('end', resolve);
        }).on('error', reject);
      });
      await new Promise((r) => setTimeout(r, 20));
    }
    // a SYN scan of 200 closed ports, and a burst of 100 SYNs to one closed port
    run(nmap, ['-n', '-Pn', '-sS', '-p', `${SCAN_PORTS[0]}-${SCAN_PORTS[1]}`, '--max-retries', '0', '--max-rate', '2000', '127.0.0.1']);
    run(hping3, ['-S', '-p', String(BURST_PORT), '-c', '100', '-i', 'u2000', '127.0.0.1']);
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await stop(dump);
    server.close();
  }

  // 3. the flows of the capture, and the alerts nadir monitor raises for them
  const flowsCsv = join(dir, 'lo-flows.csv');
  const f = await nadir('flows', pcap, '--mode', 'corrected', '--out', flowsCsv);
  assert.equal(f.code, 0, f.stderr);
  const alerts = join(dir, 'alerts.jsonl');
  const m = await nadir('monitor', '--pcap', pcap, '--model', model, '--mode', 'corrected', '--alerts', alerts);
  assert.equal(m.code, 0, m.stderr);
  assert.match(m.stderr, /flows scored, \d+ alerts/);

  const kind = (dport: number): 'normal' | 'scan' | 'burst' | null =>
    dport === httpPort ? 'normal' : dport >= SCAN_PORTS[0]! && dport <= SCAN_PORTS[1]! ? 'scan' : dport === BURST_PORT ? 'burst' : null;
  const header = readFileSync(flowsCsv, 'utf8').split('\n')[0]!.split(',');
  const dportCol = header.indexOf('Destination Port');
  const total = { normal: 0, scan: 0, burst: 0 };
  for (const line of readFileSync(flowsCsv, 'utf8').trim().split('\n').slice(1)) {
    const k = kind(Number(line.split(',')[dportCol]));
    if (k) total[k]++;
  }
  const flagged = { normal: 0, scan: 0, burst: 0 };
  const text = readFileSync(alerts, 'utf8').trim();
  for (const line of text ? text.split('\n') : []) {
    const a = JSON.parse(line) as { event_type: string; dest_port: number; alert: { label: string; probability: number } };
    assert.equal(a.event_type, 'alert');
    const k = kind(a.dest_port);
    if (k) flagged[k]++;
  }
  const rate = (k: keyof typeof total): number => flagged[k] / Math.max(1, total[k]);
  console.log(
    `loopback e2e: normal ${flagged.normal}/${total.normal} flagged (${(100 * rate('normal')).toFixed(1)}%), ` +
      `nmap scan ${flagged.scan}/${total.scan} (${(100 * rate('scan')).toFixed(1)}%), hping3 burst ${flagged.burst}/${total.burst} (${(100 * rate('burst')).toFixed(1)}%)`,
  );
  assert.ok(total.normal >= 40, `normal flows: ${total.normal}`);
  assert.ok(total.scan >= 190, `scan flows: ${total.scan}`);
  assert.ok(total.burst >= 90, `burst flows: ${total.burst}`);
  assert.ok(rate('scan') >= rate('normal') + 0.5, `scan ${rate('scan')} vs normal ${rate('normal')}`);
  assert.ok(rate('burst') >= rate('normal') + 0.5, `burst ${rate('burst')} vs normal ${rate('normal')}`);
});

test('nadir monitor --interface lo: tcpdump as a child, alerts as flows end, Ctrl-C scores the open flows and exits 0', { timeout: 120_000 }, async () => {
  tool('tcpdump');
  const hping3 = tool('hping3');
  assert.equal(process.getuid?.(), 0, 'capturing on lo needs root (CAP_NET_RAW): run npm test as root');
  const model = await trainedModel();
  const dir = mkdtempSync(join(tmpdir(), 'nadir-monitor-live-'));
  const alerts = join(dir, 'alerts.jsonl');
  const port = BURST_PORT + 1;
  const mon = spawn(process.execPath, [CLI, 'monitor', '--interface', 'lo', '--filter', `tcp and port ${port}`, '--model', model, '--mode', 'corrected', '--alerts', alerts], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  mon.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  try {
    // tcpdump needs a moment to start listening
    await new Promise((r) => setTimeout(r, 2500));
    run(hping3, ['-S', '-p', String(port), '-c', '50', '-i', 'u2000', '127.0.0.1']);
    // the SYN/RST pairs end at the RST: scored within a second or two
    for (let i = 0; i < 50 && !/alerts [1-9]/.test(err); i++) await new Promise((r) => setTimeout(r, 200));
  } finally {
    mon.kill('SIGINT');
  }
  const code = await new Promise<number | null>((r) => mon.once('exit', (c) => r(c)));
  assert.equal(code, 0, err);
  assert.match(err, /stopping: scoring the open flows/);
  assert.match(err, /\d\d:\d\d:\d\d flows \d+ alerts \d+/);
  const lines = readFileSync(alerts, 'utf8').trim().split('\n');
  const burst = lines.map((l) => JSON.parse(l) as { dest_port: number; flow: { reason: string } }).filter((a) => a.dest_port === port);
  console.log(`live loopback: ${burst.length} of 50 SYN flows flagged`);
  assert.ok(burst.length >= 45, `${burst.length} alerts for 50 SYNs; stderr: ${err}`);
  assert.ok(burst.every((a) => a.flow.reason === 'rst'));
});

test('nadir monitor --pcap … --serve URL: alerts reach a running nadir serve’s live feed (API key from NADIR_API_KEY)', { timeout: 120_000 }, async () => {
  const model = await trainedModel();
  const server = spawn(process.execPath, [CLI, 'serve', '--model', model, '--port', '0', '--json', '--log-level', 'warn'], { env: { ...process.env, NADIR_API_KEY: 'mon-key' }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        try {
          resolve((JSON.parse(out) as { url: string }).url);
        } catch {
          // not the whole document yet
        }
      });
      server.once('exit', (code) => reject(new Error(`nadir serve exited (${code})`)));
    });
    // the live feed, read as it comes
    const ac = new AbortController();
    const res = await fetch(`${url}/api/v1/events?key=mon-key`, { signal: ac.signal });
    let text = '';
    const reading = (async () => {
      try {
        for await (const c of res.body!) text += Buffer.from(c as Uint8Array).toString();
      } catch {
        // aborted
      }
    })();
    const dir = mkdtempSync(join(tmpdir(), 'nadir-monitor-serve-'));
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [CLI, 'monitor', '--pcap', join(CAPTURES, 'esnet/tcp_0_1000_20190821.pcap'), '--model', model, '--mode', 'corrected', '--alerts', join(dir, 'a.jsonl'), '--serve', url], { env: { ...process.env, NADIR_API_KEY: 'mon-key' } });
      let stderr = '';
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('exit', (code) => resolve({ code, stderr }));
    });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning: --serve/);
    const alerts = readFileSync(join(dir, 'a.jsonl'), 'utf8').trim().split('\n').length;
    assert.ok(alerts > 900, `${alerts} alerts for a masscan sweep of 1,001 ports`);
    for (let i = 0; i < 100 && (text.match(/event: detection/g) ?? []).length < alerts; i++) await new Promise((r2) => setTimeout(r2, 100));
    ac.abort();
    await reading;
    const events = text.match(/event: detection\ndata: (.*)\n/g) ?? [];
    // the feed keeps at most its queue (500) for a slow client: what arrived plus what it dropped is every alert
    const dropped = [...text.matchAll(/event: dropped\ndata: \{"dropped":(\d+)\}/g)].reduce((s, m) => s + Number(m[1]), 0);
    assert.equal(events.length + dropped, alerts);
    const first = JSON.parse(events[0]!.replace(/^event: detection\ndata: /, '')) as { model: string; label: string; dest_ip: string };
    assert.equal(first.label, 'Attack');
    assert.match(first.model, /flows\.nadir$/);
  } finally {
    server.kill('SIGTERM');
  }
});

test('nadir monitor --pcap … --realtime replays at capture speed (5.7 s of VoIP traffic take ≥ 5 s: paced per 4 KiB read); without it, at once', { timeout: 120_000 }, async () => {
  const model = await trainedModel();
  const pcap = join(CAPTURES, 'sgr/bob2diego-1-400.pcap');
  const timed = async (...extra: string[]): Promise<number> => {
    const t0 = performance.now();
    const r = await nadir('monitor', '--pcap', pcap, '--model', model, '--mode', 'corrected', '--alerts', join(mkdtempSync(join(tmpdir(), 'nadir-rt-')), 'a.jsonl'), ...extra);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /400 packets → \d+ flows/);
    return (performance.now() - t0) / 1000;
  };
  const fast = await timed();
  const real = await timed('--realtime');
  assert.ok(real >= 5, `--realtime took ${real.toFixed(2)} s`);
  assert.ok(real > fast + 3, `--realtime ${real.toFixed(2)} s vs ${fast.toFixed(2)} s`);
});
