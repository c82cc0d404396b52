/**
 * Vega-Lite specs of the EDA report, built from aggregates only (histogram counts, quantiles,
 * rates): no chart ever carries rows, so a chart costs the same on 1,000 or 10,000,000 rows
 * and nothing needs sampling. Pure functions: result pieces in, spec out.
 */
import { COLORS, type VegaLiteSpec } from './kit/vega.js';
import { formatNumber } from '../util/format.js';
import type { BoxStats, CategoricalColumnResult, ClassCounts, CorrelationResult, IdentifierSummary, NumericColumnResult, NumericTest, RankedFeature } from '../eda/types.js';

/** Vega-Lite's TypeScript types are stricter than the JSON it accepts; specs are checked by rendering them in tests. */
function vl(spec: object): VegaLiteSpec {
  return spec as unknown as VegaLiteSpec;
}

/** Colours for target classes: normal blue, attack red for the binary target, the palette otherwise (normal always blue). */
export function classColors(classes: readonly string[], isAttack: readonly boolean[]): string[] {
  if (classes.length === 2 && isAttack[1] && !isAttack[0]) return [COLORS.normal, COLORS.attack];
  const rest = COLORS.palette.filter((c) => c !== COLORS.normal);
  let j = 0;
  return classes.map((_, i) => (isAttack[i] ? rest[j++ % rest.length] : COLORS.normal));
}

const AXIS_NUM = { format: '~s', labelFlush: true };
/** Per-label SI format: an axis 'format' would share one SI prefix across all ticks (10 → '0M' next to 100M). */
const SI_LABEL = "format(datum.value, '~s')";

/** Class counts as horizontal bars with the count printed at the end of each bar. */
export function classBarSpec(counts: ClassCounts, colors: readonly string[] | null, title: string, maxBars = 30): VegaLiteSpec {
  const rows = counts.classes.map((c, i) => ({ cls: c, n: counts.counts[i], label: formatNumber(counts.counts[i]) }));
  const shown = rows.length > maxBars ? [...rows].sort((a, b) => b.n - a.n).slice(0, maxBars) : rows;
  const order = shown.map((r) => r.cls);
  const height = Math.max(40, 18 * shown.length);
  const color = colors
    ? { field: 'cls', type: 'nominal', scale: { domain: counts.classes, range: colors }, legend: null }
    : { value: COLORS.accent };
  return vl({
    title,
    width: 300,
    height,
    data: { values: shown },
    encoding: {
      y: { field: 'cls', type: 'nominal', sort: order, title: null },
      x: { field: 'n', type: 'quantitative', title: 'rows', axis: AXIS_NUM, scale: { nice: true } },
    },
    layer: [
      { mark: { type: 'bar', cornerRadiusEnd: 2 }, encoding: { color } },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#3d4852' }, encoding: { text: { field: 'label' } } },
    ],
  });
}

/** Distinct values per column (log axis), coloured by kind: spots constant and ID-like columns at a glance. */
export function cardinalitySpec(numeric: readonly NumericColumnResult[], categorical: readonly CategoricalColumnResult[], order: readonly string[]): VegaLiteSpec {
  const values = [
    ...numeric.map((c) => ({ column: c.name, distinct: Math.max(1, c.distinct), kind: 'numeric', raw: c.distinct })),
    ...categorical.map((c) => ({ column: c.name, distinct: Math.max(1, c.distinct), kind: 'categorical', raw: c.distinct })),
  ];
  const maxDistinct = Math.max(1, ...values.map((v) => v.distinct));
  return vl({
    title: { text: 'Distinct values per column', subtitle: 'log scale; a bar of height 1 is a constant column' },
    width: Math.max(300, Math.min(1000, 24 * values.length)),
    height: 160,
    data: { values },
    mark: { type: 'bar', cornerRadiusTopLeft: 2, cornerRadiusTopRight: 2 },
    encoding: {
      x: { field: 'column', type: 'nominal', sort: order, title: null, axis: { labelAngle: -60, labelFontSize: 9 } },
      y: { field: 'distinct', type: 'quantitative', stack: null, scale: { type: 'log', domainMin: 0.7 }, title: 'distinct values', axis: { values: decadeTicks(1, maxDistinct), labelExpr: SI_LABEL } },
      color: { field: 'kind', type: 'nominal', scale: { domain: ['numeric', 'categorical'], range: [COLORS.accent, '#F58518'] }, title: null },
    },
  });
}

interface Bar {
  x0: number;
  x1: number;
  v: string;
  [k: string]: number | string;
}

function histogramBars(c: NumericColumnResult, counts: readonly number[]): Bar[] {
  const h = c.histogram;
  if (!h) return [];
  if (h.scale === 'discrete') return h.edges.map((e, i) => ({ x0: e, x1: e, v: formatNumber(e), n: counts[i] }));
  return counts.map((n, i) => ({ x0: h.edges[i], x1: h.edges[i + 1], v: '', n }));
}

function xEncoding(c: NumericColumnResult, title: string | null): object {
  const h = c.histogram;
  if (h && h.scale === 'discrete') {
    return { field: 'v', type: 'ordinal', sort: h.edges.map((e) => formatNumber(e)), title, axis: { labelAngle: 0, labelOverlap: true } };
  }
  const domain = h ? [h.edges[0], h.edges[h.edges.length - 1]] : undefined;
  const symlog = h?.scale === 'symlog';
  return {
    field: 'x0',
    type: 'quantitative',
    title,
    scale: { type: symlog ? 'symlog' : 'linear', domain, nice: false, zero: false },
    axis: symlog && domain ? { values: decadeTicks(domain[0], domain[1]), labelExpr: SI_LABEL, labelFlush: true } : { format: '~s', tickCount: 5, labelFlush: true },
  };
}

/** Ticks of a symlog axis: 0 and powers of ten (every other decade when there are many) within [min, max]. */
export function decadeTicks(min: number, max: number, maxTicks = 6): number[] {
  const hiExp = Math.floor(Math.log10(Math.max(Math.abs(min), Math.abs(max), 1)));
  const step = Math.max(1, Math.ceil((hiExp + 1) / (maxTicks - 1)));
  const ticks: number[] = [];
  for (let e = hiExp; e >= 0; e -= step) {
    const t = Math.pow(10, e);
    if (t <= max && t >= min) ticks.push(t);
    if (-t >= min && -t <= max) ticks.push(-t);
  }
  if (min <= 0 && max >= 0) ticks.push(0);
  return ticks.sort((a, b) => a - b);
}

/** Histogram of one numeric column over all rows. */
export function histogramSpec(c: NumericColumnResult): VegaLiteSpec {
  const h = c.histogram;
  const bars = histogramBars(c, h ? h.counts : []);
  const discrete = h?.scale === 'discrete';
  // A spike holding most rows (typically the zeros of a traffic counter) would flatten every
  // other bar: then the count axis is square-root scaled, and the subtitle says so.
  const total = h ? h.counts.reduce((s, v) => s + v, 0) : 0;
  const sqrt = h !== null && Math.max(...h.counts) > 0.5 * total;
  const shape = h?.scale === 'symlog' ? 'log-scaled x axis (heavy tail)' : discrete ? 'one bar per value' : `${h ? h.counts.length : 0} equal-width bins`;
  const subtitle = sqrt ? `${shape} · √ count axis` : shape;
  return vl({
    title: { text: c.name, subtitle },
    width: 250,
    height: 100,
    data: { values: bars },
    mark: { type: 'bar', color: COLORS.accent, ...(discrete ? { cornerRadiusTopLeft: 1, cornerRadiusTopRight: 1 } : { binSpacing: 0 }) },
    encoding: {
      x: xEncoding(c, null),
      ...(discrete ? {} : { x2: { field: 'x1' } }),
      y: { field: 'n', type: 'quantitative', title: sqrt ? '√ rows' : 'rows', scale: { type: sqrt ? 'sqrt' : 'linear' }, axis: { format: '~s', tickCount: 3 } },
      ...(discrete ? {} : { y2: { datum: 0 } }),
    },
  });
}

/** Per-class distributions of one numeric column: overlaid histograms, each class scaled to its own total (share). */
export function classHistogramSpec(c: NumericColumnResult, classes: readonly string[], colors: readonly string[]): VegaLiteSpec {
  const h = c.histogram;
  const values: Bar[] = [];
  if (h) {
    classes.forEach((cls, k) => {
      const counts = h.byClass[k];
      const total = counts.reduce((s, v) => s + v, 0);
      if (total === 0) return;
      for (const b of histogramBars(c, counts)) values.push({ ...b, cls, share: (b.n as number) / total });
    });
  }
  const discrete = h?.scale === 'discrete';
  return vl({
    title: { text: c.name, subtitle: h?.scale === 'symlog' ? 'share of each class · log-scaled axis' : 'share of each class' },
    width: 250,
    height: 100,
    data: { values },
    mark: discrete ? { type: 'bar' } : { type: 'bar', opacity: 0.55, binSpacing: 0 },
    encoding: {
      x: xEncoding(c, null),
      ...(discrete ? { xOffset: { field: 'cls', type: 'nominal', sort: classes } } : { x2: { field: 'x1' }, y2: { datum: 0 } }),
      y: { field: 'share', type: 'quantitative', stack: null, title: null, axis: { format: '.0%', tickCount: 3 } },
      color: { field: 'cls', type: 'nominal', scale: { domain: classes, range: colors }, title: null, legend: { orient: 'top' } },
    },
  });
}

/** Per-class box plots (quartiles, 1.5·IQR whiskers, mean as a dot), for targets with many classes. */
export function classBoxSpec(c: NumericColumnResult, classes: readonly string[], colors: readonly string[]): VegaLiteSpec {
  const values = classes
    .map((cls, k) => ({ cls, color: colors[k], ...(c.byClass[k] as BoxStats) }))
    .filter((b) => b.n > 0);
  const symlog = c.heavyTailed;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v.whiskerLow, v.mean);
    hi = Math.max(hi, v.whiskerHigh, v.mean);
  }
  const axis = symlog && lo <= hi ? { values: decadeTicks(lo, hi), labelExpr: SI_LABEL } : { format: '~s', tickCount: 5 };
  const x = { type: 'quantitative', title: null, scale: { type: symlog ? 'symlog' : 'linear', zero: false, nice: false }, axis };
  return vl({
    title: { text: c.name, subtitle: symlog ? 'quartiles and 1.5·IQR whiskers per class · log-scaled axis' : 'quartiles and 1.5·IQR whiskers per class' },
    width: 250,
    height: Math.max(60, 14 * values.length),
    data: { values },
    encoding: { y: { field: 'cls', type: 'nominal', sort: classes, title: null, axis: { labelFontSize: 9 } } },
    layer: [
      { mark: { type: 'rule', color: '#7b8794' }, encoding: { x: { field: 'whiskerLow', ...x }, x2: { field: 'whiskerHigh' } } },
      { mark: { type: 'bar', size: 9, cornerRadius: 1 }, encoding: { x: { field: 'q1', ...x }, x2: { field: 'q3' }, color: { field: 'color', type: 'nominal', scale: null } } },
      { mark: { type: 'tick', color: 'white', size: 9, thickness: 2 }, encoding: { x: { field: 'median', ...x } } },
      { mark: { type: 'point', filled: true, size: 14, color: '#1f2933' }, encoding: { x: { field: 'mean', ...x } } },
    ],
  });
}

/** Top values of a categorical column: bar length = count, colour = attack rate. */
export function categoryCountSpec(c: CategoricalColumnResult, maxBars = 15): VegaLiteSpec {
  const values = c.top.slice(0, maxBars).map((t) => ({ value: t.value, n: t.count }));
  return vl({
    title: { text: c.name, subtitle: `${values.length < c.distinct ? `top ${values.length} of ${c.distinct} values` : `${c.distinct} values`}` },
    width: 250,
    height: Math.max(40, 15 * values.length),
    data: { values },
    mark: { type: 'bar', color: COLORS.accent, cornerRadiusEnd: 2 },
    encoding: {
      y: { field: 'value', type: 'nominal', sort: values.map((v) => v.value), title: null, axis: { labelFontSize: 10, labelLimit: 110 } },
      x: { field: 'n', type: 'quantitative', title: 'rows', axis: AXIS_NUM },
    },
  });
}

/** Attack rate by category value (most frequent values), with the overall attack rate as a reference line. */
export function attackRateSpec(c: CategoricalColumnResult, overallRate: number, maxBars = 15): VegaLiteSpec {
  const values = c.top
    .slice(0, maxBars)
    .filter((t) => Number.isFinite(t.attackRate))
    .map((t) => ({ value: `${t.value} (${formatNumber(t.count)})`, rate: t.attackRate }));
  return vl({
    title: { text: c.name, subtitle: `attack rate by value · ${values.length} most frequent values (rows) · line = overall rate` },
    width: 250,
    height: Math.max(40, 15 * values.length),
    layer: [
      {
        data: { values },
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: {
          y: { field: 'value', type: 'nominal', sort: values.map((v) => v.value), title: null, axis: { labelFontSize: 10, labelLimit: 140 } },
          x: { field: 'rate', type: 'quantitative', title: 'attack rate', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color: { field: 'rate', type: 'quantitative', scale: { domain: [0, 1], range: ['#9ecae1', COLORS.attack] }, legend: null },
        },
      },
      { data: { values: [{ r: overallRate }] }, mark: { type: 'rule', color: '#1f2933', strokeDash: [4, 3] }, encoding: { x: { field: 'r', type: 'quantitative' } } },
    ],
  });
}

/** Correlation heat map (diverging, −1 blue … +1 red). */
export function heatmapSpec(corr: CorrelationResult, which: 'pearson' | 'spearman'): VegaLiteSpec {
  const m = corr[which];
  const values: Array<{ a: string; b: string; r: number }> = [];
  corr.columns.forEach((a, i) =>
    corr.columns.forEach((b, j) => {
      const r = m[i][j];
      if (Number.isFinite(r)) values.push({ a, b, r });
    }),
  );
  const cell = Math.max(8, Math.min(16, Math.floor(560 / Math.max(1, corr.columns.length))));
  const size = cell * corr.columns.length;
  return vl({
    title: { text: which === 'pearson' ? 'Pearson r' : 'Spearman ρ', subtitle: which === 'pearson' ? 'linear association' : 'monotonic association (ranks)' },
    width: size,
    height: size,
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'a', type: 'nominal', sort: corr.columns, title: null, axis: { labelAngle: -60, labelFontSize: 9, labelLimit: 180 } },
      y: { field: 'b', type: 'nominal', sort: corr.columns, title: null, axis: { labelFontSize: 9, labelLimit: 180 } },
      color: { field: 'r', type: 'quantitative', scale: { domain: [-1, 1], scheme: 'redblue', reverse: true }, title: which === 'pearson' ? 'r' : 'ρ', legend: { orient: 'right', direction: 'vertical', gradientLength: 160 } },
    },
  });
}

/** Outlier share per column (IQR rule), coloured by the share of attacks among them. */
export function outlierSpec(numeric: readonly NumericColumnResult[], rule: 'iqr' | 'robustZ', maxBars = 25): VegaLiteSpec {
  const values = numeric
    .filter((c) => c.outliers && c.outliers[rule].count > 0)
    .map((c) => ({ column: c.name, share: (c.outliers?.[rule].count ?? 0) / Math.max(1, c.count), attacks: c.outliers?.[rule].attackShare ?? NaN }))
    .sort((a, b) => b.share - a.share)
    .slice(0, maxBars)
    .map((v) => ({ ...v, attacks: Number.isFinite(v.attacks) ? v.attacks : null }));
  return vl({
    title: {
      text: rule === 'iqr' ? 'IQR rule (1.5 × IQR)' : 'Robust z-score (|z| > 3.5)',
      subtitle: `share of rows flagged, colour = share of attacks among them${values.length === maxBars ? ` · top ${maxBars} columns` : ''}`,
    },
    width: 280,
    height: Math.max(40, 15 * values.length),
    data: { values },
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      y: { field: 'column', type: 'nominal', sort: values.map((v) => v.column), title: null, axis: { labelFontSize: 10 } },
      x: { field: 'share', type: 'quantitative', title: 'share of rows', axis: { format: '.0%' } },
      color: { field: 'attacks', type: 'quantitative', scale: { domain: [0, 1], range: [COLORS.normal, '#d9d9d9', COLORS.attack] }, title: 'attacks', legend: { format: '.0%', gradientLength: 120 } },
    },
  });
}

/** Effect sizes of the numeric tests: rank-biserial r per feature, coloured by significance. */
export function effectSizeSpec(tests: readonly NumericTest[], alpha: number): VegaLiteSpec {
  const values = tests
    .filter((t) => !t.skipped && Number.isFinite(t.mannWhitney.rankBiserial))
    .map((t) => ({ feature: t.feature, r: t.mannWhitney.rankBiserial, sig: t.mannWhitney.pAdjusted < alpha ? 'significant' : 'not significant' }))
    .sort((a, b) => b.r - a.r);
  return vl({
    title: { text: 'Rank-biserial r, attack vs normal', subtitle: '> 0: higher in attacks · colour: Mann–Whitney significant after BH' },
    width: 320,
    height: Math.max(40, 13 * values.length),
    data: { values },
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      y: { field: 'feature', type: 'nominal', sort: values.map((v) => v.feature), title: null, axis: { labelFontSize: 9 } },
      x: { field: 'r', type: 'quantitative', scale: { domain: [-1, 1] }, title: 'rank-biserial r' },
      color: { field: 'sig', type: 'nominal', scale: { domain: ['significant', 'not significant'], range: [COLORS.accent, COLORS.muted] }, title: null },
    },
  });
}

/** The ranking as bars of strength, coloured by feature kind. */
export function rankingSpec(ranking: readonly RankedFeature[], maxBars = 20): VegaLiteSpec {
  const values = ranking.slice(0, maxBars).map((f) => ({ feature: f.feature, strength: f.strength, kind: f.kind === 'numeric' ? 'numeric: |rank-biserial r|' : "categorical: Cramér's V" }));
  return vl({
    title: { text: 'Features most linked to attacks', subtitle: `top ${values.length} by effect size` },
    width: 320,
    height: Math.max(40, 16 * values.length),
    data: { values },
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      // label limits in pixels of vega's server-side text estimate (0.8 em per character), which
      // is wider than the rendered text: the defaults cut the legend to "numeric: |rank-bi…"
      y: { field: 'feature', type: 'nominal', sort: values.map((v) => v.feature), title: null, axis: { labelLimit: 280 } },
      x: { field: 'strength', type: 'quantitative', scale: { domain: [0, 1] }, title: 'effect size' },
      color: { field: 'kind', type: 'nominal', scale: { domain: ['numeric: |rank-biserial r|', "categorical: Cramér's V"], range: [COLORS.accent, '#F58518'] }, title: null, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 320 } },
    },
  });
}

/** Top talkers of an identifier column: rows per value, split into attack and other rows. */
export function topTalkersSpec(id: IdentifierSummary): VegaLiteSpec {
  const values = id.top.flatMap((t) => [
    { value: t.value, rows: t.attackRows, kind: 'attack' },
    { value: t.value, rows: t.rows - t.attackRows, kind: 'normal or unlabelled' },
  ]);
  return vl({
    title: { text: `${id.name}: top talkers`, subtitle: `${id.top.length} of ${id.distinct} distinct values, by rows` },
    width: 320,
    height: Math.max(40, 16 * id.top.length),
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'value', type: 'nominal', sort: id.top.map((t) => t.value), title: null, axis: { labelLimit: 280 } },
      x: { field: 'rows', type: 'quantitative', stack: 'zero', title: 'rows' },
      color: { field: 'kind', type: 'nominal', scale: { domain: ['attack', 'normal or unlabelled'], range: [COLORS.attack, COLORS.normal] }, title: null, legend: { orient: 'bottom' } },
    },
  });
}
