/**
 * ROC-AUC for the learners' tests, computed independently of eval/ (a layer above the learners):
 * the Mann–Whitney form, AUC = (R₊ − n₊(n₊+1)/2) / (n₊·n₋) with R₊ the positives' rank sum, ties
 * given their average rank — the same number as eval's roc_auc (scikit-learn's trapezoids).
 */
export function rankAuc(y: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let nPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const avg = (i + j + 2) / 2; // 1-based ranks i+1 … j+1
    for (let k = i; k <= j; k++) if (y[order[k]!] === 1) rankSum += avg;
    i = j + 1;
  }
  for (let i = 0; i < n; i++) if (y[i] === 1) nPos++;
  const nNeg = n - nPos;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
