import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { loadDataset } from '../data/load.js';
import { CIC_FLOW_FEATURES, CIC_ID_COLUMNS, cicFlowsCsv } from '../data/testdata/cic-flows.js';
import { tempDir, writeFixture } from '../data/testdata/files.js';
import { analyzeDataset } from '../eda/analyze.js';
import { Pipeline } from '../features/pipeline.js';
import { learnerSpec } from '../learners/registry.js';
import { CollectingLogger } from '../logger.js';
import { inspectDataset } from './inspect.js';
import { train } from './train.js';

/**
 * The benchmark's table (bench/flows.ts measures train time and memory on it): 10,000
 * CICFlowMeter-style flows with and without the flow id, addresses and timestamp. Here: the
 * identifiers are recognised, so both give the model the same inputs and the same matrix.
 */
const dir = tempDir('nadir-flow-ids-');
after(() => rmSync(dir, { recursive: true, force: true }));
const N = 10_000;
const withIds = writeFixture(dir, 'flows.csv', cicFlowsCsv(N));
const without = writeFixture(dir, 'flows-no-ids.csv', cicFlowsCsv(N, { withIds: false }));

describe('a 10,000-flow CIC-style table with addresses and timestamps', () => {
  it('the identifiers are recognised, and the matrix is as wide as without them', async () => {
    const [a, b] = await Promise.all([loadDataset(withIds), loadDataset(without)]);
    assert.equal(a.format, 'cic-ids2017');
    assert.equal(a.features.nRows, N);
    assert.deepEqual(a.identifiers?.map((i) => [i.column.name, i.role]), [['Flow ID', 'flow-id'], ['Source IP', 'ip-address'], ['Destination IP', 'ip-address'], ['Timestamp', 'timestamp']]);
    assert.deepEqual(b.identifiers, []);
    assert.deepEqual(a.features.columns.map((c) => c.name), [...CIC_FLOW_FEATURES]);
    assert.deepEqual(b.features.columns.map((c) => c.name), [...CIC_FLOW_FEATURES]);
    const ids = inspectDataset(a).columns.filter((c) => c.role !== 'feature');
    assert.ok(ids.find((c) => c.name === 'Source IP')!.distinct > 2500, 'thousands of addresses');
    const options = learnerSpec('gbdt').preprocessing;
    const wa = new Pipeline(options).fit(a.features).transform(a.features);
    const wb = new Pipeline(options).fit(b.features).transform(b.features);
    assert.equal(wa.nCols, wb.nCols);
    assert.equal(wa.nCols, CIC_FLOW_FEATURES.length);
    // kept on purpose, each identifier adds at most 100 categories + '<other>', not one column per address
    const kept = await loadDataset(withIds, { keep: [...CIC_ID_COLUMNS] });
    const pk = new Pipeline(options).fit(kept.features);
    assert.equal(pk.transform(kept.features).nCols, CIC_FLOW_FEATURES.length + 4 * 101);
    assert.deepEqual(pk.cuts.map((c) => c.column), [...CIC_ID_COLUMNS]);
  });

  it('EDA: no identifier in the ranking of features linked to attacks; an identifiers section with distinct counts and top talkers', async () => {
    const ds = await loadDataset(withIds);
    const r = analyzeDataset(ds);
    assert.ok(r.ranking.length > 0);
    for (const id of CIC_ID_COLUMNS) assert.ok(!r.ranking.some((f) => f.feature === id), id);
    assert.deepEqual(r.identifiers.map((i) => i.name), [...CIC_ID_COLUMNS]);
    const src = r.identifiers.find((i) => i.name === 'Source IP')!;
    assert.equal(src.role, 'ip-address');
    assert.equal(src.distinct, new Set(cicFlowsCsv(N).split('\n').slice(1, -1).map((l) => l.split(',')[1])).size);
    // the top talkers are the five attackers, every one of their rows an attack
    assert.deepEqual(src.top.slice(0, 5).map((t) => t.value).sort(), ['172.0.3.233', '172.0.3.234', '172.0.3.235', '172.0.7.209', '172.0.7.210']);
    for (const t of src.top.slice(0, 5)) assert.equal(t.attackRows, t.rows);
    assert.equal(src.top.reduce((s, t) => s + t.rows, 0) <= N, true);
  });

  it('train: a kept identifier is an input with one-hot bounded, and a warning names the categories cut; the others are recorded as ignored', async () => {
    const logger = new CollectingLogger();
    const r = await train({ data: withIds, load: { keep: ['Source IP'] }, model: 'gbdt', cv: 0, permutationRepeats: 0, learner: { nEstimators: 5 }, maxCategories: 50, logger });
    assert.ok(r.body.schema.inputs.some((i) => i.name === 'Source IP' && i.categories?.length === 50));
    assert.deepEqual(r.body.schema.ignored?.map((i) => i.name), ['Flow ID', 'Destination IP', 'Timestamp']);
    assert.equal(r.body.provenance.options.maxCategories, 50);
    const cut = logger.warnings.filter((w) => w.code === 'categories-cut');
    assert.equal(cut.length, 1);
    assert.match(cut[0]!.message, /column 'Source IP' has [\d,]+ categories: one-hot keeps the 50 most frequent \(maxCategories\), the other [\d,]+ \([\d,]+ rows\) share one '<other>' column/);
  });
});
