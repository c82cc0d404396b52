/**
 * Worker thread entry (compiled to dist/src/parallel/worker.js, started by pool.ts).
 * Jobs:
 * - 'grad-session': build boosting histogram chunks on shared memory until EXIT (see hist-session.ts);
 * - 'forest': grow random-forest trees, taking tree indices from a shared counter.
 */
import { type MessagePort, parentPort, receiveMessageOnPort } from 'node:worker_threads';
import type { FlatTree } from '../learners/types.js';
import { ForestTreeBuilder, type ForestSpec } from '../tree/forest.js';
import { buildGradChunk, HIST_CHUNK, TASK_WIDTH } from '../tree/hist-builder.js';
import type { BinnedData } from '../tree/types.js';
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
    else throw new Error(`unknown job kind '${m.kind}'`);
  } catch (e) {
    port.postMessage({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});

function gradSession(m: Msg): void {
  const data = m.data as BinnedData;
  const ent = m.ent as Int32Array;
  const gh = m.gh as Float32Array;
  const idx = m.idx as Uint32Array;
  const ctrl = m.ctrl as Int32Array;
  const dense = m.dense as Int32Array;
  const histSize = m.histSize as number;
  const sync = m.port as MessagePort;
  let chunks = m.chunks as Int32Array;
  const poolChunks: Float64Array[] = [];
  let gen = 0;
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
        if (Atomics.load(ctrl, CTRL.GEN) !== gen) {
          // New pool chunks or a bigger chunk list: they were posted before GEN was bumped.
          for (let r = receiveMessageOnPort(sync); r; r = receiveMessageOnPort(sync)) {
            const u = r.message as { gen: number; poolChunk?: Float64Array; chunkList?: Int32Array };
            if (u.poolChunk) poolChunks.push(u.poolChunk);
            if (u.chunkList) chunks = u.chunkList;
            gen = u.gen;
          }
        }
        const w = TASK_WIDTH * k;
        const id = chunks[w + 2]!;
        const c = Math.floor(id / HIST_CHUNK);
        const at = (id - c * HIST_CHUNK) * histSize;
        const hist = poolChunks[c]!.subarray(at, at + histSize);
        const nDense = Atomics.load(ctrl, CTRL.NDENSE);
        buildGradChunk(data, ent, dense.subarray(0, nDense), idx, chunks[w]!, chunks[w + 1]!, chunks[w + 3]!, gh, hist);
        if (Atomics.add(ctrl, CTRL.COMPLETED, 1) + 1 >= nc) Atomics.notify(ctrl, CTRL.COMPLETED);
      }
    }
  } catch (e) {
    Atomics.store(ctrl, CTRL.ERROR, 1);
    Atomics.notify(ctrl, CTRL.COMPLETED);
    throw e;
  } finally {
    sync.close();
  }
  port.postMessage({ id: m.id, done: true });
}

function forest(m: Msg): void {
  const data = m.data as BinnedData;
  const y = m.y as Int32Array;
  const sw = (m.sampleWeight as Float32Array | null) ?? null;
  const spec = m.spec as ForestSpec;
  const seeds = m.seeds as Uint32Array;
  const counter = m.counter as Int32Array;
  const builder = new ForestTreeBuilder(data, y, sw, spec);
  for (;;) {
    const t = Atomics.add(counter, 0, 1);
    if (t >= seeds.length) break;
    const tree = builder.grow(seeds[t]!);
    port.postMessage({ id: m.id, t, tree }, treeBuffers(tree));
  }
  port.postMessage({ id: m.id, done: true });
}

function treeBuffers(t: FlatTree): ArrayBuffer[] {
  return [t.feature, t.threshold, t.left, t.right, t.defaultLeft, t.value, t.cover, t.gain].map((a) => a.buffer as ArrayBuffer);
}
