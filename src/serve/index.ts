export { createServer } from './server.js';
export { DEFAULT_LIMITS } from './types.js';
export type { ModelEntry, ServeContext, ServeLimits, ServeOptions } from './types.js';
export { ServedModel } from './served-model.js';
export { DEFAULT_LIVE_FEED, type DetectionEvent, type LiveFeedOptions } from './plugins/events.js';
export type { DemoOptions, ObservedBatch, ObservedRecord, ScoreObserver } from './types.js';
