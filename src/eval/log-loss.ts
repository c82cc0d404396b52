/**
 * Cross-entropy (log loss) with scikit-learn 1.2's definition (`log_loss(y, proba,
 * labels=range(k))`): probabilities clipped to [ε, 1 − ε] with ε = float64 machine epsilon,
 * each row renormalised to sum to 1, mean of −log p(true class).
 */
import { checkLabels, checkProba, type Labels } from './validate.js';

/** numpy.finfo(np.float64).eps — the clipping sklearn's eps="auto" uses for float64 input. */
export const LOG_LOSS_EPS = 2.220446049250313e-16;

export function logLoss(yTrue: Labels, proba: ArrayLike<number>, nClasses: number): number {
  checkProba(yTrue, proba, nClasses, 'logLoss');
  checkLabels(yTrue, nClasses, 'logLoss');
  const hi = 1 - LOG_LOSS_EPS;
  let total = 0;
  for (let i = 0, base = 0; i < yTrue.length; i++, base += nClasses) {
    let rowSum = 0;
    for (let c = 0; c < nClasses; c++) rowSum += clip(proba[base + c]!, LOG_LOSS_EPS, hi);
    total -= Math.log(clip(proba[base + yTrue[i]!]!, LOG_LOSS_EPS, hi) / rowSum);
  }
  return total / yTrue.length;
}

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
