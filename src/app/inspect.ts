import { buildTarget, classCounts } from '../data/target.js';
import type { Dataset, Finding } from '../data/types.js';

export interface ColumnSummary {
  name: string;
  kind: 'numeric' | 'categorical';
  missing: number;
  /** Distinct non-missing values (categorical: dictionary entries present). */
  distinct: number;
}

export interface InspectReport {
  file: string;
  format: string;
  rows: number;
  features: number;
  label: string;
  columns: ColumnSummary[];
  classes: {
    binary: Record<string, number>;
    category: Record<string, number>;
    label: Record<string, number>;
  };
  findings: Finding[];
  skippedRows: number;
}

/** What `nadir inspect` shows: format, shape, column types, class distributions, data-quality findings. */
export function inspectDataset(ds: Dataset): InspectReport {
  const n = ds.features.nRows;
  const columns: ColumnSummary[] = ds.features.columns.map((c) => {
    let missing = 0;
    const seen = new Set<number>();
    if (c.kind === 'numeric') {
      for (let i = 0; i < n; i++) {
        const v = c.values[i]!;
        if (v !== v) missing++;
        else if (seen.size < 100_000) seen.add(v);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = c.codes[i]!;
        if (v < 0) missing++;
        else seen.add(v);
      }
    }
    return { name: c.name, kind: c.kind, missing, distinct: seen.size };
  });
  const dist = (kind: 'binary' | 'category' | 'label'): Record<string, number> => {
    const t = buildTarget(ds, kind);
    const counts = classCounts(t);
    return Object.fromEntries(t.classes.map((c, i) => [c, counts[i]!]));
  };
  return {
    file: ds.source,
    format: ds.format,
    rows: n,
    features: ds.features.columns.length,
    label: ds.labelColumn,
    columns,
    classes: { binary: dist('binary'), category: dist('category'), label: dist('label') },
    findings: [...ds.findings],
    skippedRows: ds.skippedRows,
  };
}
