import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choose, type Candidate } from './hybrid-gate.js';

const c = (budget: number, gate: number, criterion: number, cvAccuracy: number): Candidate => ({ budget, gate, criterion, cvAccuracy, detection: {}, fpr: 0, cvFpr: 0, cvDetection: 0 });

test('the pre-registered choice: highest LOCO criterion among CV accuracy ≥ 0.995; ties → larger budget, then smaller gate', () => {
  const best = c(0.02, 0.01, 0.7, 0.996);
  assert.equal(choose([c(0.05, 0, 0.9, 0.977), best, c(0.01, 0.05, 0.6, 0.998)]).candidate, best, 'a higher criterion below 0.995 does not count');
  const tieBudget = choose([c(0.01, 0.01, 0.7, 0.996), c(0.05, 0.01, 0.7, 0.996), c(0.02, 0.01, 0.7, 0.996)]).candidate;
  assert.equal(tieBudget.budget, 0.05);
  const tieGate = choose([c(0.05, 0.05, 0.7, 0.996), c(0.05, 0.01, 0.7, 0.996)]).candidate;
  assert.equal(tieGate.gate, 0.01);
  assert.equal(choose([c(0.05, 0.01, 0.7, 0.995)]).candidate.budget, 0.05, '0.995 itself qualifies');
});

test('when no candidate reaches 0.995: the highest CV accuracy, and the rule says so', () => {
  const r = choose([c(0.05, 0, 0.9, 0.98), c(0.01, 0.05, 0.5, 0.99)]);
  assert.equal(r.candidate.cvAccuracy, 0.99);
  assert.match(r.rule, /no candidate reaches/);
});
