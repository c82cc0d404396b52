/** Number formatting shared by the reports, the EDA findings and the CLI: readable, locale-independent (en-US grouping). */

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
/** A count and its noun, plural unless one: `1 packet`, `3,292 packets`. */
export function formatCount(n: number, word: string): string {
  return `${formatInt(n)} ${word}${n === 1 ? '' : 's'}`;
}

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

/** A score with `digits` decimals (e.g. an AUC as 0.9731); `missing` ('–') when missing or not finite. */
export function formatFixed(x: number | null | undefined, digits = 4, missing = '–'): string {
  return x === null || x === undefined || !Number.isFinite(x) ? missing : x.toFixed(digits);
}

/** A signed difference with `digits` decimals and a true minus sign: '+0.0123', '−0.0040'. */
export function formatSigned(d: number, digits = 4): string {
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(digits)}`;
}

/** A difference of two shares in percentage points: 0.0123 → '+1.2 pts', −0.2 → '−20.0 pts'. */
export function formatSignedPoints(d: number): string {
  return `${formatSigned(100 * d, 1)} pts`;
}

/** A rate as a count per 10,000 (alert volumes): 0.00123 → '12', 0.000123 → '1.2'; '–' when not finite. */
export function formatPerTenThousand(rate: number): string {
  if (!Number.isFinite(rate)) return '–';
  const v = rate * 10000;
  return v < 10 ? formatNumber(Number(v.toFixed(1)), 3) : formatInt(Math.round(v));
}

/** An ISO 8601 time as 'YYYY-MM-DD HH:MM UTC' (the text itself when it is not a date). */
export function formatUtcMinute(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
