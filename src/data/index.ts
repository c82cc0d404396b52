export type * from './types.js';
export { getColumn } from './types.js';
export { loadData, loadDataset, dataFromRecords, requireLabel, takeRows, takeColumn } from './load.js';
export type { LoadOptions, LoadedData } from './load.js';
export { buildTarget, classCounts } from './target.js';
export { stratifiedKFold, stratifiedSplit } from './split.js';
export type { Fold } from './split.js';
export { assessQuality, countDuplicateRows } from './quality.js';
export { NSL_KDD_COLUMNS, NSL_KDD_CATEGORIES, cicCategory, LABEL_CANDIDATES, DEFAULT_NORMAL } from './formats/index.js';
