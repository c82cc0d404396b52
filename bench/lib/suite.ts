import type { Cell } from './format.js';
import type { PythonPeer } from './python.js';

export interface SuiteOptions {
  /** Short run: fewer repetitions and smaller data. */
  quick: boolean;
  /** Repetitions per timing (median taken): 3, or 1 with --quick. */
  reps: number;
  /** The Python peer, or null when it is unavailable (peer columns stay empty). */
  peer: PythonPeer | null;
  log: (s: string) => void;
  /** `--only a,b`: restrict a suite to these cases (learners: gbdt, rf, logreg, iforest). */
  only: string[] | null;
  /** `serve --soak [SECONDS]`: run only nadir's soak, for this many seconds. */
  soak?: number | null;
}

export interface ResultTable {
  title: string;
  header: string[];
  rows: Cell[][];
  notes?: string[];
}

export interface SuiteReport {
  suite: string;
  tables: ResultTable[];
  /** Raw measurements, written to bench/results/<suite>-<date>.json. */
  data: unknown;
}

export type Suite = (opts: SuiteOptions) => Promise<SuiteReport>;
