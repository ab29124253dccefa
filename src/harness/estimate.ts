// A rough duration estimate for --dry-run, from the encode cost model (src/pipeline/cost.ts). It is a
// planning aid, labelled as an estimate; real figures come from runs.
import type { GridConfig } from '../grid/expand.ts';
import { secondsPerFrame } from '../pipeline/cost.ts';
import { chooseSegment } from '../pipeline/segmentAuto.ts';

/** What the estimate needs to know about an input. */
export interface InputSize {
  frames: number;
  width: number;
  height: number;
  durationSeconds: number;
}

/** Estimated seconds for one run of a configuration, verification included. */
export function estimateRunSeconds(c: GridConfig, input: InputSize, cores: number): number {
  const work = input.frames * secondsPerFrame(c, input.width, input.height);
  const chunks = c.segmentSeconds === 'auto'
    ? chooseSegment({ durationSeconds: input.durationSeconds, workers: c.workers }).chunks
    : c.segmentSeconds ? Math.max(1, Math.ceil(input.durationSeconds / c.segmentSeconds)) : 1;
  const parallel = c.mode === 'chunked' ? Math.min(c.workers, cores, chunks) : c.mode === 'single-mt' ? cores * 0.85 : 1;
  const overhead = c.mode === 'chunked' || c.mode === 'sequential' ? 0.3 + 0.02 * chunks : 0.05;
  const verify = 0.2 + (input.frames * input.width * input.height * 2e-9) / cores;
  return (work * (c.mode === 'chunked' || c.mode === 'sequential' ? 1.05 : 1)) / parallel + overhead + verify;
}
