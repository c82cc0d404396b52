import { opt, renderMessage } from '../errors.js';
import { classKey } from './class-names.js';
import type { CategoricalColumn, Dataset, Finding, Target, TargetKind } from './types.js';

export interface TargetOptions {
  /** Fix the class order (e.g. the training classes when building a test target); unknown values → -1. */
  classes?: readonly string[];
}

/**
 * The label a learner is trained on:
 * - binary: classes ['normal', 'attack'] (attack = 1 = the positive class);
 * - category: attack category (NSL-KDD DoS/Probe/R2L/U2R, UNSW attack_cat), 'normal' first;
 * - label: the raw label value, normal values first, then alphabetical (UTF-16 code order).
 * Category classes: 'normal' first, then alphabetical.
 */
export function buildTarget(ds: Dataset, kind: TargetKind, opts: TargetOptions = {}): Target {
  const n = ds.labels.codes.length;
  const y = new Int32Array(n);
  if (kind === 'binary') {
    const normal = new Set(ds.normalLabels.map((s) => s.toLowerCase()));
    const isNormal = ds.labels.dictionary.map((l) => normal.has(l.toLowerCase()));
    for (let i = 0; i < n; i++) {
      const c = ds.labels.codes[i]!;
      y[i] = c < 0 ? -1 : isNormal[c] ? 0 : 1;
    }
    return { kind, classes: ['normal', 'attack'], y };
  }
  const col = kind === 'category' ? ds.categories : ds.labels;
  let classes: readonly string[];
  if (opts.classes) classes = opts.classes;
  else {
    const present = new Set<number>();
    for (let i = 0; i < n; i++) if (col.codes[i]! >= 0) present.add(col.codes[i]!);
    // the category target names normal traffic exactly 'normal'; raw labels use the normal values
    const normal = new Set(ds.normalLabels.map((s) => s.toLowerCase()));
    const rank = (v: string): number => (kind === 'category' ? (v === 'normal' ? 0 : 1) : normal.has(v.toLowerCase()) ? 0 : 1);
    classes = [...present]
      .map((c) => col.dictionary[c]!)
      .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  // another file's spelling of a class (`Port Scan` for `PortScan`) is the same class
  const byKey = new Map(classes.map((c, i) => [classKey(c), i]));
  const perCode = col.dictionary.map((d) => index.get(d) ?? byKey.get(classKey(d)) ?? -1);
  for (let i = 0; i < n; i++) {
    const c = col.codes[i]!;
    y[i] = c < 0 ? -1 : perCode[c]!;
  }
  return { kind, classes, y };
}

/**
 * The finding when no label value present counts as normal (e.g. a CSV whose normal value is
 * 'benign-traffic'): the binary target would call every row an attack. Null when some does.
 */
export function noNormalFinding(labels: CategoricalColumn, normalLabels: readonly string[], source: string): Finding | null {
  const normal = new Set(normalLabels.map((s) => s.toLowerCase()));
  const isNormal = labels.dictionary.map((l) => normal.has(l.toLowerCase()));
  let any = false;
  for (let i = 0; i < labels.codes.length; i++) {
    const c = labels.codes[i]!;
    if (c >= 0) {
      any = true;
      if (isNormal[c]) return null;
    }
  }
  if (!any) return null;
  const template = `no label value counts as normal in ${source} (values: ${labelValueList(labels)}); name the normal ones with ${opt('normal')} <value>`;
  return { code: 'no-normal-label', column: labels.name, message: renderMessage(template), template };
}

/** Count of rows per class (rows with y = -1 are not counted). */
export function classCounts(t: Target): number[] {
  const counts = new Array<number>(t.classes.length).fill(0);
  for (let i = 0; i < t.y.length; i++) if (t.y[i]! >= 0) counts[t.y[i]!]!++;
  return counts;
}

/** The label values present in a column, for messages: the first `max` in order of appearance, then '…'. */
export function labelValueList(labels: CategoricalColumn, max = 6): string {
  const seen = new Uint8Array(labels.dictionary.length);
  const values: string[] = [];
  for (let i = 0; i < labels.codes.length; i++) {
    const c = labels.codes[i]!;
    if (c < 0 || seen[c]) continue;
    seen[c] = 1;
    values.push(labels.dictionary[c]!);
    if (values.length > max) break;
  }
  return values.slice(0, max).join(', ') + (values.length > max ? ', …' : '');
}
