import type { IdentifierRole } from './roles.js';

/**
 * Columnar tables. Every column is a typed array; no per-row objects.
 * - numeric: Float64Array, missing = NaN (±Infinity kept as is and reported as a finding)
 * - categorical: Int32Array of dictionary codes, missing = -1
 */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

export type Column = NumericColumn | CategoricalColumn;
export type ColumnKind = Column['kind'];

export interface Table {
  readonly nRows: number;
  readonly columns: readonly Column[];
}

/** How a column's kind is chosen: inferred from its values unless overridden. */
export type KindOverrides = Readonly<Record<string, ColumnKind>>;

/** Recognised dataset formats. */
export type DatasetFormat = 'nsl-kdd' | 'cic-ids2017' | 'unsw-nb15' | 'zeek-conn' | 'suricata-eve' | 'generic';

/** Which target a learner is trained on. */
export type TargetKind = 'binary' | 'category' | 'label';

/** A target: class indices per row, in the order of `classes`. -1 = no label. */
export interface Target {
  readonly kind: TargetKind;
  readonly classes: readonly string[];
  readonly y: Int32Array;
}

/** A data-quality finding (also sent through the logger as a warning). */
export interface Finding {
  code:
    | 'missing-values'
    | 'infinity'
    | 'constant-column'
    | 'duplicate-rows'
    | 'mixed-types'
    | 'ragged-rows'
    | 'single-label'
    | 'duplicate-header'
    | 'padded-header'
    | 'all-missing'
    | 'missing-label'
    | 'no-normal-label'
    | 'identifier-like'
    | 'identifier-columns'
    | 'single-class'
    | 'labels-merged'
    | 'columns-renamed'
    | 'duplicate-column'
    | 'high-cardinality';
  message: string;
  /** The message with option names marked (errors.ts opt()), for a front end to spell them its way. */
  template?: string;
  column?: string;
  count?: number;
  examples?: Array<number | string>;
}

/** A column recognised as an identifier (an address, a time, a flow id): not a model input, kept for EDA and pass-through. */
export interface IdentifierColumn {
  readonly column: Column;
  readonly role: IdentifierRole;
}

/** A loaded, recognised dataset: features, raw labels and how to derive targets. */
export interface Dataset {
  readonly format: DatasetFormat;
  readonly source: string;
  /** Feature columns only (label and non-feature columns such as difficulty removed). */
  readonly features: Table;
  readonly labelColumn: string;
  /** Raw label per row as dictionary codes; -1 = missing. */
  readonly labels: CategoricalColumn;
  /** Raw label values counted as normal traffic for the binary target. */
  readonly normalLabels: readonly string[];
  /** Attack category per row (e.g. neptune → DoS; NSL-KDD map, UNSW attack_cat); normal rows are 'normal'. */
  readonly categories: CategoricalColumn;
  readonly findings: readonly Finding[];
  /**
   * Columns recognised as identifiers (roles.ts), in file order, with the features' rows: left
   * out of `features` unless kept (LoadOptions.keep). Absent for data built in memory.
   */
  readonly identifiers?: readonly IdentifierColumn[];
  /** Raw label per row as written in the file, when class names were normalised (`labels` holds the normalised names). */
  readonly rawLabels?: CategoricalColumn | null;
  /** Rows skipped while loading (wrong number of fields). */
  readonly skippedRows: number;
  /**
   * The file has no label column (a Zeek conn.log, EVE JSON without alerts, a flow table without
   * a label): every row is taken as normal traffic (load.ts asNormalTraffic), for an anomaly
   * detector and the label-free parts of the EDA.
   */
  readonly unlabelled?: boolean;
}

export function getColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}
