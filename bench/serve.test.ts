import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWrk, soakGrowth } from './serve.js';

test('soakGrowth: growth in MB and %, second half, flat at ≤ 10%', () => {
  assert.deepEqual(soakGrowth(100, 104, 105), { growthMB: 5, growthPct: 5, secondHalfMB: 1, flat: true });
  const g = soakGrowth(100, 115, 130);
  assert.equal(g.flat, false);
  assert.equal(g.growthMB, 30);
  assert.equal(soakGrowth(null, 1, 2).flat, null);
  assert.equal(soakGrowth(100, null, 100).secondHalfMB, null);
});

test('parseWrk: failed requests = non-2xx + every kind of socket error', () => {
  const out = `Running 1m test @ http://127.0.0.1:1/api/v1/predict
  1 threads and 32 connections
  Latency Distribution
     50%    2.60ms
     90%    3.76ms
     99%   10.00ms
  69853 requests in 1.00m, 20.00MB read
  Socket errors: connect 1, read 2, write 3, timeout 4
  Non-2xx or 3xx responses: 5
Requests/sec:   1164.22
`;
  const w = parseWrk(out);
  assert.equal(w.requests, 69853);
  assert.equal(w.seconds, 60);
  assert.equal(w.p50, 0.0026);
  assert.equal(w.p99, 0.01);
  assert.equal(w.socketErrors, 10);
  assert.equal(w.non2xx, 5);
});

test('processTree: a process and its descendants (nadir serve: the primary and its workers)', async () => {
  const { spawn } = await import('node:child_process');
  const { processTree } = await import('./serve.js');
  // a child that starts a grandchild, both sleeping until killed
  const child = spawn(process.execPath, ['-e', "require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'inherit' }); setTimeout(() => {}, 30000)"], { stdio: 'ignore' });
  try {
    let tree: number[] = [];
    for (let i = 0; i < 100 && tree.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      tree = processTree(child.pid!);
    }
    assert.equal(tree[0], child.pid);
    assert.equal(tree.length, 2, String(tree));
  } finally {
    for (const p of processTree(child.pid!).reverse()) process.kill(p, 'SIGKILL');
  }
});
