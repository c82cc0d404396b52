import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../util/random.js';
import { f32AtMost } from './flat-tree.js';

/** The next float32 above a float32 y. */
function nextUp(y: number): number {
  const f = new Float32Array([y]);
  const u = new Uint32Array(f.buffer);
  if (y === 0) return 1.401298464324817e-45;
  u[0] = y > 0 ? u[0]! + 1 : u[0]! - 1;
  return f[0]!;
}

test('f32AtMost(x) is the largest float32 ≤ x, so a float32 input is ≤ it exactly when it is ≤ x', () => {
  const r = new Random(1);
  const xs = [0, -0, 1, -1, 0.1, -0.1, 1e-46, -1e-46, 1e-300, -1e-300, 3.4028235677973366e38, 3.5e38, -3.5e38, 1e39, Infinity, -Infinity];
  for (let i = 0; i < 20_000; i++) {
    const mag = Math.pow(10, r.next() * 80 - 45);
    xs.push((r.next() < 0.5 ? -1 : 1) * mag * r.next());
    const lo = Math.fround(r.normal());
    xs.push(lo + r.next() * (Math.fround(lo + 1e-6) - lo)); // between nearby float32s, as thresholds drawn between data values are
  }
  let roundedUp = 0;
  for (const x of xs) {
    const y = f32AtMost(x);
    assert.equal(Math.fround(y), y, `${x}: ${y} is a float32`);
    assert.ok(y <= x, `${x}: ${y} ≤ x`);
    if (y < Infinity) assert.ok(nextUp(y) > x, `${x}: nothing float32 in (${y}, x]`);
    if (Math.fround(x) > x) roundedUp++;
  }
  assert.ok(roundedUp > 5000, 'the step down was exercised');
  assert.ok(Number.isNaN(f32AtMost(NaN)));
  assert.equal(f32AtMost(-1e-46), -1.401298464324817e-45);
  assert.equal(f32AtMost(3.5e38), 3.4028234663852886e38);
  assert.equal(f32AtMost(-3.5e38), -Infinity);
});
