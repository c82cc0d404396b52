/**
 * nadir's library API: everything the CLI, the HTTP API and the dashboard use.
 *   import { loadDataset, buildTarget, Pipeline, createLearner, train } from 'nadir';
 */
export * from './data/index.js';
export * from './features/index.js';
export * from './learners/index.js';
export * from './eval/index.js';
export * from './explain/index.js';
export * from './eda/index.js';
export { fitBinMapper, binMatrix, fitBinMatrix, EnsemblePredictor } from './tree/index.js';
export type { BinnerOptions, BinDataOptions, FlatTree, TreeEnsemble } from './tree/index.js';
export { inspectDataset } from './app/inspect.js';
export type { InspectReport, ColumnSummary } from './app/inspect.js';
export { train, evaluateDataset, MODEL_TYPES, pipelineOptionsFor } from './app/train.js';
export type { TrainOptions, TrainResult, TestResult, ModelType } from './app/train.js';
export { predictData, displayLabel } from './app/predict.js';
export type { PredictOptions, Predictions } from './app/predict.js';
export { renderTrainingReport, writeTrainingReport } from './app/training-report.js';
export { renderEvaluationReport, writeEvaluationReport } from './app/evaluation-report.js';
export { Detector } from './model/detector.js';
export type { Scores } from './model/detector.js';
export { explainMatrix } from './model/explain.js';
export { encodeModel, decodeModel, saveModelFile, readModelFile, writeFileAtomic, MODEL_FORMAT_VERSION } from './model/artifact.js';
export type { ModelBody, ImportanceEntry } from './model/types.js';
export { NadirError, nadirError, isNadirError, ERRORS } from './errors.js';
export type { ErrorCode } from './errors.js';
export { CollectingLogger, silentLogger, stderrLogger } from './logger.js';
export type { Logger, Warning } from './logger.js';
export { Random } from './util/random.js';
export { NADIR_VERSION } from './version.js';
