// Scaling models fitted to measured wall times or speedups: Amdahl, the USL, Karp–Flatt (all pure).
export { amdahlSpeedup, fitAmdahl, fitAmdahlTimes, fitAmdahlToSpeedups, type AmdahlFit } from './amdahl.ts';
export { type BootstrapOptions } from './bootstrap.ts';
export {
  karpFlatt, karpFlattSeries, karpFlattTrend, KARP_FLATT_ABSOLUTE_THRESHOLD, KARP_FLATT_RELATIVE_THRESHOLD,
  type KarpFlattPoint, type KarpFlattTrend,
} from './karpFlatt.ts';
export { type CapacityPoint, type ScalingPoint } from './points.ts';
export { rSquared } from './r2.ts';
export { fitUsl, fitUslToTimes, linearisedUsl, uslCapacity, type UslFit } from './usl.ts';
