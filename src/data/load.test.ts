import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Random } from '../util/random.js';
import { readJsonl } from './jsonl.js';
import { dataFromRecords, loadData, loadDataset, recordNumbers, takeRows } from './load.js';
import { chunksOf, collect, rejectsWith, tempDir, writeFixture } from './testdata/files.js';
import type { Column, Table } from './types.js';
import { getColumn } from './types.js';

let dir = '';
before(() => {
  dir = tempDir();
});
after(() => rmSync(dir, { recursive: true, force: true }));

function col(t: Table, name: string): Column {
  const c = getColumn(t, name);
  assert.ok(c, `column ${name}`);
  return c;
}

function values(c: Column): Array<string | number | null> {
  if (c.kind === 'numeric') return Array.from(c.values, (v) => (Number.isNaN(v) ? null : v));
  return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]!));
}

const SMALL = 'dur,proto,bytes,label\n0.5,tcp,100,normal\n1.5,udp,,attack\n2,tcp,300,normal\n';

describe('loadData: CSV and gzipped CSV', () => {
  it('reads a plain CSV with header, label auto-detected', async () => {
    const d = await loadData(writeFixture(dir, 'small.csv', SMALL));
    assert.equal(d.format, 'generic');
    assert.equal(d.labelColumn, 'label');
    assert.equal(d.features.nRows, 3);
    assert.deepEqual(d.features.columns.map((c) => c.name), ['dur', 'proto', 'bytes']);
    assert.deepEqual(values(col(d.features, 'bytes')), [100, null, 300]);
    assert.deepEqual(values(d.labels!), ['normal', 'attack', 'normal']);
    assert.equal(d.source.endsWith('small.csv'), true);
  });

  it('reads the same table from a .gz file, and from gzip bytes without the extension', async () => {
    const plain = await loadData(writeFixture(dir, 'same.csv', SMALL));
    const gz = await loadData(writeFixture(dir, 'same.csv.gz', SMALL));
    assert.deepEqual(gz.features, plain.features);
    assert.deepEqual(gz.labels, plain.labels);
    const noExt = join(dir, 'gzipped-no-extension.csv');
    writeFileSync(noExt, gzipSync(Buffer.from(SMALL)));
    assert.deepEqual((await loadData(noExt)).features, plain.features);
  });

  it('reads a large gzipped file spanning many chunks identically to the plain file', async () => {
    const rng = new Random(3);
    const lines = ['a,b,c,label'];
    for (let i = 0; i < 30000; i++) lines.push(`${rng.int(1000)},${(rng.next() * 100).toFixed(3)},${['x', 'y', 'z'][rng.int(3)]},${rng.int(2)}`);
    const text = lines.join('\n');
    const plain = await loadData(writeFixture(dir, 'big.csv', text));
    const gz = await loadData(writeFixture(dir, 'big.csv.gz', text));
    assert.equal(plain.features.nRows, 30000);
    assert.deepEqual(gz.features, plain.features);
  });

  it('loads a headerless CSV given --label as a default column name', async () => {
    const d = await loadDataset(writeFixture(dir, 'nohead.csv', '1,2,a\n3,4,b\n'), { label: 'c2' });
    assert.equal(d.labelColumn, 'c2');
    assert.deepEqual(d.features.columns.map((c) => c.name), ['c0', 'c1']);
  });
});

describe('loadData: JSONL', () => {
  it('reads objects line by line: keys in first-seen order, absent keys missing, booleans as 0/1', async () => {
    const text = '{"a":1,"b":"x","label":"normal"}\r\n\n{"a":2.5,"c":true,"label":"attack"}\n{"b":"y","a":null,"label":"normal"}';
    const d = await loadData(writeFixture(dir, 'recs.jsonl', text));
    assert.equal(d.labelColumn, 'label');
    assert.deepEqual(d.features.columns.map((c) => c.name), ['a', 'b', 'c']);
    assert.deepEqual(values(col(d.features, 'a')), [1, 2.5, null]);
    assert.deepEqual(values(col(d.features, 'b')), ['x', null, 'y']);
    assert.deepEqual(values(col(d.features, 'c')), [null, 1, null]);
    const gz = await loadData(writeFixture(dir, 'recs.ndjson.gz', text));
    assert.deepEqual(gz.features, d.features);
  });

  it('names the line that is not JSON', async () => {
    const p = writeFixture(dir, 'bad.jsonl', '{"a":1}\n{"a":2}\nthis is not json\n{"a":3}\n');
    await rejectsWith(loadData(p), 'NADIR_ERR_BAD_FORMAT', /bad\.jsonl: line 3 is not valid JSON/);
  });

  it('refuses a line that is JSON but not an object, and nested values, naming line and field', async () => {
    await rejectsWith(loadData(writeFixture(dir, 'arr.jsonl', '{"a":1}\n[1,2]\n')), 'NADIR_ERR_BAD_FORMAT', /arr\.jsonl: line 2: expected a JSON object, got an array/);
    await rejectsWith(loadData(writeFixture(dir, 'nested.jsonl', '{"a":1}\n{"a":{"b":2}}\n')), 'NADIR_ERR_BAD_VALUE', /nested\.jsonl line 2: field 'a' must be a number or a string/);
  });

  it('reads a .json file holding one array of objects', async () => {
    const d = await loadData(writeFixture(dir, 'recs.json', '\n[{"a": 1, "label": "normal"},\n {"a": 2, "b": "x", "label": "attack"}]\n'));
    assert.deepEqual(values(col(d.features, 'a')), [1, 2]);
    assert.deepEqual(values(col(d.features, 'b')), [null, 'x']);
    assert.deepEqual(values(d.labels!), ['normal', 'attack']);
    await rejectsWith(loadData(writeFixture(dir, 'bad.json', '[{"a": 1},')), 'NADIR_ERR_BAD_FORMAT', /bad\.json: not valid JSON/);
    await rejectsWith(loadData(writeFixture(dir, 'nums.json', '[1, 2]')), 'NADIR_ERR_BAD_VALUE', /nums\.json record 1: expected a JSON object/);
    await rejectsWith(loadData(writeFixture(dir, 'none.json', '[]')), 'NADIR_ERR_EMPTY_FILE', /none\.json is empty/);
  });

  it('decodes multi-byte UTF-8 cut by chunk boundaries', async () => {
    const text = '{"name":"café ☕ 東京","label":"normal"}\n{"name":"naïve","label":"attack"}\n';
    const buf = Buffer.from(text, 'utf8');
    for (const size of [1, 2, 3, 5, 7]) {
      const raw = await readJsonl(chunksOf(buf, size), 'x.jsonl');
      const name = raw.builders[0]!.build();
      assert.deepEqual(values(name), ['café ☕ 東京', 'naïve'], `chunk ${size}`);
    }
  });
});

describe('loadData: Parquet (written by DuckDB)', () => {
  /** Write the result of `select` to `path` as Parquet, with an in-memory DuckDB. */
  async function writeParquet(path: string, select: string): Promise<void> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      await conn.run(`COPY (${select}) TO '${path}' (FORMAT PARQUET)`);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  }

  it('reads numeric, text, null and boolean columns', async () => {
    const path = join(dir, 'flows.parquet');
    await writeParquet(
      path,
      `SELECT i AS id, i * 1.5 AS rate, CASE WHEN i % 3 = 0 THEN 'tcp' ELSE 'udp' END AS proto,
              CASE WHEN i = 2 THEN NULL ELSE i * 10 END::BIGINT AS bytes, i % 2 = 0 AS flag,
              CASE WHEN i % 4 = 0 THEN 'attack' ELSE 'normal' END AS label
       FROM range(0, 5000) t(i)`,
    );
    const d = await loadDataset(path);
    assert.equal(d.features.nRows, 5000);
    assert.equal(d.labelColumn, 'label');
    assert.deepEqual(d.features.columns.map((c) => `${c.name}:${c.kind}`), ['rate:numeric', 'proto:categorical', 'bytes:numeric', 'flag:numeric']);
    // `id` is a row number: an identifier, not an input
    assert.deepEqual(d.identifiers?.map((i) => `${i.column.name}:${i.role}`), ['id:row-id']);
    assert.deepEqual(values(col(d.features, 'rate')).slice(0, 3), [0, 1.5, 3]);
    assert.deepEqual(values(col(d.features, 'bytes')).slice(0, 4), [0, 10, null, 30]);
    assert.deepEqual(values(col(d.features, 'proto')).slice(0, 4), ['tcp', 'udp', 'udp', 'tcp']);
    assert.deepEqual(values(col(d.features, 'flag')).slice(0, 3), [1, 0, 1]);
    assert.deepEqual(values(d.labels!).slice(0, 5), ['attack', 'normal', 'normal', 'normal', 'attack']);
    // id is 0..4999 in order: chunks were appended in order
    assert.deepEqual(values(d.identifiers![0]!.column), Array.from({ length: 5000 }, (_, i) => i));
  });

  it('refuses a truncated Parquet file', async () => {
    const whole = join(dir, 'whole.parquet');
    await writeParquet(whole, 'SELECT i AS a, i % 7 AS label FROM range(0, 3000) t(i)');
    const bytes = readFileSync(whole);
    await rejectsWith(loadData(writeFixture(dir, 'cut.parquet', bytes.subarray(0, Math.floor(bytes.length / 2)))), 'NADIR_ERR_BAD_FORMAT', /cut\.parquet: (not a readable Parquet file|Parquet data unreadable)/);
  });

  it('refuses a file named .parquet that is not Parquet', async () => {
    await rejectsWith(loadData(writeFixture(dir, 'fake.parquet', 'a,b\n1,2\n')), 'NADIR_ERR_BAD_FORMAT', /fake\.parquet: not a readable Parquet file/);
  });
});

describe('loadData: scoring input', () => {
  const PARTLY_LABELLED = 'dur,proto,label\n1,tcp,normal\n2,udp,\n3,tcp,attack\n';

  it('drops rows without a label for learning, and says so', async () => {
    const d = await loadData(writeFixture(dir, 'partly.csv', PARTLY_LABELLED));
    assert.equal(d.features.nRows, 2);
    assert.match(d.findings.map((f) => f.message).join('\n'), /1 row has no label and was dropped/);
  });

  it('keeps every row to score, the label column set aside', async () => {
    const d = await loadData(writeFixture(dir, 'partly-score.csv', PARTLY_LABELLED), { label: 'label', role: 'score' });
    assert.equal(d.features.nRows, 3);
    assert.deepEqual(d.features.columns.map((c) => c.name), ['dur', 'proto']);
    assert.deepEqual(values(col(d.features, 'dur')), [1, 2, 3]);
    assert.equal(d.labels, null);
    assert.equal(d.findings.some((f) => f.code === 'missing-label'), false);
  });

  it('remembers the input record number of every row when ragged rows were skipped (header and blank lines not counted)', async () => {
    // records: 1 (a=1), 2 (short), 3 (a=4), blank line, 4 (long), 5 (a=9), 6 (short, last)
    const text = 'a,b,label\n1,2,x\n3,y\n4,5,z\n\n6,7,8,w\n9,10,x\n11\n';
    const scored = await loadData(writeFixture(dir, 'ragged-score.csv', text), { role: 'score' });
    assert.deepEqual(values(col(scored.features, 'a')), [1, 4, 9]);
    assert.deepEqual(Array.from(scored.recordNumbers ?? []), [1, 3, 5]);
    assert.equal(scored.skippedRows, 3);
    // the same on a headerless file, whose first record is data; and nothing to remember when nothing was skipped
    const headerless = await loadData(writeFixture(dir, 'ragged-headerless.csv', '1,2\n3\n4,5\n'), { role: 'score', header: false });
    assert.deepEqual(Array.from(headerless.recordNumbers ?? []), [1, 3]);
    assert.equal((await loadData(writeFixture(dir, 'even.csv', 'a,b\n1,2\n3,4\n'), { role: 'score' })).recordNumbers, null);
    // learning needs no record numbers
    assert.equal((await loadData(writeFixture(dir, 'ragged-train.csv', text))).recordNumbers, null);
  });

  it('recordNumbers: kept rows numbered around the skipped ones', () => {
    assert.equal(recordNumbers(3, undefined), null);
    assert.equal(recordNumbers(3, []), null);
    assert.deepEqual(Array.from(recordNumbers(4, [1, 3, 4, 7])!), [2, 5, 6, 8]);
  });

  it('leaves out the findings that matter only for learning when evaluating or scoring', async () => {
    const csv = 'dur,flag,label\n1,x,normal\n1,x,normal\n2,x,attack\n3,x,u2r\n';
    const codes = async (role?: 'train' | 'evaluate' | 'score'): Promise<string[]> =>
      (await loadData(writeFixture(dir, `roles-${role ?? 'default'}.csv`, csv), role ? { role } : {})).findings.map((f) => f.code).sort();
    assert.deepEqual(await codes(), ['constant-column', 'duplicate-rows', 'single-label']);
    assert.deepEqual(await codes('train'), ['constant-column', 'duplicate-rows', 'single-label']);
    assert.deepEqual(await codes('evaluate'), []);
    assert.deepEqual(await codes('score'), []);
  });
});

describe('dataFromRecords', () => {
  it('types records like a file and leaves the label optional', () => {
    const d = dataFromRecords([
      { proto: 'tcp', bytes: 10, rate: 'Infinity' },
      { proto: 'udp', bytes: '20', rate: 0.5 },
    ]);
    assert.equal(d.labels, null);
    assert.deepEqual(values(col(d.features, 'bytes')), [10, 20]);
    assert.deepEqual(values(col(d.features, 'rate')), [Infinity, 0.5]);
    assert.throws(() => dataFromRecords([{ a: 1 }, 5 as unknown as Record<string, unknown>]), /input record 2: expected a JSON object/);
  });
});

describe('kind overrides', () => {
  const text = 'port,proto,count,label\n80,tcp,1,normal\n443,tcp,2,attack\n80,udp,3,normal\n';
  it('reads a numeric column as categorical and a number-like categorical back as numeric', async () => {
    const p = writeFixture(dir, 'kinds.csv', text);
    const d = await loadData(p, { kinds: { port: 'categorical' } });
    const port = col(d.features, 'port');
    assert.equal(port.kind, 'categorical');
    assert.deepEqual(values(port), ['80', '443', '80']);
    const back = await loadData(writeFixture(dir, 'kinds2.csv', 'code,label\n"1",a\n2,b\n'), { kinds: { code: 'numeric' } });
    assert.deepEqual(values(col(back.features, 'code')), [1, 2]);
  });

  it('refuses a numeric override of a text column, and an override of an unknown column', async () => {
    const p = writeFixture(dir, 'kinds3.csv', text);
    await rejectsWith(loadData(p, { kinds: { proto: 'numeric' } }), 'NADIR_ERR_BAD_VALUE', /kinds3\.csv column 'proto': cannot be read as numeric: it holds text such as "tcp"/);
    await rejectsWith(loadData(p, { kinds: { nope: 'numeric' } }), 'NADIR_ERR_MISSING_COLUMN', /missing column 'nope' in .*kinds3\.csv \(named in a type override\)/);
  });
});

describe('takeRows', () => {
  it('copies the chosen rows of every column', async () => {
    const d = await loadData(writeFixture(dir, 'take.csv', SMALL));
    const t = takeRows(d.features, Uint32Array.from([2, 0]));
    assert.equal(t.nRows, 2);
    assert.deepEqual(values(col(t, 'dur')), [2, 0.5]);
    assert.deepEqual(values(col(t, 'proto')), ['tcp', 'tcp']);
  });
});

describe('bad input: one clear line naming the file', () => {
  it('file not found', async () => {
    await rejectsWith(loadData(join(dir, 'nope.csv')), 'NADIR_ERR_FILE_NOT_FOUND', /^file not found: .*nope\.csv$/);
  });

  it('a directory instead of a file', async () => {
    const sub = join(dir, 'a-directory.csv');
    mkdirSync(sub);
    await rejectsWith(loadData(sub), 'NADIR_ERR_FILE_UNREADABLE', /cannot read .*a-directory\.csv: it is a directory/);
  });

  it('an empty file, and one with only blank lines', async () => {
    await rejectsWith(loadData(writeFixture(dir, 'empty.csv', '')), 'NADIR_ERR_EMPTY_FILE', /empty\.csv is empty: no rows to load/);
    await rejectsWith(loadData(writeFixture(dir, 'blank.csv', '\n\r\n\n')), 'NADIR_ERR_EMPTY_FILE', /blank\.csv is empty/);
    await rejectsWith(loadData(writeFixture(dir, 'empty.csv.gz', '')), 'NADIR_ERR_EMPTY_FILE', /empty\.csv\.gz is empty/);
    await rejectsWith(loadData(writeFixture(dir, 'empty.jsonl', '\n\n')), 'NADIR_ERR_EMPTY_FILE', /empty\.jsonl is empty/);
  });

  it('a file with only a header', async () => {
    await rejectsWith(loadData(writeFixture(dir, 'header-only.csv', 'a,b,label\n')), 'NADIR_ERR_BAD_FORMAT', /header-only\.csv: only a header line, no data rows/);
  });

  it('a truncated gzip file', async () => {
    const lines = ['a,b,label'];
    for (let i = 0; i < 5000; i++) lines.push(`${i},${i * 2},${i % 2 ? 'x' : 'y'}`);
    const gz = gzipSync(Buffer.from(lines.join('\n')));
    const p = join(dir, 'truncated.csv.gz');
    writeFileSync(p, gz.subarray(0, Math.floor(gz.length / 2)));
    await rejectsWith(loadData(p), 'NADIR_ERR_GZIP', /truncated\.csv\.gz: gzip data is corrupt or truncated \(unexpected end of file\)/);
  });

  it('binary garbage (random bytes with NULs)', async () => {
    const rng = new Random(9);
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
    bytes[10] = 0;
    bytes[0] = 0x42; // not a gzip magic number
    await rejectsWith(loadData(writeFixture(dir, 'garbage.csv', bytes)), 'NADIR_ERR_BINARY', /garbage\.csv looks like binary data, not CSV\/JSONL text/);
    // the same bytes gzipped: detected after decompression
    await rejectsWith(loadData(writeFixture(dir, 'garbage.csv.gz', bytes)), 'NADIR_ERR_BINARY', /garbage\.csv\.gz looks like binary data/);
  });

  it('UTF-16 text (as spreadsheet programs save "Unicode text")', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]);
    await rejectsWith(loadData(writeFixture(dir, 'utf16.csv', utf16)), 'NADIR_ERR_BAD_FORMAT', /utf16\.csv: the text is UTF-16 encoded; save it as UTF-8/);
  });

  it('ragged rows are skipped and counted, with their line numbers, as a finding', async () => {
    const log = collect();
    const p = writeFixture(dir, 'ragged.csv', 'a,b,label\n1,2,x\n3,y\n4,5,z\n6,7,8,w\n9,10,x\n');
    const d = await loadData(p, { logger: log });
    assert.equal(d.features.nRows, 3);
    assert.equal(d.skippedRows, 2);
    const f = d.findings.find((x) => x.code === 'ragged-rows');
    assert.ok(f);
    assert.equal(f.count, 2);
    assert.deepEqual(f.examples, [3, 5]);
    assert.equal(f.message, '2 rows skipped: wrong number of fields (expected 3); first at lines 3, 5');
    // as a warning it names the file (train and evaluate read several); the finding belongs to the file already
    assert.equal(log.warnings.find((w) => w.code === 'ragged-rows')?.message, `${p}: 2 rows skipped: wrong number of fields (expected 3); first at lines 3, 5`);
  });

  it('every data-quality warning names the file', async () => {
    const log = collect();
    const p = writeFixture(dir, 'quality.csv', 'a,b,c,label\n1,,7,x\n1,Infinity,7,y\n1,2,7,x\n1,,7,x\n');
    const d = await loadData(p, { logger: log });
    assert.deepEqual(log.warnings.map((w) => w.code).sort(), ['constant-column', 'constant-column', 'duplicate-rows', 'infinity', 'missing-values', 'single-label']);
    for (const w of log.warnings) assert.ok(w.message.startsWith(`${p}: `), w.message);
    assert.deepEqual(log.warnings.map((w) => w.message), d.findings.map((f) => `${p}: ${f.message}`));
    assert.ok(log.warnings.some((w) => w.message === `${p}: column 'b' has 2 missing values (50.0%)`));
  });

  it('a file whose every row is ragged', async () => {
    await rejectsWith(loadData(writeFixture(dir, 'all-ragged.csv', 'a,b,c\n1,2\n3\n')), 'NADIR_ERR_BAD_FORMAT', /all-ragged\.csv: no row could be read: all 2 rows have a different number of fields than the header \(3\); first at lines 2, 3/);
  });

  it('a missing label column is a clear error when a label is required', async () => {
    const p = writeFixture(dir, 'nolabel.csv', 'src,dst\n1,2\n3,4\n');
    await rejectsWith(loadDataset(p), 'NADIR_ERR_NO_LABEL', /nolabel\.csv: no label column found \(looked for label, class, attack, target, attack_type, y\); name it with label <column>\. Columns: src, dst/);
    await rejectsWith(loadDataset(p, { label: 'verdict' }), 'NADIR_ERR_NO_LABEL', /nolabel\.csv: label column 'verdict' not found; columns are: src, dst/);
    // without a label requirement the same file loads (scoring input)
    assert.equal((await loadData(p)).labels, null);
  });
});

describe('loadData: reading progress', () => {
  it('reports bytes read of the file size, for plain and gzipped CSV, ending at the size', async () => {
    const { statSync } = await import('node:fs');
    const rows = Array.from({ length: 40000 }, (_, i) => `${i},${(i * 7919) % 1000},${i % 3 ? 'normal' : 'attack'}`);
    const text = `a,b,label\n${rows.join('\n')}\n`;
    for (const name of ['progress.csv', 'progress.csv.gz']) {
      const p = writeFixture(dir, name, text);
      const size = statSync(p).size;
      const calls: Array<[number, number]> = [];
      const d = await loadData(p, { onProgress: (done, total) => calls.push([done, total]) });
      assert.equal(d.features.nRows, 40000);
      assert.ok(calls.length >= 2, `${name}: ${calls.length} updates`);
      assert.ok(calls.every(([done, total]) => total === size && done <= size), name);
      assert.deepEqual(calls.at(-1), [size, size]);
    }
  });
});
