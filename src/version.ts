import { readFileSync } from 'node:fs';

/** nadir's version, from package.json (dist/src/version.js → ../../package.json). */
export const NADIR_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
