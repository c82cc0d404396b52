/**
 * Benjamini–Hochberg step-up adjustment of p-values controlling the false discovery rate
 * (Benjamini & Hochberg 1995): with p sorted ascending, p̃(i) = min over j ≥ i of m·p(j)/j,
 * capped at 1 — the same values as statsmodels' multipletests(method='fdr_bh') and
 * scipy.stats.false_discovery_control. NaN p-values (tests not run) are left out of m and
 * stay NaN.
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.length).fill(NaN);
  const idx: number[] = [];
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i])) idx.push(i);
  idx.sort((a, b) => p[a] - p[b]);
  const m = idx.length;
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = idx[r];
    const adj = (p[i] * m) / (r + 1);
    if (adj < running) running = adj;
    out[i] = running;
  }
  return out;
}
