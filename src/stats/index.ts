// Pure statistics for the harness and the report.
export { describe, modifiedZScores, tCritical95, type Description, type Interval } from './describe.ts';
export { mulberry32, seedFrom, shuffle } from './random.ts';
export { pairedRatio, ratioOfMeans, scaleEstimate, type RatioEstimate } from './ratio.ts';
export { cpuUtilisation } from './utilisation.ts';
