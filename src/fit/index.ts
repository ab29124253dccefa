// Scaling models fitted to measured speedups (pure).
export { amdahlSpeedup, fitAmdahl, fitAmdahlTimes, type AmdahlFit, type ScalingPoint } from './amdahl.ts';
export { karpFlatt, karpFlattSeries, karpFlattTrend, type KarpFlattPoint } from './karpFlatt.ts';
export { rSquared } from './r2.ts';
export { fitUsl, linearisedUsl, uslCapacity, type UslFit } from './usl.ts';
