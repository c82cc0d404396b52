import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dataFromRecords } from '../load.js';
import { canonicalCicName, canonicalHeader, CIC_IDS2017_ALIASES, CIC_IDS2017_COLUMNS, editDistance, suggestColumn } from './cicids.js';

const snake = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

describe('canonical CIC-IDS2017 schema', () => {
  it('every canonical name, alias and their snake_case forms map to the canonical name', () => {
    for (const c of CIC_IDS2017_COLUMNS) {
      assert.equal(canonicalCicName(c), c);
      assert.equal(canonicalCicName(` ${c}`), c, 'padded');
      assert.equal(canonicalCicName(snake(c)), c, snake(c));
    }
    for (const [c, aliases] of Object.entries(CIC_IDS2017_ALIASES)) {
      assert.ok((CIC_IDS2017_COLUMNS as readonly string[]).includes(c), c);
      for (const a of aliases) {
        assert.equal(canonicalCicName(a), c, a);
        assert.equal(canonicalCicName(snake(a)), c, snake(a));
      }
    }
    // the Python cicflowmeter's names, the later CICFlowMeter's, CSE-CIC-IDS2018's
    assert.equal(canonicalCicName('flow_byts_s'), 'Flow Bytes/s');
    assert.equal(canonicalCicName('Packet Length Min'), 'Min Packet Length');
    assert.equal(canonicalCicName('FWD Init Win Bytes'), 'Init_Win_bytes_forward');
    assert.equal(canonicalCicName('Dst Port'), 'Destination Port');
    assert.equal(canonicalCicName('service'), null);
  });

  it('renames a header without collisions: a name already present is never taken twice', () => {
    const h = canonicalHeader(['Dst Port', 'Destination Port', 'Tot Fwd Pkts', 'x']);
    assert.deepEqual(h.names, ['Dst Port', 'Destination Port', 'Total Fwd Packets', 'x']);
    assert.deepEqual(h.renamed, [['Tot Fwd Pkts', 'Total Fwd Packets']]);
    const all = fc.constantFrom(...CIC_IDS2017_COLUMNS, ...Object.values(CIC_IDS2017_ALIASES).flat(), 'a', 'b', 'Label', 'label');
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(all, fc.string({ maxLength: 12 })), { maxLength: 40 }), (header) => {
        const r = canonicalHeader(header);
        assert.equal(r.names.length, header.length);
        assert.equal(new Set(r.names).size, header.length, 'unique names stay unique');
        for (const [from, to] of r.renamed) assert.equal(canonicalCicName(from), to);
      }),
    );
  });

  it('unlabelled flows with the Python cicflowmeter names load as CIC-IDS2017, under canonical names', () => {
    const names = ['src_ip', 'dst_ip', 'src_port', 'dst_port', 'protocol', 'timestamp', 'flow_duration', 'flow_byts_s', 'flow_pkts_s', 'fwd_pkts_s', 'bwd_pkts_s', 'tot_fwd_pkts', 'tot_bwd_pkts', 'totlen_fwd_pkts', 'totlen_bwd_pkts', 'fwd_pkt_len_max', 'fwd_pkt_len_min', 'fwd_pkt_len_mean', 'fwd_pkt_len_std', 'bwd_pkt_len_max', 'pkt_len_min', 'pkt_len_max', 'init_fwd_win_byts', 'fwd_seg_size_min'];
    const records = [0, 1, 2].map((i) => Object.fromEntries(names.map((n, j) => [n, j === 0 ? `10.0.0.${i}` : j === 1 ? '10.0.1.1' : j === 5 ? `2020-01-0${i + 1} 10:00:00` : i * 10 + j])));
    const d = dataFromRecords(records);
    assert.equal(d.format, 'cic-ids2017');
    assert.equal(d.labelColumn, null);
    assert.deepEqual(d.identifiers?.map((i) => i.column.name), ['Source IP', 'Destination IP', 'Timestamp']);
    const cols = d.features.columns.map((c) => c.name);
    for (const c of ['Source Port', 'Destination Port', 'Flow Bytes/s', 'Total Fwd Packets', 'Min Packet Length', 'Init_Win_bytes_forward', 'min_seg_size_forward']) assert.ok(cols.includes(c), c);
  });

  it('suggests the input column a missing one probably is: an alias, the same key, or a near miss', () => {
    assert.equal(suggestColumn('Min Packet Length', ['x', 'Packet Length Min']), 'Packet Length Min');
    assert.equal(suggestColumn('Flow Duration', ['flow-duration']), 'flow-duration');
    assert.equal(suggestColumn('Flow Duration', ['Flow Durration', 'Flow IAT Mean']), 'Flow Durration');
    assert.equal(suggestColumn('src_bytes', ['dst_bytes']), null, 'two edits on a short key are too many');
    assert.equal(suggestColumn('Flow Duration', ['proto', 'service']), null);
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 8 }), (m, av) => {
        const s = suggestColumn(m, av);
        assert.ok(s === null || av.includes(s));
      }),
    );
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => assert.equal(editDistance(a, b, 2) <= 2, editDistance(a, b, 99) <= 2)));
  });
});
