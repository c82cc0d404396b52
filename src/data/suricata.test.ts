import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { loadDataset } from './load.js';
import { readEve } from './suricata.js';
import { buildTarget, classCounts } from './target.js';
import { rejectsWith, tempDir, writeFixture } from './testdata/files.js';

const EVE = 'test/fixtures/suricata/Muntaha-Ghafoor_eve.json.gz';
const dir = tempDir('nadir-eve-');
after(() => rmSync(dir, { recursive: true, force: true }));

async function* one(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text, 'utf8');
}

describe('Suricata EVE JSON', () => {
  it('the real eve.json: one row per flow event, the first alert category as the label, addresses/times/flow id as identifiers', async () => {
    // an independent reading: every event parsed, alerts by flow id, flows counted by label
    const events = gunzipSync(readFileSync(EVE)).toString('utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const firstAlert = new Map<string, string>();
    for (const e of events) {
      if (e.event_type !== 'alert' || firstAlert.has(String(e.flow_id))) continue;
      const a = e.alert as { category?: string; signature: string };
      // this file's rules have no classtype: the category is empty, so the signature names the class
      firstAlert.set(String(e.flow_id), a.category ? a.category : a.signature);
    }
    const expected = new Map<string, number>();
    for (const e of events) {
      if (e.event_type !== 'flow') continue;
      const l = firstAlert.get(String(e.flow_id)) ?? 'normal';
      expected.set(l, (expected.get(l) ?? 0) + 1);
    }
    assert.equal(expected.get('Nmap SYN Port Scan Detected'), 50);
    const d = await loadDataset(EVE);
    assert.equal(d.labelColumn, 'label');
    assert.equal(d.features.nRows, [...expected.values()].reduce((a, b) => a + b, 0));
    const t = buildTarget(d, 'label');
    assert.deepEqual(Object.fromEntries(t.classes.map((c, i) => [c, classCounts(t)[i]])), Object.fromEntries(expected));
    assert.deepEqual(classCounts(buildTarget(d, 'binary')), [expected.get('normal'), d.features.nRows - expected.get('normal')!]);
    assert.deepEqual(d.identifiers?.map((i) => [i.column.name, i.role]), [['timestamp', 'timestamp'], ['flow_id', 'flow-id'], ['src_ip', 'ip-address'], ['dest_ip', 'ip-address'], ['flow.start', 'timestamp'], ['flow.end', 'timestamp']]);
    const names = d.features.columns.map((c) => c.name);
    for (const c of ['src_port', 'dest_port', 'proto', 'flow.pkts_toserver', 'flow.bytes_toclient', 'tcp.syn']) assert.ok(names.includes(c), c);
    // nothing that leaks the label or numbers the capture
    for (const c of ['flow.alerted', 'pcap_cnt', 'event_type', 'alert.signature']) assert.ok(!names.includes(c), c);
  });

  it('flags Suricata leaves out are 0 in a TCP flow; a flow without alerts is normal; bad lines are named', async () => {
    const text = [
      '{"timestamp":"2020-01-01T00:00:00.000000+0000","flow_id":1,"event_type":"flow","src_ip":"10.0.0.1","src_port":1234,"dest_ip":"10.0.0.2","dest_port":80,"proto":"TCP","flow":{"pkts_toserver":3,"alerted":true},"tcp":{"syn":true,"tcp_flags":"02"}}',
      '{"timestamp":"2020-01-01T00:00:01.000000+0000","flow_id":1,"event_type":"alert","alert":{"signature":"ET SCAN x","category":"Attempted Information Leak"}}',
      '{"timestamp":"2020-01-01T00:00:02.000000+0000","flow_id":2,"event_type":"flow","src_ip":"10.0.0.3","src_port":53,"dest_ip":"10.0.0.2","dest_port":53,"proto":"UDP","flow":{"pkts_toserver":1,"alerted":false},"dns":{"x":[1]}}',
    ].join('\n');
    const raw = await readEve(one(text), 'eve.json');
    const cols = new Map(raw.header!.map((h, i) => [h, raw.builders[i]!.build()]));
    assert.ok(!cols.has('flow.alerted'));
    const syn = cols.get('tcp.syn')!;
    const fin = cols.get('tcp.fin')!;
    assert.deepEqual(syn.kind === 'numeric' ? Array.from(syn.values) : null, [1, NaN]);
    assert.deepEqual(fin.kind === 'numeric' ? Array.from(fin.values) : null, [0, NaN]);
    const label = cols.get('label')!;
    assert.deepEqual(label.kind === 'categorical' ? Array.from(label.codes, (k) => label.dictionary[k]) : null, ['Attempted Information Leak', 'normal']);
    await rejectsWith(readEve(one('{"event_type":"flow"}\nnot json\n'), 'eve.json'), 'NADIR_ERR_BAD_FORMAT', /eve\.json.*line 2: not a JSON event/);
    await rejectsWith(readEve(one('{"event_type":"dns"}\n'), 'eve.json'), 'NADIR_ERR_BAD_FORMAT', /no flow events/);
    // recognised by content as EVE, not as plain JSON lines
    const d = await loadDataset(writeFixture(dir, 'events.json', `${text}\n`), { normal: ['normal'] });
    assert.equal(d.labelColumn, 'label');
  });

  it('fuzz: any events give a table or a catalogued error; chunk boundaries change nothing', async () => {
    const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }), fc.constantFrom('10.0.0.1', '2020-01-01T00:00:00Z'));
    const event = fc.record({
      event_type: fc.constantFrom('flow', 'alert', 'dns', 'stats'),
      flow_id: fc.integer({ min: 1, max: 5 }),
      src_ip: scalar,
      dest_port: scalar,
      flow: fc.dictionary(fc.constantFrom('pkts_toserver', 'bytes_toclient', 'alerted', 'state'), scalar),
      tcp: fc.oneof(fc.constant(undefined), fc.dictionary(fc.constantFrom('syn', 'ack', 'tcp_flags'), scalar)),
      alert: fc.oneof(fc.constant(undefined), fc.record({ category: fc.string({ maxLength: 6 }) })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(event.map((e) => JSON.stringify(e)), fc.string({ maxLength: 10 })), { maxLength: 10 }), fc.integer({ min: 1, max: 50 }), async (lines, cut) => {
        const text = lines.join('\n');
        let whole: string;
        try {
          const raw = await readEve(one(text), 'eve.json');
          whole = JSON.stringify([raw.header, raw.builders.map((b) => { const c = b.build(); return c.kind === 'numeric' ? Array.from(c.values, String) : Array.from(c.codes, (k) => c.dictionary[k]); })]);
        } catch (e) {
          assert.match((e as { code?: string }).code ?? '', /^NADIR_ERR_/, String(e));
          return;
        }
        async function* chunks(): AsyncGenerator<Buffer> {
          const b = Buffer.from(text, 'utf8');
          for (let i = 0; i < b.length; i += cut) yield b.subarray(i, i + cut);
        }
        const again = await readEve(chunks(), 'eve.json');
        assert.equal(JSON.stringify([again.header, again.builders.map((b) => { const c = b.build(); return c.kind === 'numeric' ? Array.from(c.values, String) : Array.from(c.codes, (k) => c.dictionary[k]); })]), whole);
      }),
      { numRuns: 150 },
    );
  });
});
