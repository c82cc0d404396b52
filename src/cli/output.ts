import { isNadirError } from '../errors.js';

/** One machine-readable JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A user-facing failure: one line on stderr, non-zero exit. Stack traces only with NADIR_DEBUG=1. */
export function fail(e: unknown): never {
  if (process.env.NADIR_DEBUG) console.error(e);
  const msg = isNadirError(e) ? e.message : e instanceof Error ? e.message : String(e);
  process.stderr.write(`nadir: ${msg.split('\n')[0]}\n`);
  process.exit(isNadirError(e) && e.status < 500 ? 2 : 1);
}

/** Left-aligned text table. */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>, header?: readonly string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths: number[] = [];
  for (const r of all) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, String(c).length)));
  const fmt = (r: ReadonlyArray<string | number>): string =>
    r.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!))).join('  ').trimEnd();
  const lines = all.map(fmt);
  if (header) lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}
