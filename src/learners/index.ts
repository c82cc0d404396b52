export type * from './types.js';
export { LogisticRegression } from './logistic-regression.js';
export type { LogisticRegressionOptions } from './logistic-regression.js';
export { IsolationForest, averagePathLength } from './isolation-forest.js';
export type { IsolationForestOptions } from './isolation-forest.js';
export { createLearner, learnerFromJSON, isLearnerType, describeLearner, LEARNER_TYPES } from './registry.js';
export type { LearnerType } from './registry.js';
export { minimizeLbfgs } from './lbfgs.js';
export type { Objective, LbfgsOptions, LbfgsResult } from './lbfgs.js';
