import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { CLI, nadir, nadirStdin } from './cli.js';

const CAPTURES = new URL('../../../test/fixtures/captures/', import.meta.url).pathname;

test('nadir flows: CICFlowMeter’s test capture (gzip’d) → 96 flows with CIC-IDS2017’s header, recognised as CIC-IDS2017 with --label', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nadir-flows-'));
  const out = join(dir, 'flows.csv');
  const r = await nadir('flows', join(CAPTURES, 'cicflowmeter/test.pcap.gz'), '--out', out, '--label', 'BENIGN');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /3,292 packets → 96 flows in [\d.]+ s; 1 packet of protocols other than TCP\/UDP \(ignored in cic2017 mode\); 45 one-packet flows dropped/);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(lines.length, 97);
  const cicHeader = readFileSync(join(CAPTURES, 'cicflowmeter/test.pcap_CIC.csv'), 'utf8').split('\n')[0]!.split(',').map((s) => s.trim());
  assert.deepEqual(lines[0]!.split(','), cicHeader);
  const inspect = await nadir('inspect', '--data', out, '--json');
  assert.equal(inspect.code, 0, inspect.stderr);
  const doc = JSON.parse(inspect.stdout) as { format: string; rows: number };
  assert.equal(doc.format, 'cic-ids2017');
  assert.equal(doc.rows, 96);
});

test('nadir flows: stdin, JSON Lines, corrected mode, --json summary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nadir-flows-'));
  const out = join(dir, 'flows.jsonl');
  const pcap = gunzipSync(readFileSync(join(CAPTURES, 'cicflowmeter/test.pcap.gz')));
  const r = await nadirStdin(pcap, 'flows', '-', '--out', out, '--mode', 'corrected', '--json');
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { packets: number; flows: number; droppedSingle: number };
  assert.equal(s.packets, 3292);
  assert.equal(s.droppedSingle, 0);
  const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(rows.length, s.flows);
  assert.equal(rows.reduce((n, x) => n + Number(x['Total Fwd Packets']) + Number(x['Total Backward Packets']), 0), 3292);
  assert.ok('Fwd Header Length.1' in rows[0]!);
  // Parquet: the same flows, typed, read back by nadir's loader
  const pq = join(dir, 'flows.parquet');
  const w = await nadir('flows', join(CAPTURES, 'cicflowmeter/test.pcap.gz'), '--mode', 'corrected', '--label', 'BENIGN', '--out', pq);
  assert.equal(w.code, 0, w.stderr);
  const inspect = await nadir('inspect', '--data', pq, '--json');
  assert.equal(inspect.code, 0, inspect.stderr);
  const doc = JSON.parse(inspect.stdout) as { format: string; rows: number; columns: Array<{ name: string; kind: string }> };
  assert.equal(doc.format, 'cic-ids2017');
  assert.equal(doc.rows, s.flows);
  assert.equal(doc.columns.find((c) => c.name === 'Flow Duration')!.kind, 'numeric');
});

test('nadir flows: bad input is one line and exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nadir-flows-'));
  const text = join(dir, 'flows.csv');
  writeFileSync(text, 'Flow ID,Label\n1,BENIGN\n');
  const cut = join(dir, 'cut.pcap');
  const pcap = gunzipSync(readFileSync(join(CAPTURES, 'cicflowmeter/test.pcap.gz')));
  writeFileSync(cut, pcap.subarray(0, 100_000));
  const cases: Array<[string[], RegExp]> = [
    [['flows', join(dir, 'missing.pcap')], /^nadir: file not found: .*missing\.pcap\n$/],
    [['flows', text], /^nadir: .*flows\.csv: not a pcap or pcapng capture \(magic number 0x776f6c46\) \(at byte 0\)\n$/],
    [['flows', cut, '--mode', 'fast'], /^nadir: invalid option --mode: expected one of cic2017, corrected, got 'fast'\n$/],
    [['flows', cut, '--active-timeout', '-1'], /^nadir: invalid option --active-timeout: expected a number > 0/],
    [['flows', cut, '--out', join(dir, 'x.xlsx')], /^nadir: invalid option --out: .*x\.xlsx: expected a \.csv, \.jsonl or \.parquet file\n$/],
    [['flows'], /^nadir: missing required argument 'capture'/],
  ];
  for (const [args, re] of cases) {
    const r = await nadir(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  // a capture cut in the middle of a packet: the flows before it, a warning naming the packet
  const r = await nadir('flows', cut, '--out', join(dir, 'cut-flows.csv'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^warning: .*cut\.pcap: packet \d+ is truncated at the end of the file/m);
});

test('a CSV in CIC-IDS2017’s own layout (MachineLearningCSV: padded names, no identifiers but Destination Port) trains a model that scores nadir’s flows unchanged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nadir-flows-cic-'));
  // flows of a scan and of normal traffic, labelled, then written the way CIC-IDS2017's files are
  const parts: string[][] = [];
  for (const [file, label] of [['esnet/nmap_80_all.pcap', 'PortScan'], ['stopddos/synflood-1-3000.pcap', 'DoS'], ['cicflowmeter/test.pcap.gz', 'BENIGN'], ['sgr/SSHv2-1-3000.pcap', 'BENIGN']]) {
    const out = join(dir, `${parts.length}.csv`);
    const r = await nadir('flows', join(CAPTURES, file!), '--label', label!, '--out', out);
    assert.equal(r.code, 0, r.stderr);
    parts.push(readFileSync(out, 'utf8').trim().split('\n'));
  }
  const header = parts[0]![0]!.split(',');
  const ids = new Set(['Flow ID', 'Source IP', 'Source Port', 'Destination IP', 'Protocol', 'Timestamp']);
  const keep = header.map((n, i) => (ids.has(n) ? -1 : i)).filter((i) => i >= 0);
  // CIC-IDS2017's header: most names with a leading space, Fwd Header Length twice
  const cicHeader = keep.map((i) => (header[i] === 'Flow Bytes/s' || header[i] === 'Label' ? ` ${header[i]}` : i % 3 === 0 ? header[i]! : ` ${header[i]}`));
  const rows = parts.flatMap((p) => p.slice(1)).map((l) => l.split(',')).map((c) => keep.map((i) => c[i]).join(','));
  const cic = join(dir, 'Monday-WorkingHours.pcap_ISCX.csv');
  writeFileSync(cic, `${cicHeader.join(',')}\n${rows.join('\n')}\n`);
  const model = join(dir, 'cic.nadir');
  const t = await nadir('train', '--data', cic, '--cv', '0', '--out', model);
  assert.equal(t.code, 0, t.stderr);
  // nadir's flows of another capture, as nadir flows writes them (all 84 columns, no label): scored as they are
  const flows = join(dir, 'scan-flows.csv');
  assert.equal((await nadir('flows', join(CAPTURES, 'esnet/tcp_0_1000_20190821.pcap'), '--mode', 'cic2017', '--out', flows)).code, 0);
  const p = await nadir('predict', '--model', model, '--data', flows, '--json');
  assert.equal(p.code, 0, p.stderr);
  const doc = JSON.parse(p.stdout) as { rows: number; predictions: Array<{ label: string }> };
  assert.equal(doc.rows, 2);
  const n = await nadir('predict', '--model', model, '--data', join(dir, '2.csv'), '--json');
  assert.equal(n.code, 0, n.stderr);
  assert.equal((JSON.parse(n.stdout) as { rows: number }).rows, 96);
});

test('nadir flows - with a capture still coming in: SIGINT stops reading, the open flows are written, exit 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nadir-flows-sig-'));
  const out = join(dir, 'flows.csv');
  const pcap = gunzipSync(readFileSync(join(CAPTURES, 'cicflowmeter/test.pcap.gz')));
  const p = spawn(process.execPath, [CLI, 'flows', '-', '--out', out], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  p.stdin.on('error', () => {}); // reported through the exit code and stderr below
  // half the capture, and the pipe left open (as tcpdump -w - would)
  p.stdin.write(pcap.subarray(0, pcap.length >> 1));
  // the command is reading once its output's temporary file exists (its Ctrl-C handler is set by then)
  for (let i = 0; i < 300 && !readdirSync(dir).some((f) => f.startsWith('flows.csv.')); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500));
  p.kill('SIGINT');
  const code = await new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
  assert.equal(code, 0, err);
  assert.match(err, /stopping: writing the open flows/);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.ok(lines.length > 10, `${lines.length - 1} flows`);
});
