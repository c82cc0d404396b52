/**
 * The page shell shared by nadir's HTML reports: one self-contained document (inline CSS, no
 * scripts, no external fonts or images) with a header, a sticky section nav, sections, KPI
 * cards, callouts and badges. Opens from disk in any browser without a network.
 */
import { html, raw, type HtmlValue, type SafeHtml } from './html.js';

export interface NavItem {
  id: string;
  label: string;
}

export interface PageOptions {
  title: string;
  subtitle?: HtmlValue;
  nav?: readonly NavItem[];
  body: HtmlValue;
  footer?: HtmlValue;
}

export const REPORT_CSS = `
:root{--fg:#1f2933;--muted:#66727f;--line:#e4e8ec;--bg:#f5f7f9;--card:#fff;--accent:#2f6690;--normal:#4c78a8;--attack:#e45756;--ok:#2e7d32;--warn:#b26a00}
*{box-sizing:border-box}
html{scroll-behavior:smooth;scroll-padding-top:56px}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.page{background:#13293d;color:#fff;padding:22px 32px 18px}
header.page h1{margin:0;font-size:22px;font-weight:650;letter-spacing:.2px}
header.page .subtitle{margin-top:4px;color:#c9d6e2;font-size:13px}
header.page .subtitle code{color:#fff;background:rgba(255,255,255,.1);padding:1px 5px;border-radius:3px}
nav.sections{position:sticky;top:0;z-index:10;background:#fff;border-bottom:1px solid var(--line);padding:0 24px;display:flex;flex-wrap:wrap;gap:2px;box-shadow:0 1px 3px rgba(0,0,0,.04)}
nav.sections a{color:var(--fg);text-decoration:none;padding:11px 12px;font-size:13px;font-weight:500;border-bottom:2px solid transparent}
nav.sections a:hover{color:var(--accent);border-bottom-color:var(--accent)}
main{max-width:1280px;margin:0 auto;padding:8px 24px 40px}
section.report{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:20px 0;padding:18px 22px 22px}
section.report>h2{margin:0 0 4px;font-size:18px;font-weight:650}
section.report>p.intro{margin:0 0 14px;color:var(--muted);max-width:900px}
h3{font-size:15px;margin:22px 0 8px;font-weight:650}
h4{font-size:13px;margin:14px 0 6px;font-weight:650;color:var(--muted);text-transform:uppercase;letter-spacing:.4px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px;margin:10px 0 16px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 14px;background:#fbfcfd}
.card .value{font-size:20px;font-weight:650;font-variant-numeric:tabular-nums}
.card .label{color:var(--muted);font-size:12px}
.card .hint{color:var(--muted);font-size:11px;margin-top:2px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:14px;align-items:start}
.grid.wide{grid-template-columns:repeat(auto-fill,minmax(420px,1fr))}
.row{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
.row>*{flex:1 1 380px;min-width:0}
figure.chart{margin:0;border:1px solid var(--line);border-radius:6px;padding:8px;background:#fff;overflow-x:auto}
figure.chart svg{display:block;max-width:100%;height:auto}
figure.chart figcaption{color:var(--muted);font-size:12px;margin-top:4px}
.table-wrap{overflow-x:auto;margin:6px 0 10px}
table.data{border-collapse:collapse;width:100%;font-size:12.5px;font-variant-numeric:tabular-nums}
table.data caption{text-align:left;color:var(--muted);font-size:12px;padding:0 0 6px}
table.data th{position:sticky;top:0;background:#eef2f5;text-align:left;font-weight:600;padding:6px 8px;border-bottom:1px solid #d5dce2;white-space:nowrap}
table.data td{padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
table.data td:first-child{white-space:nowrap}
table.data tbody tr:nth-child(even){background:#fafbfc}
table.data tbody tr:hover{background:#f0f5fa}
table.data .num{text-align:right;white-space:nowrap}
table.data .center{text-align:center}
table.data tr.dim td{color:#8a96a3}
table.kv{width:auto;min-width:320px}
table.data.per-class{width:auto}
table.data.per-class .num{padding-left:22px}
table.data.numeric-summary td:first-child{white-space:normal;min-width:170px}
table.data.tests-numeric{font-size:12px}
table.data.tests-numeric th{white-space:normal;vertical-align:bottom}
table.data.tests-numeric td,table.data.tests-numeric th{padding-left:6px;padding-right:6px}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:11px;font-weight:600;white-space:nowrap}
.badge.ok{background:#e3f2e5;color:var(--ok)}
.badge.warn{background:#fff1dc;color:var(--warn)}
.badge.bad{background:#fde4e3;color:#b3261e}
.badge.info{background:#e4eef7;color:var(--accent)}
.badge.muted{background:#eef1f4;color:var(--muted)}
.callout{border-left:4px solid var(--accent);background:#f0f5fa;padding:8px 12px;margin:10px 0;border-radius:0 6px 6px 0}
.callout.warn{border-color:#e0a030;background:#fff8ec}
.callout.ok{border-color:var(--ok);background:#eef7ef}
.callout p{margin:4px 0}
.empty{color:var(--muted);font-style:italic}
details{margin:8px 0}
details>summary{cursor:pointer;color:var(--accent);font-weight:600;padding:4px 0}
.effect{white-space:nowrap}
.unit{color:var(--muted);font-size:11px}
.bar-inline{display:inline-block;height:8px;border-radius:2px;background:var(--attack);vertical-align:middle;margin-right:6px}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;vertical-align:baseline;margin-right:4px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
footer.page{max-width:1280px;margin:0 auto;padding:0 24px 30px;color:var(--muted);font-size:12px}
@media print{nav.sections{display:none}section.report{break-inside:avoid-page;border:none}body{background:#fff}}
`;

export function renderPage(opts: PageOptions): string {
  const nav = opts.nav && opts.nav.length ? html`<nav class="sections" aria-label="Sections">${opts.nav.map((n) => html`<a href="#${n.id}">${n.label}</a>`)}</nav>` : '';
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="nadir">
<title>${opts.title}</title>
<style>${raw(REPORT_CSS)}</style>
</head>
<body>
<header class="page"><h1>${opts.title}</h1>${opts.subtitle !== undefined ? html`<div class="subtitle">${opts.subtitle}</div>` : ''}</header>
${nav}
<main>
${opts.body}
</main>
${opts.footer !== undefined ? html`<footer class="page">${opts.footer}</footer>` : ''}
</body>
</html>
`;
  return page.value;
}

export function section(id: string, title: string, body: HtmlValue, intro?: HtmlValue): SafeHtml {
  return html`<section class="report" id="${id}"><h2>${title}</h2>${intro !== undefined ? html`<p class="intro">${intro}</p>` : ''}${body}</section>`;
}

export interface Card {
  label: HtmlValue;
  value: HtmlValue;
  hint?: HtmlValue;
}

export function cards(items: readonly Card[]): SafeHtml {
  return html`<div class="cards">${items.map((c) => html`<div class="card"><div class="value">${c.value}</div><div class="label">${c.label}</div>${c.hint !== undefined ? html`<div class="hint">${c.hint}</div>` : ''}</div>`)}</div>`;
}

export function callout(kind: 'note' | 'warn' | 'ok', body: HtmlValue): SafeHtml {
  return html`<div class="callout${kind === 'note' ? '' : ' ' + kind}">${body}</div>`;
}

export function badge(text: string, kind: 'ok' | 'warn' | 'bad' | 'info' | 'muted'): SafeHtml {
  return html`<span class="badge ${kind}">${text}</span>`;
}
