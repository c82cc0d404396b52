/**
 * `npm run bench -- hybrid-select`: which profile of normal traffic the hybrid detector uses,
 * decided by cross-validation on the training file alone (KDDTrain+_20Percent; the test files are
 * never read). Pre-registered protocol (issue 12):
 *
 * - normal rows in 5 folds; for each fold f, profiles are fitted on the other folds' normal rows;
 * - each profile's threshold flags at most 5% of the normal training rows' out-of-fold scores
 *   (an inner 5-fold split of the normal training rows, as the hybrid does at fit time);
 * - leave one attack category out (DoS, Probe, R2L, U2R): the supervised part (gbdt, 200 rounds)
 *   is trained on the normal training rows and the attacks of the other categories;
 * - hybrid = supervised (P ≥ 0.5) OR anomalous; measured: detection of the held-out category's rows,
 *   FPR on the held-out normal fold f;
 * - choose by mean over categories (and folds) of detection − FPR.
 *
 * Also the per-record scoring cost of each profile (batch, and one record at a time).
 */
import { takeMatrixRows } from '../src/features/index.js';
import type { Matrix } from '../src/features/index.js';
import { IsolationForest } from '../src/learners/isolation-forest.js';
import { thresholdAtFpr } from '../src/learners/profile/calibrate.js';
import { GmmProfile } from '../src/learners/profile/gmm-profile.js';
import { GroupProfile } from '../src/learners/profile/group-profile.js';
import { KnnProfile } from '../src/learners/profile/knn-profile.js';
import { PcaProfile } from '../src/learners/profile/pca-profile.js';
import { ProfileScaler } from '../src/learners/profile/scaler.js';
import type { Profile } from '../src/learners/profile/types.js';
import { CATEGORIES, fitGbdt, FOLDS, innerOutOfFold, locoData, locoTrainRows, pAttack } from './lib/nsl-loco.js';
import type { ResultTable, SuiteOptions, SuiteReport } from './lib/suite.js';

const BUDGET = 0.05;

/** The isolation forest as a profile: raw inputs, or the profile scaler's log1p view. */
class IforestProfile implements Profile {
  readonly kind: string;
  private f: IsolationForest | null = null;
  private scaler: ProfileScaler | null = null;
  constructor(private readonly log: boolean) {
    this.kind = log ? 'iforest-log1p' : 'iforest';
  }
  private view(X: Matrix): Matrix {
    return this.scaler ? { ...X, data: this.scaler.transform(X) } : X;
  }
  fit(X: Matrix, seed: number): void {
    if (this.log) this.scaler = ProfileScaler.fit(X, { clip: 1e9 });
    this.f = new IsolationForest({ nTrees: 100, maxSamples: 256, seed });
    // IsolationForest.fit is async in signature but synchronous inside; this profile awaits it below
    void this.f.fit(this.view(X));
  }
  score(X: Matrix): Float64Array {
    return this.f!.scoreSamples(this.view(X));
  }
  toJSON(): object {
    return { kind: this.kind };
  }
}

export const CANDIDATES: Record<string, () => Profile> = {
  iforest: () => new IforestProfile(false),
  'iforest-log1p': () => new IforestProfile(true),
  'knn-1': () => new KnnProfile(1),
  'knn-5': () => new KnnProfile(5),
  'knn-10': () => new KnnProfile(10),
  'knn-5-nolog': () => new KnnProfile(5, { log: false }),
  'pca-95': () => new PcaProfile(0.95),
  'gmm-16': () => new GmmProfile(16),
  'group-proto-service': () => new GroupProfile(['protocol_type', 'service']),
};

interface Row {
  profile: string;
  /** Anomaly part alone, per category: detection (mean over folds). */
  anomalyDetection: Record<string, number>;
  /** Hybrid (gbdt without the category OR anomalous): detection per category. */
  hybridDetection: Record<string, number>;
  anomalyFpr: number;
  hybridFpr: number;
  criterion: number;
  oofFpr: number;
  batchMicros: number;
  singleMicros: number;
}

export async function runHybridSelect(opts: SuiteOptions): Promise<SuiteReport> {
  const log = opts.log;
  const d = await locoData();
  const { X, catOf, normal, byCat, shuffled, foldOf } = d;
  log(`hybrid-select: ${d.summary}`);
  const names = opts.only ?? Object.keys(CANDIDATES);
  const folds = opts.quick ? 2 : FOLDS;

  // supervised part per (fold, held-out category): verdicts on the normal fold and on the category's rows
  const sup: Array<Record<string, { normal: Uint8Array; held: Uint8Array }>> = [];
  for (let f = 0; f < folds; f++) {
    sup.push({});
    for (const c of CATEGORIES) {
      const trainRows = locoTrainRows(d, f, c);
      const gbdt = await fitGbdt(X, trainRows, Int32Array.from(trainRows, (i) => (catOf(i) === 'normal' ? 0 : 1)));
      const verdict = (rows: number[]): Uint8Array => Uint8Array.from(pAttack(gbdt, X, rows), (p) => (p >= 0.5 ? 1 : 0));
      sup[f]![c] = { normal: verdict(normal.filter((i) => foldOf[i] === f)), held: verdict(byCat[c]!) };
      log(`  gbdt fold ${f + 1}/${folds} without ${c}: detects ${mean(sup[f]![c]!.held).toFixed(4)} of ${c}, FPR ${mean(sup[f]![c]!.normal).toFixed(4)}`);
    }
  }

  const rows: Row[] = [];
  for (const name of names) {
    const make = CANDIDATES[name];
    if (!make) throw new Error(`unknown profile '${name}' (known: ${Object.keys(CANDIDATES).join(', ')})`);
    const aDet: Record<string, number> = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
    const hDet: Record<string, number> = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
    let aFpr = 0;
    let hFpr = 0;
    let crit = 0;
    let oofFpr = 0;
    let batchSeconds = 0;
    let batchRows = 0;
    let singleMicros = 0;
    for (let f = 0; f < folds; f++) {
      const trainNormal = shuffled.filter((r) => foldOf[r] !== f);
      const heldNormal = normal.filter((i) => foldOf[i] === f);
      // threshold: inner 5-fold out-of-fold scores of the normal training rows
      const oof = innerOutOfFold(X, trainNormal, make);
      const { threshold, fpr } = thresholdAtFpr(oof, BUDGET);
      oofFpr += fpr / folds;
      const p = make();
      p.fit(takeMatrixRows(X, trainNormal), 0);
      let t0 = performance.now();
      const sNormal = p.score(takeMatrixRows(X, Uint32Array.from(heldNormal)));
      batchSeconds += (performance.now() - t0) / 1000;
      batchRows += heldNormal.length;
      const aN = Uint8Array.from(sNormal, (s) => (s >= threshold ? 1 : 0));
      let fCrit = 0;
      for (const c of CATEGORIES) {
        t0 = performance.now();
        const sHeld = p.score(takeMatrixRows(X, Uint32Array.from(byCat[c]!)));
        batchSeconds += (performance.now() - t0) / 1000;
        batchRows += byCat[c]!.length;
        const aH = Uint8Array.from(sHeld, (s) => (s >= threshold ? 1 : 0));
        const s = sup[f]![c]!;
        const hH = aH.map((v, i) => v | s.held[i]!);
        const hN = aN.map((v, i) => v | s.normal[i]!);
        aDet[c]! += mean(aH) / folds;
        hDet[c]! += mean(hH) / folds;
        hFpr += mean(hN) / folds / CATEGORIES.length;
        fCrit += (mean(hH) - mean(hN)) / CATEGORIES.length;
      }
      aFpr += mean(aN) / folds;
      crit += fCrit / folds;
      if (f === 0) {
        // one record at a time: 300 held-out normal rows
        const one = heldNormal.slice(0, 300);
        t0 = performance.now();
        for (const r of one) p.score(takeMatrixRows(X, Uint32Array.of(r)));
        singleMicros = ((performance.now() - t0) * 1000) / one.length;
      }
      log(`  ${name} fold ${f + 1}/${folds}: threshold ${threshold.toPrecision(5)} (oof FPR ${fpr.toFixed(4)}), held-out normal FPR ${mean(aN).toFixed(4)}, criterion ${fCrit.toFixed(4)}`);
    }
    const row: Row = { profile: name, anomalyDetection: aDet, hybridDetection: hDet, anomalyFpr: aFpr, hybridFpr: hFpr, criterion: crit, oofFpr, batchMicros: (batchSeconds * 1e6) / batchRows, singleMicros };
    rows.push(row);
    log(`  ${name}: criterion ${crit.toFixed(4)}; hybrid detection ${CATEGORIES.map((c) => `${c} ${hDet[c]!.toFixed(3)}`).join(', ')}; FPR ${hFpr.toFixed(4)}; ${row.batchMicros.toFixed(1)} µs/record batch, ${singleMicros.toFixed(0)} µs single`);
  }
  const gbdtRow = {
    det: Object.fromEntries(CATEGORIES.map((c) => [c, sup.reduce((s, x) => s + mean(x[c]!.held), 0) / folds])),
    fpr: sup.reduce((s, x) => s + CATEGORIES.reduce((t, c) => t + mean(x[c]!.normal), 0) / CATEGORIES.length, 0) / folds,
  };
  const best = [...rows].sort((a, b) => b.criterion - a.criterion)[0];
  const table: ResultTable = {
    title: `hybrid profile selection on KDDTrain+_20Percent (leave one attack category out, ${folds} normal folds, ${BUDGET * 100}% training-normal budget)`,
    header: ['profile', ...CATEGORIES.map((c) => `${c} hybrid (anomaly)`), 'FPR hybrid (anomaly)', 'oof FPR', 'criterion', 'µs/record batch', 'µs/record single'],
    rows: [
      ['gbdt alone', ...CATEGORIES.map((c) => gbdtRow.det[c]!.toFixed(3)), gbdtRow.fpr.toFixed(4), '', (CATEGORIES.reduce((s, c) => s + gbdtRow.det[c]!, 0) / CATEGORIES.length - gbdtRow.fpr).toFixed(4), '', ''],
      ...rows.map((r) => [
        r.profile,
        ...CATEGORIES.map((c) => `${r.hybridDetection[c]!.toFixed(3)} (${r.anomalyDetection[c]!.toFixed(3)})`),
        `${r.hybridFpr.toFixed(4)} (${r.anomalyFpr.toFixed(4)})`,
        r.oofFpr.toFixed(4),
        r.criterion.toFixed(4),
        r.batchMicros.toFixed(1),
        r.singleMicros.toFixed(0),
      ]),
    ],
    notes: [`chosen by the criterion (mean held-out-category detection − FPR on held-out normal rows): ${best?.profile ?? '–'}`],
  };
  return { suite: 'hybrid-select', tables: [table], data: { rows, gbdt: gbdtRow, chosen: best?.profile } };
}

function mean(a: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return a.length ? s / a.length : 0;
}
