#!/usr/bin/env node
// `npm start`: the main job on the bundled NSL-KDD data — explore it, train a detector with
// honest hold-out evaluation, write the model and the reports to out/, then serve the model
// (API and dashboard) at http://127.0.0.1:8080 until Ctrl-C, replaying KDDTest+ records (--demo) so
// the dashboard's Live page moves at once.
import { spawn, spawnSync } from 'node:child_process';
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

// the server: the dashboard at /, the API under /api/v1. It runs in its own process group
// (detached) so that Ctrl-C reaches it once, forwarded from here: a second SIGINT would make it
// exit without draining. It drains, exits, and this script exits with its status.
const serve = ['serve', '--model', 'out/model.nadir', '--host', '127.0.0.1', '--port', '8080', '--log-level', 'warn', '--demo'];
console.log(`\n$ nadir ${serve.join(' ')}`);
console.log('Dashboard and API: http://127.0.0.1:8080 — the Live page shows KDDTest+ records replayed at 50/s (Ctrl-C stops)');
const server = spawn(process.execPath, ['dist/src/cli/main.js', ...serve], { stdio: 'inherit', detached: true });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));
