/**
 * The EDA orchestrator: a loaded dataset in, every number of the report out (EdaResult).
 * Per numeric column one split-and-sort (numeric-profile), per categorical column one pass
 * over the codes (categorical-profile), then one blocked pass for the correlation matrices,
 * Benjamini–Hochberg per test family, and the ranking. Single-pass typed-array kernels: on
 * 1,000,000 rows this takes seconds (see docs/benchmarks-eda.md), so no database round trip
 * is needed for the aggregates.
 */
import { basename } from 'node:path';
import { buildTarget } from '../data/index.js';
import type { LoadOptions } from '../data/load.js';
import { asNormalTraffic, loadData, loadDataset } from '../data/load.js';
import type { Dataset, NumericColumn } from '../data/types.js';
import { formatInt } from '../util/format.js';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { profileCategorical } from './categorical-profile.js';
import { targetCounts, valueCounts } from './class-distribution.js';
import { correlationMatrices, highlyCorrelatedPairs, type CorrelationColumn } from './correlation.js';
import { profileNumeric } from './numeric-profile.js';
import { rankFeatures } from './ranking.js';
import { analyzeIdentifiers } from './identifiers.js';
import { checkKeep } from '../data/drop-columns.js';
import { sampleDataset, sampleRowIndices } from './sample.js';
import type { CategoricalColumnResult, CategoricalTest, CorrelationResult, EdaOptions, EdaResult, NumericColumnResult, NumericTest, Overview } from './types.js';

export const CORRELATION_THRESHOLD = 0.95;

/**
 * Load a file and analyse it, with one progress callback for both: the `loading <file>` stage
 * (bytes read of the file size) and then the analysis stages. `timings.load` is the load time (ms).
 */
export async function analyzeFile(path: string, opts: EdaOptions & { load?: LoadOptions } = {}): Promise<EdaResult> {
  const { load, ...eda } = opts;
  const progress = opts.onProgress;
  const t0 = performance.now();
  const stage = `loading ${basename(path)}`;
  const loadOpts: LoadOptions = { ...load, ...(progress ? { onProgress: (d: number, t: number) => progress(stage, d, t) } : {}) };
  // a label is optional: unlabelled data (a Zeek conn.log, EVE without alerts) gets the parts of the EDA that need no label
  const ds = load?.label !== undefined ? await loadDataset(path, loadOpts) : asNormalTraffic(await loadData(path, loadOpts), loadOpts);
  const tLoad = performance.now() - t0;
  if (load?.keep) checkKeep(ds, load.keep);
  const result = analyzeDataset(ds, eda);
  result.timings.load = tLoad;
  return result;
}

export function analyzeDataset(input: Dataset, opts: EdaOptions = {}): EdaResult {
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  const target = opts.target ?? 'binary';
  const alpha = opts.alpha ?? 0.05;
  const seed = opts.seed ?? 42;
  const progress = opts.onProgress ?? (() => {});
  const totalRows = input.features.nRows;
  const sampled = opts.sample !== undefined && opts.sample < totalRows;
  const ds = sampled ? sampleDataset(input, opts.sample as number, seed) : input;
  const n = ds.features.nRows;
  const notes: string[] = [];
  if (sampled) notes.push(`Analysed a uniform random sample of ${formatInt(n)} of ${formatInt(totalRows)} rows (seed ${seed}).`);

  // Targets: the chosen grouping for per-class views, the binary one for the tests.
  const binary = buildTarget(ds, 'binary');
  const tgt = target === 'binary' ? binary : buildTarget(ds, target);
  const isAttack = tgt.classes.map(() => false);
  for (let i = 0; i < n; i++) {
    const c = tgt.y[i];
    if (c >= 0 && binary.y[i] === 1) isAttack[c] = true;
  }
  if (target === 'binary') isAttack[1] = true;
  const binaryCounts = targetCounts(binary);
  let unlabeled = 0;
  for (let i = 0; i < n; i++) if (binary.y[i] < 0) unlabeled++;
  const testsRun = binaryCounts.counts[0] > 0 && binaryCounts.counts[1] > 0;
  if (ds.unlabelled) {
    notes.push(
      'No label column (unlabelled data): the parts that compare attacks with normal traffic (class distribution, attack rates, hypothesis tests, the ranking of features linked to attacks) were skipped; the column summaries, histograms, outliers, correlations and identifiers below describe every row.',
    );
  } else if (!testsRun) {
    const only = binaryCounts.counts[0] > 0 ? 'normal' : 'attack';
    notes.push(
      `The label has a single class: every labelled row is ${only} traffic. Comparing attacks with normal traffic needs both, so the hypothesis tests, attack rates and the ranking were not computed; the summaries below still describe the data.`,
    );
  }
  if (unlabeled > 0) notes.push(`${formatInt(unlabeled)} rows have no label: they count in the summaries, not in per-class statistics or tests.`);
  const classes = {
    binary: binaryCounts,
    category: valueCounts(ds.categories, ds.normalLabels),
    label: valueCounts(ds.labels, ds.normalLabels),
    unlabeled,
    target: targetCounts(tgt),
    isAttack,
  };
  timings.targets = performance.now() - t0;

  // Numeric columns.
  const t1 = performance.now();
  const numericCols = ds.features.columns.filter((c): c is NumericColumn => c.kind === 'numeric');
  const numeric: NumericColumnResult[] = [];
  const numericTests: NumericTest[] = [];
  const corrCols: CorrelationColumn[] = [];
  const corrNames: string[] = [];
  const excluded: string[] = [];
  numericCols.forEach((col, i) => {
    progress('numeric columns', i, numericCols.length);
    const p = profileNumeric(col.name, col.values, tgt.y, isAttack);
    numeric.push(p.result);
    numericTests.push(testsRun ? p.test : { ...p.test, skipped: 'single class' });
    if (p.correlation) {
      corrCols.push(p.correlation);
      corrNames.push(col.name);
    } else excluded.push(col.name);
  });
  progress('numeric columns', numericCols.length, numericCols.length);
  timings.numeric = performance.now() - t1;

  // Categorical columns.
  const t2 = performance.now();
  const categoricalCols = ds.features.columns.filter((c) => c.kind === 'categorical');
  const categorical: CategoricalColumnResult[] = [];
  const categoricalTests: CategoricalTest[] = [];
  categoricalCols.forEach((col, i) => {
    progress('categorical columns', i, categoricalCols.length);
    if (col.kind !== 'categorical') return;
    const p = profileCategorical(col, binary.y, testsRun);
    categorical.push(p.result);
    categoricalTests.push(p.test);
  });
  progress('categorical columns', categoricalCols.length, categoricalCols.length);
  timings.categorical = performance.now() - t2;

  // Correlations.
  const t3 = performance.now();
  let correlation: CorrelationResult | null = null;
  if (corrCols.length >= 2) {
    progress('correlations', 0, 1);
    const pairs = (corrCols.length * (corrCols.length + 1)) / 2;
    const budget = opts.correlationBudget ?? 2e9;
    const maxRows = Math.max(1000, Math.floor(budget / pairs));
    const rows = n > maxRows ? sampleRowIndices(n, maxRows, seed + 1) : undefined;
    const m = correlationMatrices(corrCols, rows);
    const k = corrCols.length;
    const toRows = (a: Float64Array): number[][] => Array.from({ length: k }, (_, i) => Array.from(a.subarray(i * k, (i + 1) * k)));
    correlation = {
      columns: corrNames,
      pearson: toRows(m.pearson),
      spearman: toRows(m.spearman),
      highPairs: {
        pearson: highlyCorrelatedPairs(corrNames, m.pearson, CORRELATION_THRESHOLD),
        spearman: highlyCorrelatedPairs(corrNames, m.spearman, CORRELATION_THRESHOLD),
      },
      threshold: CORRELATION_THRESHOLD,
      rowsUsed: rows ? rows.length : n,
      sampled: rows !== undefined,
      excluded,
    };
    if (rows) notes.push(`Correlations were computed on a random sample of ${formatInt(rows.length)} rows (${k} columns, ${formatInt(pairs)} pairs).`);
    progress('correlations', 1, 1);
  }
  timings.correlation = performance.now() - t3;

  // Multiple testing: Benjamini–Hochberg within each family of tests.
  const adjT = benjaminiHochberg(numericTests.map((t) => t.welch.p));
  const adjMW = benjaminiHochberg(numericTests.map((t) => t.mannWhitney.p));
  numericTests.forEach((t, i) => {
    t.welch.pAdjusted = adjT[i];
    t.mannWhitney.pAdjusted = adjMW[i];
  });
  const adjChi = benjaminiHochberg(categoricalTests.map((t) => t.p));
  categoricalTests.forEach((t, i) => (t.pAdjusted = adjChi[i]));
  const ranking = testsRun ? rankFeatures(numericTests, numeric, categoricalTests, categorical, alpha) : [];

  const overview = buildOverview(ds, numeric, categorical);
  if (numericCols.length === 0) notes.push('The file has no numeric feature columns: there are no numeric summaries, histograms, outliers, t-tests, Mann–Whitney tests or correlations.');
  else if (corrCols.length < 2) notes.push('Fewer than two numeric columns vary, so there is no correlation matrix.');
  if (categoricalCols.length === 0) notes.push('The file has no categorical feature columns: there are no chi-square tests.');
  for (const c of overview.allMissingColumns) notes.push(`Column '${c}' has no values (all missing): it is left out of the statistics and tests.`);
  const constantTested = [...numericTests, ...categoricalTests].filter((t) => t.skipped === 'constant column').map((t) => t.feature);
  if (constantTested.length > 0) notes.push(`Constant columns carry no information and are not tested: ${constantTested.join(', ')}.`);

  timings.total = performance.now() - t0;
  return {
    source: ds.source,
    format: ds.format,
    target,
    rows: { total: totalRows, analysed: n, sampled, seed: sampled ? seed : null, skippedWhileLoading: ds.skippedRows },
    overview,
    classes,
    numeric,
    categorical,
    correlation,
    tests: { numeric: numericTests, categorical: categoricalTests, alpha, testsRun },
    ranking,
    identifiers: analyzeIdentifiers(ds, (i) => binary.y[i] === 1),
    unlabelled: ds.unlabelled === true,
    notes,
    timings,
  };
}

function buildOverview(ds: Dataset, numeric: readonly NumericColumnResult[], categorical: readonly CategoricalColumnResult[]): Overview {
  let memoryBytes = ds.labels.codes.byteLength;
  for (const c of ds.features.columns) memoryBytes += c.kind === 'numeric' ? c.values.byteLength : c.codes.byteLength;
  const missing = [
    ...numeric.filter((c) => c.missing + c.posInf + c.negInf > 0).map((c) => ({ column: c.name, missing: c.missing, posInf: c.posInf, negInf: c.negInf })),
    ...categorical.filter((c) => c.missing > 0).map((c) => ({ column: c.name, missing: c.missing, posInf: 0, negInf: 0 })),
  ];
  const dup = ds.findings.find((f) => f.code === 'duplicate-rows');
  return {
    rows: ds.features.nRows,
    columns: ds.features.columns.length,
    numericColumns: numeric.length,
    categoricalColumns: categorical.length,
    labelColumn: ds.unlabelled ? null : ds.labelColumn,
    memoryBytes,
    duplicates: dup?.count ?? 0,
    constantColumns: [...numeric.filter((c) => c.constant).map((c) => c.name), ...categorical.filter((c) => c.constant).map((c) => c.name)],
    allMissingColumns: [...numeric.filter((c) => c.allMissing).map((c) => c.name), ...categorical.filter((c) => c.allMissing).map((c) => c.name)],
    missing,
    totalMissing: missing.reduce((s, m) => s + m.missing, 0),
    totalInfinite: missing.reduce((s, m) => s + m.posInf + m.negInf, 0),
    findings: [...ds.findings],
  };
}
