// Public types of the pipeline: options in, one serialisable record out. The run record is the contract
// with everything downstream (harness, statistics, report, CI check), so it holds plain data only.
import type { TransferStats } from '../transport/types.ts';
import type { Binaries } from '../ffmpeg/binaries.ts';
import type { QualityRecord } from '../quality/measure.ts';
import type { SegmentChoice } from './segmentAuto.ts';

/** A segment length in seconds, or `auto`: chosen after the probe from the video's length and the workers
 * (segmentAuto.ts). */
export type SegmentLength = number | 'auto';

/** chunked: N workers over the chunks; sequential: the same chunks on one worker; single: one ffmpeg over
 * the whole file with the same thread limit; single-mt: one ffmpeg using its own threading on all cores. */
export type Mode = 'chunked' | 'sequential' | 'single' | 'single-mt';
export const MODES: readonly Mode[] = ['chunked', 'sequential', 'single', 'single-mt'];

/** copy: segment muxer with stream copy, cuts snap to keyframes; exact: frame-exact ranges decoded from the source. */
export type SplitStrategy = 'copy' | 'exact';
export const SPLIT_STRATEGIES: readonly SplitStrategy[] = ['copy', 'exact'];

export type Codec = 'libx264' | 'libx265' | 'libvpx-vp9';
export const CODECS: readonly Codec[] = ['libx264', 'libx265', 'libvpx-vp9'];

/** What a user passes; everything but `input` has a default. */
export interface PipelineOptions {
  input: string;
  out?: string | undefined;
  mode?: Mode;
  workers?: number;
  /** Seconds, or 'auto' (segmentAuto.ts). */
  segmentSeconds?: SegmentLength;
  split?: SplitStrategy;
  codec?: Codec;
  preset?: string;
  filter?: string;
  threads?: number;
  /** Constant-quality factor; default per codec (0 is lossless for x264, used by the frame-hash tests). */
  crf?: number;
  /** Parent of the per-run temp directory (disk vs tmpfs); default the OS temp dir. */
  workDir?: string | undefined;
  keep?: boolean;
  /** Retries of a failed chunk (default 2), on another worker where there is one. */
  retries?: number;
  /** Per-attempt timeout in ms; default (null) timeoutFactor × the expected time, once a chunk has finished. */
  chunkTimeoutMs?: number | null;
  /** Derived timeout: this many times the chunk's expected time (median ms per second of video × length). */
  timeoutFactor?: number;
  /** Speculative backup of a chunk running longer than this × its expected time while a worker idles (0: off). */
  speculate?: number;
  /** Fault injection: probability that a chunk's first attempt is SIGKILLed at a random point of its run. */
  injectFaults?: number;
  /** Straggler injection: probability that a chunk's first attempt is SIGSTOPped (hangs) at a random point. */
  injectStalls?: number;
  /** Seed of the fault and straggler draws (per chunk, so the same chunks are hit whatever the timing). */
  faultSeed?: number;
  /** Measure the output's SSIM, PSNR and video bitrate against the source after verification (quality/). */
  quality?: boolean;
}

/** Options after validation, with defaults applied once. */
export interface ResolvedPipelineOptions {
  input: string;
  out: string | null;
  mode: Mode;
  workers: number;
  /** As asked: seconds, or 'auto' (the run record's `segmentChoice` says what auto chose). */
  segmentSeconds: SegmentLength;
  split: SplitStrategy;
  codec: Codec;
  preset: string;
  crf: number;
  filter: string;
  /** The -vf graph the filter stands for ('' for none). */
  filterGraph: string;
  /** False for raw graphs that may change the frame rate: the frame-count check is skipped then. */
  filterKeepsFrames: boolean;
  /** False when the filter may change the picture size (named `scale`, any raw graph): verify's display-size check is skipped. */
  filterKeepsSize: boolean;
  threads: number;
  workDir: string;
  keep: boolean;
  retries: number;
  chunkTimeoutMs: number | null;
  timeoutFactor: number;
  speculate: number;
  injectFaults: number;
  injectStalls: number;
  faultSeed: number;
  quality: boolean;
}

/** One planned chunk: a range of the source's frames, in presentation order. */
export interface Segment {
  index: number;
  startFrame: number;
  frameCount: number;
  /** Relative to the start of the file (the source's start_time subtracted). */
  startSeconds: number;
  durationSeconds: number;
  /** Bytes of the source's packets this chunk demuxes (from the keyframe its seek lands on). */
  inputBytes: number;
  /** Frames an exact chunk decodes and throws away before its first (from the keyframe before a mid-GOP
   * start); 0 when it starts on a keyframe or reads a copy-split segment. Absent in older results. */
  leadInFrames?: number;
}

/** One try of a chunk: the first, a retry after a failure, or a speculative backup of a straggler. */
export interface AttemptRecord {
  attempt: number;
  workerId: number;
  /** A queue worker's name (host:pid), when the attempt ran outside this process. */
  worker?: string;
  startMs: number;
  endMs: number;
  /** ok: its output is the chunk's; failed: ffmpeg failed, was killed or timed out; cancelled: stopped
   * because another attempt won, the run failed or was interrupted. */
  state: 'ok' | 'failed' | 'cancelled';
  reason?: string;
  speculative: boolean;
  exitCode: number | null;
  signal: string | null;
  /** The timeout this attempt ran under (null: none yet, no chunk had finished). */
  timeoutMs: number | null;
  /** An injected fault, and whether it struck before ffmpeg finished. */
  fault?: { kind: 'kill' | 'stall'; afterMs: number; fired: boolean };
  utimeMs: number | null;
  stimeMs: number | null;
  rtimeMs: number | null;
  queueWaitMs?: number;
}

/** The record of one chunk's processing, successful or not. */
export interface ChunkRecord {
  index: number;
  state: 'ok' | 'failed';
  workerId: number;
  startMs: number;
  endMs: number;
  startFrame: number;
  frameCount: number;
  framesOut: number | null;
  durationSeconds: number;
  inputBytes: number;
  outputBytes: number;
  exitCode: number | null;
  signal: string | null;
  /** Our spawn→exit time; minus ffmpeg's rtime it is the harness overhead. */
  spawnToExitMs: number;
  utimeMs: number | null;
  stimeMs: number | null;
  rtimeMs: number | null;
  maxrssKb: number | null;
  stderrTail: string;
  /** Enqueue → start, for executors with a queue in between. */
  queueWaitMs?: number;
  /** Bytes moved and transfer times, for executors that move the chunk over a network (queue, http
   * transport; src/transport/types.ts). */
  transfer?: TransferStats;
  /** Every try, in start order; the top-level fields are those of the winning (or last failed) one. */
  attempts?: AttemptRecord[];
  /** Attempts started because an earlier one failed (speculative backups are not retries). */
  retries?: number;
  error?: string;
}

/** Wall time of each stage of one run. Stages a mode does not have are 0. */
export interface PhaseTimes {
  probeMs: number;
  splitMs: number;
  processMs: number;
  mergeMs: number;
  verifyMs: number;
}
export const PHASES = ['probe', 'split', 'process', 'merge', 'verify'] as const;

/** One verification check: what was expected, what was found, and the tolerance. */
export interface VerifyCheck {
  name: 'frame-count' | 'video-duration' | 'audio-duration' | 'av-offset' | 'display-size' | 'stream-layout';
  ok: boolean;
  skipped?: boolean;
  expected: number | string;
  actual: number | string;
  tolerance: number | string;
  message: string;
}

export interface Verification {
  ok: boolean;
  checks: VerifyCheck[];
}

/** What the probe learned about the source, in the record (the frame-time list stays in memory). */
export interface SourceSummary {
  path: string;
  sizeBytes: number;
  /** Σ of the video stream's packet sizes (its bits per pixel say how hard the content is to encode);
   * absent in older results. */
  videoBytes?: number;
  container: string;
  durationSeconds: number;
  videoCodec: string;
  width: number;
  height: number;
  fps: number;
  variableFrameRate: boolean;
  frameCount: number;
  frameCountFrom: 'container' | 'decoded';
  keyframeCount: number;
  audioStreams: number;
  audioCodec: string | null;
  /** Display rotation (a phone held upright), degrees; absent for 0. */
  rotationDegrees?: number;
}

/** Everything the harness stores about one pipeline run. */
export interface RunRecord {
  schema: 'chunkbench.run/1';
  state: 'ok' | 'failed';
  error?: { stage: string; message: string };
  startedAt: string;
  config: Omit<ResolvedPipelineOptions, 'workDir' | 'keep' | 'out' | 'quality'> & { executor: string };
  binaries: Binaries;
  source: SourceSummary | null;
  segments: Segment[];
  /** What `--segment auto` chose for this run and why (chunked and sequential modes); absent for a fixed length. */
  segmentChoice?: SegmentChoice;
  /** Why the split could not follow --segment (open GOPs under a copy split), in one line; absent otherwise. */
  splitNote?: string;
  chunks: ChunkRecord[];
  phases: PhaseTimes;
  wallMs: number;
  /** Σ user+sys CPU of every ffmpeg this run started (split, chunks, merge or the single encode). */
  ffmpegCpuMs: number;
  /** Σ over chunks of (spawn→exit − ffmpeg rtime): what the harness adds per chunk. */
  harnessOverheadMs: number;
  /** chunkbench's own CPU (this process and its spawner) within the run's wall time: the pipeline's
   * coordination (probing, planning, starting and collecting processes, merging), part of what is measured,
   * as against the harness's work outside the wall times (verifying, recording, scheduling). */
  coordinatorCpuMs?: number;
  /** CHUNKBENCH_CRIPPLE was set: the fraction asked for and the serial time the wrapper added. */
  cripple?: { fraction: number; serialMs: number };
  output: { path: string | null; bytes: number } | null;
  verification: Verification | null;
  /** The output's quality against the source, when asked for (measured after verification, timed apart). */
  quality?: QualityRecord;
}
