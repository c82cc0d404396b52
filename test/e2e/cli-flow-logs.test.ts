/**
 * Zeek conn.log and Suricata EVE JSON through the CLI, on real data: inspect names the format and
 * the roles; unlabelled logs explore and train an isolation forest (every row taken as normal
 * traffic); EVE with alerts trains a supervised model; predict passes the identifiers through.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { nadir } from './cli.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const TRICKBOT = join(ROOT, 'test/fixtures/zeek/trickbot-conn-2000.log.gz');
const EVE = join(ROOT, 'test/fixtures/suricata/Muntaha-Ghafoor_eve.json.gz');
const FAST = ['--cv', '3', '--trees', '20', '--permutation-repeats', '0'];
const dir = mkdtempSync(join(tmpdir(), 'nadir-flow-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The conn.log's records as text, read independently of nadir. */
const zeekRows = gunzipSync(readFileSync(TRICKBOT)).toString('utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split('\t'));
const eveEvents = gunzipSync(readFileSync(EVE)).toString('utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
const eveFlows = eveEvents.filter((e) => e.event_type === 'flow');

/** A CSV without quoted fields (nadir's predictions of these logs have none) as objects. */
function csvRecords(text: string): Array<Record<string, string>> {
  const [head, ...lines] = text.trim().split('\n');
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
}

describe('Zeek conn.log (trickbot, 2,000 records, unlabelled)', () => {
  test('inspect: format zeek-conn, no label column, identifiers and inputs by role', async () => {
    const r = await nadir('inspect', '--data', TRICKBOT, '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { format: string; rows: number; label: string | null; classes: unknown; columns: Array<{ name: string; kind: string; role: string }> };
    assert.equal(doc.format, 'zeek-conn');
    assert.equal(doc.rows, zeekRows.length);
    assert.equal(doc.label, null);
    assert.equal(doc.classes, null);
    const role = (n: string): string => doc.columns.find((c) => c.name === n)!.role;
    const kind = (n: string): string => doc.columns.find((c) => c.name === n)!.kind;
    assert.deepEqual(['ts', 'uid', 'id.orig_h', 'id.resp_h'].map(role), ['timestamp', 'zeek-uid', 'ip-address', 'ip-address']);
    assert.deepEqual(['id.orig_p', 'id.resp_p', 'duration', 'orig_bytes'].map((n) => [role(n), kind(n)]), Array(4).fill(['feature', 'numeric']));
    assert.deepEqual(['proto', 'service', 'conn_state', 'history'].map(kind), Array(4).fill('categorical'));
    const text = await nadir('inspect', '--data', TRICKBOT);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /format: zeek-conn\s+rows: 2,000\s+features: \d+\s+label: none/);
    assert.match(text.stdout, /no label column \(unlabelled data\)/);
  });

  test('eda: the label-free parts, the label-linked ones skipped and said so', async () => {
    const r = await nadir('eda', '--data', TRICKBOT, '--out', join(dir, 'zeek-eda.html'), '--json');
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout) as { unlabelled: boolean; tests: { testsRun: boolean }; ranking: unknown[]; numeric: Array<{ name: string }>; identifiers: Array<{ name: string }>; notes: string[] };
    assert.equal(d.unlabelled, true);
    assert.equal(d.tests.testsRun, false);
    assert.deepEqual(d.ranking, []);
    assert.ok(d.numeric.some((c) => c.name === 'duration'));
    assert.ok(d.identifiers.some((c) => c.name === 'id.orig_h'));
    assert.match(d.notes.join(' '), /No label column \(unlabelled data\)/);
  });

  test('train --model iforest learns from every row as normal traffic; predict scores the log and passes uid, addresses and ts through', async () => {
    const model = join(dir, 'zeek.nadir');
    const t = await nadir('train', '--data', TRICKBOT, '--model', 'iforest', ...FAST, '--out', model, '--json');
    assert.equal(t.code, 0, t.stderr);
    const doc = JSON.parse(t.stdout) as { cv?: unknown; unlabelled: { rows: number; flagged: number; share: number; outOfFold: boolean }; warnings: string[] };
    assert.equal(doc.cv, undefined, 'no CV metrics that need attacks');
    assert.equal(doc.unlabelled.rows, zeekRows.length);
    assert.equal(doc.unlabelled.outOfFold, true);
    assert.ok(doc.unlabelled.flagged >= 0 && doc.unlabelled.flagged <= doc.unlabelled.rows);
    assert.equal(doc.unlabelled.share, doc.unlabelled.flagged / doc.unlabelled.rows);
    assert.ok(doc.warnings.some((w) => /no label column \(unlabelled data\): all 2,000 rows are taken as normal traffic/.test(w)), doc.warnings.join('\n'));

    const text = await nadir('train', '--data', TRICKBOT, '--model', 'iforest', ...FAST, '--out', join(dir, 'zeek2.nadir'));
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /unlabelled data: all rows taken as normal traffic; at the threshold the model flags [\d,]+ of 2,000 rows/);

    const out = join(dir, 'zeek-preds.csv');
    const p = await nadir('predict', '--model', model, '--data', TRICKBOT, '--out', out);
    assert.equal(p.code, 0, p.stderr);
    const preds = csvRecords(readFileSync(out, 'utf8'));
    assert.equal(preds.length, zeekRows.length);
    for (const i of [0, 999, zeekRows.length - 1]) {
      const rec = zeekRows[i]!;
      assert.equal(preds[i]!.uid, rec[1]);
      assert.equal(preds[i]!['id.orig_h'], rec[2]);
      assert.equal(preds[i]!['id.resp_h'], rec[4]);
      assert.equal(Number(preds[i]!.ts), Number(rec[0]));
      assert.match(preds[i]!.label!, /^(Normal|Attack)$/);
    }
  });

  test('a supervised model still needs a label, with the clear error', async () => {
    const r = await nadir('train', '--data', TRICKBOT, '--model', 'gbdt', '--out', join(dir, 'never.nadir'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^nadir: .*trickbot-conn-2000\.log\.gz: no label column found \(looked for label, class, attack, target, attack_type, y\); name it with --label <column>\./);
  });
});

describe('Suricata EVE JSON', () => {
  test('with alerts (Muntaha-Ghafoor): inspect says suricata-eve; gbdt trains on the alert labels and predicts with flow_id, addresses and time passed through', async () => {
    const i = await nadir('inspect', '--data', EVE, '--json');
    assert.equal(i.code, 0, i.stderr);
    const doc = JSON.parse(i.stdout) as { format: string; label: string; rows: number; classes: { binary: Record<string, number> } };
    assert.equal(doc.format, 'suricata-eve');
    assert.equal(doc.label, 'label');
    assert.equal(doc.rows, eveFlows.length);
    const alerted = new Set(eveEvents.filter((e) => e.event_type === 'alert').map((e) => String(e.flow_id)));
    const attacks = eveFlows.filter((f) => alerted.has(String(f.flow_id))).length;
    assert.deepEqual(doc.classes.binary, { normal: eveFlows.length - attacks, attack: attacks });

    const model = join(dir, 'eve.nadir');
    const t = await nadir('train', '--data', EVE, '--model', 'gbdt', ...FAST, '--out', model, '--json');
    assert.equal(t.code, 0, t.stderr);
    const tr = JSON.parse(t.stdout) as { cv: { rocAuc: number; n: number } };
    assert.equal(tr.cv.n, eveFlows.length);
    assert.ok(tr.cv.rocAuc > 0.5, `out-of-fold ROC-AUC ${tr.cv.rocAuc}`);

    const out = join(dir, 'eve-preds.jsonl');
    const p = await nadir('predict', '--model', model, '--data', EVE, '--out', out);
    assert.equal(p.code, 0, p.stderr);
    const preds = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { row: number; label: string; fields: Record<string, unknown> });
    assert.equal(preds.length, eveFlows.length);
    for (const k of [0, eveFlows.length - 1]) {
      assert.equal(preds[k]!.row, k + 1);
      assert.match(preds[k]!.label, /^(Normal|Attack)$/);
      assert.equal(String(preds[k]!.fields.flow_id), String(eveFlows[k]!.flow_id));
      assert.equal(preds[k]!.fields.src_ip, eveFlows[k]!.src_ip);
      assert.equal(preds[k]!.fields.dest_ip, eveFlows[k]!.dest_ip);
      assert.equal(preds[k]!.fields.timestamp, eveFlows[k]!.timestamp);
    }
  });

  test('without alerts: unlabelled, not all normal; iforest trains, gbdt asks for a label', async () => {
    const quiet = join(dir, 'quiet_eve.json.gz');
    writeFileSync(quiet, gzipSync(eveEvents.filter((e) => e.event_type !== 'alert').map((e) => JSON.stringify(e)).join('\n')));
    const i = await nadir('inspect', '--data', quiet, '--json');
    assert.equal(i.code, 0, i.stderr);
    const doc = JSON.parse(i.stdout) as { format: string; label: string | null; classes: unknown };
    assert.deepEqual([doc.format, doc.label, doc.classes], ['suricata-eve', null, null]);
    const t = await nadir('train', '--data', quiet, '--model', 'iforest', ...FAST, '--out', join(dir, 'quiet.nadir'), '--json');
    assert.equal(t.code, 0, t.stderr);
    assert.equal((JSON.parse(t.stdout) as { unlabelled: { rows: number } }).unlabelled.rows, eveFlows.length);
    const g = await nadir('train', '--data', quiet, '--model', 'gbdt', '--out', join(dir, 'never.nadir'));
    assert.equal(g.code, 2);
    assert.match(g.stderr, /no label column found/);
  });
});
