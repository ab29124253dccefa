// Gunther's Universal Scalability Law (N. J. Gunther, "A simple capacity model of massively parallel
// transaction systems", CMG 1993; "Guerrilla Capacity Planning", Springer 2007):
//   C(N) = N / (1 + σ(N − 1) + κN(N − 1)),  0 ≤ σ ≤ 1 contention (queueing on a shared resource),
//   κ ≥ 0 coherency (crosstalk between workers),
// fitted to relative capacity C(N) = T(1)/T(N), the speedup over one worker.
// Start values come from the linearised form N/C − 1 = σ(N − 1) + κN(N − 1): least squares through the
// origin on the two regressors, a negative coefficient clipped to 0 and the other refit alone. Bounded
// Levenberg–Marquardt (ml-levenberg-marquardt, analytic Jacobian ∂C/∂σ = −N(N−1)/D², ∂C/∂κ = −N²(N−1)/D²,
// D the denominator) then minimises the squared error in C itself, since the linearised form weights
// points by (N/C)² and over-weights the largest N.
// Peak N* = √((1 − σ)/κ) (where dC/dN = 0; Gunther 2007), also given floored to a whole worker count; ∞ when
// κ = 0, where C rises to the asymptote 1/σ (∞ when σ = 0 too); a fitted κ with κN(N − 1) < 1e-9 at
// the largest N is solver rounding and reported as 0. Scaling is retrograde inside the grid when N* < the
// largest N measured. R² is of C.
// CIs of σ and κ (fitUslToTimes, when every point has its wall time per round and ≥ 2 rounds are common
// to all): the fit is of the means over those rounds and the bootstrap resamples whole rounds, T(1)
// included, so that every N keeps its pairing with T(1); θ̂ ± t(0.975, R − 1)·√(R/(R − 1))·sd of the
// replicates, clipped to σ ∈ [0, 1], κ ≥ 0 (see bootstrap.ts); otherwise null.
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import type { Interval } from '../stats/index.ts';
import { bootstrapFits, commonRounds, meansOverRounds, roundsInterval, type BootstrapOptions } from './bootstrap.ts';
import { checkCapacityPoints, checkScalingPoints, type CapacityPoint, type ScalingPoint } from './points.ts';
import { rSquared } from './r2.ts';

/** The USL's parameters, fit quality, peak and whether the measured grid is already past the peak. */
export interface UslFit {
  sigma: number;
  kappa: number;
  r2: number;
  /** N* = √((1 − σ)/κ), real-valued; Infinity when κ = 0. */
  peakWorkers: number;
  /** ⌊N*⌋, Gunther's whole-worker peak; Infinity when κ = 0. */
  peakWorkersFloor: number;
  /** C(N*), or the asymptote 1/σ when κ = 0. */
  peakCapacity: number;
  retrograde: boolean;
  sigmaCi95: Interval | null;
  kappaCi95: Interval | null;
  /** Rounds the fit and its bootstrap used (those common to every point); null without per-round data. */
  rounds: number | null;
}

const DEFAULT_RESAMPLES = 1000;
const KAPPA_ROUNDING = 1e-9;

/** C(N) = N / (1 + σ(N − 1) + κN(N − 1)). */
export function uslCapacity(sigma: number, kappa: number, workers: number): number {
  return workers / (1 + sigma * (workers - 1) + kappa * workers * (workers - 1));
}

/** σ, κ ≥ 0 from the linearised form (N = 1 points carry no information there and are skipped). */
export function linearisedUsl(points: readonly CapacityPoint[]): { sigma: number; kappa: number } {
  const rows = points.filter((p) => p.workers > 1).map((p) => ({ x1: p.workers - 1, x2: p.workers * (p.workers - 1), y: p.workers / p.capacity - 1 }));
  const s11 = rows.reduce((s, r) => s + r.x1 * r.x1, 0);
  const s12 = rows.reduce((s, r) => s + r.x1 * r.x2, 0);
  const s22 = rows.reduce((s, r) => s + r.x2 * r.x2, 0);
  const s1y = rows.reduce((s, r) => s + r.x1 * r.y, 0);
  const s2y = rows.reduce((s, r) => s + r.x2 * r.y, 0);
  const det = s11 * s22 - s12 * s12;
  // one distinct N > 1 makes the regressors collinear: fall back to σ alone
  let sigma = det > 1e-12 * s11 * s22 ? (s1y * s22 - s2y * s12) / det : s1y / (s11 || 1);
  let kappa = det > 1e-12 * s11 * s22 ? (s11 * s2y - s12 * s1y) / det : 0;
  if (kappa < 0) {
    kappa = 0;
    sigma = s1y / (s11 || 1);
  }
  if (sigma < 0) {
    sigma = 0;
    kappa = Math.max(0, s2y / (s22 || 1));
  }
  return { sigma: Math.min(sigma, 1), kappa };
}

function refine(points: readonly CapacityPoint[]): { sigma: number; kappa: number } {
  const start = linearisedUsl(points);
  const result = levenbergMarquardt(
    { x: points.map((p) => p.workers), y: points.map((p) => p.capacity) },
    ([sigma = 0, kappa = 0]) => (n: number) => uslCapacity(sigma, kappa, n),
    {
      initialValues: [start.sigma, start.kappa],
      minValues: [0, 0],
      maxValues: [1, Number.MAX_VALUE],
      jacobianFunction: ([sigma = 0, kappa = 0]) => (n: number) => {
        const d = 1 + sigma * (n - 1) + kappa * n * (n - 1);
        return [(-n * (n - 1)) / (d * d), (-n * n * (n - 1)) / (d * d)];
      },
      maxIterations: 200,
      errorTolerance: 1e-14,
    },
  );
  // the optimiser keeps the best parameters it saw, the start included, so this is never worse than it
  const [sigma = start.sigma, kappa = start.kappa] = result.parameterValues;
  // a κ whose term stays below 1e-9 of the denominator over the measured N is rounding left by the solve
  // (exact κ = 0 data give ~1e-17), and would otherwise put a finite peak at 10⁸ workers
  const maxN = Math.max(...points.map((p) => p.workers));
  return { sigma, kappa: kappa * maxN * (maxN - 1) < KAPPA_ROUNDING ? 0 : kappa };
}

function summarise(points: readonly CapacityPoint[], sigma: number, kappa: number): Omit<UslFit, 'sigmaCi95' | 'kappaCi95' | 'rounds'> {
  const r2 = rSquared(points.map((p) => p.capacity), points.map((p) => uslCapacity(sigma, kappa, p.workers)));
  const peakWorkers = kappa > 0 ? Math.sqrt((1 - sigma) / kappa) : Infinity;
  const peakCapacity = Number.isFinite(peakWorkers) ? uslCapacity(sigma, kappa, peakWorkers) : sigma > 0 ? 1 / sigma : Infinity;
  const maxMeasured = Math.max(...points.map((p) => p.workers));
  return { sigma, kappa, r2, peakWorkers, peakWorkersFloor: Math.floor(peakWorkers), peakCapacity, retrograde: peakWorkers < maxMeasured };
}

/** Fits the USL to capacities C(N) = T(1)/T(N); needs at least two distinct worker counts above 1. */
export function fitUsl(points: readonly CapacityPoint[]): UslFit {
  checkCapacityPoints('fitUsl', points);
  const above = new Set(points.filter((p) => p.workers > 1).map((p) => p.workers)).size;
  if (above < 2) throw new RangeError(`fitUsl: needs at least two distinct worker counts above 1; received ${above}`);
  const { sigma, kappa } = refine(points);
  return { ...summarise(points, sigma, kappa), sigmaCi95: null, kappaCi95: null, rounds: null };
}

function capacities(points: readonly ScalingPoint[]): CapacityPoint[] {
  const t1Ms = points.find((p) => p.workers === 1)?.wallMs ?? NaN;
  return points.map((p) => ({ workers: p.workers, capacity: t1Ms / p.wallMs }));
}

/** Fits the USL to wall times, C(N) = T(1)/T(N) with T(1) the N = 1 point, and bootstraps the CIs of σ
 * and κ over whole rounds when every point has its wall time per round. */
export function fitUslToTimes(points: readonly ScalingPoint[], options: BootstrapOptions = {}): UslFit {
  checkScalingPoints('fitUslToTimes', points, 3);
  const ones = points.filter((p) => p.workers === 1).length;
  if (ones !== 1) throw new RangeError(`fitUslToTimes: needs exactly one point at workers = 1 for T(1); received ${ones}`);
  const rounds = commonRounds(points);
  if (rounds.length < 2) return fitUsl(capacities(points));
  const fit = fitUsl(capacities(meansOverRounds(points, rounds)));
  const reps = bootstrapFits(points, (rep) => refine(capacities(rep)), options.seed ?? 1, options.resamples ?? DEFAULT_RESAMPLES);
  return {
    ...fit,
    sigmaCi95: roundsInterval(reps.map((r) => r.sigma), fit.sigma, rounds.length, { min: 0, max: 1 }),
    kappaCi95: roundsInterval(reps.map((r) => r.kappa), fit.kappa, rounds.length, { min: 0, max: Infinity }),
    rounds: rounds.length,
  };
}
