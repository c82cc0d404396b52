import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { nadir } from './cli.js';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;


test('nadir inspect --json on KDDTest+ reports 22,544 rows, 41 features, 9,711 normal and 12,833 attack', async () => {
  const r = await nadir('inspect', '--data', join(DATA, 'KDDTest+.txt.gz'), '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.format, 'nsl-kdd');
  assert.equal(doc.rows, 22544);
  assert.equal(doc.features, 41);
  assert.deepEqual(doc.classes.binary, { normal: 9711, attack: 12833 });
  assert.deepEqual(Object.keys(doc.classes.category), ['normal', 'DoS', 'Probe', 'R2L', 'U2R']);
  assert.equal(doc.columns.find((c: { name: string }) => c.name === 'service').kind, 'categorical');
  assert.ok(doc.findings.some((f: { code: string; column?: string }) => f.code === 'constant-column' && f.column === 'num_outbound_cmds'));
});

test('nadir inspect prints a readable summary', async () => {
  const r = await nadir('inspect', '--data', join(DATA, 'KDDTrain+_20Percent.txt.gz'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /format: nsl-kdd\s+rows: 25,192\s+features: 41/);
  assert.match(r.stdout, /classes \(binary\):\n\s+normal\s+13449/);
});

test('bad input gives one line on stderr and a non-zero exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nadir-cli-'));
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, '');
  const nolabel = join(dir, 'nolabel.csv');
  writeFileSync(nolabel, 'a,b\n1,2\n3,4\n');
  const cases: Array<[string[], RegExp]> = [
    [['inspect', '--data', join(dir, 'missing.csv')], /^nadir: file not found: .*missing\.csv\n$/],
    [['inspect', '--data', empty], /^nadir: .*empty\.csv is empty/],
    [['train', '--data', nolabel, '--model', 'gbdt', '--out', join(dir, 'never.nadir')], /^nadir: .*no label column found.*--label/],
    [['inspect', '--data', nolabel, '--label', 'zzz'], /^nadir: .*label column 'zzz' not found; columns are: a, b/],
    [['inspect', '--data', nolabel, '--format', 'pcap'], /^nadir: invalid option --format/],
  ];
  for (const [args, re] of cases) {
    const r = await nadir(...args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
  }
});

test('every command has --help', async () => {
  const r = await nadir('inspect', '--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--label <column>/);
  assert.match(r.stdout, /Example:/);
});

test('data-quality findings are printed once: in the report on stdout, or in the JSON — never again on stderr', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nadir-cli-'));
  const csv = join(dir, 'findings.csv');
  writeFileSync(csv, 'a,b,c,label\n1,x,7,normal\n,y,7,attack\nInfinity,x,7,normal\n2,,7,attack\n3,x,7,normal\n');
  const text = await nadir('inspect', '--data', csv);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stderr, '');
  const listed = text.stdout.split('\n').filter((l) => l.startsWith('  - '));
  assert.ok(listed.length >= 3, text.stdout);
  assert.equal(new Set(listed).size, listed.length, 'each finding once');
  assert.match(text.stdout, new RegExp(`data-quality findings \\(${listed.length}\\):`));
  assert.ok(listed.some((l) => l.includes("'c' is constant")), text.stdout);
  const json = await nadir('inspect', '--data', csv, '--json');
  assert.equal(json.code, 0, json.stderr);
  assert.equal(json.stderr, '');
  assert.equal(JSON.parse(json.stdout).findings.length, listed.length);
});

test('unlabelled NSL-KDD records (41 columns): inspect describes them as unlabelled; a supervised model says what they are for', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nadir-cli-'));
  const raw = join(dir, 'raw41.csv');
  const row = '0,tcp,http,SF,215,45076,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,1,1,0.00,0.00,0.00,0.00,1.00,0.00,0.00,0,0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00';
  writeFileSync(raw, `${row}\n${row}\n`);
  const ok = await nadir('inspect', '--data', raw);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /format: nsl-kdd\s+rows: 2\s+features: 41\s+label: none/);
  assert.match(ok.stdout, /no label column \(unlabelled data\)/);
  const r = await nadir('train', '--data', raw, '--model', 'gbdt', '--out', join(dir, 'never.nadir'));
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `nadir: ${raw}: no label column: these are unlabelled NSL-KDD records (41 columns, without label and difficulty); nadir predict scores them, everything else needs labelled records (42 or 43 columns)\n`);
});

const CIC = new URL('../../../test/fixtures/cicflowmeter/', import.meta.url).pathname;

test('nadir inspect on the same CICFlowMeter flows under two naming schemes: the same canonical columns and roles, the single class said', async () => {
  const [a, b] = await Promise.all([nadir('inspect', '--data', join(CIC, 'test.pcap_CIC.csv'), '--json'), nadir('inspect', '--data', join(CIC, 'test.pcap_Flow.csv'), '--json')]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const cols = (r: typeof a): Array<[string, string]> => (JSON.parse(r.stdout) as { columns: Array<{ name: string; role: string }> }).columns.map((c) => [c.name, c.role]);
  assert.deepEqual(cols(a), cols(b));
  assert.deepEqual(cols(a).slice(0, 4), [['Flow ID', 'flow-id'], ['Source IP', 'ip-address'], ['Destination IP', 'ip-address'], ['Timestamp', 'timestamp']]);
  const text = await nadir('inspect', '--data', join(CIC, 'test.pcap_CIC.csv'));
  assert.match(text.stdout, /columns: 79 numeric, 0 categorical, 4 identifiers \(not model inputs\)/);
  assert.match(text.stdout, /Source IP\s+categorical\s+identifier: ip-address\s+6\s+0/);
  assert.match(text.stdout, /Destination Port\s+numeric\s+input/);
  assert.match(text.stdout, /- 4 columns are identifiers, not model inputs: .*--keep <column> makes one an input/);
  assert.match(text.stdout, /- all 96 rows are BENIGN: a supervised model needs attacks too; see --model iforest/);
  const help = await nadir('inspect', '--help');
  for (const w of [/Column roles:/, /--keep <columns>/, /Ports are not identifiers/, /--max-categories/, /CICFlowMeter-V4 abbreviations/]) assert.match(help.stdout, w);
});
