/**
 * The CLI loads only the module of the command it runs (src/cli/main.ts); help, version and
 * unknown commands load them all. Either way a command's help, errors and exit codes are the same.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nadir } from './cli.js';

test('a command alone (loaded by itself) and through `nadir help` (every command loaded) print the same help', async () => {
  for (const name of ['flows', 'eda', 'serve']) {
    const [alone, viaHelp] = await Promise.all([nadir(name, '--help'), nadir('help', name)]);
    assert.equal(alone.code, 0);
    assert.equal(viaHelp.code, 0);
    assert.equal(alone.stdout, viaHelp.stdout, name);
    assert.match(alone.stdout, new RegExp(`^Usage: nadir ${name} `));
  }
});

test('the general help lists every command; usage errors of a command loaded alone still name every command where they should', async () => {
  const help = await nadir('--help');
  assert.equal(help.code, 0);
  for (const name of ['inspect', 'eda', 'train', 'evaluate', 'predict', 'serve', 'flows', 'monitor']) assert.match(help.stdout, new RegExp(`\\n  ${name} `));
  const typo = await nadir('flws');
  assert.equal(typo.code, 2);
  assert.equal(typo.stderr, "nadir: unknown command 'flws', did you mean 'flows'? (commands: inspect, eda, train, evaluate, predict, serve, flows, monitor)\n");
  const option = await nadir('flows', '--bogus');
  assert.equal(option.code, 2);
  assert.equal(option.stderr, "nadir: unknown option '--bogus' (see nadir flows --help)\n");
});
