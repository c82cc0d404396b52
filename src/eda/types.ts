/**
 * The result of `nadir eda`: every number the report shows, as plain JSON-ready data
 * (arrays of numbers, no typed arrays; NaN/±Infinity become null when serialised).
 */
import type { DatasetFormat, Finding, TargetKind } from '../data/types.js';
import type { HistogramScale } from './histogram.js';

export interface EdaOptions {
  /** Grouping used for per-class charts and the class table (tests are always attack vs normal). Default 'binary'. */
  target?: TargetKind;
  /** Analyse a uniform random sample of this many rows (seeded). */
  sample?: number;
  /** Seed of the row sample (default 42). */
  seed?: number;
  /** Significance level for the words in the ranking (default 0.05, on BH-adjusted p). */
  alpha?: number;
  /**
   * Upper bound on rows × column pairs for the correlation pass; beyond it the correlations
   * are computed on a seeded row sample (and the result says so). Default 2e9.
   */
  correlationBudget?: number;
  /** Progress callback: stage name, items done, items total. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface ClassCounts {
  classes: string[];
  counts: number[];
  /** Largest class count / smallest non-zero class count (NaN with fewer than two classes). */
  imbalanceRatio: number;
}

export interface ClassDistribution {
  binary: ClassCounts;
  category: ClassCounts;
  label: ClassCounts;
  /** Rows without a label. */
  unlabeled: number;
}

export interface ColumnMissing {
  column: string;
  missing: number;
  posInf: number;
  negInf: number;
}

export interface Overview {
  rows: number;
  columns: number;
  numericColumns: number;
  categoricalColumns: number;
  /** The label column; null for unlabelled data. */
  labelColumn: string | null;
  /** Bytes held by the analysed columns' typed arrays. */
  memoryBytes: number;
  /** Duplicated rows (features + label), from the loader's findings. */
  duplicates: number;
  constantColumns: string[];
  allMissingColumns: string[];
  /** Columns with missing or infinite cells. */
  missing: ColumnMissing[];
  totalMissing: number;
  totalInfinite: number;
  findings: Finding[];
}

export interface Quantiles {
  p01: number;
  p05: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
}

export interface BoxStats {
  n: number;
  mean: number;
  q1: number;
  median: number;
  q3: number;
  /** Most extreme values inside the 1.5·IQR fences. */
  whiskerLow: number;
  whiskerHigh: number;
  min: number;
  max: number;
}

export interface HistogramResult {
  scale: HistogramScale;
  /** 'discrete': the distinct values; otherwise bins+1 edges. */
  edges: number[];
  /** All rows. */
  counts: number[];
  /** Per target class (order of `EdaResult.classes.target`). */
  byClass: number[][];
}

export interface OutlierCounts {
  lower: number;
  upper: number;
  count: number;
  /** Outliers among attack rows; share = attacks / labelled outliers. */
  attacks: number;
  attackShare: number;
}

export interface NumericColumnResult {
  name: string;
  count: number;
  missing: number;
  posInf: number;
  negInf: number;
  mean: number;
  std: number;
  min: number;
  quantiles: Quantiles;
  max: number;
  skewness: number;
  zerosShare: number;
  distinct: number;
  constant: boolean;
  allMissing: boolean;
  heavyTailed: boolean;
  histogram: HistogramResult | null;
  /** Box statistics per target class. */
  byClass: BoxStats[];
  outliers: {
    iqr: OutlierCounts & { q1: number; q3: number };
    robustZ: OutlierCounts & { median: number; mad: number; meanAd: number; method: 'mad' | 'meanad' | 'none' };
  } | null;
}

export interface CategoryValue {
  value: string;
  count: number;
  share: number;
  /** Share of attacks among labelled rows with this value. */
  attackRate: number;
}

export interface CategoricalColumnResult {
  name: string;
  count: number;
  missing: number;
  distinct: number;
  constant: boolean;
  allMissing: boolean;
  /** Most frequent values (up to 20). */
  top: CategoryValue[];
  /** Rows holding values outside `top`. */
  otherCount: number;
}

export interface NumericTest {
  feature: string;
  nNormal: number;
  nAttack: number;
  meanNormal: number;
  meanAttack: number;
  medianNormal: number;
  medianAttack: number;
  /** Welch's t of attack minus normal. */
  welch: { t: number; df: number; p: number; pAdjusted: number; cohenD: number };
  mannWhitney: { u: number; z: number; p: number; pAdjusted: number; rankBiserial: number };
  /** Why the tests were not run (constant, all missing, …). */
  skipped?: string;
}

export interface CategoricalTest {
  feature: string;
  chi2: number;
  dof: number;
  p: number;
  pAdjusted: number;
  cramersV: number;
  n: number;
  skipped?: string;
}

export type Agreement = 'both significant' | 'only Mann–Whitney' | 'only t-test' | 'neither' | 'chi-square';

export interface RankedFeature {
  rank: number;
  feature: string;
  kind: 'numeric' | 'categorical';
  /** |rank-biserial r| for numeric features, Cramér's V for categorical ones (both in [0, 1]). */
  strength: number;
  measure: 'rank-biserial' | "Cramér's V";
  direction: 'higher in attacks' | 'lower in attacks' | null;
  significant: boolean;
  agreement: Agreement;
  /** One or two sentences for the report. */
  explanation: string;
}

export interface CorrelationResult {
  columns: string[];
  /** Row-major k × k. */
  pearson: number[][];
  spearman: number[][];
  highPairs: { pearson: Array<{ a: string; b: string; r: number }>; spearman: Array<{ a: string; b: string; r: number }> };
  threshold: number;
  rowsUsed: number;
  sampled: boolean;
  /** Numeric columns left out (constant or all missing). */
  excluded: string[];
}

/** An identifier column (an address, a time, a flow id): not a model input; its distinct count and top talkers. */
export interface IdentifierSummary {
  name: string;
  /** The identifier kind (data/roles.ts): ip-address, timestamp, flow-id, … */
  role: string;
  description: string;
  distinct: number;
  missing: number;
  /** The values on most rows (most first), with how many of those rows are attacks. */
  top: Array<{ value: string; rows: number; attackRows: number }>;
}

export interface EdaResult {
  source: string;
  format: DatasetFormat;
  target: TargetKind;
  rows: { total: number; analysed: number; sampled: boolean; seed: number | null; skippedWhileLoading: number };
  overview: Overview;
  /** `target`: the chosen grouping; `isAttack[k]` tells whether target class k is attack traffic. */
  classes: ClassDistribution & { target: ClassCounts; isAttack: boolean[] };
  numeric: NumericColumnResult[];
  categorical: CategoricalColumnResult[];
  correlation: CorrelationResult | null;
  tests: { numeric: NumericTest[]; categorical: CategoricalTest[]; alpha: number; testsRun: boolean };
  ranking: RankedFeature[];
  /** Identifier columns (not model inputs, not tested or ranked): distinct counts and top talkers. */
  identifiers: IdentifierSummary[];
  /** No label column: every row was taken as normal traffic, and the label-linked parts were skipped (see notes). */
  unlabelled: boolean;
  /** Plain-language notes on what could not be done and why (single class, no numeric columns, …). */
  notes: string[];
  timings: Record<string, number>;
}
