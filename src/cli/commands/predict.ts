import type { Command } from 'commander';
import type { Predictions } from '../../app/predict.js';
import { predict } from '../../app/predict.js';
import { labelCounts, predictionRecords, predictionsCsv, predictionsJsonl } from '../../app/prediction-records.js';
import { nadirError } from '../../errors.js';
import { CollectingLogger } from '../../logger.js';
import { writeFileAtomic } from '../../util/write-file-atomic.js';
import { Detector } from '../../model/detector.js';
import { loadOptionsFrom, withDataOptions } from '../data-options.js';
import { warningText } from '../flags.js';
import { wholeNumber } from '../option-values.js';
import { checkOutputs, printJson } from '../output.js';

export function registerPredict(program: Command): void {
  withDataOptions(
    program
      .command('predict')
      .description('score raw records with a saved model: label, probability and (with --explain) why')
      .requiredOption('-M, --model <file>', 'model file written by nadir train')
      .requiredOption('-d, --data <file>', "records to score (CSV, .csv.gz, JSONL, Parquet), or '-' for JSONL on stdin"),
  )
    .option('-o, --out <file>', 'write predictions to a file, in the format its extension names: .csv, .jsonl or .ndjson (one JSON object per line), .json (the document --json prints) (default: CSV on stdout)')
    .option('--explain', 'add the top contributing input columns per record')
    .option('--fill-missing', "score records that lack some of the model's input columns, as missing values (never done unless asked)")
    .option('--top <n>', 'contributions per record with --explain', '5')
    .option('--json', 'print one JSON document on stdout: { model, classes, threshold, rows, predictions: [{ row, label, class, probability, explanation? }], warnings }; with --out, a summary instead of the predictions')
    .addHelpText(
      'after',
      `
Input:
  Every record needs a value in at least one of the model's input columns (a
  blank row or a JSON {} is refused, naming its row or line; exit 2). In JSON
  records, true/false are read as 1/0, for 0/1 flag columns such as land or
  logged_in; a column that mixes true/false with text or other numbers is
  refused.

Columns (CSV header; keys in JSONL and --json):
  row          1-based number of the record in the input (a CSV header and
               blank lines are not records; a skipped malformed row keeps its
               number unused)
  label        binary models: Normal or Attack; category/label models: the
               predicted class
  class        the model's own name for the predicted class (binary: normal or
               attack)
  probability  binary models: P(attack); label is Attack when it is ≥ the
               model's threshold (isolation forest: its anomaly score in (0, 1]);
               category/label models: the probability of the predicted class
  explanation  with --explain: the --top input columns that moved the score
               most, as column:value (JSON: [{ feature, value }]). A value is
               the column's contribution to the model's raw score — log-odds
               for gbdt and logreg, probability for rf; positive pushes towards
               attack (multi-class: towards the predicted class). TreeSHAP for
               trees, exact for logistic regression, none for iforest.

Examples:
  nadir predict --model model.nadir --data data/nsl-kdd/KDDTest+.txt.gz --out preds.csv
  echo '{"duration":0,"protocol_type":"tcp",…}' | nadir predict --model model.nadir --data - --explain
  nadir predict --model model.nadir --data flows.csv --json > preds.json`,
    )
    .action(async (o: Record<string, unknown>) => {
      const top = wholeNumber(o.top, '--top', 1);
      const out = typeof o.out === 'string' ? o.out : null;
      const json = o.json === true;
      const format = out === null ? null : outputFormat(out);
      checkOutputs([['--out', out ?? undefined]], [['--model', String(o.model)], ['--data', String(o.data)]]);
      const detector = await Detector.load(String(o.model));
      const logger = new CollectingLogger();
      if (o.data === '-' && process.stdin.isTTY) throw nadirError('NADIR_ERR_BAD_INPUT', "--data - reads JSON lines from stdin; pipe records in (one JSON object per line)");
      const source = o.data === '-' ? { stream: process.stdin as AsyncIterable<Buffer>, name: 'stdin' } : String(o.data);
      const p = await predict(detector, source, { load: loadOptionsFrom(o), explain: o.explain === true, top, logger, fillMissing: o.fillMissing === true });
      // a constant column or a label seen once in records to score says nothing about them
      const warnings = logger.warnings.map(warningText);
      if (o.explain === true && !p.explanations) warnings.push(`--explain: ${detector.body.learner.type} models have no per-column explanation; predictions have none`);
      if (!json) for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      const doc = (): Record<string, unknown> => ({ ...header(String(o.model), p), predictions: predictionRecords(detector, p), warnings });
      if (out !== null && format !== null) {
        const text = format === 'csv' ? predictionsCsv(detector, p) : format === 'jsonl' ? predictionsJsonl(detector, p) : jsonText(doc());
        await writeFileAtomic(out, text);
        if (json) printJson({ ...header(String(o.model), p), out, format, labels: labelCounts(detector, p), warnings });
        else process.stderr.write(`${p.nRows.toLocaleString('en-US')} predictions written to ${out}\n`);
      } else if (json) printJson(doc());
      else process.stdout.write(predictionsCsv(detector, p));
    });
}

/** The --out file's format from its extension; anything else is refused before any work. */
function outputFormat(out: string): 'csv' | 'jsonl' | 'json' {
  const ext = /\.([^./\\]+)$/.exec(out)?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'json') return 'json';
  throw nadirError('NADIR_ERR_BAD_OPTION', '--out', `${out}: expected a .csv, .jsonl or .json file`);
}

/** The --json document as text, laid out as printJson prints it. */
function jsonText(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function header(model: string, p: Predictions): { model: string; classes: readonly string[]; threshold: number | null; rows: number } {
  return { model, classes: p.classes, threshold: p.threshold, rows: p.nRows };
}

