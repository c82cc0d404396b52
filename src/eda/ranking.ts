/**
 * "Features most linked to attacks": one list over numeric and categorical features, ordered
 * by significance (BH-adjusted p below alpha first) and then by effect size — |rank-biserial
 * r| for numeric features (a rank measure, robust to heavy tails: (|r| + 1)/2 is the AUC of
 * the feature alone) and Cramér's V for categorical ones; both lie in [0, 1]. Each entry says
 * in words what the tests found, and in particular why Welch's t-test and Mann–Whitney U
 * disagree when they do. The words quote each p-value raw and BH-adjusted (the one significance
 * is judged on), as the tests table shows them.
 */
import { formatNumber, formatP, formatPercent, pText } from '../util/format.js';
import type { Agreement, CategoricalColumnResult, CategoricalTest, NumericColumnResult, NumericTest, RankedFeature } from './types.js';

export function rankFeatures(
  numericTests: readonly NumericTest[],
  numeric: readonly NumericColumnResult[],
  categoricalTests: readonly CategoricalTest[],
  categorical: readonly CategoricalColumnResult[],
  alpha: number,
): RankedFeature[] {
  const out: Omit<RankedFeature, 'rank'>[] = [];
  const numByName = new Map(numeric.map((c) => [c.name, c]));
  for (const t of numericTests) {
    if (t.skipped) continue;
    const col = numByName.get(t.feature);
    const tSig = t.welch.pAdjusted < alpha;
    const mwSig = t.mannWhitney.pAdjusted < alpha;
    const agreement: Agreement = tSig && mwSig ? 'both significant' : mwSig ? 'only Mann–Whitney' : tSig ? 'only t-test' : 'neither';
    const r = t.mannWhitney.rankBiserial;
    const direction = mwSig || tSig ? (r > 0 || (r === 0 && t.welch.t > 0) ? 'higher in attacks' : 'lower in attacks') : null;
    out.push({
      feature: t.feature,
      kind: 'numeric',
      strength: Math.abs(r),
      measure: 'rank-biserial',
      direction,
      significant: tSig || mwSig,
      agreement,
      explanation: explainNumeric(t, col, agreement, alpha),
    });
  }
  const catByName = new Map(categorical.map((c) => [c.name, c]));
  for (const t of categoricalTests) {
    if (t.skipped) continue;
    const significant = t.pAdjusted < alpha;
    out.push({
      feature: t.feature,
      kind: 'categorical',
      strength: t.cramersV,
      measure: "Cramér's V",
      direction: null,
      significant,
      agreement: 'chi-square',
      explanation: explainCategorical(t, catByName.get(t.feature), significant),
    });
  }
  out.sort((a, b) => Number(b.significant) - Number(a.significant) || b.strength - a.strength || (a.feature < b.feature ? -1 : 1));
  return out.map((f, i) => ({ rank: i + 1, ...f }));
}

function explainNumeric(t: NumericTest, col: NumericColumnResult | undefined, agreement: Agreement, alpha: number): string {
  const dir = t.mannWhitney.rankBiserial >= 0 ? 'higher' : 'lower';
  const medians =
    t.medianAttack === t.medianNormal
      ? `median ${formatNumber(t.medianAttack)} in both classes`
      : `median ${formatNumber(t.medianAttack)} in attacks vs ${formatNumber(t.medianNormal)} in normal traffic`;
  const means = `mean ${formatNumber(t.meanAttack)} vs ${formatNumber(t.meanNormal)}`;
  // significance is decided on the BH-adjusted p-values: quote them beside the raw ones, as the tests table shows both
  const pT = pWithAdjusted('Welch t', t.welch.p, t.welch.pAdjusted);
  const pMW = pWithAdjusted('Mann–Whitney', t.mannWhitney.p, t.mannWhitney.pAdjusted);
  const skew = col && Number.isFinite(col.skewness) ? col.skewness : NaN;
  const heavy = col?.heavyTailed || Math.abs(skew) >= 2;
  switch (agreement) {
    case 'both significant': {
      const auc = (Math.abs(t.mannWhitney.rankBiserial) + 1) / 2;
      const welchDir = t.welch.t >= 0 ? 'higher' : 'lower';
      const conflict = welchDir !== dir ? ` Note: the mean is ${welchDir} in attacks although typical values are ${dir} — a few extreme values pull the mean the other way.` : '';
      return `${dir === 'higher' ? 'Higher' : 'Lower'} in attacks: ${medians}, ${means}. Both tests agree (${pT}; ${pMW}); AUC of the feature alone ${formatNumber(auc, 3)}.${conflict}`;
    }
    case 'only Mann–Whitney':
      return (
        `The tests disagree: ${pT} is not significant at ${alpha} while ${pMW} is — values ${dir} in attacks (${medians}). ` +
        (heavy
          ? `The column is heavy-tailed (skewness ${formatNumber(skew, 3)}): a few huge values (outliers) dominate its mean and variance, so the t-test has almost no power, while the rank test is unaffected — trust Mann–Whitney.`
          : `The means are close (${means}) but the distributions differ in location or shape, which only the rank test detects.`)
      );
    case 'only t-test':
      return `The tests disagree: ${pT} is significant at ${alpha} — the means differ (${means}) — while ${pMW} is not (${medians}). A minority of extreme values in one class drives the difference rather than a shift of typical values — treat it with care.`;
    default:
      return `No significant difference between attacks and normal traffic at ${alpha} after Benjamini–Hochberg correction (${pT}; ${pMW}).`;
  }
}

/** 'Welch t p = 0.147 (BH-adjusted 0.155)': the raw p-value and the Benjamini–Hochberg-adjusted one significance is judged on. */
function pWithAdjusted(test: string, p: number, pAdjusted: number): string {
  return `${test} ${pText(p)} (BH-adjusted ${formatP(pAdjusted)})`;
}

function explainCategorical(t: CategoricalTest, col: CategoricalColumnResult | undefined, significant: boolean): string {
  const head = `χ²(${t.dof}) = ${formatNumber(t.chi2, 6)}, ${pText(t.p)} (BH-adjusted ${formatP(t.pAdjusted)}), Cramér's V = ${formatNumber(t.cramersV, 3)}.`;
  if (!significant) return `${head} The attack rate does not depend on the value significantly (after Benjamini–Hochberg).`;
  const minCount = Math.max(20, (col?.count ?? 0) * 0.001);
  const vals = (col?.top ?? []).filter((v) => v.count >= minCount && Number.isFinite(v.attackRate));
  if (vals.length < 2) return `${head} The attack rate depends strongly on the value.`;
  let lo = vals[0];
  let hi = vals[0];
  for (const v of vals) {
    if (v.attackRate < lo.attackRate) lo = v;
    if (v.attackRate > hi.attackRate) hi = v;
  }
  return `${head} The attack rate depends on the value: from ${formatPercent(lo.attackRate)} ('${lo.value}', ${formatNumber(lo.count)} rows) to ${formatPercent(hi.attackRate)} ('${hi.value}', ${formatNumber(hi.count)} rows).`;
}
