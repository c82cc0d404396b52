import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dataFromRecords, requireLabel } from '../data/index.js';
import { loadDataset } from '../data/load.js';
import { cicFlowsCsv } from '../data/testdata/cic-flows.js';
import { tempDir, writeFixture } from '../data/testdata/files.js';
import { analyzeDataset } from '../eda/analyze.js';
import { buildEdaReport, SECTIONS } from './eda-report.js';

function dataset(n: number, label: (i: number) => string, opts: { numeric?: boolean; weirdName?: boolean } = {}) {
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const attack = label(i) !== 'normal';
    const r: Record<string, unknown> = { proto: attack && i % 3 ? 'icmp' : ['tcp', 'udp'][i % 2], label: label(i) };
    if (opts.numeric !== false) {
      r.bytes = attack ? 1000 + ((i * 7919) % 50000) : (i * 37) % 300;
      r.rate = attack ? 0.9 - (i % 10) / 100 : (i % 10) / 100;
      r.rate2 = attack ? 0.91 - (i % 10) / 100 : (i % 10) / 100 + 0.005;
      r.empty = null;
    }
    if (opts.weirdName) r['<b>odd</b> & "name"'] = i % 4;
    out.push(r);
  }
  return requireLabel(dataFromRecords(out, { label: 'label', source: 'synthetic <test>.csv' }));
}

/** The HTML of each section by id. */
function sections(page: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of page.split('<section class="report" id="').slice(1)) out.set(part.slice(0, part.indexOf('"')), part);
  return out;
}

test('report: every section present with at least one chart; self-contained; user strings escaped', async () => {
  const r = analyzeDataset(dataset(300, (i) => (i % 3 === 0 ? 'smurf' : 'normal'), { weirdName: true }));
  let charts = 0;
  const page = await buildEdaReport(r, { generatedAt: new Date(Date.UTC(2024, 0, 2, 3, 4)), onChart: (done) => (charts = done) });
  assert.match(page, /^<!DOCTYPE html>/);
  assert.match(page, /2024-01-02 03:04 UTC/);
  assert.doesNotMatch(page, /<script|<link |<img |@import|url\(http/);
  assert.doesNotMatch(page, /<b>odd<\/b>/);
  assert.match(page, /&lt;b&gt;odd&lt;\/b&gt; &amp; &quot;name&quot;/);
  assert.match(page, /synthetic &lt;test&gt;\.csv/);
  const s = sections(page);
  assert.deepEqual([...s.keys()], SECTIONS.map((x) => x.id));
  // (the identifiers section has charts of top talkers only when the data has identifiers: this data has none)
  for (const [id, htmlText] of s) if (id !== 'identifiers') assert.ok((htmlText.match(/<svg /g) ?? []).length >= 1, `section ${id} has a chart`);
  assert.equal((page.match(/<figure class="chart">/g) ?? []).length, charts);
  // tests table and the redundancy pair
  assert.match(s.get('tests') ?? '', /class="data tests-numeric"/);
  assert.match(s.get('tests') ?? '', /class="data tests-categorical"/);
  assert.match(s.get('correlation') ?? '', /rate<\/td><td class="">rate2/);
  assert.ok((s.get('overview') ?? '').includes('Column &#39;empty&#39; has no values'));
});

test('report: single-class label and categorical-only files say so instead of failing', async () => {
  const single = await buildEdaReport(analyzeDataset(dataset(50, () => 'normal')));
  const s1 = sections(single);
  assert.match(s1.get('overview') ?? '', /single class/);
  assert.match(s1.get('tests') ?? '', /Not computed: the label has a single class/);
  assert.match(s1.get('ranking') ?? '', /Not computed/);

  const cats = await buildEdaReport(analyzeDataset(dataset(50, (i) => (i % 2 ? 'attack' : 'normal'), { numeric: false })));
  const s2 = sections(cats);
  assert.match(s2.get('overview') ?? '', /no numeric feature columns/);
  assert.match(s2.get('correlation') ?? '', /No correlation matrix/);
  assert.match(s2.get('univariate') ?? '', /No numeric columns/);
  assert.match(s2.get('tests') ?? '', /class="data tests-categorical"/);
});

test('report: a t-test / Mann–Whitney disagreement is explained with the p-values of the tests table', async () => {
  const r = analyzeDataset(dataset(300, (i) => (i % 3 === 0 ? 'smurf' : 'normal')));
  const t = r.tests.numeric.find((x) => x.feature === 'bytes')!;
  // pretend the t-test fell short after BH: the explanation is rebuilt by the ranking with these numbers
  t.welch.p = 0.039;
  t.welch.pAdjusted = 0.41;
  const { rankFeatures } = await import('../eda/ranking.js');
  r.ranking = rankFeatures(r.tests.numeric, r.numeric, r.tests.categorical, r.categorical, r.tests.alpha);
  assert.equal(r.ranking.find((x) => x.feature === 'bytes')!.agreement, 'only Mann–Whitney');
  const s = sections(await buildEdaReport(r));
  assert.match(s.get('overview') ?? '', /disagree on 1 feature \(bytes\): one is significant after Benjamini–Hochberg, the other not/);
  const ranking = s.get('ranking') ?? '';
  assert.match(ranking, /Welch t p = 0\.039 \(BH-adjusted 0\.41\) is not significant at 0\.05 while Mann–Whitney p/);
  // the tests table shows the same two numbers
  const table = (s.get('tests') ?? '').split('class="data tests-numeric"')[1] ?? '';
  const row = table.split('<tr').find((x) => x.includes('>bytes<')) ?? '';
  assert.match(row, />0\.039</);
  assert.match(row, />0\.41<br>/);
});

test('ranking chart: the legend and long feature names are written out in the SVG, not cut with …', async () => {
  const { rankingSpec } = await import('./eda-charts.js');
  const { renderVegaLiteSvg } = await import('./kit/vega.js');
  const feature = (name: string, kind: 'numeric' | 'categorical', strength: number) =>
    ({ rank: 1, feature: name, kind, strength, measure: kind === 'numeric' ? 'rank-biserial' : "Cramér's V", direction: null, significant: true, agreement: 'agree', explanation: '' }) as unknown as import('../eda/types.js').RankedFeature;
  const svg = await renderVegaLiteSvg(rankingSpec([feature('dst_host_same_src_port_rate', 'numeric', 0.8), feature('service', 'categorical', 0.6)]));
  assert.ok(svg.includes('numeric: |rank-biserial r|'), 'numeric legend entry');
  assert.ok(svg.includes('categorical: Cramér&#39;s V') || svg.includes("categorical: Cramér's V"), 'categorical legend entry');
  assert.ok(svg.includes('>dst_host_same_src_port_rate<'), 'feature name');
  assert.doesNotMatch(svg, /…/);
});

test('report: the identifiers section lists the addresses, times and flow ids with a top-talkers chart per address column', async () => {
  const dir = tempDir('nadir-eda-ids-');
  try {
    const r = analyzeDataset(await loadDataset(writeFixture(dir, 'flows.csv', cicFlowsCsv(2000))));
    const section = sections(await buildEdaReport(r)).get('identifiers') ?? '';
    assert.match(section, /Source IP: top 10 of/);
    for (const id of ['Flow ID', 'Source IP', 'Destination IP', 'Timestamp']) assert.ok(section.includes(`<strong>${id}</strong>`), id);
    assert.equal((section.match(/<svg /g) ?? []).length, 3, 'Flow ID, Source IP, Destination IP (no chart for times)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
