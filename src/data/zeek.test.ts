import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadData } from './load.js';
import { collect, rejectsWith, tempDir, writeFixture } from './testdata/files.js';
import type { Column } from './types.js';
import { readZeek } from './zeek.js';

const CONN = 'test/fixtures/zeek/conn.log';
const dir = tempDir('nadir-zeek-');
after(() => rmSync(dir, { recursive: true, force: true }));

async function* one(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text, 'utf8');
}
const values = (c: Column): Array<string | number | null> =>
  c.kind === 'numeric' ? Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)) : Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]!));

describe('Zeek ASCII logs', () => {
  it('the real conn.log: typed by #types; ts, uid and the addresses are identifiers, ports and counts inputs', async () => {
    const d = await loadData(CONN);
    const lines = readFileSync(CONN, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split('\t'));
    assert.equal(d.features.nRows, lines.length);
    assert.equal(d.format, 'zeek-conn');
    assert.equal(d.labelColumn, null);
    assert.deepEqual(d.identifiers?.map((i) => [i.column.name, i.role]), [['ts', 'timestamp'], ['uid', 'zeek-uid'], ['id.orig_h', 'ip-address'], ['id.resp_h', 'ip-address']]);
    const byName = new Map(d.features.columns.map((c) => [c.name, c]));
    assert.deepEqual(values(byName.get('id.resp_p')!), lines.map((l) => Number(l[5])));
    assert.equal(byName.get('proto')!.kind, 'categorical');
    assert.equal(byName.get('duration')!.kind, 'numeric');
    // '-' is missing; local_orig (bool) is unset on every row
    assert.deepEqual(values(byName.get('orig_bytes')!), lines.map((l) => (l[9] === '-' ? null : Number(l[9]))));
    assert.ok(d.findings.some((f) => f.code === 'all-missing' && f.column === 'local_orig'));
    assert.equal(d.identifiers![0]!.column.kind === 'numeric' && d.identifiers![0]!.column.values[0], Number(lines[0]![0]));
  });

  it('bools, escapes, the empty field, a ragged line, a log without #types', async () => {
    const text = [
      '#separator \\x09',
      '#unset_field\t-',
      '#empty_field\t(empty)',
      '#fields\tts\tflag\tname\tn\tset',
      '#types\ttime\tbool\tstring\tcount\tset[string]',
      '1425556789.5\tT\ta\\x09b\t3\t(empty)',
      '1425556790.5\tF\t80\t-\tx,y',
      '1425556791.5\tT\tshort',
      '#close\t2020',
    ].join('\n');
    const raw = await readZeek(one(text), 'x.log');
    assert.equal(raw.nRows, 2);
    assert.equal(raw.skippedRows, 1);
    assert.deepEqual(raw.skippedExamples, [8]);
    const cols = raw.builders.map((b) => b.build());
    assert.deepEqual(cols.map(values), [[1425556789.5, 1425556790.5], [1, 0], ['a\tb', '80'], [3, null], [null, 'x,y']]);
    const untyped = await readZeek(one('#fields\ta\tb\n1\tx\n2\ty\n'), 'u.log');
    assert.deepEqual(untyped.builders.map((b) => values(b.build())), [[1, 2], ['x', 'y']]);
  });

  it('bad logs are errors naming the line and field', async () => {
    await rejectsWith(readZeek(one('1\t2\n'), 'a.log'), 'NADIR_ERR_BAD_FORMAT', /a\.log: .*line 1: a data line before the #fields line/);
    await rejectsWith(readZeek(one('#fields\ta\n#types\tcount\nx\n'), 'b.log'), 'NADIR_ERR_BAD_VALUE', /b\.log line 3 field 'a'.*expected a number/);
    await rejectsWith(readZeek(one('#fields\ta\n#types\tbool\nyes\n'), 'c.log'), 'NADIR_ERR_BAD_VALUE', /expected T or F/);
    await rejectsWith(readZeek(one('#fields\ta\tb\n#types\tcount\n'), 'd.log'), 'NADIR_ERR_BAD_FORMAT', /#types must follow #fields/);
    await rejectsWith(readZeek(one('#path\tconn\n'), 'e.log'), 'NADIR_ERR_BAD_FORMAT', /no #fields line/);
    const p = writeFixture(dir, 'f.log', '#fields\ta\tlabel\n1\tx\n#fields\tb\tlabel\n2\ty\n');
    await rejectsWith(loadData(p), 'NADIR_ERR_BAD_FORMAT', /a second #fields line with other fields/);
  });

  it('fuzz: any text gives a table or a catalogued error, never a crash; cut anywhere into chunks, the same table', async () => {
    const header = '#separator \\x09\n#fields\tts\tuid\tid.orig_h\tn\n#types\ttime\tstring\taddr\tcount\n';
    const cell = fc.oneof(fc.constantFrom('-', '(empty)', '1.5', 'T', '10.0.0.1', 'CHhAvVGS1DHFjwGM9', ''), fc.string({ maxLength: 6 }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 3, maxLength: 5 }), { maxLength: 8 }), fc.integer({ min: 1, max: 40 }), async (rows, cut) => {
        const text = header + rows.map((r) => r.join('\t')).join('\n');
        let whole: string;
        try {
          whole = JSON.stringify((await readZeek(one(text), 'f.log')).builders.map((b) => values(b.build())));
        } catch (e) {
          assert.match((e as { code?: string }).code ?? '', /^NADIR_ERR_/, String(e));
          return;
        }
        async function* chunks(): AsyncGenerator<Buffer> {
          const b = Buffer.from(text, 'utf8');
          for (let i = 0; i < b.length; i += cut) yield b.subarray(i, i + cut);
        }
        const again = await readZeek(chunks(), 'f.log');
        assert.equal(JSON.stringify(again.builders.map((b) => values(b.build()))), whole);
      }),
      { numRuns: 150 },
    );
  });

  it("Zeek's JSON logs are JSON lines: the same roles", async () => {
    const lines = [0, 1, 2].map((i) => JSON.stringify({ ts: 1425556789.5 + i, uid: `CHhAvVGS1DHFjwGM${i}`, 'id.orig_h': `10.0.0.${i}`, 'id.orig_p': 50000 + i, 'id.resp_h': 'fe80::1', 'id.resp_p': 443, proto: 'tcp', duration: i * 0.5 }));
    const d = await loadData(writeFixture(dir, 'conn.json', lines.join('\n')));
    assert.deepEqual(d.identifiers?.map((i) => [i.column.name, i.role]), [['ts', 'timestamp'], ['uid', 'zeek-uid'], ['id.orig_h', 'ip-address'], ['id.resp_h', 'ip-address']]);
    assert.deepEqual(d.features.columns.map((c) => c.name), ['id.orig_p', 'id.resp_p', 'proto', 'duration']);
  });

  it('a labelled Zeek log (IoT-23 style `label` column) trains like any labelled table', async () => {
    const rows = ['#fields\tts\tuid\tid.orig_h\tid.resp_p\tduration\tlabel', '#types\ttime\tstring\taddr\tport\tinterval\tstring'];
    for (let i = 0; i < 60; i++) rows.push(`${1525000000 + i}.25\tC${String(i).padStart(3, '0')}abcdefGHIJKL9\t10.0.0.${i % 9}\t${i % 3 ? 80 : 6667}\t${i / 10}\t${i % 3 ? 'Benign' : 'Malicious'}`);
    const logger = collect();
    const d = await loadData(writeFixture(dir, 'conn.log.labeled', rows.join('\n')), { logger, format: 'generic', label: 'label', normal: ['Benign'] });
    assert.equal(d.labelColumn, 'label');
    assert.deepEqual(d.features.columns.map((c) => c.name), ['id.resp_p', 'duration']);
    assert.deepEqual(d.identifiers?.map((i) => i.role), ['timestamp', 'zeek-uid', 'ip-address']);
  });
});
