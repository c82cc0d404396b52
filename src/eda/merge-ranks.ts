/**
 * Merges per-group sorted values into the distinct values of the whole column with their
 * multiplicities and mid-ranks, and accumulates each group's rank sum and the tie term
 * Σ(t³ − t) on the way — exactly what the Mann–Whitney U test with tie correction and the
 * Spearman correlation need (ranks as in scipy.stats.rankdata(method='average')).
 * A k-way merge of already sorted parts: O(n·k), no sort of the whole column.
 */

export interface RankSummary {
  /** Number of finite values (all groups). */
  readonly n: number;
  /** Distinct values, ascending. */
  readonly uniques: Float64Array;
  /** Exclusive end position of each distinct value in the sorted column (cumulative count). */
  readonly ends: Float64Array;
  /** 1-based average rank of each distinct value. */
  readonly avgRank: Float64Array;
  /** Sum of the ranks of each group's values. */
  readonly rankSum: Float64Array;
  /** Σ over tie groups of (t³ − t). */
  readonly tieTerm: number;
}

export function mergeRanks(groups: readonly Float64Array[]): RankSummary {
  const k = groups.length;
  let n = 0;
  for (const g of groups) n += g.length;
  const pos = new Int32Array(k);
  const runs = new Int32Array(k);
  const rankSum = new Float64Array(k);
  // Upper bound on distinct values is n; trimmed at the end.
  let uniques: Float64Array = new Float64Array(Math.min(n, 1024));
  let ends: Float64Array = new Float64Array(uniques.length);
  let avgRank: Float64Array = new Float64Array(uniques.length);
  let u = 0;
  let done = 0;
  let tieTerm = 0;
  while (done < n) {
    // Smallest head among the groups.
    let v = Infinity;
    for (let g = 0; g < k; g++) {
      if (pos[g] < groups[g].length && groups[g][pos[g]] < v) v = groups[g][pos[g]];
    }
    // Length of the run of v in each group.
    let t = 0;
    for (let g = 0; g < k; g++) {
      const arr = groups[g];
      let p = pos[g];
      const start = p;
      while (p < arr.length && arr[p] === v) p++;
      runs[g] = p - start;
      pos[g] = p;
      t += p - start;
    }
    const mid = done + (t + 1) / 2;
    for (let g = 0; g < k; g++) if (runs[g] > 0) rankSum[g] += runs[g] * mid;
    if (t > 1) tieTerm += t * t * t - t;
    if (u === uniques.length) {
      const cap = Math.min(n, uniques.length * 2);
      uniques = grow(uniques, cap);
      ends = grow(ends, cap);
      avgRank = grow(avgRank, cap);
    }
    done += t;
    uniques[u] = v;
    ends[u] = done;
    avgRank[u] = mid;
    u++;
  }
  return {
    n,
    uniques: uniques.slice(0, u),
    ends: ends.slice(0, u),
    avgRank: avgRank.slice(0, u),
    rankSum,
    tieTerm,
  };
}

function grow(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
