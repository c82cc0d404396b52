import { nadirError, opt } from '../errors.js';
import type { Dataset } from './types.js';

/**
 * The dataset without the `drop` input columns (identifiers such as a flow id or a timestamp),
 * and without their data-quality findings. Every name must be an input column of the dataset;
 * errors name the option `drop`.
 */
export function dropColumns(ds: Dataset, drop: ReadonlySet<string>): Dataset {
  if (drop.size === 0) return ds;
  const names = new Set(ds.features.columns.map((c) => c.name));
  for (const d of drop) {
    if (names.has(d)) continue;
    if (d === ds.labelColumn) throw nadirError('NADIR_ERR_BAD_OPTION', 'drop', `'${d}' is the label column of ${ds.source}; to use another label, give ${opt('label')}`);
    const list = [...names].slice(0, 12).map((n) => `'${n}'`).join(', ');
    throw nadirError('NADIR_ERR_BAD_OPTION', 'drop', `no input column '${d}' in ${ds.source} (its columns: ${list}${names.size > 12 ? ', …' : ''})`);
  }
  if (drop.size >= names.size) throw nadirError('NADIR_ERR_BAD_OPTION', 'drop', `leaves no input column in ${ds.source}`);
  return {
    ...ds,
    features: { nRows: ds.features.nRows, columns: ds.features.columns.filter((c) => !drop.has(c.name)) },
    findings: ds.findings.filter((f) => f.column === undefined || !drop.has(f.column)),
  };
}
