export type { Explanation } from './types.js';
export { rowContributions } from './types.js';
export { treeShap, TreeShapExplainer, expectedValue, treeDepth } from './tree-shap.js';
export type { TreeShapOptions } from './tree-shap.js';
export { linearContributions, columnMeans } from './linear.js';
export type { LinearContributionsOptions, LinearModelParams } from './linear.js';
export { groupBySource, topContributions } from './group.js';
export type { Contribution } from './group.js';
