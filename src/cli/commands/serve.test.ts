import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopback } from './serve.js';

test('only loopback addresses count as loopback: anything else warns without an API key', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.equal(isLoopback(h), true, h);
  for (const h of ['0.0.0.0', '::', '192.168.1.10', 'example.org', '128.0.0.1']) assert.equal(isLoopback(h), false, h);
});
