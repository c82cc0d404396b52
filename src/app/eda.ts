/**
 * The eda use case: a labelled dataset (a file or in memory) → the EDA analysis (overview,
 * distributions, outliers, attack-vs-normal tests, ranking). Options are named fields checked
 * once, before anything is loaded; the HTML report is built from the result by reports/.
 */
import type { LoadOptions } from '../data/load.js';
import type { Dataset, TargetKind } from '../data/types.js';
import { analyzeDataset, analyzeFile } from '../eda/analyze.js';
import type { EdaOptions, EdaResult } from '../eda/types.js';
import { checkParam, type ParamSpec } from '../learners/spec.js';

export const EDA_PARAMS = {
  target: { name: 'target', type: 'word', words: ['binary', 'category', 'label'], default: 'binary', help: 'grouping for per-class views: binary | category | label (tests are always attack vs normal)' },
  sample: { name: 'sample', type: 'integer', min: 1, expected: 'a positive integer', help: 'analyse a uniform random sample of n rows' },
  seed: { name: 'seed', type: 'integer', min: 0, expected: 'a non-negative integer', default: 42, help: 'seed of the sample' },
  alpha: { name: 'alpha', type: 'number', gt: 0, accept: (a) => a < 1, expected: 'a number between 0 and 1', default: 0.05, help: 'significance level on Benjamini–Hochberg-adjusted p-values' },
} as const satisfies Record<string, ParamSpec>;

export interface EdaChoices {
  target?: TargetKind;
  sample?: number;
  seed?: number;
  alpha?: number;
}

/** The options checked, defaults filled in (errors name the option). */
export function resolveEdaOptions(o: EdaChoices): Required<Omit<EdaChoices, 'sample'>> & { sample?: number } {
  const P = EDA_PARAMS;
  const target = (o.target === undefined ? P.target.default : checkParam(P.target, o.target)) as TargetKind;
  const sample = o.sample === undefined ? undefined : (checkParam(P.sample, o.sample) as number);
  const seed = (o.seed === undefined ? P.seed.default : checkParam(P.seed, o.seed)) as number;
  const alpha = (o.alpha === undefined ? P.alpha.default : checkParam(P.alpha, o.alpha)) as number;
  return { target, seed, alpha, ...(sample !== undefined ? { sample } : {}) };
}

/** Explore a dataset: load it (when given a file) and analyse it. */
export async function eda(data: string | Dataset, opts: EdaChoices & { load?: LoadOptions; onProgress?: EdaOptions['onProgress'] } = {}): Promise<EdaResult> {
  const options: EdaOptions = { ...resolveEdaOptions(opts), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) };
  return typeof data === 'string' ? analyzeFile(data, { ...options, ...(opts.load ? { load: opts.load } : {}) }) : analyzeDataset(data, options);
}
