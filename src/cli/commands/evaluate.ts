import type { Command } from 'commander';
import { sha256File, writeEvaluationReport } from '../../app/evaluation-report.js';
import { evaluateDataset } from '../../app/train.js';
import { loadDataset } from '../../data/load.js';
import { CollectingLogger } from '../../logger.js';
import { Detector } from '../../model/detector.js';
import { loadOptionsFrom, withDataOptions } from '../data-options.js';
import { checkOutputs, printJson, table } from '../output.js';
import { contract } from './train.js';

export function registerEvaluate(program: Command): void {
  withDataOptions(
    program
      .command('evaluate')
      .description('score a labelled dataset with a saved model and report its metrics')
      .requiredOption('-M, --model <file>', 'model file written by nadir train')
      .requiredOption('-d, --data <file>', 'labelled data (CSV, .csv.gz, JSONL, Parquet)'),
  )
    .option('--json', 'print the Metrics as one JSON document')
    .option('--report <file>', 'write an HTML evaluation report (model card, metrics vs training CV, confusion matrix, ROC/PR curves)')
    .addHelpText('after', '\nExamples:\n  nadir evaluate --model model.nadir --data data/nsl-kdd/KDDTest-21.txt.gz\n  nadir evaluate -M model.nadir -d data/nsl-kdd/KDDTest+.txt.gz --report evaluation.html')
    .action(async (o: Record<string, unknown>) => {
      const report = typeof o.report === 'string' ? o.report : undefined;
      checkOutputs([['--report', report]], [['--model', String(o.model)], ['--data', String(o.data)]]);
      const t0 = performance.now();
      const detector = await Detector.load(String(o.model));
      const logger = new CollectingLogger();
      const load = loadOptionsFrom(o);
      const ds = await loadDataset(String(o.data), { label: detector.body.schema.labelColumn, ...load, logger });
      const t1 = performance.now();
      const r = evaluateDataset(detector, ds, logger);
      if (o.report) {
        const t2 = performance.now();
        await writeEvaluationReport(String(o.report), {
          body: detector.body,
          modelFile: String(o.model),
          dataFile: String(o.data),
          evaluation: r,
          dataset: ds,
          dataSha256: await sha256File(String(o.data)),
          warnings: logger.warnings,
          command: ['nadir', ...process.argv.slice(2)].join(' '),
          timings: { load: (t1 - t0) / 1000, score: (t2 - t1) / 1000 },
        });
      }
      if (o.json) return printJson({ ...contract(r.metrics), skipped: r.skipped, warnings: logger.warnings.map((w) => w.message), ...(o.report ? { report: String(o.report) } : {}) });
      for (const w of logger.warnings) process.stderr.write(`warning: ${w.message}\n`);
      const m = r.metrics;
      process.stdout.write(`${String(o.data)}: ${m.n.toLocaleString('en-US')} rows, ${detector.body.task} (${m.classes.join(', ')})\n`);
      if (m.threshold !== undefined) process.stdout.write(`threshold on P(attack): ${m.threshold.toFixed(4)}\n`);
      process.stdout.write(
        `${table(
          [['accuracy', m.accuracy.toFixed(4)], ['precision', m.precision.toFixed(4)], ['recall', m.recall.toFixed(4)], ['f1', m.f1.toFixed(4)], ['roc-auc', m.rocAuc === null ? '—' : m.rocAuc.toFixed(4)], ['pr-auc', m.prAuc === null ? '—' : m.prAuc.toFixed(4)], ...(m.fpr !== undefined && m.fpr !== null ? [['false-positive rate', m.fpr.toFixed(4)]] : [])],
        )}\n\nconfusion matrix (rows = true, columns = predicted):\n${table(m.confusionMatrix.map((row, i) => [m.classes[i]!, ...row]), ['', ...m.classes])}\n`,
      );
      if (o.report) process.stdout.write(`\nreport written to ${String(o.report)}\n`);
    });
}
