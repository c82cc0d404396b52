/**
 * The HTML evaluation report of `nadir evaluate --report`: a saved model scored on one labelled
 * file, as one self-contained page (inline CSS, charts as inline SVG from Vega-Lite, no scripts,
 * no network). It holds the model card (learner, task, classes, threshold and how it was chosen,
 * training provenance and the training-time metrics stored in the model), this file's metrics
 * (binary: the false-positive rate at the model's threshold), confusion matrices, ROC and PR
 * curves with the operating point, the threshold's cost on this file, per-class metrics, which
 * raw labels the errors come from, and training CV next to this file — with a plain-language
 * note when this file scores much worse than cross-validation promised, or when it is the
 * training file itself (resubstitution numbers).
 *
 * The evaluation itself is `evaluateDataset` (src/app/evaluate.ts); the charts are the training
 * report's builders (src/reports/training-report-charts.ts); this module only lays them out.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Dataset, DatasetFormat } from '../data/types.js';
import type { Metrics } from '../eval/types.js';
import type { Warning } from '../logger.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import type { FileProvenance, ModelBody } from '../model/types.js';
import { badge, callout, cards, html, joinHtml, renderChart, renderPage, renderTable, section, type Card, type HtmlValue, type NavItem, type SafeHtml } from './kit/index.js';
import { formatCount, formatInt, formatNumber, formatPerTenThousand, formatSigned, formatSignedPoints, formatUtcMinute } from '../util/format.js';
import { NADIR_VERSION } from '../version.js';
import { binaryErrors, chartRow, checksumRows, scoreKind, thresholdRule, classShareTable, commandBlock, costRow, curvesPanel, deltaBadge, displayName, errorLine, f4, metricRows, metricsTable, modelName, pct, perClassColumns, perClassTable, predictedCount, type PerClassCell, positiveIndex, scoreDistribution, seconds, shellQuote, targetName, thresholdCostTable, thresholdHeader, thresholdMethodName, type MetricColumn, type ThresholdCostRow } from './report-common.js';
import type { evaluateDataset } from '../app/evaluate.js';
import { carriedImportance, confusionMatrixSpec, gainSpec, permutationSpec, type ChartSet } from './training-report-charts.js';
import { holdoutFindings } from './training-report.js';
import { thresholdOf, thresholdInfoOf } from '../model/decision.js';
import { hybridSection, unseenTable } from './hybrid-section.js';

/** What `evaluateDataset` returns (the report reads the metrics with curves, the scores and the labels). */
export type EvaluationResult = Pick<ReturnType<typeof evaluateDataset>, 'metrics' | 'skipped' | 'proba' | 'y' | 'unseen' | 'hybrid'>;

export interface EvaluationReportInput {
  /** The model file's body (`detector.body`). */
  body: ModelBody;
  /** Path of the model file, as given. */
  modelFile: string;
  /** Path of the evaluated file, as given. */
  dataFile: string;
  evaluation: EvaluationResult;
  /**
   * The loaded file: its format, row count, raw labels (for the per-label breakdown) and
   * data-quality findings. Without it those parts are left out.
   */
  dataset?: Pick<Dataset, 'format' | 'features' | 'labels' | 'normalLabels' | 'findings' | 'skippedRows'>;
  /** sha256 of the evaluated file's bytes: tells whether it is the training file or a training-time hold-out. */
  dataSha256?: string;
  /**
   * gzip files: sha256 of the decompressed content. The same data matches whether it is stored
   * compressed or not (a model trained on f.csv.gz, evaluated on f.csv).
   */
  dataContentSha256?: string;
  /** Warnings raised while loading and scoring (unseen categories, missing values, unknown classes). */
  warnings?: readonly Warning[];
  /** The command line that produced the report. */
  command?: string;
  /** When the evaluation ran (ISO 8601); default now. */
  evaluatedAt?: string;
  /** Seconds per stage (load, score, report). */
  timings?: Record<string, number>;
}

const THIS_COLOR = '#F58518';
const CV_COLOR = '#2F6690';

/** Render the report as one HTML document. */
export async function renderEvaluationReport(input: EvaluationReportInput): Promise<string> {
  const { body, evaluation } = input;
  const m = evaluation.metrics;
  const binary = body.task === 'binary' && m.task === 'binary';
  const name = displayName(input.dataFile);
  const comparison = compareWithTraining(input);
  const nav: NavItem[] = [];
  const parts: HtmlValue[] = [];
  const add = (id: string, label: string, title: string, content: HtmlValue, intro?: HtmlValue): void => {
    nav.push({ id, label });
    parts.push(section(id, title, content, intro));
  };

  add('summary', 'Summary', 'Summary', [cards(headlineCards(input, comparison)), comparison.callout]);
  add('comparison', 'Training vs this file', 'Training-time metrics vs this file', comparisonTable(input, comparison), comparisonIntro(input, comparison));
  add('confusion', 'Confusion', 'Confusion matrices', await confusionSection(input), 'Rows are the true class, columns the prediction; each cell gives the count and the share of its true class. Blue cells are correct, red cells are errors (missed attacks, false alarms, confused classes). The training cross-validation matrix is shown for comparison.');
  if (binary && m.curves) add('curves', 'ROC / PR', 'ROC and precision–recall curves', await curvesSection(input), html`Scores of this file; ◆ marks the operating point at the model's threshold${thresholdOf(body) !== null ? html` (${scoreKind(body).probability ? scoreKind(body).name : 'anomaly score s(x)'} ≥ ${formatNumber(thresholdOf(body)!, 4)})` : ''}: the false-positive rate and detection rate the model actually runs at.`);
  if (binary) add('threshold', 'Threshold', 'Decision threshold on this file', thresholdSection(input));
  add('classes', 'Per class', 'Per-class metrics', perClassSection(input), binary ? 'Normal-class recall is 1 − false-positive rate; attack-class recall is the detection rate. CV recall is the training-time figure.' : 'One-vs-rest precision, recall, F1 and ROC-AUC of every class on this file, with the recall cross-validation measured at training time.');
  const sets = [{ name, y: evaluation.y, hybrid: evaluation.hybrid, unseen: evaluation.unseen }];
  const hybrid = await hybridSection(body, sets);
  if (hybrid !== '') add('hybrid', 'Hybrid', 'Hybrid detector: which part fired', hybrid, 'A supervised classifier for the attacks it was shown, and a profile of normal traffic (distance to the nearest normal training row) for what it was never shown; both thresholds were set on training data only.');
  else if (evaluation.unseen && evaluation.unseen.rows > 0) add('unseen', 'Unseen labels', 'Detection of attack labels absent from training', unseenTable(sets));
  const byLabel = labelBreakdown(input);
  if (byLabel) add('labels', 'By label', 'Where the errors come from', byLabelSection(input, byLabel), 'Every raw label value of this file with how the model classified its rows, most errors first. Labels the model never saw in training are the usual source of missed attacks.');
  add('model', 'Model card', 'Model card', await modelCardSection(input));
  add('data', 'Data', 'This file', dataSection(input));
  add('reproduce', 'Reproduce', 'Reproduce', reproduceSection(input));

  const at = input.evaluatedAt ?? new Date().toISOString();
  return renderPage({
    title: `Evaluation report: ${modelName(body)} on ${basename(input.dataFile)}`,
    subtitle: html`model <code>${basename(input.modelFile)}</code> (${targetName(body.task)}, trained on <code>${body.provenance.data.file}</code> ${formatUtcMinute(body.createdAt)}) · ${formatInt(m.n)} rows of <code>${name}</code> scored · ${formatUtcMinute(at)}`,
    nav,
    body: parts,
    footer: html`Generated by nadir ${NADIR_VERSION} <code>evaluate</code> (Node ${process.version}) on ${formatUtcMinute(at)}; model trained with nadir ${body.nadirVersion}. Self-contained: no scripts, no network; charts are inline SVG.`,
  });
}

/** Write the report atomically (temp file, then rename): a reader never sees half a page. */
export async function writeEvaluationReport(path: string, input: EvaluationReportInput): Promise<void> {
  await writeFileAtomic(path, await renderEvaluationReport(input));
}

/** sha256 of a file, streamed (data files can be large). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// this file against what the model recorded at training time

export interface TrainingComparison {
  /**
   * 'training-file': the data the model was trained on (same sha256 of the file or of its content): resubstitution numbers.
   * 'training-holdout': data the model was tested on at training time (same sha256 of the file or of its content).
   * 'new': neither (or no checksum was given).
   */
  relation: 'training-file' | 'training-holdout' | 'new';
  /** The training-time cross-validation metrics stored in the model, if any. */
  cv: Metrics | null;
  /** The stored metrics of this same file at training time ('training-holdout'). */
  recorded: { name: string; metrics: Metrics; same: boolean } | null;
  /** Binary or multi-class gap against CV: 'ok', 'note' (somewhat worse) or 'warn' (much worse); null without CV. */
  level: 'ok' | 'note' | 'warn' | null;
  /** CV accuracy − this file's accuracy (positive = this file is worse). */
  accuracyDrop: number | null;
  /** CV ROC-AUC − this file's ROC-AUC, when both are defined. */
  aucDrop: number | null;
  /** The summary's verdict in words. */
  callout: SafeHtml;
}

/**
 * Set this file against the model's training-time metrics and say in words what the gap means.
 * The gap levels are the training report's (`holdoutFindings`: much worse = accuracy 5 points or
 * ROC-AUC 0.03 below CV), so both reports judge alike.
 */
export function compareWithTraining(input: EvaluationReportInput): TrainingComparison {
  const { body, evaluation } = input;
  const m = evaluation.metrics;
  const name = displayName(input.dataFile);
  const cv = body.metrics.cv ?? null;
  const relation = relationTo(input);
  let recorded: TrainingComparison['recorded'] = null;
  if (relation === 'training-holdout') {
    const t = body.provenance.tests.find((x) => sameData(x, input))!;
    const stored = body.metrics.test?.[t.file];
    if (stored) recorded = { name: displayName(t.file), metrics: stored, same: sameMetrics(stored, m) };
  }

  const out: SafeHtml[] = [];
  if (relation === 'training-file') {
    out.push(
      callout(
        'warn',
        html`<p><strong>This is the file the model was trained on</strong> (same data as <code>${body.provenance.data.file}</code>: the sha256 matches). The model has seen every row, so these are resubstitution numbers: they say how well it memorised its training data, not how it will do on new traffic. ${cv ? html`The honest estimate from the same data is cross-validation (accuracy ${pct(cv.accuracy)}${cv.rocAuc !== null ? html`, ROC-AUC ${f4(cv.rocAuc)}` : ''}); a separately captured file is better still.` : 'Evaluate a separately captured file for an honest estimate.'}</p>`,
      ),
    );
    return { relation, cv, recorded, level: null, accuracyDrop: cv ? cv.accuracy - m.accuracy : null, aucDrop: cv && cv.rocAuc !== null && m.rocAuc !== null ? cv.rocAuc - m.rocAuc : null, callout: joinHtml(out) };
  }
  // the reproducibility check goes after the verdict
  const recordedCallout: SafeHtml | '' = !recorded
    ? ''
    : recorded.same
      ? callout('ok', html`<p>This file was the hold-out set <code>${recorded.name}</code> when the model was trained, and it scores exactly as recorded then (accuracy ${pct(m.accuracy)}, same confusion matrix): the model file reproduces its training-time evaluation.</p>`)
      : callout(
          'warn',
          html`<p><strong>This file was the hold-out set <code>${recorded.name}</code> at training time, but it scores differently now</strong>: accuracy ${pct(m.accuracy)} against ${pct(recorded.metrics.accuracy)} recorded then. The data is identical (the sha256 matches), so the difference comes from how it was read (other <code>--label</code>/format options) or from the model file.</p>`,
        );
  if (!cv) {
    out.push(callout('note', html`<p>The model holds no cross-validation metrics (it was trained with <code>--cv 0</code>), so there is no training-time estimate to compare ${name} with.</p>`));
    return { relation, cv, recorded, level: null, accuracyDrop: null, aucDrop: null, callout: joinHtml([...out, recordedCallout]) };
  }

  const finding = holdoutFindings({
    body,
    cv,
    tests: [{ file: input.dataFile, metrics: m, skipped: evaluation.skipped }],
    oof: null,
    train: { file: body.provenance.data.file, rows: body.provenance.data.rows, classes: {} },
    timings: {},
  })[0]!;
  if (finding.level === 'ok') {
    out.push(callout('ok', finding.html));
  } else {
    const warn = finding.level === 'warn';
    const unseen = (input.warnings ?? []).filter((w) => w.code === 'unseen-category');
    const nsl = body.schema.format === 'nsl-kdd';
    out.push(
      callout(
        warn ? 'warn' : 'note',
        html`<p><strong>${name} scores ${warn ? 'much' : 'somewhat'} worse than the model's cross-validation promised.</strong></p>${finding.html}<p><strong>Why this happens:</strong> cross-validation split the rows of the training capture (<code>${body.provenance.data.file}</code>), so every attack it tested had siblings in the training folds: it measures how well the model <em>recognises attacks it already knows</em>. ${name} was not part of training${nsl ? html`; NSL-KDD's test files hold attack types that never occur in the training file (e.g. <code>mscan</code>, <code>apache2</code>, <code>processtable</code>, <code>snmpgetattack</code>, <code>mailbomb</code>)` : ''}${unseen.length ? html`, and ${joinHtml(unseen.map((w) => html`<code>${w.column ?? '?'}</code> (${formatCount(w.count ?? 0, 'row')})`), ', ')} hold${unseen.length === 1 ? 's' : ''} values never seen in training` : ''}. Treat this file's figures as the estimate for traffic like it, and the CV figure as an upper bound.${labelHint(input)}</p>`,
      ),
    );
  }
  return { relation, cv, recorded, level: finding.level, accuracyDrop: finding.accuracyDrop, aucDrop: finding.aucDrop, callout: joinHtml([...out, recordedCallout]) };
}

/**
 * The evaluated file holds the same data as a file recorded in the model: the same bytes, or the
 * same content once decompressed (a file's content is its bytes when it is not compressed).
 */
function sameData(recorded: FileProvenance, input: Pick<EvaluationReportInput, 'dataSha256' | 'dataContentSha256'>): boolean {
  if (input.dataSha256 === undefined) return false;
  return recorded.sha256 === input.dataSha256 || (recorded.contentSha256 ?? recorded.sha256) === (input.dataContentSha256 ?? input.dataSha256);
}

function relationTo(input: EvaluationReportInput): TrainingComparison['relation'] {
  const p = input.body.provenance;
  return sameData(p.data, input) ? 'training-file' : p.tests.some((t) => sameData(t, input)) ? 'training-holdout' : 'new';
}

/** Two evaluations of the same rows agree: same counts, same scores up to rounding. */
function sameMetrics(a: Metrics, b: Metrics): boolean {
  if (a.n !== b.n || a.classes.join('\u0000') !== b.classes.join('\u0000')) return false;
  if (JSON.stringify(a.confusionMatrix) !== JSON.stringify(b.confusionMatrix)) return false;
  const close = (x: number | null, y: number | null): boolean => (x === null || y === null ? x === y : Math.abs(x - y) <= 1e-9);
  return close(a.accuracy, b.accuracy) && close(a.rocAuc, b.rocAuc);
}

function labelHint(input: EvaluationReportInput): HtmlValue {
  const rows = labelBreakdown(input);
  if (!rows) return '';
  const binary = input.body.task === 'binary';
  const missed = rows.filter((r) => (binary ? !r.normal : true) && r.errors > 0).slice(0, 3);
  if (!missed.length) return '';
  return html` ${binary ? 'The attacks missed most often here' : 'The labels misclassified most often here'}: ${joinHtml(missed.map((r) => html`<code>${r.label}</code> (${formatInt(r.errors)} of ${formatInt(r.rows)})`), ', ')} — see <a href="#labels">where the errors come from</a>.`;
}

// ---------------------------------------------------------------------------------------------
// errors by raw label

export interface LabelRow {
  label: string;
  /** A normal-traffic label (binary task). */
  normal: boolean;
  rows: number;
  /** Rows classified wrongly: binary normal → flagged as attack; binary attack → scored normal; multi-class → another class. */
  errors: number;
  /** Binary: rows flagged as attack. */
  flagged: number;
  /** Multi-class: the most frequent wrong prediction. */
  confusedWith: string | null;
}

/**
 * Errors per raw label value of the evaluated file (e.g. per NSL-KDD attack name), most errors
 * first. The evaluated rows are the labelled rows of the file in file order (binary task) or the
 * rows of a class the model knows (category task); the decision rule is the Detector's
 * (binary: P(attack) ≥ threshold, else the most probable class). Returns null when the rows
 * cannot be matched (no dataset given, the raw-label task, or a row count that does not add up).
 */
export function labelBreakdown(input: EvaluationReportInput): LabelRow[] | null {
  const { dataset: ds, body, evaluation } = input;
  if (!ds || body.task === 'label') return null;
  const { y, proba } = evaluation;
  const k = body.classes.length;
  const codes = ds.labels.codes;
  if (body.task === 'binary' && evaluation.skipped > 0) return null;
  // evaluated row j ↔ the j-th file row with a label (binary) — checked by the count below
  let labelled = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0) labelled++;
  if (labelled !== y.length + evaluation.skipped || (body.task !== 'binary' && evaluation.skipped > 0)) return null;
  const dict = ds.labels.dictionary;
  const rows = new Float64Array(dict.length);
  const errors = new Float64Array(dict.length);
  const flagged = new Float64Array(dict.length);
  const confused = new Float64Array(dict.length * k);
  const normal = new Set(ds.normalLabels.map((s) => s.toLowerCase()));
  const threshold = thresholdOf(body) ?? 0.5;
  // one pass, typed counters: no per-row objects
  let j = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c < 0) continue;
    let pred: number;
    if (body.task === 'binary') pred = proba[j * 2 + 1]! >= threshold ? 1 : 0;
    else {
      pred = 0;
      for (let q = 1; q < k; q++) if (proba[j * k + q]! > proba[j * k + pred]!) pred = q;
    }
    rows[c]!++;
    if (pred === 1 && body.task === 'binary') flagged[c]!++;
    if (pred !== y[j]) {
      errors[c]!++;
      confused[c * k + pred]!++;
    }
    j++;
  }
  const out: LabelRow[] = [];
  for (let c = 0; c < dict.length; c++) {
    if (rows[c] === 0) continue;
    let best = -1;
    for (let q = 0; q < k; q++) if (confused[c * k + q]! > 0 && (best < 0 || confused[c * k + q]! > confused[c * k + best]!)) best = q;
    out.push({ label: dict[c]!, normal: normal.has(dict[c]!.toLowerCase()), rows: rows[c]!, errors: errors[c]!, flagged: flagged[c]!, confusedWith: best >= 0 && body.task !== 'binary' ? body.classes[best]! : null });
  }
  return out.sort((a, b) => b.errors - a.errors || b.rows - a.rows || (a.label < b.label ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------
// sections

function headlineCards(input: EvaluationReportInput, cmp: TrainingComparison): Card[] {
  const m = input.evaluation.metrics;
  const cv = cmp.cv;
  const vs = (v: number, base: number | undefined | null, points = true): string =>
    base === undefined || base === null ? '' : ` (${points ? formatSignedPoints(v - base) : formatSigned(v - base)} vs CV)`;
  const out: Card[] = [
    { label: 'rows scored', value: formatInt(m.n), hint: input.evaluation.skipped ? `${formatInt(input.evaluation.skipped)} left out (unknown class)` : m.classes.map((c, i) => `${formatInt(m.support[i] ?? 0)} ${c}`).slice(0, 3).join(' · ') },
    { label: 'accuracy', value: pct(m.accuracy), hint: `training CV ${cv ? pct(cv.accuracy) : '–'}${vs(m.accuracy, cv?.accuracy)}` },
    { label: 'ROC-AUC', value: f4(m.rocAuc), hint: m.rocAuc !== null && cv && cv.rocAuc !== null ? `training CV ${f4(cv.rocAuc)}${vs(m.rocAuc, cv.rocAuc, false)}` : m.task === 'binary' ? 'threshold-free ranking quality' : 'one-vs-rest, macro' },
  ];
  const b = binaryErrors(m);
  if (b && thresholdOf(input.body) !== null) {
    out.push({ label: 'detection rate (recall)', value: pct(b.tpr), hint: `${formatInt(b.fn)} of ${formatInt(b.attacks)} attacks missed` });
    out.push({ label: 'false-positive rate', value: pct(b.fpr), hint: `${formatInt(b.fp)} false alarms · ≈ ${formatPerTenThousand(b.fpr)} per 10,000 normal` });
    out.push({ label: `threshold on ${scoreKind(input.body).probability ? scoreKind(input.body).name : 'the anomaly score'}`, value: formatNumber(thresholdOf(input.body)!, 4), hint: thresholdMethodName(thresholdInfoOf(input.body), { short: true, training: true }) });
  } else {
    out.push({ label: 'macro F1', value: f4(m.f1), hint: `weighted F1 ${f4(m.weighted.f1)}${cv ? ` · CV ${f4(cv.f1)}` : ''}` });
  }
  return out;
}

interface Column {
  name: HtmlValue;
  metrics: Metrics;
  color: string;
  isThis: boolean;
}

/** Training CV, the hold-out sets recorded at training time, then this file (with its change against CV). */
function comparisonColumns(input: EvaluationReportInput, cmp: TrainingComparison): Column[] {
  const cols: Column[] = [];
  const folds = input.body.provenance.options.cv;
  if (cmp.cv) cols.push({ name: `training ${typeof folds === 'number' ? `${folds}-fold ` : ''}CV`, metrics: cmp.cv, color: CV_COLOR, isThis: false });
  const palette = ['#54A24B', '#B279A2', '#72B7B2', '#9D755D'];
  Object.entries(input.body.metrics.test ?? {}).forEach(([file, metrics], i) => cols.push({ name: html`${displayName(file)}<br><span style="font-weight:400;color:var(--muted)">at training</span>`, metrics, color: palette[i % palette.length]!, isThis: false }));
  cols.push({ name: html`<strong>${displayName(input.dataFile)}</strong><br><span style="font-weight:400;color:var(--muted)">this file, now</span>`, metrics: input.evaluation.metrics, color: THIS_COLOR, isThis: true });
  return cols;
}

function comparisonIntro(input: EvaluationReportInput, cmp: TrainingComparison): HtmlValue {
  const thr = input.body.task === 'binary' && thresholdOf(input.body) !== null ? thresholdRule(input.body, thresholdOf(input.body)!, ' in every column') : ' Multi-class: the predicted class is the most probable one.';
  const cv = cmp.cv ? 'Training CV: stratified folds of the training file, preprocessing fitted inside each fold, stored in the model file.' : 'The model holds no cross-validation metrics (trained with --cv 0).';
  return html`${cv} The badges under this file's numbers give its change against CV.${thr}`;
}

function comparisonTable(input: EvaluationReportInput, cmp: TrainingComparison): SafeHtml {
  const columns: MetricColumn[] = comparisonColumns(input, cmp).map((c) => ({ label: c.name, color: c.color, metrics: c.metrics, base: c.isThis ? cmp.cv : null, strong: c.isThis }));
  const binary = input.evaluation.metrics.task === 'binary' && input.body.task === 'binary';
  return metricsTable(metricRows(binary, { fprNextToRecall: true, score: scoreKind(input.body) }), columns, 'metrics comparison');
}

async function confusionSection(input: EvaluationReportInput): Promise<HtmlValue> {
  const m = input.evaluation.metrics;
  const binary = m.task === 'binary';
  const sets: Array<{ title: string; metrics: Metrics; label: string }> = [{ title: displayName(input.dataFile), metrics: m, label: `Confusion matrix, ${displayName(input.dataFile)}` }];
  const cv = input.body.metrics.cv;
  if (cv) sets.push({ title: 'training CV (out-of-fold)', metrics: cv, label: 'Confusion matrix, training CV' });
  const charts = await Promise.all(sets.map((s) => renderChart(confusionMatrixSpec(s.metrics, s.title), { label: s.label })));
  return html`<div class="row">${charts.map((c, i) => html`<div style="flex:1 1 300px;max-width:${binary ? 420 : 640}px">${c}${errorLine(sets[i]!.metrics)}</div>`)}</div>`;
}

async function curvesSection(input: EvaluationReportInput): Promise<HtmlValue> {
  const m = input.evaluation.metrics;
  const name = displayName(input.dataFile);
  const sets: ChartSet[] = [{ label: name, color: THIS_COLOR, metrics: m }];
  const b = binaryErrors(m);
  const op = b ? html`◆ operating point: false-positive rate ${pct(b.fpr)}, detection rate ${pct(b.tpr)}, precision ${pct(m.precision)}` : '';
  const parts = await curvesPanel(sets, html`<span style="color:var(--muted)">${op}</span>`);
  const { body } = input;
  if (thresholdOf(body) !== null && body.classes.length === 2) {
    parts.push(
      await scoreDistribution(input.evaluation, body.classes, m.positive, thresholdOf(body)!, {
        label: 'Score distribution',
        caption: 'Normal rows right of the threshold are the false alarms an analyst would triage; attacks left of it are the misses.',
        // this page's scores are the file's, not out-of-fold ones
        title: `Scores on ${name} by true class`,
        scoreLabel: scoreKind(body).probability ? `P(${body.classes[positiveIndex(body.classes, m.positive)]})` : 'anomaly score s(x)',
      }),
    );
  }
  return parts;
}

function thresholdSection(input: EvaluationReportInput): HtmlValue {
  const { body } = input;
  const m = input.evaluation.metrics;
  if (thresholdOf(body) === null) return html`<p class="empty">No threshold (the model predicts the most probable class).</p>`;
  const info = thresholdInfoOf(body);
  const b = binaryErrors(m);
  const rows: ThresholdCostRow[] = [];
  // the CV metrics are taken at the model's threshold, on the out-of-fold scores the threshold was chosen from
  const chosenThere = info?.method === 'max-fpr' || info?.method === 'f1';
  const c = body.metrics.cv ? binaryErrors(body.metrics.cv) : null;
  if (c) rows.push(costRow(chosenThere ? 'training CV, out-of-fold (where the threshold was chosen)' : 'training CV, out-of-fold', CV_COLOR, c));
  else if (chosenThere && info.oofFpr !== undefined && info.oofFpr !== null) rows.push({ name: 'training, out-of-fold (where the threshold was chosen)', fpr: info.oofFpr, tpr: info.oofTpr ?? null, color: CV_COLOR });
  else if (info?.method === 'max-fpr-in-sample' && info.trainFpr !== undefined && info.trainFpr !== null) rows.push({ name: 'training, in-sample (where the threshold was chosen)', fpr: info.trainFpr, tpr: info.trainTpr ?? null, color: CV_COLOR });
  if (b) rows.push(costRow(html`<strong>${displayName(input.dataFile)}</strong>`, THIS_COLOR, b));
  const target = info?.maxFpr;
  const table = thresholdCostTable(rows, { setLabel: 'scores of', caption: 'What the threshold costs', ...(target !== undefined ? { maxFpr: target } : {}) });
  let verdict: HtmlValue = '';
  if (b && target !== undefined && Number.isFinite(b.fpr)) {
    verdict =
      b.fpr <= target
        ? callout('ok', html`<p>On ${displayName(input.dataFile)} the false-positive rate stays within the model's target of ${pct(target)}: ${formatInt(b.fp)} false alarms among ${formatInt(b.normals)} normal connections.</p>`)
        : callout('warn', html`<p><strong>On ${displayName(input.dataFile)} the false-positive rate is ${pct(b.fpr)}, above the model's target of ${pct(target)}</strong> (${formatInt(b.fp)} false alarms among ${formatInt(b.normals)} normal connections). The threshold was calibrated on the training traffic; normal traffic here looks different to the model. Re-calibrate on a labelled sample of this traffic before relying on the alert volume.</p>`);
  }
  return html`${thresholdHeader(thresholdOf(body)!, thresholdMethodName(info, { training: true }), thresholdHow(body), scoreKind(body))}${table}${verdict}`;
}

function thresholdHow(body: ModelBody): SafeHtml {
  const info = thresholdInfoOf(body);
  if (info?.method === 'max-fpr') {
    return html`<p>Chosen at training time from the <strong>out-of-fold scores of the training data only</strong>: the lowest threshold whose false-positive rate on normal training traffic stays within the target of <strong>${pct(info.maxFpr ?? NaN)}</strong>, which gives the highest detection rate under that budget. Every prediction of this model uses it; this file played no part in choosing it.</p>`;
  }
  if (info?.method === 'max-fpr-in-sample') {
    return html`<p>Chosen at training time <strong>in-sample</strong>, on the training rows' own scores (there was no cross-validation): the lowest threshold that flags at most <strong>${pct(info.maxFpr ?? NaN)}</strong> of normal training traffic. The model was fitted on those rows, so its false-positive rate on other normal traffic is likely higher. This file played no part in choosing it.</p>`;
  }
  if (info?.method === 'f1') return html`<p>Chosen at training time from the <strong>out-of-fold scores of the training data only</strong> as the threshold with the best F1 of the attack class. This file played no part in choosing it.</p>`;
  return html`<p>A fixed threshold set at training time (not tuned on any data). To bound the alert volume instead, train with <code>--threshold auto --max-fpr 0.01</code>.</p>`;
}

function perClassSection(input: EvaluationReportInput): HtmlValue {
  const m = input.evaluation.metrics;
  const cv = input.body.metrics.cv;
  const rows = m.classes.map((c) => ({ c, m: m.perClass[c], cv: cv?.perClass[c], cell: { metrics: m.perClass[c], predicted: predictedCount(m, c) } }));
  type Row = (typeof rows)[number];
  const get = (r: Row): PerClassCell => r.cell;
  return perClassTable<Row>(
    [
      { label: 'class', cell: (r) => html`<strong>${r.c}</strong>` },
      ...perClassColumns(get),
      ...(cv
        ? [
            { label: 'CV recall', cell: (r: Row) => f4(r.cv?.recall), align: 'right' as const, title: 'recall of this class in training cross-validation' },
            { label: 'change', align: 'right' as const, cell: (r: Row) => (r.m && r.cv && r.m.support > 0 ? deltaBadge(r.m.recall - r.cv.recall, { kind: 'pct' }) : '–') },
          ]
        : []),
    ],
    rows,
    get,
  );
}

/**
 * Rows a label needs before a badge says anything about it: 9 of 9 attacks missed is a finding,
 * 2 of 2 may be chance. A normal label needs more, since its badge is about a 5% share.
 */
export const BADGE_MIN_ROWS = { attack: 5, normal: 10 } as const;

/**
 * The badge of a label's row: a normal label with more than 5% of its rows flagged has many false
 * alarms; an attack label (or any label of a multi-class model) whose rows are mostly not caught
 * (classified correctly) is mostly missed, or all missed when none is.
 */
export function labelBadge(r: LabelRow, binary: boolean): HtmlValue {
  if (binary && r.normal) return r.rows >= BADGE_MIN_ROWS.normal && r.flagged / r.rows > 0.05 ? badge('many false alarms', 'bad') : '';
  if (r.rows < BADGE_MIN_ROWS.attack) return '';
  const caught = binary ? r.flagged : r.rows - r.errors;
  return caught === 0 ? badge('all missed', 'bad') : caught / r.rows < 0.5 ? badge('mostly missed', 'bad') : '';
}

function byLabelSection(input: EvaluationReportInput, rows: LabelRow[]): HtmlValue {
  const binary = input.body.task === 'binary';
  const shown = rows.slice(0, 25);
  const table = renderTable(
    [
      { label: 'label', cell: (r: LabelRow) => html`<code>${r.label}</code>` },
      ...(binary ? [{ label: 'traffic', cell: (r: LabelRow) => (r.normal ? badge('normal', 'info') : badge('attack', 'muted')) }] : []),
      { label: 'rows', cell: (r) => formatInt(r.rows), align: 'right' },
      {
        label: binary ? 'errors' : 'misclassified',
        cell: (r) => (r.errors ? html`<span class="bar-inline" style="width:${Math.max(2, Math.round((90 * r.errors) / Math.max(1, shown[0]!.errors)))}px"></span>${formatInt(r.errors)}${binary ? (r.normal ? ' false alarms' : ' missed') : ''}` : '0'),
      },
      { label: binary ? 'flagged as attack' : 'correct', cell: (r) => pct(binary ? r.flagged / r.rows : 1 - r.errors / r.rows, 1), align: 'right' },
      // the badge in a column of its own keeps the shares right next to the counts
      { label: '', cell: (r) => labelBadge(r, binary) },
      ...(binary ? [] : [{ label: 'most often taken for', cell: (r: LabelRow) => r.confusedWith ?? '–' }]),
    ],
    shown,
    { rowClass: (r) => (r.errors === 0 ? 'dim' : undefined) },
  );
  const more = rows.length > shown.length ? html`<p style="color:var(--muted)">${formatInt(rows.length - shown.length)} more labels with ${formatCount(rows.slice(shown.length).reduce((a, r) => a + r.errors, 0), 'error')} in all.</p>` : '';
  return html`<div style="max-width:900px">${table}${more}</div>`;
}

async function modelCardSection(input: EvaluationReportInput): Promise<HtmlValue> {
  const { body } = input;
  const inputs = body.schema.inputs;
  const nCat = inputs.filter((i) => i.kind === 'categorical').length;
  const p = body.provenance;
  const kv = facts('model', [
    ['model file', html`<code>${input.modelFile}</code>`],
    ['learner', html`${modelName(body)} <span style="color:var(--muted)">(${body.learner.type} v${body.learner.version})</span>`],
    ['learner options', html`<code>${JSON.stringify(p.options.learner ?? body.learner.options)}</code>`],
    ['task', targetName(body.task)],
    ['classes', html`${joinHtml(body.classes.map((c) => html`<code>${c}</code>`), ', ')}`],
    ['decision', thresholdOf(body) !== null ? html`${scoreKind(body).name} ≥ <strong>${formatNumber(thresholdOf(body)!, 4)}</strong> → attack (${thresholdMethodName(thresholdInfoOf(body), { training: true })})${scoreKind(body).probability ? '' : html`<br><span style="color:var(--muted)">${scoreKind(body).note}</span>`}` : 'the most probable class'],
    ['input columns', `${inputs.length} (${inputs.length - nCat} numeric, ${nCat} categorical)`],
    ['label column', html`<code>${body.schema.labelColumn}</code> (${body.schema.format}; normal: ${body.schema.normalLabels.join(', ') || '–'})`],
  ]);
  const prov = facts('training', [
    ['training data', html`<code>${p.data.file}</code> · ${formatInt(p.data.rows)} rows`],
    ...checksumRows(p.data, { prefix: 'training data: ' }),
    ...p.tests.map((t) => [html`hold-out at training`, html`<code>${t.file}</code> · ${formatInt(t.rows)} rows`] as const),
    ['cross-validation', p.options.cv !== undefined && Number(p.options.cv) >= 2 ? `${String(p.options.cv)} folds, stratified` : 'none'],
    ['seed', String(p.options.seed ?? '–')],
    ['trained', `${formatUtcMinute(body.createdAt)} with nadir ${body.nadirVersion}, Node ${p.node}`],
    ...(p.command ? [['command', html`<code>${p.command}</code>`] as const] : []),
  ]);
  const parts: HtmlValue[] = [html`<div class="row"><div>${kv}</div><div>${prov}</div></div>`];
  const { gain, permutation } = body.importance;
  const charts: SafeHtml[] = [];
  const notes: SafeHtml[] = [];
  if (gain && gain.length) {
    if (carriedImportance(gain).length) charts.push(await renderChart(gainSpec(gain, 15), { label: 'Gain importance', caption: 'Recorded at training: how much each column reduced the training loss across all splits.' }));
    else notes.push(html`<p class="empty">No column carried gain importance: the trees made no split.</p>`);
  }
  if (permutation && permutation.length) {
    const where = p.tests.length ? `the hold-out set ${displayName(p.tests[0]!.file)}` : 'the training data';
    const scoreName = body.task === 'binary' ? 'ROC-AUC' : 'accuracy';
    if (carriedImportance(permutation).length) charts.push(await renderChart(permutationSpec(permutation, scoreName, 15), { label: 'Permutation importance', caption: `Recorded at training, measured on ${where}.` }));
    else notes.push(html`<p class="empty">No column carried permutation importance: at training, shuffling no single column lowered ${scoreName} on ${where}.</p>`);
  }
  if (charts.length || notes.length) parts.push(html`<h3>What the model relies on</h3>${charts.length ? chartRow(charts, 460) : ''}${notes}`);
  return parts;
}

/** A two-column fact table whose values wrap (model options and commands are long). */
function facts(title: string, rows: ReadonlyArray<readonly [HtmlValue, HtmlValue]>): SafeHtml {
  return renderTable<readonly [HtmlValue, HtmlValue]>(
    [
      { label: title, cell: (r) => r[0] },
      { label: '', cell: (r) => html`<span style="white-space:normal;word-break:break-word">${r[1]}</span>` },
    ],
    rows,
    { className: 'facts' },
  );
}

function dataSection(input: EvaluationReportInput): HtmlValue {
  const m = input.evaluation.metrics;
  const ds = input.dataset;
  const relation = relationTo(input);
  const rel = input.dataSha256 === undefined ? '' : relation === 'training-file' ? 'the training data' : relation === 'training-holdout' ? 'a training-time hold-out' : 'not seen at training';
  const kv = facts('file', [
    ['path', html`<code>${input.dataFile}</code>`],
    ...(ds ? [['format', formatName(ds.format)] as const, ['rows loaded', formatInt(ds.features.nRows)] as const] : []),
    ...(ds && ds.skippedRows ? [['malformed lines skipped', formatInt(ds.skippedRows)] as const] : []),
    ['rows scored', formatInt(m.n)],
    ['left out', input.evaluation.skipped ? html`${formatInt(input.evaluation.skipped)} ${badge('class unknown to the model', 'warn')}` : '0'],
    ...(input.dataSha256 !== undefined ? checksumRows({ file: basename(input.dataFile), sha256: input.dataSha256, contentSha256: input.dataContentSha256 }) : []),
    ...(rel ? [['seen at training', rel] as const] : []),
  ]);
  const classes = classShareTable(
    m.classes.map((c, i) => [c, m.support[i] ?? 0] as const),
    input.body.task,
    { label: 'true class', caption: 'Classes in this file' },
  );
  const warnings = input.warnings ?? [];
  const list = warnings.length
    ? html`<h3>Warnings while reading and scoring</h3><ul>${warnings.slice(0, 30).map((w) => html`<li>${w.code === 'unseen-category' ? badge('unseen values', 'warn') : ''} ${w.message}</li>`)}</ul>${warnings.length > 30 ? html`<p style="color:var(--muted)">${formatInt(warnings.length - 30)} more</p>` : ''}`
    : html`<p style="color:var(--muted)">No warnings while reading and scoring: every column the model needs was present, with no value it had not seen in training.</p>`;
  return html`<div class="row"><div>${kv}</div><div>${classes}</div></div>${list}`;
}

function reproduceSection(input: EvaluationReportInput): HtmlValue {
  const given = input.command?.trim();
  const cmd = given || `nadir evaluate --model ${shellQuote(input.modelFile)} --data ${shellQuote(input.dataFile)}${input.body.schema.format === 'generic' ? ` --label ${shellQuote(input.body.schema.labelColumn)}` : ''} --report report.html`;
  const t = input.timings ?? {};
  const timing = Object.keys(t).length ? html`<p style="color:var(--muted)">${joinHtml(Object.entries(t).map(([k, v]) => `${k} ${seconds(v)}`), ' · ')} (wall clock on this machine)</p>` : '';
  return html`<p>${given ? 'The command that produced this report:' : 'This command reproduces the report:'}</p>
${commandBlock(cmd)}
<p style="color:var(--muted)">Scoring is deterministic: the same model file and the same data file give the same numbers.</p>${timing}`;
}

// ---------------------------------------------------------------------------------------------
// helpers

function formatName(f: DatasetFormat): string {
  return f === 'nsl-kdd' ? 'NSL-KDD' : f === 'cic-ids2017' ? 'CIC-IDS2017' : f === 'unsw-nb15' ? 'UNSW-NB15' : f === 'zeek-conn' ? 'Zeek conn.log' : f === 'suricata-eve' ? 'Suricata EVE JSON' : 'CSV/JSONL/Parquet with a label column';
}
