import { accessSync, constants, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isNadirError, nadirError, renderMessage } from '../errors.js';
import { flagOf } from './flags.js';

/** One machine-readable JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A user-facing failure: one line on stderr, non-zero exit. Stack traces only with NADIR_DEBUG=1. */
export function fail(e: unknown): never {
  if (process.env.NADIR_DEBUG) console.error(e);
  const f = failure(e);
  process.stderr.write(`nadir: ${f.message}\n`);
  process.exit(f.exitCode);
}

/** What fail() prints (without `nadir: `) and its exit code: 2 for bad input or usage, 1 otherwise. */
export function failure(e: unknown): { message: string; exitCode: number } {
  // option names in the message are spelled as the flags the user typed
  const msg = isNadirError(e) ? renderMessage(e.template, flagOf) : e instanceof Error ? e.message : String(e);
  return { message: msg.split('\n')[0]!, exitCode: isNadirError(e) && e.status < 500 ? 2 : 1 };
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

/**
 * Refuse, before any long work (loading, training), an output path that cannot be written:
 * an existing folder or other non-regular file (writes go to a temp file renamed over the
 * target, which would replace a device such as /dev/null), a parent folder that does not
 * exist, is not a folder or is not writable. `option` is the flag as typed (`--out`).
 */
export function checkWritable(option: string, path: string): void {
  const bad = (why: string): Error => nadirError('NADIR_ERR_BAD_INPUT', `cannot write ${option} ${path}: ${why}`);
  const target = statOrNull(path, bad);
  if (target?.isDirectory()) throw bad('it is a directory');
  if (target && !target.isFile()) throw bad('it is not a regular file');
  if (/[\\/]$/.test(path)) throw bad('it names a folder, not a file');
  const folder = dirname(path);
  const f = statOrNull(folder, bad);
  if (!f) throw bad(`folder ${folder} does not exist`);
  if (!f.isDirectory()) throw bad(`${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw bad(`folder ${folder} is not writable`);
  }
}

/**
 * checkWritable for every output a command will write, and no output twice or over one of
 * the command's inputs. Each entry is [flag, path]; entries with an undefined path are skipped.
 */
export function checkOutputs(outputs: ReadonlyArray<readonly [string, string | undefined]>, inputs: ReadonlyArray<readonly [string, string | undefined]> = []): void {
  const seen: Array<readonly [string, string]> = [];
  for (const [option, path] of inputs) if (path !== undefined && path !== '-') seen.push([option, resolve(path)]);
  for (const [option, path] of outputs) {
    if (path === undefined) continue;
    checkWritable(option, path);
    const same = seen.find(([, p]) => p === resolve(path));
    if (same) throw nadirError('NADIR_ERR_BAD_INPUT', `cannot write ${option} ${path}: it is also the ${same[0]} file`);
    seen.push([option, resolve(path)]);
  }
}

/** stat, or null when nothing is there (ENOENT; ENOTDIR: a path component is a file). */
function statOrNull(path: string, bad: (why: string) => Error): Stats | null {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw bad(`cannot check ${path} (${code ?? String(e)})`);
  }
}
