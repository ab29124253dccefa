// Extra bitrate at equal quality between two rate–quality curves: the Bjøntegaard delta rate (BD-rate).
//
// Method (G. Bjøntegaard, "Calculation of average PSNR differences between RD-curves", ITU-T VCEG-M33,
// 2001): put both curves on (quality, ln rate) axes, interpolate each, integrate both over the quality
// range they share, and read the mean vertical distance as a rate ratio:
//   BD-rate = exp( (∫ ln R_test(q) dq − ∫ ln R_anchor(q) dq) / (q_hi − q_lo) ) − 1.
// Bjøntegaard fitted a cubic polynomial through four points; with three or four points per curve it can
// overshoot between them, so the interpolation here is the piecewise cubic Hermite one (PCHIP, F. N.
// Fritsch & R. E. Carlson, "Monotone piecewise cubic interpolation", SIAM J. Numer. Anal. 17(2), 1980),
// which keeps a monotone curve monotone — the variant the JVET and AOM common test conditions' BD-rate
// tools use. Each piece is a cubic, so Simpson's rule on every piece between the knots is exact.
//
// Quality is whatever increases with rate: PSNR in dB, or SSIM in dB (−10·log10(1 − SSIM)), the scale on
// which ExCamera (Fouladi et al., NSDI 2017, §5) reported its chunking cost. Pure.

/** One encode's point on its rate–quality curve. */
export interface RatePoint {
  /** Any positive rate (kbit/s or bytes): only ratios matter. */
  rate: number;
  quality: number;
}

export interface BdRate {
  /** Extra rate of `test` over `anchor` at equal quality: 0.14 = 14% more bits. */
  fraction: number;
  /** The quality range both curves cover, over which the rates were compared. */
  qualityLo: number;
  qualityHi: number;
}

/** The PCHIP interpolant through (xs, ys), xs strictly increasing (≥ 2 points). */
export function pchip(xs: readonly number[], ys: readonly number[]): (x: number) => number {
  const n = xs.length;
  if (n < 2 || ys.length !== n) throw new Error('pchip needs at least two points and as many ys as xs');
  const h: number[] = [];
  const delta: number[] = [];
  for (let k = 0; k < n - 1; k++) {
    h.push((xs[k + 1] as number) - (xs[k] as number));
    if (!((h[k] as number) > 0)) throw new Error('pchip needs strictly increasing xs');
    delta.push(((ys[k + 1] as number) - (ys[k] as number)) / (h[k] as number));
  }
  const d = new Array<number>(n).fill(0);
  if (n === 2) d.fill(delta[0] as number);
  else {
    for (let k = 1; k < n - 1; k++) {
      const a = delta[k - 1] as number;
      const b = delta[k] as number;
      if (a * b <= 0) continue; // a local extremum: flat there, so no overshoot
      const w1 = 2 * (h[k] as number) + (h[k - 1] as number);
      const w2 = (h[k] as number) + 2 * (h[k - 1] as number);
      d[k] = (w1 + w2) / (w1 / a + w2 / b); // weighted harmonic mean (Fritsch & Butland 1984)
    }
    d[0] = endSlope(h[0] as number, h[1] as number, delta[0] as number, delta[1] as number);
    d[n - 1] = endSlope(h[n - 2] as number, h[n - 3] as number, delta[n - 2] as number, delta[n - 3] as number);
  }
  return (x: number) => {
    let k = 0;
    while (k < n - 2 && x > (xs[k + 1] as number)) k++;
    const hk = h[k] as number;
    const t = (x - (xs[k] as number)) / hk;
    const t2 = t * t;
    const t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * (ys[k] as number) + (t3 - 2 * t2 + t) * hk * (d[k] as number) + (-2 * t3 + 3 * t2) * (ys[k + 1] as number) + (t3 - t2) * hk * (d[k + 1] as number);
  };
}

/** The one-sided three-point end slope, kept shape-preserving (as MATLAB's and SciPy's pchip do). */
function endSlope(h0: number, h1: number, del0: number, del1: number): number {
  const d = ((2 * h0 + h1) * del0 - h0 * del1) / (h0 + h1);
  if (Math.sign(d) !== Math.sign(del0)) return 0;
  if (Math.sign(del0) !== Math.sign(del1) && Math.abs(d) > Math.abs(3 * del0)) return 3 * del0;
  return d;
}

/** ∫ f over [lo, hi], exactly for a piecewise cubic whose knots are all in `knots`. */
function integrate(f: (x: number) => number, lo: number, hi: number, knots: readonly number[]): number {
  const cuts = [lo, ...knots.filter((k) => k > lo && k < hi), hi].sort((a, b) => a - b);
  let sum = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i] as number;
    const b = cuts[i + 1] as number;
    sum += ((b - a) / 6) * (f(a) + 4 * f((a + b) / 2) + f(b));
  }
  return sum;
}

/** Why a curve cannot take part, or null: at least two points, positive finite rates, and quality rising
 * strictly with rate (a curve that does not is not a rate–quality curve). */
export function curveProblem(points: readonly RatePoint[]): string | null {
  if (points.length < 2) return `a rate–quality curve needs at least 2 points, got ${points.length}`;
  if (points.some((p) => !(p.rate > 0) || !Number.isFinite(p.rate) || !Number.isFinite(p.quality))) return 'every rate must be positive and every quality finite';
  const sorted = [...points].sort((a, b) => a.rate - b.rate);
  for (let i = 1; i < sorted.length; i++) {
    if (!((sorted[i] as RatePoint).quality > (sorted[i - 1] as RatePoint).quality)) return 'quality does not rise strictly with rate';
  }
  return null;
}

/** BD-rate of `test` against `anchor`; null when the curves share no quality range. Throws for a curve that
 * is not one (curveProblem). */
export function bdRate(anchor: readonly RatePoint[], test: readonly RatePoint[]): BdRate | null {
  for (const curve of [anchor, test]) {
    const problem = curveProblem(curve);
    if (problem) throw new Error(problem);
  }
  const prepared = [anchor, test].map((curve) => {
    const sorted = [...curve].sort((a, b) => a.quality - b.quality);
    const qs = sorted.map((p) => p.quality);
    return { qs, f: pchip(qs, sorted.map((p) => Math.log(p.rate))) };
  }) as [{ qs: number[]; f: (q: number) => number }, { qs: number[]; f: (q: number) => number }];
  const [a, t] = prepared;
  const lo = Math.max(a.qs[0] as number, t.qs[0] as number);
  const hi = Math.min(a.qs[a.qs.length - 1] as number, t.qs[t.qs.length - 1] as number);
  if (!(hi > lo)) return null;
  const meanGap = (integrate(t.f, lo, hi, t.qs) - integrate(a.f, lo, hi, a.qs)) / (hi - lo);
  return { fraction: Math.expm1(meanGap), qualityLo: lo, qualityHi: hi };
}

/** SSIM (0–1) on the decibel scale: −10·log10(1 − SSIM); Infinity for identical pictures. */
export function ssimDb(ssim: number): number {
  return ssim >= 1 ? Infinity : -10 * Math.log10(1 - ssim);
}
