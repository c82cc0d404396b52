/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Run `fn` `reps` times; seconds per run and the last result (kept so the work is never optimised away). */
export async function timeRepeated<T>(reps: number, fn: () => T | Promise<T>): Promise<{ seconds: number[]; median: number; result: T }> {
  const seconds: number[] = [];
  let result!: T;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = await fn();
    seconds.push((performance.now() - t0) / 1000);
  }
  return { seconds, median: median(seconds), result };
}

/** nadir / peer, NaN when either side is missing. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number {
  if (a === null || a === undefined || b === null || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return NaN;
  return a / b;
}
