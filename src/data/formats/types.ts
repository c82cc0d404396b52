import type { Column, DatasetFormat } from '../types.js';

/** What a format recogniser learns about a table. */
export interface Recognition {
  format: DatasetFormat;
  /** Column names to use (headerless formats name their columns; CIC-IDS2017 gives canonical names). */
  names?: string[];
  /** Header names changed to canonical ones (from, to), for a finding. */
  renamed?: Array<[string, string]>;
  /** Column pairs [first, copy] where the copy is dropped when it equals the first on every row (CIC-IDS2017's `Fwd Header Length` twice). */
  duplicates?: Array<[string, string]>;
  labelColumn: string | null;
  /** Columns that are neither features nor the label (e.g. NSL-KDD difficulty, UNSW id/attack_cat). */
  drop: string[];
  /** Raw label values counted as normal traffic (compared case-insensitively). */
  normalLabels: string[];
  /** Per-row category given the label column and all columns (by name). */
  categories: (labels: Column & { kind: 'categorical' }, byName: (n: string) => Column | undefined) => string[] | Int32Array;
}

/** What recognisers look at: the header (trimmed names, or null) and the first row's values as text. */
export interface Peek {
  header: string[] | null;
  width: number;
  /** A Zeek ASCII log's `#path` (`conn`, …), when the input is one. */
  logPath?: string;
  /** Value of column i in the first data row, as text. */
  firstRow: (i: number) => string | undefined;
}
