import type { Command } from 'commander';
import type { TargetKind } from '../../data/types.js';
import { eda, EDA_PARAMS, resolveEdaOptions, type EdaChoices } from '../../app/eda.js';
import { edaToJson } from '../../eda/json.js';
import { buildEdaReport } from '../../reports/eda-report.js';
import { CollectingLogger } from '../../logger.js';
import { writeFileAtomic } from '../../util/write-file-atomic.js';
import { formatP, formatNumber } from '../../util/format.js';
import { loadOptionsFrom, withDataOptions } from '../data-options.js';
import { checkOutputs, fmtInt, table } from '../output.js';
import { createProgress, stagesOn } from '../progress.js';
import { warningText, withFlagNames } from '../flags.js';
import { typedValue } from '../option-values.js';

/** `nadir eda`: exploratory analysis, outliers and hypothesis tests → one HTML report (and `--json`). */
export function registerEda(program: Command): void {
  withDataOptions(
    program
      .command('eda')
      .description('explore a dataset: class balance, distributions, outliers, correlations, attack-vs-normal tests → an HTML report')
      .requiredOption('-d, --data <file>', 'dataset (CSV, .csv.gz, JSONL, Parquet) with a label column'),
  )
    .option('--target <kind>', EDA_PARAMS.target.help, EDA_PARAMS.target.default)
    .option('-o, --out <file>', 'where to write the HTML report', 'eda.html')
    .option('--sample <n>', 'analyse a uniform random sample of n rows')
    .option('--seed <n>', 'seed of --sample', String(EDA_PARAMS.seed.default))
    .option('--alpha <a>', EDA_PARAMS.alpha.help, String(EDA_PARAMS.alpha.default))
    .option('--json', 'print every number as one JSON document on stdout (the report is still written)')
    .addHelpText(
      'after',
      `
Examples:
  nadir eda --data data/nsl-kdd/KDDTrain+_20Percent.txt.gz
  nadir eda -d flows.csv --label Label --target category --out flows-eda.html
  nadir eda -d big.parquet --sample 200000 --json > eda.json`,
    )
    .action(async (o: Record<string, unknown>) => {
      const choices = edaChoices(o);
      const out = String(o.out);
      checkOutputs([['--out', out]], [['--data', String(o.data)]]);
      const json = o.json === true;
      const tty = !json && process.stderr.isTTY === true;
      const bar = createProgress(tty);
      const logger = new CollectingLogger();
      const t0 = performance.now();
      const result = await eda(String(o.data), {
        load: { ...loadOptionsFrom(o), logger },
        ...choices,
        onProgress: stagesOn(bar),
      });
      const tAnalyse = performance.now();
      bar.start('charts', 1);
      const page = await buildEdaReport(result, { onChart: (done, total) => bar.update(done, total) });
      bar.stop();
      await writeFileAtomic(out, page); // temp file + rename: never a half-written report
      const tEnd = performance.now();
      result.timings.report = tEnd - tAnalyse;
      result.timings.command = tEnd - t0;

      if (json) {
        process.stdout.write(`${edaToJson({ report: out, ...result, warnings: logger.warnings.map(warningText) }, 2)}\n`);
        return;
      }
      for (const w of logger.warnings) process.stderr.write(`warning: ${warningText(w)}\n`);
      const b = result.classes.binary;
      process.stdout.write(
        `${fmtInt(result.rows.analysed)} rows${result.rows.sampled ? ` (sample of ${fmtInt(result.rows.total)})` : ''}, ${result.overview.columns} columns (${result.overview.numericColumns} numeric, ${result.overview.categoricalColumns} categorical); ${result.unlabelled ? 'no label column (unlabelled data)' : `normal ${fmtInt(b.counts[0])}, attack ${fmtInt(b.counts[1])}`}\n`,
      );
      for (const n of result.notes) process.stdout.write(`note: ${n}\n`);
      const top = result.ranking.slice(0, 10);
      if (top.length) {
        const rows = top.map((f) => {
          const t = result.tests.numeric.find((x) => x.feature === f.feature);
          const c = result.tests.categorical.find((x) => x.feature === f.feature);
          const p = t ? `t ${formatP(t.welch.pAdjusted)} / MW ${formatP(t.mannWhitney.pAdjusted)}` : c ? `χ² ${formatP(c.pAdjusted)}` : '';
          return [f.rank, f.feature, `${formatNumber(f.strength, 3)} ${f.kind === 'numeric' ? '|r|' : 'V'}`, f.direction ?? '', f.agreement, p];
        });
        process.stdout.write(`\nfeatures most linked to attacks:\n${table(rows, ['#', 'feature', 'effect', 'direction', 'tests', 'adjusted p'])}\n`);
      }
      process.stdout.write(`\nreport written to ${out} (${((tEnd - t0) / 1000).toFixed(1)} s)\n`);
    });
}

/** The eda flags as typed → the use case's options, checked there before anything is loaded (errors name the flag). */
function edaChoices(o: Record<string, unknown>): EdaChoices {
  const choices: EdaChoices = { target: String(o.target) as TargetKind, seed: typedValue(o.seed) as number, alpha: typedValue(o.alpha) as number };
  if (o.sample !== undefined) choices.sample = typedValue(o.sample) as number;
  try {
    resolveEdaOptions(choices);
  } catch (e) {
    withFlagNames(e);
  }
  return choices;
}
