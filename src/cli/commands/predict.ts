import type { Command } from 'commander';
import type { Predictions } from '../../app/predict.js';
import { displayLabel, predictData } from '../../app/predict.js';
import type { LoadedData } from '../../data/load.js';
import { assemble, loadData } from '../../data/load.js';
import { readJsonl } from '../../data/jsonl.js';
import { nadirError } from '../../errors.js';
import { CollectingLogger } from '../../logger.js';
import { writeFileAtomic } from '../../model/artifact.js';
import { Detector } from '../../model/detector.js';
import { loadOptionsFrom, withDataOptions } from '../data-options.js';
import { wholeNumber } from '../option-values.js';
import { checkOutputs } from '../output.js';

export function registerPredict(program: Command): void {
  withDataOptions(
    program
      .command('predict')
      .description('score raw records with a saved model: label, probability and (with --explain) why')
      .requiredOption('-M, --model <file>', 'model file written by nadir train')
      .requiredOption('-d, --data <file>', "records to score (CSV, .csv.gz, JSONL, Parquet), or '-' for JSONL on stdin"),
  )
    .option('-o, --out <file>', 'write predictions to a .csv or .jsonl file (default: CSV on stdout)')
    .option('--explain', 'add the top contributing input columns per record')
    .option('--top <n>', 'contributions per record with --explain', '5')
    .addHelpText('after', '\nExamples:\n  nadir predict --model model.nadir --data data/nsl-kdd/KDDTest+.txt.gz --out preds.csv\n  echo \'{"duration":0,"protocol_type":"tcp",…}\' | nadir predict --model model.nadir --data - --explain')
    .action(async (o: Record<string, unknown>) => {
      const top = wholeNumber(o.top, '--top', 1);
      const out = typeof o.out === 'string' ? o.out : null;
      checkOutputs([['--out', out ?? undefined]], [['--model', String(o.model)], ['--data', String(o.data)]]);
      const detector = await Detector.load(String(o.model));
      const logger = new CollectingLogger();
      const load = { label: detector.body.schema.labelColumn, ...loadOptionsFrom(o), logger };
      let data: LoadedData;
      if (o.data === '-') {
        if (process.stdin.isTTY) throw nadirError('NADIR_ERR_BAD_INPUT', "--data - reads JSON lines from stdin; pipe records in (one JSON object per line)");
        data = assemble(await readJsonl(process.stdin as AsyncIterable<Buffer>, 'stdin'), 'stdin', load);
      } else data = await loadData(String(o.data), load);
      const p = predictData(detector, data, { explain: o.explain === true, top, logger });
      for (const w of logger.warnings) if (w.code !== 'constant-column' && w.code !== 'single-label') process.stderr.write(`warning: ${w.message}\n`);
      const jsonl = out !== null && /\.jsonl?$/i.test(out);
      const text = jsonl ? toJsonl(detector, p) : toCsv(detector, p);
      if (out) {
        await writeFileAtomic(out, text);
        process.stderr.write(`${p.nRows.toLocaleString('en-US')} predictions written to ${out}\n`);
      } else process.stdout.write(text);
    });
}

function toCsv(detector: Detector, p: Predictions): string {
  const header = ['row', 'label', 'class', 'probability'];
  if (p.explanations) header.push('explanation');
  const lines = [header.join(',')];
  for (let i = 0; i < p.nRows; i++) {
    const cells = [String(i + 1), displayLabel(detector, p.pred[i]!), csvCell(p.classes[p.pred[i]!]!), p.score[i]!.toFixed(6)];
    if (p.explanations) cells.push(csvCell(p.explanations[i]!.map((c) => `${c.feature}:${c.value >= 0 ? "+" : ""}${c.value.toFixed(4)}`).join(' ')));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

function toJsonl(detector: Detector, p: Predictions): string {
  const lines: string[] = [];
  for (let i = 0; i < p.nRows; i++) {
    const rec: Record<string, unknown> = { row: i + 1, label: displayLabel(detector, p.pred[i]!), class: p.classes[p.pred[i]!], probability: p.score[i] };
    if (p.explanations) rec.explanation = p.explanations[i];
    lines.push(JSON.stringify(rec));
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
