/**
 * The dashboard in headless Debian chromium against a real server (createServer on 127.0.0.1, an
 * ephemeral port, the gbdt-binary fixture model): no console errors and no request leaving the
 * server, the Models page shows the model card (classes, metrics, charts), the Predict page scores
 * the attack example as Attack with an explanation chart. A screenshot of each page goes to a temp
 * dir (NADIR_KEEP_SCREENSHOTS=<dir> keeps them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureServer, RECORDS_FILE } from '../../src/serve/testdata/fixtures.js';
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
    assert.deepEqual(errors, []);
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
