/**
 * `npm run bench -- hybrid-gate`: round 2 of the hybrid detector's selection (docs/hybrid.md,
 * pre-registered there before this ran). On KDDTrain+_20Percent only (the test files are never
 * read), for every budget b ∈ BUDGETS and gate g ∈ GATES, the rule
 *   attack ⇔ P_sup ≥ 0.5  OR  (distance ≥ T_b AND P_sup ≥ g)
 * with T_b calibrated on out-of-fold distances of normal training rows, and P_sup always
 * out-of-fold (the supervised part never scores a row it was trained on). Measured:
 *
 * 1. the leave-one-category-out (LOCO) criterion exactly as round 1 (bench/hybrid-select.ts): normal
 *    rows in 5 folds; per fold f and held-out category c, gbdt trained on the other folds' normal
 *    rows and the other categories; mean over (f, c) of detection of c − FPR on normal fold f;
 * 2. the hybrid's 5-fold cross-validation accuracy on the whole file (stratified folds, seed 0, as
 *    `nadir train --cv 5`): each fold's rows scored by gbdt and a 1-NN profile fitted on the others,
 *    T_b from the inner out-of-fold distances of the other folds' normal rows (as the hybrid does).
 *
 * Per fold the out-of-fold P_sup and distances are computed once; all (b, g) pairs are evaluated
 * from those arrays. Choice: among candidates with CV accuracy ≥ 0.995 the highest LOCO criterion,
 * ties → larger budget, then smaller gate; if none reaches 0.995, the highest CV accuracy.
 */
import { stratifiedKFold } from '../src/data/split.js';
import { takeMatrixRows } from '../src/features/index.js';
import { outOfFoldNormalScores } from '../src/learners/hybrid.js';
import type { Classifier } from '../src/learners/types.js';
import { thresholdAtFpr } from '../src/learners/profile/calibrate.js';
import { KnnProfile } from '../src/learners/profile/knn-profile.js';
import { CATEGORIES, fitGbdt, FOLDS, innerOutOfFold, locoData, locoTrainRows, pAttack } from './lib/nsl-loco.js';
import type { ResultTable, SuiteOptions, SuiteReport } from './lib/suite.js';

export const BUDGETS = [0.05, 0.02, 0.01] as const;
export const GATES = [0, 1e-4, 1e-3, 1e-2, 0.05] as const;
const CV_TARGET = 0.995;

/** Out-of-fold scores of one evaluation set: the supervised part's P(attack) and the 1-NN distance. */
interface Scored {
  p: Float64Array;
  d: Float64Array;
}

function fires(p: number, d: number, T: number, g: number): boolean {
  return p >= 0.5 || (d >= T && p >= g);
}

function rate(s: Scored, T: number, g: number): number {
  let n = 0;
  for (let i = 0; i < s.p.length; i++) if (fires(s.p[i]!, s.d[i]!, T, g)) n++;
  return s.p.length ? n / s.p.length : 0;
}

export interface Candidate {
  budget: number;
  gate: number;
  detection: Record<string, number>;
  fpr: number;
  criterion: number;
  cvAccuracy: number;
  cvFpr: number;
  cvDetection: number;
}

export async function runHybridGate(opts: SuiteOptions): Promise<SuiteReport> {
  const log = opts.log;
  const d = await locoData();
  const { X, catOf, normal, byCat, shuffled, foldOf } = d;
  const folds = opts.quick ? 2 : FOLDS;
  log(`hybrid-gate: ${d.summary}; ${folds} folds`);
  const gbdt = (rows: Uint32Array, y: Int32Array): Promise<Classifier> => fitGbdt(X, rows, y);

  // 1. LOCO, as round 1: the same normal folds (Random(0) shuffle), the same profile seeds.
  /** Per fold: the inner out-of-fold distances of the training normal rows, and per category the held-out normal fold and category, scored. */
  const loco: Array<{ oof: Float64Array; normal: Record<string, Scored>; held: Record<string, Scored> }> = [];
  for (let f = 0; f < folds; f++) {
    const trainNormal = shuffled.filter((r) => foldOf[r] !== f);
    const heldNormal = normal.filter((i) => foldOf[i] === f);
    const oof = innerOutOfFold(X, trainNormal, () => new KnnProfile(1));
    const profile = new KnnProfile(1);
    profile.fit(takeMatrixRows(X, trainNormal), 0);
    const dNormal = profile.score(takeMatrixRows(X, Uint32Array.from(heldNormal)));
    const entry = { oof, normal: {} as Record<string, Scored>, held: {} as Record<string, Scored> };
    for (const c of CATEGORIES) {
      const trainRows = locoTrainRows(d, f, c);
      const m = await gbdt(trainRows, Int32Array.from(trainRows, (i) => (catOf(i) === 'normal' ? 0 : 1)));
      entry.normal[c] = { p: pAttack(m, X, heldNormal), d: dNormal };
      entry.held[c] = { p: pAttack(m, X, byCat[c]!), d: profile.score(takeMatrixRows(X, Uint32Array.from(byCat[c]!))) };
      log(`  LOCO fold ${f + 1}/${folds} without ${c}: done`);
    }
    loco.push(entry);
  }

  // 2. 5-fold CV of the hybrid on the whole file.
  const y = Int32Array.from({ length: X.nRows }, (_, i) => (catOf(i) === 'normal' ? 0 : 1));
  const cvFolds = stratifiedKFold(y, FOLDS, 0).slice(0, folds);
  const cv: Array<{ oof: Float64Array; test: Scored; y: Int32Array }> = [];
  for (const [k, fold] of cvFolds.entries()) {
    const m = await gbdt(fold.train, Int32Array.from(fold.train, (i) => y[i]!));
    const Xtr = takeMatrixRows(X, fold.train);
    const trNormal: number[] = [];
    fold.train.forEach((r, i) => {
      if (y[r] === 0) trNormal.push(i);
    });
    // as HybridDetector.fit with its defaults (seed 0, 5 calibration folds, k = 1)
    const oof = outOfFoldNormalScores(Xtr, trNormal, { calibrationFolds: FOLDS, neighbors: 1, seed: 0 });
    const profile = new KnnProfile(1);
    profile.fit(takeMatrixRows(Xtr, Uint32Array.from(trNormal)), 0);
    cv.push({ oof, test: { p: pAttack(m, X, fold.test), d: profile.score(takeMatrixRows(X, fold.test)) }, y: Int32Array.from(fold.test, (i) => y[i]!) });
    log(`  CV fold ${k + 1}/${cvFolds.length}: done`);
  }
  const cvRows = cv.reduce((s, c) => s + c.y.length, 0);

  const candidates: Candidate[] = [];
  for (const b of BUDGETS) {
    const locoT = loco.map((e) => thresholdAtFpr(e.oof, b).threshold);
    const cvT = cv.map((e) => thresholdAtFpr(e.oof, b).threshold);
    for (const g of GATES) {
      const detection: Record<string, number> = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
      let fpr = 0;
      let criterion = 0;
      loco.forEach((e, f) => {
        for (const c of CATEGORIES) {
          const det = rate(e.held[c]!, locoT[f]!, g);
          const fp = rate(e.normal[c]!, locoT[f]!, g);
          detection[c]! += det / loco.length;
          fpr += fp / loco.length / CATEGORIES.length;
          criterion += (det - fp) / loco.length / CATEGORIES.length;
        }
      });
      let correct = 0;
      let fp = 0;
      let nNormal = 0;
      let tp = 0;
      let nAttack = 0;
      cv.forEach((e, k) => {
        for (let i = 0; i < e.y.length; i++) {
          const v = fires(e.test.p[i]!, e.test.d[i]!, cvT[k]!, g) ? 1 : 0;
          if (v === e.y[i]) correct++;
          if (e.y[i] === 0) {
            nNormal++;
            fp += v;
          } else {
            nAttack++;
            tp += v;
          }
        }
      });
      candidates.push({ budget: b, gate: g, detection, fpr, criterion, cvAccuracy: correct / cvRows, cvFpr: fp / nNormal, cvDetection: tp / nAttack });
    }
  }
  const chosen = choose(candidates);
  for (const c of candidates) {
    log(`  b ${c.budget} g ${c.gate}: LOCO criterion ${c.criterion.toFixed(4)} (FPR ${c.fpr.toFixed(4)}), CV accuracy ${c.cvAccuracy.toFixed(4)} (FPR ${c.cvFpr.toFixed(4)}, detection ${c.cvDetection.toFixed(4)})`);
  }
  const table: ResultTable = {
    title: `hybrid round 2 on KDDTrain+_20Percent: budget b × gate g (LOCO ${loco.length} normal folds; ${cv.length}-fold CV)`,
    header: ['budget b', 'gate g', ...CATEGORIES.map((c) => `${c} detected`), 'LOCO FPR', 'LOCO criterion', 'CV accuracy', 'CV FPR', 'CV detection'],
    rows: candidates.map((c) => [
      String(c.budget),
      String(c.gate),
      ...CATEGORIES.map((k) => c.detection[k]!.toFixed(3)),
      c.fpr.toFixed(4),
      c.criterion.toFixed(4),
      c.cvAccuracy.toFixed(4),
      c.cvFpr.toFixed(4),
      c.cvDetection.toFixed(4),
    ]),
    notes: [`chosen (${chosen.rule}): budget ${chosen.candidate.budget}, gate ${chosen.candidate.gate}`],
  };
  return { suite: 'hybrid-gate', tables: [table], data: { candidates, chosen: { budget: chosen.candidate.budget, gate: chosen.candidate.gate, rule: chosen.rule } } };
}

/** The pre-registered choice (docs/hybrid.md, round 2). */
export function choose(candidates: readonly Candidate[]): { candidate: Candidate; rule: string } {
  const ok = candidates.filter((c) => c.cvAccuracy >= CV_TARGET);
  if (ok.length > 0) {
    const best = [...ok].sort((a, b) => b.criterion - a.criterion || b.budget - a.budget || a.gate - b.gate)[0]!;
    return { candidate: best, rule: `highest LOCO criterion among ${ok.length} candidates with CV accuracy ≥ ${CV_TARGET}` };
  }
  const best = [...candidates].sort((a, b) => b.cvAccuracy - a.cvAccuracy || b.criterion - a.criterion)[0]!;
  return { candidate: best, rule: `no candidate reaches CV accuracy ${CV_TARGET}: the highest CV accuracy` };
}
