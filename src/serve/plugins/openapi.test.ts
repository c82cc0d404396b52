import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureServer } from '../testdata/fixtures.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('/openapi.json: OpenAPI 3.1 with every route, each model\'s record schema, the error shape; /docs browsable', async () => {
  const app = await fixtureServer(['gbdt-binary', 'gbdt-category']);
  const r = await app.inject('/openapi.json');
  assert.equal(r.statusCode, 200);
  const doc = r.json() as Json;
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.title, 'nadir');
  for (const p of ['/api/v1/models', '/api/v1/models/{id}', '/api/v1/predict', '/api/v1/models/gbdt-binary/predict', '/api/v1/models/gbdt-category/predict', '/api/v1/models/{id}/predict/csv', '/api/v1/predict/csv', '/healthz', '/readyz', '/metrics', '/v2/models/{id}/infer']) {
    assert.ok(doc.paths[p], `${p} documented`);
  }
  assert.equal(doc.paths['/api/v1/models/{id}/predict'], undefined, 'the unknown-model catch-all is hidden');
  const body = doc.paths['/api/v1/models/gbdt-binary/predict'].post.requestBody.content['application/json'].schema;
  const [record, batch] = body.oneOf;
  assert.equal(record.required.length, 39);
  assert.deepEqual(record.properties.src_bytes.type, ['number', 'null']);
  assert.match(record.properties.protocol_type.description, /seen in training: tcp, udp, icmp/);
  assert.equal(batch.properties.records.items.required.length, 39);
  assert.ok(doc.paths['/api/v1/predict'].post.responses['4XX']);
  assert.equal(doc.paths['/api/v1/predict'].post.security, undefined, 'no key, no security requirement');
  const docs = await app.inject('/docs');
  assert.ok(docs.statusCode === 200 || docs.statusCode === 302);
  const page = await app.inject('/docs/static/index.html');
  assert.ok([200, 302].includes(page.statusCode));
  await app.close();
});

test('with an API key the /api and /v2 operations require it in the document', async () => {
  const app = await fixtureServer(['gbdt-binary'], { apiKey: 'k' });
  const doc = (await app.inject('/openapi.json')).json() as Json;
  assert.ok(doc.components.securitySchemes.bearer);
  assert.deepEqual(doc.paths['/api/v1/predict'].post.security, [{ bearer: [] }, { apiKey: [] }]);
  assert.deepEqual(doc.paths['/v2/models/{id}/infer'].post.security, [{ bearer: [] }, { apiKey: [] }]);
  assert.equal(doc.paths['/healthz'].get.security, undefined);
  await app.close();
});
