import type { Peek, Recognition } from './types.js';

/**
 * UNSW-NB15 (Moustafa & Slay 2015) training/testing sets: a header, `label` 0/1
 * (0 = normal) and `attack_cat` (Fuzzers, DoS, Exploits, …; `Normal` or empty for normal rows),
 * plus an `id` column (a row number: an identifier, see roles.ts).
 */
export function recogniseUnswNb15(p: Peek): Recognition | null {
  if (!p.header) return null;
  const names = new Set(p.header);
  if (!names.has('label') || !names.has('attack_cat')) return null;
  return {
    format: 'unsw-nb15',
    labelColumn: 'label',
    // `id` (a row number) is recognised as an identifier when loading, not dropped
    drop: ['attack_cat'],
    normalLabels: ['0'],
    categories: (labels, byName) => {
      const cat = byName('attack_cat');
      const out = new Array<string>(labels.codes.length);
      for (let i = 0; i < out.length; i++) {
        const isNormal = labels.codes[i]! >= 0 && labels.dictionary[labels.codes[i]!] === '0';
        let c = '';
        if (cat && cat.kind === 'categorical' && cat.codes[i]! >= 0) c = cat.dictionary[cat.codes[i]!]!.trim();
        out[i] = isNormal || c === '' || c.toLowerCase() === 'normal' ? (isNormal ? 'normal' : 'unknown') : c;
      }
      return out;
    },
  };
}
