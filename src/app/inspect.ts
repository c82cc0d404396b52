import { buildTarget, classCounts } from '../data/target.js';
import type { ColumnRole } from '../data/roles.js';
import { opt, renderMessage } from '../errors.js';
import { MAX_CATEGORIES } from '../features/one-hot.js';
import type { Column, Dataset, Finding } from '../data/types.js';
import type { LoadedData } from '../data/load.js';

export interface ColumnSummary {
  name: string;
  kind: 'numeric' | 'categorical';
  /** 'feature' (a model input) or the identifier it was recognised as (ip-address, timestamp, flow-id, …: not a model input). */
  role: ColumnRole;
  missing: number;
  /** Distinct non-missing values (categorical: dictionary entries present). */
  distinct: number;
}

export interface InspectReport {
  file: string;
  format: string;
  rows: number;
  features: number;
  /** The label column; null for unlabelled data (a Zeek conn.log, EVE JSON without alerts, a flow table without a label). */
  label: string | null;
  columns: ColumnSummary[];
  /** Class distributions; null for unlabelled data. */
  classes: {
    binary: Record<string, number>;
    category: Record<string, number>;
    label: Record<string, number>;
  } | null;
  findings: Finding[];
  skippedRows: number;
}

/**
 * What `nadir inspect` shows: format, shape, column types and roles, class distributions,
 * data-quality findings. Unlabelled data (no label column) is described all the same, without
 * class distributions.
 */
export function inspectDataset(ds: Dataset | LoadedData): InspectReport {
  const n = ds.features.nRows;
  const summary = (c: Column, role: ColumnRole): ColumnSummary => {
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
    return { name: c.name, kind: c.kind, role, missing, distinct: seen.size };
  };
  // identifiers first (where flow files have them), then the model inputs
  const columns: ColumnSummary[] = [...(ds.identifiers ?? []).map((i) => summary(i.column, i.role)), ...ds.features.columns.map((c) => summary(c, 'feature'))];
  const labelled = ds.labels !== null && ds.categories !== null && ds.labelColumn !== null && ds.unlabelled !== true;
  const dist = (kind: 'binary' | 'category' | 'label'): Record<string, number> => {
    const t = buildTarget(ds as Dataset, kind);
    const counts = classCounts(t);
    return Object.fromEntries(t.classes.map((c, i) => [c, counts[i]!]));
  };
  return {
    file: ds.source,
    format: ds.format,
    rows: n,
    features: ds.features.columns.length,
    label: labelled ? ds.labelColumn : null,
    columns,
    classes: labelled ? { binary: dist('binary'), category: dist('category'), label: dist('label') } : null,
    findings: [...ds.findings, ...cardinalityFindings(columns)],
    skippedRows: ds.skippedRows,
  };
}

/** Categorical inputs with more categories than one-hot keeps by default: how many would share `<other>`. */
function cardinalityFindings(columns: readonly ColumnSummary[]): Finding[] {
  return columns
    .filter((c) => c.role === 'feature' && c.kind === 'categorical' && c.distinct > MAX_CATEGORIES)
    .map((c) => {
      const template = `column '${c.name}' has ${c.distinct.toLocaleString('en-US')} categories: one-hot keeps the ${MAX_CATEGORIES} most frequent (${opt('maxCategories')}), the other ${(c.distinct - MAX_CATEGORIES).toLocaleString('en-US')} would share one '<other>' column`;
      return { code: 'high-cardinality' as const, column: c.name, count: c.distinct - MAX_CATEGORIES, message: renderMessage(template), template };
    });
}
