/**
 * Saving tree ensembles: all trees' parallel arrays concatenated (the FlatTree layout, one set
 * of typed arrays for the whole ensemble, children indices local to their tree) plus the node
 * count of each tree. Loading checks every array and every tree (see flat-tree.ts), so a
 * corrupt file is a NADIR_ERR_MODEL_CORRUPT, never a crash at prediction time.
 */
import { nadirError } from '../errors.js';
import type { FlatTree } from './types.js';
import { validateFlatTree } from './flat-tree.js';

export function packTrees(trees: readonly FlatTree[], nOutputs: number): Record<string, unknown> {
  let n = 0;
  for (const t of trees) n += t.nNodes;
  const nodeCount = new Int32Array(trees.length);
  const feature = new Int32Array(n);
  const threshold = new Float32Array(n);
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  const defaultLeft = new Uint8Array(n);
  const value = new Float64Array(n * nOutputs);
  const cover = new Float64Array(n);
  const gain = new Float64Array(n);
  let at = 0;
  trees.forEach((t, i) => {
    nodeCount[i] = t.nNodes;
    feature.set(t.feature, at);
    threshold.set(t.threshold, at);
    left.set(t.left, at);
    right.set(t.right, at);
    defaultLeft.set(t.defaultLeft, at);
    value.set(t.value, at * nOutputs);
    cover.set(t.cover, at);
    gain.set(t.gain, at);
    at += t.nNodes;
  });
  return { nOutputs, nodeCount, feature, threshold, left, right, defaultLeft, value, cover, gain };
}

type Ctor<T> = { new (n: number): T; readonly name: string };

function arr<T extends ArrayLike<number> & ArrayBufferView>(o: Record<string, unknown>, key: string, C: Ctor<T>, len: number, source: string): T {
  const v = o[key];
  if (!(v instanceof (C as unknown as new () => T))) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `fitted.trees.${key} must be a ${C.name}`);
  }
  if ((v as T).length !== len) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `fitted.trees.${key} has ${(v as T).length} values, expected ${len}`);
  }
  return v as T;
}

/** Restore the trees saved by `packTrees`, checking them against nFeatures / nOutputs / nTrees. */
export function unpackTrees(obj: unknown, nTrees: number, nFeatures: number, nOutputs: number, source: string): FlatTree[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || ArrayBuffer.isView(obj)) {
    throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'fitted.trees must be an object of tree arrays');
  }
  const o = obj as Record<string, unknown>;
  if (o.nOutputs !== nOutputs) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `fitted.trees.nOutputs must be ${nOutputs}`);
  const nodeCount = arr(o, 'nodeCount', Int32Array, nTrees, source);
  let n = 0;
  for (let i = 0; i < nTrees; i++) {
    const c = nodeCount[i]!;
    if (!(c >= 1)) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `tree ${i} has ${c} nodes`);
    n += c;
  }
  const feature = arr(o, 'feature', Int32Array, n, source);
  const threshold = arr(o, 'threshold', Float32Array, n, source);
  const left = arr(o, 'left', Int32Array, n, source);
  const right = arr(o, 'right', Int32Array, n, source);
  const defaultLeft = arr(o, 'defaultLeft', Uint8Array, n, source);
  const value = arr(o, 'value', Float64Array, n * nOutputs, source);
  const cover = arr(o, 'cover', Float64Array, n, source);
  const gain = arr(o, 'gain', Float64Array, n, source);
  const trees: FlatTree[] = [];
  let at = 0;
  for (let i = 0; i < nTrees; i++) {
    const c = nodeCount[i]!;
    const t: FlatTree = {
      nNodes: c,
      nOutputs,
      feature: feature.slice(at, at + c),
      threshold: threshold.slice(at, at + c),
      left: left.slice(at, at + c),
      right: right.slice(at, at + c),
      defaultLeft: defaultLeft.slice(at, at + c),
      value: value.slice(at * nOutputs, (at + c) * nOutputs),
      cover: cover.slice(at, at + c),
      gain: gain.slice(at, at + c),
    };
    validateFlatTree(t, nFeatures, `${source}: tree ${i}`);
    trees.push(t);
    at += c;
  }
  return trees;
}

/**
 * Total split gain per feature over all trees (XGBoost's "total_gain"), normalised to sum 1
 * (all zeros when no tree splits).
 */
export function gainImportance(trees: readonly FlatTree[], nFeatures: number, perTreeNormalise = false): Float64Array {
  const imp = new Float64Array(nFeatures);
  const one = new Float64Array(nFeatures);
  for (const t of trees) {
    one.fill(0);
    let s = 0;
    for (let i = 0; i < t.nNodes; i++) {
      const f = t.feature[i]!;
      if (f >= 0) {
        one[f] += t.gain[i]!;
        s += t.gain[i]!;
      }
    }
    const k = perTreeNormalise ? (s > 0 ? 1 / s : 0) : 1;
    for (let f = 0; f < nFeatures; f++) imp[f] += one[f]! * k;
  }
  let s = 0;
  for (let f = 0; f < nFeatures; f++) s += imp[f]!;
  if (s > 0) for (let f = 0; f < nFeatures; f++) imp[f] = imp[f]! / s;
  return imp;
}
