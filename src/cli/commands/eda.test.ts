/**
 * `nadir eda` through commander in a child process (the command as registered by registerEda,
 * errors through the CLI's one-line fail()).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const EDA = new URL('./eda.js', import.meta.url).href;
const OUTPUT = new URL('../output.js', import.meta.url).href;
const TRAIN = new URL('../../../../data/nsl-kdd/KDDTrain+_20Percent.txt.gz', import.meta.url).pathname;
const DRIVER = `
import { Command } from 'commander';
import { registerEda } from ${JSON.stringify(EDA)};
import { fail } from ${JSON.stringify(OUTPUT)};
const program = new Command().name('nadir').exitOverride();
registerEda(program);
try { await program.parseAsync(process.argv.slice(1), { from: 'user' }); } catch (e) { fail(e); }
`;
const dir = mkdtempSync(join(tmpdir(), 'nadir-eda-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function nadirEda(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--input-type=module', '-e', DRIVER, 'eda', ...args], { maxBuffer: 64 << 20, cwd: new URL('../../../../', import.meta.url).pathname });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

test('nadir eda --json writes the report and prints one JSON document', { timeout: 120_000 }, async () => {
  const out = join(dir, 'eda.html');
  const r = await nadirEda('--data', TRAIN, '--out', out, '--json', '--sample', '4000', '--target', 'category');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { report: string; rows: { analysed: number; sampled: boolean }; target: string; tests: { testsRun: boolean; categorical: unknown[] }; ranking: unknown[]; timings: Record<string, number> };
  assert.equal(doc.report, out);
  assert.equal(doc.rows.analysed, 4000);
  assert.equal(doc.target, 'category');
  assert.ok(doc.tests.testsRun && doc.tests.categorical.length === 3 && doc.ranking.length > 30);
  assert.ok(doc.timings.load > 0 && doc.timings.report > 0);
  assert.ok(existsSync(out));
  assert.match(readFileSync(out, 'utf8'), /<section class="report" id="ranking">/);
});

test('nadir eda: bad input exits non-zero with one line', async () => {
  const missing = await nadirEda('--data', join(dir, 'nope.csv'));
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  assert.match(missing.stderr, /^nadir: file not found/);
  const bad = await nadirEda('--data', TRAIN, '--target', 'tribe');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid option --target/);
  const sample = await nadirEda('--data', TRAIN, '--sample', '-5');
  assert.equal(sample.code, 2);
  assert.match(sample.stderr, /--sample: expected a positive integer/);
});
