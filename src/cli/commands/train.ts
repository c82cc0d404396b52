import type { Command } from 'commander';
import { basename } from 'node:path';
import { train } from '../../app/train.js';
import { resolveTrainOptions, TRAIN_PARAMS, type ResolvedTrain, type TrainChoices } from '../../app/train-options.js';
import type { TargetKind } from '../../data/types.js';
import type { Metrics } from '../../eval/types.js';
import { LEARNER_SPECS, LEARNER_TYPES } from '../../learners/registry.js';
import { describeParam, findParam, paramDefault } from '../../learners/spec.js';
import { CollectingLogger } from '../../logger.js';
import { saveModelFile } from '../../model/artifact.js';
import { dropListFrom, loadOptionsFrom, withDataOptions, withDropOption } from '../data-options.js';
import { flagOf, keyOf, LEARNER_FLAGS, warningText, withFlagNames } from '../flags.js';
import { typedValue } from '../option-values.js';
import { checkOutputs, printJson, table } from '../output.js';
import { createProgress, stagesOn } from '../progress.js';
import { writeTrainingReport } from '../../reports/training-report.js';
import { balancedAccuracy, cvJson, f4, hybridLines, hybridThresholdLine, importanceLine, scoreJson, testJson, thresholdLine } from '../summary.js';
import { scoreKind } from '../../reports/report-common.js';
import { thresholdOf, thresholdInfoOf } from '../../model/decision.js';

export { withFlagNames };

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerTrain(program: Command): void {
  const cmd = withDropOption(
    withDataOptions(
      program
        .command('train')
        .description('train a detector: stratified cross-validation, a final fit, hold-out tests, a model file and a report')
        .requiredOption('-d, --data <file>', 'training data (CSV, .csv.gz, JSONL, Parquet)'),
    ),
  );
  cmd
    .option('-t, --test <file>', 'hold-out test file (repeatable)', collect, [])
    .option('-m, --model <type>', `learner: ${LEARNER_TYPES.join(' | ')}`, 'gbdt')
    .option('--target <kind>', TRAIN_PARAMS.target.help, 'binary')
    .option('--cv <k>', TRAIN_PARAMS.cv.help, String(TRAIN_PARAMS.cv.default))
    .option('-o, --out <file>', 'where to write the model', 'model.nadir')
    .option('--report <file>', 'write an HTML training report')
    .option('--threshold <t>', "binary target: decision threshold on P(attack) — a number from 0 to 1, 'auto' or 'f1' (default: 0.5; iforest: auto — see below)")
    .option('--max-fpr <rate>', `target false-positive rate of --threshold auto (and of the isolation forest's default threshold; default ${TRAIN_PARAMS.maxFpr.default}); hybrid: the share of normal training rows its anomaly part may flag, out-of-fold (default 0.02)`);
  for (const f of LEARNER_FLAGS) cmd.option(`${flagOf(f.option)} ${f.value}`, `${f.label ?? learnerHelp(f.option)} (default: ${learnerDefaults(f.option)})`);
  cmd
    .option('--seed <n>', TRAIN_PARAMS.seed.help, String(TRAIN_PARAMS.seed.default))
    .option('--threads <n>', `worker threads, 1 to 256 (default: all cores), for ${LEARNER_SPECS.filter((l) => findParam(l, 'nThreads')?.defaultText === 'all cores').map((l) => l.type).join(' and ')}`)
    .option('--permutation-repeats <n>', TRAIN_PARAMS.permutationRepeats.help, String(TRAIN_PARAMS.permutationRepeats.default))
    .option('--max-categories <n>', TRAIN_PARAMS.maxCategories.help, String(TRAIN_PARAMS.maxCategories.default))
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
             hybrid: 0.5 on its combined score, i.e. either part fires: the
             supervised P(attack) ≥ 0.5, or the distance to normal traffic ≥ a
             threshold that flags at most --max-fpr (default 0.05) of the normal
             training rows out-of-fold (docs/hybrid.md).
  <number>   a fixed threshold from 0 to 1.
  auto       the threshold with the highest recall whose false-positive rate on
             the out-of-fold (cross-validation) scores is ≤ --max-fpr; needs --cv 2+.
  f1         the threshold with the best F1 on the out-of-fold scores; needs --cv 2+.

${learnerDefaultsTable()}

Examples:
  nadir train --data data/nsl-kdd/KDDTrain+_20Percent.txt.gz --test data/nsl-kdd/KDDTest+.txt.gz
  nadir train -d train.csv --label Label --model rf --trees 200 --report report.html
  nadir train -d data/nsl-kdd/KDDTrain+_20Percent.txt.gz --target category --json`,
    )
    .action(async (o: Record<string, unknown>) => {
      const choices = trainChoices(o);
      const { model, target } = trainOptions(o);
      const drop = dropListFrom(o);
      const out = String(o.out);
      const report = typeof o.report === 'string' ? o.report : undefined;
      checkOutputs(
        [['--out', out], ['--report', report]],
        [['--data', String(o.data)], ...(o.test as string[]).map((t) => ['--test', t] as const)],
      );
      const logger = new CollectingLogger();
      const bar = createProgress(!o.json && process.stderr.isTTY === true);
      const started = performance.now();
      const result = await train({
        data: String(o.data),
        tests: o.test as string[],
        ...choices,
        load: loadOptionsFrom(o),
        ...(drop ? { drop } : {}),
        command: ['nadir', ...process.argv.slice(2)].join(' '),
        logger,
        onProgress: stagesOn(bar),
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
        threshold: thresholdOf(result.body),
        ...(thresholdInfoOf(result.body)?.parts ? { thresholds: thresholdInfoOf(result.body)!.parts } : {}),
        ...(thresholdOf(result.body) !== null ? { score: scoreJson(score) } : {}),
        ...(result.cv ? { cv: cvJson(result.cv, result.body, score) } : {}),
        ...(result.unlabelled ? { unlabelled: result.unlabelled } : {}),
        test: Object.fromEntries(result.tests.map((t) => [t.file, testJson(t, score)])),
        importance: { gain: result.body.importance.gain?.slice(0, 15), permutation: result.body.importance.permutation?.slice(0, 15) },
        provenance: {
          note: 'sha256: of the file bytes as read (for a .gz file, the compressed bytes); contentSha256 (gzip files): of the decompressed content, what `zcat <file> | sha256sum` prints',
          data: result.body.provenance.data,
          tests: result.body.provenance.tests,
        },
        timings: { ...result.timings, totalSeconds },
        warnings: logger.warnings.map(warningText),
        ...(o.report ? { report: String(o.report) } : {}),
      };
      if (o.json) return printJson(doc);
      for (const w of logger.warnings) process.stderr.write(`warning: ${warningText(w)}\n`);
      const rows: Array<Array<string | number>> = [];
      const line = (name: string, m: Metrics): void => {
        rows.push([name, m.n, f4(m.accuracy), f4(m.precision), f4(m.recall), f4(m.f1), f4(m.rocAuc), f4(m.fpr), f4(balancedAccuracy(m))]);
      };
      if (result.cv) line(`${o.cv}-fold CV (out-of-fold)`, result.cv);
      for (const t of result.tests) line(`test ${basename(t.file)}`, t.metrics);
      const extra = result.tests.flatMap((t) => hybridLines(basename(t.file), t.hybrid, t.unseenDetection));
      process.stdout.write(`trained ${model} on ${result.train.rows.toLocaleString('en-US')} rows (${target}: ${result.body.classes.join(', ')}) in ${totalSeconds.toFixed(1)} s\n`);
      if (thresholdOf(result.body) !== null) process.stdout.write(`${thresholdLine(score, thresholdOf(result.body)!, thresholdInfoOf(result.body)?.method ?? 'fixed')}\n`);
      const u = result.unlabelled;
      if (u) {
        const how = u.outOfFold ? `out-of-fold: ${o.cv}-fold CV, each row scored by a model that did not see it` : 'in-sample';
        process.stdout.write(`unlabelled data: all rows taken as normal traffic; at the threshold the model flags ${u.flagged.toLocaleString('en-US')} of ${u.rows.toLocaleString('en-US')} rows (${(100 * u.share).toFixed(2)}%, ${how})\n`);
      }
      const hybridLine = hybridThresholdLine(result.body);
      if (hybridLine) process.stdout.write(`${hybridLine}\n`);
      if (rows.length) {
        process.stdout.write(`\n${table(rows, ['evaluation', 'rows', 'accuracy', 'precision', 'recall', 'f1', 'roc-auc', 'fpr', 'bal. acc.'])}\n`);
        const binary = thresholdOf(result.body) !== null;
        process.stdout.write(
          binary
            ? `(precision, recall, f1 of class ${result.body.classes[1]} at the threshold — recall is the detection rate; fpr: share of ${result.body.classes[0]} rows flagged; bal. acc.: (recall + 1 − fpr) / 2)\n`
            : '(precision, recall, f1: macro averages over the classes; roc-auc one-vs-rest)\n',
        );
      }
      if (extra.length) process.stdout.write(`\n${extra.join('\n')}\n`);
      const important = importanceLine(result.body.importance, target === 'binary' ? 'ROC-AUC' : 'accuracy', (o.test as string[])[0]);
      if (important) process.stdout.write(`\n${important}\n`);
      process.stdout.write(`\nmodel written to ${out}${o.report ? `, report to ${String(o.report)}` : ''}\n`);
    });
}

export interface TrainCliOptions {
  model: string;
  target: TargetKind;
  cv: number;
  seed: number;
  threshold: ResolvedTrain['threshold'];
  maxFpr: number;
  permutationRepeats: number;
  /** Options handed to the learner (seed and threads included where it takes them). */
  learner: Record<string, unknown>;
}

/** The `train` flags as typed → the use case's named options (numbers parsed; words and unparseable text passed on for the use case to judge). */
export function trainChoices(o: Record<string, unknown>): TrainChoices {
  const value = typedValue;
  const learner: Record<string, unknown> = {};
  for (const { option } of LEARNER_FLAGS) {
    const v = o[keyOf(flagOf(option))];
    if (v !== undefined) learner[option] = value(v);
  }
  const choices: TrainChoices = {
    model: String(o.model),
    target: String(o.target) as TargetKind,
    cv: value(o.cv) as number,
    seed: value(o.seed) as number,
    ...(o.maxFpr !== undefined ? { maxFpr: value(o.maxFpr) as number } : {}),
    permutationRepeats: value(o.permutationRepeats) as number,
    learner,
  };
  if (o.maxCategories !== undefined) choices.maxCategories = value(o.maxCategories) as number;
  if (o.threshold !== undefined) choices.threshold = value(o.threshold) as number;
  if (o.threads !== undefined) choices.threads = value(o.threads) as number;
  return choices;
}

/**
 * Every train option checked before anything is loaded — by the use case (train-options.ts) and
 * the learner's spec — with the messages naming the flags the user typed.
 */
export function trainOptions(o: Record<string, unknown>): TrainCliOptions {
  let r: ResolvedTrain;
  try {
    r = resolveTrainOptions(trainChoices(o));
  } catch (e) {
    withFlagNames(e);
  }
  return { model: r.model, target: r.target, cv: r.cv, seed: r.seed, threshold: r.threshold, maxFpr: r.maxFpr, permutationRepeats: r.permutationRepeats, learner: r.learner };
}

/** What an option does and takes, per learner that has it (from the specs): "rf: features tried per split, 'sqrt', …". */
function learnerHelp(option: string): string {
  const takers = LEARNER_SPECS.filter((l) => findParam(l, option));
  return takers.map((l) => {
    const p = findParam(l, option)!;
    return `${l.type}: ${p.help}, ${describeParam(p)}`;
  }).join('; ');
}

/** Each learner's default for an option, from the specs: "gbdt 200, rf 100, iforest 100". */
function learnerDefaults(option: string): string {
  return LEARNER_SPECS.filter((l) => findParam(l, option)).map((l) => `${l.type} ${defaultText(findParam(l, option)!)}`).join(', ');
}

/** The help's table of learner defaults, one row per learner, one column per learner flag. */
function learnerDefaultsTable(): string {
  const head = ['', ...LEARNER_FLAGS.map((f) => flagOf(f.option))];
  const rows = LEARNER_SPECS.map((l) => [l.type, ...LEARNER_FLAGS.map((f) => {
    const p = findParam(l, f.option);
    return p ? defaultText(p) : '';
  })]);
  const lines = table(rows, head).split('\n');
  lines.splice(1, 1); // no rule under the header
  return ['Learner defaults (an option another model does not take is refused):', ...lines.map((x) => `  ${x}`)].join('\n');
}

function defaultText(p: Parameters<typeof paramDefault>[0]): string {
  const d = paramDefault(p);
  const text = p.defaultText ?? (d === undefined ? '' : String(d));
  return p.type === 'integer' && p.max !== undefined ? `${text} (max ${p.max})` : text;
}

