/**
 * Fixtures shared by the training-report and evaluation-report tests: a model file's body and
 * seeded synthetic scores shaped like NSL-KDD's (CV separates the classes well; a separately
 * captured file holds "novel" attacks that score like normal traffic).
 */
import type { ModelBody } from '../../model/types.js';
import { Random } from '../../util/random.js';

/** sha256 of the training file and of the training-time hold-out in `modelBody`'s provenance. */
export const TRAIN_SHA = 'a'.repeat(64);
export const TEST_SHA = 'b'.repeat(64);

export const BINARY = ['normal', 'attack'];
export const CATEGORIES = ['normal', 'DoS', 'Probe', 'R2L', 'U2R'];

/**
 * A gbdt model body trained on KDDTrain+_20Percent (3-fold CV, seed 7, KDDTest+ as hold-out),
 * threshold 0.5 for the binary task, no stored metrics, and importances that include a hostile
 * column name (escaping checks). `over` replaces top-level fields.
 */
export function modelBody(task: ModelBody['task'], classes: string[], over: Partial<ModelBody> = {}): ModelBody {
  return {
    kind: 'nadir-model',
    nadirVersion: '0.1.0',
    createdAt: '2024-05-01T12:34:56.000Z',
    task,
    classes,
    schema: {
      format: 'nsl-kdd',
      labelColumn: 'label',
      normalLabels: ['normal'],
      inputs: [
        { name: 'duration', kind: 'numeric' },
        { name: 'protocol_type', kind: 'categorical', categories: ['icmp', 'tcp', 'udp'] },
        { name: 'src_bytes', kind: 'numeric' },
      ],
    },
    pipeline: { type: 'pipeline', version: 1, options: { encoding: 'onehot' }, plans: [], dropped: [] },
    learner: { type: 'gbdt', version: 1, options: { nEstimators: 30 }, fitted: {} },
    decision: task === 'binary' ? { kind: 'threshold', score: 'probability', threshold: 0.5, method: 'fixed' } : { kind: 'argmax' },
    metrics: {},
    importance: {
      gain: [
        { feature: 'src_bytes', importance: 60 },
        { feature: 'protocol_type', importance: 30 },
        { feature: '<img src=x onerror=alert(1)>', importance: 10 },
      ],
      permutation: [
        { feature: 'src_bytes', importance: 0.21, std: 0.02 },
        { feature: 'protocol_type', importance: 0.05, std: 0.01 },
        { feature: '<img src=x onerror=alert(1)>', importance: -0.001, std: 0.002 },
      ],
    },
    provenance: {
      data: { file: 'KDDTrain+_20Percent.txt.gz', sha256: TRAIN_SHA, rows: 3000 },
      tests: [{ file: 'KDDTest+.txt.gz', sha256: TEST_SHA, rows: 2000 }],
      options: { model: 'gbdt', target: task, cv: 3, seed: 7, threshold: null, maxFpr: null, learner: { seed: 7, nEstimators: 30 } },
      command: '',
      node: 'v20.0.0',
    },
    timings: { loadSeconds: 0.4, cvSeconds: 2.5, fitSeconds: 1.1, testSeconds: 0.3, permutationSeconds: 0.9 },
    ...over,
  };
}

/**
 * Binary scores: `nNormal` normal rows, then `nAttack` attacks. Normal rows score
 * P(attack) = u^normalPower · 0.9 (a larger power: fewer high-scoring normal rows); known attacks
 * score high; a share `novelShare` of the attacks are novel and score like normal traffic.
 * `codes` gives each row's raw label: 0 normal, 1 known attack, 2 novel attack.
 */
export function binaryScores(r: Random, nNormal: number, nAttack: number, novelShare: number, normalPower = 6): { y: Int32Array; proba: Float64Array; codes: number[] } {
  const n = nNormal + nAttack;
  const y = new Int32Array(n);
  const proba = new Float64Array(2 * n);
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    const attack = i >= nNormal;
    y[i] = attack ? 1 : 0;
    let p: number;
    if (!attack) {
      p = Math.pow(r.next(), normalPower) * 0.9;
      codes.push(0);
    } else if (r.next() < novelShare) {
      p = Math.pow(r.next(), 3) * 0.6;
      codes.push(2);
    } else {
      p = 1 - Math.pow(r.next(), 6) * 0.9;
      codes.push(1);
    }
    proba[2 * i] = 1 - p;
    proba[2 * i + 1] = p;
  }
  return { y, proba, codes };
}

/**
 * Seeded probabilities over `CATEGORIES` (U2R rare); each row's true class gets a boost of
 * `boost`, except rows of class `blind` (a class that does not transfer).
 */
export function multiclassScores(seed: number, n: number, blind = -1, boost = 2.5): { y: Int32Array; proba: Float64Array } {
  const r = new Random(seed);
  const y = new Int32Array(n);
  const proba = new Float64Array(n * 5);
  for (let i = 0; i < n; i++) {
    const c = i % 5 === 4 && i % 15 !== 4 ? 0 : i % 5; // U2R rare
    y[i] = c;
    let s = 0;
    for (let k = 0; k < 5; k++) {
      const v = r.next() + (k === c && c !== blind ? boost : 0);
      proba[i * 5 + k] = v;
      s += v;
    }
    for (let k = 0; k < 5; k++) proba[i * 5 + k]! /= s;
  }
  return { y, proba };
}
