/**
 * nadir's library API: everything the CLI, the HTTP API and the dashboard use.
 *   import { loadDataset, buildTarget, Pipeline } from 'nadir';
 */
export * from './data/index.js';
export * from './features/index.js';
export { inspectDataset } from './app/inspect.js';
export type { InspectReport, ColumnSummary } from './app/inspect.js';
export { NadirError, nadirError, isNadirError, ERRORS } from './errors.js';
export type { ErrorCode } from './errors.js';
export { CollectingLogger, silentLogger, stderrLogger } from './logger.js';
export type { Logger, Warning } from './logger.js';
export { Random } from './util/random.js';
