import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix } from '../features/types.js';
import { binMatrix, fitBinMapper } from './binner.js';
import { goLeftTable, partitionRows } from './partition.js';

test('stable partition by "bin <= t", missing values to the default side', () => {
  const vals = [3, NaN, 1, 2, NaN, 0, 3, 1];
  const X = matrix(Float32Array.from(vals), vals.length, ['x']);
  const data = binMatrix(fitBinMapper(X), X);
  const lut = new Uint8Array(256);
  const scratch = new Uint32Array(8);
  const idx = Uint32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
  // left = x <= 1 (bins 0..1), missing right
  let mid = partitionRows(data, 0, goLeftTable(data, 0, 1, 0, lut), idx, 0, 8, scratch);
  assert.equal(mid, 3);
  assert.deepEqual([...idx], [2, 5, 7, 0, 1, 3, 4, 6]);
  // a sub-range, missing left
  idx.set([7, 6, 5, 4, 3, 2, 1, 0]);
  mid = partitionRows(data, 0, goLeftTable(data, 0, 1, 1, lut), idx, 1, 7, scratch);
  // range rows 6,5,4,3,2,1 = values 3,0,NaN,2,1,NaN; left = x <= 1 or missing
  assert.deepEqual([...idx], [7, 5, 4, 2, 1, 6, 3, 0]);
  assert.equal(mid, 5);
});
