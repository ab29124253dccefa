// `--segment auto`: the segment length chosen after the probe, from a small explicit model of the process
// phase. Pure; the chooser only decides a length in seconds (D / k), and the split planner (split.ts
// planStartFrames / planSegments) still snaps the cuts to the source's frames and keyframes.
//
// The model. Cut a video of D seconds into k equal chunks, k = W·m: W workers, m waves, a multiple of the
// workers so that every wave is full (7 chunks on 2 workers leave the last wave half idle: 66 s of camera
// footage in 10 s segments ran at 0.92× of single-mt, in 30 s segments at 1.02×). A chunk of L = D/k
// seconds costs o + c·L·(1 + σ·ε), ε standard normal, independent per chunk:
//   c  work seconds per second of video (one worker),
//   o  fixed seconds per chunk on its worker: process and encoder start-up, keyframe lead-in, harness,
//   σ  chunk-to-chunk coefficient of variation of a chunk's cost,
//   μ  serial seconds per chunk on the coordinator (the merge opens every chunk: concat demuxer).
// A worker running m chunks is busy m·o + c·D/W + σ·(c·D/W)·ξ/√m, ξ standard normal (the sum of m
// independent chunk errors of sd σ·c·L has sd σ·c·L·√m = σ·(c·D/W)/√m). The makespan is the latest of W such
// workers, whose expected value is mean + sd · z_W, z_W the expected maximum of W standard normals; the merge
// adds k·μ after it:
//   T(m) ≈ c·D/W + m·(o + W·μ) + σ·(c·D/W)·z_W/√m.
// dT/dm = (o + W·μ) − ½·σ·(c·D/W)·z_W·m^(−3/2) = 0 gives
//   m* = (σ·c·D·z_W / (2·W·(o + W·μ)))^(2/3);
// the better of ⌊m*⌋ and ⌈m*⌉ by T is taken (m ≥ 1; on a tie the fewer chunks). With μ = 0 this is the model
// of issue #14; μ is the one term added to it, because it is measured (2.2 ms per chunk on the sample run)
// and, being serial, it grows with W: at W = 64 one more wave adds 64 chunks to the merge.
// Limits. A chunk is never shorter than MIN_CHUNK_SECONDS (the planner snaps cuts within a quarter of a
// segment, and a sub-second chunk is mostly start-up), so m ≤ ⌊D / (W·floor)⌋; and never longer than D/W
// (m ≥ 1). A video shorter than W·floor gets ⌊D/floor⌋ chunks (at least one) and some workers idle.
// W = 1: z_1 = 0, there is no imbalance to even out, and every extra chunk only adds o + μ: one chunk, for
// any c, o, σ (with o = μ = 0 all m tie and the fewer chunks win). Reasons to cut one worker's video
// anyway — retry granularity, memory, progress — are outside this model.
// What the model leaves out: the pool is dynamic (workers pull chunks, pipeline/process.ts), which keeps
// the imbalance below about one chunk's length, so T overstates it when σ·z_W·√m > 1 (many waves of very
// noisy chunks); the snapped cuts are not exactly equal; the serial probe does not depend on k.
//
// z_W is the expected maximum of W independent standard normals, E = ∫ x · W·φ(x)·Φ(x)^(W−1) dx, the
// integral L. H. C. Tippett tabulated ("On the extreme individuals and the range of samples taken from a
// normal population", Biometrika 17, 1925; H. L. Harter, Biometrika 48, 1961, to W = 400). It is computed
// here by the trapezoidal rule on a fine grid (Φ accumulated from φ on the same grid, with the rule's
// Euler–Maclaurin end correction), which reproduces those tables to 5–6 digits (1/√π for W = 2, 1.53875
// for W = 10, 2.50759 for W = 100). Blom's closed form Φ⁻¹((W − 0.375)/(W + 0.25)) (G. Blom, Statistical
// Estimates and Transformed Beta-Variables, 1958) is within 5% of it (4% high at W = 2) but not needed.
//
// Defaults (DEFAULT_SEGMENT_COSTS) are simulate/costModel.ts's fit of the committed sample run
// (test/data/default-run: the `sd` fixture, 640x360 30 fps, libx264 veryfast, 1 thread, exact split, 2-core
// VM; the family of its centre — workers 1, 2, 4 and 1–30 s segments —, 610 chunks from 35 runs): slope b = c, intercept a + harness overhead = o,
// chunkCv = σ, mergeMsPerChunk = μ. test/pipeline/segmentAuto.test.ts refits them. A caller that has fitted
// its own runs passes segmentCostsFromModel(model) instead: heavier work per second of video (larger c, as
// at higher resolutions or slower presets) makes shorter chunks pay.
import type { CostModel } from '../simulate/costModel.ts';
import type { RunRecord, SegmentLength } from './types.ts';

/** What the chooser knows about a chunk's cost. */
export interface SegmentCosts {
  /** c: seconds of one worker's work per second of video. */
  workSecondsPerVideoSecond: number;
  /** o: fixed seconds per chunk on its worker (process and encoder start-up, keyframe lead-in, harness). */
  perChunkSeconds: number;
  /** σ: chunk-to-chunk coefficient of variation of a chunk's cost. */
  chunkCv: number;
  /** μ: serial seconds per chunk on the coordinator (the merge). */
  serialSecondsPerChunk: number;
  /** Where these numbers come from, in words (kept in the run record). */
  from: string;
}

/** The sample run's fit (see the header): c = 0.0828, o = 38.1 + 14.0 ms, σ = 0.0923, μ = 2.2 ms. */
export const DEFAULT_SEGMENT_COSTS: SegmentCosts = {
  workSecondsPerVideoSecond: 0.083,
  perChunkSeconds: 0.052,
  chunkCv: 0.092,
  serialSecondsPerChunk: 0.0022,
  from: 'defaults: the cost model of test/data/default-run (sd fixture 640x360, x264 veryfast, 1 thread, exact split)',
};

/** The shortest chunk the chooser makes, seconds. */
export const MIN_CHUNK_SECONDS = 1;

/** The model's prediction of the process phase plus the merge's per-chunk part, seconds. */
export interface SegmentPrediction {
  waves: number;
  /** c·D/W + m·(o + W·μ) + imbalance. */
  seconds: number;
  /** m·(o + W·μ): what the chunks cost for being many. */
  perChunkSeconds: number;
  /** σ·(c·D/W)·z_W/√m: the expected wait for the slowest worker. */
  imbalanceSeconds: number;
}

/** What `--segment auto` chose and why; stored in the run record as `segmentChoice`. */
export interface SegmentChoice {
  /** The length handed to the planner: D / chunks. */
  segmentSeconds: number;
  chunks: number;
  /** Chunks per worker (1 when the video is too short for a full wave). */
  waves: number;
  /** model: the optimum of T; one-worker: W = 1; floor: the optimum would cut chunks shorter than the
   * floor; short: the video holds fewer than W chunks of the floor's length. */
  bound: 'model' | 'one-worker' | 'floor' | 'short';
  /** m*, the unrounded optimum; null when unbounded (o = μ = 0 with imbalance to even out). */
  optimumWaves: number | null;
  /** T at the chosen waves; null for `short` (fewer chunks than workers, outside the model). */
  predicted: SegmentPrediction | null;
  inputs: {
    durationSeconds: number;
    workers: number;
    workSecondsPerVideoSecond: number;
    perChunkSeconds: number;
    chunkCv: number;
    serialSecondsPerChunk: number;
    /** z_W. */
    expectedMaxNormal: number;
    minChunkSeconds: number;
    from: string;
  };
  /** One sentence: the choice, and what one wave more (and one fewer) would add and save. */
  reason: string;
}

const phi = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** z_W: the expected maximum of `n` independent standard normals (Tippett 1925; see the header). */
export function expectedMaxNormal(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`expectedMaxNormal: n must be a whole number ≥ 1, got ${n}`);
  if (n === 1) return 0;
  const from = -12;
  const h = 1 / 128;
  const steps = Math.round((2 * -from) / h);
  const cdf = new Float64Array(steps + 1);
  for (let i = 1; i <= steps; i++) cdf[i] = (cdf[i - 1] as number) + ((phi(from + (i - 1) * h) + phi(from + i * h)) * h) / 2;
  // the trapezoid's own error, −h²/12·(φ′(x) − φ′(from)) with φ′(x) = −x·φ(x) (Euler–Maclaurin), added back:
  // Φ near 1 is raised to the power W − 1, so its error would grow with W
  const corrected = (i: number) => (cdf[i] as number) + ((h * h) / 12) * ((from + i * h) * phi(from + i * h) - from * phi(from));
  const total = corrected(steps);
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const x = from + i * h;
    const weight = i === 0 || i === steps ? 0.5 : 1;
    sum += weight * x * n * phi(x) * (corrected(i) / total) ** (n - 1);
  }
  return sum * h;
}

/** c, o, σ, μ from a cost model fitted to stored runs (simulate/costModel.ts). */
export function segmentCostsFromModel(model: CostModel): SegmentCosts {
  return {
    workSecondsPerVideoSecond: model.workSecondsPerVideoSecond,
    perChunkSeconds: (model.chunkStartupMs + model.chunkOverheadMs) / 1000,
    chunkCv: model.chunkCv,
    serialSecondsPerChunk: model.mergeMsPerChunk / 1000,
    from: `the cost model of ${model.label} (${model.calibrationChunks} chunks from ${model.calibrationRuns} runs)`,
  };
}

/** T(m) of the header for D seconds on W workers. */
export function predictSegmentWaves(costs: SegmentCosts, durationSeconds: number, workers: number, waves: number, z = expectedMaxNormal(workers)): SegmentPrediction {
  const perWorker = (costs.workSecondsPerVideoSecond * durationSeconds) / workers;
  const perChunkSeconds = waves * (costs.perChunkSeconds + workers * costs.serialSecondsPerChunk);
  const imbalanceSeconds = (costs.chunkCv * perWorker * z) / Math.sqrt(waves);
  return { waves, seconds: perWorker + perChunkSeconds + imbalanceSeconds, perChunkSeconds, imbalanceSeconds };
}

function checkCosts(costs: SegmentCosts): void {
  const entries: [string, number][] = [['workSecondsPerVideoSecond', costs.workSecondsPerVideoSecond], ['perChunkSeconds', costs.perChunkSeconds], ['chunkCv', costs.chunkCv], ['serialSecondsPerChunk', costs.serialSecondsPerChunk]];
  for (const [name, value] of entries) if (!Number.isFinite(value) || value < 0) throw new RangeError(`chooseSegment: ${name} must be a finite number ≥ 0, got ${value}`);
}

/** Seconds for a sentence: two significant digits ("0.052", "0.3", "12"). */
const cost = (seconds: number): string => String(Number(seconds.toPrecision(2)));
/** A chunk length: up to two decimals ("30", "18.75", "33.33"). */
const length = (seconds: number): string => String(Number(seconds.toFixed(2)));
const chunksOf = (k: number, seconds: number): string => `${k} chunk${k === 1 ? '' : 's'} of ${length(seconds)} s`;
const ORDINALS = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
function ordinal(n: number): string {
  const word = ORDINALS[n];
  if (word) return word;
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Picks the segment length for `durationSeconds` of video on `workers` workers (see the header). */
export function chooseSegment(input: { durationSeconds: number; workers: number; costs?: SegmentCosts | undefined; minChunkSeconds?: number | undefined }): SegmentChoice {
  const { durationSeconds: D, workers: W } = input;
  const costs = input.costs ?? DEFAULT_SEGMENT_COSTS;
  const floor = input.minChunkSeconds ?? MIN_CHUNK_SECONDS;
  if (!Number.isFinite(D) || D <= 0) throw new RangeError(`chooseSegment: durationSeconds must be > 0, got ${D}`);
  if (!Number.isInteger(W) || W < 1) throw new RangeError(`chooseSegment: workers must be a whole number ≥ 1, got ${W}`);
  if (!Number.isFinite(floor) || floor <= 0) throw new RangeError(`chooseSegment: minChunkSeconds must be > 0, got ${floor}`);
  checkCosts(costs);
  const z = expectedMaxNormal(W);
  const inputs: SegmentChoice['inputs'] = {
    durationSeconds: D,
    workers: W,
    workSecondsPerVideoSecond: costs.workSecondsPerVideoSecond,
    perChunkSeconds: costs.perChunkSeconds,
    chunkCv: costs.chunkCv,
    serialSecondsPerChunk: costs.serialSecondsPerChunk,
    expectedMaxNormal: z,
    minChunkSeconds: floor,
    from: costs.from,
  };
  const T = (m: number) => predictSegmentWaves(costs, D, W, m, z);
  const perWave = costs.perChunkSeconds + W * costs.serialSecondsPerChunk;
  const gain = costs.chunkCv * costs.workSecondsPerVideoSecond * D * z;
  // m*: 0 when there is nothing to even out, unbounded (null) when extra chunks cost nothing
  const optimum = gain === 0 ? 0 : perWave === 0 ? null : (gain / (2 * W * perWave)) ** (2 / 3);
  const mMax = Math.floor(D / (W * floor) + 1e-9);

  if (mMax < 1) {
    // fewer than W chunks of the floor's length: the model's full waves are out of reach
    const k = Math.max(1, Math.min(W, Math.floor(D / floor + 1e-9)));
    const idle = W - k;
    const why = W === 1 ? 'one worker, one chunk' : `a ${length(D)} s video holds fewer than ${W} chunks of at least ${length(floor)} s, so ${idle} of ${W} workers idle`;
    return { segmentSeconds: D / k, chunks: k, waves: 1, bound: W === 1 ? 'one-worker' : 'short', optimumWaves: optimum, predicted: W === 1 ? T(1) : null, inputs, reason: `${chunksOf(k, D / k)}: ${why}.` };
  }

  const lo = Math.max(1, Math.min(mMax, optimum === null ? mMax : Math.floor(optimum)));
  const hi = Math.max(1, Math.min(mMax, optimum === null ? mMax : Math.ceil(optimum)));
  // fewer chunks on a tie (relative, so rounding noise does not decide)
  const m = T(hi).seconds < T(lo).seconds * (1 - 1e-12) ? hi : lo;
  const k = W * m;
  const predicted = T(m);
  const floored = optimum === null || optimum > mMax;
  const bound: SegmentChoice['bound'] = W === 1 ? 'one-worker' : floored && m === mMax ? 'floor' : 'model';
  let reason: string;
  if (W === 1) {
    reason = `${chunksOf(k, D / k)}: on one worker there is no imbalance to even out, so every extra chunk would only add ${cost(perWave)} s of per-chunk cost.`;
  } else {
    const head = `${chunksOf(k, D / k)}: ${m === 1 ? 'one wave' : `${m} waves`} on ${W} workers`;
    const more = m < mMax
      ? `a ${ordinal(m + 1)} wave would add ${cost(perWave)} s of per-chunk cost and save ${cost(predicted.imbalanceSeconds - T(m + 1).imbalanceSeconds)} s of imbalance`
      : `a ${ordinal(m + 1)} wave would cut chunks shorter than the ${length(floor)} s floor${optimum === null ? ' (extra chunks cost nothing in this model)' : ` (the model's optimum is ${cost(optimum)} waves)`}`;
    const fewer = m > 1 ? `, one wave fewer would save ${cost(perWave)} s of per-chunk cost and add ${cost(T(m - 1).imbalanceSeconds - predicted.imbalanceSeconds)} s of imbalance` : '';
    reason = `${head}; ${more}${fewer}.`;
  }
  return { segmentSeconds: D / k, chunks: k, waves: m, bound, optimumWaves: optimum, predicted, inputs, reason };
}

/** The length to plan with: the number given, or the chooser's for `auto` (with its record). */
export function resolveSegmentSeconds(segment: SegmentLength, durationSeconds: number, workers: number, costs?: SegmentCosts): { segmentSeconds: number; choice: SegmentChoice | null } {
  if (segment !== 'auto') return { segmentSeconds: segment, choice: null };
  const choice = chooseSegment({ durationSeconds, workers, costs });
  return { segmentSeconds: choice.segmentSeconds, choice };
}

/** The length a stored run planned its chunks with: what auto chose, else the configured number; null for
 * an auto run that never got as far as choosing (it failed before, or ran a single mode). */
export function plannedSegmentSeconds(record: Pick<RunRecord, 'config' | 'segmentChoice'>): number | null {
  if (record.segmentChoice) return record.segmentChoice.segmentSeconds;
  return typeof record.config.segmentSeconds === 'number' ? record.config.segmentSeconds : null;
}
