/**
 * Worker thread entry (compiled to dist/src/tree/parallel/worker.js next to pool.js, which
 * starts it by URL). The top of the tree engine: it imports the engine's stages, none of them
 * imports it.
 * Jobs, both over the fit's shared heap (one WebAssembly memory):
 * - 'grad-session': build boosting histogram chunks until EXIT (see hist-session.ts);
 * - 'forest': grow random-forest trees in a private arena, taking tree indices from a shared counter;
 * - 'predict': chunks of a parallel batch prediction (see ../predictor.ts rawParallel);
 * - 'bin': feature groups of fitBinMatrixParallel (../binner.ts).
 */
import { parentPort } from 'node:worker_threads';
import { binGroupsJob } from '../binner.js';
import { ForestTreeBuilder, type ForestSpec } from '../forest.js';
import { type Arena, Heap } from '../heap.js';
import { buildGradChunk, histOffset, TASK_WIDTH } from '../hist-builder.js';
import { type PredictJob, runPredictChunks } from '../predictor.js';
import type { BinnedData, FlatTree } from '../types.js';
import type { WasmMemory } from '../wasm/runtime.js';
import { CMD_EXIT, CTRL } from './protocol.js';

interface Msg {
  id: number;
  kind: string;
  [k: string]: unknown;
}

const port = parentPort!;

port.on('message', (m: Msg) => {
  try {
    if (m.kind === 'grad-session') gradSession(m);
    else if (m.kind === 'forest') forest(m);
    else if (m.kind === 'predict') predict(m);
    else if (m.kind === 'bin') {
      const heap = Heap.attach(m.memory as WasmMemory, m.arena as Arena);
      port.postMessage({ id: m.id, done: true, ...binGroupsJob(heap, m as unknown as Parameters<typeof binGroupsJob>[1]) });
    }
    else throw new Error(`unknown job kind '${m.kind}'`);
  } catch (e) {
    port.postMessage({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});

function gradSession(m: Msg): void {
  const memory = m.memory as WasmMemory;
  const heap = Heap.attach(memory);
  const data = m.data as BinnedData;
  const ent = m.ent as Int32Array;
  const gh = m.gh as Float32Array;
  const idx = m.idx as Uint32Array;
  const ctrl = m.ctrl as Int32Array;
  const dense = m.dense as Int32Array;
  const table = m.table as Int32Array;
  const histSize = m.histSize as number;
  let tasksAt = -1;
  let tasks: Int32Array = new Int32Array(0);
  let seen = 0;
  try {
    for (;;) {
      Atomics.wait(ctrl, CTRL.SEQ, seen);
      seen = Atomics.load(ctrl, CTRL.SEQ);
      if (Atomics.load(ctrl, CTRL.CMD) === CMD_EXIT) break;
      for (;;) {
        const k = Atomics.add(ctrl, CTRL.NEXT, 1);
        const nc = Atomics.load(ctrl, CTRL.NCHUNKS);
        if (k >= nc) break;
        const at = Atomics.load(ctrl, CTRL.TASKS_PTR);
        if (at !== tasksAt || tasks.length < TASK_WIDTH * nc) {
          // The chunk list moved (it grew) or the memory did: view it afresh.
          tasksAt = at;
          tasks = new Int32Array(memory.buffer, at, TASK_WIDTH * nc);
        }
        const w = TASK_WIDTH * k;
        const hist = heap.f64At(histOffset(table, tasks[w + 2]!, histSize), histSize);
        buildGradChunk(heap.k, data, ent, dense, Atomics.load(ctrl, CTRL.NDENSE), idx, tasks[w]!, tasks[w + 1]!, tasks[w + 3]!, gh, hist);
        if (Atomics.add(ctrl, CTRL.COMPLETED, 1) + 1 >= nc) Atomics.notify(ctrl, CTRL.COMPLETED);
      }
    }
  } catch (e) {
    Atomics.store(ctrl, CTRL.ERROR, 1);
    Atomics.notify(ctrl, CTRL.COMPLETED);
    throw e;
  }
  port.postMessage({ id: m.id, done: true });
}

function forest(m: Msg): void {
  const heap = Heap.attach(m.memory as WasmMemory, m.arena as Arena);
  const seeds = m.seeds as Uint32Array;
  const counter = m.counter as Int32Array;
  const builder = new ForestTreeBuilder(m.data as BinnedData, m.y as Int32Array, (m.sampleWeight as Float32Array | null) ?? null, m.spec as ForestSpec, heap);
  for (;;) {
    const t = Atomics.add(counter, 0, 1);
    if (t >= seeds.length) break;
    const tree = builder.grow(seeds[t]!);
    port.postMessage({ id: m.id, t, tree }, treeBuffers(tree));
  }
  port.postMessage({ id: m.id, done: true });
}

/** Kernels per shared memory (a model's heap is reused across prediction calls). */
const attached = new WeakMap<WasmMemory, Heap>();

function predict(m: Msg): void {
  const job = m as unknown as PredictJob;
  let heap = attached.get(job.memory);
  if (!heap) {
    heap = Heap.attach(job.memory);
    attached.set(job.memory, heap);
  }
  runPredictChunks(heap.k, job);
  port.postMessage({ id: m.id, done: true });
}

function treeBuffers(t: FlatTree): ArrayBuffer[] {
  return [t.feature, t.threshold, t.left, t.right, t.defaultLeft, t.value, t.cover, t.gain].map((a) => a.buffer as ArrayBuffer);
}
