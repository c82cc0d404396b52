/** Plain-text tables for the terminal and Markdown tables for docs/benchmarks.md. */

export type Cell = string | number | null | undefined;

export function fmtSeconds(s: Cell): string {
  if (typeof s !== 'number' || !Number.isFinite(s)) return '—';
  if (s < 0.001) return `${(s * 1e6).toFixed(0)} µs`;
  if (s < 1) return `${(s * 1000).toFixed(s < 0.01 ? 2 : s < 0.1 ? 1 : 0)} ms`;
  return `${s.toFixed(s < 10 ? 2 : 1)} s`;
}

export function fmtMB(mb: Cell): string {
  if (typeof mb !== 'number' || !Number.isFinite(mb)) return '—';
  return mb >= 1000 ? `${(mb / 1024).toFixed(2)} GB` : `${mb.toFixed(0)} MB`;
}

export function fmtRate(perSecond: Cell): string {
  if (typeof perSecond !== 'number' || !Number.isFinite(perSecond)) return '—';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(0)} k/s`;
  return `${perSecond.toFixed(0)}/s`;
}

export function fmtRatio(r: Cell): string {
  if (typeof r !== 'number' || !Number.isFinite(r)) return '—';
  return `${r.toFixed(r < 0.1 ? 3 : 2)}×`;
}

export function fmtNum(x: Cell, digits = 4): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x === null || x === undefined || typeof x === 'number' ? '—' : x;
  return x.toFixed(digits);
}

export function fmtInt(x: Cell): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '—';
  return x.toLocaleString('en-US');
}

function text(c: Cell): string {
  return c === null || c === undefined ? '—' : String(c);
}

/** A boxed-free aligned table: first column left, the others right-aligned. */
export function renderTable(title: string, header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = [header.map(text), ...rows.map((r) => r.map(text))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [`\n${title}`, line(cells[0]!), sep, ...cells.slice(1).map(line)].join('\n');
}

/** The same table as GitHub Markdown (numeric columns right-aligned). */
export function renderMarkdown(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const esc = (c: Cell): string => text(c).replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `| ${header.map((_, i) => (i > 0 && rows.every((r) => /^([\d.,—−-]|n\/a)/.test(text(r[i])) ) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
