/** Number formatting shared by the reports: readable, locale-independent (en-US grouping). */

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Integer with thousands separators; '–' for NaN. */
export function formatInt(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '–' : x > 0 ? '∞' : '−∞';
  return INT.format(x);
}

/**
 * A number with `digits` significant digits, thousands separators for large values and
 * scientific notation for very small or very large ones; '–' for NaN.
 */
export function formatNumber(x: number, digits = 4): string {
  if (Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const ax = Math.abs(x);
  if (ax >= 1e12 || ax < 1e-4) return x.toExponential(digits - 1).replace(/-/g, '−');
  if (Number.isInteger(x) && ax < 1e15) return INT.format(x).replace('-', '−');
  const s = new Intl.NumberFormat('en-US', { maximumSignificantDigits: digits }).format(x);
  return s.replace('-', '−');
}

/** A p-value: '< 1e−300' style for underflow, scientific below 1e−4, 4 significant digits otherwise. */
export function formatP(p: number): string {
  if (Number.isNaN(p)) return '–';
  if (p === 0) return '< 1e−300';
  if (p < 1e-4) return p.toExponential(2).replace(/-/g, '−');
  return formatNumber(p, 3);
}

/** A p-value with its relation for running text: 'p = 0.0123' or 'p < 1e−300'. */
export function pText(p: number): string {
  const f = formatP(p);
  return f.startsWith('<') ? `p ${f}` : `p = ${f}`;
}

/** A share in [0, 1] as a percentage. */
export function formatPercent(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '–';
  const v = 100 * x;
  if (v > 0 && v < Math.pow(10, -digits)) return `< ${Math.pow(10, -digits).toFixed(digits)}%`;
  return `${v.toFixed(digits)}%`;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** Seconds with sensible precision. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`;
}
