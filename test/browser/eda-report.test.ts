/**
 * The EDA report of NSL-KDD (binary target) in headless Debian chromium: no console errors,
 * no network, the class distribution, the test tables and at least one drawn chart per section.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../../src/data/index.js';
import { analyzeDataset } from '../../src/eda/analyze.js';
import { buildEdaReport, SECTIONS } from '../../src/reports/eda-report.js';
import { openFile } from './chromium.js';

const TRAIN = fileURLToPath(new URL('../../../data/nsl-kdd/KDDTrain+_20Percent.txt.gz', import.meta.url));

test('EDA report renders in chromium with every section, chart and table', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nadir-eda-browser-'));
  try {
    const file = join(dir, 'eda.html');
    await writeFile(file, await buildEdaReport(analyzeDataset(await loadDataset(TRAIN))));
    const opened = await openFile(file, { width: 1400 });
    try {
      const { page } = opened;
      assert.match(await page.title(), /Exploratory analysis — KDDTrain\+_20Percent/);

      // class distribution: the counts and a drawn bar chart
      const classes = page.locator('#classes');
      assert.ok(await classes.isVisible());
      const classText = await classes.innerText();
      assert.match(classText, /13,449/);
      assert.match(classText, /11,743/);
      assert.ok((await classes.locator('svg [aria-roledescription="bar"]').count()) >= 2);

      // the tests tables
      const tests = page.locator('table.tests-numeric');
      assert.ok(await tests.isVisible());
      assert.equal(await tests.locator('tbody tr').count(), 36);
      assert.match(await tests.innerText(), /src_bytes\s+[\d,.]+\s+[\d,.]+\s+0\.851936/);
      assert.equal(await page.locator('table.tests-categorical tbody tr').count(), 3);
      assert.match(await page.locator('#ranking').innerText(), /The tests disagree/);

      // at 1400 px the wide tables fit their section: no column hidden behind a horizontal scroll
      for (const sel of ['table.numeric-summary', 'table.tests-numeric', 'table.tests-categorical']) {
        const fit = await page.locator(sel).evaluate((t) => {
          const wrap = t.parentElement!;
          return { table: Math.round(t.getBoundingClientRect().width), wrap: wrap.clientWidth, scroll: wrap.scrollWidth };
        });
        assert.ok(fit.scroll <= fit.wrap, `${sel} fits (${JSON.stringify(fit)})`);
      }
      // the ranking chart's legend and feature names are written out, not cut ("numeric: |rank-bi…")
      const ranking = (await page.locator('#ranking figure.chart svg').first().textContent()) ?? '';
      assert.ok(ranking.includes('numeric: |rank-biserial r|'), ranking.slice(0, 300));
      assert.ok(ranking.includes("categorical: Cramér's V"));
      assert.ok(ranking.includes('dst_host_same_src_port_rate'));
      assert.doesNotMatch(ranking, /…/);

      // every section holds at least one chart that the browser actually lays out
      // (NSL-KDD has no identifier columns: that section says so, without a chart)
      assert.match(await page.locator('#identifiers').innerText(), /No column was recognised as an identifier/);
      for (const s of SECTIONS) {
        if (s.id === 'identifiers') continue;
        const svgs = page.locator(`#${s.id} figure.chart svg`);
        assert.ok((await svgs.count()) >= 1, `section ${s.id} has a chart`);
        const box = await svgs.first().boundingBox();
        assert.ok(box && box.width > 100 && box.height > 50, `chart in ${s.id} is laid out (${JSON.stringify(box)})`);
      }

      const shot = join(dir, 'eda.png');
      await page.screenshot({ path: shot, fullPage: false });
      assert.ok((await stat(shot)).size > 20_000);
      assert.deepEqual(opened.errors, []);
    } finally {
      await opened.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
