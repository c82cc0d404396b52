import type { Command } from 'commander';
import { writeEvaluationReport } from '../../reports/evaluation-report.js';
import { evaluate } from '../../app/evaluate.js';
import { CollectingLogger } from '../../logger.js';
import { Detector } from '../../model/detector.js';
import type { Metrics } from '../../eval/types.js';
import { dropListFrom, loadOptionsFrom, withDataOptions } from '../data-options.js';
import { checkOutputs, printJson, table } from '../output.js';
import { predictedCount, scoreKind, type ScoreKind } from '../../reports/report-common.js';
import { balancedAccuracy, contract, f4, hybridJson, hybridLines, hybridThresholdLine, scoreJson } from '../summary.js';
import { warningText, withFlagNames } from '../flags.js';
import { nadirError } from '../../errors.js';
import { unknownAttacks } from '../../app/unknown-attacks.js';
import { createProgress, stagesOn } from '../progress.js';
import { thresholdInfoOf, thresholdOf } from '../../model/decision.js';
import { basename } from 'node:path';

export function registerEvaluate(program: Command): void {
  withDataOptions(
    program
      .command('evaluate')
      .description('score a labelled dataset with a saved model and report its metrics; or, with --unknown, measure how unknown attacks are detected')
      .option('-M, --model <file>', 'model file written by nadir train (not with --unknown)')
      .requiredOption('-d, --data <file>', 'labelled data (CSV, .csv.gz, JSONL, Parquet); with --unknown: the training data'),
  )
    .option('--unknown <names>', "remove these attack categories or labels (comma-separated) from --data, train gbdt and hybrid, and report on --test how many of them are still detected; 'each': every category in turn")
    .option('-t, --test <file>', 'with --unknown: the test file (default: a stratified 30% of --data held out)')
    .option('--seed <n>', 'with --unknown: random seed', '0')
    .option('--drop <columns>', 'with --unknown: comma-separated input columns to leave out of training (identifiers)')
    .option('--json', "print the Metrics as one JSON document (a class no row was predicted as has precision 0, as scikit-learn's zero_division=0)")
    .option('--fill-missing', "evaluate on a file that lacks some of the model's input columns, scored as missing values (never done unless asked)")
    .option('--report <file>', 'write an HTML evaluation report (model card, metrics vs training CV, confusion matrix, ROC/PR curves)')
    .addHelpText('after', '\nExamples:\n  nadir evaluate --model model.nadir --data data/nsl-kdd/KDDTest-21.txt.gz\n  nadir evaluate -M model.nadir -d data/nsl-kdd/KDDTest+.txt.gz --report evaluation.html')
    .action(async (o: Record<string, unknown>) => {
      if (o.unknown !== undefined) return unknownCommand(o);
      if (o.model === undefined) throw nadirError('NADIR_ERR_BAD_OPTION', '--model', 'is required (the model file to evaluate), unless --unknown is given');
      const report = typeof o.report === 'string' ? o.report : undefined;
      checkOutputs([['--report', report]], [['--model', String(o.model)], ['--data', String(o.data)]]);
      const detector = await Detector.load(String(o.model));
      const logger = new CollectingLogger();
      const { evaluation: r, dataset: ds, checksums, timings } = await evaluate(detector, String(o.data), { load: loadOptionsFrom(o), logger, fillMissing: o.fillMissing === true });
      if (o.report) {
        await writeEvaluationReport(String(o.report), {
          body: detector.body,
          modelFile: String(o.model),
          dataFile: String(o.data),
          evaluation: r,
          dataset: ds,
          dataSha256: checksums!.sha256,
          ...(checksums!.contentSha256 !== undefined ? { dataContentSha256: checksums!.contentSha256 } : {}),
          warnings: logger.warnings,
          command: ['nadir', ...process.argv.slice(2)].join(' '),
          timings: { load: timings.loadSeconds, score: timings.scoreSeconds },
        });
      }
      const score = scoreKind(detector.body);
      const parts = thresholdInfoOf(detector.body)?.parts;
      if (o.json) return printJson({ ...contract(r.metrics, score), ...(thresholdOf(detector.body) !== null ? { score: scoreJson(score) } : {}), ...(parts ? { thresholds: parts } : {}), ...hybridJson(r.hybrid, r.unseen), skipped: r.skipped, warnings: logger.warnings.map(warningText), ...(o.report ? { report: String(o.report) } : {}) });
      for (const w of logger.warnings) process.stderr.write(`warning: ${warningText(w)}\n`);
      process.stdout.write(`${metricsText(String(o.data), detector.body.task, r.metrics, r.skipped, score)}\n`);
      const extra = [hybridThresholdLine(detector.body), ...hybridLines(basename(String(o.data)), r.hybrid, r.unseen)].filter((x) => x !== '');
      if (extra.length) process.stdout.write(`\n${extra.join('\n')}\n`);
      if (o.report) process.stdout.write(`\nreport written to ${String(o.report)}\n`);
    });
}


/** `nadir evaluate --unknown …`: the unknown-attack table, gbdt and hybrid side by side. */
async function unknownCommand(o: Record<string, unknown>): Promise<void> {
  if (o.model !== undefined) throw nadirError('NADIR_ERR_BAD_OPTION', '--model', 'does not go with --unknown: it trains its own models (gbdt and hybrid) on --data');
  const names = String(o.unknown).trim();
  const unknown = names === 'each' ? 'each' : names.split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (unknown !== 'each' && unknown.length === 0) throw nadirError('NADIR_ERR_BAD_OPTION', '--unknown', "expected category or label names (comma-separated) or 'each'");
  const seed = Number(o.seed);
  if (!Number.isInteger(seed) || seed < 0) throw nadirError('NADIR_ERR_BAD_OPTION', '--seed', `expected a whole number ≥ 0, got '${String(o.seed)}'`);
  const bar = createProgress(!o.json && process.stderr.isTTY === true);
  const logger = new CollectingLogger();
  const r = await unknownAttacks({
    data: String(o.data),
    ...(o.test !== undefined ? { test: String(o.test) } : {}),
    unknown,
    seed,
    ...(dropListFrom(o) ? { drop: dropListFrom(o)! } : {}),
    load: loadOptionsFrom(o),
    logger,
    onProgress: stagesOn(bar),
  }).catch(withFlagNames);
  bar.stop();
  if (o.json) return printJson({ ...r, warnings: logger.warnings.map(warningText) });
  for (const w of logger.warnings) process.stderr.write(`warning: ${warningText(w)}\n`);
  const head = ['removed from training', 'train rows removed', 'test rows', ...r.models.flatMap((m) => [`${m} detected`, `${m} known recall`, `${m} fpr`, `${m} accuracy`])];
  const rows = r.rows.map((x) => [x.removed.join('+'), x.trainRowsRemoved, x.testRows, ...r.models.flatMap((m) => {
    const v = x.models[m]!;
    return [f4(v.detection), f4(v.knownRecall), f4(v.fpr), f4(v.accuracy)];
  })]);
  process.stdout.write(`unknown attacks: trained on ${basename(r.train)} without each row of the removed names, tested on ${basename(r.test)}\n\n${table(rows, head)}\n`);
  process.stdout.write('(detected: share of the removed attacks\' test rows flagged; known recall: of the other attack rows; fpr: normal test rows flagged)\n');
}

/**
 * The text report of `nadir evaluate`. Binary: precision, recall and F1 are those of the
 * attack class at the model's threshold, with the false-positive rate there. Multi-class:
 * macro averages (and the support-weighted F1), then one row per class.
 */
export function metricsText(file: string, task: string, m: Metrics, skipped = 0, score?: ScoreKind): string {
  const out: string[] = [];
  out.push(`${file}: ${m.n.toLocaleString('en-US')} rows${skipped ? ` (${skipped.toLocaleString('en-US')} left out: class unknown to the model)` : ''}, ${task} (${m.classes.join(', ')})`);
  const rows: Array<[string, string]> = [['accuracy', f4(m.accuracy)]];
  if (m.task === 'binary') {
    const pos = m.positive ?? m.classes[1]!;
    const t = m.threshold ?? 0.5;
    out.push(score && !score.probability ? `decision threshold on the anomaly score s(x): ${t.toFixed(4)} — ${score.note}` : `decision threshold on P(${pos}): ${t.toFixed(4)}`);
    rows.push(
      [`precision (${pos})`, f4(m.precision)],
      [`recall (${pos}, true-positive rate)`, f4(m.recall)],
      [`f1 (${pos})`, f4(m.f1)],
      [`false-positive rate at ${t.toFixed(4)}`, f4(m.fpr)],
      ['balanced accuracy', f4(balancedAccuracy(m))],
      ['roc-auc', f4(m.rocAuc)],
      ['pr-auc (average precision)', f4(m.prAuc)],
    );
  } else {
    rows.push(
      ['precision (macro)', f4(m.precision)],
      ['recall (macro)', f4(m.recall)],
      ['f1 (macro)', f4(m.f1)],
      ['f1 (weighted by support)', f4(m.weighted.f1)],
      ['roc-auc (macro, one-vs-rest)', f4(m.rocAuc)],
      ['pr-auc (macro, one-vs-rest)', f4(m.prAuc)],
    );
  }
  out.push('', table(rows));
  if (m.task !== 'binary') {
    let unpredicted = false;
    const perClass = m.classes.map((c) => {
      const k = m.perClass[c]!;
      // no row predicted as the class: precision is 0/0 (0 in --json, scikit-learn's zero_division=0)
      const none = predictedCount(m, c) === 0;
      unpredicted ||= none;
      return [c, none ? '—' : f4(k.precision), f4(k.recall), f4(k.f1), k.support, f4(k.rocAuc)];
    });
    out.push('', 'per class:', table(perClass, ['class', 'precision', 'recall', 'f1', 'support', 'roc-auc']));
    if (unpredicted) out.push("(precision —: no rows predicted as this class, 0/0; --json gives 0, as scikit-learn's zero_division=0)");
  }
  out.push('', 'confusion matrix (rows = true, columns = predicted):', table(m.confusionMatrix.map((row, i) => [m.classes[i]!, ...row]), ['', ...m.classes]));
  return out.join('\n');
}
