import type { Peek, Recognition } from './types.js';
import { mapLabels } from './map-labels.js';

/** Column names taken as the label when none is given, in order of preference (case-insensitive). */
export const LABEL_CANDIDATES = ['label', 'class', 'attack', 'target', 'attack_type', 'y'];

/** Label values counted as normal traffic when the format does not say (case-insensitive). */
export const DEFAULT_NORMAL = ['normal', 'benign', '0'];

/** Any table: the label is the named column, or the first column whose name is a usual label name. */
export function recogniseGeneric(p: Peek, label?: string): Recognition {
  const names = p.header ?? Array.from({ length: p.width }, (_, i) => `c${i}`);
  let labelColumn: string | null = null;
  if (label !== undefined) labelColumn = names.includes(label) ? label : null;
  else {
    for (const cand of LABEL_CANDIDATES) {
      const hit = names.find((n) => n.toLowerCase() === cand);
      if (hit) {
        labelColumn = hit;
        break;
      }
    }
  }
  return {
    format: 'generic',
    labelColumn,
    drop: [],
    normalLabels: DEFAULT_NORMAL,
    categories: (labels) => mapLabels(labels, (l) => (DEFAULT_NORMAL.includes(l.toLowerCase()) ? 'normal' : l)),
  };
}
