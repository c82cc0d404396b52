import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, joinHtml, raw } from './html.js';
import { formatBytes, formatFixed, formatInt, formatNumber, formatP, formatPerTenThousand, formatPercent, formatSigned, formatSignedPoints, formatUtcMinute } from './format.js';
import { renderKeyValue, renderTable } from './table.js';
import { prefixIds, renderChart, renderVegaLiteSvg } from './vega.js';
import { badge, callout, cards, renderPage, section } from './page.js';

test('html escapes interpolations unless they are SafeHtml', () => {
  const name = '<script>alert("x")</script> & co';
  const out = html`<td title="${name}">${name}${raw('<b>ok</b>')}${[1, '<', null, undefined, false]}</td>`.value;
  assert.equal(out, '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co<b>ok</b>1&lt;</td>');
  assert.equal(escapeHtml("it's"), 'it&#39;s');
  assert.equal(joinHtml(['a', raw('<br>'), '<'], ',').value, 'a,<br>,&lt;');
});

test('number formatting', () => {
  assert.equal(formatInt(25192), '25,192');
  assert.equal(formatInt(NaN), '–');
  assert.equal(formatNumber(107.53011320574423), '107.5');
  assert.equal(formatNumber(-170.5188790591247, 6), '−170.519');
  assert.equal(formatNumber(2725), '2,725');
  assert.equal(formatNumber(1.7455505319142136e-14), '1.746e−14');
  assert.equal(formatP(0), '< 1e−300');
  assert.equal(formatP(2.2602031967755383e-123), '2.26e−123');
  assert.equal(formatP(0.3942670515000528), '0.394');
  assert.equal(formatPercent(0.4656), '46.6%');
  assert.equal(formatPercent(0.00001), '< 0.1%');
  assert.equal(formatBytes(8 * 1024 * 1024), '8.0 MiB');
});

test('scores, signed differences, rates per 10,000 and dates', () => {
  assert.equal(formatFixed(0.97314159), '0.9731');
  assert.equal(formatFixed(null), '–');
  assert.equal(formatFixed(undefined), '–');
  assert.equal(formatFixed(NaN), '–');
  assert.equal(formatFixed(1 / 3, 2), '0.33');
  assert.equal(formatSigned(0.01234), '+0.0123');
  assert.equal(formatSigned(-0.004), '−0.0040');
  assert.equal(formatSigned(0), '+0.0000');
  assert.equal(formatSignedPoints(0.0123), '+1.2 pts');
  assert.equal(formatSignedPoints(-0.2), '−20.0 pts');
  assert.equal(formatSignedPoints(-0.0001), '−0.0 pts');
  assert.equal(formatPerTenThousand(0.00123), '12');
  assert.equal(formatPerTenThousand(0.000123), '1.2');
  assert.equal(formatPerTenThousand(0.5), '5,000');
  assert.equal(formatPerTenThousand(0), '0');
  assert.equal(formatPerTenThousand(NaN), '–');
  assert.equal(formatUtcMinute('2024-05-01T12:34:56.000Z'), '2024-05-01 12:34 UTC');
  assert.equal(formatUtcMinute('2024-05-01T14:34:56+02:00'), '2024-05-01 12:34 UTC');
  assert.equal(formatUtcMinute('not a date'), 'not a date');
});

test('tables escape cells and align numbers', () => {
  const t = renderTable([{ label: 'name', cell: (r: { n: string; v: number }) => r.n }, { label: 'v', cell: (r) => formatInt(r.v), align: 'right' }], [{ n: '<a>', v: 1000 }]).value;
  assert.match(t, /<td class="">&lt;a&gt;<\/td><td class="num">1,000<\/td>/);
  assert.match(renderTable([], [], { empty: 'nothing here' }).value, /class="empty">nothing here/);
  assert.match(renderKeyValue([['rows', '3']]).value, /<td class="">rows<\/td>/);
});

test('Vega-Lite renders to inline SVG with ids prefixed per chart', async () => {
  const spec = {
    data: { values: [{ a: 'x<y', b: 3 }, { a: 'z', b: 5 }] },
    mark: 'bar' as const,
    encoding: { x: { field: 'a', type: 'nominal' as const }, y: { field: 'b', type: 'quantitative' as const } },
  };
  const svg = await renderVegaLiteSvg(spec);
  assert.match(svg, /^<svg /);
  assert.match(svg, /x&lt;y/);
  assert.doesNotMatch(svg, /https?:\/\/(?!www\.w3\.org)/); // nothing to fetch
  const fig = (await renderChart(spec, { label: 'a "chart"', caption: 'cap' })).value;
  assert.match(fig, /<figure class="chart"><svg role="img" aria-label="a &quot;chart&quot;"/);
  assert.match(fig, /<figcaption>cap<\/figcaption>/);
  assert.equal(prefixIds('<clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/>', 'c9-'), '<clipPath id="c9-clip1"/><g clip-path="url(#c9-clip1)"/><use href="#c9-clip1"/>');
});

test('page shell is one self-contained document', () => {
  const page = renderPage({
    title: 'T <1>',
    subtitle: 'sub',
    nav: [{ id: 'a', label: 'A' }],
    body: [section('a', 'Section A', cards([{ label: 'rows', value: '3' }]), 'intro'), callout('warn', 'careful'), badge('sig', 'ok')],
  });
  assert.match(page, /^<!DOCTYPE html>/);
  assert.match(page, /<title>T &lt;1&gt;<\/title>/);
  assert.match(page, /<section class="report" id="a"><h2>Section A<\/h2><p class="intro">intro<\/p>/);
  assert.doesNotMatch(page, /<script|<link|src="http/);
});
