import type { Command } from 'commander';
import { basename } from 'node:path';
import type { ModelType } from '../../app/train.js';
import { MODEL_TYPES, train } from '../../app/train.js';
import type { TargetKind } from '../../data/types.js';
import { nadirError } from '../../errors.js';
import type { Metrics } from '../../eval/types.js';
import { CollectingLogger } from '../../logger.js';
import { saveModelFile } from '../../model/artifact.js';
import { loadOptionsFrom, withDataOptions } from '../data-options.js';
import { checkOutputs, printJson, table } from '../output.js';
import { createProgress } from '../progress.js';
import { writeTrainingReport } from '../../app/training-report.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerTrain(program: Command): void {
  withDataOptions(
    program
      .command('train')
      .description('train a detector: stratified cross-validation, a final fit, hold-out tests, a model file and a report')
      .requiredOption('-d, --data <file>', 'training data (CSV, .csv.gz, JSONL, Parquet)'),
  )
    .option('-t, --test <file>', 'hold-out test file (repeatable)', collect, [])
    .option('-m, --model <type>', `learner: ${MODEL_TYPES.join(' | ')}`, 'gbdt')
    .option('--target <kind>', 'binary (normal vs attack) | category | label', 'binary')
    .option('--cv <k>', 'folds of stratified cross-validation (0 = none)', '5')
    .option('-o, --out <file>', 'where to write the model', 'model.nadir')
    .option('--report <file>', 'write an HTML training report')
    .option('--threshold <t>', "binary decision threshold on P(attack): a number, 'auto' (false-positive rate ≤ --max-fpr on out-of-fold scores) or 'f1'")
    .option('--max-fpr <rate>', "target false-positive rate for --threshold auto", '0.01')
    .option('--trees <n>', 'trees / boosting rounds (gbdt 200, rf 100, iforest 100)')
    .option('--depth <n>', 'maximum tree depth (gbdt 6, rf unlimited)')
    .option('--lr <rate>', 'learning rate (gbdt, default 0.1)')
    .option('--max-features <f>', "features tried per split (rf: 'sqrt' or a fraction)")
    .option('--c <C>', 'inverse L2 regularisation strength (logreg, default 1)')
    .option('--seed <n>', 'random seed', '0')
    .option('--threads <n>', 'worker threads (default: all cores)')
    .option('--permutation-repeats <n>', 'permutation-importance repeats (0 = skip)', '3')
    .option('--json', 'print one JSON document: { model, task, classes, cv, test, threshold, timings, … }')
    .addHelpText(
      'after',
      `
Examples:
  nadir train --data data/nsl-kdd/KDDTrain+_20Percent.txt.gz --test data/nsl-kdd/KDDTest+.txt.gz
  nadir train -d train.csv --label Label --model rf --trees 200 --report report.html
  nadir train -d data/nsl-kdd/KDDTrain+_20Percent.txt.gz --target category --json`,
    )
    .action(async (o: Record<string, unknown>) => {
      const model = String(o.model) as ModelType;
      if (!MODEL_TYPES.includes(model)) throw nadirError('NADIR_ERR_BAD_OPTION', '--model', `expected one of ${MODEL_TYPES.join(', ')}, got '${model}'`);
      const target = String(o.target) as TargetKind;
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
        cv: int(o.cv, '--cv', 0),
        seed: int(o.seed, '--seed', 0),
        learner: learnerOptions(model, o),
        ...(o.threshold !== undefined ? { threshold: thresholdOption(String(o.threshold)) } : {}),
        maxFpr: num(o.maxFpr, '--max-fpr', 0, 1),
        permutationRepeats: int(o.permutationRepeats, '--permutation-repeats', 0),
        load: loadOptionsFrom(o),
        command: ['nadir', ...process.argv.slice(2)].join(' '),
        logger,
        onProgress: (s, done, total) => {
          if (s !== stage) {
            stage = s;
            bar.start(s, total);
          }
          bar.update(done, total);
        },
      });
      bar.stop();
      await saveModelFile(out, result.body);
      if (o.report) await writeTrainingReport(String(o.report), result);
      const totalSeconds = (performance.now() - started) / 1000;
      const doc = {
        model: out,
        learner: model,
        task: target,
        classes: result.body.classes,
        threshold: result.body.threshold,
        ...(result.cv ? { cv: contract(result.cv) } : {}),
        test: Object.fromEntries(result.tests.map((t) => [t.file, contract(t.metrics)])),
        importance: { gain: result.body.importance.gain?.slice(0, 15), permutation: result.body.importance.permutation?.slice(0, 15) },
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
      if (result.body.threshold !== null) process.stdout.write(`decision threshold on P(attack): ${result.body.threshold.toFixed(4)} (${result.body.thresholdInfo?.method ?? 'fixed'})\n`);
      if (rows.length) process.stdout.write(`\n${table(rows, ['evaluation', 'rows', 'accuracy', 'precision', 'recall', 'f1', 'roc-auc', 'fpr'])}\n`);
      const top = (result.body.importance.permutation ?? result.body.importance.gain ?? []).slice(0, 5);
      if (top.length) process.stdout.write(`\nmost important: ${top.map((t) => t.feature).join(', ')}\n`);
      process.stdout.write(`\nmodel written to ${out}${o.report ? `, report to ${String(o.report)}` : ''}\n`);
    });
}

/** The `--json` contract's Metrics: { accuracy, precision, recall, f1, rocAuc, confusionMatrix } plus the rest. */
export function contract(m: Metrics): Record<string, unknown> {
  const { curves: _c, ...rest } = m;
  return rest;
}

function learnerOptions(model: ModelType, o: Record<string, unknown>): Record<string, unknown> {
  const opts: Record<string, unknown> = {};
  const defaults: Record<ModelType, Record<string, unknown>> = {
    gbdt: { nEstimators: 200, maxDepth: 6, learningRate: 0.1 },
    rf: { nEstimators: 100 },
    logreg: {},
    iforest: { nEstimators: 100 },
  };
  Object.assign(opts, defaults[model]);
  const allow = (flag: string, ok: boolean): void => {
    if (o[flag] !== undefined && !ok) throw nadirError('NADIR_ERR_BAD_OPTION', `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, `does not apply to --model ${model}`);
  };
  allow('trees', model !== 'logreg');
  allow('depth', model === 'gbdt' || model === 'rf');
  allow('lr', model === 'gbdt');
  allow('maxFeatures', model === 'rf');
  allow('c', model === 'logreg');
  if (o.trees !== undefined) opts.nEstimators = int(o.trees, '--trees', 1);
  if (o.depth !== undefined) opts.maxDepth = int(o.depth, '--depth', 1);
  if (o.lr !== undefined) opts.learningRate = num(o.lr, '--lr', 0, 10);
  if (o.maxFeatures !== undefined) opts.maxFeatures = o.maxFeatures === 'sqrt' || o.maxFeatures === 'log2' ? o.maxFeatures : num(o.maxFeatures, '--max-features', 0, 1e9);
  if (o.c !== undefined) opts.C = num(o.c, '--c', 0, Infinity);
  if (o.threads !== undefined && model !== 'logreg') opts.nThreads = int(o.threads, '--threads', 1);
  return opts;
}

function thresholdOption(s: string): number | 'auto' | 'f1' {
  if (s === 'auto' || s === 'f1') return s;
  return num(s, '--threshold', 0, 1);
}

export function int(v: unknown, name: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw nadirError('NADIR_ERR_BAD_OPTION', name, `expected a whole number ≥ ${min}, got '${String(v)}'`);
  return n;
}

export function num(v: unknown, name: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw nadirError('NADIR_ERR_BAD_OPTION', name, `expected a number between ${min} and ${max}, got '${String(v)}'`);
  return n;
}

function f4(x: number): string {
  return x.toFixed(4);
}
