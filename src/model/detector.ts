import type { LoadedData } from '../data/load.js';
import { rowName } from '../data/load.js';
import { asNumeric, parseCell } from '../data/index.js';
import type { CategoricalColumn, Column, Table } from '../data/types.js';
import { suggestColumn } from '../data/formats/cicids.js';
import { nadirError, opt } from '../errors.js';
import { Pipeline } from '../features/pipeline.js';
import type { Matrix } from '../features/types.js';
import { learnerFromJSON, learnerSpec } from '../learners/registry.js';
import type { LearnerSpec } from '../learners/spec.js';
import { classScores, type Learner } from '../learners/types.js';
import { checkDecision, decide, thresholdOf, type DecisionPolicy } from './decision.js';
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
  readonly learner: Learner;

  private constructor(body: ModelBody, pipeline: Pipeline, learner: Learner) {
    this.body = body;
    this.pipeline = pipeline;
    this.learner = learner;
  }

  /** `source` (the model file's path) names the model in every structure error: `model.nadir: not a valid nadir model (…)`. */
  static fromBody(body: ModelBody, source = 'model'): Detector {
    if (!Array.isArray(body.classes) || body.classes.length < 2 || !body.pipeline || !body.learner || !body.schema) {
      throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'a required section (classes, schema, pipeline, learner) is missing');
    }
    if (!body.classes.every((c) => typeof c === 'string')) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, 'classes must be names');
    if (!TASKS.includes(body.task)) throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `unknown task ${JSON.stringify(body.task)} (expected ${TASKS.join(', ')})`);
    checkDecision(body.decision, body.classes.length, source);
    const pipeline = Pipeline.fromJSON(body.pipeline, source);
    const learner = learnerFromJSON(body.learner, source);
    if (learner.classes.length !== body.classes.length) {
      throw nadirError('NADIR_ERR_MODEL_CORRUPT', source, `learner has ${learner.classes.length} classes, model says ${body.classes.length}`);
    }
    return new Detector(body, pipeline, learner);
  }

  static async load(path: string): Promise<Detector> {
    return Detector.fromBody(await readModelFile(path), path);
  }

  /** What nadir knows about the model's learner (its kind, what its score means, how it explains). */
  get spec(): LearnerSpec {
    return learnerSpec(this.body.learner.type);
  }

  get classes(): readonly string[] {
    return this.body.classes;
  }

  get isBinary(): boolean {
    return this.body.classes.length === 2 && this.body.task === 'binary';
  }

  get decision(): DecisionPolicy {
    return this.body.decision;
  }

  /** The threshold of a binary model's decision (0.5 when it has none). */
  get threshold(): number {
    return thresholdOf(this.body) ?? 0.5;
  }

  /**
   * Raw table → the model's feature matrix. `source` (the file or 'stdin') names where the rows
   * came from in errors and warnings: a missing column or a text value in a numeric input is an
   * error naming the file (and the row); unseen categories warn, naming the file. `where(i)` names
   * row i in errors (default `<source> row <i + 1>`; see rowName for loaded data).
   */
  features(table: Table, logger: Logger = silentLogger, source = 'input', where?: (row: number) => string): Matrix {
    this.checkInputs(table, source, where);
    const named: Logger = { warn: (w) => logger.warn({ ...w, message: `${source}: ${w.message}` }), info: (m) => logger.info(m) };
    return this.pipeline.transform(table, named);
  }

  /**
   * Every input column the model needs is present, every row has a value in at least one of them
   * (a blank record, a JSON `{}` or one holding only other fields is not a flow to score), and numeric
   * inputs hold numbers; errors name `source` and the row (`where`).
   */
  checkInputs(table: Table, source = 'input', where: (row: number) => string = (i) => `${source} row ${i + 1}`): void {
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    const inputs = this.pipeline.inputs;
    const missing = inputs.filter((i) => !byName.has(i.name)).map((i) => i.name);
    if (missing.length > 0) {
      const more = missing.slice(1);
      const also = more.length ? `; also missing: ${more.slice(0, 8).map((m) => `'${m}'`).join(', ')}${more.length > 8 ? ', …' : ''}` : '';
      // a known alias or a near-miss name in the input: say which, and how to go on
      const inputNames = new Set(inputs.map((i) => i.name));
      const others = table.columns.map((c) => c.name).filter((n) => !inputNames.has(n));
      const hints = missing.map((m) => [m, suggestColumn(m, others)] as const).filter((h): h is readonly [string, string] => h[1] !== null);
      const hint = hints.length ? `; the input has ${hints.slice(0, 4).map(([m, s]) => `'${s}' (is it '${m}'? rename it)`).join(', ')}${hints.length > 4 ? ', …' : ''}` : '';
      throw nadirError('NADIR_ERR_MISSING_COLUMN', missing[0]!, `${source} (the model needs it${also}${hint}; ${opt('fillMissing')} scores without the missing columns, as missing values)`);
    }
    const empty = emptyRows(inputs.map((i) => byName.get(i.name)!), table.nRows);
    if (empty.count > 0) {
      const names = inputs.map((i) => i.name);
      const expected = names.length > 6 ? `${names.slice(0, 5).join(', ')}, … ${names.length} in all` : names.join(', ');
      const more = empty.count > 1 ? `; ${empty.count} records are like this` : '';
      throw nadirError('NADIR_ERR_BAD_VALUE', where(empty.first), `none of the model's input columns has a value (expected ${expected})${more}`);
    }
    for (const input of inputs) {
      const col = byName.get(input.name)!;
      if (input.kind !== 'numeric' || col.kind === 'numeric' || asNumeric(col)) continue;
      const bad = firstText(col);
      throw nadirError('NADIR_ERR_BAD_VALUE', bad ? where(bad.row) : source, `column '${input.name}' must be a number${bad ? `, got ${JSON.stringify(bad.value)}` : ''}`);
    }
  }

  /** Scores (probabilities, or [1 − s, s] for an anomaly score) and the decision policy's verdicts. */
  scoreMatrix(X: Matrix): Scores {
    const proba = classScores(this.learner, X);
    return { proba, pred: decide(this.body.decision, proba, this.classes.length), nRows: X.nRows };
  }

  score(data: Table | LoadedData, logger: Logger = silentLogger): Scores {
    if ('features' in data) return this.scoreMatrix(this.features(data.features, logger, data.source, (i) => rowName(data, i)));
    return this.scoreMatrix(this.features(data, logger));
  }
}

const TASKS: readonly string[] = ['binary', 'category', 'label'];

/** Rows where every one of `cols` is missing: how many, and the first. */
function emptyRows(cols: readonly Column[], nRows: number): { count: number; first: number } {
  if (cols.length === 0 || nRows === 0) return { count: 0, first: -1 };
  // one pass per column over the rows still without a value; a column with no missing value ends it
  const has = new Uint8Array(nRows);
  let left = nRows;
  for (const c of cols) {
    if (c.kind === 'numeric') {
      const v = c.values;
      for (let i = 0; i < nRows; i++) {
        if (has[i] === 0 && v[i] === v[i]) {
          has[i] = 1;
          left--;
        }
      }
    } else {
      const codes = c.codes;
      for (let i = 0; i < nRows; i++) {
        if (has[i] === 0 && codes[i]! >= 0) {
          has[i] = 1;
          left--;
        }
      }
    }
    if (left === 0) return { count: 0, first: -1 };
  }
  return { count: left, first: has.indexOf(0) };
}

/** The first row whose value is text (not a number, not missing), for an error message. */
function firstText(col: CategoricalColumn): { row: number; value: string } | null {
  const isText = col.dictionary.map((d) => parseCell(d).kind === 'text');
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i]!;
    if (c >= 0 && isText[c]) return { row: i, value: col.dictionary[c]! };
  }
  return null;
}
