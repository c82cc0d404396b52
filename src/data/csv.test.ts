import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../util/random.js';
import type { RawColumns } from './csv.js';
import { looksLikeHeader, parseNumberBytes, readCsv } from './csv.js';
import { chunksOf } from './testdata/files.js';
import type { Column } from './types.js';

async function read(text: string | Buffer, opts: Parameters<typeof readCsv>[2] = {}, chunk = 1 << 20): Promise<RawColumns> {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return readCsv(chunksOf(buf, chunk), 'test.csv', opts);
}

async function columns(text: string | Buffer, opts: Parameters<typeof readCsv>[2] = {}, chunk = 1 << 20): Promise<Column[]> {
  return (await read(text, opts, chunk)).builders.map((b) => b.build());
}

/** Column values as plain JS values (text for categories, null for missing). */
function values(c: Column): Array<string | number | null> {
  if (c.kind === 'numeric') return Array.from(c.values, (v) => (Number.isNaN(v) ? null : v));
  return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]!));
}

describe('readCsv: layout', () => {
  it('reads a header row and typed columns', async () => {
    const raw = await read('a,b,c\n1,x,2.5\n3,y,-4\n');
    assert.deepEqual(raw.header, ['a', 'b', 'c']);
    assert.equal(raw.nRows, 2);
    const cols = raw.builders.map((b) => b.build());
    assert.deepEqual(cols.map((c) => c.kind), ['numeric', 'categorical', 'numeric']);
    assert.deepEqual(cols.map(values), [[1, 3], ['x', 'y'], [2.5, -4]]);
  });

  it('reads a headerless file (auto-detected) with default or given names', async () => {
    const raw = await read('1,tcp,2\n3,udp,4\n');
    assert.equal(raw.header, null);
    assert.equal(raw.nRows, 2);
    assert.deepEqual(raw.builders.map((b) => b.name), ['c0', 'c1', 'c2']);
    const named = await read('1,tcp,2\n3,udp,4\n', { names: ['x', 'proto', 'y'] });
    assert.deepEqual(named.builders.map((b) => b.name), ['x', 'proto', 'y']);
  });

  it('obeys header: true / false when told', async () => {
    const forcedOn = await read('1,2\n3,4\n', { header: true });
    assert.deepEqual(forcedOn.header, ['1', '2']);
    assert.equal(forcedOn.nRows, 1);
    const forcedOff = await read('a,b\nc,d\n', { header: false });
    assert.equal(forcedOff.header, null);
    assert.equal(forcedOff.nRows, 2);
  });

  it('keeps header names untrimmed (padding is a finding later) and data cells trimmed', async () => {
    const raw = await read(' Destination Port, Flow Duration , Label\n 80 , 5,BENIGN \n');
    assert.deepEqual(raw.header, [' Destination Port', ' Flow Duration ', ' Label']);
    assert.deepEqual(raw.builders.map((b) => values(b.build())), [[80], [5], ['BENIGN']]);
  });

  it('reads quoted fields with delimiters, newlines and doubled quotes', async () => {
    const text = 'name,note,n\n"a,b","line1\nline2",1\n"say ""hi""",plain,2\n"",x,3\n';
    const raw = await read(text);
    assert.equal(raw.nRows, 3);
    const [name, note, n] = raw.builders.map((b) => b.build());
    assert.deepEqual(values(name!), ['a,b', 'say "hi"', null]);
    assert.deepEqual(values(note!), ['line1\nline2', 'plain', 'x']);
    assert.deepEqual(values(n!), [1, 2, 3]);
  });

  it('counts lines inside quoted fields when reporting ragged rows', async () => {
    // line 1 header, lines 2-3 one record, line 4 ragged, line 5 good, line 6 ragged
    const raw = await read('a,b\n"x\ny",1\nonly-one\nz,2\n1,2,3\n');
    assert.equal(raw.nRows, 2);
    assert.equal(raw.skippedRows, 2);
    assert.deepEqual(raw.skippedExamples, [4, 6]);
    assert.equal(raw.width, 2);
  });

  it('keeps only the first few ragged line numbers', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 20; i++) lines.push(i % 2 ? '1,2' : '1');
    const raw = await read(lines.join('\n'), { maxExamples: 3 });
    assert.equal(raw.skippedRows, 10);
    assert.deepEqual(raw.skippedExamples, [2, 4, 6]);
  });

  it('reads CRLF, lone-CR and LF line ends alike, with or without a final newline', async () => {
    const lf = await columns('a,b\n1,"x"\n2,y\n');
    for (const text of ['a,b\r\n1,"x"\r\n2,y\r\n', 'a,b\r1,"x"\r2,y\r', 'a,b\n1,"x"\n2,y', 'a,b\r\n1,"x"\r\n2,y']) {
      assert.deepEqual(await columns(text), lf, JSON.stringify(text));
    }
  });

  it('skips blank lines and a UTF-8 byte-order mark', async () => {
    const raw = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,v\n\n1,2\n   \n3,4\n\n')]));
    assert.deepEqual(raw.header, ['id', 'v']);
    assert.equal(raw.nRows, 2);
    assert.deepEqual(raw.builders.map((b) => values(b.build())), [[1, 3], [2, 4]]);
  });

  it('supports other delimiters', async () => {
    assert.deepEqual((await columns('a;b\n1,5;x\n', { delimiter: ';' })).map(values), [['1,5'], ['x']]);
    assert.deepEqual((await columns('a\tb\n1\tx y\n', { delimiter: '\t' })).map(values), [[1], ['x y']]);
    await assert.rejects(read('a\n', { delimiter: '::' }), /invalid option delimiter/);
  });

  it('gives the same columns whatever the chunk size (records cut anywhere)', async () => {
    const text =
      'id,proto,"note, quoted",rate,label\r\n' +
      '1,tcp,"multi\nline ""quoted""",1.5e3,normal\r\n' +
      '2,udp,,Infinity,neptune\r\n' +
      '3,icmp,"",-0.000123,normal\r\n' +
      '4,tcp,plain,NaN,smurf\r\n' +
      'bad,row\r\n' +
      '5,"tcp",x,12345678901234567890,normal';
    const whole = await read(text);
    const expected = whole.builders.map((b) => b.build());
    assert.equal(whole.nRows, 5);
    assert.equal(whole.skippedRows, 1);
    for (const size of [1, 2, 3, 5, 7, 11, 13, 64]) {
      const raw = await read(text, {}, size);
      assert.deepEqual(raw.builders.map((b) => b.build()), expected, `chunk size ${size}`);
      assert.equal(raw.nRows, 5);
      assert.deepEqual(raw.skippedExamples, whole.skippedExamples);
    }
    assert.deepEqual(values(expected[3]!), [1500, Infinity, -0.000123, null, Number('12345678901234567890')]);
  });

  it('reads missing-value tokens and infinities', async () => {
    const [v] = await columns('v\n1\nNA\nnan\nNULL\nNone\n?\n\n-inf\n+Infinity\nN/A\n');
    // the blank line is skipped, not a missing value
    assert.deepEqual(values(v!), [1, null, null, null, null, null, -Infinity, Infinity, null]);
  });

  it('turns a column categorical on its first text value, spelling numbers one way', async () => {
    const [a] = await columns('a\n1.0\nfoo\n1.0\n2\n');
    assert.equal(a!.kind, 'categorical');
    assert.deepEqual(values(a!), ['1', 'foo', '1', '2']);
  });

  it('keeps hex, signs alone and dashes as text', async () => {
    const [a] = await columns('a\n0x10\n-\n1e\n');
    assert.deepEqual(values(a!), ['0x10', '-', '1e']);
  });

  it('reads a categorical column with many distinct values (cache overflow) correctly', async () => {
    const rows = ['k,v'];
    for (let i = 0; i < 6000; i++) rows.push(`key${i % 5000},${i}`);
    const [k] = await columns(rows.join('\n'));
    assert.equal(k!.kind, 'categorical');
    const vals = values(k!);
    for (let i = 0; i < 6000; i++) assert.equal(vals[i], `key${i % 5000}`);
    assert.equal(k!.kind === 'categorical' ? k!.dictionary.length : -1, 5000);
  });

  it('refuses a quoted field that is never closed, naming the line', async () => {
    await assert.rejects(read('a,b\n1,2\n3,"open\n4,5\n'), { code: 'NADIR_ERR_BAD_FORMAT', message: /test\.csv: line 3: a quoted field is never closed/ });
  });

  it('refuses text after a closing quote, naming line, field and column', async () => {
    await assert.rejects(read('a,b\n1,2\n3,"x"y\n'), { code: 'NADIR_ERR_BAD_FORMAT', message: /test\.csv: line 3, field 2 \(column 'b'\): unexpected character "y" after a closing quote/ });
  });

  it('says when there is only a header, or nothing at all', async () => {
    await assert.rejects(read('a,b,c\n'), { code: 'NADIR_ERR_BAD_FORMAT', message: /test\.csv: only a header line, no data rows/ });
    await assert.rejects(read('\n\n  \n'), { code: 'NADIR_ERR_EMPTY_FILE', message: /test\.csv is empty/ });
  });

  it('says when every data row has the wrong width', async () => {
    await assert.rejects(read('a,b,c\n1,2\n3,4\n'), { code: 'NADIR_ERR_BAD_FORMAT', message: /no row could be read: all 2 rows have a different number of fields than the header \(3\); first at lines 2, 3/ });
  });
});

describe('parseNumberBytes', () => {
  const parse = (s: string): number => {
    const b = Buffer.from(`#${s}#`, 'latin1');
    return parseNumberBytes(b, 1, b.length - 1);
  };

  it('equals Number() bit for bit on many random decimals', () => {
    const rng = new Random(42);
    for (let t = 0; t < 20000; t++) {
      const intDigits = rng.int(12);
      const fracDigits = rng.int(18);
      let s = rng.next() < 0.3 ? '-' : rng.next() < 0.1 ? '+' : '';
      for (let i = 0; i < intDigits; i++) s += String(rng.int(10));
      if (fracDigits > 0 || intDigits === 0) {
        s += '.';
        for (let i = 0; i < Math.max(1, fracDigits); i++) s += String(rng.int(10));
      }
      if (rng.next() < 0.15) s += `e${rng.next() < 0.5 ? '-' : ''}${rng.int(320)}`;
      const want = Number(s);
      const got = parse(s);
      assert.ok(Object.is(got, want), `${s}: got ${got}, Number() gives ${want}`);
    }
  });

  it('is exact on values where naive digit accumulation rounds wrongly', () => {
    for (const s of ['0.1', '0.3', '2.675', '1.005', '9007199254740993', '123456789012345.6', '0.000000000000000000001', '1.7976931348623157e308', '5e-324', '4.9e-324', '-0', '-0.0', '007', '.5', '5.', '1E3', '1e+3', '2.5e-3']) {
      assert.ok(Object.is(parse(s), Number(s)), s);
    }
  });

  it('ignores surrounding spaces and rejects anything that is not a plain decimal', () => {
    assert.equal(parse('  42  '), 42);
    for (const s of ['', ' ', '-', '+', '.', 'e5', '1e', '1e+', '0x10', '0b1', '1_000', '1.2.3', '1 2', '--1', 'Infinity', 'NaN', '12abc', '1,5']) {
      assert.ok(Number.isNaN(parse(s)), JSON.stringify(s));
    }
  });
});

describe('readCsv number parsing (fused into the byte scan)', () => {
  it('reads random decimals exactly as Number() does, quoted or not, padded or not', async () => {
    const rng = new Random(7);
    const texts: string[] = [];
    for (let t = 0; t < 5000; t++) {
      let s = rng.next() < 0.3 ? '-' : '';
      const intDigits = rng.int(17);
      for (let i = 0; i < intDigits; i++) s += String(rng.int(10));
      if (intDigits === 0 || rng.next() < 0.7) {
        s += '.';
        const f = 1 + rng.int(24);
        for (let i = 0; i < f; i++) s += String(rng.int(10));
      }
      if (rng.next() < 0.1) s += `E${rng.int(40) - 20}`;
      texts.push(s);
    }
    const lines = ['v,w'];
    texts.forEach((s, i) => lines.push(i % 3 === 0 ? `"${s}",${s}` : i % 3 === 1 ? ` ${s} ,${s}` : `${s},${s}`));
    const [v, w] = await columns(lines.join('\n'));
    assert.equal(v!.kind, 'numeric');
    assert.equal(w!.kind, 'numeric');
    texts.forEach((s, i) => {
      assert.ok(Object.is(values(v!)[i], Number(s)), `${s} (quoted/padded)`);
      assert.ok(Object.is(values(w!)[i], Number(s)), s);
    });
  });
});

describe('looksLikeHeader', () => {
  it('takes an all-text first row over a row with numbers as a header', () => {
    assert.equal(looksLikeHeader(['a', 'b'], ['1', 'x']), true);
    assert.equal(looksLikeHeader(['0', 'tcp'], ['1', 'udp']), false);
    assert.equal(looksLikeHeader(['name', 'kind'], undefined), true);
    // two text rows: a header only if the names are distinct identifiers
    assert.equal(looksLikeHeader(['proto', 'flag'], ['tcp', 'SF']), true);
    assert.equal(looksLikeHeader(['tcp', 'tcp'], ['udp', 'SF']), false);
  });
});
