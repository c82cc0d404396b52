import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nadirError, opt } from '../errors.js';
import { warning } from '../logger.js';
import { flagOf, keyOf, warningText, withFlagNames } from './flags.js';

test('option names are spelled as flags in one place', () => {
  assert.equal(flagOf('maxFpr'), '--max-fpr');
  assert.equal(flagOf('learningRate'), '--lr');
  assert.equal(flagOf('nTrees'), '--trees');
  assert.equal(flagOf('--cv'), '--cv');
  assert.equal(keyOf('--max-fpr'), 'maxFpr');
  const e = nadirError('NADIR_ERR_BAD_OPTION', 'threshold', `'auto' needs ${opt('cv')} 2 or more`);
  assert.equal(e.message, "invalid option threshold: 'auto' needs cv 2 or more", 'the library spells option names plainly');
  assert.equal(e.option, 'threshold');
  assert.throws(() => withFlagNames(e), { message: "invalid option --threshold: 'auto' needs --cv 2 or more" });
  const w = warning('x', `raise ${opt('maxFpr')}`);
  assert.equal(w.message, 'raise maxFpr');
  assert.equal(warningText(w), 'raise --max-fpr');
  assert.equal(warningText({ code: 'y', message: 'plain' }), 'plain');
});
