export { recogniseNslKdd, NSL_KDD_COLUMNS, NSL_KDD_CATEGORIES, NSL_KDD_FEATURES } from './nsl-kdd.js';
export { recogniseCicIds2017, cicCategory } from './cic-ids2017.js';
export { CIC_IDS2017_COLUMNS, CIC_IDS2017_FEATURES, CIC_IDS2017_ALIASES, canonicalCicName, canonicalHeader, suggestColumn } from './cicids.js';
export { recogniseUnswNb15 } from './unsw-nb15.js';
export { recogniseGeneric, LABEL_CANDIDATES, DEFAULT_NORMAL } from './generic.js';
export { recognise } from './recognise.js';
export type { Recognition, Peek } from './types.js';
export { recogniseZeekConn, recogniseSuricataEve } from './flow-logs.js';
