/**
 * Shared-memory protocol of a histogram session (main thread ⇄ workers over an Int32Array
 * control block in the fit's heap; see hist-session.ts for the sequence).
 */
export const CTRL = {
  /** Bumped by the main thread for every command; workers Atomics.wait on it. */
  SEQ: 0,
  /** Current command: BUILD or EXIT. */
  CMD: 1,
  /** Next chunk to take (Atomics.add); LOCKED while the main thread sets a command up. */
  NEXT: 2,
  /** Number of chunks of the current command. */
  NCHUNKS: 3,
  /** Chunks finished. */
  COMPLETED: 4,
  /** Set to 1 by a worker that failed. */
  ERROR: 5,
  /** Byte offset of the chunk list (it moves when it has to grow). */
  TASKS_PTR: 6,
  /** Number of dense features in the shared feature list. */
  NDENSE: 7,
  SIZE: 8,
} as const;

export const CMD_BUILD = 1;
export const CMD_EXIT = 2;
export const LOCKED = 1 << 30;
