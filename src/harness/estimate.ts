// A rough duration estimate for --dry-run, from a cost model calibrated on this project's default fixture
// (x264 veryfast, one thread: 9.7 ms per 1280x720 frame on the 2-core reference machine, i.e. about
// 1.05e-8 s per pixel per frame) and relative preset and filter costs. It is a planning aid, labelled as an
// estimate; real figures come from runs.
import type { GridConfig } from '../grid/expand.ts';

const SECONDS_PER_PIXEL_FRAME = 1.05e-8;
const PRESET_COST: Record<string, number> = { ultrafast: 0.35, superfast: 0.5, veryfast: 1, faster: 1.6, fast: 2, medium: 2.5, slow: 4, slower: 8, veryslow: 15 };
const CODEC_COST: Record<string, number> = { libx264: 1, libx265: 4, 'libvpx-vp9': 2.5 };
const FILTER_COST: Record<string, number> = { none: 1, scale: 0.6, blur: 1.3, denoise: 1.4, sharpen: 1.3, grayscale: 1.05 };

/** What the estimate needs to know about an input. */
export interface InputSize {
  frames: number;
  width: number;
  height: number;
  durationSeconds: number;
}

/** Estimated seconds for one run of a configuration, verification included. */
export function estimateRunSeconds(c: GridConfig, input: InputSize, cores: number): number {
  const work = input.frames * input.width * input.height * SECONDS_PER_PIXEL_FRAME * (PRESET_COST[c.preset] ?? 2) * (CODEC_COST[c.codec] ?? 1) * (FILTER_COST[c.filter] ?? 1.5);
  const chunks = c.segmentSeconds ? Math.max(1, Math.ceil(input.durationSeconds / c.segmentSeconds)) : 1;
  const parallel = c.mode === 'chunked' ? Math.min(c.workers, cores, chunks) : c.mode === 'single-mt' ? cores * 0.85 : 1;
  const overhead = c.mode === 'chunked' || c.mode === 'sequential' ? 0.3 + 0.02 * chunks : 0.05;
  const verify = 0.2 + (input.frames * input.width * input.height * 2e-9) / cores;
  return (work * (c.mode === 'chunked' || c.mode === 'sequential' ? 1.05 : 1)) / parallel + overhead + verify;
}
