/**
 * Vega-Lite specs rendered to inline SVG on the server (vega's headless 'none' renderer +
 * toSVG), so reports need no JavaScript and no network to show their charts. One theme for
 * every report; ids inside each SVG (clip paths, gradients) are prefixed per chart so many
 * charts can live in one page.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { html, raw, type SafeHtml } from './html.js';

export type VegaLiteSpec = TopLevelSpec;

/** Colours: normal traffic blue, attacks red; then a categorical palette (Tableau 10). */
export const COLORS = {
  normal: '#4C78A8',
  attack: '#E45756',
  accent: '#2F6690',
  muted: '#9AA5B1',
  palette: ['#4C78A8', '#E45756', '#F58518', '#72B7B2', '#54A24B', '#EECA3B', '#B279A2', '#FF9DA6', '#9D755D', '#BAB0AC'],
} as const;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Shared Vega-Lite config: quiet axes, readable labels, no chart border. */
export const THEME = {
  font: FONT,
  background: '#ffffff',
  view: { stroke: null },
  axis: { labelColor: '#3d4852', titleColor: '#3d4852', gridColor: '#e9edf1', domainColor: '#c3cbd3', tickColor: '#c3cbd3', labelFontSize: 10, titleFontSize: 11, titleFontWeight: 600 },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'top', direction: 'horizontal', symbolType: 'square' },
  title: { fontSize: 13, fontWeight: 600, anchor: 'start', color: '#1f2933', subtitleColor: '#66727f', subtitleFontSize: 11 },
  range: { category: [...COLORS.palette] },
  bar: { color: COLORS.accent },
} as const;

let chartCounter = 0;

/** Render a Vega-Lite spec to an SVG string (the theme is merged under the spec's own config). */
export async function renderVegaLiteSvg(spec: VegaLiteSpec): Promise<string> {
  const withTheme = { ...spec, config: { ...THEME, ...((spec as { config?: object }).config ?? {}) } } as unknown as VegaLiteSpec;
  const compiled = compile(withTheme).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, `c${++chartCounter}-`);
  } finally {
    view.finalize();
  }
}

/** Render a spec into a <figure> with an accessible label and an optional caption. */
export async function renderChart(spec: VegaLiteSpec, opts: { label: string; caption?: string; className?: string }): Promise<SafeHtml> {
  const svg = await renderVegaLiteSvg(spec);
  const withRole = svg.replace('<svg ', `<svg role="img" aria-label="${escapeAttr(opts.label)}" `);
  return html`<figure class="chart${opts.className ? ' ' + opts.className : ''}">${raw(withRole)}${opts.caption ? html`<figcaption>${opts.caption}</figcaption>` : ''}</figure>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Prefix every id and its references (url(#id), href="#id") inside one SVG document. */
export function prefixIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}${id}"`);
}
