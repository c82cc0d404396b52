/**
 * The HTML training report of `nadir train --report`: one self-contained page (inline CSS, charts
 * as inline SVG rendered from Vega-Lite specs, no scripts, no network) with the data summary,
 * cross-validation and hold-out metrics side by side, confusion matrices, ROC / PR curves with
 * the operating point, the decision threshold and what it costs in false alerts, feature
 * importance, per-class metrics, timings, provenance and the command that reproduces the model.
 * When a hold-out set scores much worse than cross-validation the report says so, and why.
 */
import { basename } from 'node:path';
import type { Metrics } from '../eval/types.js';
import type { ImportanceEntry } from '../model/types.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import { badge, callout, cards, html, joinHtml, renderChart, renderKeyValue, renderPage, renderTable, section, type Card, type HtmlValue, type NavItem, type SafeHtml } from './kit/index.js';
import { formatInt, formatNumber, formatPerTenThousand, formatSignedPoints, formatUtcMinute } from '../util/format.js';
import { binaryErrors, chartRow, checksumRows, scoreKind, thresholdChosenOnCvScores, thresholdRule, type ScoreKind, classShareTable, commandBlock, costRow, curvesPanel, cvName, displayName, errorLine, f4, metricRows, metricsTable, learnerImportance, learnerKind, modelName, pct, perClassColumns, perClassTable, predictedCount, type PerClassCell, scoreDistribution, seconds, setColor, shellQuote, targetName, thresholdCostTable, thresholdMethodName, thresholdHeader } from './report-common.js';
import { carriedImportance, confusionMatrixSpec, gainSpec, permutationSpec, type ChartSet } from './training-report-charts.js';
import type { TestResult, TrainResult } from '../app/train.js';
import { thresholdOf, thresholdInfoOf } from '../model/decision.js';
import { hybridSection, unseenTable } from './hybrid-section.js';

/** What the report reads from a training run (a whole TrainResult fits). */
export type TrainingReportInput = Pick<TrainResult, 'body' | 'cv' | 'tests' | 'oof' | 'train' | 'timings'>;

/** One evaluated set: the out-of-fold cross-validation predictions or a hold-out file. */
interface Evaluation {
  name: string;
  file?: string;
  metrics: Metrics;
  skipped: number;
  color: string;
  isCv: boolean;
}


/** Render the report as one HTML document. */
export async function renderTrainingReport(result: TrainingReportInput): Promise<string> {
  const { body } = result;
  const evals = evaluations(result);
  const binary = body.task === 'binary';
  const nav: NavItem[] = [{ id: 'summary', label: 'Summary' }, { id: 'data', label: 'Data' }];
  const parts: HtmlValue[] = [];

  parts.push(section('summary', 'Summary', [cards(headlineCards(result, evals)), holdoutCallouts(result)]));
  parts.push(section('data', 'Data', dataSection(result, evals)));

  if (evals.length) {
    nav.push({ id: 'metrics', label: 'Metrics' });
    parts.push(section('metrics', 'Cross-validation and hold-out metrics', html`${cvOptimismNote(result)}${setsMetricsTable(evals, binary, scoreKind(body))}`, metricsIntro(result, evals)));
    nav.push({ id: 'confusion', label: 'Confusion' });
    const cms = await Promise.all(evals.map((e) => renderChart(confusionMatrixSpec(e.metrics, e.name), { label: `Confusion matrix, ${e.name}` })));
    parts.push(section('confusion', 'Confusion matrices', html`<div class="row">${cms.map((c, i) => html`<div style="flex:1 1 300px;max-width:${binary ? 420 : 640}px">${c}${errorLine(evals[i]!.metrics)}</div>`)}</div>`, 'Rows are the true class, columns the prediction; each cell gives the count and the share of its true class. Blue cells are correct, red cells are errors (missed attacks, false alarms, confused classes), shaded by that share.'));
  }
  if (binary && evals.some((e) => e.metrics.curves)) {
    nav.push({ id: 'curves', label: 'ROC / PR' });
    parts.push(section('curves', 'ROC and precision–recall curves', await curvesSection(result, evals), 'Cross-validation (out-of-fold scores) and every hold-out set on the same axes; ◆ marks the operating point at the decision threshold.'));
  }
  if (binary) {
    nav.push({ id: 'threshold', label: 'Threshold' });
    parts.push(section('threshold', 'Decision threshold', thresholdSection(result, evals)));
  }
  if (evals.length) {
    nav.push({ id: 'classes', label: 'Per class' });
    parts.push(section('classes', 'Per-class metrics', perClassSection(evals), binary ? 'Normal-class recall is 1 − false-positive rate; attack-class recall is the detection rate.' : 'One-vs-rest precision, recall, F1 and ROC-AUC of every class.'));
  }
  const sets = result.tests.map((t) => ({ name: displayName(t.file), y: t.hybrid?.y ?? new Int32Array(0), hybrid: t.hybrid, unseen: t.unseenDetection }));
  const hybrid = await hybridSection(body, sets);
  if (hybrid !== '') {
    nav.push({ id: 'hybrid', label: 'Hybrid' });
    parts.push(section('hybrid', 'Hybrid detector: which part fired', hybrid, 'A supervised classifier for the attacks it was shown, and a profile of normal traffic (distance to the nearest normal training row) for what it was never shown. Both thresholds were set on training data only.'));
  } else if (sets.some((s) => s.unseen && s.unseen.rows > 0)) {
    nav.push({ id: 'unseen', label: 'Unseen labels' });
    parts.push(section('unseen', 'Detection of attack labels absent from training', unseenTable(sets)));
  }
  nav.push({ id: 'importance', label: 'Importance' });
  parts.push(section('importance', 'Feature importance', await importanceSection(result), 'Per original input column (one-hot columns summed back to their source).'));
  nav.push({ id: 'timings', label: 'Timings' });
  parts.push(section('timings', 'Timings', timingsSection(result)));
  nav.push({ id: 'reproduce', label: 'Reproduce' });
  parts.push(section('reproduce', 'Reproduce and provenance', reproduceSection(result)));

  const trainName = basename(result.train.file);
  return renderPage({
    title: `Training report: ${modelName(body)} on ${trainName}`,
    subtitle: html`${targetName(body.task)} · ${formatInt(result.train.rows)} training rows${evals.filter((e) => !e.isCv).length ? html` · tested on ${joinHtml(evals.filter((e) => !e.isCv).map((e) => html`<code>${e.name}</code>`), ', ')}` : ''} · ${formatUtcMinute(body.createdAt)}`,
    nav,
    body: parts,
    footer: html`Generated by nadir ${body.nadirVersion} (Node ${body.provenance.node}) on ${formatUtcMinute(body.createdAt)}. Self-contained: no scripts, no network; charts are inline SVG.`,
  });
}

/** Write the report atomically (temp file, then rename): a reader never sees half a page. */
export async function writeTrainingReport(path: string, result: TrainingReportInput): Promise<void> {
  await writeFileAtomic(path, await renderTrainingReport(result));
}

// ---------------------------------------------------------------------------------------------
// evaluations and the honest-evaluation finding

function evaluations(result: TrainingReportInput): Evaluation[] {
  const out: Evaluation[] = [];
  if (result.cv) out.push({ name: cvName(result.body), metrics: result.cv, skipped: 0, color: setColor(0), isCv: true });
  result.tests.forEach((t, i) => out.push({ name: displayName(t.file), file: t.file, metrics: t.metrics, skipped: t.skipped, color: setColor(i + 1), isCv: false }));
  return out;
}


export interface HoldoutFinding {
  level: 'ok' | 'note' | 'warn';
  test: string;
  /** CV accuracy − hold-out accuracy (positive = hold-out is worse). */
  accuracyDrop: number;
  /** CV ROC-AUC − hold-out ROC-AUC, when both are defined. */
  aucDrop: number | null;
  html: SafeHtml;
}

/**
 * Compare every hold-out set with cross-validation and say in words what a large gap means:
 * CV re-uses rows of one capture, so it can only test attacks the model has already seen; a
 * separate capture (e.g. NSL-KDD's KDDTest+, with attack types absent from training: 18 against
 * KDDTrain+_20Percent, counted from the data, see unseenLabelsPhrase) is the estimate to trust for
 * new traffic. For the binary task the gap is split into missed attacks and false alarms, with
 * counts from the confusion matrices.
 */
export function holdoutFindings(result: TrainingReportInput): HoldoutFinding[] {
  const cv = result.cv;
  if (!cv) return [];
  const out: HoldoutFinding[] = [];
  for (const t of result.tests) {
    const m = t.metrics;
    const name = displayName(t.file);
    const accuracyDrop = cv.accuracy - m.accuracy;
    const aucDrop = cv.rocAuc !== null && m.rocAuc !== null ? cv.rocAuc - m.rocAuc : null;
    const level: HoldoutFinding['level'] = accuracyDrop > 0.05 || (aucDrop ?? 0) > 0.03 ? 'warn' : accuracyDrop > 0.02 || (aucDrop ?? 0) > 0.01 ? 'note' : 'ok';
    const head = html`<strong>${name}:</strong> accuracy ${pct(m.accuracy)} against ${pct(cv.accuracy)} in cross-validation (${formatSignedPoints(-accuracyDrop)})${aucDrop !== null ? html`, ROC-AUC ${f4(m.rocAuc)} against ${f4(cv.rocAuc)}` : ''}.`;
    if (level === 'ok') {
      out.push({ level, test: name, accuracyDrop, aucDrop, html: html`<p>${head} The hold-out set agrees with cross-validation: the model transfers to this file.</p>` });
      continue;
    }
    const parts: HtmlValue[] = [html`<p>${head}</p>`];
    const errs = binaryErrors(m);
    const cvErrs = binaryErrors(cv);
    if (errs && cvErrs) {
      const where = errs.fn > 2 * errs.fp ? 'Most of the gap is missed attacks' : errs.fp > 2 * errs.fn ? 'Most of the gap is false alarms' : 'The gap is both missed attacks and false alarms';
      parts.push(
        html`<p>${where}: recall (detection rate) fell from ${pct(cvErrs.tpr)} to ${pct(errs.tpr)}, so ${formatInt(errs.fn)} of ${formatInt(errs.attacks)} attacks in ${name} were scored as normal; the false-positive rate went from ${pct(cvErrs.fpr)} to ${pct(errs.fpr)} (${formatInt(errs.fp)} of ${formatInt(errs.normals)} normal connections flagged).</p>`,
      );
    } else {
      // the classes whose recall drops most from CV to this set
      const worst = m.classes
        .map((c) => ({ c, cv: cv.perClass[c]?.recall, t: m.perClass[c]?.recall, n: m.perClass[c]?.support ?? 0 }))
        .filter((r): r is { c: string; cv: number; t: number; n: number } => r.cv !== undefined && r.t !== undefined && r.n > 0 && r.cv - r.t > 0.1)
        .sort((a, b) => b.cv - b.t - (a.cv - a.t));
      parts.push(
        html`<p>Macro F1 fell from ${f4(cv.f1)} to ${f4(m.f1)}.${worst.length ? html` The classes that do not transfer: ${joinHtml(worst.map((w) => html`<strong>${w.c}</strong> (recall ${pct(w.t, 1)} against ${pct(w.cv, 1)} in CV, ${formatInt(w.n)} rows)`), '; ')}.` : ''}</p>`,
      );
    }
    if (t.skipped > 0) parts.push(html`<p>${formatInt(t.skipped)} rows of ${name} have a class the model was never trained on and are left out of its metrics.</p>`);
    out.push({ level, test: name, accuracyDrop, aucDrop, html: joinHtml(parts) });
  }
  return out;
}

/**
 * The summary's verdict: one warning that lists every hold-out set much worse than CV and explains
 * the gap once, a note for a moderate gap, and a short confirmation for sets that agree.
 */
export function holdoutCallouts(result: TrainingReportInput): SafeHtml {
  const findings = holdoutFindings(result);
  const out: SafeHtml[] = [];
  const bad = findings.filter((f) => f.level !== 'ok');
  if (bad.length) {
    const warn = bad.some((f) => f.level === 'warn');
    const nsl = result.body.schema.format === 'nsl-kdd';
    const names = bad.map((f) => f.test);
    // holdoutFindings gives one finding per test set, in order
    const novel = findings.flatMap((f, i) => {
      const phrase = f.level === 'ok' ? null : unseenLabelsPhrase(result.tests[i]!, names.length === 1 ? 'it' : f.test, result.body.schema.normalLabels);
      return phrase ? [phrase] : [];
    });
    // a result that does not carry the test sets' unseen labels (built by hand): the fact without a count
    const counted = result.tests.some((t) => t.unseenLabels !== undefined);
    const why = novel.length
      ? html`, and ${joinHtml(novel, '; ')}`
      : nsl && !counted
        ? html`, and the NSL-KDD test set holds attack types that never occur in training (e.g. <code>mscan</code>, <code>apache2</code>, <code>processtable</code>, <code>snmpgetattack</code>, <code>mailbomb</code>)`
        : '';
    const supervised = learnerKind(result.body) !== 'anomaly-detector';
    out.push(
      callout(
        warn ? 'warn' : 'note',
        html`<p><strong>${warn ? 'The hold-out result is much worse than cross-validation.' : 'The hold-out result is somewhat worse than cross-validation.'}</strong></p>${bad.map((f) => f.html)}<p><strong>Why:</strong> cross-validation splits the rows of one capture, so every attack it tests on has siblings in the training folds: it measures how well the model <em>recognises known attacks</em>. ${joinHtml(names, ' and ')} ${names.length > 1 ? 'were' : 'was'} recorded separately${why}. Treat the hold-out figure as the estimate for new traffic and the CV figure as an upper bound${supervised ? '; novel attacks need a detector that also models normal traffic (an anomaly score), not only known attacks' : ''}.</p>`,
      ),
    );
  }
  for (const f of findings.filter((x) => x.level === 'ok')) out.push(callout('ok', f.html));
  return joinHtml(out);
}

/**
 * What a hold-out set holds that training never showed, counted from its raw labels
 * (TestResult.unseenLabels): "KDDTest+ holds 18 attack types that never occur in training
 * (3,752 rows; the most frequent: mscan, …)". Null when the set has none or the input does not say.
 */
export function unseenLabelsPhrase(t: Pick<TestResult, 'unseenLabels'>, name: string, normalLabels: readonly string[]): SafeHtml | null {
  const entries = Object.entries(t.unseenLabels ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (!entries.length) return null;
  const one = entries.length === 1;
  const attacks = entries.every(([label]) => !normalLabels.includes(label));
  const what = attacks ? (one ? 'attack type' : 'attack types') : one ? 'label value' : 'label values';
  const rows = entries.reduce((a, [, n]) => a + n, 0);
  const shown = entries.slice(0, 5).map(([label]) => html`<code>${label}</code>`);
  const list = one ? shown[0]! : html`${entries.length > shown.length ? 'the most frequent: ' : ''}${joinHtml(shown, ', ')}`;
  return html`${name} holds ${formatInt(entries.length)} ${what} that never ${one ? 'occurs' : 'occur'} in training (${formatInt(rows)} row${rows === 1 ? '' : 's'}; ${list})`;
}

// ---------------------------------------------------------------------------------------------
// sections

function headlineCards(result: TrainingReportInput, evals: Evaluation[]): Card[] {
  const { body, train } = result;
  const out: Card[] = [];
  const classSummary = Object.entries(train.classes)
    .slice(0, 3)
    .map(([c, n]) => `${formatInt(n)} ${c}`)
    .join(' · ');
  out.push({ label: 'training rows', value: formatInt(train.rows), hint: Object.keys(train.classes).length > 3 ? `${Object.keys(train.classes).length} classes` : classSummary });
  const cv = evals.find((e) => e.isCv);
  if (cv) {
    const hint = cv.metrics.rocAuc !== null ? `ROC-AUC ${f4(cv.metrics.rocAuc)}` : `macro F1 ${f4(cv.metrics.f1)}`;
    out.push({ label: `accuracy, ${cv.name}`, value: pct(cv.metrics.accuracy), hint: thresholdChosenOnCvScores(body) ? `${hint} · at a threshold tuned on these scores (optimistic)` : hint });
  }
  for (const t of evals.filter((e) => !e.isCv).slice(0, 2)) {
    const delta = cv ? ` (${formatSignedPoints(t.metrics.accuracy - cv.metrics.accuracy)} vs CV)` : '';
    out.push({ label: `accuracy, ${t.name}`, value: pct(t.metrics.accuracy), hint: `${t.metrics.rocAuc !== null ? `ROC-AUC ${f4(t.metrics.rocAuc)}` : `macro F1 ${f4(t.metrics.f1)}`}${delta}` });
  }
  if (body.task === 'binary' && thresholdOf(body) !== null) {
    const ref = evals.find((e) => !e.isCv) ?? cv;
    const errs = ref ? binaryErrors(ref.metrics) : null;
    if (ref && errs) {
      out.push({ label: `detection rate, ${ref.name}`, value: pct(errs.tpr), hint: `${formatInt(errs.fn)} attacks missed at threshold ${formatNumber(thresholdOf(body)!, 4)} (${thresholdMethodName(thresholdInfoOf(body), { short: true })})` });
      out.push({ label: `false-positive rate, ${ref.name}`, value: pct(errs.fpr), hint: `≈ ${formatPerTenThousand(errs.fpr)} false alerts per 10,000 normal` });
    }
  } else if (cv || evals.length) {
    const ref = evals.find((e) => !e.isCv) ?? cv;
    if (ref) out.push({ label: `macro F1, ${ref.name}`, value: f4(ref.metrics.f1), hint: `weighted F1 ${f4(ref.metrics.weighted.f1)}` });
  }
  return out;
}

function dataSection(result: TrainingReportInput, evals: Evaluation[]): HtmlValue {
  const { body, train } = result;
  const inputs = body.schema.inputs;
  const nCat = inputs.filter((i) => i.kind === 'categorical').length;
  const kv = renderKeyValue([
    ['training file', html`<code>${train.file}</code>`],
    ['rows', formatInt(train.rows)],
    ...checksumRows(body.provenance.data),
    ['dataset format', body.schema.format],
    ['label column', html`<code>${body.schema.labelColumn}</code>`],
    ['target', targetName(body.task)],
    ['normal labels', body.schema.normalLabels.join(', ') || '–'],
    ['input columns', `${inputs.length} (${inputs.length - nCat} numeric, ${nCat} categorical)`],
  ]);
  const classes = classShareTable(Object.entries(train.classes), body.task, { label: 'class', caption: 'Training classes' });
  const tests = evals.filter((e) => !e.isCv);
  const testTable = tests.length
    ? renderTable(
        [
          { label: 'hold-out file', cell: (e: Evaluation) => html`<code>${e.file ?? e.name}</code>` },
          { label: 'rows scored', cell: (e) => formatInt(e.metrics.n), align: 'right' },
          { label: 'class counts', cell: (e) => e.metrics.classes.map((c, i) => `${formatInt(e.metrics.support[i] ?? 0)} ${c}`).join(' · ') },
          { label: 'left out', cell: (e) => (e.skipped ? html`${formatInt(e.skipped)} ${badge('unknown class', 'warn')}` : '0'), align: 'right', title: 'rows whose class the model was not trained on' },
          ...(result.tests.some((t) => t.unseenLabels !== undefined) ? [{ label: 'labels not in training', cell: (e: Evaluation) => unseenCell(result, e), title: 'raw label values of this file that never occur in the training data, with their rows' }] : []),
          { label: 'sha256', cell: (e) => sha(result, e) },
        ],
        tests,
        { caption: 'Hold-out sets (never used for training or for the threshold)' },
      )
    : callout('note', html`<p>No hold-out set was given: every number below is cross-validation on the training file. Add <code>--test &lt;file&gt;</code> for an honest estimate on separately captured traffic.</p>`);
  return html`<div class="row"><div>${kv}</div><div>${classes}</div></div>${testTable}`;
}

function unseenCell(result: TrainingReportInput, e: Evaluation): HtmlValue {
  const u = result.tests.find((t) => t.file === e.file)?.unseenLabels;
  if (!u) return '–';
  const entries = Object.entries(u);
  if (!entries.length) return '0';
  const rows = entries.reduce((a, [, n]) => a + n, 0);
  return html`<span title="${entries.map(([l, n]) => `${l} ${n}`).join(', ')}">${formatInt(entries.length)} (${formatInt(rows)} rows)</span>`;
}

function sha(result: TrainingReportInput, e: Evaluation): HtmlValue {
  const p = result.body.provenance.tests.find((t) => e.file !== undefined && t.file === basename(e.file));
  if (!p) return '–';
  const short = (h: string): SafeHtml => html`<code title="${h}">${h.slice(0, 12)}…</code>`;
  // the content digest first: it is the one published checksum lists give
  return p.contentSha256 !== undefined ? html`${short(p.contentSha256)} content<br>${short(p.sha256)} file (compressed)` : html`${short(p.sha256)} file`;
}

function metricsIntro(result: TrainingReportInput, evals: Evaluation[]): HtmlValue {
  const thr = result.body.task === 'binary' && thresholdOf(result.body) !== null ? thresholdRule(result.body, thresholdOf(result.body)!) : ' Multi-class: the predicted class is the most probable one.';
  const cv = evals.some((e) => e.isCv) ? 'Cross-validation: stratified folds, preprocessing fitted inside each fold, metrics on the pooled out-of-fold predictions.' : 'No cross-validation was run (--cv 0).';
  return html`${cv} Hold-out columns show the change against CV.${thr}`;
}

/**
 * A threshold chosen on the out-of-fold scores ('auto', 'f1') makes the CV metrics at it
 * optimistic by construction: said next to them (report-common.ts thresholdChosenOnCvScores).
 */
function cvOptimismNote(result: TrainingReportInput): HtmlValue {
  if (!result.cv || !thresholdChosenOnCvScores(result.body)) return '';
  const rule = thresholdInfoOf(result.body)?.method === 'f1' ? 'the best F1' : 'the highest detection rate within the false-positive target';
  return callout(
    'note',
    html`<p><strong>The CV figures at the threshold are optimistic by construction.</strong> The threshold was chosen on these same out-of-fold scores (${rule}), so CV accuracy, precision, recall, F1, false-positive rate and confusion matrix are measured on the data that tuned it. ROC-AUC and log loss do not depend on the threshold; the hold-out columns are the honest estimate.</p>`,
  );
}

function setsMetricsTable(evals: Evaluation[], binary: boolean, score: ScoreKind): SafeHtml {
  const cv = evals.find((e) => e.isCv);
  return metricsTable(
    metricRows(binary, { score }),
    evals.map((e) => ({ label: e.name, color: e.color, metrics: e.metrics, base: cv && !e.isCv ? cv.metrics : null })),
  );
}

async function curvesSection(result: TrainingReportInput, evals: Evaluation[]): Promise<HtmlValue> {
  const sets: ChartSet[] = evals.filter((e) => e.metrics.curves).map((e) => ({ label: e.name, color: e.color, metrics: e.metrics }));
  const parts = await curvesPanel(sets);
  const { oof, body } = result;
  if (oof && thresholdOf(body) !== null && body.classes.length === 2) {
    parts.push(
      await scoreDistribution(oof, body.classes, result.cv?.positive, thresholdOf(body)!, {
        label: 'Out-of-fold score distribution',
        ...(scoreKind(body).probability ? {} : { scoreLabel: 'out-of-fold anomaly score s(x)' }),
        caption: 'A well-separated model puts normal traffic to the left and attacks to the right; normal rows right of the threshold are the false alarms an analyst would triage, attacks left of it are the misses.',
      }),
    );
  }
  return parts;
}

function thresholdSection(result: TrainingReportInput, evals: Evaluation[]): HtmlValue {
  const { body } = result;
  if (thresholdOf(body) === null) return html`<p class="empty">No threshold (the model predicts the most probable class).</p>`;
  const info = thresholdInfoOf(body);
  let how: SafeHtml;
  if (info?.method === 'max-fpr') {
    how = html`<p>Chosen automatically from the <strong>out-of-fold scores of the training data only</strong> (no hold-out row was looked at): the lowest threshold whose false-positive rate on normal training traffic stays within the target of <strong>${pct(info.maxFpr ?? NaN)}</strong>, which gives the highest detection rate under that budget. On the out-of-fold scores it gives FPR ${pct(info.oofFpr ?? NaN)} and detection rate ${pct(info.oofTpr ?? NaN)}.</p>`;
  } else if (info?.method === 'f1') {
    how = html`<p>Chosen from the <strong>out-of-fold scores of the training data only</strong> as the threshold with the best F1 of the attack class (out-of-fold FPR ${pct(info.oofFpr ?? NaN)}, detection rate ${pct(info.oofTpr ?? NaN)}).</p>`;
  } else if (info?.method === 'max-fpr-in-sample') {
    how = html`<p>Chosen <strong>in-sample</strong>: there was no cross-validation (<code>--cv 0</code>) and no <code>--threshold</code>, so the isolation forest's threshold was picked on the <strong>training rows' own scores</strong> — the lowest one that flags at most <strong>${pct(info.maxFpr ?? NaN)}</strong> of normal training traffic. On those scores it gives FPR ${pct(info.trainFpr ?? NaN)} and detection rate ${pct(info.trainTpr ?? NaN)}; the model was fitted on the same rows, so expect more false alarms on new traffic. Train with <code>--cv 5</code> to choose it from out-of-fold scores.</p>`;
  } else if (info?.parts) {
    const a = info.parts.anomaly;
    how = html`<p>A hybrid model: its score reaches ${formatNumber(thresholdOf(body)!, 4)} exactly when either part fires — the supervised P(attack) ≥ ${formatNumber(info.parts.supervised.threshold, 4)} (fixed), or the distance to normal traffic${a.profileScale === 'local' ? ' over its local spacing' : ''} ≥ ${formatNumber(a.threshold, 4)}, chosen on the <strong>normal training rows' out-of-fold scores only</strong> so that at most ${pct(a.maxFpr)} of them are flagged (it flags ${pct(a.oofFpr)} of ${formatInt(a.normalRows)}), unless the supervised P(attack) is below the gate ${a.gate ?? 0} (the supervised part's veto). See the Hybrid section.</p>`;
  } else {
    how = html`<p>A fixed threshold (not tuned). To bound the alert volume instead, train with <code>--threshold auto --max-fpr 0.01</code>: the threshold is then picked from out-of-fold scores on the training data so that at most 1% of normal traffic is flagged.</p>`;
  }
  const rows = evals.flatMap((e) => {
    const b = binaryErrors(e.metrics);
    return b ? [costRow(e.name, e.color, b)] : [];
  });
  const table = thresholdCostTable(rows, { setLabel: 'set', caption: 'What the threshold costs on each set', ...(info?.maxFpr !== undefined ? { maxFpr: info.maxFpr } : {}) });
  const tuned = result.cv && thresholdChosenOnCvScores(body) ? html`<p>The out-of-fold rates above, and the CV row below, are measured on the scores the threshold was tuned on, so they are optimistic by construction; the hold-out rows are the honest check.</p>` : '';
  return html`${thresholdHeader(thresholdOf(body)!, thresholdMethodName(info), how, scoreKind(body))}${tuned}${table}`;
}

function perClassSection(evals: Evaluation[]): HtmlValue {
  // one long table (set, class) so that many sets and classes stay readable without scrolling
  const rows = evals.flatMap((e) => e.metrics.classes.map((c, i) => ({ e, c, first: i === 0, cell: { metrics: e.metrics.perClass[c], predicted: predictedCount(e.metrics, c) } })));
  type Row = (typeof rows)[number];
  const get = (r: Row): PerClassCell => r.cell;
  return perClassTable<Row>(
    [
      { label: 'evaluated on', cell: (r) => (r.first ? html`<span class="swatch" style="background:${r.e.color}"></span><strong>${r.e.name}</strong>` : '') },
      { label: 'class', cell: (r) => r.c },
      ...perClassColumns(get),
    ],
    rows,
    get,
  );
}

async function importanceSection(result: TrainingReportInput): Promise<HtmlValue> {
  const { gain, permutation } = result.body.importance;
  const scoreName = result.body.task === 'binary' ? 'ROC-AUC' : 'accuracy';
  const where = result.tests.length ? `the hold-out set ${displayName(result.tests[0]!.file)}` : 'the training data';
  const parts: HtmlValue[] = [];
  const charts: SafeHtml[] = [];
  if (gain && gain.length) {
    if (carriedImportance(gain).length) charts.push(await renderChart(gainSpec(gain), { label: 'Gain importance', caption: 'How much each column reduced the training loss across all splits: what the trees rely on.' }));
    else parts.push(html`<p class="empty">No column carried gain importance: the trees made no split.</p>`);
  } else parts.push(html`<p class="empty">No gain importance: ${learnerImportance(result.body) === 'none' ? `this model (${modelName(result.body)}) has no split gains` : 'the learner did not report it'}.</p>`);
  if (permutation && permutation.length) {
    if (carriedImportance(permutation).length) {
      charts.push(await renderChart(permutationSpec(permutation, scoreName), { label: 'Permutation importance', caption: `Measured on ${where}: how much the model needs the column there. Columns whose shuffling did not lower ${scoreName} are left out.` }));
    } else parts.push(html`<p class="empty">No column carried permutation importance: shuffling no single column lowered ${scoreName} on ${where}.</p>`);
  } else parts.push(html`<p class="empty">No permutation importance (run with <code>--permutation-repeats 3</code> or more).</p>`);
  if (charts.length) parts.unshift(chartRow(charts, 460));
  const table = importanceTable(gain ?? [], permutation ?? []);
  if (table) parts.push(html`<details><summary>All columns</summary>${table}</details>`);
  return parts;
}

/**
 * Every column with both measures. Ranked (#) by permutation importance when it was measured,
 * else by gain, and only while that measure is above zero; the columns after are ordered by the
 * other measure, then left in input order, unranked, and dimmed when neither measure is above zero.
 */
export function importanceTable(gain: readonly ImportanceEntry[], permutation: readonly ImportanceEntry[]): SafeHtml | null {
  const names = new Set<string>();
  for (const e of permutation) names.add(e.feature);
  for (const e of gain) names.add(e.feature);
  if (names.size === 0) return null;
  let total = 0;
  for (const e of gain) total += Math.max(0, e.importance);
  const g = new Map(gain.map((e) => [e.feature, e.importance] as const));
  const p = new Map(permutation.map((e) => [e.feature, e.importance] as const));
  const std = new Map(permutation.map((e) => [e.feature, e.std] as const));
  const [primary, secondary] = permutation.length ? [p, g] : [g, p];
  const positive = (m: Map<string, number>, f: string): number => Math.max(0, m.get(f) ?? 0);
  // stable sort: the input order stays for ties (and for the columns with no importance at all)
  const rows = [...names].sort((a, b) => positive(primary, b) - positive(primary, a) || positive(secondary, b) - positive(secondary, a));
  const ranked = rows.filter((f) => positive(primary, f) > 0).length;
  const none = rows.filter((f) => positive(p, f) === 0 && positive(g, f) === 0).length;
  const by = permutation.length ? 'permutation drop' : 'share of gain';
  return renderTable(
    [
      { label: '#', cell: (_f: string, i) => (i < ranked ? i + 1 : ''), align: 'right' },
      { label: 'column', cell: (f) => html`<code>${f}</code>` },
      { label: 'share of gain', cell: (f) => (g.has(f) && total > 0 ? pct(g.get(f)! / total, 2) : '–'), align: 'right' },
      { label: 'permutation drop', cell: (f) => (p.has(f) ? formatNumber(p.get(f)!, 3) : '–'), align: 'right' },
      { label: '± std', cell: (f) => (std.get(f) !== undefined ? formatNumber(std.get(f)!, 2) : '–'), align: 'right' },
    ],
    rows,
    {
      caption: `Ranked by ${by}, for the ${ranked} column${ranked === 1 ? '' : 's'} where it is above zero${none ? `; ${none} column${none === 1 ? '' : 's'} carried no importance by either measure (dimmed, unranked)` : ''}`,
      rowClass: (f) => (positive(p, f) === 0 && positive(g, f) === 0 ? 'dim' : undefined),
    },
  );
}

const TIMING_NAMES: Record<string, string> = {
  loadSeconds: 'load and parse training data',
  cvSeconds: 'cross-validation (all folds)',
  fitSeconds: 'final fit on all rows',
  testSeconds: 'score hold-out sets',
  permutationSeconds: 'permutation importance',
};

function timingsSection(result: TrainingReportInput): HtmlValue {
  const entries = Object.entries(result.timings).filter(([, v]) => Number.isFinite(v));
  if (!entries.length) return html`<p class="empty">No timings recorded.</p>`;
  const total = entries.reduce((a, [, v]) => a + v, 0);
  const max = Math.max(...entries.map(([, v]) => v), 1e-9);
  const table = renderTable(
    [
      { label: 'stage', cell: (r: [string, number]) => TIMING_NAMES[r[0]] ?? r[0] },
      { label: 'seconds', cell: (r) => seconds(r[1]), align: 'right' },
      { label: 'share', cell: (r) => html`<span class="bar-inline" style="width:${Math.round((120 * r[1]) / max)}px;background:var(--accent)"></span>${pct(total > 0 ? r[1] / total : NaN, 0)}` },
    ],
    entries,
    { caption: html`Total ${seconds(total)} on this machine (wall clock; busy machines vary)` },
  );
  return html`<div class="row"><div style="flex:0 1 620px">${table}</div></div>`;
}

function reproduceSection(result: TrainingReportInput): HtmlValue {
  const { body } = result;
  const given = body.provenance.command.trim();
  const cmd = given || reconstructCommand(result);
  const learner = body.provenance.options.learner;
  const hasContent = [body.provenance.data, ...body.provenance.tests].some((p) => p.contentSha256 !== undefined);
  const kv = renderKeyValue([
    ['model', `${modelName(body)} (${body.learner.type} v${body.learner.version})`],
    ['learner options', html`<code>${JSON.stringify(learner ?? body.learner.options)}</code>`],
    ['seed', String(body.provenance.options.seed ?? '–')],
    ['cross-validation folds', String(body.provenance.options.cv ?? '–')],
    ['training data', html`<code>${body.provenance.data.file}</code> · ${formatInt(body.provenance.data.rows)} rows`],
    ...checksumRows(body.provenance.data, { full: true, prefix: 'training data: ' }),
    ...body.provenance.tests.flatMap((t) => checksumRows(t, { full: true, prefix: `hold-out ${t.file}: ` })),
    ['nadir', body.nadirVersion],
    ['Node.js', body.provenance.node],
    ['created', formatUtcMinute(body.createdAt)],
  ]);
  return html`<p>${given ? 'The exact command that produced this model:' : 'The model was trained through the library API; this command reproduces it:'}</p>
${commandBlock(cmd)}
<p style="color:var(--muted)">Same data (check the sha256 sums), same seed and options give the same model. Timing numbers are not reproducible on a shared machine.${hasContent ? html` For a gzip file, the content digest is what <code>zcat &lt;file&gt; | sha256sum</code> prints and what checksum lists of the uncompressed data give (e.g. <code>data/nsl-kdd/SHA256SUMS</code>); the file-bytes digest is of the compressed file as stored.` : ''}</p>${kv}`;
}

/** The `nadir train` command line equivalent to the recorded options (library runs have none). */
export function reconstructCommand(result: TrainingReportInput): string {
  const o = result.body.provenance.options;
  const args = ['nadir', 'train', '--data', shellQuote(result.train.file)];
  for (const t of result.tests) args.push('--test', shellQuote(t.file));
  if (o.model !== undefined) args.push('--model', String(o.model));
  if (o.target !== undefined) args.push('--target', String(o.target));
  if (o.cv !== undefined) args.push('--cv', String(o.cv));
  if (o.seed !== undefined) args.push('--seed', String(o.seed));
  // a default threshold rule (e.g. the isolation forest's) is spelled out from what was applied
  const info = thresholdInfoOf(result.body);
  const threshold = o.threshold ?? (info?.method === 'max-fpr' ? 'auto' : info?.method === 'f1' ? 'f1' : null);
  const maxFpr = o.maxFpr ?? (info?.method === 'max-fpr' ? info.maxFpr : null);
  if (threshold !== undefined && threshold !== null) args.push('--threshold', String(threshold));
  if (maxFpr !== undefined && maxFpr !== null && (threshold === 'auto' || info?.method === 'max-fpr-in-sample')) args.push('--max-fpr', String(maxFpr));
  const learner = (o.learner ?? {}) as Record<string, unknown>;
  const flags: Record<string, string> = { nEstimators: '--trees', nTrees: '--trees', maxDepth: '--depth', learningRate: '--lr', maxFeatures: '--max-features', C: '--c', nThreads: '--threads' };
  for (const [k, flag] of Object.entries(flags)) if (learner[k] !== undefined) args.push(flag, String(learner[k]));
  if (result.body.schema.format === 'generic') args.push('--label', shellQuote(result.body.schema.labelColumn));
  if (Array.isArray(o.drop) && o.drop.length) args.push('--drop', shellQuote(o.drop.join(',')));
  return args.join(' ');
}
