// Amdahl's law (G. M. Amdahl, "Validity of the single processor approach to achieving large scale
// computing capabilities", AFIPS 1967):
//   T(N) = Ts + Tp / N,  S(N) = T(1)/T(N) = 1 / (f + (1 − f) / N),  f = Ts / (Ts + Tp),  S(∞) = 1 / f.
// Fitted by ordinary least squares of T on x = 1/N (intercept Ts, slope Tp) on the mean wall times, both
// constrained ≥ 0: when the unconstrained fit makes one negative, it is refit with that one fixed at 0
// (Ts = 0: least squares through the origin; Tp = 0: Ts = mean T). R² is of T.
// 95% CI of f, and `ciMethod` says which was used:
//   'round-bootstrap' when every point has its wall time per round and ≥ 2 rounds are common to all
//               points: the fit is of the means over those rounds, and its interval resamples whole
//               rounds (worker counts of one round stay paired), refitting with the same constraints,
//               f̂ ± t(0.975, R − 1)·√(R/(R − 1))·sd of the replicates (bootstrap.ts: the method, its
//               sources and its coverage by simulation, 95% at 5 and 10 rounds where the percentile
//               interval gave 83% and 90%); clipped to [0, 1];
//   'delta'     otherwise, with ≥ 3 points: f ± t(0.975, n − 2)·se(f), se from the delta method,
//               var f = g·Σ·gᵀ with g = ∂f/∂(Ts, Tp) = (Tp, −Ts) / (Ts + Tp)² at the reported (clamped)
//               estimates and Σ = s²(XᵀX)⁻¹ the unconstrained regression's covariance, s² = SSR/(n − 2);
//               clipped to [0, 1];
//   null        with only two points (no residual degrees of freedom) and no rounds: no interval.
// With two worker counts 1 and N, f = (1/S − 1/N)/(1 − 1/N) exactly: Karp–Flatt's e(N) (karpFlatt.ts).
import { tCritical95, type Interval } from '../stats/index.ts';
import { bootstrapFits, commonRounds, meansOverRounds, roundsInterval, type BootstrapOptions } from './bootstrap.ts';
import { checkScalingPoints, type ScalingPoint } from './points.ts';
import { rSquared } from './r2.ts';

/** Amdahl's law fitted to wall times, with the CI of the serial fraction and how it was computed. */
export interface AmdahlFit {
  serialMs: number;
  parallelMs: number;
  serialFraction: number;
  /** S(∞) = 1/f; Infinity when f = 0. */
  ceiling: number;
  r2: number;
  serialFractionCi95: Interval | null;
  ciMethod: 'round-bootstrap' | 'delta' | null;
  /** Rounds the fit and its bootstrap used (those common to every point); null without per-round data. */
  rounds: number | null;
  /** Which parameter the ≥ 0 constraint pinned at 0, if any. */
  clamped: 'serial' | 'parallel' | null;
}

const DEFAULT_RESAMPLES = 2000;

/** S(N) = 1 / (f + (1 − f)/N) for a serial fraction f. */
export function amdahlSpeedup(f: number, workers: number): number {
  return 1 / (f + (1 - f) / workers);
}

interface Regression {
  intercept: number;
  slope: number;
  n: number;
  meanX: number;
  sxx: number;
  ssr: number;
}

function leastSquares(xy: readonly { x: number; y: number }[]): Regression {
  const n = xy.length;
  const meanX = xy.reduce((s, p) => s + p.x, 0) / n;
  const meanY = xy.reduce((s, p) => s + p.y, 0) / n;
  const sxx = xy.reduce((s, p) => s + (p.x - meanX) ** 2, 0);
  const sxy = xy.reduce((s, p) => s + (p.x - meanX) * (p.y - meanY), 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = meanY - slope * meanX;
  const ssr = xy.reduce((s, p) => s + (p.y - intercept - slope * p.x) ** 2, 0);
  return { intercept, slope, n, meanX, sxx, ssr };
}

function constrained(xy: readonly { x: number; y: number }[], ls: Regression): { serialMs: number; parallelMs: number; clamped: AmdahlFit['clamped'] } {
  if (ls.intercept < 0) {
    // through the origin: T = Tp / N
    const slope = xy.reduce((s, p) => s + p.x * p.y, 0) / xy.reduce((s, p) => s + p.x * p.x, 0);
    return { serialMs: 0, parallelMs: Math.max(0, slope), clamped: 'serial' };
  }
  if (ls.slope < 0) return { serialMs: xy.reduce((s, p) => s + p.y, 0) / xy.length, parallelMs: 0, clamped: 'parallel' };
  return { serialMs: ls.intercept, parallelMs: ls.slope, clamped: null };
}

/** Ts, Tp ≥ 0 by least squares of T on 1/N (no validation, no interval: the bootstrap's inner fit). */
export function fitAmdahlTimes(points: readonly { workers: number; wallMs: number }[]): { serialMs: number; parallelMs: number; clamped: AmdahlFit['clamped'] } {
  const xy = points.map((p) => ({ x: 1 / p.workers, y: p.wallMs }));
  return constrained(xy, leastSquares(xy));
}

const fractionOf = (serialMs: number, parallelMs: number) => (serialMs + parallelMs > 0 ? serialMs / (serialMs + parallelMs) : 0);

function deltaInterval(ls: Regression, serialMs: number, parallelMs: number, f: number): Interval | null {
  const df = ls.n - 2;
  const total = serialMs + parallelMs;
  if (df < 1 || ls.sxx === 0 || total <= 0) return null;
  const s2 = ls.ssr / df;
  const varSlope = s2 / ls.sxx;
  const varIntercept = s2 * (1 / ls.n + (ls.meanX * ls.meanX) / ls.sxx);
  const cov = (-ls.meanX * s2) / ls.sxx;
  const gSerial = parallelMs / total ** 2;
  const gParallel = -serialMs / total ** 2;
  const varF = gSerial * gSerial * varIntercept + gParallel * gParallel * varSlope + 2 * gSerial * gParallel * cov;
  const half = tCritical95(df) * Math.sqrt(Math.max(0, varF));
  return { lo: Math.max(0, f - half), hi: Math.min(1, f + half) };
}

/** Fits Amdahl's law to mean wall times per worker count (≥ 2 distinct counts), with a 95% CI of f. */
export function fitAmdahl(input: readonly ScalingPoint[], options: BootstrapOptions = {}): AmdahlFit {
  checkScalingPoints('fitAmdahl', input, 2);
  const rounds = commonRounds(input);
  const paired = rounds.length >= 2;
  // the estimate and its interval come from the same rounds, so a failed run cannot shift one of them
  const points = paired ? meansOverRounds(input, rounds) : input;
  const xy = points.map((p) => ({ x: 1 / p.workers, y: p.wallMs }));
  const ls = leastSquares(xy);
  const { serialMs, parallelMs, clamped } = constrained(xy, ls);
  const serialFraction = fractionOf(serialMs, parallelMs);
  const r2 = rSquared(points.map((p) => p.wallMs), points.map((p) => serialMs + parallelMs / p.workers));
  let serialFractionCi95: Interval | null;
  let ciMethod: AmdahlFit['ciMethod'];
  if (paired) {
    const fs = bootstrapFits(input, (rep) => {
      const fit = fitAmdahlTimes(rep);
      return fractionOf(fit.serialMs, fit.parallelMs);
    }, options.seed ?? 1, options.resamples ?? DEFAULT_RESAMPLES);
    serialFractionCi95 = roundsInterval(fs, serialFraction, rounds.length, { min: 0, max: 1 });
    ciMethod = 'round-bootstrap';
  } else {
    serialFractionCi95 = deltaInterval(ls, serialMs, parallelMs, serialFraction);
    ciMethod = serialFractionCi95 ? 'delta' : null;
  }
  const ceiling = serialFraction > 0 ? 1 / serialFraction : Infinity;
  return { serialMs, parallelMs, serialFraction, ceiling, r2, serialFractionCi95, ciMethod, rounds: paired ? rounds.length : null, clamped };
}

/** Fits Amdahl's law to speedups S(N) over a one-worker time `t1Ms` (T(N) = t1Ms / S(N)). */
export function fitAmdahlToSpeedups(points: readonly { workers: number; speedup: number }[], t1Ms: number, options: BootstrapOptions = {}): AmdahlFit {
  if (!(Number.isFinite(t1Ms) && t1Ms > 0)) throw new RangeError(`fitAmdahlToSpeedups: t1Ms must be a positive finite number; received ${t1Ms}`);
  const bad = points.find((p) => !(Number.isFinite(p.speedup) && p.speedup > 0));
  if (bad) throw new RangeError(`fitAmdahlToSpeedups: speedup must be a positive finite number; received ${bad.speedup} at workers = ${bad.workers}`);
  return fitAmdahl(points.map((p) => ({ workers: p.workers, wallMs: t1Ms / p.speedup })), options);
}
