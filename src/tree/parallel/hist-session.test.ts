import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix } from '../../features/types.js';
import type { FlatTree } from '../types.js';
import { binMatrix, fitBinMapper } from '../binner.js';
import { Heap } from '../heap.js';
import { GradTreeGrower } from '../grower.js';
import { type GradHistBuilder, LocalGradHistBuilder } from '../hist-builder.js';
import { Random } from '../../util/random.js';
import { ParallelGradHistBuilder } from './hist-session.js';

const n = 20_000;
const d = 12;
const r = new Random(21);
const X = new Float32Array(n * d);
const y = new Int32Array(n);
for (let i = 0; i < n; i++) {
  for (let j = 0; j < d; j++) X[i * d + j] = j < 6 ? (r.next() < 0.15 ? 1 : 0) : r.next() < 0.05 ? NaN : r.normal();
  y[i] = X[i * d]! + X[i * d + 7]! + 0.3 * r.normal() > 0.5 ? 1 : 0;
}
const M = matrix(X, n, Array.from({ length: d }, (_, j) => `f${j}`));
const mapper = fitBinMapper(M);

/** Five boosting rounds (logistic loss), depth- or leaf-wise, with the given builder. */
async function boost(hb: GradHistBuilder, maxLeaves: number): Promise<FlatTree[]> {
  const data = hb.data;
  const features = Int32Array.from({ length: d }, (_, f) => f).filter((f) => data.usable[f] === 1);
  const grower = new GradTreeGrower(data, hb, { maxDepth: 6, maxLeaves, lambda: 1, gamma: 0, minChildWeight: 1, learningRate: 0.3 });
  const margin = new Float64Array(n);
  const trees: FlatTree[] = [];
  try {
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-margin[i]!));
        hb.gh[2 * i] = p - y[i]!;
        hb.gh[2 * i + 1] = p * (1 - p);
        hb.idx[i] = i;
      }
      // every other round on a subset of rows (not the identity layout)
      let m = n;
      if (round % 2 === 1) {
        m = 0;
        for (let i = 0; i < n; i++) if (i % 3 !== 0) hb.idx[m++] = i;
      }
      trees.push(grower.grow(m, features, m === n));
      grower.addLeafValues(margin, 1, 0);
    }
  } finally {
    await hb.close();
  }
  return trees;
}

test('histograms built on 2 and 3 threads give bit-identical trees to one thread (depth- and leaf-wise)', async () => {
  for (const maxLeaves of [Infinity, 24]) {
    const h1 = Heap.create();
    const local = await boost(new LocalGradHistBuilder(binMatrix(mapper, M, { heap: h1 }), h1), maxLeaves);
    for (const threads of [2, 3]) {
      const h = Heap.create();
      const par = await boost(new ParallelGradHistBuilder(binMatrix(mapper, M, { heap: h }), h, threads), maxLeaves);
      assert.deepEqual(par, local, `${threads} threads, maxLeaves ${maxLeaves}`);
    }
    assert.ok(local.every((t) => t.nNodes > 20));
  }
});

