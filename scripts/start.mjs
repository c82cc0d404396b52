#!/usr/bin/env node
// `npm start`: the main job on the bundled NSL-KDD data.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('dist/src/cli/main.js')) {
  const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'inspect', '--data', 'data/nsl-kdd/KDDTrain+_20Percent.txt.gz'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
