/**
 * Boosting histograms on several threads. The main thread and nThreads-1 pool workers share
 * the fit's heap (one shared WebAssembly memory): binned data, gradients, row partition,
 * histogram pool, control block and chunk list all live there.
 *
 * Every `build` is one command: the main thread writes the chunk list (see tree/hist-builder:
 * fixed row chunks, so the result never depends on the thread count), publishes it, wakes the
 * workers (Atomics.notify), and then every thread — the main one included — takes chunks with
 * Atomics.add until none is left. The main thread waits (Atomics.wait, allowed on Node's main
 * thread) until all chunks are complete, then merges multi-chunk nodes. Between builds the
 * workers sleep in Atomics.wait; the session ends with an EXIT command.
 *
 * Ordering: a command is set up with NEXT locked, so a worker that wakes late can never take a
 * half-written chunk; all plain writes happen before the sequentially consistent store that
 * unlocks NEXT.
 */
import { nadirError } from '../../errors.js';
import type { Heap } from '../heap.js';
import { LocalGradHistBuilder, TASK_WIDTH } from '../hist-builder.js';
import type { BinnedData } from '../types.js';
import { getWorkers } from './pool.js';
import { CMD_BUILD, CMD_EXIT, CTRL, LOCKED } from './protocol.js';

/** How long the main thread waits for workers before declaring them lost. */
const STALL_MS = 120_000;

export class ParallelGradHistBuilder extends LocalGradHistBuilder {
  private readonly ctrl: Int32Array;
  private sharedChunks: Int32Array;
  private readonly sessions: Promise<void>[] = [];
  private failure: Error | null = null;
  private closed = false;

  /** `data` must have been binned into `heap`; uses nThreads-1 pool workers. */
  constructor(data: BinnedData, heap: Heap, nThreads: number) {
    super(data, heap);
    this.ctrl = heap.i32(CTRL.SIZE);
    this.ctrl[CTRL.CMD] = CMD_BUILD;
    this.ctrl[CTRL.NEXT] = LOCKED;
    this.ctrl[CTRL.NDENSE] = this.nDense;
    this.sharedChunks = heap.i32(TASK_WIDTH * 256);
    this.ctrl[CTRL.TASKS_PTR] = this.sharedChunks.byteOffset;
    for (const w of getWorkers(nThreads - 1)) {
      const session = w
        .run('grad-session', {
          memory: heap.memory,
          data,
          ent: this.ent,
          gh: this.gh,
          idx: this.idx,
          ctrl: this.ctrl,
          dense: this.dense,
          table: this.pool.table,
          histSize: this.histSize,
        })
        .catch((e: Error) => {
          this.failure = e;
        });
      this.sessions.push(session);
    }
  }

  override setDenseFeatures(features: Int32Array): void {
    super.setDenseFeatures(features);
    Atomics.store(this.ctrl, CTRL.NDENSE, features.length);
  }

  override build(tasks: Int32Array, nTasks: number): void {
    if (this.closed) throw nadirError('NADIR_ERR_INTERNAL', 'histogram session is closed');
    const nc = this.planChunks(tasks, nTasks);
    const local = this.chunkList;
    if (nc <= 1 || this.sessions.length === 0) {
      for (let t = 0; t < nc; t++) this.buildChunk(local, t);
    } else {
      const ctrl = this.ctrl;
      Atomics.store(ctrl, CTRL.NEXT, LOCKED);
      if (this.sharedChunks.length < TASK_WIDTH * nc) {
        this.sharedChunks = this.heap.i32(TASK_WIDTH * nc * 2);
        Atomics.store(ctrl, CTRL.TASKS_PTR, this.sharedChunks.byteOffset);
      }
      this.sharedChunks.set(local.subarray(0, TASK_WIDTH * nc));
      Atomics.store(ctrl, CTRL.NCHUNKS, nc);
      Atomics.store(ctrl, CTRL.COMPLETED, 0);
      Atomics.store(ctrl, CTRL.NEXT, 0);
      Atomics.add(ctrl, CTRL.SEQ, 1);
      Atomics.notify(ctrl, CTRL.SEQ);
      const c = this.sharedChunks;
      for (;;) {
        const t = Atomics.add(ctrl, CTRL.NEXT, 1);
        if (t >= nc) break;
        this.buildChunk(c, t);
        Atomics.add(ctrl, CTRL.COMPLETED, 1);
      }
      const start = Date.now();
      for (;;) {
        const done = Atomics.load(ctrl, CTRL.COMPLETED);
        if (done >= nc) break;
        if (Atomics.load(ctrl, CTRL.ERROR) !== 0) throw nadirError('NADIR_ERR_INTERNAL', 'a histogram worker failed');
        if (Date.now() - start > STALL_MS) throw nadirError('NADIR_ERR_INTERNAL', 'histogram workers stopped responding');
        Atomics.wait(ctrl, CTRL.COMPLETED, done, 100);
      }
    }
    this.mergeChunks();
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctrl, CTRL.CMD, CMD_EXIT);
    Atomics.add(this.ctrl, CTRL.SEQ, 1);
    Atomics.notify(this.ctrl, CTRL.SEQ);
    await Promise.all(this.sessions);
    if (this.failure) throw this.failure;
  }
}
