/**
 * Running count, sum, min, max, mean and sample variance of a stream of numbers, updated the way
 * Apache Commons Math's SummaryStatistics does (FirstMoment / SecondMoment: West 1979, Welford
 * 1962), so means and standard deviations agree with CICFlowMeter's to the last bits.
 */
export class RunningStat {
  n = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  /** first moment (the mean) and second central moment, as commons-math keeps them */
  m1 = 0;
  m2 = 0;

  add(x: number): void {
    const n = ++this.n;
    this.sum += x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    const dev = x - this.m1;
    const nDev = dev / n;
    this.m1 += nDev;
    this.m2 += (n - 1) * dev * nDev;
  }

  /** commons-math: NaN with no value */
  get mean(): number {
    return this.n === 0 ? NaN : this.m1;
  }

  /** sample variance (n − 1); 0 for one value, NaN for none */
  get variance(): number {
    return this.n === 0 ? NaN : this.n === 1 ? 0 : this.m2 / (this.n - 1);
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }
}
