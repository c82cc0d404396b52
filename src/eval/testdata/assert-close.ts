import assert from 'node:assert/strict';

/** Asserts |actual − expected| ≤ tol element-wise; NaN matches NaN, null matches null. */
export function assertClose(actual: ArrayLike<number> | number | null | undefined, expected: ArrayLike<number> | number | null, tol = 1e-9, what = ''): void {
  if (expected === null || typeof expected === 'number') {
    if (expected === null) {
      assert.equal(actual, null, `${what}: expected null, got ${String(actual)}`);
      return;
    }
    assert.equal(typeof actual, 'number', `${what}: expected a number, got ${String(actual)}`);
    const a = actual as number;
    if (Number.isNaN(expected)) {
      assert.ok(Number.isNaN(a), `${what}: expected NaN, got ${a}`);
      return;
    }
    assert.ok(Math.abs(a - expected) <= tol, `${what}: expected ${expected}, got ${a} (tol ${tol})`);
    return;
  }
  assert.ok(actual !== null && actual !== undefined && typeof actual !== 'number', `${what}: expected an array`);
  const arr = actual as ArrayLike<number>;
  assert.equal(arr.length, expected.length, `${what}: length ${arr.length} != ${expected.length}`);
  for (let i = 0; i < expected.length; i++) assertClose(arr[i]!, expected[i]!, tol, `${what}[${i}]`);
}
