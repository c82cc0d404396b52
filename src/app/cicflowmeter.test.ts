import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadData } from '../data/load.js';
import { collect, rejectsWith, tempDir, writeFixture } from '../data/testdata/files.js';
import { CIC_IDS2017_FEATURES } from '../data/formats/cicids.js';
import { predict } from './predict.js';
import { predictionsCsv, predictionRecords } from './prediction-records.js';
import { inspectDataset } from './inspect.js';
import { loadDataset } from '../data/load.js';
import { train } from './train.js';

/** The same 96 flows under the CIC-IDS2017 names (label BENIGN) and the CICFlowMeter-V4 names (label `No Label`). */
const CIC = 'test/fixtures/cicflowmeter/test.pcap_CIC.csv';
const FLOW = 'test/fixtures/cicflowmeter/test.pcap_Flow.csv';
const IDS = ['Flow ID', 'Source IP', 'Destination IP', 'Timestamp'];

describe('CICFlowMeter output under both naming schemes', () => {
  it('inspect lists the same canonical columns for both files, the flow id, addresses and time as identifiers', async () => {
    const [a, b] = await Promise.all([loadDataset(CIC), loadDataset(FLOW, { normal: ['No Label'] })]);
    const ra = inspectDataset(a);
    const rb = inspectDataset(b);
    assert.deepEqual(ra.columns.map((c) => [c.name, c.kind, c.role]), rb.columns.map((c) => [c.name, c.kind, c.role]));
    assert.deepEqual(ra.columns.filter((c) => c.role !== 'feature').map((c) => c.name), IDS);
    // every input is a canonical CIC-IDS2017 feature, ports among them
    const inputs = ra.columns.filter((c) => c.role === 'feature').map((c) => c.name);
    assert.deepEqual(inputs, CIC_IDS2017_FEATURES);
    assert.ok(inputs.includes('Source Port') && inputs.includes('Destination Port'));
    // the duplicate Fwd Header Length is read once; the V4 file's renamings are a finding
    assert.ok(a.findings.some((f) => f.code === 'duplicate-column' && f.column === 'Fwd Header Length.1'));
    const renamed = b.findings.find((f) => f.code === 'columns-renamed');
    assert.equal(renamed?.count, 53);
    // same values under the two names: the V4 file's `Tot Fwd Pkts` is CIC's `Total Fwd Packets`
    for (const name of ['Total Fwd Packets', 'Min Packet Length', 'Init_Win_bytes_forward', 'Fwd Header Length']) {
      const x = a.features.columns.find((c) => c.name === name)!;
      const y = b.features.columns.find((c) => c.name === name)!;
      assert.deepEqual(x, y, name);
    }
  });

  for (const [from, to, normal] of [[CIC, FLOW, undefined], [FLOW, CIC, ['No Label']]] as const) {
    it(`a model trained on ${from.split('/').pop()} scores ${to.split('/').pop()} with no option, and the alerts keep their addresses and time`, async () => {
      const r = await train({ data: from, model: 'iforest', cv: 0, permutationRepeats: 0, learner: { nEstimators: 20 }, ...(normal ? { load: { normal } } : {}) });
      assert.deepEqual(r.body.schema.ignored, IDS.map((name) => ({ name, role: name === 'Flow ID' ? 'flow-id' : name === 'Timestamp' ? 'timestamp' : 'ip-address' })));
      assert.ok(r.body.schema.inputs.every((i) => !IDS.includes(i.name)));
      const logger = collect();
      const other = await predict(r.detector, to, { logger });
      const same = await predict(r.detector, from);
      assert.equal(other.nRows, 96);
      // the same flows under other names score the same
      assert.deepEqual(Array.from(other.score), Array.from(same.score));
      const recs = predictionRecords(r.detector, other);
      const raw = readFileSync(to, 'utf8').split('\n')[1]!.split(',');
      assert.deepEqual(recs[0]!.fields, { 'Flow ID': raw[0], 'Source IP': raw[1], 'Destination IP': raw[3], Timestamp: raw[6] });
      assert.match(predictionsCsv(r.detector, other).split('\n')[0]!, /^row,Flow ID,Source IP,Destination IP,Timestamp,label,class,probability$/);
      // scoring says nothing about renamings and identifiers (learning-time findings)
      assert.deepEqual(logger.warnings.filter((w) => ['columns-renamed', 'identifier-columns'].includes(w.code)), []);
    });
  }

  it('a missing input with a near-miss name is an error with the suggestion; fillMissing scores without it, on request only', async () => {
    const r = await train({ data: CIC, model: 'iforest', cv: 0, permutationRepeats: 0, learner: { nEstimators: 10 } });
    const dir = tempDir('nadir-cic-');
    const lines = readFileSync(CIC, 'utf8').split('\n');
    // a hand-edited copy: `Flow Duration` misspelt, `Idle Min` removed
    const header = lines[0]!.split(',');
    const idle = header.findIndex((h) => h.trim() === 'Idle Min');
    const edited = lines.filter((l) => l !== '').map((l, i) => {
      const cells = l.split(',');
      if (i === 0) cells[7] = ' Flow Durration';
      cells.splice(idle, 1);
      return cells.join(',');
    });
    const path = writeFixture(dir, 'edited.csv', `${edited.join('\n')}\n`);
    const msg = await rejectsWith(predict(r.detector, path), 'NADIR_ERR_MISSING_COLUMN', /missing column 'Flow Duration'/);
    assert.match(msg, /the input has 'Flow Durration' \(is it 'Flow Duration'\? rename it\)/);
    assert.match(msg, /also missing: 'Idle Min'/);
    assert.match(msg, /fillMissing scores without the missing columns/);
    const logger = collect();
    const p = await predict(r.detector, path, { fillMissing: true, logger });
    assert.equal(p.nRows, 96);
    const w = logger.warnings.find((x) => x.code === 'filled-missing');
    assert.ok(w && w.count === 2 && /'Flow Duration', 'Idle Min'/.test(w.message), w?.message);
    // the loader read it as CIC-IDS2017 all the same
    assert.equal((await loadData(path)).format, 'cic-ids2017');
  });
});
