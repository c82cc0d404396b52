import type { DatasetFormat, TargetKind } from '../data/types.js';
import type { Metrics } from '../eval/types.js';
import type { PipelineJSON } from '../features/pipeline.js';
import type { SerializedModel } from '../learners/types.js';
import type { DecisionPolicy } from './decision.js';

export interface ImportanceEntry {
  feature: string;
  importance: number;
  std?: number;
}

/** A data file a model was trained or tested on. */
export interface FileProvenance {
  file: string;
  sha256: string;
  contentSha256?: string;
  rows: number;
}

/** Everything a model file holds (see artifact.ts for the container). */
export interface ModelBody {
  kind: 'nadir-model';
  nadirVersion: string;
  createdAt: string;
  task: TargetKind;
  /** Class names in predictProba column order; binary: ['normal', 'attack']. */
  classes: string[];
  /** The raw input schema: what a record must hold. */
  schema: {
    format: DatasetFormat;
    labelColumn: string;
    normalLabels: string[];
    inputs: Array<{ name: string; kind: 'numeric' | 'categorical'; categories?: readonly string[] }>;
    /**
     * Columns of the training data recognised as identifiers (addresses, times, flow ids) and
     * not used as inputs: a record may hold them, and predictions pass them through. Absent in
     * models made before column roles.
     */
    ignored?: Array<{ name: string; role: string }>;
  };
  pipeline: PipelineJSON;
  learner: SerializedModel;
  /** How scores become a verdict: the most probable class, or a threshold on P(attack) / an anomaly score (decision.ts). */
  decision: DecisionPolicy;
  /**
   * Cross-validation (out-of-fold) and hold-out metrics, by test file name. Binary models written
   * since nadir stored them hold their ROC and PR curves too (`curves`, ≤ 200 points each); older
   * files have none.
   */
  metrics: { cv?: Metrics; test?: Record<string, Metrics> };
  importance: { gain?: ImportanceEntry[]; permutation?: ImportanceEntry[] };
  /** Raw label values of the training rows (to count test rows of labels never seen in training); absent in older files. */
  trainLabels?: string[];
  /** Per output feature training mean (linear explanations' baseline). */
  featureMeans?: number[];
  provenance: {
    /**
     * `sha256`: of the file's bytes as read (for a .gz file, the compressed bytes).
     * `contentSha256`: gzip files only, of the decompressed content — what `zcat f.gz | sha256sum`
     * prints and what checksum lists of the uncompressed data (data/nsl-kdd/SHA256SUMS) give.
     */
    data: FileProvenance;
    tests: FileProvenance[];
    options: Record<string, unknown>;
    command: string;
    node: string;
  };
  timings: Record<string, number>;
}
