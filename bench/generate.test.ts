import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadDataset } from '../src/data/index.js';
import { ensureGenerated, generatedPath, writeGenerated } from './generate.js';
import { NSL_KDD } from './lib/paths.js';
import { median, ratio } from './lib/stats.js';

const source = gunzipSync(readFileSync(NSL_KDD.train)).toString('utf8').trim().split('\n').map((l) => l.split(','));
const distinct = (c: number): Set<string> => new Set(source.map((r) => r[c]!));

test('generated rows keep NSL-KDD shape: categories, labels, flags, integer counts and rates in [0, 1]', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nadir-gen-'));
  try {
    const g = await ensureGenerated({ rows: 3000, dir, seed: 7 });
    assert.equal(g.created, true);
    const rows = readFileSync(g.path, 'utf8').trim().split('\n').map((l) => l.split(','));
    assert.equal(rows.length, 3000);
    for (const c of [1, 2, 3, 41, 42]) {
      const allowed = distinct(c);
      for (const r of rows) assert.ok(allowed.has(r[c]!), `column ${c} value ${r[c]} not in the source`);
    }
    // land (6) and logged_in (11) are 0/1 flags; src_bytes (4) integer counts; serror_rate (24) a rate
    for (const r of rows) {
      assert.equal(r.length, 43);
      assert.ok(r[6] === '0' || r[6] === '1');
      assert.ok(r[11] === '0' || r[11] === '1');
      assert.match(r[4]!, /^\d+$/);
      const rate = Number(r[24]);
      assert.ok(rate >= 0 && rate <= 1, `rate ${rate}`);
    }
    // noise actually applied: some src_bytes values are not in the source column
    const srcBytes = distinct(4);
    assert.ok(rows.some((r) => !srcBytes.has(r[4]!)));
    // nadir reads it back as NSL-KDD
    const ds = await loadDataset(g.path);
    assert.equal(ds.format, 'nsl-kdd');
    assert.equal(ds.features.nRows, 3000);
    assert.equal(ds.features.columns.length, 41);
    // cached the second time
    assert.equal((await ensureGenerated({ rows: 3000, dir, seed: 7 })).created, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generation is deterministic under the seed, and a smaller file is a prefix of a larger one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nadir-gen-'));
  try {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const c = join(dir, 'c.csv');
    await writeGenerated(a, { rows: 500, seed: 11 });
    await writeGenerated(b, { rows: 200, seed: 11 });
    await writeGenerated(c, { rows: 200, seed: 12 });
    const ta = readFileSync(a, 'utf8');
    const tb = readFileSync(b, 'utf8');
    assert.ok(ta.startsWith(tb));
    assert.notEqual(readFileSync(c, 'utf8'), tb);
    await writeGenerated(c, { rows: 200, seed: 11 });
    assert.equal(readFileSync(c, 'utf8'), tb);
    assert.notEqual(generatedPath({ rows: 200, seed: 11, dir }), generatedPath({ rows: 200, seed: 12, dir }));
    await assert.rejects(writeGenerated(join(dir, 'bad.csv'), { rows: 0 }), /rows must be a positive integer/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('median and ratio helpers', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(ratio(1, 4), 0.25);
  assert.ok(Number.isNaN(ratio(1, null)));
  assert.ok(Number.isNaN(ratio(1, 0)));
});
