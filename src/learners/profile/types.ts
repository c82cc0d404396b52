import type { Matrix } from '../../features/types.js';

/**
 * A profile of normal traffic: fitted on normal rows only, it scores how unlike them a row is
 * (higher = more unusual). The hybrid detector (hybrid.ts) thresholds this score.
 */
export interface Profile {
  readonly kind: string;
  fit(X: Matrix, seed: number): void;
  score(X: Matrix): Float64Array;
  toJSON(): object;
}
