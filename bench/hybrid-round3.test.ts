import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choose, qualifies, type Candidate } from './hybrid-round3.js';

const c = (profile: 'none' | 'local', budget: number, gate: number, criterion: number, cvAccuracy: number): Candidate => ({ profile, budget, gate, criterion, cvAccuracy, detection: {}, fpr: 0, cvFpr: 0, cvDetection: 0 });

test('round 3: qualifies only with CV accuracy ≥ 0.995 and ≥ gbdt − 0.002 (both bounds inclusive)', () => {
  assert.ok(qualifies(c('none', 0.05, 0.01, 0, 0.995), 0.996));
  assert.ok(!qualifies(c('none', 0.05, 0.01, 0, 0.9949), 0.996), 'below 0.995');
  assert.ok(!qualifies(c('none', 0.05, 0.01, 0, 0.9957), 0.9979), 'more than 0.002 below gbdt');
  assert.ok(qualifies(c('none', 0.05, 0.01, 0, 0.9959), 0.9979), 'exactly 0.002 below gbdt (as computed from counts)');
  assert.ok(qualifies(c('none', 0.05, 0.01, 0, 25087 / 25192), 25137 / 25192), '50 rows of 25,192 below is within 0.002');
});

test('round 3: the highest LOCO criterion among qualifying candidates; ties to 4 decimals → P1, larger budget, smaller gate', () => {
  const gbdt = 0.998;
  const best = c('local', 0.02, 0.01, 0.7, 0.9965);
  assert.equal(choose([c('none', 0.05, 0, 0.9, 0.977), best, c('none', 0.01, 0.05, 0.6, 0.998), c('none', 0.05, 0.01, 0.8, 0.9957)], gbdt).candidate, best, 'higher criteria below either bound do not count');
  assert.equal(choose([c('local', 0.05, 0.01, 0.70004, 0.997), c('none', 0.01, 0.05, 0.69996, 0.997)], gbdt).candidate.profile, 'none', 'equal to 4 decimals: P1 first');
  assert.equal(choose([c('none', 0.01, 0.01, 0.7, 0.997), c('none', 0.05, 0.01, 0.7, 0.997), c('none', 0.005, 0.01, 0.7, 0.997)], gbdt).candidate.budget, 0.05);
  assert.equal(choose([c('none', 0.05, 0.05, 0.7, 0.997), c('none', 0.05, 0.001, 0.7, 0.997)], gbdt).candidate.gate, 0.001);
  assert.equal(choose([c('none', 0.05, 0.05, 0.7001, 0.997), c('local', 0.05, 0.001, 0.7003, 0.997)], gbdt).candidate.profile, 'local', 'different at 4 decimals: the higher wins');
});

test('round 3: when none qualifies, the highest CV accuracy, and the rule says so', () => {
  const r = choose([c('none', 0.05, 0, 0.9, 0.98), c('local', 0.01, 0.05, 0.5, 0.9955)], 0.999);
  assert.equal(r.candidate.cvAccuracy, 0.9955);
  assert.match(r.rule, /no candidate reaches/);
});
