import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { nadir } from './cli.js';

// The CLI's one-line errors and warnings for the cases the use cases (src/app, src/data, src/model) report.
const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const SMALL = join(DATA, 'KDDTest-21.txt.gz');
const FAST = ['--cv', '0', '--trees', '5', '--permutation-repeats', '0'];
const dir = mkdtempSync(join(tmpdir(), 'nadir-app-errors-'));

const LINES = gunzipSync(readFileSync(SMALL)).toString('utf8').trim().split('\n');

/** A fixture CSV in the temp folder from lines of KDDTest-21 (headerless NSL-KDD). */
function fixture(name: string, lines: readonly string[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}


describe('train --model iforest --cv 0', () => {
  test('without --threshold: trains, with a warning naming the in-sample threshold', async () => {
    const r = await nadir('train', '--data', SMALL, '--model', 'iforest', ...FAST, '--out', join(dir, 'if.nadir'), '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { threshold: number; warnings: string[] };
    const w = doc.warnings.find((m) => m.startsWith('no --threshold and no cross-validation'));
    assert.ok(w, doc.warnings.join('\n'));
    assert.ok(w.includes(`threshold on its anomaly score is ${doc.threshold.toFixed(4)}, chosen in-sample`), w);
  });

  test('an explicit --threshold auto is still an error', async () => {
    const r = await nadir('train', '--data', SMALL, '--model', 'iforest', ...FAST, '--threshold', 'auto', '--out', join(dir, 'if2.nadir'));
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').at(-1), "nadir: invalid option --threshold: 'auto' is chosen from out-of-fold scores: it needs --cv 2 or more");
  });
});

describe('train on one class', () => {
  const normalLines = LINES.filter((l) => l.includes(',normal,'));
  const normal = fixture('normal-only.csv', normalLines);

  test('gbdt on normal rows only: one line naming the file, the class and what to do', async () => {
    const r = await nadir('train', '--data', normal, ...FAST, '--out', join(dir, 'one.nadir'));
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr.trim(),
      `nadir: ${normal}: training data has one class only ('normal', ${normalLines.length.toLocaleString('en-US')} rows): a supervised model needs both normal and attack rows; use --model iforest to learn from normal traffic only, or check --label / --normal`,
    );
  });

  test('iforest on normal rows only trains', async () => {
    const r = await nadir('train', '--data', normal, '--model', 'iforest', ...FAST, '--out', join(dir, 'normal-if.nadir'), '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).learner, 'iforest');
  });
});

describe('no label value counts as normal', () => {
  test('inspect lists it among the findings, naming the file and --normal', async () => {
    const csv = join(dir, 'custom.csv');
    writeFileSync(csv, 'bytes,proto,label\n1,tcp,benign-traffic\n2,udp,dos\n3,tcp,benign-traffic\n4,udp,scan\n');
    const r = await nadir('inspect', '--data', csv, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { findings: Array<{ code: string; message: string }> };
    assert.equal(doc.findings.find((f) => f.code === 'no-normal-label')?.message, `no label value counts as normal in ${csv} (values: benign-traffic, dos, scan); name the normal ones with normal <value>`);
    const ok = await nadir('inspect', '--data', csv, '--normal', 'benign-traffic', '--json');
    assert.equal((JSON.parse(ok.stdout) as { classes: { binary: Record<string, number> } }).classes.binary.normal, 2);
  });
});

describe('errors and warnings name the file', () => {
  const NAMES = [
    'duration', 'protocol_type', 'service', 'flag', 'src_bytes', 'dst_bytes', 'land', 'wrong_fragment', 'urgent', 'hot', 'num_failed_logins', 'logged_in',
    'num_compromised', 'root_shell', 'su_attempted', 'num_root', 'num_file_creations', 'num_shells', 'num_access_files', 'num_outbound_cmds', 'is_host_login',
    'is_guest_login', 'count', 'srv_count', 'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate', 'same_srv_rate', 'diff_srv_rate',
    'srv_diff_host_rate', 'dst_host_count', 'dst_host_srv_count', 'dst_host_same_srv_rate', 'dst_host_diff_srv_rate', 'dst_host_same_src_port_rate',
    'dst_host_srv_diff_host_rate', 'dst_host_serror_rate', 'dst_host_srv_serror_rate', 'dst_host_rerror_rate', 'dst_host_srv_rerror_rate', 'label', 'difficulty',
  ];
  const rows = LINES.slice(0, 40).map((l) => l.split(','));
  const csv = (name: string, drop: string | null, edit?: (r: string[], i: number) => void): string => {
    const keep = NAMES.map((n, j) => (n === drop ? -1 : j)).filter((j) => j >= 0);
    const body = rows.map((r, i) => {
      const copy = [...r];
      edit?.(copy, i);
      return keep.map((j) => copy[j]).join(',');
    });
    return fixture(name, [keep.map((j) => NAMES[j]).join(','), ...body]);
  };
  const model = join(dir, 'small.nadir');

  test('predict and evaluate: a missing column, a bad value in row N, a damaged model file', async () => {
    const t = await nadir('train', '--data', SMALL, ...FAST, '--out', model);
    assert.equal(t.code, 0, t.stderr);

    const noService = csv('KDDTest.csv', 'service');
    for (const cmd of ['predict', 'evaluate']) {
      const r = await nadir(cmd, '--model', model, '--data', noService, ...(cmd === 'predict' ? ['--out', join(dir, 'p.csv')] : []));
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `nadir: missing column 'service' in ${noService} (the model needs it; --fill-missing scores without the missing columns, as missing values)\n`);
    }

    const bad = csv('flows.csv', null, (r, i) => {
      if (i === 16) r[4] = 'lots';
    });
    for (const cmd of ['predict', 'evaluate']) {
      const r = await nadir(cmd, '--model', model, '--data', bad, ...(cmd === 'predict' ? ['--out', join(dir, 'p.csv')] : []));
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `nadir: ${bad} row 17: column 'src_bytes' must be a number, got "lots"\n`);
    }

    // a model whose body is valid JSON with the right checksum but a broken structure
    const { readModelFile, saveModelFile } = await import('../../src/model/artifact.js');
    const body = await readModelFile(model);
    (body.learner as { type: string }).type = 'svm';
    const broken = join(dir, 'broken.nadir');
    await saveModelFile(broken, body);
    const r = await nadir('predict', '--model', broken, '--data', SMALL);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^nadir: ${broken.replace(/[.+]/g, '\\$&')}: not a valid nadir model \\(unknown learner type 'svm' \\(known: .*\\)\\)\\n$`));
  });

  test('data-quality warnings name their file', async () => {
    const ragged = fixture('ragged.csv', [...LINES.slice(0, 30), 'a,b,c', ...LINES.slice(30, 60)]);
    const ev = await nadir('evaluate', '--model', model, '--data', ragged);
    assert.equal(ev.code, 0, ev.stderr);
    assert.ok(ev.stderr.includes(`warning: ${ragged}: 1 row skipped: wrong number of fields (expected 43); first at line 31\n`), ev.stderr);
  });
});
