import type { DatasetFormat, TargetKind } from '../data/types.js';
import type { Metrics } from '../eval/types.js';
import type { PipelineJSON } from '../features/pipeline.js';
import type { SerializedModel } from '../learners/types.js';

export interface ImportanceEntry {
  feature: string;
  importance: number;
  std?: number;
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
  };
  pipeline: PipelineJSON;
  learner: SerializedModel;
  /** Binary task: P(attack) ≥ threshold → attack. */
  threshold: number | null;
  /**
   * How the threshold was chosen: 'fixed', 'max-fpr' / 'f1' (out-of-fold scores, oofFpr/oofTpr), or
   * 'max-fpr-in-sample' (no CV: the training rows' own scores, trainFpr/trainTpr — optimistic).
   */
  thresholdInfo?: { method: string; maxFpr?: number; oofFpr?: number | null; oofTpr?: number | null; trainFpr?: number | null; trainTpr?: number | null };
  metrics: { cv?: Metrics; test?: Record<string, Metrics> };
  importance: { gain?: ImportanceEntry[]; permutation?: ImportanceEntry[] };
  /** Per output feature training mean (linear explanations' baseline). */
  featureMeans?: number[];
  provenance: {
    data: { file: string; sha256: string; rows: number };
    tests: Array<{ file: string; sha256: string; rows: number }>;
    options: Record<string, unknown>;
    command: string;
    node: string;
  };
  timings: Record<string, number>;
}
