#!/usr/bin/env node
// `npm test`: lint, typecheck + build, then every *.test.js under dist/ with node's test runner.
// Browser tests need Debian's chromium, packet tests tshark, tcpdump, nmap, hping3 (argus for the
// flows bench): installed here when running as root, otherwise we say what is missing.
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
  // Debian packages the tests run: chromium (browser tests), tshark (flows vs conversation
  // statistics), tcpdump, nmap, hping3 (loopback capture, scan and SYN burst); argus for the flows
  // bench. Installed here when running as root, otherwise we say what is missing.
  const CHROMIUM = process.env.NADIR_CHROMIUM ?? '/usr/bin/chromium';
  const need = [
    ['chromium', CHROMIUM],
    ['tshark', '/usr/bin/tshark'],
    ['tcpdump', '/usr/bin/tcpdump'],
    ['nmap', '/usr/bin/nmap'],
    ['hping3', '/usr/sbin/hping3'],
    ['argus-server', '/usr/sbin/argus'],
    ['argus-client', '/usr/bin/ra'],
  ].filter(([, path]) => !existsSync(path));
  if (need.length > 0) {
    const pkgs = need.map(([p]) => p);
    if (process.getuid?.() === 0) {
      console.log(`installing Debian packages the tests need: ${pkgs.join(' ')}`);
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } else {
      console.error(`npm test: the browser and packet tests need Debian packages: sudo apt-get install ${pkgs.join(' ')} (or set NADIR_CHROMIUM for chromium).`);
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
