/**
 * `npm run bench -- hybrid-round3`: round 3 of the hybrid detector's selection (docs/hybrid.md,
 * pre-registered there before this ran). On KDDTrain+_20Percent only (the test files are never
 * read), for both profiles — P1 the 1-NN distance to normal training rows (`profileScale: 'none'`),
 * P2 that distance over the local spacing of normal rows at the nearest one (`'local'`,
 * src/learners/profile/knn-profile.ts) — every budget b ∈ BUDGETS and gate g ∈ GATES, the rule
 *   attack ⇔ P_sup ≥ 0.5  OR  (s ≥ T_b AND P_sup ≥ g)
 * with T_b calibrated on out-of-fold profile scores of normal training rows and P_sup always
 * out-of-fold. Measured exactly as round 2 (bench/hybrid-gate.ts: the same folds, the same seeds):
 *
 * 1. the leave-one-category-out (LOCO) criterion: normal rows in 5 folds; per fold f and held-out
 *    category c, gbdt trained on the other folds' normal rows and the other categories; mean over
 *    (f, c) of detection of c − FPR on normal fold f;
 * 2. the hybrid's 5-fold cross-validation accuracy on the whole file (stratified folds, seed 0, as
 *    `nadir train --cv 5`), and gbdt alone's in the same folds.
 *
 * Per fold the out-of-fold P_sup and both profiles' scores are computed once; all 40 candidates are
 * evaluated from those arrays. Choice (`choose`): among candidates with CV accuracy ≥ 0.995 and
 * ≥ gbdt's CV accuracy − 0.002, the highest LOCO criterion; ties (to 4 decimals) → P1 before P2,
 * the larger budget, the smaller gate; if none qualifies, the highest CV accuracy.
 */
import { stratifiedKFold } from '../src/data/split.js';
import { takeMatrixRows } from '../src/features/index.js';
import { outOfFoldNormalScores } from '../src/learners/hybrid.js';
import type { Classifier } from '../src/learners/types.js';
import { thresholdAtFpr } from '../src/learners/profile/calibrate.js';
import { KnnProfile, type ProfileScale } from '../src/learners/profile/knn-profile.js';
import { CATEGORIES, fitGbdt, FOLDS, innerOutOfFold, locoData, locoTrainRows, pAttack } from './lib/nsl-loco.js';
import type { ResultTable, SuiteOptions, SuiteReport } from './lib/suite.js';

export const PROFILES: readonly ProfileScale[] = ['none', 'local'];
export const BUDGETS = [0.05, 0.02, 0.01, 0.005] as const;
export const GATES = [0, 1e-4, 1e-3, 1e-2, 0.05] as const;
export const CV_TARGET = 0.995;
/** The no-harm margin: the hybrid's CV accuracy at least gbdt's minus this. */
export const NO_HARM = 0.002;
/** Accuracies are ratios of counts: a margin for the subtraction's rounding, far below one row in 25,192. */
const EPS = 1e-12;
const NAME: Record<ProfileScale, string> = { none: 'P1', local: 'P2' };

/** Out-of-fold scores of one evaluation set: the supervised part's P(attack) and each profile's score. */
interface Scored {
  p: Float64Array;
  s: Record<ProfileScale, Float64Array>;
}

function fires(p: number, s: number, T: number, g: number): boolean {
  return p >= 0.5 || (s >= T && p >= g);
}

function rate(x: Scored, scale: ProfileScale, T: number, g: number): number {
  const s = x.s[scale];
  let n = 0;
  for (let i = 0; i < x.p.length; i++) if (fires(x.p[i]!, s[i]!, T, g)) n++;
  return x.p.length ? n / x.p.length : 0;
}

export interface Candidate {
  profile: ProfileScale;
  budget: number;
  gate: number;
  detection: Record<string, number>;
  fpr: number;
  criterion: number;
  cvAccuracy: number;
  cvFpr: number;
  cvDetection: number;
}

export async function runHybridRound3(opts: SuiteOptions): Promise<SuiteReport> {
  const log = opts.log;
  const d = await locoData();
  const { X, catOf, normal, byCat, shuffled, foldOf } = d;
  const folds = opts.quick ? 2 : FOLDS;
  log(`hybrid-round3: ${d.summary}; ${folds} folds`);
  const gbdt = (rows: Uint32Array, y: Int32Array): Promise<Classifier> => fitGbdt(X, rows, y);
  const perScale = (f: (scale: ProfileScale) => Float64Array): Record<ProfileScale, Float64Array> => ({ none: f('none'), local: f('local') });

  // 1. LOCO, as rounds 1 and 2: the same normal folds (Random(0) shuffle), the same profile seeds.
  const loco: Array<{ oof: Record<ProfileScale, Float64Array>; normal: Record<string, Scored>; held: Record<string, Scored> }> = [];
  for (let f = 0; f < folds; f++) {
    const trainNormal = shuffled.filter((r) => foldOf[r] !== f);
    const heldNormal = normal.filter((i) => foldOf[i] === f);
    const oof = perScale((scale) => innerOutOfFold(X, trainNormal, () => new KnnProfile(1, {}, scale)));
    const profiles = Object.fromEntries(PROFILES.map((scale) => {
      const p = new KnnProfile(1, {}, scale);
      p.fit(takeMatrixRows(X, trainNormal), 0);
      return [scale, p];
    })) as Record<ProfileScale, KnnProfile>;
    const XheldNormal = takeMatrixRows(X, Uint32Array.from(heldNormal));
    const sNormal = perScale((scale) => profiles[scale].score(XheldNormal));
    const entry = { oof, normal: {} as Record<string, Scored>, held: {} as Record<string, Scored> };
    for (const c of CATEGORIES) {
      const trainRows = locoTrainRows(d, f, c);
      const m = await gbdt(trainRows, Int32Array.from(trainRows, (i) => (catOf(i) === 'normal' ? 0 : 1)));
      const Xc = takeMatrixRows(X, Uint32Array.from(byCat[c]!));
      entry.normal[c] = { p: pAttack(m, X, heldNormal), s: sNormal };
      entry.held[c] = { p: pAttack(m, X, byCat[c]!), s: perScale((scale) => profiles[scale].score(Xc)) };
      log(`  LOCO fold ${f + 1}/${folds} without ${c}: done`);
    }
    loco.push(entry);
  }

  // 2. 5-fold CV of the hybrid (and of gbdt alone) on the whole file.
  const y = Int32Array.from({ length: X.nRows }, (_, i) => (catOf(i) === 'normal' ? 0 : 1));
  const cvFolds = stratifiedKFold(y, FOLDS, 0).slice(0, folds);
  const cv: Array<{ oof: Record<ProfileScale, Float64Array>; test: Scored; y: Int32Array }> = [];
  for (const [k, fold] of cvFolds.entries()) {
    const m = await gbdt(fold.train, Int32Array.from(fold.train, (i) => y[i]!));
    const Xtr = takeMatrixRows(X, fold.train);
    const Xte = takeMatrixRows(X, fold.test);
    const trNormal: number[] = [];
    fold.train.forEach((r, i) => {
      if (y[r] === 0) trNormal.push(i);
    });
    const XtrNormal = takeMatrixRows(Xtr, Uint32Array.from(trNormal));
    // as HybridDetector.fit with its defaults (seed 0, 5 calibration folds, k = 1)
    const oof = perScale((scale) => outOfFoldNormalScores(Xtr, trNormal, { calibrationFolds: FOLDS, neighbors: 1, seed: 0, profileScale: scale }));
    const s = perScale((scale) => {
      const p = new KnnProfile(1, {}, scale);
      p.fit(XtrNormal, 0);
      return p.score(Xte);
    });
    cv.push({ oof, test: { p: pAttack(m, X, fold.test), s }, y: Int32Array.from(fold.test, (i) => y[i]!) });
    log(`  CV fold ${k + 1}/${cvFolds.length}: done`);
  }
  const cvRows = cv.reduce((s, c) => s + c.y.length, 0);
  let gbdtCorrect = 0;
  for (const e of cv) for (let i = 0; i < e.y.length; i++) if ((e.test.p[i]! >= 0.5 ? 1 : 0) === e.y[i]) gbdtCorrect++;
  const gbdtCv = gbdtCorrect / cvRows;

  const candidates: Candidate[] = [];
  for (const scale of PROFILES) {
    for (const b of BUDGETS) {
      const locoT = loco.map((e) => thresholdAtFpr(e.oof[scale], b).threshold);
      const cvT = cv.map((e) => thresholdAtFpr(e.oof[scale], b).threshold);
      for (const g of GATES) {
        const detection: Record<string, number> = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
        let fpr = 0;
        let criterion = 0;
        loco.forEach((e, f) => {
          for (const c of CATEGORIES) {
            const det = rate(e.held[c]!, scale, locoT[f]!, g);
            const fp = rate(e.normal[c]!, scale, locoT[f]!, g);
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
          const s = e.test.s[scale];
          for (let i = 0; i < e.y.length; i++) {
            const v = fires(e.test.p[i]!, s[i]!, cvT[k]!, g) ? 1 : 0;
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
        candidates.push({ profile: scale, budget: b, gate: g, detection, fpr, criterion, cvAccuracy: correct / cvRows, cvFpr: fp / nNormal, cvDetection: tp / nAttack });
      }
    }
  }
  const chosen = choose(candidates, gbdtCv);
  log(`  gbdt alone: CV accuracy ${gbdtCv.toFixed(4)}`);
  for (const c of candidates) {
    log(`  ${NAME[c.profile]} b ${c.budget} g ${c.gate}: LOCO criterion ${c.criterion.toFixed(4)} (FPR ${c.fpr.toFixed(4)}), CV accuracy ${c.cvAccuracy.toFixed(4)} (FPR ${c.cvFpr.toFixed(4)}, detection ${c.cvDetection.toFixed(4)})`);
  }
  const table: ResultTable = {
    title: `hybrid round 3 on KDDTrain+_20Percent: profile × budget b × gate g (LOCO ${loco.length} normal folds; ${cv.length}-fold CV; gbdt alone CV accuracy ${gbdtCv.toFixed(4)})`,
    header: ['profile', 'budget b', 'gate g', ...CATEGORIES.map((c) => `${c} detected`), 'LOCO FPR', 'LOCO criterion', 'CV accuracy', 'CV FPR', 'CV detection', 'qualifies'],
    rows: candidates.map((c) => [
      NAME[c.profile],
      String(c.budget),
      String(c.gate),
      ...CATEGORIES.map((k) => c.detection[k]!.toFixed(3)),
      c.fpr.toFixed(4),
      c.criterion.toFixed(4),
      c.cvAccuracy.toFixed(4),
      c.cvFpr.toFixed(4),
      c.cvDetection.toFixed(4),
      qualifies(c, gbdtCv) ? 'yes' : 'no',
    ]),
    notes: [`chosen (${chosen.rule}): ${NAME[chosen.candidate.profile]} (profileScale ${chosen.candidate.profile}), budget ${chosen.candidate.budget}, gate ${chosen.candidate.gate}`],
  };
  return {
    suite: 'hybrid-round3',
    tables: [table],
    data: { gbdtCvAccuracy: gbdtCv, cvRows, candidates, chosen: { profile: chosen.candidate.profile, budget: chosen.candidate.budget, gate: chosen.candidate.gate, rule: chosen.rule } },
  };
}

/** Both training-data constraints: CV accuracy ≥ 0.995 and ≥ gbdt's CV accuracy − 0.002. */
export function qualifies(c: Pick<Candidate, 'cvAccuracy'>, gbdtCv: number): boolean {
  return c.cvAccuracy >= CV_TARGET - EPS && c.cvAccuracy >= gbdtCv - NO_HARM - EPS;
}

const at4 = (x: number): number => Math.round(x * 1e4);

/** The pre-registered choice (docs/hybrid.md, round 3). */
export function choose(candidates: readonly Candidate[], gbdtCv: number): { candidate: Candidate; rule: string } {
  const ok = candidates.filter((c) => qualifies(c, gbdtCv));
  if (ok.length > 0) {
    const best = [...ok].sort((a, b) => at4(b.criterion) - at4(a.criterion) || PROFILES.indexOf(a.profile) - PROFILES.indexOf(b.profile) || b.budget - a.budget || a.gate - b.gate)[0]!;
    return { candidate: best, rule: `highest LOCO criterion among ${ok.length} candidates with CV accuracy ≥ ${CV_TARGET} and ≥ gbdt's ${gbdtCv.toFixed(4)} − ${NO_HARM}` };
  }
  const best = [...candidates].sort((a, b) => b.cvAccuracy - a.cvAccuracy || b.criterion - a.criterion)[0]!;
  return { candidate: best, rule: `no candidate reaches CV accuracy ${CV_TARGET} and gbdt's − ${NO_HARM}: the highest CV accuracy` };
}
