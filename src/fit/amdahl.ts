// Amdahl's law (Amdahl 1967): T(N) = Ts + Tp / N, so S(N) = 1 / (f + (1 − f) / N) with serial fraction
// f = Ts / (Ts + Tp) and ceiling S(∞) = 1 / f. Fitted by ordinary least squares of T on x = 1/N (linear:
// intercept Ts, slope Tp), both constrained ≥ 0: when the unconstrained fit makes one negative it is refit
// with that one fixed at 0. R² is of T. The 95% CI of f comes from a seeded bootstrap over the repeats
// within each N when per-repeat samples are given (percentile method), else it is omitted.
import { mulberry32 } from '../stats/random.ts';
import { rSquared } from './r2.ts';

/** One measured worker count: mean wall time, and the repeats when available. */
export interface ScalingPoint {
  workers: number;
  wallMs: number;
  samplesMs?: number[];
}

export interface AmdahlFit {
  serialMs: number;
  parallelMs: number;
  serialFraction: number;
  ceiling: number;
  r2: number;
  serialFractionCi95: { lo: number; hi: number } | null;
}

/** S(N) for a serial fraction f. */
export function amdahlSpeedup(f: number, workers: number): number {
  return 1 / (f + (1 - f) / workers);
}

function leastSquares(points: { x: number; y: number }[]): { intercept: number; slope: number } {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

/** Ts and Tp ≥ 0 by least squares of T on 1/N. */
export function fitAmdahlTimes(points: { workers: number; wallMs: number }[]): { serialMs: number; parallelMs: number } {
  const xy = points.map((p) => ({ x: 1 / p.workers, y: p.wallMs }));
  let { intercept, slope } = leastSquares(xy);
  if (intercept < 0) {
    // through the origin: T = Tp / N
    slope = Math.max(0, xy.reduce((s, p) => s + p.x * p.y, 0) / xy.reduce((s, p) => s + p.x * p.x, 0));
    intercept = 0;
  } else if (slope < 0) {
    slope = 0;
    intercept = xy.reduce((s, p) => s + p.y, 0) / xy.length;
  }
  return { serialMs: intercept, parallelMs: slope };
}

/** Fits Amdahl's law to measured points (needs at least two distinct worker counts). */
export function fitAmdahl(points: ScalingPoint[], seed = 1, resamples = 2000): AmdahlFit {
  if (new Set(points.map((p) => p.workers)).size < 2) throw new Error('fitAmdahl: needs at least two worker counts');
  const { serialMs, parallelMs } = fitAmdahlTimes(points);
  const fraction = (s: number, p: number) => (s + p > 0 ? s / (s + p) : 0);
  const serialFraction = fraction(serialMs, parallelMs);
  const r2 = rSquared(points.map((p) => p.wallMs), points.map((p) => serialMs + parallelMs / p.workers));
  let ci: AmdahlFit['serialFractionCi95'] = null;
  if (points.every((p) => (p.samplesMs?.length ?? 0) >= 2)) {
    const rng = mulberry32(seed);
    const fs: number[] = [];
    for (let r = 0; r < resamples; r++) {
      const resampled = points.map((p) => {
        const s = p.samplesMs ?? [];
        let sum = 0;
        for (let i = 0; i < s.length; i++) sum += s[Math.floor(rng() * s.length)] ?? 0;
        return { workers: p.workers, wallMs: sum / s.length };
      });
      const fit = fitAmdahlTimes(resampled);
      fs.push(fraction(fit.serialMs, fit.parallelMs));
    }
    fs.sort((a, b) => a - b);
    ci = { lo: fs[Math.floor(0.025 * resamples)] ?? serialFraction, hi: fs[Math.ceil(0.975 * resamples) - 1] ?? serialFraction };
  }
  return { serialMs, parallelMs, serialFraction, ceiling: serialFraction > 0 ? 1 / serialFraction : Infinity, r2, serialFractionCi95: ci };
}
