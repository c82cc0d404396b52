/**
 * `nadir eda --json`: the whole EdaResult as one JSON document. JSON has no NaN or
 * Infinity, so undefined statistics (NaN) and infinite ones (a t of ±∞ when both classes
 * are constant but different) are written as null.
 */
import type { EdaResult } from './types.js';

export function edaToJson(r: EdaResult | (EdaResult & Record<string, unknown>), space?: number): string {
  return JSON.stringify(r, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), space);
}
