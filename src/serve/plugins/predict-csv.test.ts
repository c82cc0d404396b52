import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { predict } from '../../app/predict.js';
import { predictionsCsv, predictionsJsonl } from '../../app/prediction-records.js';
import type { Detector } from '../../model/detector.js';
import { fixtureDetector, fixtureServer, RECORDS_FILE } from '../testdata/fixtures.js';
import { answerFormat } from './predict-csv.js';

let app: FastifyInstance;
let gbdt: Detector;
const gz = readFileSync(RECORDS_FILE);
const text = gunzipSync(gz).toString('utf8');
before(async () => {
  app = await fixtureServer(['gbdt-binary', 'gbdt-category'], { limits: { csvBytes: 64 * 1024, rateLimit: false } });
  gbdt = await fixtureDetector('gbdt-binary');
});
after(() => app.close());

describe('CSV predict', () => {
  test('plain or gzip\'d CSV → the CSV nadir predict writes, byte for byte; JSON Lines by Accept', async () => {
    const expected = await predict(gbdt, RECORDS_FILE, { explain: true });
    const plain = await app.inject({ method: 'POST', url: '/api/v1/predict/csv?explain=true', payload: text, headers: { 'content-type': 'text/csv' } });
    assert.equal(plain.statusCode, 200, plain.body);
    assert.equal(plain.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(plain.body, predictionsCsv(gbdt, expected));
    const zipped = await app.inject({ method: 'POST', url: '/api/v1/models/gbdt-binary/predict/csv?explain=true', payload: gz, headers: { 'content-type': 'application/gzip', accept: 'application/x-ndjson' } });
    assert.equal(zipped.statusCode, 200);
    assert.equal(zipped.headers['content-type'], 'application/x-ndjson; charset=utf-8');
    assert.equal(zipped.body, predictionsJsonl(gbdt, expected));
    // gzip is recognised by its bytes, whatever the content type claims
    const claimed = await app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: gz, headers: { 'content-type': 'text/csv' } });
    assert.equal(claimed.body, predictionsCsv(gbdt, await predict(gbdt, RECORDS_FILE)));
  });

  test('a CSV with a header; unseen categories come back as warnings in x-nadir-warnings', async () => {
    const names = (await fixtureDetector('gbdt-binary')).body.schema.inputs.map((i) => i.name);
    const line = text.split('\n')[0]!.split(',');
    // the fixture file's columns are the 41 NSL-KDD features (+ label, difficulty); build a headed CSV of the model's inputs
    const { NSL_KDD_COLUMNS } = await import('../../data/formats/index.js');
    const row = names.map((n) => (n === 'service' ? 'quantum' : line[(NSL_KDD_COLUMNS as readonly string[]).indexOf(n)]!)).join(',');
    const r = await app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: `${names.join(',')}\n${row}\n`, headers: { 'content-type': 'text/csv' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.body.split('\n')[0], 'row,label,class,probability');
    assert.equal(r.body.trim().split('\n').length, 2);
    const warnings = JSON.parse(String(r.headers['x-nadir-warnings'])) as string[];
    assert.ok(warnings.some((w) => /service/.test(w) && /quantum/.test(w)), String(r.headers['x-nadir-warnings']));
  });

  test('errors: a missing column (400), JSON (415), an Accept it cannot give (406), too large (413), corrupt gzip (400), unknown model (404)', async () => {
    const missing = await app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: 'duration,protocol_type\n1,tcp\n', headers: { 'content-type': 'text/csv' } });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.code, 'NADIR_ERR_MISSING_COLUMN');
    assert.match(missing.json().error.message, /^missing column 'service' in request body/);
    const json = await app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: { a: 1 } });
    assert.equal(json.statusCode, 415);
    assert.equal(json.json().error.code, 'NADIR_ERR_UNSUPPORTED_MEDIA_TYPE');
    assert.match(json.json().error.message, /unsupported content type application\/json \(expected text\/csv/);
    const accept = await app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: text, headers: { 'content-type': 'text/csv', accept: 'application/xml' } });
    assert.equal(accept.statusCode, 406);
    assert.equal(accept.json().error.code, 'NADIR_ERR_NOT_ACCEPTABLE');
    const big = await app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: text.repeat(2), headers: { 'content-type': 'text/csv' } });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error.code, 'NADIR_ERR_TOO_LARGE');
    assert.match(big.json().error.message, /request body is larger than the limit of 65,536 bytes/);
    // a gzip bomb is stopped by the decompressed count
    const { gzipSync } = await import('node:zlib');
    const bomb = await app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: gzipSync(Buffer.alloc(1 << 20, 0x31)), headers: { 'content-type': 'application/gzip' } });
    assert.equal(bomb.statusCode, 413);
    assert.match(bomb.json().error.message, /decompressed/);
    const corrupt = await app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: gz.subarray(0, gz.length >> 1), headers: { 'content-type': 'application/gzip' } });
    assert.equal(corrupt.statusCode, 400);
    assert.equal(corrupt.json().error.code, 'NADIR_ERR_GZIP');
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/models/zzz/predict/csv', payload: text, headers: { 'content-type': 'text/csv' } });
    assert.equal(unknown.statusCode, 404);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/models/gbdt-category/predict/csv', payload: text, headers: { 'content-type': 'text/csv' } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.body.trim().split('\n').length, 302);
  });

  test('Accept: CSV by default and for */*, JSON Lines when asked first, q=0 skipped', () => {
    assert.equal(answerFormat(undefined), 'csv');
    assert.equal(answerFormat('*/*'), 'csv');
    assert.equal(answerFormat('application/x-ndjson, text/csv'), 'jsonl');
    assert.equal(answerFormat('text/csv;q=0, application/jsonl'), 'jsonl');
    assert.throws(() => answerFormat('application/json'), /NADIR_ERR_NOT_ACCEPTABLE|answer text\/csv or application\/x-ndjson/);
  });
});
