import type { Contribution } from '../explain/group.js';
import { groupBySource, topContributions } from '../explain/group.js';
import { linearContributions } from '../explain/linear.js';
import { TreeShapExplainer } from '../explain/tree-shap.js';
import type { Explanation } from '../explain/types.js';
import type { Matrix } from '../features/types.js';
import type { LinearModel, TreeModel } from '../learners/types.js';
import type { Detector } from './detector.js';

export type { Contribution };

/**
 * Why each row got its score: TreeSHAP for tree ensembles (Lundberg et al. 2018), exact
 * coef × (x − mean) for logistic regression; one-hot columns summed back to their input
 * column; the `top` largest by magnitude, for the output that matters (binary: attack;
 * multi-class: the predicted class). Values are in the model's raw units: log-odds for
 * boosting and logistic regression, probability for forests.
 */
export function explainMatrix(detector: Detector, X: Matrix, pred: Int32Array, top = 5): Contribution[][] | undefined {
  const e = explanation(detector, X);
  if (!e) return undefined;
  const grouped = groupBySource(e, detector.pipeline.sourceMap);
  const out: Contribution[][] = [];
  for (let r = 0; r < X.nRows; r++) out.push(topContributions(grouped, r, top, outputFor(detector, grouped, pred[r]!)));
  return out;
}

/** The full (ungrouped) explanation of every row, or undefined for a learner without one (isolation forest). */
export function explanation(detector: Detector, X: Matrix): Explanation | undefined {
  // the learner's spec says how it explains; its contract then gives what that needs
  const how = detector.spec.explainer;
  if (how === 'tree-shap') return treeExplainer(detector).explain(X);
  if (how === 'linear' && detector.body.featureMeans) {
    const { coef, intercept } = detector.learner as unknown as LinearModel;
    return linearContributions({ coef, intercept }, X, detector.body.featureMeans);
  }
  return undefined;
}

/**
 * Each detector's TreeSHAP explainer, prepared on its first explanation and kept with it: one
 * record at a time (the HTTP API) then costs the row's pass, not the tables (explain/tree-shap.ts).
 */
const treeExplainers = new WeakMap<Detector, TreeShapExplainer>();
function treeExplainer(detector: Detector): TreeShapExplainer {
  let e = treeExplainers.get(detector);
  if (!e) treeExplainers.set(detector, (e = new TreeShapExplainer((detector.learner as unknown as TreeModel).ensemble())));
  return e;
}

function outputFor(detector: Detector, e: Explanation, predicted: number): number {
  if (e.nOutputs === 1) return 0; // binary logit: the attack log-odds
  if (detector.isBinary) return 1; // forests: the attack probability
  return predicted;
}
