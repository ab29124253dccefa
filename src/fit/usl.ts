// Gunther's Universal Scalability Law (Gunther 1993; "Guerrilla Capacity Planning", 2007):
//   C(N) = N / (1 + σ(N − 1) + κN(N − 1)),  σ ≥ 0 contention, κ ≥ 0 coherency (crosstalk),
// fitted to relative capacity C(N) = T(1) / T(N) (the speedup over one worker). Start values come from
// the linearised form N/C − 1 = σ(N − 1) + κN(N − 1) (least squares through the origin on two
// regressors, clipped at 0); bounded Levenberg–Marquardt (ml-levenberg-marquardt) refines them with
// σ, κ ≥ 0. Peak concurrency N* = √((1 − σ)/κ) (∞ when κ = 0); the scaling is retrograde inside the grid
// when N* is below the largest N measured.
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { rSquared } from './r2.ts';

export interface UslFit {
  sigma: number;
  kappa: number;
  r2: number;
  peakWorkers: number;
  peakCapacity: number;
  retrograde: boolean;
}

/** C(N) for given σ, κ. */
export function uslCapacity(sigma: number, kappa: number, workers: number): number {
  return workers / (1 + sigma * (workers - 1) + kappa * workers * (workers - 1));
}

/** σ, κ ≥ 0 from the linearised form (N = 1 points carry no information there and are skipped). */
export function linearisedUsl(points: { workers: number; capacity: number }[]): { sigma: number; kappa: number } {
  const rows = points.filter((p) => p.workers > 1).map((p) => ({ x1: p.workers - 1, x2: p.workers * (p.workers - 1), y: p.workers / p.capacity - 1 }));
  const s11 = rows.reduce((s, r) => s + r.x1 * r.x1, 0);
  const s12 = rows.reduce((s, r) => s + r.x1 * r.x2, 0);
  const s22 = rows.reduce((s, r) => s + r.x2 * r.x2, 0);
  const s1y = rows.reduce((s, r) => s + r.x1 * r.y, 0);
  const s2y = rows.reduce((s, r) => s + r.x2 * r.y, 0);
  const det = s11 * s22 - s12 * s12;
  let sigma = det !== 0 ? (s1y * s22 - s2y * s12) / det : s1y / (s11 || 1);
  let kappa = det !== 0 ? (s11 * s2y - s12 * s1y) / det : 0;
  if (kappa < 0) {
    kappa = 0;
    sigma = s1y / (s11 || 1);
  }
  if (sigma < 0) {
    sigma = 0;
    kappa = Math.max(0, s2y / (s22 || 1));
  }
  return { sigma, kappa };
}

/** Fits the USL to capacities C(N) = T(1)/T(N); needs N = 1 and at least two other worker counts. */
export function fitUsl(points: { workers: number; capacity: number }[]): UslFit {
  if (points.filter((p) => p.workers > 1).length < 2) throw new Error('fitUsl: needs at least two worker counts above 1');
  const start = linearisedUsl(points);
  const result = levenbergMarquardt(
    { x: points.map((p) => p.workers), y: points.map((p) => p.capacity) },
    ([sigma, kappa]) => (n: number) => uslCapacity(sigma ?? 0, kappa ?? 0, n),
    { initialValues: [start.sigma, Math.max(start.kappa, 1e-9)], minValues: [0, 0], maxValues: [1, 1], maxIterations: 200, errorTolerance: 1e-12 },
  );
  const [sigma = start.sigma, fitted = start.kappa] = result.parameterValues;
  // the optimiser starts κ slightly above its bound; below 1e-7 (N* beyond 3000 workers) it is 0 in all but rounding
  const kappa = fitted < 1e-7 ? 0 : fitted;
  const r2 = rSquared(points.map((p) => p.capacity), points.map((p) => uslCapacity(sigma, kappa, p.workers)));
  const peakWorkers = kappa > 0 ? Math.sqrt(Math.max(0, 1 - sigma) / kappa) : Infinity;
  const maxMeasured = Math.max(...points.map((p) => p.workers));
  return { sigma, kappa, r2, peakWorkers, peakCapacity: Number.isFinite(peakWorkers) ? uslCapacity(sigma, kappa, peakWorkers) : sigma > 0 ? 1 / sigma : Infinity, retrograde: peakWorkers < maxMeasured };
}
