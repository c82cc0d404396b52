/**
 * The hybrid detector's parts in the training and evaluation reports: both thresholds and how the
 * anomaly threshold was chosen, the rows by the part that fired (per true class, and for attack
 * labels absent from training), the detection of those unseen labels, and histograms of the
 * supervised probability and of the anomaly score by true class.
 */
import type { HybridEvaluation, PartCounts, UnseenDetection } from '../app/hybrid-parts.js';
import type { ModelBody } from '../model/types.js';
import { formatInt } from '../util/format.js';
import { COLORS, type VegaLiteSpec } from './kit/vega.js';
import { html, renderChart, renderKeyValue, renderTable, type HtmlValue, type SafeHtml } from './kit/index.js';
import { pct } from './report-common.js';

export interface HybridSet {
  name: string;
  y: Int32Array;
  hybrid?: HybridEvaluation | undefined;
  unseen?: UnseenDetection | undefined;
}

/** The anomaly part's thresholds from the model's decision, or null for another model. */
export function hybridParts(body: Pick<ModelBody, 'decision'>): NonNullable<Extract<ModelBody['decision'], { kind: 'threshold' }>['parts']> | null {
  return body.decision.kind === 'threshold' ? (body.decision.parts ?? null) : null;
}

/** Detection of labels absent from training, one line per set (any binary model that knows its training labels). */
export function unseenTable(sets: readonly HybridSet[]): SafeHtml | '' {
  const rows = sets.filter((s) => s.unseen && s.unseen.rows > 0);
  if (!rows.length) return '';
  return renderTable(
    [
      { label: 'set', cell: (s: HybridSet) => s.name },
      { label: 'attack rows of labels absent from training', cell: (s: HybridSet) => formatInt(s.unseen!.rows), align: 'right' },
      { label: 'detected', cell: (s: HybridSet) => formatInt(s.unseen!.detected), align: 'right' },
      { label: 'detection rate', cell: (s: HybridSet) => (s.unseen!.rate === null ? '–' : pct(s.unseen!.rate)), align: 'right' },
      { label: 'labels', cell: (s: HybridSet) => Object.entries(s.unseen!.byLabel).sort((a, b) => b[1].rows - a[1].rows).slice(0, 8).map(([l, v]) => `${l} ${v.detected}/${v.rows}`).join(', ') },
    ],
    rows,
    { caption: 'Attacks of a kind the model never saw: how many it still flags' },
  );
}

/** The whole hybrid section, or '' for another model. */
export async function hybridSection(body: Pick<ModelBody, 'decision' | 'classes'>, sets: readonly HybridSet[]): Promise<HtmlValue> {
  const parts = hybridParts(body);
  if (!parts) return '';
  const a = parts.anomaly;
  const thresholds = renderKeyValue(
    [
      ['known-attack: supervised P(attack) ≥', parts.supervised.threshold.toFixed(4)],
      [a.profileScale === 'local' ? 'anomaly: distance to the nearest normal training row over its local spacing (profile scale local) ≥' : 'anomaly: distance to the nearest normal training row ≥', a.threshold.toFixed(4)],
      ["anomaly gate: the alarm stands only when the supervised P(attack) ≥", String(a.gate ?? 0)],
      ['anomaly budget (--max-fpr) on normal training rows', pct(a.maxFpr)],
      ['normal training rows flagged by it, out-of-fold', html`${pct(a.oofFpr)} of ${formatInt(a.normalRows)}`],
    ],
    'The two parts and their thresholds; a record is an attack when either part fires',
  );
  const withParts = sets.filter((s) => s.hybrid);
  const byPart = renderTable(
    [
      { label: 'set', cell: (r: { set: string; cls: string; c: PartCounts }) => r.set },
      { label: 'true class', cell: (r) => r.cls },
      { label: 'known-attack only', cell: (r) => formatInt(r.c.knownAttack), align: 'right' },
      { label: 'anomaly only', cell: (r) => formatInt(r.c.anomaly), align: 'right' },
      { label: 'both', cell: (r) => formatInt(r.c.both), align: 'right' },
      { label: 'neither (normal)', cell: (r) => formatInt(r.c.neither), align: 'right' },
    ],
    withParts.flatMap((s) => [
      ...Object.entries(s.hybrid!.byClass).map(([cls, c]) => ({ set: s.name, cls, c })),
      ...(s.hybrid!.unseen ? [{ set: s.name, cls: 'attack, label absent from training', c: s.hybrid!.unseen }] : []),
    ]),
    { caption: 'Rows by the part that fired', empty: 'No labelled set was scored.' },
  );
  const charts: SafeHtml[] = [];
  for (const s of withParts) {
    charts.push(await renderChart(histogramSpec(`${s.name}: supervised P(attack)`, s.hybrid!.probability, s.y, body.classes, [0, 1], parts.supervised.threshold), { label: `supervised probability, ${s.name}` }));
    charts.push(await renderChart(histogramSpec(`${s.name}: anomaly score (log scale)`, s.hybrid!.anomaly, s.y, body.classes, null, a.threshold), { label: `anomaly score, ${s.name}` }));
  }
  return html`${thresholds}${unseenTable(sets)}${byPart}<div class="row">${charts}</div>`;
}

/** Overlaid histograms by true class (each class as a share of its rows) with the threshold as a rule; `range` null: log1p bins of the score. */
function histogramSpec(title: string, v: Float64Array, y: Int32Array, classes: readonly string[], range: [number, number] | null, threshold: number): VegaLiteSpec {
  const f = range ? (x: number): number => x : (x: number): number => Math.log1p(Math.max(0, x));
  let lo = range ? range[0] : Infinity;
  let hi = range ? range[1] : -Infinity;
  if (!range) {
    for (const x of v) {
      lo = Math.min(lo, f(x));
      hi = Math.max(hi, f(x));
    }
  }
  if (!(hi > lo)) hi = lo + 1;
  const bins = 30;
  const w = (hi - lo) / bins;
  const counts = classes.map(() => new Array<number>(bins).fill(0));
  const totals = classes.map(() => 0);
  for (let i = 0; i < v.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((f(v[i]!) - lo) / w)));
    counts[y[i]!]![b]!++;
    totals[y[i]!]!++;
  }
  const values = classes.flatMap((cls, k) => counts[k]!.map((n, b) => ({ cls, x0: lo + b * w, x1: lo + (b + 1) * w, share: totals[k] ? n / totals[k]! : 0 })));
  return {
    title: { text: title, subtitle: 'share of each true class; the rule is the threshold' },
    width: 300,
    height: 120,
    layer: [
      {
        data: { values },
        mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
        encoding: {
          x: { field: 'x0', type: 'quantitative', title: range ? 'P(attack)' : 'log(1 + score)' },
          x2: { field: 'x1' },
          y: { field: 'share', type: 'quantitative', stack: null, title: null, axis: { format: '.0%', tickCount: 3 } },
          color: { field: 'cls', type: 'nominal', scale: { domain: [...classes], range: [COLORS.normal, COLORS.attack] }, title: null, legend: { orient: 'top' } },
        },
      },
      { data: { values: [{ t: f(threshold) }] }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { field: 't', type: 'quantitative' } } },
    ],
  } as unknown as VegaLiteSpec;
}
