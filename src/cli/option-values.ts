/**
 * Parsing of option values typed on the command line. Every failure is
 * `invalid option <flag>: expected …, got '<value as typed>'` (NADIR_ERR_BAD_OPTION, exit 2),
 * so a message always names the flag the user wrote, never a library option name.
 */
import { nadirError } from '../errors.js';

export function badOption(flag: string, expected: string, value: unknown): Error {
  return nadirError('NADIR_ERR_BAD_OPTION', flag, `expected ${expected}, got '${String(value)}'`);
}

/** A decimal number as typed ('' and whitespace are not 0; hex, Infinity and NaN are refused). */
export function parseNumber(v: unknown): number {
  const s = String(v).trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return NaN;
  return Number(s);
}

/** A whole number in [min, max]. */
export function wholeNumber(v: unknown, flag: string, min: number, max = Infinity): number {
  const n = parseNumber(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw badOption(flag, max === Infinity ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`, v);
  }
  return n;
}

/** A number in [min, max]. */
export function numberIn(v: unknown, flag: string, min: number, max: number): number {
  const n = parseNumber(v);
  if (!(n >= min && n <= max)) throw badOption(flag, `a number from ${min} to ${max}`, v);
  return n;
}

/** A number > 0 (`hint` says what is typical). */
export function positiveNumber(v: unknown, flag: string, hint = ''): number {
  const n = parseNumber(v);
  if (!(n > 0 && Number.isFinite(n))) throw badOption(flag, `a number > 0${hint ? ` (${hint})` : ''}`, v);
  return n;
}

/**
 * An option value as typed → what the use case checks: a number when it reads as one, else the
 * text as typed (a word such as 'auto', or something the use case refuses, naming it).
 */
export function typedValue(v: unknown): unknown {
  if (v === undefined) return undefined;
  const n = parseNumber(v);
  return Number.isNaN(n) ? String(v) : n;
}
