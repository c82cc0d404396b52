/**
 * `nadir evaluate` text output through the real CLI: which averaging each number is, the
 * false-positive rate at the model's threshold (binary), a per-class table (multi-class) —
 * and that its numbers are the ones `--json` gives.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { nadir } from './cli.js';

const SMALL = new URL('../../../data/nsl-kdd/KDDTest-21.txt.gz', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nadir-evaluate-'));
after(() => rmSync(dir, { recursive: true, force: true }));


const binary = join(dir, 'binary.nadir');
const category = join(dir, 'category.nadir');
before(async () => {
  const common = ['--data', SMALL, '--cv', '0', '--trees', '5', '--permutation-repeats', '0', '--json'];
  let r = await nadir('train', ...common, '--threshold', '0.7', '--out', binary);
  assert.equal(r.code, 0, r.stderr);
  r = await nadir('train', ...common, '--target', 'category', '--out', category);
  assert.equal(r.code, 0, r.stderr);
});

/** The value printed on the line that starts with `name` (followed by two or more spaces). */
function value(stdout: string, name: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`${name}  `));
  assert.ok(line, `no line '${name}' in:\n${stdout}`);
  return line.slice(name.length).trim();
}

test('binary: precision/recall/f1 of the attack class, the false-positive rate at the stored threshold', async () => {
  const r = await nadir('evaluate', '--model', binary, '--data', SMALL);
  assert.equal(r.code, 0, r.stderr);
  const j = await nadir('evaluate', '--model', binary, '--data', SMALL, '--json');
  const m = JSON.parse(j.stdout) as { accuracy: number; precision: number; recall: number; f1: number; fpr: number; threshold: number; rocAuc: number };
  assert.equal(m.threshold, 0.7);
  assert.match(r.stdout, /^decision threshold on P\(attack\): 0\.7000$/m);
  assert.equal(value(r.stdout, 'accuracy'), m.accuracy.toFixed(4));
  assert.equal(value(r.stdout, 'precision (attack)'), m.precision.toFixed(4));
  assert.equal(value(r.stdout, 'recall (attack, true-positive rate)'), m.recall.toFixed(4));
  assert.equal(value(r.stdout, 'f1 (attack)'), m.f1.toFixed(4));
  assert.equal(value(r.stdout, 'false-positive rate at 0.7000'), m.fpr.toFixed(4));
  assert.equal(value(r.stdout, 'roc-auc'), m.rocAuc.toFixed(4));
  assert.doesNotMatch(r.stdout, /per class:/);
});

test('multi-class: macro averages named as such, and one row per class', async () => {
  const r = await nadir('evaluate', '--model', category, '--data', SMALL);
  assert.equal(r.code, 0, r.stderr);
  const j = await nadir('evaluate', '--model', category, '--data', SMALL, '--json');
  const m = JSON.parse(j.stdout) as { classes: string[]; precision: number; recall: number; f1: number; weighted: { f1: number }; perClass: Record<string, { precision: number; recall: number; f1: number; support: number }> };
  assert.equal(value(r.stdout, 'precision (macro)'), m.precision.toFixed(4));
  assert.equal(value(r.stdout, 'recall (macro)'), m.recall.toFixed(4));
  assert.equal(value(r.stdout, 'f1 (macro)'), m.f1.toFixed(4));
  assert.equal(value(r.stdout, 'f1 (weighted by support)'), m.weighted.f1.toFixed(4));
  assert.doesNotMatch(r.stdout, /false-positive rate|threshold/);
  const lines = r.stdout.split('\n');
  const at = lines.indexOf('per class:');
  assert.ok(at > 0, r.stdout);
  assert.match(lines[at + 1]!, /^class\s+precision\s+recall\s+f1\s+support\s+roc-auc$/);
  assert.deepEqual(m.classes, ['normal', 'DoS', 'Probe', 'R2L', 'U2R']);
  m.classes.forEach((c, i) => {
    const k = m.perClass[c]!;
    const cells = lines[at + 3 + i]!.trim().split(/\s+/);
    assert.deepEqual(cells.slice(0, 5), [c, k.precision.toFixed(4), k.recall.toFixed(4), k.f1.toFixed(4), String(k.support)], c);
  });
});

test('iforest: the threshold is on the anomaly score, and --json gives logLoss null with a note', async () => {
  const model = join(dir, 'if.nadir');
  const t = await nadir('train', '--data', SMALL, '--model', 'iforest', '--trees', '10', '--cv', '0', '--permutation-repeats', '0', '--out', model, '--json');
  assert.equal(t.code, 0, t.stderr);
  const r = await nadir('evaluate', '--model', model, '--data', SMALL);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\ndecision threshold on the anomaly score s\(x\): 0\.\d{4} — the isolation forest's anomaly score \(Liu et al\. 2008\): in \(0, 1\), higher = more anomalous; not a probability\n/);
  const j = JSON.parse((await nadir('evaluate', '--model', model, '--data', SMALL, '--json')).stdout);
  assert.equal(j.logLoss, null);
  assert.equal(j.score.kind, 'anomaly-score');
  assert.match(j.score.note, /logLoss is null \(not meaningful\)$/);
  // a classifier's JSON keeps its log loss
  assert.equal(typeof JSON.parse((await nadir('evaluate', '--model', binary, '--data', SMALL, '--json')).stdout).logLoss, 'number');
});
