#!/usr/bin/env node
// `npm test`: lint, typecheck + build, then every *.test.js under dist/ with node's test runner.
// Browser tests need Debian's chromium: installed here when running as root, otherwise we say what is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\nnpm test: '${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

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
run('npx', ['tsc', '-p', 'tsconfig.json']);
const only = process.argv.slice(2);
run(process.execPath, ['--test', '--test-reporter=spec', ...(only.length ? only : ['dist/'])]);
