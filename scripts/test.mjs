#!/usr/bin/env node
// `npm test`: lint, typecheck + build, then every *.test.js under dist/ with node's test runner.
// Browser tests need Debian's chromium: installed here when running as root, otherwise we say what is missing.
// `npm run test:unit` (--unit): build, then only the unit tests under dist/src/ (no lint, no
// chromium, no e2e or browser tests) — the quick inner loop.
// Extra arguments are paths to run instead of the default set: `npm test -- dist/src/data/`.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

const started = performance.now();
const args = process.argv.slice(2);
const unit = args.includes('--unit');
const only = args.filter((a) => a !== '--unit');
const name = unit ? 'npm run test:unit' : 'npm test';

function elapsed() {
  const s = Math.round((performance.now() - started) / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${name}: '${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal}) after ${elapsed()}.`);
    process.exit(r.status ?? 1);
  }
}

if (!unit) {
  const CHROMIUM = process.env.NADIR_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(CHROMIUM)) {
    if (process.getuid?.() === 0) {
      console.log('chromium not found: installing Debian package "chromium" (needed by the browser tests)');
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } else {
      console.error(`npm test: the browser tests need Chromium at ${CHROMIUM}. Install it with: sudo apt-get install chromium (or set NADIR_CHROMIUM).`);
      process.exit(1);
    }
  }
  run('npx', ['eslint', '.']);
}

// a fresh dist/: the compiled test of a source file that was moved or deleted must not run
// (tsc recompiles everything each time anyway)
rmSync('dist', { recursive: true, force: true });
run('npx', ['tsc', '-p', 'tsconfig.json']);
// As many test files at a time as there are cores. Node 20's default (cores - 1) runs one at a
// time on a 2-core machine: `node --test dist/` took 225 s / 291 s that way against 142 s /
// 251 s / 264 s two at a time, and three at a time (202 s / 241 s / 253 s) was no faster, as
// the e2e tests train models in CLI processes (shared machine, load 3–9, 2026-12-06).
run(process.execPath, ['--test', `--test-concurrency=${availableParallelism()}`, '--test-reporter=spec', ...(only.length ? only : [unit ? 'dist/src/' : 'dist/'])]);
console.log(`\n${name}: passed in ${elapsed()}`);
