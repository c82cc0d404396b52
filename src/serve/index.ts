export { createServer } from './server.js';
export { DEFAULT_LIMITS } from './types.js';
export type { ModelEntry, ServeContext, ServeLimits, ServeOptions } from './types.js';
export { ServedModel } from './served-model.js';
