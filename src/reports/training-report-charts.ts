/**
 * Vega-Lite specs for the training report (rendered to inline SVG by src/reports/kit/vega.ts):
 * confusion-matrix heat maps, ROC and precision–recall curves with the operating point,
 * the out-of-fold score distribution, and feature importance bars. Pure functions of the
 * numbers they are given, so they are testable without a browser.
 */
import type { Metrics } from '../eval/types.js';
import type { ImportanceEntry } from '../model/types.js';
import { COLORS, type VegaLiteSpec } from './kit/index.js';
import { formatInt, formatNumber, formatPercent } from '../util/format.js';

/** One evaluated set drawn on the charts: cross-validation or a hold-out file. */
export interface ChartSet {
  /** Legend label, e.g. "CV (out-of-fold) · AUC 0.9998". */
  label: string;
  color: string;
  metrics: Metrics;
}

const spec = (s: Record<string, unknown>): VegaLiteSpec => s as unknown as VegaLiteSpec;

/**
 * Confusion matrix as a heat map: rows = true class, columns = predicted class. Correct cells are
 * blue and errors red, each shaded by its share of the true class (row %); errors use a square-root
 * scale so a 1% miss rate is still visible. Counts and row % are written in the cells when they fit.
 */
export function confusionMatrixSpec(m: Metrics, title: string): VegaLiteSpec {
  const k = m.classes.length;
  const values: Array<Record<string, unknown>> = [];
  for (let i = 0; i < k; i++) {
    const row = m.confusionMatrix[i] ?? [];
    let total = 0;
    for (const v of row) total += v;
    for (let j = 0; j < k; j++) {
      const count = row[j] ?? 0;
      const share = total > 0 ? count / total : 0;
      values.push({
        actual: m.classes[i],
        predicted: m.classes[j],
        count,
        share,
        correct: i === j,
        countText: formatInt(count),
        shareText: count === 0 ? '' : formatPercent(share, share < 0.01 ? 2 : 1),
        dark: i === j ? share > 0.5 : Math.sqrt(share) > 0.5,
      });
    }
  }
  let longest = 0;
  for (const c of m.classes) longest = Math.max(longest, c.length);
  const cell = k <= 2 ? 100 : k <= 3 ? 80 : k <= 6 ? 62 : k <= 12 ? 40 : 22;
  const textColor = { condition: { test: 'datum.dark', value: '#ffffff' }, value: '#1f2933' };
  const layers: Array<Record<string, unknown>> = [
    {
      transform: [{ filter: 'datum.correct' }],
      mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 1.5 },
      encoding: { color: { field: 'share', type: 'quantitative', scale: { domain: [0, 1], range: ['#f3f7fb', '#08519c'] }, legend: null } },
    },
    {
      transform: [{ filter: '!datum.correct' }],
      mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 1.5 },
      encoding: { color: { field: 'share', type: 'quantitative', scale: { type: 'sqrt', domain: [0, 1], range: ['#fdf6f5', '#a50f15'] }, legend: null } },
    },
  ];
  if (k <= 12) {
    layers.push({
      mark: { type: 'text', dy: k <= 6 ? -7 : 0, fontSize: k <= 3 ? 14 : k <= 6 ? 12 : 9.5, fontWeight: 650 },
      encoding: { text: { field: 'countText' }, color: textColor },
    });
  }
  if (k <= 6) {
    layers.push({
      mark: { type: 'text', dy: 10, fontSize: k <= 3 ? 11 : 10 },
      encoding: { text: { field: 'shareText' }, color: textColor },
    });
  }
  return spec({
    title: { text: title, subtitle: `${formatInt(m.n)} rows` },
    width: cell * k,
    height: cell * k,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: m.classes, axis: { title: 'predicted', orient: 'top', labelAngle: longest * 6.5 > cell - 6 ? -40 : 0, domain: false, ticks: false } },
      y: { field: 'actual', type: 'nominal', sort: m.classes, axis: { title: 'true class', domain: false, ticks: false } },
    },
    layer: layers,
    resolve: { scale: { color: 'independent' } },
  });
}

type Curve = 'roc' | 'pr';

/**
 * ROC (x = false-positive rate, y = true-positive rate) or precision–recall curves of several sets,
 * overlaid, each with a diamond at the operating point (the rates at the model's threshold, taken
 * from the metrics themselves, not from the thinned curve). With `logFpr` the ROC x axis is
 * logarithmic, as detection papers draw it: near-perfect models differ only at FPR 1e-4…1e-2, which
 * decides the alert volume; rows with no false positive at all sit on the left edge.
 * The PR curve is drawn as steps (scikit-learn's PrecisionRecallDisplay), which is what average
 * precision integrates; straight lines between PR points would overstate precision.
 * A set whose metrics hold no curves (a model file stores its CV metrics without them) is drawn
 * as its operating point alone, from the rates at the threshold.
 */
export function curveSpec(kind: Curve, sets: readonly ChartSet[], opts: { logFpr?: boolean; width?: number; height?: number } = {}): VegaLiteSpec {
  const roc = kind === 'roc';
  const log = roc && opts.logFpr === true;
  const raw: Array<{ set: string; i: number; x: number; y: number }> = [];
  const ops: Array<{ set: string; x: number; y: number }> = [];
  for (const s of sets) {
    const c = s.metrics.curves?.[kind];
    if (c) for (let i = 0; i < c.x.length; i++) raw.push({ set: s.label, i, x: c.x[i]!, y: c.y[i]! });
    const op = operatingPoint(s.metrics);
    if (op) ops.push({ set: s.label, x: roc ? op.fpr : op.recall, y: roc ? op.tpr : op.precision });
  }
  // log axis: start at the decade at or below the smallest non-zero FPR (between 1e-5 and 1e-2)
  let xMin = 0;
  if (log) {
    let smallest = 1;
    for (const p of raw) if (p.x > 0 && p.x < smallest) smallest = p.x;
    for (const p of ops) if (p.x > 0 && p.x < smallest) smallest = p.x;
    xMin = Math.min(1e-2, Math.max(1e-5, Math.pow(10, Math.floor(Math.log10(smallest)))));
  }
  const clampX = (v: number): number => (log ? Math.max(xMin, v) : v);
  const line = log ? densifyForLog(raw, xMin) : raw;
  const points = ops.map((p) => ({ ...p, x: clampX(p.x) }));
  const domain = sets.map((s) => s.label);
  const range = sets.map((s) => s.color);
  const color = { field: 'set', type: 'nominal', scale: { domain, range }, legend: null };
  const decades: number[] = [];
  for (let v = xMin; log && v <= 1.0000001; v *= 10) decades.push(v);
  const x = {
    field: 'x',
    type: 'quantitative',
    scale: log ? { type: 'log', domain: [xMin, 1], nice: false } : { domain: [0, 1], nice: false },
    axis: log ? { values: decades, format: '.3~%' } : { format: '.0%', tickCount: 5 },
    title: roc ? `false-positive rate (normal traffic flagged${log ? ', log scale' : ''})` : 'recall (attacks detected)',
  };
  const y = { field: 'y', type: 'quantitative', scale: { domain: [0, 1], nice: false }, axis: { format: '.0%', tickCount: 5 }, title: roc ? 'true-positive rate (attacks detected)' : 'precision (alerts that are attacks)' };
  const layers: Array<Record<string, unknown>> = [];
  if (roc) {
    // chance: TPR = FPR (a curve on the log axis)
    const chance = log ? Array.from({ length: 31 }, (_, i) => xMin * Math.pow(1 / xMin, i / 30)).map((v) => ({ x: v, y: v })) : [{ x: 0, y: 0 }, { x: 1, y: 1 }];
    layers.push({ data: { values: chance }, mark: { type: 'line', strokeDash: [4, 4], color: '#c3cbd3', clip: true }, encoding: { x, y } });
  }
  layers.push({ data: { values: line }, mark: { type: 'line', strokeWidth: 2, clip: true, interpolate: roc ? 'linear' : 'step-after' }, encoding: { x, y, color, order: { field: 'i', type: 'quantitative' } } });
  layers.push({ data: { values: points }, mark: { type: 'point', shape: 'diamond', filled: true, size: 110, opacity: 1, stroke: '#1f2933', strokeWidth: 1, clip: false }, encoding: { x, y, color } });
  const title = roc ? (log ? 'ROC, false-positive rate on a log scale' : 'ROC curve') : 'Precision–recall curve';
  const subtitle = roc ? (log ? 'the low-FPR region decides the alert volume' : 'dashed: a coin flip') : '◆ = operating point at the decision threshold';
  return spec({ title: { text: title, subtitle }, width: opts.width ?? 300, height: opts.height ?? 260, layer: layers });
}

/**
 * A ROC segment is straight on a linear FPR axis (ties between normal and attack scores); on a log
 * axis it curves. Insert log-spaced points along long segments so the drawing stays faithful, and
 * clamp FPR 0 to the left edge.
 */
function densifyForLog(points: ReadonlyArray<{ set: string; i: number; x: number; y: number }>, xMin: number): Array<{ set: string; i: number; x: number; y: number }> {
  const out: Array<{ set: string; i: number; x: number; y: number }> = [];
  let order = 0;
  for (let k = 0; k < points.length; k++) {
    const p = points[k]!;
    const prev = k > 0 ? points[k - 1]! : null;
    if (prev && prev.set === p.set && p.x > xMin && p.x > 2 * Math.max(prev.x, xMin)) {
      const from = Math.max(prev.x, xMin);
      const steps = Math.min(24, Math.ceil(4 * Math.log10(p.x / from)));
      for (let s = 1; s < steps; s++) {
        const x = from * Math.pow(p.x / from, s / steps);
        out.push({ set: p.set, i: order++, x, y: prev.y + ((p.y - prev.y) * (x - prev.x)) / (p.x - prev.x) });
      }
    }
    out.push({ set: p.set, i: order++, x: Math.max(xMin, p.x), y: p.y });
  }
  return out;
}

/** Binary metrics at the threshold: the exact operating point for the curves. */
export function operatingPoint(m: Metrics): { fpr: number; tpr: number; precision: number; recall: number } | null {
  if (m.task !== 'binary' || m.positive === undefined || m.fpr === null || m.fpr === undefined || m.tpr === null || m.tpr === undefined) return null;
  const pos = m.perClass[m.positive];
  if (!pos) return null;
  return { fpr: m.fpr, tpr: m.tpr, precision: pos.precision, recall: pos.recall };
}

/** Wording and resolution of the score histogram; the defaults describe out-of-fold scores (the training report). */
export interface ScoreHistogramOptions {
  /** Chart title; default 'Out-of-fold scores by true class'. */
  title?: string;
  /** Title of the score axis; default 'out-of-fold P(<positive class>)'. */
  scoreLabel?: string;
  /** Number of bins over the observed score range; default 50. */
  bins?: number;
}

/**
 * Histogram of P(attack) (by default the out-of-fold scores), one panel per true class on a shared
 * x axis and a symlog count axis, so the few normal rows with high scores (the false alarms) and
 * the few attacks with low scores (the misses) stay visible next to thousands of confident rows;
 * the decision threshold is drawn as a rule in both panels.
 */
export function scoreHistogramSpec(proba: Float64Array, y: Int32Array, classes: readonly string[], positive: number, threshold: number | null, opts: ScoreHistogramOptions = {}): VegaLiteSpec {
  const k = classes.length;
  const bins = opts.bins ?? 50;
  // bin over the observed range (rounded out to 0.05): an anomaly score may live in [0.3, 0.7]
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < y.length; i++) {
    const p = proba[i * k + positive]!;
    if (p < min) min = p;
    if (p > max) max = p;
  }
  if (threshold !== null) {
    min = Math.min(min, threshold);
    max = Math.max(max, threshold);
  }
  const lo = Number.isFinite(min) ? Math.max(0, Math.floor(min * 20) / 20) : 0;
  const hi = Number.isFinite(max) ? Math.min(1, Math.max(lo + 0.05, Math.ceil(max * 20) / 20)) : 1;
  const width = (hi - lo) / bins;
  const counts = [new Float64Array(bins), new Float64Array(bins)];
  // one pass over the out-of-fold rows: typed counters, no per-row objects
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (c < 0 || c > 1) continue;
    const p = proba[i * k + positive]!;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((p - lo) / width)));
    counts[c]![b]!++;
  }
  const clsDomain = [`true ${classes[0]}`, `true ${classes[1]}`];
  let top = 1;
  for (const cs of counts) for (const v of cs) if (v > top) top = v;
  const ticks = [0];
  for (let v = 1; v <= top; v *= 10) ticks.push(v);
  const values: Array<Record<string, unknown>> = [];
  for (let c = 0; c < 2; c++) {
    for (let b = 0; b < bins; b++) {
      const n = counts[c]![b]!;
      if (n > 0) values.push({ cls: clsDomain[c], start: lo + b * width, end: lo + (b + 1) * width, count: n });
    }
  }
  const layers: Array<Record<string, unknown>> = [
    {
      mark: { type: 'bar', binSpacing: 0.5 },
      encoding: {
        x: { field: 'start', type: 'quantitative', scale: { domain: [lo, hi], nice: false }, axis: { format: hi - lo < 0.5 ? '.2f' : '.1f', tickCount: 10 }, title: opts.scoreLabel ?? `out-of-fold P(${classes[positive]})` },
        x2: { field: 'end' },
        y: { field: 'count', type: 'quantitative', scale: { type: 'symlog' }, title: 'rows', axis: { values: ticks, format: ',d' } },
        y2: { datum: 0 },
        color: { field: 'cls', type: 'nominal', scale: { domain: clsDomain, range: [COLORS.normal, COLORS.attack] }, legend: null },
      },
    },
  ];
  if (threshold !== null) {
    // one row per panel, so the rule and its label are drawn once (not once per bin)
    const once = [{ aggregate: [{ op: 'count', as: 'n' }], groupby: ['cls'] }];
    layers.push({ transform: once, mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 1.5, color: '#1f2933' }, encoding: { x: { datum: threshold, type: 'quantitative' } } });
    layers.push({
      transform: once,
      mark: { type: 'text', align: threshold > 0.75 ? 'right' : 'left', dx: threshold > 0.75 ? -5 : 5, baseline: 'top', fontSize: 10.5, fontWeight: 600, color: '#1f2933' },
      encoding: { x: { datum: threshold, type: 'quantitative' }, y: { value: 2 }, text: { value: `threshold ${formatNumber(threshold, 4)}` } },
    });
  }
  return spec({
    title: { text: opts.title ?? 'Out-of-fold scores by true class', subtitle: 'right of the threshold is flagged: attacks there are caught, normal rows there are false alarms' },
    data: { values },
    facet: { row: { field: 'cls', type: 'nominal', sort: clsDomain, title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontWeight: 600, labelFontSize: 11 } } },
    spacing: 6,
    spec: { width: 520, height: 110, layer: layers },
  });
}

/**
 * The columns that carried importance (> 0), most important first. A zero is not a rank: a column
 * the trees never split on has no gain, and one whose shuffling does not lower the score (or
 * raises it, by chance) is not needed — listing those in file order after the real ones would
 * read as a ranking. Ties keep their order.
 */
export function carriedImportance(entries: readonly ImportanceEntry[] | undefined): ImportanceEntry[] {
  return (entries ?? []).filter((e) => e.importance > 0).sort((a, b) => b.importance - a.importance);
}

/** Gain importance as each column's share of the total gain, top `top` of the columns with any gain. */
export function gainSpec(entries: readonly ImportanceEntry[], top = 20): VegaLiteSpec {
  const carried = carriedImportance(entries);
  let total = 0;
  for (const e of carried) total += e.importance;
  const rows = carried.slice(0, top).map((e) => ({ feature: e.feature, share: total > 0 ? e.importance / total : 0 }));
  const none = entries.length - carried.length;
  return spec({
    title: {
      text: 'Gain importance',
      subtitle: [`share of the total split gain, top ${rows.length} of the ${carried.length} column${carried.length === 1 ? '' : 's'} split on`, ...(none > 0 ? [`${none} never split on (no gain) not shown`] : [])],
    },
    width: 300,
    height: { step: 15 },
    data: { values: rows },
    mark: { type: 'bar', color: COLORS.accent, cornerRadiusEnd: 2 },
    encoding: {
      y: { field: 'feature', type: 'nominal', sort: { field: 'share', order: 'descending' }, title: null, axis: { labelLimit: 280 } },
      x: { field: 'share', type: 'quantitative', axis: { format: '.0%' }, title: 'share of gain' },
    },
  });
}

/**
 * Permutation importance: mean drop of the score when a column is shuffled, ± one standard
 * deviation over repeats; only the columns whose shuffling lowered the score (top `top`).
 */
export function permutationSpec(entries: readonly ImportanceEntry[], scoreName: string, top = 20): VegaLiteSpec {
  const carried = carriedImportance(entries);
  const rows = carried.slice(0, top).map((e) => ({ feature: e.feature, mean: e.importance, lo: e.importance - (e.std ?? 0), hi: e.importance + (e.std ?? 0) }));
  const none = entries.length - carried.length;
  const y = { field: 'feature', type: 'nominal', sort: rows.map((r) => r.feature), title: null, axis: { labelLimit: 280 } };
  return spec({
    title: {
      text: 'Permutation importance',
      // short lines: a subtitle wider than the plot would shrink the whole chart
      subtitle: [
        `drop in ${scoreName} when the column is shuffled, ± 1 std`,
        `top ${rows.length} of the ${carried.length} column${carried.length === 1 ? '' : 's'} whose shuffling lowers it${none > 0 ? `; ${none} not shown` : ''}`,
      ],
    },
    width: 300,
    height: { step: 15 },
    data: { values: rows },
    layer: [
      { mark: { type: 'bar', color: COLORS.palette[2], cornerRadiusEnd: 2 }, encoding: { y, x: { field: 'mean', type: 'quantitative', title: `drop in ${scoreName}` } } },
      { mark: { type: 'rule', color: '#1f2933', strokeWidth: 1.2 }, encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      { mark: { type: 'tick', color: '#1f2933', orient: 'vertical', size: 8, thickness: 1.2 }, encoding: { y, x: { field: 'lo', type: 'quantitative' } } },
      { mark: { type: 'tick', color: '#1f2933', orient: 'vertical', size: 8, thickness: 1.2 }, encoding: { y, x: { field: 'hi', type: 'quantitative' } } },
    ],
  });
}
