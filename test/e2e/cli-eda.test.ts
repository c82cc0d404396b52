/**
 * `nadir eda` end to end through the real CLI entry point (dist/src/cli/main.js in a child
 * process): the --json document on NSL-KDD carries the acceptance numbers of issue 5 (scipy
 * 1.10 / pandas values, 4 significant digits), --out writes a self-contained report, and bad
 * input gives one line on stderr with a non-zero exit and no report file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { nadir } from './cli.js';

const TRAIN = new URL('../../../data/nsl-kdd/KDDTrain+_20Percent.txt.gz', import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), 'nadir-cli-eda-'));
after(() => rmSync(dir, { recursive: true, force: true }));


/** Equal to 4 significant digits (relative difference below 5e-5). */
function sig4(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 5e-5 * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

interface Doc {
  report: string;
  format: string;
  rows: { total: number; analysed: number; sampled: boolean };
  classes: { binary: { classes: string[]; counts: number[] } };
  numeric: Array<{ name: string; outliers: { iqr: { q1: number; q3: number; count: number } } | null }>;
  tests: {
    testsRun: boolean;
    numeric: Array<{ feature: string; welch: { t: number | null; p: number | null }; mannWhitney: { p: number | null } }>;
    categorical: Array<{ feature: string; chi2: number; dof: number; cramersV: number }>;
  };
  ranking: Array<{ feature: string; agreement: string; explanation: string }>;
  notes: string[];
  timings: Record<string, number>;
}

// One full run on KDDTrain+_20Percent shared by the tests that read its JSON and its report.
const fullOut = join(dir, 'kdd-eda.html');
let full: { code: number; stdout: string; stderr: string };
let doc: Doc;
before(async () => {
  full = await nadir('eda', '--data', TRAIN, '--json', '--out', fullOut);
  if (full.code === 0) doc = JSON.parse(full.stdout) as Doc;
}, { timeout: 180_000 });

test('--json on KDDTrain+_20Percent: one JSON document with the scipy/pandas acceptance numbers', () => {
  assert.equal(full.code, 0, full.stderr);
  assert.equal(full.stderr, '', 'no progress or warnings on stderr with --json off a TTY');
  assert.equal(doc.format, 'nsl-kdd');
  assert.deepEqual(doc.rows, { ...doc.rows, total: 25192, analysed: 25192, sampled: false });
  assert.deepEqual(doc.classes.binary.counts, [13449, 11743]);
  const t = (f: string) => {
    const x = doc.tests.numeric.find((n) => n.feature === f);
    assert.ok(x, f);
    return x;
  };
  sig4(t('count').welch.t!, 107.53, 'count t');
  sig4(t('same_srv_rate').welch.t!, -170.519, 'same_srv_rate t');
  sig4(t('duration').welch.p!, 1.7456e-14, 'duration p');
  sig4(t('duration').mannWhitney.p!, 2.2602e-123, 'duration MW p');
  sig4(t('src_bytes').welch.t!, 0.851936, 'src_bytes t');
  sig4(t('src_bytes').welch.p!, 0.394267, 'src_bytes p');
  // Mann–Whitney p underflows to 0 here; JSON keeps it a number (0), not null
  const mwSrcBytes = t('src_bytes').mannWhitney.p;
  assert.ok(mwSrcBytes !== null && mwSrcBytes < 1e-300, `src_bytes MW p ${mwSrcBytes}`);
  // NaN statistics become null in JSON (num_outbound_cmds is constant)
  assert.equal(t('num_outbound_cmds').welch.t, null);
  const c = (f: string) => {
    const x = doc.tests.categorical.find((n) => n.feature === f);
    assert.ok(x, f);
    return x;
  };
  sig4(c('protocol_type').chi2, 2035.95, 'protocol_type χ²');
  assert.equal(c('flag').dof, 10);
  sig4(c('flag').cramersV, 0.775583, 'flag V');
  sig4(c('service').chi2, 18639.3, 'service χ²');
  assert.equal(c('service').dof, 65);
  const iqr = doc.numeric.find((n) => n.name === 'src_bytes')?.outliers?.iqr;
  assert.deepEqual(iqr && { q1: iqr.q1, q3: iqr.q3, count: iqr.count }, { q1: 0, q3: 279, count: 2725 });
  const sb = doc.ranking.find((r) => r.feature === 'src_bytes');
  assert.equal(sb?.agreement, 'only Mann–Whitney');
  assert.match(sb.explanation, /disagree/);
  assert.equal(doc.ranking[0]?.feature, 'service');
  for (const k of ['load', 'numeric', 'correlation', 'report', 'command']) assert.ok((doc.timings[k] ?? 0) > 0, `timing ${k}`);
});

test('--out writes one self-contained HTML report with every section and inline SVG charts', () => {
  assert.equal(full.code, 0, full.stderr);
  assert.equal(doc.report, fullOut);
  const html = readFileSync(fullOut, 'utf8');
  assert.match(html, /^<!doctype html>/i);
  assert.match(html, /<title>Exploratory analysis — KDDTrain\+_20Percent\.txt\.gz/);
  for (const id of ['overview', 'classes', 'univariate', 'bivariate', 'correlation', 'outliers', 'tests', 'ranking']) {
    assert.match(html, new RegExp(`<section class="report" id="${id}">`), id);
  }
  assert.ok((html.match(/<svg/g) ?? []).length >= 40, 'charts are inline SVG');
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href="http/, 'no network resources');
  assert.match(html, /2,725/, 'src_bytes IQR outlier count in the report');
  // written through a temp file and a rename: nothing else left in the folder
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('kdd-eda')), ['kdd-eda.html']);
});

test('human-readable output: summary, ranking table and where the report went', async () => {
  const out = join(dir, 'sample.html');
  const r = await nadir('eda', '-d', TRAIN, '--sample', '3000', '--seed', '3', '-o', out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^3,000 rows \(sample of 25,192\), 41 columns \(38 numeric, 3 categorical\); normal [\d,]+, attack [\d,]+\n/);
  assert.match(r.stdout, /features most linked to attacks:\n#\s+feature\s+effect\s+direction\s+tests\s+adjusted p\n/);
  assert.match(r.stdout, new RegExp(`report written to ${out.replace(/[.+]/g, '\\$&')} \\(\\d+\\.\\d s\\)\\n$`));
  assert.ok(existsSync(out));
});

test('a single-class CSV is reported, not refused: notes in the JSON, exit 0', async () => {
  const csv = join(dir, 'benign.csv');
  writeFileSync(csv, 'proto,bytes,Label\ntcp,10,BENIGN\nudp,20,BENIGN\ntcp,30,BENIGN\n');
  const out = join(dir, 'benign.html');
  const r = await nadir('eda', '--data', csv, '--label', 'Label', '--json', '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout) as Doc;
  assert.deepEqual(d.classes.binary.counts, [3, 0]);
  assert.equal(d.tests.testsRun, false);
  assert.match(d.notes.join(' '), /single class/);
  assert.match(readFileSync(out, 'utf8'), /single class/);
});

test('bad input: one line on stderr, non-zero exit, no report written', async () => {
  const nolabel = join(dir, 'nolabel.csv');
  writeFileSync(nolabel, 'a,b\n1,2\n3,4\n');
  const out = join(dir, 'never.html');
  const cases: Array<[string[], RegExp]> = [
    [['--data', join(dir, 'missing.csv')], /^nadir: file not found: .*missing\.csv\n$/],
    [['--data', nolabel, '--label', 'zzz'], /^nadir: .*label column 'zzz' not found/],
    [['--data', TRAIN, '--target', 'tribe'], /^nadir: invalid option --target: expected one of binary, category, label, got 'tribe'\n$/],
    [['--data', TRAIN, '--sample', '0'], /^nadir: invalid option --sample: expected a positive integer, got '0'\n$/],
    [['--data', TRAIN, '--seed', '-1'], /^nadir: invalid option --seed: expected a non-negative integer/],
    [['--data', TRAIN, '--alpha', '1.5'], /^nadir: invalid option --alpha: expected a number between 0 and 1/],
    [['--out', out], /^nadir: missing required option --data <file> \(see nadir eda --help\)\n$/],
  ];
  for (const [args, re] of cases) {
    const r = await nadir('eda', ...args, ...(args.includes('--out') ? [] : ['--out', out]));
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '', `nothing on stdout for ${args.join(' ')}`);
    assert.ok(!existsSync(out), `no report for ${args.join(' ')}`);
  }
});

test('an unwritable --out fails before the analysis with one line and leaves no partial file', async () => {
  const csv = join(dir, 'two.csv');
  writeFileSync(csv, 'bytes,Label\n1,normal\n2,attack\n3,normal\n4,attack\n');
  const out = join(dir, 'no-such-folder', 'r.html');
  const r = await nadir('eda', '--data', csv, '--label', 'Label', '--out', out);
  assert.notEqual(r.code, 0);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `nadir: cannot write --out ${out}: folder ${join(dir, 'no-such-folder')} does not exist\n`);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.ok(!existsSync(join(dir, 'no-such-folder')));
});

test('nadir eda --help lists the options and examples', async () => {
  const r = await nadir('eda', '--help');
  assert.equal(r.code, 0);
  for (const opt of ['--data <file>', '--label <column>', '--target <kind>', '--out <file>', '--sample <n>', '--json']) assert.ok(r.stdout.includes(opt), opt);
  assert.match(r.stdout, /Examples:\n\s+nadir eda --data /);
});
