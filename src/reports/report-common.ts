/**
 * What the training report (training-report.ts) and the evaluation report (evaluation-report.ts)
 * say alike: model and target names, the binary error counts, the metric rows with their change
 * against cross-validation, the table of what the threshold costs, the per-class columns, the
 * ROC / PR panel and the score distribution, and the short number formats both use. One place,
 * so that the two pages word and judge the same numbers the same way.
 */
import { basename } from 'node:path';
import type { ClassMetrics, Metrics } from '../eval/types.js';
import type { ModelBody } from '../model/types.js';
import { badge, cards, html, renderChart, renderTable, type HtmlValue, type SafeHtml, type TableColumn } from './kit/index.js';
import { formatFixed, formatInt, formatNumber, formatPercent, formatPerTenThousand, formatSigned, formatSignedPoints } from '../util/format.js';
import { curveSpec, scoreHistogramSpec, type ChartSet, type ScoreHistogramOptions } from './training-report-charts.js';
import { type ThresholdInfo } from '../model/decision.js';
import { isLearnerType, learnerSpec } from '../learners/registry.js';
import type { LearnerSpec } from '../learners/spec.js';

// ---------------------------------------------------------------------------------------------
// names

const TARGET_NAMES: Record<string, string> = {
  binary: 'binary: normal vs attack',
  category: 'attack category',
  label: 'attack name',
};

/** The `--model` choice of a model file, e.g. "gbdt" (the learner type when none was recorded). */
export function modelType(body: ModelBody): string {
  return String(body.provenance.options.model ?? body.learner.type);
}

/** The learner's spec, when the model's learner is one this nadir knows. */
function specOf(body: Pick<ModelBody, 'learner' | 'provenance'>): LearnerSpec | undefined {
  const model = String(body.provenance.options.model ?? body.learner.type);
  return isLearnerType(model) ? learnerSpec(model) : undefined;
}

/** The learner's kind (classifier / anomaly detector) per its spec; undefined for a learner unknown here. */
export function learnerKind(body: Pick<ModelBody, 'learner' | 'provenance'>): LearnerSpec['kind'] | undefined {
  return specOf(body)?.kind;
}

/** The importance the learner learns while fitting, per its spec. */
export function learnerImportance(body: Pick<ModelBody, 'learner' | 'provenance'>): LearnerSpec['importance'] | undefined {
  return specOf(body)?.importance;
}

/** "gbdt" → "gradient-boosted trees" (from the learner's spec; an unknown type as it is). */
export function modelName(body: ModelBody): string {
  return specOf(body)?.name ?? modelType(body);
}

/**
 * What a binary model's score is, so that no page calls an anomaly score a probability.
 * Classifiers (gbdt, rf, logreg) give P(attack). The isolation forest gives the anomaly score
 * s(x) = 2^(−E[h(x)] / c(ψ)) of Liu, Ting & Zhou (2008): in (0, 1), higher = more anomalous
 * (shorter average path), but not a probability — so its log loss means nothing.
 */
export interface ScoreKind {
  /** False for the isolation forest's anomaly score. */
  probability: boolean;
  /** In a sentence or a label: "P(attack)" or "anomaly score s(x)". */
  name: string;
  /** Explained once per page. */
  note: string;
}

export function scoreKind(body: Pick<ModelBody, 'learner' | 'provenance' | 'classes'>): ScoreKind {
  const positive = body.classes[1] ?? 'attack';
  const spec = specOf(body);
  if (spec?.score === 'anomaly-score') {
    return { probability: false, name: spec.scoreText?.name ?? 'anomaly score', note: spec.scoreText?.note ?? `the ${spec.name}'s anomaly score: higher = more anomalous; not a probability` };
  }
  return { probability: true, name: `P(${positive})`, note: `the model’s probability of ${positive}` };
}

/** The sentence on the decision rule of a binary model's metrics, naming what the threshold is applied to. */
export function thresholdRule(body: Pick<ModelBody, 'learner' | 'provenance' | 'classes'>, threshold: number, where = ''): SafeHtml {
  const score = scoreKind(body);
  return score.probability
    ? html` Thresholded metrics use ${score.name} ≥ ${formatNumber(threshold, 4)}${where}; attack is the positive class.`
    : html` Thresholded metrics use s(x) ≥ ${formatNumber(threshold, 4)}${where}, ${score.note}, so no log loss is given; attack is the positive class.`;
}

/**
 * A data file's checksums as labelled key-value rows, saying which bytes each sha256 is of: for a
 * gzip file the decompressed content (what `zcat f.gz | sha256sum` prints and checksum lists of
 * the uncompressed data give) and the compressed file bytes; otherwise the file bytes. `full`
 * prints whole digests (the reproduce sections), else 16 digits with the rest in a tooltip.
 */
export function checksumRows(p: { file: string; sha256: string; contentSha256?: string | undefined }, opts: { full?: boolean; prefix?: string } = {}): Array<readonly [HtmlValue, HtmlValue]> {
  const digest = (h: string): SafeHtml => (opts.full ? html`<code>${h}</code>` : html`<code title="${h}">${h.slice(0, 16)}…</code>`);
  const pre = opts.prefix ?? '';
  const compressed = p.contentSha256 !== undefined || /\.gz$/i.test(p.file);
  const rows: Array<readonly [HtmlValue, HtmlValue]> = [];
  if (p.contentSha256 !== undefined) {
    rows.push([html`<span title="what zcat ${p.file} | sha256sum prints, and what checksum lists of the uncompressed data give">${pre}sha256 of the content (decompressed)</span>`, digest(p.contentSha256)]);
  }
  rows.push([`${pre}sha256 of the file bytes${compressed ? ' (compressed)' : ''}`, digest(p.sha256)]);
  return rows;
}

/** "binary" → "binary: normal vs attack" (an unknown target as it is). */
export function targetName(task: string): string {
  return TARGET_NAMES[task] ?? task;
}

/** "data/nsl-kdd/KDDTest+.txt.gz" → "KDDTest+". */
export function displayName(file: string): string {
  const b = basename(file);
  const s = b.replace(/(\.(gz|txt|csv|tsv|jsonl|json|parquet|arff))+$/i, '');
  return s || b;
}

/**
 * How the threshold was chosen, in a few words. `short` is for a card's hint; `training` says
 * that the out-of-fold scores were the training data's (the evaluation report, where the page
 * is about another file).
 */
export function thresholdMethodName(info: ThresholdInfo | undefined, opts: { short?: boolean; training?: boolean } = {}): string {
  const where = opts.training ? (opts.short ? ' in training' : ' on out-of-fold training scores') : opts.short ? '' : ' on out-of-fold scores';
  if (info?.method === 'max-fpr') return `auto${opts.short ? ',' : ':'} FPR ≤ ${pct(info.maxFpr ?? NaN, opts.short ? 1 : 2)}${where}`;
  if (info?.method === 'f1') return `best F1${where}`;
  if (info?.method === 'max-fpr-in-sample') return `in-sample${opts.short ? ',' : ':'} FPR ≤ ${pct(info.maxFpr ?? NaN, opts.short ? 1 : 2)}${opts.short ? '' : ' on the training rows’ own scores (no CV)'}`;
  return 'fixed';
}

/**
 * Whether a binary model's threshold was chosen on its own out-of-fold scores ('auto': the
 * highest recall within maxFpr; 'f1': the best F1). Its cross-validated metrics at that threshold
 * are then measured on the very scores it was tuned on, hence optimistic by construction (nested
 * calibration inside each fold would avoid it; we label it instead). ROC-AUC and log loss do not
 * depend on the threshold; a fixed threshold, and a multi-class model's most probable class, are
 * not tuned on the scores.
 */
export function thresholdChosenOnCvScores(body: Pick<ModelBody, 'decision'>): boolean {
  return body.decision.kind === 'threshold' && (body.decision.method === 'max-fpr' || body.decision.method === 'f1');
}

/** Why such CV metrics are optimistic, in one sentence (the JSON's `cv.note`; the reports say it in their words). */
export const CV_THRESHOLD_NOTE =
  'the decision threshold was chosen on these same out-of-fold scores, so the metrics at it (accuracy, precision, recall, f1, fpr, confusionMatrix) are optimistic by construction; rocAuc and logLoss do not depend on it, and the test sets give the honest estimate';

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------------
// short number formats of both reports

/** A share as a percentage with two decimals ('–' when not finite). */
export function pct(x: number, digits = 2): string {
  return formatPercent(x, digits);
}

/** A score with four decimals ('–' when missing). */
export function f4(x: number | null | undefined): string {
  return formatFixed(x, 4);
}

/** Seconds of wall clock: two decimals below 10 s, one above. */
export function seconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// binary errors

export interface BinaryErrors {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
  attacks: number;
  normals: number;
  tpr: number;
  fpr: number;
}

/** Counts of the binary confusion matrix with the positive (attack) class from the metrics. */
export function binaryErrors(m: Metrics): BinaryErrors | null {
  if (m.task !== 'binary' || m.classes.length !== 2) return null;
  const pos = m.positive !== undefined ? m.classes.indexOf(m.positive) : 1;
  if (pos < 0) return null;
  const neg = 1 - pos;
  const cm = m.confusionMatrix;
  const tp = cm[pos]?.[pos] ?? 0;
  const fn = cm[pos]?.[neg] ?? 0;
  const fp = cm[neg]?.[pos] ?? 0;
  const tn = cm[neg]?.[neg] ?? 0;
  return { tp, fn, fp, tn, attacks: tp + fn, normals: fp + tn, tpr: tp + fn > 0 ? tp / (tp + fn) : NaN, fpr: fp + tn > 0 ? fp / (fp + tn) : NaN };
}

/** The line under a binary confusion matrix: attacks caught and missed, normal rows passed and flagged. */
export function errorLine(m: Metrics): HtmlValue {
  const b = binaryErrors(m);
  if (!b) return '';
  return html`<p style="margin:6px 2px 0;font-size:12px;color:var(--muted)">${formatInt(b.tp)} attacks caught · <span style="color:#b3261e">${formatInt(b.fn)} missed</span><br>${formatInt(b.tn)} normal passed · <span style="color:#b3261e">${formatInt(b.fp)} false alarms</span></p>`;
}

// ---------------------------------------------------------------------------------------------
// metric rows and their change against cross-validation

export interface MetricRow {
  label: string;
  hint: string;
  get: (m: Metrics) => number | null | undefined;
  kind: 'pct' | 'score' | 'loss' | 'count';
  /** A rise is a loss (false-positive rate, log loss). */
  lowerIsBetter?: boolean;
}

/**
 * The metrics both reports list, binary or multi-class. With `fprNextToRecall` the binary
 * false-positive rate follows recall (the evaluation report: the two rates the model runs at);
 * otherwise it comes after the threshold-free scores.
 */
export function metricRows(binary: boolean, opts: { fprNextToRecall?: boolean; score?: ScoreKind } = {}): MetricRow[] {
  const head: MetricRow[] = [{ label: 'Accuracy', hint: 'rows classified correctly', get: (m) => m.accuracy, kind: 'pct' }];
  // an anomaly score is not a probability: its log loss would be a number without a meaning
  const probability = opts.score?.probability ?? true;
  const tail: MetricRow[] = [
    ...(probability ? [{ label: 'Log loss', hint: 'quality of the probabilities (lower is better)', get: (m: Metrics) => m.logLoss, kind: 'loss' as const, lowerIsBetter: true }] : []),
    { label: 'Rows', hint: 'rows evaluated', get: (m) => m.n, kind: 'count' },
  ];
  if (binary) {
    const near = opts.fprNextToRecall === true;
    const fpr: MetricRow = { label: 'False-positive rate', hint: near ? 'normal traffic flagged, at the threshold' : 'normal traffic flagged', get: (m) => m.fpr, kind: 'pct', lowerIsBetter: true };
    return [
      ...head,
      { label: 'Precision', hint: 'alerts that are real attacks', get: (m) => m.precision, kind: 'pct' },
      { label: 'Recall', hint: 'attacks detected (TPR, detection rate)', get: (m) => m.recall, kind: 'pct' },
      ...(near ? [fpr] : []),
      { label: 'Balanced accuracy', hint: '(detection rate + 1 − false-positive rate) / 2', get: (m) => (m.tpr === undefined || m.tpr === null || m.fpr === undefined || m.fpr === null ? null : (m.tpr + 1 - m.fpr) / 2), kind: 'pct' },
      { label: 'F1', hint: 'harmonic mean of precision and recall', get: (m) => m.f1, kind: 'score' },
      { label: 'ROC-AUC', hint: `ranking of ${probability ? 'P(attack)' : 'the anomaly score'}, threshold-free`, get: (m) => m.rocAuc, kind: 'score' },
      { label: 'PR-AUC', hint: 'average precision', get: (m) => m.prAuc, kind: 'score' },
      ...(near ? [] : [fpr]),
      ...tail,
    ];
  }
  return [
    ...head,
    { label: 'Precision (macro)', hint: 'unweighted mean over classes', get: (m) => m.macro.precision, kind: 'pct' },
    { label: 'Recall (macro)', hint: 'unweighted mean over classes', get: (m) => m.macro.recall, kind: 'pct' },
    { label: 'F1 (macro)', hint: 'every class counts the same', get: (m) => m.macro.f1, kind: 'score' },
    { label: 'F1 (weighted)', hint: 'weighted by class support', get: (m) => m.weighted.f1, kind: 'score' },
    { label: 'ROC-AUC', hint: 'one-vs-rest, macro', get: (m) => m.rocAuc, kind: 'score' },
    { label: 'PR-AUC', hint: 'average precision, one-vs-rest macro', get: (m) => m.prAuc, kind: 'score' },
    ...tail,
  ];
}

export function formatMetric(v: number | null | undefined, kind: MetricRow['kind']): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (kind === 'pct') return pct(v);
  if (kind === 'count') return formatInt(v);
  if (kind === 'loss') return formatNumber(v, 4);
  return v.toFixed(4);
}

/**
 * A change against CV as a badge: red when it is a loss of more than 5 points (0.05; 0.5 for a
 * log loss), amber above 1 point, green for a gain of more than 1 point.
 */
export function deltaBadge(d: number, row: Pick<MetricRow, 'kind' | 'lowerIsBetter'>): SafeHtml {
  const worse = row.lowerIsBetter ? d : -d;
  const text = row.kind === 'pct' ? formatSignedPoints(d) : formatSigned(d, 4);
  const scale = row.kind === 'loss' ? 0.1 : 0.01;
  const level = worse > 5 * scale ? 'bad' : worse > scale ? 'warn' : worse < -scale ? 'ok' : 'muted';
  return badge(text, level);
}

/** One column of a metrics table: an evaluated set, optionally with its change against `base` (CV). */
export interface MetricColumn {
  label: HtmlValue;
  color: string;
  metrics: Metrics;
  base?: Metrics | null;
  /** Set this column's numbers in bold (the evaluated file among recorded ones). */
  strong?: boolean;
}

/** Metrics in rows, evaluated sets in columns; a column with a `base` shows its change as a badge. */
export function metricsTable(rows: readonly MetricRow[], columns: readonly MetricColumn[], className = 'metrics'): SafeHtml {
  return renderTable(
    [
      { label: 'metric', cell: (r: MetricRow) => html`<strong>${r.label}</strong><br><span style="color:var(--muted);font-size:11.5px">${r.hint}</span>` },
      ...columns.map((c) => ({
        label: html`<span class="swatch" style="background:${c.color}"></span>${c.label}`,
        align: 'right' as const,
        cell: (r: MetricRow) => {
          const v = r.get(c.metrics);
          const base = c.base ? r.get(c.base) : undefined;
          const change = base !== undefined && base !== null && v !== undefined && v !== null && r.kind !== 'count' ? html`<br>${deltaBadge(v - base, r)}` : '';
          return html`<span style="font-size:13.5px;font-weight:${c.strong ? 700 : 600}">${formatMetric(v, r.kind)}</span>${change}`;
        },
      })),
    ],
    rows,
    { className },
  );
}

// ---------------------------------------------------------------------------------------------
// classes

export function classColor(name: string, task: string): string {
  if (task === 'binary') return name === 'normal' ? '#4C78A8' : '#E45756';
  return name === 'normal' ? '#4C78A8' : '#9AA5B1';
}

/** Rows per class with a bar of its share. */
export function classShareTable(rows: ReadonlyArray<readonly [string, number]>, task: string, opts: { label: string; caption: string }): SafeHtml {
  let total = 0;
  let maxN = 1;
  for (const [, n] of rows) {
    total += n;
    maxN = Math.max(maxN, n);
  }
  return renderTable(
    [
      { label: opts.label, cell: (r: readonly [string, number]) => html`<span class="swatch" style="background:${classColor(r[0], task)}"></span>${r[0]}` },
      { label: 'rows', cell: (r) => formatInt(r[1]), align: 'right' },
      { label: 'share', cell: (r) => html`<span class="bar-inline" style="width:${Math.round((90 * r[1]) / maxN)}px;background:${classColor(r[0], task)}"></span>${pct(total ? r[1] / total : NaN, 1)}` },
    ],
    rows,
    { caption: opts.caption },
  );
}

export function recallBadge(r: number | undefined, support: number): HtmlValue {
  if (r === undefined || support === 0) return '';
  return r < 0.5 ? badge('mostly missed', 'bad') : r < 0.8 ? badge('weak recall', 'warn') : '';
}

/** Rows predicted as `cls` (its column of the confusion matrix); undefined when the class is not in the metrics. */
export function predictedCount(m: Metrics, cls: string): number | undefined {
  const j = m.classes.indexOf(cls);
  if (j < 0) return undefined;
  let n = 0;
  for (const row of m.confusionMatrix) n += row[j] ?? 0;
  return n;
}

const NO_PREDICTION = 'no rows predicted as this class: precision is 0/0, undefined (--json gives 0, as scikit-learn’s zero_division=0)';

/** A row's class metrics and how many rows were predicted as its class (for precision's 0/0 case). */
export interface PerClassCell {
  metrics: ClassMetrics | undefined;
  predicted: number | undefined;
}

/**
 * The one-vs-rest columns of a per-class table (support, precision, recall with its badge in a
 * column of its own — so that the numbers stay next to each other — F1, ROC-AUC). Precision of a
 * class no row was predicted as is 0/0: shown as "—" with a tooltip, not as 0.
 */
export function perClassColumns<R>(get: (row: R) => PerClassCell): Array<TableColumn<R>> {
  return [
    { label: 'support', cell: (r) => formatInt(get(r).metrics?.support ?? 0), align: 'right' },
    {
      label: 'precision',
      cell: (r) => {
        const c = get(r);
        return c.predicted === 0 ? html`<span title="${NO_PREDICTION}">—</span>` : f4(c.metrics?.precision);
      },
      align: 'right',
    },
    { label: 'recall', cell: (r) => f4(get(r).metrics?.recall), align: 'right' },
    { label: '', cell: (r) => recallBadge(get(r).metrics?.recall, get(r).metrics?.support ?? 0) },
    { label: 'F1', cell: (r) => f4(get(r).metrics?.f1), align: 'right' },
    { label: 'ROC-AUC', cell: (r) => f4(get(r).metrics?.rocAuc), align: 'right' },
  ];
}

/** A per-class table; rows of a class absent from the set are dimmed; a note when a precision is 0/0. */
export function perClassTable<R>(columns: ReadonlyArray<TableColumn<R>>, rows: readonly R[], get: (row: R) => PerClassCell): SafeHtml {
  const table = renderTable(columns, rows, { className: 'per-class', rowClass: (r) => ((get(r).metrics?.support ?? 0) === 0 ? 'dim' : undefined) });
  const note = rows.some((r) => get(r).predicted === 0) ? html`<p style="color:var(--muted);font-size:12px;margin:0">— ${NO_PREDICTION}.</p>` : '';
  return html`<div style="max-width:980px">${table}${note}</div>`;
}

// ---------------------------------------------------------------------------------------------
// the decision threshold

/** One row of the table of what the threshold costs: the rates, and the counts when known. */
export interface ThresholdCostRow {
  name: HtmlValue;
  color: string;
  fpr: number | null;
  tpr: number | null;
  fp?: number;
  normals?: number;
  fn?: number;
  attacks?: number;
}

/** A cost row from an evaluated set's confusion matrix. */
export function costRow(name: HtmlValue, color: string, b: BinaryErrors): ThresholdCostRow {
  return { name, color, fpr: b.fpr, tpr: b.tpr, fp: b.fp, normals: b.normals, fn: b.fn, attacks: b.attacks };
}

/** False alarms and missed attacks per set at the threshold, each set's FPR checked against the model's target when it has one. */
export function thresholdCostTable(rows: readonly ThresholdCostRow[], opts: { setLabel: string; caption: string; maxFpr?: number }): SafeHtml {
  const target = opts.maxFpr;
  return renderTable(
    [
      { label: opts.setLabel, cell: (r: ThresholdCostRow) => html`<span class="swatch" style="background:${r.color}"></span>${r.name}` },
      { label: 'false-positive rate', cell: (r) => pct(r.fpr ?? NaN), align: 'right' },
      { label: 'false alarms', cell: (r) => (r.fp !== undefined ? `${formatInt(r.fp)} of ${formatInt(r.normals ?? 0)}` : '–'), align: 'right' },
      { label: 'per 10,000 normal', cell: (r) => formatPerTenThousand(r.fpr ?? NaN), align: 'right', title: 'expected false alerts per 10,000 normal connections' },
      { label: 'detection rate', cell: (r) => pct(r.tpr ?? NaN), align: 'right' },
      { label: 'attacks missed', cell: (r) => (r.fn !== undefined ? `${formatInt(r.fn)} of ${formatInt(r.attacks ?? 0)}` : '–'), align: 'right' },
      ...(target !== undefined
        ? [{ label: 'vs target', align: 'center' as const, cell: (r: ThresholdCostRow) => (r.fpr === null || !Number.isFinite(r.fpr) ? '–' : r.fpr <= target ? badge('within FPR target', 'ok') : badge(`FPR above ${pct(target)}`, 'bad')) }]
        : []),
    ],
    rows,
    { caption: opts.caption },
  );
}

/** The threshold as a card next to the words on how it was chosen. */
export function thresholdHeader(threshold: number, hint: string, how: HtmlValue, score: ScoreKind): SafeHtml {
  return html`<div class="row" style="align-items:center"><div style="flex:0 0 200px">${cards([{ label: `threshold on ${score.probability ? score.name : 'the anomaly score'}`, value: formatNumber(threshold, 4), hint }])}</div><div style="flex:1 1 500px">${how}</div></div>`;
}

// ---------------------------------------------------------------------------------------------
// charts

/** The colours of the evaluated sets, in order: cross-validation first, then each hold-out file. */
const SET_COLORS = ['#2F6690', '#F58518', '#54A24B', '#B279A2', '#72B7B2', '#9D755D', '#EECA3B'];

/** The colour of the i-th evaluated set (0: cross-validation). */
export function setColor(i: number): string {
  return SET_COLORS[i % SET_COLORS.length]!;
}

/** Cross-validation's name on the charts: "5-fold CV". */
export function cvName(body: Pick<ModelBody, 'provenance'>): string {
  const k = body.provenance.options.cv;
  return `${typeof k === 'number' || typeof k === 'string' ? String(k) : 'K'}-fold CV`;
}

/**
 * A model file's evaluated sets as the curve charts draw them (curveSpec): its cross-validation
 * metrics, then each hold-out file's, named and coloured as in the training report. A set without
 * stored curves (a model file written before nadir kept them) is drawn as its operating point.
 */
export function storedCurveSets(body: Pick<ModelBody, 'metrics' | 'provenance'>): ChartSet[] {
  const sets: ChartSet[] = [];
  const { cv, test } = body.metrics ?? {};
  if (cv) sets.push({ label: cvName(body), color: setColor(0), metrics: cv });
  Object.entries(test ?? {}).forEach(([file, m], i) => sets.push({ label: displayName(file), color: setColor(i + 1), metrics: m }));
  return sets;
}

/** Rendered charts side by side, each at least `basis` pixels wide before the row wraps. */
export function chartRow(charts: readonly SafeHtml[], basis: number): SafeHtml {
  return html`<div class="row">${charts.map((c) => html`<div style="flex:1 1 ${basis}px">${c}</div>`)}</div>`;
}

/**
 * ROC, log-FPR ROC and precision–recall curves of the sets side by side, under one HTML legend
 * that gives each set's areas (`legendExtra` is added to the legend's line).
 */
export async function curvesPanel(sets: readonly ChartSet[], legendExtra: HtmlValue = ''): Promise<HtmlValue[]> {
  const legend = html`<div style="display:flex;flex-wrap:wrap;gap:6px 22px;margin:2px 0 10px;font-size:13px">${sets.map(
    (s) => html`<span><span style="display:inline-block;width:18px;height:3px;border-radius:2px;vertical-align:middle;margin-right:6px;background:${s.color}"></span><strong>${s.label}</strong> <span style="color:var(--muted)">ROC-AUC ${f4(s.metrics.rocAuc)} · AP ${f4(s.metrics.prAuc)}</span></span>`,
  )}${legendExtra}</div>`;
  const charts = await Promise.all([
    renderChart(curveSpec('roc', sets), { label: 'ROC curve' }),
    renderChart(curveSpec('roc', sets, { logFpr: true }), { label: 'ROC curve, log false-positive rate' }),
    renderChart(curveSpec('pr', sets), { label: 'Precision-recall curve' }),
  ]);
  return [legend, chartRow(charts, 330)];
}

/** The probability column of the positive class: its index in `classes` (0 when it is not there), the second column when none is named. */
export function positiveIndex(classes: readonly string[], positive: string | undefined): number {
  return positive !== undefined ? Math.max(0, classes.indexOf(positive)) : 1;
}

/**
 * The score histogram by true class under its heading. `positive` is the metrics' positive class
 * (the attack class); without it the second class is taken.
 */
export async function scoreDistribution(
  scores: { proba: Float64Array; y: Int32Array },
  classes: readonly string[],
  positive: string | undefined,
  threshold: number,
  chart: { label: string; caption: string } & ScoreHistogramOptions,
): Promise<SafeHtml> {
  const { label, caption, ...opts } = chart;
  const hist = await renderChart(scoreHistogramSpec(scores.proba, scores.y, classes, positiveIndex(classes, positive), threshold, opts), { label, caption });
  return html`<h3>Score distribution</h3><div class="row"><div style="flex:0 1 640px">${hist}</div></div>`;
}

/** The command block of the "Reproduce" sections. */
export function commandBlock(cmd: string): SafeHtml {
  return html`<pre style="background:#13293d;color:#e8eef4;padding:12px 16px;border-radius:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-all"><code style="font-size:12.5px">${cmd}</code></pre>`;
}
