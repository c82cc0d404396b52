import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatFixed, formatInt, formatNumber, formatP, formatPerTenThousand, formatPercent, formatSigned, formatSignedPoints, formatUtcMinute } from './format.js';

test('number formatting', () => {
  assert.equal(formatInt(25192), '25,192');
  assert.equal(formatInt(NaN), '–');
  assert.equal(formatNumber(107.53011320574423), '107.5');
  assert.equal(formatNumber(-170.5188790591247, 6), '−170.519');
  assert.equal(formatNumber(2725), '2,725');
  assert.equal(formatNumber(1.7455505319142136e-14), '1.746e−14');
  assert.equal(formatP(0), '< 1e−300');
  assert.equal(formatP(2.2602031967755383e-123), '2.26e−123');
  assert.equal(formatP(0.3942670515000528), '0.394');
  assert.equal(formatPercent(0.4656), '46.6%');
  assert.equal(formatPercent(0.00001), '< 0.1%');
  assert.equal(formatBytes(8 * 1024 * 1024), '8.0 MiB');
});

test('scores, signed differences, rates per 10,000 and dates', () => {
  assert.equal(formatFixed(0.97314159), '0.9731');
  assert.equal(formatFixed(null), '–');
  assert.equal(formatFixed(undefined), '–');
  assert.equal(formatFixed(NaN), '–');
  assert.equal(formatFixed(1 / 3, 2), '0.33');
  assert.equal(formatSigned(0.01234), '+0.0123');
  assert.equal(formatSigned(-0.004), '−0.0040');
  assert.equal(formatSigned(0), '+0.0000');
  assert.equal(formatSignedPoints(0.0123), '+1.2 pts');
  assert.equal(formatSignedPoints(-0.2), '−20.0 pts');
  assert.equal(formatSignedPoints(-0.0001), '−0.0 pts');
  assert.equal(formatPerTenThousand(0.00123), '12');
  assert.equal(formatPerTenThousand(0.000123), '1.2');
  assert.equal(formatPerTenThousand(0.5), '5,000');
  assert.equal(formatPerTenThousand(0), '0');
  assert.equal(formatPerTenThousand(NaN), '–');
  assert.equal(formatUtcMinute('2024-05-01T12:34:56.000Z'), '2024-05-01 12:34 UTC');
  assert.equal(formatUtcMinute('2024-05-01T14:34:56+02:00'), '2024-05-01 12:34 UTC');
  assert.equal(formatUtcMinute('not a date'), 'not a date');
});
