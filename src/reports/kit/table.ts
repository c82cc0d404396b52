/** HTML tables for reports: numeric columns right-aligned, optional caption and row classes. */
import { html, type HtmlValue, type SafeHtml } from './html.js';

export interface TableColumn<R> {
  label: HtmlValue;
  /** Cell content for a row (text is escaped; return SafeHtml for markup). */
  cell: (row: R, index: number) => HtmlValue;
  align?: 'left' | 'right' | 'center';
  /** Tooltip on the header. */
  title?: string;
}

export interface TableOptions<R> {
  caption?: HtmlValue;
  /** Extra class on the <table>. */
  className?: string;
  /** Class per row (e.g. to dim non-significant rows). */
  rowClass?: (row: R, index: number) => string | undefined;
  /** Shown instead of an empty table. */
  empty?: HtmlValue;
}

export function renderTable<R>(columns: readonly TableColumn<R>[], rows: readonly R[], opts: TableOptions<R> = {}): SafeHtml {
  if (rows.length === 0 && opts.empty !== undefined) return html`<p class="empty">${opts.empty}</p>`;
  const head = columns.map((c) => html`<th class="${alignClass(c.align)}"${c.title ? html` title="${c.title}"` : ''}>${c.label}</th>`);
  const body = rows.map((r, i) => {
    const cls = opts.rowClass?.(r, i);
    return html`<tr${cls ? html` class="${cls}"` : ''}>${columns.map((c) => html`<td class="${alignClass(c.align)}">${c.cell(r, i)}</td>`)}</tr>`;
  });
  return html`<div class="table-wrap"><table class="data${opts.className ? ' ' + opts.className : ''}">${opts.caption !== undefined ? html`<caption>${opts.caption}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A two-column key/value table. */
export function renderKeyValue(rows: ReadonlyArray<readonly [HtmlValue, HtmlValue]>, caption?: HtmlValue): SafeHtml {
  return renderTable<readonly [HtmlValue, HtmlValue]>(
    [
      { label: 'what', cell: (r) => r[0] },
      { label: 'value', cell: (r) => r[1], align: 'right' },
    ],
    rows,
    caption === undefined ? { className: 'kv' } : { className: 'kv', caption },
  );
}

function alignClass(a: TableColumn<unknown>['align']): string {
  return a === 'right' ? 'num' : a === 'center' ? 'center' : '';
}
