// Pure statistics for the harness and the report: seeded randomness, descriptive statistics with
// t-based intervals and outlier flags, t intervals of log ratios (speedup, efficiency, A/B), CPU utilisation.
export {
  describe,
  modifiedZScores,
  nonNegativeMean,
  MODIFIED_Z_THRESHOLD,
  type Description,
  type Interval,
  type Outlier,
  type OutlierScale,
} from './describe.ts';
export { mulberry32, rngFrom, seedFrom, shuffle, type Rng } from './random.ts';
export {
  efficiency,
  estimateOnly,
  logSummary,
  pairedRatio,
  pairedSpeedup,
  ratioCI,
  ratioFromLogs,
  ratioOfLogSummaries,
  scaleEstimate,
  speedup,
  unpairedRatio,
  type LogSummary,
  type RatioCI,
  type RatioEstimate,
  type RatioMethod,
  type RatioOptions,
  type RoundPair,
  type SpeedupEstimate,
} from './ratio.ts';
export { assertFiniteSamples, sortSamples, type SortedSamples } from './samples.ts';
export { tCritical95 } from './studentT.ts';
export { binomialCdf, clopperPearson } from './binomial.ts';
export { medianCi, type MedianCi } from './medianCi.ts';
export { cpuUtilisation, cpuUtilisationOf, totalCpuMs, type CpuTimesMs } from './utilisation.ts';
