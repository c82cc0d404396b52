import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rankFeatures } from './ranking.js';
import type { CategoricalTest, NumericColumnResult, NumericTest } from './types.js';

function numTest(feature: string, welch: [number, number, number], mw: [number, number, number]): NumericTest {
  // [t, p, pAdjusted] and [rank-biserial r, p, pAdjusted]
  return {
    feature,
    nNormal: 100,
    nAttack: 100,
    meanNormal: 10,
    meanAttack: 12,
    medianNormal: 53,
    medianAttack: 12,
    welch: { t: welch[0], df: 150, p: welch[1], pAdjusted: welch[2], cohenD: 0.01 },
    mannWhitney: { u: 1, z: -9, p: mw[1], pAdjusted: mw[2], rankBiserial: mw[0] },
  };
}

function column(name: string, skewness: number): NumericColumnResult {
  return { name, skewness, heavyTailed: skewness > 2 } as NumericColumnResult;
}

describe('rankFeatures: explanations quote the p-values the tables show', () => {
  const tests = [
    numTest('src_bytes', [1.5, 0.39, 0.41], [-0.4, 0, 0]),
    numTest('urgent', [3, 0.0035, 0.0046], [0.01, 0.036, 0.144]),
    numTest('hot', [0.3, 0.74, 0.74], [0.01, 0.3, 0.34]),
    numTest('count', [20, 1e-60, 2e-60], [0.8, 1e-200, 3e-200]),
  ];
  const cols = [column('src_bytes', 85.2), column('urgent', 30), column('hot', 1), column('count', 1)];
  const chi: CategoricalTest = { feature: 'service', chi2: 3000, dof: 60, p: 0.03, pAdjusted: 0.06, cramersV: 0.2, n: 200 };
  const ranked = rankFeatures(tests, cols, [chi], [], 0.05);
  const byName = (f: string): string => ranked.find((r) => r.feature === f)!.explanation;

  it('only Mann–Whitney: Welch p raw and BH-adjusted, not significant, while Mann–Whitney is; heavy tails', () => {
    assert.equal(
      byName('src_bytes'),
      'The tests disagree: Welch t p = 0.39 (BH-adjusted 0.41) is not significant at 0.05 while Mann–Whitney p < 1e−300 (BH-adjusted < 1e−300) is — values lower in attacks (median 12 in attacks vs 53 in normal traffic). ' +
        'The column is heavy-tailed (skewness 85.2): a few huge values (outliers) dominate its mean and variance, so the t-test has almost no power, while the rank test is unaffected — trust Mann–Whitney.',
    );
  });

  it('only t-test: a raw Mann–Whitney p below alpha is shown with its adjusted value above it', () => {
    assert.match(byName('urgent'), /^The tests disagree: Welch t p = 0\.0035 \(BH-adjusted 0\.0046\) is significant at 0\.05 — the means differ \(mean 12 vs 10\) — while Mann–Whitney p = 0\.036 \(BH-adjusted 0\.144\) is not /);
  });

  it('neither, both and chi-square quote both p-values too', () => {
    assert.equal(byName('hot'), 'No significant difference between attacks and normal traffic at 0.05 after Benjamini–Hochberg correction (Welch t p = 0.74 (BH-adjusted 0.74); Mann–Whitney p = 0.3 (BH-adjusted 0.34)).');
    assert.match(byName('count'), /Both tests agree \(Welch t p = 1\.00e−60 \(BH-adjusted 2\.00e−60\); Mann–Whitney p = 1\.00e−200 \(BH-adjusted 3\.00e−200\)\)/);
    assert.match(byName('service'), /^χ²\(60\) = 3,?000, p = 0\.03 \(BH-adjusted 0\.06\), Cramér's V = 0\.2\. The attack rate does not depend on the value significantly/);
  });
});
