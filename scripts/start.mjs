#!/usr/bin/env node
// `npm start`: the main job on the bundled NSL-KDD data — explore it, train a detector with
// honest hold-out evaluation, and write the model and the reports to out/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';

if (!existsSync('dist/src/cli/main.js')) {
  const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
mkdirSync('out', { recursive: true });
const D = 'data/nsl-kdd';
const steps = [
  ['inspect', '--data', `${D}/KDDTrain+_20Percent.txt.gz`],
  ['eda', '--data', `${D}/KDDTrain+_20Percent.txt.gz`, '--out', 'out/eda.html'],
  ['train', '--data', `${D}/KDDTrain+_20Percent.txt.gz`, '--test', `${D}/KDDTest+.txt.gz`, '--test', `${D}/KDDTest-21.txt.gz`,
    '--model', 'gbdt', '--cv', '5', '--out', 'out/model.nadir', '--report', 'out/training-report.html'],
];
for (const args of steps) {
  console.log(`\n$ nadir ${args.join(' ')}`);
  const r = spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
console.log('\nDone: out/model.nadir (the detector), out/training-report.html and out/eda.html (open them in a browser).');
console.log('Score new records: npm run -s nadir -- predict --model out/model.nadir --data <file> --explain');
