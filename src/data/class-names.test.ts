import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { classKey, knownClasses, normaliseClassNames } from './class-names.js';
import { loadDataset } from './load.js';
import { buildTarget, classCounts } from './target.js';
import { tempDir, writeFixture } from './testdata/files.js';
import type { CategoricalColumn } from './types.js';

const UNSW = 'test/fixtures/unsw-nb15/UNSW_NB15_training-set.sample.csv.gz';
const dir = tempDir('nadir-classes-');
after(() => rmSync(dir, { recursive: true, force: true }));

const column = (values: string[]): CategoricalColumn => {
  const dictionary = [...new Set(values)];
  return { kind: 'categorical', name: 'Label', dictionary, codes: Int32Array.from(values, (v) => dictionary.indexOf(v)) };
};
const decode = (c: CategoricalColumn): string[] => Array.from(c.codes, (k) => c.dictionary[k]!);

describe('class names', () => {
  it('CIC-IDS2017 spellings: case, spaces, dashes (the en dash and its mis-decoded form), Bot/Botnet', () => {
    const raw = ['BENIGN', 'PortScan', 'Port Scan', 'portscan', 'Bot', 'Botnet', 'Web Attack – XSS', 'Web Attack \uFFFD XSS', 'Web Attack - XSS', 'DoS Hulk', 'DOS HULK', 'benign'];
    const r = normaliseClassNames(column(raw), knownClasses('cic-ids2017'));
    assert.deepEqual(decode(r.column), ['BENIGN', 'PortScan', 'PortScan', 'PortScan', 'Bot', 'Bot', 'Web Attack - XSS', 'Web Attack - XSS', 'Web Attack - XSS', 'DoS Hulk', 'DoS Hulk', 'BENIGN']);
    assert.deepEqual(r.merged.map((m) => [m.name, m.spellings.map((s) => s.raw)]), [
      ['BENIGN', ['BENIGN', 'benign']],
      ['PortScan', ['PortScan', 'Port Scan', 'portscan']],
      ['Bot', ['Bot', 'Botnet']],
      ['Web Attack - XSS', ['Web Attack – XSS', 'Web Attack \uFFFD XSS', 'Web Attack - XSS']],
      ['DoS Hulk', ['DoS Hulk', 'DOS HULK']],
    ]);
  });

  it('names no table knows merge into their most frequent spelling; clean names are left as they are', () => {
    const r = normaliseClassNames(column(['Brute Force', 'BruteForce', 'BruteForce', 'x']), null);
    assert.deepEqual(decode(r.column), ['BruteForce', 'BruteForce', 'BruteForce', 'x']);
    const clean = column(['normal', 'neptune', 'smurf']);
    assert.equal(normaliseClassNames(clean, null).column, clean);
  });

  it('fuzz: the key ignores case, spaces, dashes and underscores; normalising twice changes nothing more', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 30 }), fc.constantFrom('cic-ids2017', 'unsw-nb15', 'generic') , (values, format) => {
        const once = normaliseClassNames(column(values), knownClasses(format));
        const twice = normaliseClassNames(once.column, knownClasses(format));
        assert.deepEqual(decode(twice.column), decode(once.column));
        // same key before ⇒ same name after
        const out = decode(once.column);
        values.forEach((v, i) => values.forEach((w, j) => {
          if (classKey(v) === classKey(w) && classKey(v) !== '') assert.equal(out[i], out[j]);
        }));
      }),
    );
    assert.equal(classKey(' Web_Attack – Brute-Force '), 'webattackbruteforce');
  });

  it('a CIC file with two spellings of a class: one class, a finding, the raw labels kept', async () => {
    const rows = ['Destination Port,Flow Duration,Flow Bytes/s,Label'];
    const labels = ['BENIGN', 'PortScan', 'Port Scan', 'BENIGN', 'Bot', 'Botnet', 'BENIGN', 'PortScan'];
    labels.forEach((l, i) => rows.push(`${80 + i},${1000 * i},${i * 1.5},${l}`));
    const d = await loadDataset(writeFixture(dir, 'cic.csv', rows.join('\n')));
    const t = buildTarget(d, 'label');
    assert.deepEqual(t.classes, ['BENIGN', 'Bot', 'PortScan']);
    assert.deepEqual(classCounts(t), [3, 2, 3]);
    assert.deepEqual(decode(d.rawLabels!), labels);
    const merged = d.findings.filter((f) => f.code === 'labels-merged');
    assert.deepEqual(merged.map((f) => f.message), [
      "column 'Label': 2 spellings of one class read as 'PortScan': 'PortScan' (2 rows), 'Port Scan' (1 row)",
      "column 'Label': 2 spellings of one class read as 'Bot': 'Bot' (1 row), 'Botnet' (1 row)",
    ]);
    // another file's spelling of a training class is that class
    const other = buildTarget({ ...d, labels: column(['Port Scan', 'bot', 'Heartbleed']) }, 'label', { classes: t.classes });
    assert.deepEqual(Array.from(other.y), [2, 1, -1]);
  });

  it('UNSW-NB15 as distributed (BOM, CRLF): id an identifier, attack_cat read in one spelling (Backdoors → Backdoor)', async () => {
    const d = await loadDataset(UNSW);
    assert.equal(d.format, 'unsw-nb15');
    assert.equal(d.features.nRows, 200);
    assert.deepEqual(d.identifiers?.map((i) => [i.column.name, i.role]), [['id', 'row-id']]);
    assert.ok(!d.features.columns.some((c) => c.name === 'id' || c.name === '\uFEFFid'));
    const cats = buildTarget(d, 'category');
    assert.deepEqual(cats.classes, ['normal', 'Analysis', 'Backdoor', 'DoS', 'Exploits', 'Fuzzers', 'Generic', 'Reconnaissance', 'Shellcode', 'Worms']);
    assert.deepEqual(classCounts(cats), Array(10).fill(20));
    // a copy with the spellings shared copies use: 'Backdoors', 'FUZZERS', 'exploits' (padding is trimmed by the reader anyway)
    const text = gunzipSync(readFileSync(UNSW)).toString('utf8');
    let k = 0;
    const edited = text.replace(/,Backdoor,1|,Fuzzers,1|,Exploits,1/g, (m) => (k++ % 2 === 0 ? m : m === ',Backdoor,1' ? ',Backdoors,1' : m === ',Fuzzers,1' ? ',FUZZERS,1' : ',exploits,1'));
    const e = await loadDataset(writeFixture(dir, 'unsw.csv', edited));
    const ec = buildTarget(e, 'category');
    assert.deepEqual(ec.classes, cats.classes);
    assert.deepEqual(classCounts(ec), classCounts(cats));
    const merged = e.findings.filter((f) => f.code === 'labels-merged').map((f) => [...f.examples!].sort());
    assert.deepEqual(merged.sort(), [['Backdoor', 'Backdoors'], ['Exploits', 'exploits'], ['FUZZERS', 'Fuzzers']]);
  });

  it('single-class data is a finding, worded by what the one class is', async () => {
    const one = await loadDataset(writeFixture(dir, 'benign.csv', 'a,Label\n1,BENIGN\n2,BENIGN\n'));
    const f = one.findings.find((x) => x.code === 'single-class');
    assert.equal(f?.message, 'all 2 rows are BENIGN: a supervised model needs attacks too; see model iforest, which learns from normal traffic only');
    const attacks = await loadDataset(writeFixture(dir, 'ddos.csv', 'a,Label\n1,DDoS\n2,DDoS\n'));
    assert.match(attacks.findings.find((x) => x.code === 'single-class')!.message, /^all 2 rows are 'DDoS' and none counts as normal/);
    const two = await loadDataset(writeFixture(dir, 'two.csv', 'a,Label\n1,DDoS\n2,BENIGN\n'));
    assert.equal(two.findings.some((x) => x.code === 'single-class'), false);
  });
});
