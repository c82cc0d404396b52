export { SafeHtml, escapeHtml, html, joinHtml, raw } from './html.js';
export type { HtmlValue } from './html.js';
export { renderKeyValue, renderTable } from './table.js';
export type { TableColumn, TableOptions } from './table.js';
export { COLORS, THEME, prefixIds, renderChart, renderVegaLiteSvg } from './vega.js';
export type { VegaLiteSpec } from './vega.js';
export { REPORT_CSS, badge, callout, cards, renderPage, section } from './page.js';
export type { Card, NavItem, PageOptions } from './page.js';
