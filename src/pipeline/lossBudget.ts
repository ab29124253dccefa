// Where a chunked run's wall time goes, against the ideal of `single`'s ffmpeg time split evenly over the
// workers. With W the chunked wall time and N the workers, exactly:
//   W = serial + (rtime_single + extra + start + idle) / N
// so the shares below add up to 1:
//   ideal  rtime_single / (N·W)               what perfect division of the same ffmpeg work would take
//   serial (probe + split + merge) / W          stages that run on one core
//   extra  (Σ chunk rtime − rtime_single)/(N·W) more ffmpeg work: lead-in decoding, each chunk's encoder
//                                               start, and two ffmpegs contending for caches and memory
//   start  Σ (spawn→exit − rtime) / (N·W)       each ffmpeg's start-up outside its own clock, plus spawning
//   idle   (N·process − Σ spawn→exit) / (N·W)   workers waiting: the last wave, scheduling gaps
// A pure function of two stored records, so the bench script and tests share it.
import type { RunRecord } from './types.ts';

export interface LossBudget {
  ideal: number;
  serial: number;
  extra: number;
  start: number;
  idle: number;
  leadInFrames: number;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The shares of `chunked`'s wall time (see above), against a `single` run of the same work. */
export function lossBudget(chunked: RunRecord, single: RunRecord, workers: number): LossBudget {
  const wall = chunked.wallMs;
  const lanes = workers * wall;
  const singleRtime = sum(single.chunks.map((c) => c.rtimeMs ?? c.spawnToExitMs));
  const chunkRtime = sum(chunked.chunks.map((c) => c.rtimeMs ?? c.spawnToExitMs));
  const spawnToExit = sum(chunked.chunks.map((c) => c.spawnToExitMs));
  const { probeMs, splitMs, processMs, mergeMs } = chunked.phases;
  return {
    ideal: singleRtime / lanes,
    serial: (probeMs + splitMs + mergeMs) / wall,
    extra: (chunkRtime - singleRtime) / lanes,
    start: (spawnToExit - chunkRtime) / lanes,
    idle: (workers * processMs - spawnToExit) / lanes,
    leadInFrames: sum(chunked.segments.map((s) => s.leadInFrames ?? 0)),
  };
}
