/** `nadir evaluate`'s text report, on metrics computed from small hand-made predictions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeMetrics } from '../../eval/metrics.js';
import { metricsText } from './evaluate.js';

test('multi-class text: a class no row was predicted as has precision —, with a note on the JSON value', () => {
  const classes = ['normal', 'DoS', 'U2R'];
  // true:      normal normal DoS DoS U2R; predicted: normal normal DoS normal DoS — nothing predicted as U2R
  const y = new Int32Array([0, 0, 1, 1, 2]);
  const p = [
    [0.9, 0.05, 0.05],
    [0.8, 0.1, 0.1],
    [0.1, 0.8, 0.1],
    [0.6, 0.3, 0.1],
    [0.2, 0.5, 0.3],
  ];
  const m = computeMetrics(y, Float64Array.from(p.flat()), classes, {});
  assert.equal(m.perClass.U2R!.precision, 0);
  const text = metricsText('x.csv', 'category', m);
  const u2r = text.split('\n').find((l) => l.startsWith('U2R '))!;
  assert.match(u2r, /^U2R\s+—\s+0\.0000\s+0\.0000\s+1\s/);
  assert.match(text, /\n\(precision —: no rows predicted as this class, 0\/0; --json gives 0, as scikit-learn's zero_division=0\)\n/);
  // a class that was predicted keeps its number
  assert.match(text.split('\n').find((l) => l.startsWith('DoS '))!, /^DoS\s+0\.5000\s/);
});
