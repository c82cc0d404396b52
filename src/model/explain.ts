import type { Contribution } from '../explain/group.js';
import { groupBySource, topContributions } from '../explain/group.js';
import { linearContributions } from '../explain/linear.js';
import { TreeShapExplainer } from '../explain/tree-shap.js';
import type { Explanation } from '../explain/types.js';
import type { Matrix } from '../features/types.js';
import type { LinearModel, TreeModel } from '../learners/types.js';
import type { Table } from '../data/types.js';
import { HybridDetector } from '../learners/hybrid.js';
import { learnerSpec } from '../learners/registry.js';
import type { Detector } from './detector.js';

export type { Contribution };

/**
 * Why each row got its score: TreeSHAP for tree ensembles (Lundberg et al. 2018), exact
 * coef × (x − mean) for logistic regression; one-hot columns summed back to their input
 * column; the `top` largest by magnitude, for the output that matters (binary: attack;
 * multi-class: the predicted class). Values are in the model's raw units: log-odds for
 * boosting and logistic regression, probability for forests.
 */
export function explainMatrix(detector: Detector, X: Matrix, pred: Int32Array, top = 5, table?: Table): Contribution[][] | undefined {
  const e = explanation(detector, X);
  if (!e) return undefined;
  const grouped = groupBySource(e, detector.pipeline.sourceMap);
  const out: Contribution[][] = [];
  for (let r = 0; r < X.nRows; r++) out.push(withInputs(topContributions(grouped, r, top, outputFor(detector, grouped, pred[r]!)), table, r));
  return out;
}

/**
 * Why a hybrid model's anomaly part scored each row as it did: the exact split of its distance to
 * normal traffic over the columns (profile/knn-profile.ts), one-hot columns summed back to their
 * input column, the `top` largest first; undefined for another model.
 */
export function explainAnomaly(detector: Detector, X: Matrix, top = 5, table?: Table): Contribution[][] | undefined {
  const h = detector.learner;
  if (!(h instanceof HybridDetector)) return undefined;
  const phi = h.anomalyContributions(X);
  const e: Explanation = { nRows: X.nRows, nOutputs: 1, nFeatures: X.nCols, features: X.columns, contributions: phi, bias: new Float64Array(1) };
  const grouped = groupBySource(e, detector.pipeline.sourceMap);
  const out: Contribution[][] = [];
  for (let r = 0; r < X.nRows; r++) out.push(withInputs(topContributions(grouped, r, top, 0), table, r));
  return out;
}

/** The full (ungrouped) explanation of every row, or undefined for a learner without one (isolation forest). */
export function explanation(detector: Detector, X: Matrix): Explanation | undefined {
  // the learner's spec says how it explains; its contract then gives what that needs; a hybrid's supervised part explains its known-attack score
  const learner = detector.learner instanceof HybridDetector ? detector.learner.supervised : detector.learner;
  const how = detector.learner instanceof HybridDetector ? learnerSpec(learner.type).explainer : detector.spec.explainer;
  if (how === 'tree-shap') return treeExplainer(learner as unknown as TreeModel).explain(X);
  if (how === 'linear' && detector.body.featureMeans) {
    const { coef, intercept } = learner as unknown as LinearModel;
    return linearContributions({ coef, intercept }, X, detector.body.featureMeans);
  }
  return undefined;
}

/** Each contribution with the record's value of its input column (what was unusual, not only where). */
function withInputs(cs: Contribution[], table: Table | undefined, row: number): Contribution[] {
  if (!table) return cs;
  for (const c of cs) {
    const col = table.columns.find((x) => x.name === c.feature);
    if (!col) continue;
    if (col.kind === 'numeric') {
      const v = col.values[row]!;
      c.input = Number.isNaN(v) ? null : v;
    } else {
      const code = col.codes[row]!;
      c.input = code < 0 ? null : col.dictionary[code]!;
    }
  }
  return cs;
}

/**
 * Each tree model's TreeSHAP explainer, prepared on its first explanation and kept with it: one
 * record at a time (the HTTP API) then costs the row's pass, not the tables (explain/tree-shap.ts).
 */
const treeExplainers = new WeakMap<TreeModel, TreeShapExplainer>();
function treeExplainer(model: TreeModel): TreeShapExplainer {
  let e = treeExplainers.get(model);
  if (!e) treeExplainers.set(model, (e = new TreeShapExplainer(model.ensemble())));
  return e;
}

function outputFor(detector: Detector, e: Explanation, predicted: number): number {
  if (e.nOutputs === 1) return 0; // binary logit: the attack log-odds
  if (detector.isBinary) return 1; // forests: the attack probability
  return predicted;
}
