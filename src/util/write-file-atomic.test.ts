import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeFileAtomic } from './write-file-atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'nadir-write-file-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an existing one, leaving no temp file', async () => {
    const p = join(dir, 'a.txt');
    await writeFileAtomic(p, 'one');
    await writeFileAtomic(p, 'two');
    assert.equal(readFileSync(p, 'utf8'), 'two');
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('a.txt')), ['a.txt']);
  });

  it('refuses a directory (it would be replaced) and leaves it as it was', async () => {
    const d = join(dir, 'folder');
    mkdirSync(d);
    writeFileSync(join(d, 'keep.txt'), 'kept');
    await assert.rejects(writeFileAtomic(d, 'x'), (e: Error) => {
      assert.equal(e.message, `cannot write ${d}: it is a directory`);
      return true;
    });
    assert.equal(readFileSync(join(d, 'keep.txt'), 'utf8'), 'kept');
  });

  it('follows a symbolic link: the file it points to is replaced, the link stays', async () => {
    const real = join(dir, 'real.txt');
    const link = join(dir, 'link.txt');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    await writeFileAtomic(link, 'new');
    assert.equal(lstatSync(link).isSymbolicLink(), true);
    assert.equal(readFileSync(real, 'utf8'), 'new');
  });

  it('names the path when the folder does not exist', async () => {
    const p = join(dir, 'missing', 'x.txt');
    await assert.rejects(writeFileAtomic(p, 'x'), { message: `cannot write ${p}: the folder does not exist` });
  });
});
