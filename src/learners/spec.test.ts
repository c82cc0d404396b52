import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NadirError } from '../errors.js';
import { checkParam, describeParam, resolveParams, SEED_PARAM, type ParamSpec } from './spec.js';
import { LEARNER_SPECS } from './registry.js';

const code = (c: string) => (e: unknown) => e instanceof NadirError && e.code === c;
const P: ParamSpec[] = [
  { name: 'n', aliases: ['nAlias'], type: 'integer', min: 1, default: 5, help: '' },
  { name: 'rate', type: 'number', gt: 0, max: 1, hint: 'typically 0.1', default: 0.5, help: '' },
  { name: 'on', type: 'boolean', default: true, help: '' },
  { name: 'crit', type: 'word', words: ['gini', 'entropy'], default: 'gini', help: '' },
  { name: 'feat', type: 'number', gt: 0, words: ['sqrt'], accept: (v) => v < 1 || Number.isInteger(v), expected: "'sqrt', a fraction or a count", default: 'sqrt', help: '' },
  { name: 'depth', type: 'integer', min: 1, help: '' },
  SEED_PARAM,
];

test('params: defaults filled in, values checked against their rule, the option named in errors', () => {
  assert.deepEqual(resolveParams('L', P, {}), { n: 5, rate: 0.5, on: true, crit: 'gini', feat: 'sqrt', depth: undefined, seed: 0 });
  assert.deepEqual(resolveParams('L', P, { nAlias: 3, feat: 0.5, depth: 2, seed: 0xffffffff }), { n: 3, rate: 0.5, on: true, crit: 'gini', feat: 0.5, depth: 2, seed: 0xffffffff });
  assert.throws(() => resolveParams('L', P, { n: '3' }), { message: "invalid option n: expected a whole number ≥ 1, got '3'" });
  assert.throws(() => resolveParams('L', P, { n: Infinity }), code('NADIR_ERR_BAD_OPTION'));
  assert.throws(() => resolveParams('L', P, { n: 2.5 }), { message: "invalid option n: expected a whole number ≥ 1, got '2.5'" });
  assert.throws(() => resolveParams('L', P, { n: 0 }), /got '0'/);
  assert.throws(() => resolveParams('L', P, { rate: 2 }), { message: "invalid option rate: expected a number > 0 and ≤ 1 (typically 0.1), got '2'" });
  assert.throws(() => resolveParams('L', P, { rate: 0 }), /invalid option rate/);
  assert.throws(() => resolveParams('L', P, { on: 1 }), { message: "invalid option on: expected true or false, got '1'" });
  assert.throws(() => resolveParams('L', P, { crit: 'x' }), { message: "invalid option crit: expected one of gini, entropy, got 'x'" });
  assert.throws(() => resolveParams('L', P, { feat: 1.5 }), { message: "invalid option feat: expected 'sqrt', a fraction or a count, got '1.5'" });
  assert.throws(() => resolveParams('L', P, { seed: -1 }), code('NADIR_ERR_BAD_OPTION'));
  assert.throws(() => resolveParams('L', P, { nIters: 1 }), { message: /^invalid option nIters: unknown option for L \(known: n, nAlias, rate/ });
  assert.throws(() => resolveParams('L', P, null), code('NADIR_ERR_BAD_OPTION'));
  assert.throws(() => resolveParams('L', P, { n: 2, nAlias: 3 }), { message: 'invalid option nAlias: is an alias of n; got both (2, 3)' });
  assert.equal(checkParam(P[0]!, 7), 7);
  assert.equal(describeParam(SEED_PARAM), 'a whole number from 0 to 4294967295');
});

test('every learner spec: defaults obey their own rules, names are unique, kinds and scores agree', () => {
  for (const s of LEARNER_SPECS) {
    const names = s.params.flatMap((p) => [p.name, ...(p.aliases ?? [])]);
    assert.equal(new Set(names).size, names.length, `${s.type}: duplicate option names`);
    // resolving no options gives every default, each accepted by its own rule
    const r = resolveParams(s.type, s.params, {});
    for (const p of s.params) if (r[p.name] !== undefined) assert.equal(checkParam(p, r[p.name]), r[p.name]);
    assert.equal(s.kind === 'anomaly-detector', s.score === 'anomaly-score', s.type);
    assert.ok(s.targets.includes('binary'), s.type);
    assert.ok(s.name.length > 0 && s.description.length > 0);
  }
});
