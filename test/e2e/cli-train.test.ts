import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { nadir, nadirStdin } from './cli.js';

const DATA = new URL('../../../data/nsl-kdd/', import.meta.url).pathname;
const TRAIN = join(DATA, 'KDDTrain+_20Percent.txt.gz');
const TEST = join(DATA, 'KDDTest+.txt.gz');



const dir = mkdtempSync(join(tmpdir(), 'nadir-train-'));

describe('nadir train on NSL-KDD (train KDDTrain+_20Percent, test KDDTest+)', () => {
  // floors from the issue; reference: scikit-learn RF 0.784 / 0.963, XGBoost 0.785 / 0.959, logreg 0.752 / 0.772
  // A forest's KDDTest+ AUC moves with the seed — nadir seeds 0–13: 0.946–0.963 (mean 0.958);
  // scikit-learn seeds 0–5: 0.954–0.963 — so its AUC floor holds for the mean over seeds 0–2,
  // with a looser floor for each seed.
  const cases: Array<{ model: string; cvAcc: number; testAcc: number; testAuc: number; extraSeeds?: number[] }> = [
    { model: 'gbdt', cvAcc: 0.997, testAcc: 0.77, testAuc: 0.95 },
    { model: 'rf', cvAcc: 0.997, testAcc: 0.77, testAuc: 0.95, extraSeeds: [1, 2] },
    { model: 'logreg', cvAcc: 0.95, testAcc: 0.7, testAuc: 0.75 },
  ];
  for (const c of cases) {
    test(`--model ${c.model} --cv 5 --json meets the floors and keeps the contract`, async () => {
      const out = join(dir, `${c.model}.nadir`);
      const r = await nadir('train', '--data', TRAIN, '--test', TEST, '--model', c.model, '--cv', '5', '--out', out, '--permutation-repeats', '1', '--json');
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      for (const k of ['model', 'task', 'classes', 'cv', 'test', 'threshold', 'timings']) assert.ok(k in doc, `missing ${k}`);
      assert.equal(doc.task, 'binary');
      assert.deepEqual(doc.classes, ['normal', 'attack']);
      for (const k of ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'confusionMatrix']) assert.ok(k in doc.cv, `cv.${k}`);
      assert.ok(doc.cv.accuracy >= c.cvAcc, `CV accuracy ${doc.cv.accuracy}`);
      const t = doc.test[TEST];
      assert.ok(t, 'test metrics keyed by file');
      assert.ok(t.accuracy >= c.testAcc, `KDDTest+ accuracy ${t.accuracy}`);
      const aucs = [t.rocAuc as number];
      for (const seed of c.extraSeeds ?? []) {
        const rs = await nadir('train', '--data', TRAIN, '--test', TEST, '--model', c.model, '--cv', '0', '--seed', String(seed), '--out', join(dir, `${c.model}-${seed}.nadir`), '--permutation-repeats', '0', '--json');
        assert.equal(rs.code, 0, rs.stderr);
        aucs.push(JSON.parse(rs.stdout).test[TEST].rocAuc);
      }
      const meanAuc = aucs.reduce((a, b) => a + b, 0) / aucs.length;
      assert.ok(meanAuc >= c.testAuc, `KDDTest+ AUC ${aucs.join(', ')} (mean ${meanAuc})`);
      for (const a of aucs) assert.ok(a >= c.testAuc - 0.01, `KDDTest+ AUC of one seed ${a}`);
      assert.equal(t.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0), 22544);
      assert.ok(existsSync(out));
    });
  }

  test('--target category gives per-category metrics', async () => {
    const r = await nadir('train', '--data', TRAIN, '--test', TEST, '--model', 'gbdt', '--target', 'category', '--cv', '3', '--trees', '40', '--out', join(dir, 'cat.nadir'), '--permutation-repeats', '0', '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.classes, ['normal', 'DoS', 'Probe', 'R2L', 'U2R']);
    assert.deepEqual(Object.keys(doc.test[TEST].perClass), doc.classes);
    assert.ok(doc.cv.accuracy > 0.99, `CV accuracy ${doc.cv.accuracy}`);
    assert.equal(doc.test[TEST].confusionMatrix.length, 5);
  });
});

describe('a saved model scores raw records', () => {
  const model = join(dir, 'small.nadir');
  before(async () => {
    const r = await nadir('train', '--data', TRAIN, '--model', 'gbdt', '--trees', '30', '--cv', '0', '--permutation-repeats', '0', '--out', model, '--json');
    assert.equal(r.code, 0, r.stderr);
  });

  test('predict gives exactly the predictions evaluate counted', async () => {
    const ev = await nadir('evaluate', '--model', model, '--data', TEST, '--json');
    assert.equal(ev.code, 0, ev.stderr);
    const m = JSON.parse(ev.stdout);
    const pr = await nadir('predict', '--model', model, '--data', TEST);
    assert.equal(pr.code, 0, pr.stderr);
    const lines = pr.stdout.trim().split('\n');
    assert.equal(lines[0], 'row,label,class,probability');
    const attacks = lines.slice(1).filter((l) => l.split(',')[1] === 'Attack').length;
    const cm = m.confusionMatrix as number[][];
    assert.equal(lines.length - 1, 22544);
    assert.equal(attacks, cm[0]![1]! + cm[1]![1]!, 'predicted attacks = column "attack" of the confusion matrix');
  });

  test('predict --explain on JSONL from stdin names the top columns; contributions are finite', async () => {
    const rec = { duration: 0, protocol_type: 'tcp', service: 'private', flag: 'S0', src_bytes: 0, dst_bytes: 0, land: 0, wrong_fragment: 0, urgent: 0, hot: 0, num_failed_logins: 0, logged_in: 0, num_compromised: 0, root_shell: 0, su_attempted: 0, num_root: 0, num_file_creations: 0, num_shells: 0, num_access_files: 0, num_outbound_cmds: 0, is_host_login: 0, is_guest_login: 0, count: 123, srv_count: 6, serror_rate: 1, srv_serror_rate: 1, rerror_rate: 0, srv_rerror_rate: 0, same_srv_rate: 0.05, diff_srv_rate: 0.07, srv_diff_host_rate: 0, dst_host_count: 255, dst_host_srv_count: 26, dst_host_same_srv_rate: 0.1, dst_host_diff_srv_rate: 0.05, dst_host_same_src_port_rate: 0, dst_host_srv_diff_host_rate: 0, dst_host_serror_rate: 1, dst_host_srv_serror_rate: 1, dst_host_rerror_rate: 0, dst_host_srv_rerror_rate: 0 };
    const out = join(dir, 'one.jsonl');
    const r = await nadirStdin(`${JSON.stringify(rec)}\n`, 'predict', '--model', model, '--data', '-', '--explain', '--top', '3', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const p = JSON.parse(readFileSync(out, 'utf8').trim());
    assert.equal(p.label, 'Attack', 'a SYN-flood-like neptune record');
    assert.ok(p.probability > 0.9);
    assert.equal(p.explanation.length, 3);
    for (const c of p.explanation) {
      assert.ok(Object.keys(rec).includes(c.feature), `${c.feature} is an input column`);
      assert.ok(Number.isFinite(c.value));
    }
  });

  test('a model file with one byte changed is rejected with a clear error', async () => {
    const bad = join(dir, 'bad.nadir');
    const buf = Buffer.from(readFileSync(model));
    buf[Math.floor(buf.length / 2)]! ^= 0x01;
    writeFileSync(bad, buf);
    const r = await nadir('evaluate', '--model', bad, '--data', TEST);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^nadir: .*bad\.nadir: not a valid nadir model \(.+\)\n$/);
  });

  test('a file that is not a model, and an uncompressed model edited by hand, are rejected', async () => {
    const foreign = join(dir, 'foreign.nadir');
    writeFileSync(foreign, '{"hello": "world"}');
    let r = await nadir('predict', '--model', foreign, '--data', TEST);
    assert.match(r.stderr, /^nadir: .*foreign\.nadir: not a valid nadir model/);
    const text = gunzipSync(readFileSync(model)).toString('utf8').replace('"normal"', '"nermal"');
    const edited = join(dir, 'edited.nadir');
    writeFileSync(edited, text);
    r = await nadir('predict', '--model', edited, '--data', TEST);
    assert.match(r.stderr, /checksum mismatch/);
  });

  test('a CSV missing a feature column is a clear error and writes nothing', async () => {
    const csv = join(dir, 'missing-col.csv');
    writeFileSync(csv, 'duration,protocol_type,service\n0,tcp,http\n');
    const out = join(dir, 'should-not-exist.csv');
    const r = await nadir('predict', '--model', model, '--data', csv, '--out', out);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^nadir: missing column 'flag' in .*missing-col\.csv \(the model needs it; also missing: 'src_bytes', /);
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), [], 'no temp files left behind');
  });

  test('a JSONL line that is not JSON names the line', async () => {
    const r = await nadirStdin('{"duration": 0}\n{not json}\n', 'predict', '--model', model, '--data', '-');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^nadir: stdin: line 2 is not valid JSON/);
  });
});

describe('a row identifier among the columns', () => {
  // a generic CSV sorted by label with a distinct integer on every row: the model can learn the
  // row order (CV accuracy 0.9967 from flow_id alone before the finding)
  const lines = ['flow_id,bytes,pkts,proto,label'];
  let s = 7;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 300; i++) lines.push([1000 + i, Math.floor(rnd() * 5000), Math.floor(rnd() * 50), rnd() < 0.5 ? 'tcp' : 'udp', i >= 200 ? 'attack' : 'normal'].join(','));
  const flows = join(dir, 'flows.csv');
  before(() => writeFileSync(flows, lines.join('\n') + '\n'));
  const warning = `warning: ${flows}: column 'flow_id' looks like a row identifier (a different value on every row, in order): a model can learn the row order from it (and files are often sorted by time or by label), which scores well in cross-validation and means nothing for new traffic; drop it (--drop flow_id when training)`;

  test('train warns, and --drop leaves it out (no warning, not a model input, recorded for the report)', async () => {
    const common = ['--data', flows, '--cv', '3', '--trees', '20', '--permutation-repeats', '1'];
    const r = await nadir('train', ...common, '--out', join(dir, 'with-id.nadir'));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.split('\n').includes(warning), r.stderr);
    const out = join(dir, 'no-id.nadir');
    const d = await nadir('train', ...common, '--drop', 'flow_id', '--out', out, '--json');
    assert.equal(d.code, 0, d.stderr);
    const doc = JSON.parse(d.stdout);
    assert.deepEqual(doc.warnings, []);
    assert.ok(!doc.importance.permutation.some((e: { feature: string }) => e.feature === 'flow_id'));
    const text = gunzipSync(readFileSync(out)).toString('utf8');
    const body = JSON.parse(text.slice(text.indexOf('\n') + 1));
    assert.deepEqual(body.schema.inputs.map((i: { name: string }) => i.name), ['bytes', 'pkts', 'proto']);
    assert.deepEqual(body.provenance.options.drop, ['flow_id']);
    // evaluate reads the same file: the column the model does not use is no concern there
    const e = await nadir('evaluate', '--model', out, '--data', flows);
    assert.equal(e.code, 0, e.stderr);
    assert.equal(e.stderr, '');
    // the model trained with the identifier is told about it at evaluation too
    const w = await nadir('evaluate', '--model', join(dir, 'with-id.nadir'), '--data', flows);
    assert.ok(w.stderr.split('\n').includes(warning), w.stderr);
  });

  test('--drop names a column the file does not have, or the label: one line, exit 2', async () => {
    const r = await nadir('train', '--data', flows, '--cv', '0', '--drop', 'flow_id,flowid', '--out', join(dir, 'x.nadir'));
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `nadir: invalid option --drop: no input column 'flowid' in ${flows} (its columns: 'flow_id', 'bytes', 'pkts', 'proto')\n`);
    const l = await nadir('train', '--data', flows, '--cv', '0', '--drop', 'label', '--out', join(dir, 'x.nadir'));
    assert.equal(l.code, 2);
    assert.equal(l.stderr, `nadir: invalid option --drop: 'label' is the label column of ${flows}; to use another label, give --label\n`);
    assert.ok(!existsSync(join(dir, 'x.nadir')));
  });
});

test('iforest: the threshold is on the anomaly score s(x), not P(attack); --json says so and gives no log loss', async () => {
  const small = join(DATA, 'KDDTest-21.txt.gz');
  const args = ['train', '--data', small, '--model', 'iforest', '--trees', '20', '--cv', '2', '--permutation-repeats', '0', '--out', join(dir, 'if.nadir')];
  const r = await nadir(...args);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\ndecision threshold on the anomaly score s\(x\): 0\.\d{4} \(max-fpr\) — the isolation forest's anomaly score \(Liu et al\. 2008\): in \(0, 1\), higher = more anomalous; not a probability\n/);
  assert.doesNotMatch(r.stdout, /P\(attack\)/);
  const j = await nadir(...args, '--json');
  assert.equal(j.code, 0, j.stderr);
  const doc = JSON.parse(j.stdout);
  assert.equal(doc.score.kind, 'anomaly-score');
  assert.equal(doc.cv.logLoss, null);
  for (const k of ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'confusionMatrix']) assert.ok(k in doc.cv, `cv.${k}`);
  // provenance: the digest of the decompressed content is the one data/nsl-kdd/SHA256SUMS lists
  const sums = readFileSync(join(DATA, 'SHA256SUMS'), 'utf8');
  assert.ok(sums.includes(`${doc.provenance.data.contentSha256}  KDDTest-21.txt\n`), JSON.stringify(doc.provenance));
  assert.ok(!sums.includes(doc.provenance.data.sha256));
  assert.match(doc.provenance.note, /^sha256: of the file bytes as read \(for a \.gz file, the compressed bytes\); contentSha256 \(gzip files\): of the decompressed content/);
});
