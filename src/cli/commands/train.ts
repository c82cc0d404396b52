import type { Command } from 'commander';
import { basename } from 'node:path';
import type { ModelType } from '../../app/train.js';
import { MODEL_TYPES, train } from '../../app/train.js';
import type { TargetKind } from '../../data/types.js';
import { isNadirError, NadirError, nadirError } from '../../errors.js';
import type { Metrics } from '../../eval/types.js';
import { CollectingLogger } from '../../logger.js';
import { saveModelFile } from '../../model/artifact.js';
import { dropListFrom, loadOptionsFrom, withDataOptions, withDropOption } from '../data-options.js';
import { badOption, numberIn, parseNumber, positiveNumber, wholeNumber } from '../option-values.js';
import { checkOutputs, printJson, table } from '../output.js';
import { createProgress } from '../progress.js';
import { writeTrainingReport } from '../../reports/training-report.js';
import { carriedImportance } from '../../reports/training-report-charts.js';
import { scoreKind, type ScoreKind } from '../../reports/report-common.js';
import type { ModelBody } from '../../model/types.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerTrain(program: Command): void {
  withDropOption(
    withDataOptions(
      program
        .command('train')
        .description('train a detector: stratified cross-validation, a final fit, hold-out tests, a model file and a report')
        .requiredOption('-d, --data <file>', 'training data (CSV, .csv.gz, JSONL, Parquet)'),
    ),
  )
    .option('-t, --test <file>', 'hold-out test file (repeatable)', collect, [])
    .option('-m, --model <type>', `learner: ${MODEL_TYPES.join(' | ')}`, 'gbdt')
    .option('--target <kind>', 'binary (normal vs attack) | category | label', 'binary')
    .option('--cv <k>', 'folds of stratified cross-validation: 0 (none) or 2 to 50', '5')
    .option('-o, --out <file>', 'where to write the model', 'model.nadir')
    .option('--report <file>', 'write an HTML training report')
    .option('--threshold <t>', "binary target: decision threshold on P(attack) — a number from 0 to 1, 'auto' or 'f1' (default: 0.5; iforest: auto — see below)")
    .option('--max-fpr <rate>', "target false-positive rate of --threshold auto (and of the isolation forest's default threshold)", '0.01')
    .option('--trees <n>', 'trees / boosting rounds (default: gbdt 200, rf 100, iforest 100)')
    .option('--depth <n>', 'maximum tree depth (default: gbdt 6, at most 64; rf unlimited)')
    .option('--lr <rate>', 'gbdt learning rate, > 0 (default 0.1)')
    .option('--max-features <f>', "rf: features tried per split — 'sqrt' (default), 'log2', a fraction in (0, 1) or a count")
    .option('--c <C>', 'logreg: inverse L2 regularisation strength, > 0 (default 1; smaller = stronger)')
    .option('--seed <n>', 'random seed of folds, sampling and permutations', '0')
    .option('--threads <n>', 'worker threads for gbdt and rf, 1 to 256 (default: all cores; logreg and iforest use one)')
    .option('--permutation-repeats <n>', 'permutation-importance repeats (0 = skip)', '3')
    .option('--json', 'print one JSON document: { model, task, classes, cv, test, threshold, timings, … }')
    .addHelpText(
      'after',
      `
Decision threshold (binary target; category and label models predict their most
probable class, --threshold does not apply):
  not given  gbdt, rf, logreg: 0.5 — Attack when P(attack) ≥ 0.5.
             iforest: auto (its anomaly score is not a probability); with --cv 0
             there are no out-of-fold scores, so it is chosen the same way on the
             training rows' own scores, and a warning says so.
  <number>   a fixed threshold from 0 to 1.
  auto       the threshold with the highest recall whose false-positive rate on
             the out-of-fold (cross-validation) scores is ≤ --max-fpr; needs --cv 2+.
  f1         the threshold with the best F1 on the out-of-fold scores; needs --cv 2+.

Learner defaults (an option another model does not take is refused):
           --trees  --depth       --lr  --max-features  --c
  gbdt     200      6 (max 64)    0.1
  rf       100      unlimited           sqrt
  logreg                                                1
  iforest  100

Examples:
  nadir train --data data/nsl-kdd/KDDTrain+_20Percent.txt.gz --test data/nsl-kdd/KDDTest+.txt.gz
  nadir train -d train.csv --label Label --model rf --trees 200 --report report.html
  nadir train -d data/nsl-kdd/KDDTrain+_20Percent.txt.gz --target category --json`,
    )
    .action(async (o: Record<string, unknown>) => {
      const { model, target, cv, seed, threshold, maxFpr, permutationRepeats, learner } = trainOptions(o);
      const drop = dropListFrom(o);
      const out = String(o.out);
      const report = typeof o.report === 'string' ? o.report : undefined;
      checkOutputs(
        [['--out', out], ['--report', report]],
        [['--data', String(o.data)], ...(o.test as string[]).map((t) => ['--test', t] as const)],
      );
      const logger = new CollectingLogger();
      const bar = createProgress(!o.json && process.stderr.isTTY === true);
      let stage = '';
      const started = performance.now();
      const result = await train({
        data: String(o.data),
        tests: o.test as string[],
        model,
        target,
        cv,
        seed,
        learner,
        ...(threshold !== undefined ? { threshold } : {}),
        maxFpr,
        permutationRepeats,
        load: loadOptionsFrom(o),
        ...(drop ? { drop } : {}),
        command: ['nadir', ...process.argv.slice(2)].join(' '),
        logger,
        onProgress: (s, done, total) => {
          if (s !== stage) {
            stage = s;
            bar.start(s, total);
          }
          bar.update(done, total);
        },
      }).catch(withFlagNames);
      bar.stop();
      await saveModelFile(out, result.body);
      if (o.report) await writeTrainingReport(String(o.report), result);
      const totalSeconds = (performance.now() - started) / 1000;
      const score = scoreKind(result.body);
      const doc = {
        model: out,
        learner: model,
        task: target,
        classes: result.body.classes,
        threshold: result.body.threshold,
        ...(result.body.threshold !== null ? { score: scoreJson(score) } : {}),
        ...(result.cv ? { cv: contract(result.cv, score) } : {}),
        test: Object.fromEntries(result.tests.map((t) => [t.file, contract(t.metrics, score)])),
        importance: { gain: result.body.importance.gain?.slice(0, 15), permutation: result.body.importance.permutation?.slice(0, 15) },
        provenance: {
          note: 'sha256: of the file bytes as read (for a .gz file, the compressed bytes); contentSha256 (gzip files): of the decompressed content, what `zcat <file> | sha256sum` prints',
          data: result.body.provenance.data,
          tests: result.body.provenance.tests,
        },
        timings: { ...result.timings, totalSeconds },
        warnings: logger.warnings.map((w) => w.message),
        ...(o.report ? { report: String(o.report) } : {}),
      };
      if (o.json) return printJson(doc);
      for (const w of logger.warnings) process.stderr.write(`warning: ${w.message}\n`);
      const rows: Array<Array<string | number>> = [];
      const line = (name: string, m: Metrics): void => {
        rows.push([name, m.n, f4(m.accuracy), f4(m.precision), f4(m.recall), f4(m.f1), m.rocAuc === null ? '—' : f4(m.rocAuc), m.fpr === undefined || m.fpr === null ? '—' : f4(m.fpr)]);
      };
      if (result.cv) line(`${o.cv}-fold CV (out-of-fold)`, result.cv);
      for (const t of result.tests) line(`test ${basename(t.file)}`, t.metrics);
      process.stdout.write(`trained ${model} on ${result.train.rows.toLocaleString('en-US')} rows (${target}: ${result.body.classes.join(', ')}) in ${totalSeconds.toFixed(1)} s\n`);
      if (result.body.threshold !== null) process.stdout.write(`${thresholdLine(score, result.body.threshold, result.body.thresholdInfo?.method ?? 'fixed')}\n`);
      if (rows.length) {
        process.stdout.write(`\n${table(rows, ['evaluation', 'rows', 'accuracy', 'precision', 'recall', 'f1', 'roc-auc', 'fpr'])}\n`);
        const binary = result.body.threshold !== null;
        process.stdout.write(
          binary
            ? `(precision, recall, f1 of class ${result.body.classes[1]} at the threshold; fpr: share of ${result.body.classes[0]} rows flagged)\n`
            : '(precision, recall, f1: macro averages over the classes; roc-auc one-vs-rest)\n',
        );
      }
      const important = importanceLine(result.body.importance, target === 'binary' ? 'ROC-AUC' : 'accuracy', (o.test as string[])[0]);
      if (important) process.stdout.write(`\n${important}\n`);
      process.stdout.write(`\nmodel written to ${out}${o.report ? `, report to ${String(o.report)}` : ''}\n`);
    });
}

/**
 * The text output's importance line: the columns that carried importance (> 0), most important
 * first, with their values — permutation importance when it was measured (what the model needs on
 * held-out rows), else the share of split gain. A column with zero importance is not listed, so a
 * run where one column decides everything says so instead of naming the rest in file order.
 * Empty when the model has neither measure.
 */
export function importanceLine(importance: ModelBody['importance'], scoreName: string, testFile?: string): string {
  const { permutation, gain } = importance;
  const entries = permutation ?? gain;
  if (!entries || !entries.length) return '';
  const where = testFile !== undefined ? basename(testFile) : 'the training data';
  const what = permutation ? `permutation importance: drop in ${scoreName} when shuffled, on ${where}` : 'share of split gain';
  const carried = carriedImportance(entries);
  if (!carried.length) return `most important (${what}): no column carried importance`;
  let total = 0;
  for (const e of carried) total += e.importance;
  const value = (x: number): string => (permutation ? x.toFixed(4) : `${((100 * x) / total).toFixed(1)}%`);
  const shown = carried.slice(0, 5).map((e) => `${e.feature} ${value(e.importance)}`);
  const rest = carried.length - shown.length;
  const none = entries.length - carried.length;
  const tail = [...(rest > 0 ? [`${rest} more`] : []), ...(none > 0 ? [`${none} of ${entries.length} columns carried none`] : [])];
  return `most important (${what}): ${shown.join(', ')}${tail.length ? ` (${tail.join('; ')})` : ''}`;
}

/**
 * The `--json` contract's Metrics: { accuracy, precision, recall, f1, rocAuc, confusionMatrix } plus
 * the rest. For an anomaly score (isolation forest) `logLoss` is null: it is defined on
 * probabilities, and the score is not one (the document's `score` says so).
 */
export function contract(m: Metrics, score?: ScoreKind): Record<string, unknown> {
  const { curves: _c, ...rest } = m;
  return score && !score.probability ? { ...rest, logLoss: null } : rest;
}

/** The `score` entry of a binary model's JSON: what the threshold is applied to. */
export function scoreJson(score: ScoreKind): Record<string, unknown> {
  return score.probability
    ? { kind: 'probability', name: score.name }
    : { kind: 'anomaly-score', name: score.name, note: `${score.note}; the threshold applies to it, and logLoss is null (not meaningful)` };
}

/** The text output's threshold line, naming what it is applied to. */
export function thresholdLine(score: ScoreKind, threshold: number, method: string): string {
  return score.probability
    ? `decision threshold on ${score.name}: ${threshold.toFixed(4)} (${method})`
    : `decision threshold on the anomaly score s(x): ${threshold.toFixed(4)} (${method}) — ${score.note}`;
}

const TARGETS: TargetKind[] = ['binary', 'category', 'label'];

export interface TrainCliOptions {
  model: ModelType;
  target: TargetKind;
  cv: number;
  seed: number;
  threshold: number | 'auto' | 'f1' | undefined;
  maxFpr: number;
  permutationRepeats: number;
  learner: Record<string, unknown>;
}

/**
 * Every train option checked before anything is loaded, with the flag names the user typed.
 * The ranges are the learners' own (src/learners/*.ts resolve()), so a learner never sees a
 * value it would refuse under its internal option name.
 */
export function trainOptions(o: Record<string, unknown>): TrainCliOptions {
  const model = String(o.model) as ModelType;
  if (!MODEL_TYPES.includes(model)) throw badOption('--model', `one of ${MODEL_TYPES.join(', ')}`, o.model);
  const target = String(o.target) as TargetKind;
  if (!TARGETS.includes(target)) throw badOption('--target', `one of ${TARGETS.join(', ')}`, o.target);
  const cv = parseNumber(o.cv);
  // stratifiedKFold needs at least 2 folds; app/train.ts caps K at 50
  if (!(Number.isInteger(cv) && (cv === 0 || (cv >= 2 && cv <= 50)))) throw badOption('--cv', '0 (no cross-validation) or a whole number of folds from 2 to 50', o.cv);
  let threshold: TrainCliOptions['threshold'];
  if (o.threshold !== undefined) {
    if (target !== 'binary') throw nadirError('NADIR_ERR_BAD_OPTION', '--threshold', `applies to --target binary only (a ${target} model predicts its most probable class)`);
    const t = String(o.threshold);
    if (t === 'auto' || t === 'f1') {
      if (cv < 2) throw nadirError('NADIR_ERR_BAD_OPTION', '--threshold', `'${t}' is chosen from out-of-fold scores: it needs --cv 2 or more`);
      threshold = t;
    } else {
      threshold = parseNumber(t);
      if (!(threshold >= 0 && threshold <= 1)) throw badOption('--threshold', "a probability from 0 to 1, 'auto' or 'f1'", t);
    }
  }
  return {
    model,
    target,
    cv,
    seed: wholeNumber(o.seed, '--seed', 0, 0xffffffff),
    threshold,
    maxFpr: numberIn(o.maxFpr, '--max-fpr', 0, 1),
    permutationRepeats: wholeNumber(o.permutationRepeats, '--permutation-repeats', 0),
    learner: learnerOptions(model, o),
  };
}

/** CLI defaults that differ from the learners' own (gbdt: 200 rounds instead of 100). */
const LEARNER_DEFAULTS: Record<ModelType, Record<string, unknown>> = {
  gbdt: { nEstimators: 200, maxDepth: 6, learningRate: 0.1 },
  rf: { nEstimators: 100 },
  logreg: {},
  iforest: { nEstimators: 100 },
};

function learnerOptions(model: ModelType, o: Record<string, unknown>): Record<string, unknown> {
  const opts: Record<string, unknown> = { ...LEARNER_DEFAULTS[model] };
  const allow = (flag: string, key: string, ok: boolean): void => {
    if (o[key] !== undefined && !ok) throw nadirError('NADIR_ERR_BAD_OPTION', flag, `does not apply to --model ${model}`);
  };
  allow('--trees', 'trees', model !== 'logreg');
  allow('--depth', 'depth', model === 'gbdt' || model === 'rf');
  allow('--lr', 'lr', model === 'gbdt');
  allow('--max-features', 'maxFeatures', model === 'rf');
  allow('--c', 'c', model === 'logreg');
  if (o.trees !== undefined) opts.nEstimators = wholeNumber(o.trees, '--trees', 1);
  // gbdt: depth 1..64 (the grower's limit); rf: any depth ≥ 1 (default unlimited)
  if (o.depth !== undefined) opts.maxDepth = model === 'gbdt' ? wholeNumber(o.depth, '--depth', 1, 64) : wholeNumber(o.depth, '--depth', 1);
  if (o.lr !== undefined) opts.learningRate = positiveNumber(o.lr, '--lr', 'typically 0.01 to 0.3');
  if (o.maxFeatures !== undefined) opts.maxFeatures = maxFeaturesOption(o.maxFeatures);
  if (o.c !== undefined) opts.C = positiveNumber(o.c, '--c', 'smaller = stronger regularisation');
  // logistic regression is single-threaded: --threads is checked but has nothing to set
  if (o.threads !== undefined) {
    const n = wholeNumber(o.threads, '--threads', 1, 256);
    if (model !== 'logreg') opts.nThreads = n;
  }
  return opts;
}

/** The random forest's maxFeatures: 'sqrt', 'log2', a fraction in (0, 1) or a whole number of features. */
function maxFeaturesOption(v: unknown): 'sqrt' | 'log2' | number {
  const s = String(v).trim();
  if (s === 'sqrt' || s === 'log2') return s;
  const n = parseNumber(s);
  if ((n > 0 && n < 1) || (Number.isInteger(n) && n >= 1)) return n;
  throw badOption('--max-features', "'sqrt', 'log2', a fraction in (0, 1) or a whole number of features ≥ 1", v);
}

/** Learner and evaluation option names that could reach a message → the flags that set them. */
const FLAG_OF: Record<string, string> = {
  nEstimators: '--trees',
  nTrees: '--trees',
  nRounds: '--trees',
  maxDepth: '--depth',
  learningRate: '--lr',
  maxFeatures: '--max-features',
  C: '--c',
  nThreads: '--threads',
  seed: '--seed',
  nRepeats: '--permutation-repeats',
  threshold: '--threshold',
  'max-fpr': '--max-fpr',
  maxFpr: '--max-fpr',
};

/** Safety net: an option error raised inside training names the CLI flag, not the library option. */
export function withFlagNames(e: unknown): never {
  if (isNadirError(e) && e.code === 'NADIR_ERR_BAD_OPTION') {
    const m = /^invalid option ([^\s:]+)(:[\s\S]*)$/.exec(e.message);
    const flag = m ? FLAG_OF[m[1]!] : undefined;
    if (m && flag) throw new NadirError(e.code, `invalid option ${flag}${m[2]}`, { cause: e });
  }
  throw e;
}

function f4(x: number): string {
  return x.toFixed(4);
}
