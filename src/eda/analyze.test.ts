import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dataFromRecords, loadDataset, requireLabel } from '../data/index.js';
import { analyzeDataset } from './analyze.js';
import { edaToJson } from './json.js';
import type { EdaResult } from './types.js';

const TRAIN = fileURLToPath(new URL('../../../data/nsl-kdd/KDDTrain+_20Percent.txt.gz', import.meta.url));

/** Equal to 4 significant digits (relative difference below 5e-5). */
function sig4(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 5e-5 * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

let cached: EdaResult | undefined;
async function nslKdd(): Promise<EdaResult> {
  cached ??= analyzeDataset(await loadDataset(TRAIN));
  return cached;
}

test('NSL-KDD 20%: Welch t and Mann–Whitney match scipy 1.10 (attack minus normal)', async () => {
  const r = await nslKdd();
  const t = (f: string) => {
    const x = r.tests.numeric.find((n) => n.feature === f);
    assert.ok(x, f);
    return x;
  };
  sig4(t('count').welch.t, 107.53, 'count t');
  sig4(t('same_srv_rate').welch.t, -170.519, 'same_srv_rate t');
  sig4(t('dst_host_srv_count').welch.t, -170.204, 'dst_host_srv_count t');
  sig4(t('duration').welch.t, 7.6761, 'duration t');
  sig4(t('duration').welch.p, 1.7456e-14, 'duration p');
  sig4(t('duration').mannWhitney.p, 2.2602e-123, 'duration MW p');
  sig4(t('duration').mannWhitney.u, 72554265, 'duration U');
  sig4(t('src_bytes').welch.t, 0.851936, 'src_bytes t');
  sig4(t('src_bytes').welch.p, 0.394267, 'src_bytes p');
  assert.ok(t('src_bytes').mannWhitney.p < 1e-300, 'src_bytes MW p ≈ 0');
  assert.equal(t('num_outbound_cmds').skipped, 'constant column');
  // BH never lowers a p-value and keeps the order
  for (const x of r.tests.numeric.filter((n) => !n.skipped)) assert.ok(x.welch.pAdjusted >= x.welch.p && x.mannWhitney.pAdjusted >= x.mannWhitney.p);
});

test('NSL-KDD 20%: chi-square and Cramér\'s V match scipy', async () => {
  const r = await nslKdd();
  const c = (f: string) => {
    const x = r.tests.categorical.find((n) => n.feature === f);
    assert.ok(x, f);
    return x;
  };
  sig4(c('protocol_type').chi2, 2035.95, 'protocol_type χ²');
  assert.equal(c('protocol_type').dof, 2);
  sig4(c('protocol_type').cramersV, 0.284284, 'protocol_type V');
  sig4(c('flag').chi2, 15153.7, 'flag χ²');
  assert.equal(c('flag').dof, 10);
  sig4(c('flag').cramersV, 0.775583, 'flag V');
  sig4(c('service').chi2, 18639.3, 'service χ²');
  assert.equal(c('service').dof, 65);
  sig4(c('service').cramersV, 0.860167, 'service V');
});

test('NSL-KDD 20%: src_bytes IQR outliers, summaries and classes match pandas', async () => {
  const r = await nslKdd();
  const sb = r.numeric.find((c) => c.name === 'src_bytes');
  assert.ok(sb?.outliers);
  assert.equal(sb.outliers.iqr.q1, 0);
  assert.equal(sb.outliers.iqr.q3, 279);
  assert.equal(sb.outliers.iqr.count, 2725);
  sig4(sb.mean, 24330.628215, 'src_bytes mean');
  sig4(sb.std, 2410805.402, 'src_bytes std');
  sig4(sb.skewness, 157.558542, 'src_bytes skew');
  assert.equal(sb.quantiles.p50, 44);
  assert.ok(sb.heavyTailed);
  assert.deepEqual(r.classes.binary.counts, [13449, 11743]);
  assert.equal(r.classes.label.classes[0], 'normal');
  assert.equal(r.classes.label.classes.length, 22);
  assert.deepEqual(r.overview.constantColumns.sort(), ['is_host_login', 'num_outbound_cmds']);
  assert.equal(r.overview.rows, 25192);
  // histogram counts add up to the rows
  assert.equal(sb.histogram?.counts.reduce((a, b) => a + b, 0), 25192);
});

test('NSL-KDD 20%: the ranking explains where the t-test and Mann–Whitney disagree', async () => {
  const r = await nslKdd();
  const sb = r.ranking.find((f) => f.feature === 'src_bytes');
  assert.ok(sb);
  assert.equal(sb.agreement, 'only Mann–Whitney');
  assert.equal(sb.direction, 'lower in attacks');
  assert.match(sb.explanation, /disagree/);
  assert.match(sb.explanation, /heavy-tailed/);
  assert.equal(r.ranking[0].feature, 'service');
  // significant features first, then by strength
  const firstInsignificant = r.ranking.findIndex((f) => !f.significant);
  if (firstInsignificant >= 0) assert.ok(r.ranking.slice(firstInsignificant).every((f) => !f.significant));
  // redundancy candidates
  assert.ok(r.correlation?.highPairs.pearson.some((p) => p.a === 'num_compromised' && p.b === 'num_root' && p.r > 0.99));
  assert.ok(r.correlation && r.correlation.columns.length === 36 && !r.correlation.excluded.includes('count'));
});

test('--json document: numbers only, NaN as null, round-trips through JSON.parse', async () => {
  const r = await nslKdd();
  const doc = JSON.parse(edaToJson(r)) as EdaResult;
  assert.equal(doc.tests.numeric.find((t) => t.feature === 'num_outbound_cmds')?.welch.t, null);
  assert.equal(doc.tests.categorical.length, 3);
  assert.equal(doc.numeric.length, 38);
});

test('category target: per-class views by attack category, tests still attack vs normal', async () => {
  const ds = await loadDataset(TRAIN);
  const r = analyzeDataset(ds, { target: 'category', sample: 5000, seed: 7 });
  assert.equal(r.rows.analysed, 5000);
  assert.ok(r.rows.sampled);
  assert.match(r.notes.join(' '), /sample of 5,000 of 25,192 rows/);
  assert.deepEqual(r.classes.target.classes[0], 'normal');
  assert.equal(r.classes.isAttack[0], false);
  assert.ok(r.classes.isAttack.slice(1).every(Boolean));
  const count = r.numeric.find((c) => c.name === 'count');
  assert.equal(count?.byClass.length, r.classes.target.classes.length);
  assert.equal(count?.histogram?.byClass.length, r.classes.target.classes.length);
  const n = r.classes.binary.counts;
  assert.equal(n[0] + n[1], 5000);
  const t = r.tests.numeric.find((x) => x.feature === 'count');
  assert.equal((t?.nAttack ?? 0) + (t?.nNormal ?? 0), 5000);
});

function records(n: number, label: (i: number) => string, numeric = true) {
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const r: Record<string, unknown> = { proto: ['tcp', 'udp', 'icmp'][i % 3], svc: i % 5 === 0 ? 'http' : 'dns', label: label(i) };
    if (numeric) {
      r.bytes = (i * 37) % 101;
      r.empty = null;
    }
    out.push(r);
  }
  return out;
}

test('edge cases: all-missing column, single-class label, only categorical columns — notes, no failure', () => {
  const missing = analyzeDataset(requireLabel(dataFromRecords(records(60, (i) => (i % 4 === 0 ? 'attack' : 'normal')), { label: 'label' })));
  assert.deepEqual(missing.overview.allMissingColumns, ['empty']);
  assert.match(missing.notes.join(' '), /'empty' has no values/);
  assert.equal(missing.tests.numeric.find((t) => t.feature === 'empty')?.skipped, 'all values missing');
  assert.ok(missing.tests.testsRun);
  assert.equal(missing.numeric.find((c) => c.name === 'empty')?.histogram, null);

  const single = analyzeDataset(requireLabel(dataFromRecords(records(40, () => 'normal'), { label: 'label' })));
  assert.equal(single.tests.testsRun, false);
  assert.match(single.notes.join(' '), /single class/);
  assert.deepEqual(single.ranking, []);
  assert.ok(single.tests.numeric.every((t) => t.skipped === 'single class' || t.skipped === 'all values missing'));
  assert.ok(single.tests.categorical.every((t) => t.skipped === 'single class'));

  const cats = analyzeDataset(requireLabel(dataFromRecords(records(40, (i) => (i % 2 ? 'attack' : 'normal'), false), { label: 'label' })));
  assert.equal(cats.numeric.length, 0);
  assert.equal(cats.correlation, null);
  assert.match(cats.notes.join(' '), /no numeric feature columns/);
  assert.equal(cats.tests.categorical.length, 2);
  assert.ok(cats.ranking.length === 2);
});

test('analyzeFile: one progress callback for loading (bytes of the file) and the analysis stages', async () => {
  const { statSync } = await import('node:fs');
  const file = fileURLToPath(new URL('../../../data/nsl-kdd/KDDTest-21.txt.gz', import.meta.url));
  const { analyzeFile } = await import('./analyze.js');
  const calls: Array<[string, number, number]> = [];
  const r = await analyzeFile(file, { onProgress: (s, d, t) => calls.push([s, d, t]) });
  const loading = calls.filter((c) => c[0] === 'loading KDDTest-21.txt.gz');
  const size = statSync(file).size;
  assert.ok(loading.length >= 2, 'several loading updates');
  assert.ok(loading.every((c) => c[2] === size));
  assert.deepEqual(loading.at(-1), ['loading KDDTest-21.txt.gz', size, size]);
  for (let i = 1; i < loading.length; i++) assert.ok(loading[i]![1] >= loading[i - 1]![1], 'bytes only grow');
  // loading comes first, then the analysis stages
  assert.equal(calls[0]![0], 'loading KDDTest-21.txt.gz');
  assert.ok(calls.findIndex((c) => c[0] === 'numeric columns') > calls.lastIndexOf(loading.at(-1)!));
  assert.ok(r.timings.load! > 0);
  assert.equal(r.rows.analysed, 11850);
});
