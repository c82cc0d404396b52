import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileBodyValidator, describeValidation, jsonType } from './validation.js';
import { predictBodySchema, recordSchema } from './schemas.js';

const record = recordSchema('m', [
  { name: 'bytes', kind: 'numeric' },
  { name: 'proto', kind: 'categorical', categories: ['tcp', 'udp'] },
]);
const body = compileBodyValidator(predictBodySchema(record, 3));
const one = compileBodyValidator(record);

function why(v: ReturnType<typeof compileBodyValidator>, data: unknown, part = 'body'): ReturnType<typeof describeValidation> {
  assert.equal(v(data), false);
  return describeValidation(v.errors ?? [], part);
}

test('bodies are checked as sent: no coercion of "12", extra fields kept, null allowed', () => {
  assert.equal(one({ bytes: 12, proto: 'tcp', extra: [1] }), true);
  assert.equal(one({ bytes: null, proto: null }), true);
  assert.equal(one({ bytes: 1, proto: 7 }), true, 'a number is a category too');
  assert.deepEqual(why(one, { bytes: '12', proto: 'tcp' }, 'record'), { field: 'bytes', message: 'field \'bytes\' must be a number or null, got a string ("12")', status: 400 });
});

test('messages name the field: missing, wrong type, not an object; long strings are cut', () => {
  assert.deepEqual(why(one, { proto: 'tcp' }, 'record'), { field: 'bytes', message: "field 'bytes' is missing (send null for a missing value)", status: 400 });
  assert.equal(why(one, { bytes: 1, proto: { a: 1 } }, 'record').message, "field 'proto' must be a string, a number or null, got an object");
  assert.equal(why(one, { bytes: 1, proto: false }, 'record').message, "field 'proto' must be a string, a number or null, got false");
  assert.equal(why(one, 'x'.repeat(100), 'record').message, 'a record must be a JSON object, got a string');
  assert.match(why(one, { bytes: 'y'.repeat(100), proto: 'tcp' }, 'record').message, /got a string \("y{40}…"\)$/);
});

test('the predict body: a record, or { records } with a size limit (413)', () => {
  assert.equal(body({ records: [1, 'x', null] }), true, 'records are checked one by one later');
  assert.deepEqual(why(body, { records: [1, 2, 3, 4] }), { field: 'records', message: 'a batch holds at most 3 records, this one has 4: split it, or send a CSV file to the predict/csv route', status: 413 });
  assert.equal(why(body, { records: [] }).message, 'records is empty: send at least one record');
  assert.equal(why(body, { records: 'x' }).message, 'records must be an array of records, got a string');
  assert.equal(why(body, [1]).message, 'the body must be a JSON object: one record, or { "records": [...] }, got an array');
  assert.equal(why(body, { bytes: 1 }).field, 'proto');
});

test('jsonType', () => {
  assert.deepEqual([null, [], {}, true, 1, 's'].map(jsonType), ['null', 'an array', 'an object', 'true', 'a number', 'a string']);
});
