import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { asNormalTraffic, loadData, loadStream } from './load.js';
import { chunksOf, tempDir, writeFixture } from './testdata/files.js';
import type { Column } from './types.js';

/** The first 2,000 records of a real Zeek conn.log (test/fixtures/zeek/README.md). */
const TRICKBOT = 'test/fixtures/zeek/trickbot-conn-2000.log.gz';
/** Real Suricata EVE JSON with alerts (test/fixtures/suricata/README.md). */
const EVE = 'test/fixtures/suricata/Muntaha-Ghafoor_eve.json.gz';
const dir = tempDir('nadir-flow-logs-');
after(() => rmSync(dir, { recursive: true, force: true }));

const values = (c: Column): Array<string | number | null> =>
  c.kind === 'numeric' ? Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)) : Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]!));

/** The TSV log read independently: field names, types and the records as text. */
function zeekText(): { fields: string[]; types: string[]; rows: string[][] } {
  const lines = gunzipSync(readFileSync(TRICKBOT)).toString('utf8').split('\n');
  const fields = lines.find((l) => l.startsWith('#fields\t'))!.split('\t').slice(1);
  const types = lines.find((l) => l.startsWith('#types\t'))!.split('\t').slice(1);
  const rows = lines.filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split('\t'));
  return { fields, types, rows };
}

/** A record as Zeek's JSON writer puts it (LogAscii::use_json): unset fields left out, numbers as numbers, bools as true/false. */
function zeekJson(fields: string[], types: string[], row: string[]): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  fields.forEach((f, j) => {
    const v = row[j]!;
    if (v === '-') return;
    const t = types[j]!;
    if (t === 'bool') rec[f] = v === 'T';
    else if (['time', 'interval', 'double', 'count', 'int', 'port'].includes(t)) rec[f] = Number(v);
    else if (t.startsWith('set[') || t.startsWith('vector[')) return; // sets: left out here (the JSON Lines reader refuses nested values)
    else rec[f] = v;
  });
  return rec;
}

describe('Zeek conn.log as format zeek-conn', () => {
  it('the real trickbot conn.log (TSV): unlabelled, typed by #types, identifiers set aside, ports numeric, states categorical', async () => {
    const { fields, rows } = zeekText();
    const d = await loadData(TRICKBOT);
    assert.equal(d.format, 'zeek-conn');
    assert.equal(d.features.nRows, rows.length);
    assert.equal(rows.length, 2000);
    assert.equal(d.labels, null);
    assert.equal(d.labelColumn, null);
    assert.deepEqual(d.identifiers?.map((i) => [i.column.name, i.role]), [['ts', 'timestamp'], ['uid', 'zeek-uid'], ['id.orig_h', 'ip-address'], ['id.resp_h', 'ip-address']]);
    const col = (n: string): Column => d.features.columns.find((c) => c.name === n)!;
    for (const n of ['id.orig_p', 'id.resp_p', 'duration', 'orig_bytes', 'resp_bytes', 'local_orig', 'orig_pkts', 'ip_proto']) assert.equal(col(n).kind, 'numeric', n);
    for (const n of ['proto', 'service', 'conn_state', 'history']) assert.equal(col(n).kind, 'categorical', n);
    // '-' is missing, T/F are 1/0, durations are the written numbers
    const at = (n: string): number => fields.indexOf(n);
    assert.deepEqual(values(col('duration')), rows.map((r) => (r[at('duration')] === '-' ? null : Number(r[at('duration')]))));
    assert.deepEqual(values(col('local_orig')), rows.map((r) => (r[at('local_orig')] === '-' ? null : r[at('local_orig')] === 'T' ? 1 : 0)));
    assert.deepEqual(values(col('service')), rows.map((r) => (r[at('service')] === '-' ? null : r[at('service')])));
    assert.deepEqual(values(col('conn_state')), rows.map((r) => r[at('conn_state')]));
    // as training data for an anomaly detector: every row normal traffic, marked unlabelled
    const n = asNormalTraffic(d);
    assert.equal(n.unlabelled, true);
    assert.equal(n.labels.dictionary.join(), 'normal');
    assert.ok(n.labels.codes.every((c) => c === 0));
  });

  it("Zeek's JSON logs of the same records: zeek-conn, the same identifiers and the same values", async () => {
    const { fields, types, rows } = zeekText();
    const json = rows.map((r) => JSON.stringify(zeekJson(fields, types, r))).join('\n');
    const [tsv, js] = await Promise.all([loadData(TRICKBOT), loadData(writeFixture(dir, 'conn.json', json))]);
    assert.equal(js.format, 'zeek-conn');
    assert.equal(js.labels, null);
    assert.deepEqual(js.identifiers?.map((i) => [i.column.name, i.role]), tsv.identifiers?.map((i) => [i.column.name, i.role]));
    for (const c of js.features.columns) {
      const t = tsv.features.columns.find((x) => x.name === c.name)!;
      assert.equal(c.kind, t.kind, c.name);
      assert.deepEqual(values(c), values(t), c.name);
    }
    // the TSV's set column (tunnel_parents, unset on every row) is the only one the JSON lines lack
    assert.deepEqual(tsv.features.columns.map((c) => c.name).filter((n) => !js.features.columns.some((c) => c.name === n)), ['tunnel_parents']);
  });

  it('#path conn names a conn log whatever fields it keeps; another #path with those fields is generic', async () => {
    const log = (path: string): string =>
      ['#separator \\x09', `#path\t${path}`, '#fields\tts\tid.orig_h\tid.resp_p\tduration', '#types\ttime\taddr\tport\tinterval', '1541117137.6\t10.0.0.1\t88\t0.5', '1541117138.6\t10.0.0.2\t53\t-', ''].join('\n');
    const conn = await loadData(writeFixture(dir, 'cut-conn.log', log('conn')));
    assert.equal(conn.format, 'zeek-conn');
    assert.equal(conn.labels, null);
    assert.deepEqual(conn.features.columns.map((c) => [c.name, values(c)]), [['id.resp_p', [88, 53]], ['duration', [0.5, null]]]);
    assert.equal((await loadData(writeFixture(dir, 'cut-dns.log', log('dns')))).format, 'generic');
  });

  it('fuzz: Zeek JSON lines of any values give a table (zeek-conn when the conn.log fields are there) or a catalogued error; chunk boundaries change nothing', async () => {
    const scalar = fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constantFrom('-', '(empty)', 'SF', 'ShADad', '10.0.0.1', 'fe80::1', 'CHhAvVGS1DHFjwGM9'), fc.string({ maxLength: 6 }));
    const record = fc.record(
      { ts: scalar, uid: scalar, 'id.orig_h': scalar, 'id.orig_p': scalar, 'id.resp_h': scalar, 'id.resp_p': scalar, proto: scalar, conn_state: scalar, duration: scalar, local_orig: scalar },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(record.map((r) => JSON.stringify(r)), fc.string({ maxLength: 10 })), { maxLength: 8 }), fc.integer({ min: 1, max: 60 }), async (lines, cut) => {
        const bytes = Buffer.from(lines.join('\n'), 'utf8');
        let whole: string;
        try {
          const d = await loadStream(chunksOf(bytes, bytes.length || 1), 'conn.json');
          const names = new Set([...d.features.columns, ...(d.identifiers ?? []).map((i) => i.column)].map((c) => c.name));
          if (d.format === 'zeek-conn') for (const n of ['uid', 'id.orig_h', 'id.resp_h', 'conn_state']) assert.ok(names.has(n), n);
          whole = JSON.stringify([d.format, d.features.columns.map((c) => [c.name, values(c)])]);
        } catch (e) {
          assert.match((e as { code?: string }).code ?? '', /^NADIR_ERR_/, String(e));
          return;
        }
        const again = await loadStream(chunksOf(bytes, cut), 'conn.json');
        assert.equal(JSON.stringify([again.format, again.features.columns.map((c) => [c.name, values(c)])]), whole);
      }),
      { numRuns: 150 },
    );
  });
});

describe('Suricata EVE JSON as format suricata-eve', () => {
  const events = gunzipSync(readFileSync(EVE)).toString('utf8').split('\n').filter((l) => l.trim() !== '');

  it('with alerts: labelled by the first alert of each flow, the other flows normal', async () => {
    const d = await loadData(EVE);
    assert.equal(d.format, 'suricata-eve');
    assert.equal(d.labelColumn, 'label');
    const flows = events.filter((l) => (JSON.parse(l) as { event_type: string }).event_type === 'flow').length;
    assert.equal(d.features.nRows, flows);
    assert.deepEqual(d.identifiers?.map((i) => i.column.name).slice(0, 4), ['timestamp', 'flow_id', 'src_ip', 'dest_ip']);
    for (const n of ['src_port', 'dest_port', 'flow.pkts_toserver']) assert.equal(d.features.columns.find((c) => c.name === n)?.kind, 'numeric', n);
  });

  it('without alerts: unlabelled (no label column), not all normal', async () => {
    const noAlerts = events.filter((l) => (JSON.parse(l) as { event_type: string }).event_type !== 'alert').join('\n');
    const d = await loadData(writeFixture(dir, 'quiet_eve.json.gz', noAlerts));
    assert.equal(d.format, 'suricata-eve');
    assert.equal(d.labelColumn, null);
    assert.equal(d.labels, null);
    assert.ok(!d.features.columns.some((c) => c.name === 'label'));
  });
});
