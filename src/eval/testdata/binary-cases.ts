// Shared by the metric tests that compare with scikit-learn (sklearn-expected.ts is generated,
// so what the tests build from it lives here).
import * as sk from './sklearn-expected.js';

/** The binary cases: ties, a larger vector, a tie across the classes, and only one class present. */
export const BINARY_CASES = {
  binaryTies: sk.binaryTies,
  binaryLarge: sk.binaryLarge,
  binaryTieAcross: sk.binaryTieAcross,
  binaryOneClass: sk.binaryOneClass,
};

/** Scores P(class 1) as the row-major two-column probabilities [1 − s, s] of a binary model. */
export function twoColumns(s: number[]): Float64Array {
  const p = new Float64Array(s.length * 2);
  s.forEach((v, i) => {
    p[2 * i] = 1 - v;
    p[2 * i + 1] = v;
  });
  return p;
}
