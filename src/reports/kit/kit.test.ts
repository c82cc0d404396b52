import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, joinHtml, raw } from './html.js';
import { formatInt } from '../../util/format.js';
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
