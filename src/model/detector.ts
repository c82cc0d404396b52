import type { LoadedData } from '../data/load.js';
import type { Table } from '../data/types.js';
import { nadirError } from '../errors.js';
import { Pipeline } from '../features/pipeline.js';
import type { Matrix } from '../features/types.js';
import { learnerFromJSON } from '../learners/registry.js';
import type { Classifier } from '../learners/types.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { readModelFile } from './artifact.js';
import type { ModelBody } from './types.js';

export interface Scores {
  /** Row-major nRows × classes.length probabilities. */
  proba: Float64Array;
  /** Predicted class index per row (binary: P(attack) ≥ threshold). */
  pred: Int32Array;
  nRows: number;
}

/**
 * A trained model ready to score raw records: the preprocessing pipeline, the learner, the
 * classes and the decision threshold, restored from a model file. The CLI (`predict`,
 * `evaluate`), the HTTP API and the dashboard all score through this one class.
 */
export class Detector {
  readonly body: ModelBody;
  readonly pipeline: Pipeline;
  readonly learner: Classifier;

  private constructor(body: ModelBody, pipeline: Pipeline, learner: Classifier) {
    this.body = body;
    this.pipeline = pipeline;
    this.learner = learner;
  }

  static fromBody(body: ModelBody, source = 'model'): Detector {
    if (!Array.isArray(body.classes) || body.classes.length < 2 || !body.pipeline || !body.learner || !body.schema) {
      throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'a required section (classes, schema, pipeline, learner) is missing');
    }
    const pipeline = Pipeline.fromJSON(body.pipeline);
    const learner = learnerFromJSON(body.learner);
    if (learner.classes.length !== body.classes.length) {
      throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `learner has ${learner.classes.length} classes, model says ${body.classes.length}`);
    }
    return new Detector(body, pipeline, learner);
  }

  static async load(path: string): Promise<Detector> {
    return Detector.fromBody(await readModelFile(path), path);
  }

  get classes(): readonly string[] {
    return this.body.classes;
  }

  get isBinary(): boolean {
    return this.body.classes.length === 2 && this.body.task === 'binary';
  }

  get threshold(): number {
    return this.body.threshold ?? 0.5;
  }

  /** Raw table → the model's feature matrix (missing columns are an error naming them; unseen categories warn). */
  features(table: Table, logger: Logger = silentLogger): Matrix {
    return this.pipeline.transform(table, logger);
  }

  scoreMatrix(X: Matrix): Scores {
    const proba = this.learner.predictProba(X);
    const k = this.classes.length;
    const pred = new Int32Array(X.nRows);
    if (this.isBinary) {
      const t = this.threshold;
      for (let i = 0; i < X.nRows; i++) pred[i] = proba[i * 2 + 1]! >= t ? 1 : 0;
    } else {
      for (let i = 0; i < X.nRows; i++) {
        let best = 0;
        for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
        pred[i] = best;
      }
    }
    return { proba, pred, nRows: X.nRows };
  }

  score(data: Table | LoadedData, logger: Logger = silentLogger): Scores {
    const table = 'features' in data ? data.features : data;
    return this.scoreMatrix(this.features(table, logger));
  }
}
