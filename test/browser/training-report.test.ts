/**
 * The training report of a real run (gradient boosting, NSL-KDD 20% train → KDDTest+, 3-fold CV) in
 * headless Debian chromium: no console errors or network, every section present, the ROC, PR, confusion-matrix and
 * importance charts laid out by the browser, the CV vs hold-out verdict in words, a screenshot.
 * Set NADIR_KEEP_SCREENSHOTS=<dir> to keep the report and its screenshot for a look.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { train } from '../../src/app/train.js';
import { writeTrainingReport } from '../../src/reports/training-report.js';
import { openFile } from './chromium.js';

const data = (f: string): string => fileURLToPath(new URL(`../../../data/nsl-kdd/${f}`, import.meta.url));

test('training report of a real NSL-KDD run renders in chromium with all its charts', { timeout: 300_000 }, async () => {
  const result = await train({
    data: data('KDDTrain+_20Percent.txt.gz'),
    tests: [data('KDDTest+.txt.gz')],
    model: 'gbdt',
    cv: 3,
    learner: { nEstimators: 30 },
    permutationRepeats: 2,
    permutationRows: 2000,
  });
  const dir = await mkdtemp(join(tmpdir(), 'nadir-train-report-'));
  try {
    const file = join(dir, 'report.html');
    await writeTrainingReport(file, result);
    const opened = await openFile(file, { width: 1400, height: 1000 });
    try {
      const { page } = opened;
      assert.match(await page.title(), /^Training report: gradient-boosted trees on KDDTrain\+_20Percent\.txt\.gz$/);

      // every section the nav links to is there
      const nav = await page.locator('nav.sections a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(nav, ['#summary', '#data', '#metrics', '#confusion', '#curves', '#threshold', '#classes', '#unseen', '#importance', '#timings', '#reproduce']);
      for (const id of nav) assert.equal(await page.locator(`section${id}`).count(), 1, `${id}`);

      // the charts, each laid out with a real size
      const charts = ['Confusion matrix, 3-fold CV', 'Confusion matrix, KDDTest+', 'ROC curve', 'ROC curve, log false-positive rate', 'Precision-recall curve', 'Out-of-fold score distribution', 'Gain importance', 'Permutation importance'];
      for (const label of charts) {
        const svg = page.locator(`svg[aria-label="${label}"]`);
        assert.equal(await svg.count(), 1, label);
        const box = await svg.boundingBox();
        assert.ok(box && box.width > 150 && box.height > 150, `${label} is laid out (${JSON.stringify(box)})`);
      }
      // the ROC chart: the chance diagonal + one line per set, and an operating point per set
      assert.equal(await page.locator('svg[aria-label="ROC curve"] [aria-roledescription="line mark"]').count(), 3);
      assert.equal(await page.locator('svg[aria-label="ROC curve"] [aria-roledescription="point"]').count(), 2);
      // the heat map writes the counts of the confusion matrix in its cells
      const heat = (await page.locator('svg[aria-label="Confusion matrix, KDDTest+"]').textContent()) ?? '';
      for (const row of result.tests[0]!.metrics.confusionMatrix) for (const n of row) assert.ok(heat.includes(n.toLocaleString('en-US')), `count ${n}`);
      // per-class table: recall sits next to precision (its badge has a column of its own), no wide empty gap
      const edges = await page.locator('table.per-class thead th').evaluateAll((ths) => Object.fromEntries(ths.map((th) => [th.textContent ?? '', Math.round(th.getBoundingClientRect().right)])));
      assert.ok(edges.recall! - edges.precision! < 120, `precision and recall columns ${JSON.stringify(edges)}`);
      const importance = await page.locator('#importance').innerText();
      assert.match(importance, /src_bytes/);

      // CV and hold-out side by side, with the run's own numbers
      const metrics = await page.locator('#metrics table').innerText();
      assert.ok(metrics.includes(`${(100 * result.cv!.accuracy).toFixed(2)}%`), 'CV accuracy');
      assert.ok(metrics.includes(`${(100 * result.tests[0]!.metrics.accuracy).toFixed(2)}%`), 'KDDTest+ accuracy');
      assert.ok(metrics.includes(result.tests[0]!.metrics.rocAuc!.toFixed(4)), 'KDDTest+ ROC-AUC');
      // NSL-KDD: CV near-perfect, KDDTest+ far worse — the report says so and why
      assert.ok(result.cv!.accuracy - result.tests[0]!.metrics.accuracy > 0.05, 'the known NSL-KDD gap');
      const summary = await page.locator('#summary').innerText();
      assert.match(summary, /The hold-out result is much worse than cross-validation/);
      assert.match(summary, /KDDTest\+ was recorded separately, and it holds 18 attack types that never occur in training \(3,752 rows; the most frequent: mscan, apache2, processtable, snmpguess, saint\)/);
      assert.match(await page.locator('#reproduce').innerText(), /nadir train --data \S+KDDTrain\+_20Percent\.txt\.gz --test \S+KDDTest\+\.txt\.gz --model gbdt --target binary --cv 3 --seed 0 (--threshold 0.5 )?--trees 30/);

      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok((await stat(shot)).size > 100_000);
      const keep = process.env.NADIR_KEEP_SCREENSHOTS;
      if (keep) {
        await mkdir(keep, { recursive: true });
        await copyFile(shot, join(keep, 'training-report.png'));
        await copyFile(file, join(keep, 'training-report.html'));
      }
      assert.deepEqual(opened.errors, []);
    } finally {
      await opened.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
