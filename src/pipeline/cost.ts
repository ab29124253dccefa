// A rough cost model of one encode, calibrated on this project's default fixture (x264 veryfast, one thread:
// 9.7 ms per 1280x720 frame on the 2-core reference machine, i.e. about 1.05e-8 s per pixel per frame) with
// relative preset, codec and filter costs. Used for planning only (--dry-run estimates, and the expected time
// of the first chunks of a run, before any has finished, to place injected faults); never reported as data.
const SECONDS_PER_PIXEL_FRAME = 1.05e-8;
const PRESET_COST: Record<string, number> = { ultrafast: 0.35, superfast: 0.5, veryfast: 1, faster: 1.6, fast: 2, medium: 2.5, slow: 4, slower: 8, veryslow: 15 };
const CODEC_COST: Record<string, number> = { libx264: 1, libx265: 4, 'libvpx-vp9': 2.5 };
const FILTER_COST: Record<string, number> = { none: 1, scale: 0.6, blur: 1.3, denoise: 1.4, sharpen: 1.3, grayscale: 1.05 };

/** What the model needs to know about an encode. */
export interface EncodeCostInput {
  preset: string;
  codec: string;
  filter: string;
  /** Lossless (crf 0) writes every bit of every frame: ~3× the default CRF's time on the fixtures. */
  crf?: number | null;
}

/** Estimated single-thread CPU seconds to encode one frame of width × height. */
export function secondsPerFrame(c: EncodeCostInput, width: number, height: number): number {
  return width * height * SECONDS_PER_PIXEL_FRAME * (PRESET_COST[c.preset] ?? 2) * (CODEC_COST[c.codec] ?? 1) * (FILTER_COST[c.filter] ?? 1.5) * (c.crf === 0 ? 3 : 1);
}
