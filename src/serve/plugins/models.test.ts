import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fixtureDetector, fixtureServer } from '../testdata/fixtures.js';

let app: FastifyInstance;
before(async () => {
  app = await fixtureServer(['gbdt-binary', 'gbdt-category', 'iforest-binary']);
});
after(() => app.close());

test('GET /api/v1/models lists every model, the default first, with its routes', async () => {
  const r = await app.inject('/api/v1/models');
  assert.equal(r.statusCode, 200);
  const body = r.json();
  assert.equal(body.default, 'gbdt-binary');
  assert.deepEqual(body.models.map((m: { id: string }) => m.id), ['gbdt-binary', 'gbdt-category', 'iforest-binary']);
  assert.deepEqual(body.models.map((m: { default: boolean }) => m.default), [true, false, false]);
  assert.deepEqual(body.models[1].routes, { model: '/api/v1/models/gbdt-category', predict: '/api/v1/models/gbdt-category/predict', csv: '/api/v1/models/gbdt-category/predict/csv' });
  assert.deepEqual(body.models[2].learner, { type: 'iforest', name: 'isolation forest', kind: 'anomaly-detector', score: 'anomaly-score' });
});

test('GET /api/v1/models/:id is the model card: schema, task, classes, decision, metrics (CV and hold-out), importance, provenance', async () => {
  const d = await fixtureDetector('gbdt-binary');
  const card = (await app.inject('/api/v1/models/gbdt-binary')).json();
  assert.equal(card.task, 'binary');
  assert.deepEqual(card.classes, ['normal', 'attack']);
  assert.equal(card.threshold, d.threshold);
  assert.deepEqual(card.decision, JSON.parse(JSON.stringify(d.decision)));
  assert.equal(card.inputs.length, d.pipeline.inputs.length);
  assert.deepEqual(card.inputs.find((i: { name: string }) => i.name === 'protocol_type'), { name: 'protocol_type', kind: 'categorical', categories: ['tcp', 'udp', 'icmp'] });
  assert.equal(card.metrics.cv.accuracy, d.body.metrics.cv!.accuracy);
  assert.deepEqual(card.metrics.cv.confusionMatrix, d.body.metrics.cv!.confusionMatrix);
  assert.deepEqual(card.importance.gain, JSON.parse(JSON.stringify(d.body.importance.gain)));
  assert.equal(card.provenance.data.sha256, d.body.provenance.data.sha256);
  assert.equal(card.format, 'nsl-kdd');
  const cat = (await app.inject('/api/v1/models/gbdt-category')).json();
  assert.equal(cat.threshold, null);
  assert.deepEqual(cat.decision, { kind: 'argmax' });
});

test('an unknown model: 404 in the one error shape', async () => {
  const r = await app.inject('/api/v1/models/unknown');
  assert.equal(r.statusCode, 404);
  assert.deepEqual(r.json(), { error: { code: 'NADIR_ERR_NOT_FOUND', message: 'model "unknown" not found (models: gbdt-binary, gbdt-category, iforest-binary)' } });
});
