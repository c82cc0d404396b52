import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { predict } from '../app/predict.js';
import { predictionsCsv } from '../app/prediction-records.js';
import { train } from '../app/train.js';
import { loadData } from '../data/load.js';
import { dataToRecords } from './records.js';
import { createServer } from './server.js';

const CIC = 'test/fixtures/cicflowmeter/test.pcap_CIC.csv';
const FLOW = 'test/fixtures/cicflowmeter/test.pcap_Flow.csv';

test('a model that ignored identifier columns: JSON and CSV predictions pass the flow id, addresses and time through', async () => {
  const { detector } = await train({ data: CIC, model: 'iforest', cv: 0, permutationRepeats: 0, learner: { nEstimators: 10 } });
  const app = await createServer({ models: [{ id: 'cic', detector }] });
  try {
    // JSON records as a client sends them: the flow's features and its identifiers (CIC-IDS2017 names)
    const data = await loadData(CIC, { role: 'score' });
    const records = dataToRecords(data).map((r, i) => {
      for (const id of data.identifiers ?? []) r[id.column.name] = id.column.kind === 'categorical' ? id.column.dictionary[id.column.codes[i]!]! : id.column.values[i]!;
      return r;
    });
    const res = await app.inject({ method: 'POST', url: '/api/v1/predict', payload: { records: records.slice(0, 3) } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { predictions: Array<{ fields?: Record<string, unknown>; probability: number }> };
    const raw = readFileSync(CIC, 'utf8').split('\n')[1]!.split(',');
    assert.deepEqual(body.predictions[0]!.fields, { 'Flow ID': raw[0], 'Source IP': raw[1], 'Destination IP': raw[3], Timestamp: raw[6] });
    const local = await predict(detector, CIC);
    body.predictions.forEach((p, i) => assert.equal(p.probability, local.score[i]));
    const card = await app.inject({ method: 'GET', url: '/api/v1/models/cic' });
    assert.deepEqual(card.json().ignored, [
      { name: 'Flow ID', role: 'flow-id' },
      { name: 'Source IP', role: 'ip-address' },
      { name: 'Destination IP', role: 'ip-address' },
      { name: 'Timestamp', role: 'timestamp' },
    ]);
    // one record, without its identifiers: no fields
    const one = await app.inject({ method: 'POST', url: '/api/v1/predict', payload: dataToRecords(data)[0] });
    assert.equal(one.statusCode, 200, one.body);
    assert.equal('fields' in one.json(), false);
    // the CICFlowMeter-V4 file uploaded as CSV: canonical names, identifiers in the output, as nadir predict writes it
    const csv = await app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: readFileSync(FLOW), headers: { 'content-type': 'text/csv' } });
    assert.equal(csv.statusCode, 200, csv.body);
    assert.equal(csv.body, predictionsCsv(detector, await predict(detector, FLOW)));
    assert.match(csv.body.split('\n')[0]!, /^row,Flow ID,Source IP,Destination IP,Timestamp,label,class,probability$/);
  } finally {
    await app.close();
  }
});
