import { realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { nadirError, nadirErrorWithCause } from '../errors.js';

/** Write atomically: a temp file next to the target, then rename — a failed write never leaves half a file. */
export async function writeFileAtomic(target: string, data: Buffer | string): Promise<void> {
  // a symbolic link is followed (the file it points to is replaced, not the link); the rename would
  // replace whatever is there, so it may only ever be a regular file (or nothing yet)
  const path = await realpath(target).catch(() => target);
  const existing = await stat(path).catch(() => null);
  if (existing && !existing.isFile()) throw nadirError('NADIR_ERR_FILE_WRITE', target, existing.isDirectory() ? 'it is a directory' : 'it is not a regular file');
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw nadirErrorWithCause('NADIR_ERR_FILE_WRITE', e, target, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the folder does not exist' : (e as Error).message);
  }
}
