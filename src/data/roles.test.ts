import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dataFromRecords, loadDataset } from './load.js';
import { columnRole, textRole } from './roles.js';
import type { Column } from './types.js';

const CIC = 'test/fixtures/cicflowmeter/test.pcap_CIC.csv';
const FLOW = 'test/fixtures/cicflowmeter/test.pcap_Flow.csv';

const text = (name: string, values: Array<string | null>): Column => {
  const dictionary: string[] = [];
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    let k = dictionary.indexOf(v);
    if (k < 0) k = dictionary.push(v) - 1;
    return k;
  });
  return { kind: 'categorical', name, codes, dictionary };
};
const num = (name: string, values: number[]): Column => ({ kind: 'numeric', name, values: Float64Array.from(values) });

describe('column roles', () => {
  it('recognises one value of each identifier kind', () => {
    const cases: Array<[string, string | null]> = [
      ['192.168.10.5', 'ip-address'],
      ['fe80::1ff:fe23:4567:890a', 'ip-address'],
      ['2001:db8::8a2e:370:7334', 'ip-address'],
      ['00:1a:2b:3c:4d:5e', 'mac-address'],
      ['00-1A-2B-3C-4D-5E', 'mac-address'],
      ['2017-07-03T08:55:58Z', 'timestamp'],
      ['2017-07-03 08:55:58.123456', 'timestamp'],
      ['2019-05-12T18:01:02.123456+0200', 'timestamp'],
      ['31/03/2015 08:32:22', 'timestamp'],
      ['3/7/2017 8:55', 'timestamp'],
      ['7/3/2017 01:02:03 PM', 'timestamp'],
      ['188.120.225.17-10.200.2.252-8080-61559-6', 'flow-id'],
      ['CHhAvVGS1DHFjwGM9', 'zeek-uid'],
      ['FbVTdM3vVeT5qd2oJ5', 'zeek-uid'],
      ['1:LQU9qZlK+B5F3KDmev6m5PMibrg=', 'community-id'],
      // not identifiers
      ['tcp', null],
      ['http', null],
      ['1.2.3', null],
      ['256.1.1.1', null],
      ['Connection', null],
      ['BENIGN', null],
      ['Web Attack - Brute Force', null],
      ['2017-07-03', null],
      ['12:30', null],
    ];
    for (const [v, role] of cases) assert.equal(textRole(v), role, v);
  });

  it('a text column is an identifier only when every distinct value is of the same kind', () => {
    assert.equal(columnRole(text('Src IP', ['10.0.0.1', '10.0.0.2', null, '::1'])), 'ip-address');
    assert.equal(columnRole(text('Src IP', ['10.0.0.1', 'unknown'])), 'feature');
    assert.equal(columnRole(text('x', ['10.0.0.1', '31/03/2015 08:32:22'])), 'feature');
    assert.equal(columnRole(text('empty', [null, null])), 'feature');
    // Zeek uids without a digit or a lower-case letter (real ones from a conn.log) are uids beside the others, not alone
    assert.equal(columnRole(text('uid', ['CYtJYz4gNk3t5ZEt2', 'CPxwfaOMjMUnmvVbaa', 'Cjfmty10MYy4AFeiUd'])), 'zeek-uid');
    assert.equal(columnRole(text('uid', ['CPxwfaOMjMUnmvVbaa', 'CQWERTYUIOPASDFGH'])), 'feature');
    // a uid-looking value repeated on most rows is a category, not a uid
    assert.equal(columnRole(text('k', Array.from({ length: 10 }, () => 'CHhAvVGS1DHFjwGM9'))), 'feature');
  });

  it('a numeric column is a time or a row number only by its name and its values', () => {
    assert.equal(columnRole(num('ts', [1425556789.123456, 1425556790.5])), 'timestamp');
    assert.equal(columnRole(num('stime', [1421927414, 1421927416])), 'timestamp');
    assert.equal(columnRole(num('ts', [12, 13])), 'feature');
    // a byte count that happens to be in the epoch range is not a time
    assert.equal(columnRole(num('src_bytes', [1425556789, 1425556790])), 'feature');
    assert.equal(columnRole(num('id', [1, 2, 3, 5])), 'row-id');
    assert.equal(columnRole(num('id', [1, 2, 2])), 'feature');
    assert.equal(columnRole(num('Destination Port', [80, 443, 8080])), 'feature');
  });

  it('fuzz: textRole never throws, and every generated address, MAC and flow id is recognised', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      const r = textRole(s);
      assert.ok(r === null || typeof r === 'string');
    }));
    fc.assert(fc.property(fc.ipV4(), (ip) => assert.equal(textRole(ip), 'ip-address')));
    fc.assert(fc.property(fc.ipV6(), (ip) => assert.equal(textRole(ip), 'ip-address')));
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }), (b) => assert.equal(textRole(b.map((x) => x.toString(16).padStart(2, '0')).join(':')), 'mac-address')));
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }), fc.constantFrom(6, 17, 1), (a, b, p, q, proto) => {
        assert.equal(textRole(`${a}-${b}-${p}-${q}-${proto}`), 'flow-id');
      }),
    );
  });

  it('the real CICFlowMeter files: Flow ID, the addresses and Timestamp are identifiers, ports stay inputs', async () => {
    // (the V4 file's `Src IP`, `Dst IP` are read under their canonical names)
    for (const [file, src, dst] of [[CIC, 'Source IP', 'Destination IP'], [FLOW, 'Source IP', 'Destination IP']] as const) {
      const d = await loadDataset(file, { normal: ['BENIGN', 'No Label'] });
      assert.deepEqual(d.identifiers?.map((i) => [i.column.name, i.role]), [
        ['Flow ID', 'flow-id'],
        [src, 'ip-address'],
        [dst, 'ip-address'],
        ['Timestamp', 'timestamp'],
      ], file);
      const names = d.features.columns.map((c) => c.name);
      for (const id of ['Flow ID', src, dst, 'Timestamp']) assert.ok(!names.includes(id), `${file}: ${id} is not an input`);
      assert.ok(d.features.columns.every((c) => c.kind === 'numeric'), `${file}: every input is numeric`);
      assert.equal(d.identifiers![0]!.column.kind === 'categorical' && d.identifiers![0]!.column.codes.length, 96);
      const f = d.findings.find((x) => x.code === 'identifier-columns');
      assert.ok(f && f.count === 4 && /keep/.test(f.message), file);
    }
  });

  it('keep makes an identifier an input again', () => {
    const records = Array.from({ length: 60 }, (_, i) => ({ 'Src IP': `10.0.0.${i % 7}`, bytes: i * 10, label: i % 2 ? 'attack' : 'normal' }));
    const plain = dataFromRecords(records);
    assert.deepEqual(plain.features.columns.map((c) => c.name), ['bytes']);
    assert.deepEqual(plain.identifiers?.map((i) => i.column.name), ['Src IP']);
    const kept = dataFromRecords(records, { keep: ['Src IP'] });
    assert.deepEqual(kept.features.columns.map((c) => c.name), ['Src IP', 'bytes']);
    assert.deepEqual(kept.identifiers, []);
    assert.equal(kept.findings.some((f) => f.code === 'identifier-columns'), false);
  });
});
