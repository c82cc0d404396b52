import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadData, loadDataset } from '../load.js';
import { buildTarget, classCounts } from '../target.js';
import { collect, rejectsWith, tempDir, writeFixture } from '../testdata/files.js';
import type { Column, Dataset } from '../types.js';
import { getColumn } from '../types.js';
import { NSL_KDD_COLUMNS } from './nsl-kdd.js';

/**
 * The header of the CIC-IDS2017 MachineLearningCVE files as CICFlowMeter wrote it: 78 flow
 * features and the label, most names padded with a leading space, `Fwd Header Length` twice.
 */
const CIC_HEADER =
  ' Destination Port, Flow Duration, Total Fwd Packets, Total Backward Packets,Total Length of Fwd Packets, Total Length of Bwd Packets,' +
  ' Fwd Packet Length Max, Fwd Packet Length Min, Fwd Packet Length Mean, Fwd Packet Length Std,Bwd Packet Length Max, Bwd Packet Length Min,' +
  ' Bwd Packet Length Mean, Bwd Packet Length Std,Flow Bytes/s, Flow Packets/s, Flow IAT Mean, Flow IAT Std, Flow IAT Max, Flow IAT Min,' +
  'Fwd IAT Total, Fwd IAT Mean, Fwd IAT Std, Fwd IAT Max, Fwd IAT Min,Bwd IAT Total, Bwd IAT Mean, Bwd IAT Std, Bwd IAT Max, Bwd IAT Min,' +
  'Fwd PSH Flags, Bwd PSH Flags, Fwd URG Flags, Bwd URG Flags, Fwd Header Length, Bwd Header Length,Fwd Packets/s, Bwd Packets/s,' +
  ' Min Packet Length, Max Packet Length, Packet Length Mean, Packet Length Std, Packet Length Variance,FIN Flag Count, SYN Flag Count,' +
  ' RST Flag Count, PSH Flag Count, ACK Flag Count, URG Flag Count, CWE Flag Count, ECE Flag Count, Down/Up Ratio, Average Packet Size,' +
  ' Avg Fwd Segment Size, Avg Bwd Segment Size, Fwd Header Length,Fwd Avg Bytes/Bulk, Fwd Avg Packets/Bulk, Fwd Avg Bulk Rate,' +
  ' Bwd Avg Bytes/Bulk, Bwd Avg Packets/Bulk,Bwd Avg Bulk Rate,Subflow Fwd Packets, Subflow Fwd Bytes, Subflow Bwd Packets, Subflow Bwd Bytes,' +
  'Init_Win_bytes_forward, Init_Win_bytes_backward, act_data_pkt_fwd, min_seg_size_forward,Active Mean, Active Std, Active Max, Active Min,' +
  'Idle Mean, Idle Std, Idle Max, Idle Min, Label';

/** UNSW-NB15 training/testing set header (UNSW_NB15_training-set.csv). */
const UNSW_HEADER =
  'id,dur,proto,service,state,spkts,dpkts,sbytes,dbytes,rate,sttl,dttl,sload,dload,sloss,dloss,sinpkt,dinpkt,sjit,djit,swin,stcpb,dtcpb,' +
  'dwin,tcprtt,synack,ackdat,smean,dmean,trans_depth,response_body_len,ct_srv_src,ct_state_ttl,ct_dst_ltm,ct_src_dport_ltm,' +
  'ct_dst_sport_ltm,ct_dst_src_ltm,is_ftp_login,ct_ftp_cmd,ct_flw_http_mthd,ct_src_ltm,ct_srv_dst,is_sm_ips_ports,attack_cat,label';

let dir = '';
before(() => {
  dir = tempDir('nadir-formats-');
});
after(() => rmSync(dir, { recursive: true, force: true }));

function values(c: Column): Array<string | number | null> {
  if (c.kind === 'numeric') return Array.from(c.values, (v) => (Number.isNaN(v) ? null : v));
  return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]!));
}

function col(d: { features: Dataset['features'] }, name: string): Column {
  const c = getColumn(d.features, name);
  assert.ok(c, `column ${name}`);
  return c;
}

/** A CIC-IDS2017-style file: 12 flows, Infinity/NaN in the rate columns as CICFlowMeter writes them. */
function cicFixture(): { text: string; labels: string[] } {
  const names = CIC_HEADER.split(',');
  const bytesRate = names.indexOf('Flow Bytes/s');
  const pktRate = names.indexOf(' Flow Packets/s');
  const labels = ['BENIGN', 'BENIGN', 'DDoS', 'BENIGN', 'PortScan', 'DDoS', 'BENIGN', 'PortScan', 'DDoS', 'BENIGN', 'BENIGN', 'DDoS'];
  const rows = labels.map((label, r) => {
    const cells = names.map((_, c) => String((r * 7 + c * 3) % 50));
    cells[0] = String([80, 443, 53, 22][r % 4]);
    cells[1] = String(1000 + r * 17); // Flow Duration
    if (r === 2 || r === 5) {
      cells[bytesRate] = 'Infinity';
      cells[pktRate] = 'Infinity';
    }
    if (r === 8) cells[bytesRate] = 'NaN';
    cells[names.length - 1] = label;
    return cells.join(',');
  });
  return { text: [CIC_HEADER, ...rows].join('\r\n') + '\r\n', labels };
}

describe('CIC-IDS2017', () => {
  it('the fixture header has the real shape: 79 columns, 78 features, Fwd Header Length twice', () => {
    const names = CIC_HEADER.split(',');
    assert.equal(names.length, 79);
    assert.equal(names.filter((n) => n.trim() === 'Fwd Header Length').length, 2);
  });

  it('is recognised with label Label, trimmed and de-duplicated names, and its findings', async () => {
    const { text, labels } = cicFixture();
    const log = collect();
    const d = await loadDataset(writeFixture(dir, 'Friday-WorkingHours.pcap_ISCX.csv', text), { logger: log });
    assert.equal(d.format, 'cic-ids2017');
    assert.equal(d.labelColumn, 'Label');
    assert.equal(d.features.nRows, 12);
    assert.equal(d.features.columns.length, 78);
    const names = d.features.columns.map((c) => c.name);
    assert.equal(names[0], 'Destination Port');
    assert.ok(names.includes('Fwd Header Length') && names.includes('Fwd Header Length.1'));
    assert.ok(names.every((n) => n === n.trim()));
    assert.deepEqual(values(d.labels), labels);

    const codes = new Set<string>(d.findings.map((f) => f.code));
    for (const c of ['padded-header', 'duplicate-header', 'infinity', 'missing-values']) assert.ok(codes.has(c), c);
    const padded = d.findings.find((f) => f.code === 'padded-header')!;
    assert.equal(padded.count, CIC_HEADER.split(',').filter((n) => n !== n.trim()).length);
    assert.equal(padded.count, 65);
    assert.equal(d.findings.find((f) => f.code === 'duplicate-header')!.column, 'Fwd Header Length');
    const inf = d.findings.filter((f) => f.code === 'infinity').map((f) => [f.column, f.count]);
    assert.deepEqual(inf, [['Flow Bytes/s', 2], ['Flow Packets/s', 2]]);
    const missing = d.findings.filter((f) => f.code === 'missing-values').map((f) => [f.column, f.count]);
    assert.deepEqual(missing, [['Flow Bytes/s', 1]]);
    // the findings went to the logger too
    assert.deepEqual(log.warnings.map((w) => w.code), d.findings.map((f) => f.code));

    // Infinity is kept as a value, NaN is missing
    assert.deepEqual(values(col(d, 'Flow Bytes/s')).slice(0, 9).map((v) => (v === Infinity ? 'inf' : v === null ? 'nan' : 'x')), ['x', 'x', 'inf', 'x', 'x', 'inf', 'x', 'x', 'nan']);
    assert.equal(col(d, 'Destination Port').kind, 'numeric');
  });

  it('derives binary (BENIGN = normal), category and label targets', async () => {
    const d = await loadDataset(writeFixture(dir, 'cic.csv', cicFixture().text));
    const bin = buildTarget(d, 'binary');
    assert.deepEqual(bin.classes, ['normal', 'attack']);
    assert.deepEqual(classCounts(bin), [6, 6]);
    const cat = buildTarget(d, 'category');
    assert.deepEqual(cat.classes, ['normal', 'DDoS', 'PortScan']);
    assert.deepEqual(classCounts(cat), [6, 4, 2]);
    const lab = buildTarget(d, 'label');
    assert.deepEqual(lab.classes, ['BENIGN', 'DDoS', 'PortScan']);
  });
});

/** A UNSW-NB15-style file (training-set layout): `-` is a real service value, attack_cat 'Normal' for label 0. */
function unswFixture(): string {
  const names = UNSW_HEADER.split(',');
  const cats = ['Normal', 'Exploits', 'Normal', 'Generic', 'DoS', 'Normal', 'Exploits', 'Normal', 'Generic', 'Normal'];
  const rows = cats.map((cat, r) =>
    names
      .map((n, c) => {
        if (n === 'id') return String(r + 1);
        if (n === 'dur') return (0.121478 * (r + 1)).toFixed(6);
        if (n === 'proto') return ['tcp', 'udp', 'arp'][r % 3];
        if (n === 'service') return ['-', 'http', 'dns', '-'][r % 4];
        if (n === 'state') return ['FIN', 'INT', 'CON'][r % 3];
        if (n === 'attack_cat') return cat;
        if (n === 'label') return cat === 'Normal' ? '0' : '1';
        return String((r * 13 + c * 5) % 97);
      })
      .join(','),
  );
  return [UNSW_HEADER, ...rows].join('\n');
}

describe('UNSW-NB15', () => {
  it('is recognised: label 0/1, attack_cat as the category, id and attack_cat not features', async () => {
    const d = await loadDataset(writeFixture(dir, 'UNSW_NB15_training-set.csv', unswFixture()));
    assert.equal(d.format, 'unsw-nb15');
    assert.equal(d.labelColumn, 'label');
    assert.equal(d.features.nRows, 10);
    assert.equal(d.features.columns.length, 42);
    const names = d.features.columns.map((c) => c.name);
    for (const gone of ['id', 'attack_cat', 'label']) assert.ok(!names.includes(gone), gone);
    assert.deepEqual(values(col(d, 'service')), ['-', 'http', 'dns', '-', '-', 'http', 'dns', '-', '-', 'http']);
    assert.equal(col(d, 'proto').kind, 'categorical');
    const bin = buildTarget(d, 'binary');
    assert.deepEqual(classCounts(bin), [5, 5]);
    const cat = buildTarget(d, 'category');
    assert.deepEqual(cat.classes, ['normal', 'DoS', 'Exploits', 'Generic']);
    assert.deepEqual(classCounts(cat), [5, 1, 2, 2]);
    assert.deepEqual(buildTarget(d, 'label').classes, ['0', '1']);
  });

  it('with --label attack_cat, the 0/1 label column is dropped from the features (it would leak)', async () => {
    const d = await loadDataset(writeFixture(dir, 'unsw2.csv', unswFixture()), { label: 'attack_cat' });
    assert.equal(d.format, 'unsw-nb15');
    assert.equal(d.labelColumn, 'attack_cat');
    const names = d.features.columns.map((c) => c.name);
    assert.ok(!names.includes('label') && !names.includes('id') && !names.includes('attack_cat'));
    assert.equal(names.length, 42);
    assert.deepEqual(classCounts(buildTarget(d, 'binary')), [5, 5]);
    assert.deepEqual(buildTarget(d, 'label').classes, ['Normal', 'DoS', 'Exploits', 'Generic']);
  });
});

describe('NSL-KDD layouts', () => {
  const row = '0,tcp,http,SF,215,45076,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,1,1,0.00,0.00,0.00,0.00,1.00,0.00,0.00,0,0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00';
  it('headerless with 42 columns (no difficulty)', async () => {
    const d = await loadDataset(writeFixture(dir, 'kdd42.csv', `${row},normal\n${row.replace('tcp', 'udp')},neptune\n`));
    assert.equal(d.format, 'nsl-kdd');
    assert.equal(d.features.columns.length, 41);
    assert.deepEqual(buildTarget(d, 'category').classes, ['normal', 'DoS']);
  });

  it('a copy with a header row and a "class" label column, difficulty dropped', async () => {
    const header = [...NSL_KDD_COLUMNS.slice(0, 41), 'class', 'difficulty_level'].join(',');
    const d = await loadDataset(writeFixture(dir, 'kddhead.csv', `${header}\n${row},normal,21\n${row},smurf,18\n`));
    assert.equal(d.format, 'nsl-kdd');
    assert.equal(d.labelColumn, 'class');
    assert.equal(d.features.columns.length, 41);
    assert.deepEqual(classCounts(buildTarget(d, 'category')), [1, 1]);
  });

  it('headerless with 41 columns: unlabelled records to score, recognised the same way, no label column', async () => {
    const text = `${row}\n${row.replace('tcp', 'udp')}\n`;
    for (const opts of [{ role: 'score' as const }, { role: 'score' as const, format: 'nsl-kdd' as const }, { role: 'score' as const, label: 'label' }]) {
      const d = await loadData(writeFixture(dir, 'kdd41.csv', text), opts);
      assert.equal(d.format, 'nsl-kdd', JSON.stringify(opts));
      assert.equal(d.labelColumn, null);
      assert.equal(d.labels, null);
      assert.deepEqual(d.features.columns.map((c) => c.name), NSL_KDD_COLUMNS.slice(0, 41));
      assert.deepEqual(values(col(d, 'protocol_type')), ['tcp', 'udp']);
      assert.deepEqual(values(col(d, 'dst_host_srv_rerror_rate')), [0, 0]);
    }
    // 41 columns without a protocol in column 2 stay generic
    const other = Array.from({ length: 41 }, (_, i) => String(i)).join(',');
    assert.equal((await loadData(writeFixture(dir, 'forty-one.csv', `${other}\n${other}\n`))).format, 'generic');
  });

  it('unlabelled NSL-KDD records cannot be learned from or evaluated: the error says why', async () => {
    const p = writeFixture(dir, 'kdd41-train.csv', `${row}\n${row}\n`);
    const why = 'these are unlabelled NSL-KDD records (41 columns, without label and difficulty); nadir predict scores them, everything else needs labelled records (42 or 43 columns)';
    assert.equal(await rejectsWith(loadDataset(p), 'NADIR_ERR_NO_LABEL', /./), `${p}: no label column: ${why}`);
    // evaluate asks for the model's label column
    assert.equal(await rejectsWith(loadDataset(p, { label: 'label', role: 'evaluate' }), 'NADIR_ERR_NO_LABEL', /./), `${p}: label column 'label' not found: ${why}`);
  });

  it('a forced format that does not fit is an error', async () => {
    await rejectsWith(loadData(writeFixture(dir, 'notkdd.csv', 'a,b,label\n1,2,x\n'), { format: 'nsl-kdd' }), 'NADIR_ERR_BAD_FORMAT', /notkdd\.csv: does not look like nsl-kdd \(expected 41 \(unlabelled\), 42 or 43 columns without a header/);
  });
});

describe('generic CSV', () => {
  const body = (label: string): string => `dur,proto,${label}\n1,tcp,normal\n2,udp,scan\n3,tcp,Normal\n4,icmp,flood\n`;

  it('takes the column named by --label', async () => {
    const d = await loadDataset(writeFixture(dir, 'g1.csv', body('verdict')), { label: 'verdict' });
    assert.equal(d.format, 'generic');
    assert.equal(d.labelColumn, 'verdict');
    assert.deepEqual(d.features.columns.map((c) => c.name), ['dur', 'proto']);
    // normal values are compared case-insensitively
    assert.deepEqual(classCounts(buildTarget(d, 'binary')), [2, 2]);
  });

  for (const name of ['label', 'class', 'attack', 'Label']) {
    it(`auto-detects a label column named ${name}`, async () => {
      const d = await loadDataset(writeFixture(dir, `g-${name}.csv`, body(name)));
      assert.equal(d.labelColumn, name);
      assert.equal(d.features.columns.length, 2);
    });
  }

  it('honours --normal for the binary and category targets', async () => {
    const d = await loadDataset(writeFixture(dir, 'g2.csv', body('label')), { normal: ['normal', 'scan'] });
    assert.deepEqual(classCounts(buildTarget(d, 'binary')), [3, 1]);
    const cat = buildTarget(d, 'category');
    assert.deepEqual(cat.classes, ['normal', 'flood']);
    assert.deepEqual(classCounts(cat), [3, 1]);
    // and a value the format calls normal is not normal when --normal leaves it out
    const only = await loadDataset(writeFixture(dir, 'g2b.csv', body('label')), { normal: ['scan'] });
    assert.deepEqual(classCounts(buildTarget(only, 'binary')), [1, 3]);
    // ('normal' and 'Normal' are one class spelled two ways: read as one)
    assert.deepEqual(buildTarget(only, 'category').classes, ['normal', 'flood']);
  });

  it('drops rows without a label and says so', async () => {
    const d = await loadDataset(writeFixture(dir, 'g3.csv', 'a,label\n1,x\n2,\n3,y\n4,NA\n'));
    assert.equal(d.features.nRows, 2);
    assert.deepEqual(values(col(d, 'a')), [1, 3]);
    const f = d.findings.find((x) => x.code === 'missing-label');
    assert.equal(f?.message, '2 rows have no label and were dropped');
  });
});
