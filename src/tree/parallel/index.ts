export { defaultThreads, getWorkers, terminateWorkers } from './pool.js';
export { ParallelGradHistBuilder } from './hist-session.js';
