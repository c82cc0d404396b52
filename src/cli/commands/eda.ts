import type { Command } from 'commander';
import type { TargetKind } from '../../data/types.js';
import { analyzeFile } from '../../eda/analyze.js';
import { edaToJson } from '../../eda/json.js';
import { buildEdaReport } from '../../reports/eda-report.js';
import { nadirError } from '../../errors.js';
import { CollectingLogger } from '../../logger.js';
import { writeFileAtomic } from '../../model/artifact.js';
import { formatP, formatNumber } from '../../util/format.js';
import { loadOptionsFrom, withDataOptions } from '../data-options.js';
import { checkOutputs, fmtInt, table } from '../output.js';
import { createProgress } from '../progress.js';

const TARGETS: TargetKind[] = ['binary', 'category', 'label'];

/** `nadir eda`: exploratory analysis, outliers and hypothesis tests → one HTML report (and `--json`). */
export function registerEda(program: Command): void {
  withDataOptions(
    program
      .command('eda')
      .description('explore a dataset: class balance, distributions, outliers, correlations, attack-vs-normal tests → an HTML report')
      .requiredOption('-d, --data <file>', 'dataset (CSV, .csv.gz, JSONL, Parquet) with a label column'),
  )
    .option('--target <kind>', 'grouping for per-class views: binary | category | label (tests are always attack vs normal)', 'binary')
    .option('-o, --out <file>', 'where to write the HTML report', 'eda.html')
    .option('--sample <n>', 'analyse a uniform random sample of n rows')
    .option('--seed <n>', 'seed of --sample', '42')
    .option('--alpha <a>', 'significance level on Benjamini–Hochberg-adjusted p-values', '0.05')
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
      const target = String(o.target) as TargetKind;
      if (!TARGETS.includes(target)) throw nadirError('NADIR_ERR_BAD_OPTION', '--target', `expected one of ${TARGETS.join(', ')}, got '${target}'`);
      const sample = o.sample === undefined ? undefined : positiveInt(o.sample, '--sample');
      const seed = nonNegativeInt(o.seed, '--seed');
      const alpha = Number(o.alpha);
      if (!(alpha > 0 && alpha < 1)) throw nadirError('NADIR_ERR_BAD_OPTION', '--alpha', `expected a number between 0 and 1, got '${String(o.alpha)}'`);
      const out = String(o.out);
      checkOutputs([['--out', out]], [['--data', String(o.data)]]);
      const json = o.json === true;
      const tty = !json && process.stderr.isTTY === true;
      const bar = createProgress(tty);
      const logger = new CollectingLogger();
      const t0 = performance.now();

      let stage = '';
      const result = await analyzeFile(String(o.data), {
        load: { ...loadOptionsFrom(o), logger },
        target,
        alpha,
        seed,
        ...(sample !== undefined ? { sample } : {}),
        onProgress: (s, done, total) => {
          if (s !== stage) {
            stage = s;
            bar.start(s, total);
          }
          bar.update(done, total);
        },
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
        process.stdout.write(`${edaToJson({ report: out, ...result, warnings: logger.warnings.map((w) => w.message) }, 2)}\n`);
        return;
      }
      for (const w of logger.warnings) process.stderr.write(`warning: ${w.message}\n`);
      const b = result.classes.binary;
      process.stdout.write(
        `${fmtInt(result.rows.analysed)} rows${result.rows.sampled ? ` (sample of ${fmtInt(result.rows.total)})` : ''}, ${result.overview.columns} columns (${result.overview.numericColumns} numeric, ${result.overview.categoricalColumns} categorical); normal ${fmtInt(b.counts[0])}, attack ${fmtInt(b.counts[1])}\n`,
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

function positiveInt(v: unknown, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw nadirError('NADIR_ERR_BAD_OPTION', name, `expected a positive integer, got '${String(v)}'`);
  return n;
}

function nonNegativeInt(v: unknown, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw nadirError('NADIR_ERR_BAD_OPTION', name, `expected a non-negative integer, got '${String(v)}'`);
  return n;
}
