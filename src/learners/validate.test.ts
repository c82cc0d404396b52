import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NadirError } from '../errors.js';
import { matrix } from '../features/types.js';
import {
  argmaxRows,
  checkFitInput,
  checkPredictInput,
  checkSerialized,
  readNumber,
  readSaved,
  readStrings,
  readTyped,
  requireFitted,
  resolveClasses,
} from './validate.js';

const code = (c: string) => (e: unknown) => e instanceof NadirError && e.code === c;

test('fit input: classes resolved from labels or options; evalSet and weights checked', () => {
  const X = matrix(new Float32Array([0, 1, 2, 3, 4, 5]), 3, ['a', 'b']);
  assert.deepEqual(checkFitInput('L', X, new Int32Array([0, 2, 1])).classes, ['0', '1', '2']);
  assert.deepEqual(checkFitInput('L', X, new Int32Array([0, 0, 0]), { classes: ['n', 'a'] }).classes, ['n', 'a']);
  assert.throws(() => resolveClasses('L', new Int32Array([0]), ['a', 'a']), /duplicate names/);
  assert.throws(() => resolveClasses('L', new Int32Array([0, 0])), /needs at least 2 classes, got 1 \(0\)/);
  const ev = { X: matrix(new Float32Array(3), 1, ['a', 'b', 'c']), y: new Int32Array([0]) };
  assert.throws(() => checkFitInput('L', X, new Int32Array([0, 1, 0]), { evalSet: ev }), /evalSet\.X has 3 columns but X has 2/);
  assert.throws(() => checkFitInput('L', X, new Int32Array([0, 1, 0]), { sampleWeight: new Float32Array([1, 0, 0]).fill(0) }), /sampleWeight sums to 0/);
  assert.throws(() => checkFitInput('L', X, new Int32Array([0, 1, 0]), { sampleWeight: new Float32Array([1, NaN, 1]) }), /sampleWeight\[1\] = NaN/);
  X.data[3] = Infinity;
  assert.doesNotThrow(() => checkFitInput('L', X, new Int32Array([0, 1, 0])));
  assert.throws(() => checkFitInput('L', X, new Int32Array([0, 1, 0]), {}, { finite: true }), /non-finite value \(Infinity\) at row 1, column 'b'/);
  assert.throws(() => checkFitInput('L', { ...X, columns: ['a'] }, new Int32Array([0, 1, 0])), /X has 2 columns but 1 column names/);
  assert.throws(() => checkFitInput('L', null as never, new Int32Array(0)), code('NADIR_ERR_BAD_INPUT'));
  assert.throws(() => checkFitInput('L', X, [0, 1, 0] as never), /labels y must be an Int32Array of class indices, got an Array/);
  assert.throws(() => checkFitInput('L', X, [0, 1.5, 0] as never), /y\[1\] = 1.5 is not a class index/);
});

test('predict input, fitted guard, argmax', () => {
  const X = matrix(new Float32Array([0, 1]), 1, ['a', 'b']);
  assert.doesNotThrow(() => checkPredictInput('L', X, 2));
  assert.doesNotThrow(() => checkPredictInput('L', matrix(new Float32Array(0), 0, ['a', 'b']), 2));
  assert.throws(() => checkPredictInput('L', X, 3), /L: X has 2 columns but the model was fitted on 3/);
  assert.throws(() => requireFitted('Thing', undefined), /Thing is not fitted: call fit\(\) first/);
  assert.deepEqual([...argmaxRows(new Float64Array([0.2, 0.5, 0.3, 0.4, 0.4, 0.2]), 3)], [1, 0], 'ties go to the first class');
});

test('saved-model readers', () => {
  const env = { type: 't', version: 2, options: {}, fitted: { a: new Float64Array(3), n: 4, cls: ['x', 'y'] } };
  assert.equal(checkSerialized(env, 't', 2), env);
  assert.throws(() => checkSerialized(env, 't', 3, 'f.json'), (e: unknown) => code('NADIR_ERR_MODEL_VERSION')(e) && /f\.json: 't' learner layout version 2 is older than the supported version 3/.test((e as Error).message));
  assert.throws(() => checkSerialized({ ...env, version: '2' }, 't', 2), /no integer layout 'version'/);
  assert.throws(() => checkSerialized({ ...env, fitted: new Float64Array(1) }, 't', 2), /'fitted' must be an object/);
  assert.equal(readTyped(env.fitted, 'a', Float64Array, 3).length, 3);
  assert.throws(() => readTyped(env.fitted, 'a', Float32Array), /fitted\.a must be a Float32Array, got a Float64Array/);
  assert.throws(() => readTyped(env.fitted, 'a', Float64Array, 4), /fitted\.a has 3 values, expected 4/);
  assert.equal(readNumber(env.fitted, 'n', { integer: true, min: 1 }), 4);
  assert.throws(() => readNumber(env.fitted, 'n', { max: 3 }), code('NADIR_ERR_MODEL_CORRUPT'));
  assert.deepEqual(readStrings(env.fitted, 'cls', 2), ['x', 'y']);
  assert.throws(() => readStrings({ cls: ['x', 'x'] }, 'cls'), /distinct/);
});

test('readSaved: envelope, options resolved as fit does (a bad one is a corrupt file), classes then nFeatures', () => {
  const saved = { type: 't', version: 2, options: { a: 1 }, fitted: { classes: ['x', 'y'], nFeatures: 3 } };
  const resolve = (o: { a?: number }) => {
    if (o.a !== undefined && o.a < 0) throw new Error('a must be ≥ 0');
    return { a: o.a ?? 0 };
  };
  const h = readSaved(saved, { type: 't', version: 2 }, 'f.json', resolve);
  assert.equal(h.options, saved.options);
  assert.deepEqual([h.version, h.resolved, h.classes, h.nFeatures], [2, { a: 1 }, ['x', 'y'], 3]);
  assert.equal(readSaved({ ...saved, version: 1 }, { type: 't', version: 2, oldest: 1 }, 'f.json', resolve).version, 1);
  assert.throws(() => readSaved({ ...saved, version: 1 }, { type: 't', version: 2 }, 'f.json', resolve), code('NADIR_ERR_MODEL_VERSION'));
  assert.throws(() => readSaved({ ...saved, options: { a: -1 } }, { type: 't', version: 2 }, 'f.json', resolve), /f\.json.*bad options: a must be ≥ 0/);
  const noFeatures = { ...saved, fitted: { classes: ['x', 'y'] } };
  assert.throws(() => readSaved(noFeatures, { type: 't', version: 2 }, 'f.json', resolve), /fitted\.nFeatures/);
  assert.throws(() => readSaved(noFeatures, { type: 't', version: 2 }, 'f.json', resolve, () => { throw new Error('classes first'); }), /classes first/);
});
