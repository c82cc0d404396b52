/**
 * `nadir predict` output through the real CLI: --json (predictions, or a summary with --out),
 * the meaning of the columns in --help, and a reader that stops early.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { CLI, nadir, nadirStdin } from './cli.js';

const SMALL = new URL('../../../data/nsl-kdd/KDDTest-21.txt.gz', import.meta.url).pathname;
const ROWS = 11850;
const dir = mkdtempSync(join(tmpdir(), 'nadir-predict-'));
after(() => rmSync(dir, { recursive: true, force: true }));



/** The first KDDTest-21 record as a JSON object with the NSL-KDD column names (no label, no difficulty). */
function firstRecord(): Record<string, string | number> {
  const names = ['duration', 'protocol_type', 'service', 'flag', 'src_bytes', 'dst_bytes', 'land', 'wrong_fragment', 'urgent', 'hot', 'num_failed_logins', 'logged_in', 'num_compromised', 'root_shell', 'su_attempted', 'num_root', 'num_file_creations', 'num_shells', 'num_access_files', 'num_outbound_cmds', 'is_host_login', 'is_guest_login', 'count', 'srv_count', 'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate', 'same_srv_rate', 'diff_srv_rate', 'srv_diff_host_rate', 'dst_host_count', 'dst_host_srv_count', 'dst_host_same_srv_rate', 'dst_host_diff_srv_rate', 'dst_host_same_src_port_rate', 'dst_host_srv_diff_host_rate', 'dst_host_serror_rate', 'dst_host_srv_serror_rate', 'dst_host_rerror_rate', 'dst_host_srv_rerror_rate'];
  const cells = gunzipSync(readFileSync(SMALL)).toString('utf8').split('\n')[0]!.split(',');
  return Object.fromEntries(names.map((n, i) => [n, Number.isNaN(Number(cells[i])) ? cells[i]! : Number(cells[i])]));
}

interface Prediction {
  row: number;
  label: string;
  class: string;
  probability: number;
  explanation?: Array<{ feature: string; value: number }>;
}

const binary = join(dir, 'binary.nadir');
const category = join(dir, 'category.nadir');
before(async () => {
  const common = ['--data', SMALL, '--cv', '0', '--trees', '5', '--permutation-repeats', '0', '--json'];
  for (const [out, target] of [[binary, 'binary'], [category, 'category']] as const) {
    const r = await nadir('train', ...common, '--target', target, '--out', out);
    assert.equal(r.code, 0, r.stderr);
  }
});

describe('nadir predict --json', () => {
  test('binary model: one document with every prediction; label follows probability ≥ threshold', async () => {
    const r = await nadir('predict', '--model', binary, '--data', SMALL, '--json', '--explain', '--top', '2');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'warnings are in the document, not on stderr');
    const doc = JSON.parse(r.stdout) as { model: string; classes: string[]; threshold: number; rows: number; predictions: Prediction[]; warnings: string[] };
    assert.deepEqual(Object.keys(doc), ['model', 'classes', 'threshold', 'rows', 'predictions', 'warnings']);
    assert.equal(doc.model, binary);
    assert.deepEqual(doc.classes, ['normal', 'attack']);
    assert.equal(doc.threshold, 0.5);
    assert.equal(doc.rows, ROWS);
    assert.equal(doc.predictions.length, ROWS);
    assert.deepEqual(doc.warnings, []);
    doc.predictions.forEach((p, i) => {
      assert.equal(p.row, i + 1);
      assert.equal(p.label, p.probability >= doc.threshold ? 'Attack' : 'Normal');
      assert.equal(p.class, p.label.toLowerCase());
      assert.ok(p.explanation && p.explanation.length <= 2 && p.explanation.every((c) => typeof c.feature === 'string' && Number.isFinite(c.value)));
    });
    // the same predictions as the CSV
    const csv = await nadir('predict', '--model', binary, '--data', SMALL);
    const lines = csv.stdout.trim().split('\n').slice(1);
    assert.equal(lines.length, ROWS);
    assert.equal(lines[0], `1,${doc.predictions[0]!.label},${doc.predictions[0]!.class},${doc.predictions[0]!.probability.toFixed(6)}`);
  });

  test('multi-class model: label is the class, probability is that of the predicted class, no threshold', async () => {
    const r = await nadir('predict', '--model', category, '--data', SMALL, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { classes: string[]; threshold: null; predictions: Prediction[] };
    assert.deepEqual(doc.classes, ['normal', 'DoS', 'Probe', 'R2L', 'U2R']);
    assert.equal(doc.threshold, null);
    for (const p of doc.predictions) {
      assert.equal(p.label, p.class);
      assert.ok(doc.classes.includes(p.class));
      assert.ok(p.probability >= 1 / doc.classes.length - 1e-9 && p.probability <= 1, `the predicted class is the most probable: ${p.probability}`);
      assert.equal('explanation' in p, false);
    }
  });

  test('with --out: the predictions go to the file and --json prints a summary', async () => {
    const out = join(dir, 'preds.jsonl');
    const r = await nadir('predict', '--model', binary, '--data', SMALL, '--out', out, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const doc = JSON.parse(r.stdout) as { rows: number; out: string; format: string; labels: Record<string, number>; warnings: string[] };
    assert.equal(doc.out, out);
    assert.equal(doc.format, 'jsonl');
    assert.equal(doc.rows, ROWS);
    assert.equal('predictions' in doc, false);
    const written = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Prediction);
    assert.equal(written.length, ROWS);
    assert.deepEqual(doc.labels, { Normal: written.filter((p) => p.label === 'Normal').length, Attack: written.filter((p) => p.label === 'Attack').length });
  });
});

test('nadir predict --help says what the columns mean', async () => {
  const r = await nadir('predict', '--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--json\s+print one JSON document/);
  assert.match(r.stdout, /label\s+binary models: Normal or Attack; category\/label models: the\s+predicted class/);
  assert.match(r.stdout, /probability\s+binary models: P\(attack\)/);
  assert.match(r.stdout, /category\/label models: the probability of the predicted class/);
  assert.match(r.stdout, /log-odds\s+for gbdt and logreg, probability for rf; positive pushes towards\s+attack/);
});

test('a reader that stops early (| head) ends predict quietly with exit 0', async () => {
  const p = spawn(process.execPath, [CLI, 'predict', '--model', binary, '--data', SMALL]);
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += d));
  p.stdout.once('data', () => p.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => p.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

test('records whose label cell is empty are scored too: one prediction per input row, in order', async () => {
  // the first rows of KDDTest-21 with the label of the second one blanked: the label column is
  // not needed to score, so nothing may be dropped (row numbers must match the input)
  const lines = gunzipSync(readFileSync(SMALL)).toString('utf8').split('\n').slice(0, 4);
  const cells = lines[1]!.split(',');
  cells[cells.length - 2] = '';
  lines[1] = cells.join(',');
  const file = join(dir, 'unlabelled.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const r = await nadir('predict', '--model', binary, '--data', file, '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { rows: number; predictions: Prediction[]; warnings: string[] };
  assert.equal(doc.rows, 4);
  assert.deepEqual(doc.predictions.map((p) => p.row), [1, 2, 3, 4]);
  assert.equal(doc.warnings.some((w) => /no label/.test(w)), false, doc.warnings.join('\n'));
});

test('a ragged row (wrong number of fields) is skipped with a warning; every other prediction keeps its record number', async () => {
  // records 1–5 of KDDTest-21, the third cut short: the predictions are for records 1, 2, 4 and 5
  const lines = gunzipSync(readFileSync(SMALL)).toString('utf8').split('\n').slice(0, 5);
  lines[2] = lines[2]!.split(',').slice(0, 20).join(',');
  const file = join(dir, 'ragged.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const expected = [1, 2, 4, 5];

  const csv = await nadir('predict', '--model', binary, '--data', file);
  assert.equal(csv.code, 0, csv.stderr);
  assert.match(csv.stderr, /1 row skipped: wrong number of fields \(expected 43\); first at line 3/);
  assert.deepEqual(csv.stdout.trim().split('\n').slice(1).map((l) => Number(l.split(',')[0])), expected);

  const json = await nadir('predict', '--model', binary, '--data', file, '--json');
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout) as { rows: number; predictions: Prediction[]; warnings: string[] };
  assert.equal(doc.rows, 4);
  assert.deepEqual(doc.predictions.map((p) => p.row), expected);
  assert.ok(doc.warnings.some((w) => /1 row skipped/.test(w)), doc.warnings.join('\n'));

  const out = join(dir, 'ragged-preds.jsonl');
  const jsonl = await nadir('predict', '--model', binary, '--data', file, '--out', out);
  assert.equal(jsonl.code, 0, jsonl.stderr);
  assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as Prediction).row), expected);
  // the same predictions as for the intact records, row for row
  const intact = JSON.parse((await nadir('predict', '--model', binary, '--data', SMALL, '--json')).stdout) as { predictions: Prediction[] };
  assert.deepEqual(doc.predictions, expected.map((r) => intact.predictions[r - 1]));
});

describe('junk records are refused, not scored', () => {
  const rec = JSON.stringify(firstRecord());

  test('a JSON {} on stdin (no input column has a value): one line naming stdin and the line, exit 2, nothing written', async () => {
    const out = join(dir, 'junk.csv');
    for (const extra of [[], ['--out', out]]) {
      const r = await nadirStdin(`${rec}\n{}\n${rec}\n`, 'predict', '--model', binary, '--data', '-', ...extra);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, "nadir: stdin line 2: none of the model's input columns has a value (expected duration, protocol_type, service, flag, src_bytes, … 40 in all)\n");
      assert.equal(r.stdout, '');
    }
    assert.equal(existsSync(out), false);
    // a record holding only fields the model does not use is as empty; blank lines are counted as lines
    const r = await nadirStdin(`${rec}\n\n{"note":"x"}\n`, 'predict', '--model', binary, '--data', '-', '--json');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^nadir: stdin line 3: none of the model's input columns has a value/);
  });

  test('stdin errors name the line: a text value in a numeric column, true/false among byte counts', async () => {
    const text = JSON.stringify({ ...firstRecord(), src_bytes: 'lots' });
    let r = await nadirStdin(`${rec}\n${text}\n`, 'predict', '--model', binary, '--data', '-');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `nadir: stdin line 2: column 'src_bytes' must be a number, got "lots"\n`);
    const bool = JSON.stringify({ ...firstRecord(), src_bytes: true });
    r = await nadirStdin(`${rec}\n${bool}\n`, 'predict', '--model', binary, '--data', '-');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `nadir: stdin line 2: field 'src_bytes' is true, but stdin line 1 has ${firstRecord().src_bytes} there; true/false are read as 1/0, only in columns of 0/1 flags\n`);
    // true/false in a 0/1 flag column are 1/0: the same prediction as with the numbers
    const flags = JSON.stringify({ ...firstRecord(), land: false, logged_in: firstRecord().logged_in === 1 });
    const a = await nadirStdin(`${flags}\n`, 'predict', '--model', binary, '--data', '-');
    const b = await nadirStdin(`${rec}\n`, 'predict', '--model', binary, '--data', '-');
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
  });

  test('--help says how records are read', async () => {
    const r = await nadir('predict', '--help');
    assert.match(r.stdout, /a\s+blank row or a JSON \{\} is refused/);
    assert.match(r.stdout, /true\/false are read as 1\/0, for 0\/1 flag columns/);
  });
});

test('unlabelled NSL-KDD records (41 columns, no label or difficulty) are scored like the labelled file', async () => {
  const lines = gunzipSync(readFileSync(SMALL)).toString('utf8').split('\n').slice(0, 6);
  const file = join(dir, 'raw41.csv');
  writeFileSync(file, `${lines.map((l) => l.split(',').slice(0, 41).join(',')).join('\n')}\n`);
  const r = await nadir('predict', '--model', binary, '--data', file, '--json');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { predictions: Prediction[]; warnings: string[] };
  const intact = JSON.parse((await nadir('predict', '--model', binary, '--data', SMALL, '--json')).stdout) as { predictions: Prediction[] };
  assert.deepEqual(doc.predictions, intact.predictions.slice(0, 6));
  assert.deepEqual(doc.warnings, []);
  const forced = await nadir('predict', '--model', binary, '--data', file, '--format', 'nsl-kdd');
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(forced.stdout.trim().split('\n').length, 7);
  // evaluating them is refused: they have no label
  const e = await nadir('evaluate', '--model', binary, '--data', file);
  assert.equal(e.code, 2);
  assert.match(e.stderr, /^nadir: .*raw41\.csv: label column 'label' not found: these are unlabelled NSL-KDD records \(41 columns, without label and difficulty\)/);
});

describe('predict --out: the format follows the extension', () => {
  test('.json holds the document --json prints; .ndjson and .JSONL one object per line; .csv the CSV', async () => {
    const stdout = await nadir('predict', '--model', binary, '--data', SMALL, '--json');
    const json = join(dir, 'p.json');
    let r = await nadir('predict', '--model', binary, '--data', SMALL, '--out', json);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(json, 'utf8'), stdout.stdout);
    r = await nadir('predict', '--model', binary, '--data', SMALL, '--out', json, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { format: string }).format, 'json');
    const doc = JSON.parse(stdout.stdout) as { predictions: Prediction[] };
    for (const name of ['p.ndjson', 'p.JSONL']) {
      const out = join(dir, name);
      r = await nadir('predict', '--model', binary, '--data', SMALL, '--out', out, '--json');
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { format: string }).format, 'jsonl');
      assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Prediction), doc.predictions);
    }
    const csv = join(dir, 'p.csv');
    r = await nadir('predict', '--model', binary, '--data', SMALL, '--out', csv);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(csv, 'utf8'), (await nadir('predict', '--model', binary, '--data', SMALL)).stdout);
  });

  test('any other extension is refused before anything is loaded (here the model and data do not even exist)', async () => {
    for (const name of ['p.txt', 'p', 'p.csv.gz', 'p.json.bak']) {
      const out = join(dir, name);
      const r = await nadir('predict', '--model', join(dir, 'none.nadir'), '--data', join(dir, 'none.csv'), '--out', out);
      assert.equal(r.code, 2, name);
      assert.equal(r.stderr, `nadir: invalid option --out: ${out}: expected a .csv, .jsonl or .json file\n`);
      assert.equal(existsSync(out), false);
    }
  });

  test('--help names the formats', async () => {
    const r = await nadir('predict', '--help');
    assert.match(r.stdout, /-o, --out <file>\s+write predictions to a file, in the format its\s+extension names: \.csv, \.jsonl or \.ndjson/);
    assert.match(r.stdout, /\.json \(the document --json\s+prints\)/);
  });
});

test('a nadir model file given as data is named as such by every command that loads data, and on stdin', async () => {
  const msg = (name: string): string => `nadir: ${name} is a nadir model file, not a dataset (give it as --model)\n`;
  const out = join(dir, 'never.nadir');
  // [arguments, the file named]
  const runs: Array<[string[], string]> = [
    [['inspect', '-d', binary], binary],
    [['eda', '--data', binary, '--out', join(dir, 'never.html')], binary],
    [['train', '--data', binary, '--out', out], binary],
    [['train', '--data', SMALL, '--test', category, '--cv', '0', '--trees', '2', '--permutation-repeats', '0', '--out', out], category],
    [['evaluate', '--model', binary, '--data', category], category],
    [['predict', '--model', binary, '--data', category], category],
  ];
  for (const [args, named] of runs) {
    const r = await nadir(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr, msg(named), args.join(' '));
  }
  assert.equal(existsSync(out), false);
  const r = await nadirStdin(readFileSync(binary), 'predict', '--model', binary, '--data', '-');
  assert.equal(r.code, 2);
  assert.equal(r.stderr, msg('stdin'));
});

describe('CICFlowMeter flows: a model trained on one naming scheme scores the other', () => {
  const CIC = new URL('../../../test/fixtures/cicflowmeter/', import.meta.url).pathname;
  const model = join(dir, 'cic.nadir');
  before(async () => {
    const r = await nadir('train', '--data', join(CIC, 'test.pcap_CIC.csv'), '--model', 'iforest', '--cv', '0', '--trees', '20', '--permutation-repeats', '0', '--out', model);
    assert.equal(r.code, 0, r.stderr);
  });

  test('with no option: the predictions carry each flow\'s id, addresses and time', async () => {
    const out = join(dir, 'flow-preds.csv');
    const r = await nadir('predict', '--model', model, '--data', join(CIC, 'test.pcap_Flow.csv'), '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines.length, 97);
    assert.equal(lines[0], 'row,Flow ID,Source IP,Destination IP,Timestamp,label,class,probability');
    assert.match(lines[1]!, /^1,188\.120\.225\.17-10\.200\.2\.252-8080-61559-6,10\.200\.2\.252,188\.120\.225\.17,31\/03\/2015 08:32:22,(Normal|Attack),/);
  });

  test('a missing input column: an error naming the near miss and --fill-missing; with it, scored and warned', async () => {
    const rows = readFileSync(join(CIC, 'test.pcap_Flow.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const at = rows[0]!.indexOf('Flow Duration');
    const edited = join(dir, 'edited.csv');
    writeFileSync(edited, rows.map((r, i) => (i === 0 ? r.map((c, j) => (j === at ? 'Flow Durations' : c)) : r).join(',')).join('\n'));
    const bad = await nadir('predict', '--model', model, '--data', edited, '--out', join(dir, 'p1.csv'));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^nadir: missing column 'Flow Duration' in .*the input has 'Flow Durations' \(is it 'Flow Duration'\? rename it\); --fill-missing scores without the missing columns, as missing values\)\n$/);
    const ok = await nadir('predict', '--model', model, '--data', edited, '--out', join(dir, 'p2.csv'), '--fill-missing');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /1 of the model's \d+ input columns is missing and scored as missing values \(--fill-missing\): 'Flow Duration'/);
  });
});
