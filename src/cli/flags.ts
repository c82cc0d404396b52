/**
 * How the CLI spells the use cases' option names: the one place that maps an option
 * (`learningRate`, `maxFpr`, `cv`) to its flag (`--lr`, `--max-fpr`, `--cv`). Errors and warnings
 * from below name options (errors.ts opt()); the CLI renders them through flagOf.
 */
import { isNadirError, NadirError, renderMessage } from '../errors.js';
import type { Warning } from '../logger.js';

/** Options whose flag is not simply their name in kebab case. */
const FLAGS: Record<string, string> = {
  nEstimators: '--trees',
  nTrees: '--trees',
  nRounds: '--trees',
  maxDepth: '--depth',
  learningRate: '--lr',
  C: '--c',
  nThreads: '--threads',
  nRepeats: '--permutation-repeats',
  tests: '--test',
  gate: '--anomaly-gate',
};

/**
 * The learner options the `train` command has a flag for, with the flag's value name; the help
 * text, rules and defaults come from the learners' specs (`label` names a flag several learners
 * share, where their own help texts differ).
 */
export const LEARNER_FLAGS: ReadonlyArray<{ option: string; value: string; label?: string }> = [
  { option: 'nEstimators', value: '<n>', label: 'trees / boosting rounds' },
  { option: 'maxDepth', value: '<n>', label: 'maximum tree depth' },
  { option: 'learningRate', value: '<rate>' },
  { option: 'maxFeatures', value: '<f>' },
  { option: 'C', value: '<C>' },
  { option: 'supervised', value: '<learner>' },
  { option: 'neighbors', value: '<k>' },
  { option: 'gate', value: '<p>' },
  { option: 'profileScale', value: '<none|local>' },
];

/** `maxFpr` → `--max-fpr`, `learningRate` → `--lr`; a name already spelled as a flag stays. */
export function flagOf(option: string): string {
  if (option.startsWith('-')) return option;
  return FLAGS[option] ?? `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** commander's key for a flag: `--max-fpr` → `maxFpr`. */
export function keyOf(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** An error with its option names spelled as flags (other errors pass through unchanged). */
export function withFlagNames(e: unknown): never {
  if (isNadirError(e) && e.template !== e.message) {
    throw new NadirError(e.code, renderMessage(e.template, flagOf), { cause: e, ...(e.option !== undefined ? { option: e.option } : {}) });
  }
  throw e;
}

/** A warning's message with its option names spelled as flags. */
export function warningText(w: Warning): string {
  return w.template !== undefined ? renderMessage(w.template, flagOf) : w.message;
}
