import { nadirError, opt } from '../errors.js';
import type { Dataset } from './types.js';

/**
 * The dataset without the `drop` columns (identifiers such as a flow id or a timestamp, or any
 * input column), and without their data-quality findings. Every name must be a column of the
 * dataset (an input or a recognised identifier); errors name the option `drop`.
 */
export function dropColumns(ds: Dataset, drop: ReadonlySet<string>): Dataset {
  if (drop.size === 0) return ds;
  const names = new Set(ds.features.columns.map((c) => c.name));
  const ids = new Set((ds.identifiers ?? []).map((i) => i.column.name));
  for (const d of drop) {
    if (names.has(d) || ids.has(d)) continue;
    if (d === ds.labelColumn) throw nadirError('NADIR_ERR_BAD_OPTION', 'drop', `'${d}' is the label column of ${ds.source}; to use another label, give ${opt('label')}`);
    throw nadirError('NADIR_ERR_BAD_OPTION', 'drop', `no input column '${d}' in ${ds.source} (its columns: ${columnList([...names, ...ids])})`);
  }
  const left = [...names].filter((n) => !drop.has(n)).length;
  if (left === 0) throw nadirError('NADIR_ERR_BAD_OPTION', 'drop', `leaves no input column in ${ds.source}`);
  return {
    ...ds,
    features: { nRows: ds.features.nRows, columns: ds.features.columns.filter((c) => !drop.has(c.name)) },
    ...(ds.identifiers ? { identifiers: ds.identifiers.filter((i) => !drop.has(i.column.name)) } : {}),
    findings: ds.findings.filter((f) => f.column === undefined || !drop.has(f.column)),
  };
}

/**
 * The `keep` names (identifiers made model inputs, passed to the loader) checked against the
 * loaded dataset: each must be one of its columns; errors name the option `keep`.
 */
export function checkKeep(ds: Pick<Dataset, 'features' | 'identifiers' | 'source'> & { readonly labelColumn: string | null }, keep: readonly string[]): void {
  const names = new Set([...ds.features.columns.map((c) => c.name), ...(ds.identifiers ?? []).map((i) => i.column.name)]);
  for (const k of keep) {
    if (names.has(k)) continue;
    if (k === ds.labelColumn) throw nadirError('NADIR_ERR_BAD_OPTION', 'keep', `'${k}' is the label column of ${ds.source}`);
    throw nadirError('NADIR_ERR_BAD_OPTION', 'keep', `no column '${k}' in ${ds.source} (its columns: ${columnList([...names])})`);
  }
}

function columnList(names: readonly string[]): string {
  return names.slice(0, 12).map((n) => `'${n}'`).join(', ') + (names.length > 12 ? ', …' : '');
}
