/**
 * The dashboard in headless Debian chromium against a real server (createServer on 127.0.0.1, an
 * ephemeral port, the gbdt-binary fixture model): no console errors and no request leaving the
 * server, the Models page shows the model card (classes, metrics, charts), the Predict page scores
 * the attack example as Attack with an explanation chart, and a CSV upload (the first 30 KDDTest+
 * records, headerless NSL-KDD, plain and gzip'd) shows 30 rows whose attacks-only filter matches the
 * API, 600 records render 500 rows and count the rest; a bad file shows the API's error. A tiny hybrid trained
 * in the test shows its parts' thresholds and gate as the model holds them; a model that ignored identifier
 * columns lists them. A screenshot of each page goes to a temp
 * dir (NADIR_KEEP_SCREENSHOTS=<dir> keeps them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train } from '../../src/app/train.js';
import { createServer } from '../../src/serve/server.js';
import { DATA, fixtureDetector, fixtureServer, RECORDS_FILE } from '../../src/serve/testdata/fixtures.js';
import { openUrl } from './chromium.js';

test('dashboard: Models and Predict pages in chromium, served by createServer', { timeout: 120_000 }, async () => {
  const app = await fixtureServer(['gbdt-binary']);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const keep = process.env.NADIR_KEEP_SCREENSHOTS;
  const dir = keep ?? (await mkdtemp(join(tmpdir(), 'nadir-dashboard-')));
  if (keep) await mkdir(keep, { recursive: true });
  const opened = await openUrl(`${address}/#/models`);
  const { page, errors } = opened;
  try {
    await page.waitForSelector('main[data-ready="models"]');
    const card = await page.textContent('#model-card');
    assert.match(card ?? '', /normal, attack/);
    assert.match(card ?? '', /binary/);
    const metrics = await page.textContent('table.metrics');
    assert.match(metrics ?? '', /cross-validation/);
    assert.match(metrics ?? '', /ROC AUC\s*0\.99/);
    assert.match((await page.textContent('#decision')) ?? '', /Attack when its probability of attack is ≥ 0\.4089/);
    await page.waitForSelector('[data-chart="gain"] svg');
    await page.waitForSelector('[data-chart="cv"] svg');
    await page.screenshot({ path: join(dir, 'models.png'), fullPage: true });

    await page.click('nav a[data-page="predict"]');
    await page.waitForSelector('main[data-ready="predict"]');
    assert.equal(await page.locator('#record-form select').count(), 3, 'protocol_type, service, flag are selects');
    await page.click('#example-attack');
    assert.equal(await page.inputValue('#f-service'), 'private');
    await page.click('#score');
    await page.waitForSelector('#explanation-chart svg');
    assert.equal((await page.textContent('#result-label'))?.trim(), 'Attack');
    await page.screenshot({ path: join(dir, 'predict.png'), fullPage: true });
    assert.ok((await stat(join(dir, 'predict.png'))).size > 10_000);

    await page.click('#example-normal');
    await page.click('#score');
    await page.locator('#result-label', { hasText: 'Normal' }).waitFor();

    // CSV upload: the first 30 records of KDDTest+ (headerless NSL-KDD, as bundled)
    const all = gunzipSync(await readFile(`${DATA}KDDTest+.txt.gz`)).toString('utf8').split('\n');
    const lines = all.slice(0, 30);
    const csv = `${lines.join('\n')}\n`;
    const csvFile = join(dir, 'kddtest-30.csv');
    await writeFile(csvFile, csv);
    const res = await fetch(`${address}/api/v1/models/gbdt-binary/predict/csv`, { method: 'POST', headers: { 'content-type': 'text/csv', accept: 'application/x-ndjson' }, body: csv });
    assert.equal(res.status, 200);
    const expected = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { label: string });
    assert.equal(expected.length, 30);
    const attacks = expected.filter((r) => r.label === 'Attack').length;
    assert.ok(attacks > 0 && attacks < 30, `a mix of labels (${attacks} attacks)`);
    await page.setInputFiles('#csv-file', csvFile);
    await page.waitForSelector('#csv-table[data-rows="30"]');
    assert.equal(await page.locator('#csv-table tbody tr').count(), 30);
    assert.equal((await page.textContent('#csv-counts [data-label="Attack"]'))?.trim(), String(attacks));
    await page.check('#csv-attacks-only');
    await page.waitForSelector(`#csv-table[data-rows="${attacks}"]`);
    assert.equal(await page.locator('#csv-table tbody tr').count(), attacks);
    assert.equal(await page.locator('#csv-table tbody tr.normal').count(), 0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-download')]);
    const saved = join(dir, 'attacks.csv');
    await download.saveAs(saved);
    const out = (await readFile(saved, 'utf8')).trim().split('\n');
    assert.equal(out[0], 'row,label,class,probability');
    assert.equal(out.length, attacks + 1);
    assert.ok(out.slice(1).every((l) => l.split(',')[1] === 'Attack'));
    await page.uncheck('#csv-attacks-only');
    await page.waitForSelector('#csv-table[data-rows="30"]');
    await page.screenshot({ path: join(dir, 'predict-csv.png'), fullPage: true });

    // the same file gzip'd
    const gzFile = join(dir, 'kddtest-30.csv.gz');
    await writeFile(gzFile, gzipSync(csv));
    await page.setInputFiles('#csv-file', gzFile);
    await page.waitForSelector('#csv-status >> text=kddtest-30.csv.gz: 30 records');
    await page.waitForSelector('#csv-table[data-rows="30"]');

    // more rows than the table renders: the first 500, and a count of the rest
    const bigFile = join(dir, 'kddtest-600.csv');
    await writeFile(bigFile, `${all.slice(0, 600).join('\n')}\n`);
    await page.setInputFiles('#csv-file', bigFile);
    await page.waitForSelector('#csv-table[data-rows="600"]');
    assert.equal(await page.locator('#csv-table tbody tr').count(), 500);
    assert.match((await page.textContent('#csv-more')) ?? '', /first 500 of 600 rows; 100 more/);
    assert.deepEqual(errors, []);

    // an API error is shown in the error box; chromium logs the 4xx response itself, and nothing else is logged
    const badFile = join(dir, 'bad.csv');
    await writeFile(badFile, 'a,b,c\n1,2,3\n');
    await page.setInputFiles('#csv-file', badFile);
    await page.waitForSelector('#csv-error');
    assert.match((await page.textContent('#csv-error')) ?? '', /^4\d\d NADIR_ERR_\w+: ./);
    assert.equal(await page.isHidden('#csv-table'), true);
    assert.equal(errors.length, 1, errors.join('; '));
    assert.match(errors[0] ?? '', /^console: Failed to load resource: the server responded with a status of 4\d\d/);
  } finally {
    await opened.close();
    await app.close();
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
});

test('dashboard: the Live page receives the demo replay over Server-Sent Events', { timeout: 120_000 }, async () => {
  const app = await fixtureServer(['gbdt-binary'], { demo: { rate: 200, data: RECORDS_FILE } });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const keep = process.env.NADIR_KEEP_SCREENSHOTS;
  const dir = keep ?? (await mkdtemp(join(tmpdir(), 'nadir-dashboard-')));
  if (keep) await mkdir(keep, { recursive: true });
  const opened = await openUrl(`${address}/#/live`);
  const { page, errors } = opened;
  try {
    await page.waitForSelector('main[data-ready="live"]');
    await page.waitForFunction('document.querySelectorAll("#live-table tbody tr").length >= 5');
    await page.waitForFunction('Number(document.getElementById("live-total").textContent.replace(/,/g, "")) >= 5');
    assert.equal((await page.textContent('#live-status'))?.trim(), 'connected');
    assert.match((await page.textContent('#live-labels')) ?? '', /Attack|Normal/);
    const row = (await page.textContent('#live-table tbody tr')) ?? '';
    assert.match(row, /gbdt-binary/);
    assert.match(row, /(Attack|Normal)/);
    await page.waitForSelector('#live-chart svg path[aria-roledescription="line mark"], #live-chart svg .mark-line path');
    assert.ok((await page.locator('#live-table tbody tr').count()) <= 50);
    await page.screenshot({ path: join(dir, 'live.png'), fullPage: true });
    assert.deepEqual(errors, []);
    // leaving the page closes its EventSource: chromium reports the stream it ended as a failed request, and nothing else
    await page.click('nav a[data-page="models"]');
    await page.waitForSelector('main[data-ready="models"]');
    assert.deepEqual(errors.filter((e) => e !== `request failed: ${address}/api/v1/events`), []);
  } finally {
    await opened.close();
    await app.close();
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
});

test('dashboard: the model card draws the ROC and precision–recall curves the model file stores; an older file says it has none', { timeout: 180_000 }, async () => {
  // a model trained now stores its curves (cross-validation and the hold-out file); the v1 fixture does not
  const trained = await train({
    data: `${DATA}KDDTrain+_20Percent.txt.gz`,
    tests: [`${DATA}KDDTest-21.txt.gz`],
    model: 'gbdt',
    cv: 2,
    seed: 1,
    permutationRepeats: 0,
    learner: { nEstimators: 15, maxDepth: 4 },
  });
  const app = await createServer({ models: [{ id: 'with-curves', detector: trained.detector }, { id: 'gbdt-binary', detector: await fixtureDetector('gbdt-binary') }] });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const keep = process.env.NADIR_KEEP_SCREENSHOTS;
  const dir = keep ?? (await mkdtemp(join(tmpdir(), 'nadir-dashboard-')));
  if (keep) await mkdir(keep, { recursive: true });
  const opened = await openUrl(`${address}/#/models/with-curves`);
  const { page, errors } = opened;
  try {
    // served by the model card: at most 200 points per curve
    const card = (await (await fetch(`${address}/api/v1/models/with-curves`)).json()) as { metrics: { cv: { curves: { roc: { x: number[]; y: number[] }; pr: { x: number[] } } }; test: Record<string, { curves?: unknown }> } };
    const roc = card.metrics.cv.curves.roc;
    assert.ok(roc.x.length > 20 && roc.x.length <= 200 && roc.y.length === roc.x.length, `${roc.x.length} ROC points`);
    assert.ok(card.metrics.cv.curves.pr.x.length <= 200);
    assert.ok(card.metrics.test['KDDTest-21.txt.gz']?.curves, 'the hold-out file has its curves too');

    await page.waitForSelector('main[data-ready="models"]');
    for (const chart of ['roc', 'roc-log', 'pr']) {
      await page.waitForSelector(`[data-chart="${chart}"] svg`);
      // one line per set: cross-validation and the hold-out file
      const lines = await page.locator(`[data-chart="${chart}"] svg path[aria-roledescription="line mark"]`).count();
      assert.ok(lines >= 2, `${chart}: ${lines} lines`);
    }
    assert.match((await page.textContent('[data-chart="roc"]')) ?? '', /ROC curve/);
    assert.match((await page.textContent('[data-chart="pr"]')) ?? '', /Precision–recall curve/);
    const legend = (await page.textContent('#curve-legend')) ?? '';
    assert.match(legend, /2-fold CV ROC AUC 0\.99\d\d/);
    assert.match(legend, /KDDTest-21 ROC AUC 0\.\d{4}/);
    await page.screenshot({ path: join(dir, 'models-curves.png'), fullPage: true });

    await page.click('a[href="#/models/gbdt-binary"]');
    await page.waitForSelector('#curves-note');
    assert.match((await page.textContent('#curves-note')) ?? '', /stores no ROC or precision–recall curves/);
    assert.equal(await page.locator('[data-chart="roc"]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await opened.close();
    await app.close();
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
});

test('dashboard: a hybrid model card shows both thresholds, the anomaly budget and its out-of-fold rate, and the gate; a model with identifier columns lists them', { timeout: 180_000 }, async () => {
  // a tiny hybrid trained now on the first 1,500 rows of KDDTrain+_20Percent
  const dir = await mkdtemp(join(tmpdir(), 'nadir-dashboard-hybrid-'));
  const rows = gunzipSync(await readFile(`${DATA}KDDTrain+_20Percent.txt.gz`)).toString('utf8').split('\n').slice(0, 1500);
  const data = join(dir, 'train-1500.csv');
  await writeFile(data, `${rows.join('\n')}\n`);
  const trained = await train({ data, model: 'hybrid', cv: 2, seed: 1, permutationRepeats: 0, learner: { nEstimators: 8, maxDepth: 3, nThreads: 1 } });
  const decision = trained.body.decision;
  assert.ok(decision.kind === 'threshold' && decision.parts, 'the hybrid stores its parts');
  const parts = decision.parts;
  // a model that ignored identifier columns (the CICFlowMeter fixture: flow id, addresses, time)
  const cic = await train({ data: 'test/fixtures/cicflowmeter/test.pcap_CIC.csv', model: 'iforest', cv: 0, permutationRepeats: 0, learner: { nEstimators: 10 } });
  const ignored = cic.body.schema.ignored ?? [];
  assert.ok(ignored.length > 0);
  const app = await createServer({ models: [{ id: 'hybrid', detector: trained.detector }, { id: 'gbdt-binary', detector: await fixtureDetector('gbdt-binary') }, { id: 'cic', detector: cic.detector }] });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const opened = await openUrl(`${address}/#/models/hybrid`);
  const { page, errors } = opened;
  try {
    await page.waitForSelector('main[data-ready="models"]');
    await page.waitForSelector('#hybrid-parts');
    const shown = async (field: string): Promise<{ text: string; value: number }> => {
      const el = page.locator(`#hybrid-parts [data-field="${field}"]`);
      return { text: ((await el.textContent()) ?? '').trim(), value: Number(await el.getAttribute('data-value')) };
    };
    const expected: Array<[string, number, string]> = [
      ['supervised-threshold', parts.supervised.threshold, parts.supervised.threshold.toFixed(4)],
      ['anomaly-threshold', parts.anomaly.threshold, parts.anomaly.threshold.toFixed(4)],
      ['gate', parts.anomaly.gate ?? 0, (parts.anomaly.gate ?? 0).toFixed(4)],
      ['anomaly-budget', parts.anomaly.maxFpr, `${(100 * parts.anomaly.maxFpr).toFixed(1)}%`],
      ['anomaly-oof-fpr', parts.anomaly.oofFpr, `${(100 * parts.anomaly.oofFpr).toFixed(2)}%`],
    ];
    for (const [field, value, text] of expected) {
      const s = await shown(field);
      assert.equal(s.value, value, `${field}: the exact value`);
      assert.equal(s.text, text, `${field}: as shown`);
    }
    assert.ok((parts.anomaly.gate ?? 0) > 0, 'the default gate is set');
    const table = (await page.textContent('#hybrid-parts')) ?? '';
    assert.match(table, /probability of attack is at or above this/);
    assert.match(table, /distance to the nearest normal training row/);
    assert.match(table, /supervised part vetoes it/);
    assert.match((await page.textContent('#decision')) ?? '', /labelled Attack when either part fires/);
    assert.match(table, new RegExp(`of ${parts.anomaly.normalRows.toLocaleString('en-US')} normal rows`));
    // NSL-KDD has no identifier columns: no ignored-columns section
    assert.equal(await page.locator('#ignored').count(), 0);
    await page.screenshot({ path: join(dir, 'models-hybrid.png'), fullPage: true });

    // a model that is not a hybrid has no parts table
    await page.click('a[href="#/models/gbdt-binary"]');
    await page.waitForSelector('#decision >> text=0.4089');
    assert.equal(await page.locator('#hybrid-parts').count(), 0);

    // the identifier columns a model ignored: listed as passed through, not inputs
    await page.click('a[href="#/models/cic"]');
    await page.waitForSelector('#ignored');
    assert.match((await page.textContent('#ignored')) ?? '', /Passed through, not inputs/);
    const listed = await page.locator('#ignored li').evaluateAll((els) => els.map((e) => [e.getAttribute('data-column'), e.textContent]));
    assert.deepEqual(listed, ignored.map((c) => [c.name, `${c.name} — ${c.role}`]));
    assert.equal(await page.locator('#hybrid-parts').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await opened.close();
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
});
