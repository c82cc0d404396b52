/**
 * NSL-KDD (data/nsl-kdd) as the real-data tests use it: the 20% training file and KDDTest+,
 * encoded by one pipeline fitted on the training file only.
 */
import { loadDataset, type Dataset } from '../../data/index.js';
import { Pipeline, type PipelineOptions } from '../pipeline.js';
import type { Matrix } from '../types.js';

const DATA = new URL('../../../../data/nsl-kdd/', import.meta.url).pathname;
export const NSL_KDD_TRAIN = `${DATA}KDDTrain+_20Percent.txt.gz`;
export const NSL_KDD_TEST = `${DATA}KDDTest+.txt.gz`;

export interface NslKdd {
  readonly train: Dataset;
  readonly test: Dataset;
  /** Fitted on `train`'s features. */
  readonly pipeline: Pipeline;
  readonly Xtrain: Matrix;
  readonly Xtest: Matrix;
}

/** Both files loaded and transformed by a Pipeline with `options` fitted on the training file. */
export async function loadNslKdd(options: PipelineOptions = {}): Promise<NslKdd> {
  const [train, test] = await Promise.all([loadDataset(NSL_KDD_TRAIN), loadDataset(NSL_KDD_TEST)]);
  const pipeline = new Pipeline(options).fit(train.features);
  return { train, test, pipeline, Xtrain: pipeline.transform(train.features), Xtest: pipeline.transform(test.features) };
}
