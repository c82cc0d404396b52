/**
 * HTML building with escaping by default: the `html` tag escapes every interpolated value
 * unless it is already SafeHtml (the output of `html`, `raw`, or a helper). Reports are built
 * from strings that come from user data (column names, category values, file names), so
 * nothing reaches the page unescaped by accident.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Mark a trusted string (e.g. an SVG rendered by vega) as HTML. */
export function raw(s: string): SafeHtml {
  return new SafeHtml(s);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<td>${name}</td>\`` escapes `name`; arrays are joined; null/undefined/false render nothing. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Join fragments with an optional separator. */
export function joinHtml(parts: readonly HtmlValue[], sep = ''): SafeHtml {
  return new SafeHtml(parts.map(render).join(sep));
}
