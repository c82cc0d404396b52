import type { CategoricalColumn } from '../types.js';

/** Per-row category from a per-label mapping, computed once per dictionary entry. */
export function mapLabels(labels: CategoricalColumn, f: (label: string) => string): string[] {
  const perCode = labels.dictionary.map((l) => f(l));
  const out = new Array<string>(labels.codes.length);
  for (let i = 0; i < out.length; i++) {
    const c = labels.codes[i]!;
    out[i] = c < 0 ? '' : perCode[c]!;
  }
  return out;
}
