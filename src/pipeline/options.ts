// PipelineOptions → ResolvedPipelineOptions: every default applied once, every value checked before any
// work starts, each error one line naming the flag, the value received and what is accepted.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { ChunkbenchError } from '../errors.ts';
import { ensureFixture, fixtureNameForPath, fixtureNames } from '../fixtures/index.ts';
import { DEFAULT_CRF, PRESETS } from './encode.ts';
import { filterChoices, resolveFilter } from './filters.ts';
import { CODECS, MODES, SPLIT_STRATEGIES, type PipelineOptions, type ResolvedPipelineOptions, type SegmentLength } from './types.ts';
import { DEFAULTS } from './defaults.ts';

export { DEFAULTS };

function probability(flag: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new ChunkbenchError(`--${flag} must be a probability from 0 to 1, got ${String(value)}`);
  return value;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ChunkbenchError(`--${flag}: unknown value '${value}'; accepted: ${allowed.join(', ')}`);
}

function integerAtLeast(flag: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new ChunkbenchError(`--${flag} must be a whole number ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** `--segment`: a number of seconds > 0, or `auto` (chosen after the probe, segmentAuto.ts). Accepts the
 * flag's text as well as a number; anything else is a one-line error naming the flag. */
export function parseSegment(value: unknown): SegmentLength {
  if (value === 'auto') return 'auto';
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) return seconds;
  const shown = typeof value === 'string' && value.trim() === '' ? 'nothing' : String(value);
  throw new ChunkbenchError(`--segment must be a number of seconds > 0 or 'auto', got ${shown}`);
}

/** Checks the input path; a missing file that names a fixture is made first. */
async function resolveInput(input: string | undefined): Promise<string> {
  if (!input) throw new ChunkbenchError('--input is required: the video file to process');
  const path = resolve(input);
  if (!existsSync(path)) {
    // a fixture by name (`--input tiny`, as in grids) or by its path under fixtures/: made on first use
    const fixture = /^[\w-]+$/.test(input) && fixtureNames().includes(input) ? input : fixtureNameForPath(path);
    if (fixture) return ensureFixture(fixture);
    throw new ChunkbenchError(`--input ${input}: no such file; give a path to a video file or a fixture name (${fixtureNames().join(', ')})`);
  }
  const stats = statSync(path);
  if (!stats.isFile()) throw new ChunkbenchError(`--input ${input}: is a directory, not a video file`);
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new ChunkbenchError(`--input ${input}: not readable (permission denied); give a readable video file`);
  }
  if (stats.size === 0) throw new ChunkbenchError(`--input ${input}: empty file (0 bytes); expected a video file`);
  return path;
}

function resolveOut(out: string | undefined): string | null {
  if (!out) return null;
  const path = resolve(out);
  const dir = dirname(path);
  if (!existsSync(dir)) throw new ChunkbenchError(`--out ${out}: directory ${dir} does not exist`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ChunkbenchError(`--out ${out}: directory ${dir} is not writable`);
  }
  return path;
}

function resolveWorkDir(workDir: string | undefined): string {
  const path = resolve(workDir ?? tmpdir());
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new ChunkbenchError(`--work-dir ${workDir}: no such directory; give an existing directory (e.g. /dev/shm for tmpfs)`);
  }
  try {
    accessSync(path, constants.W_OK);
  } catch {
    throw new ChunkbenchError(`--work-dir ${workDir}: directory is not writable`);
  }
  return path;
}

/** Validates options and applies defaults; throws ChunkbenchError with a one-line message. */
export async function resolveOptions(options: PipelineOptions): Promise<ResolvedPipelineOptions> {
  const mode = oneOf('mode', options.mode ?? DEFAULTS.mode, MODES);
  const split = oneOf('split', options.split ?? DEFAULTS.split, SPLIT_STRATEGIES);
  const codec = oneOf('codec', options.codec ?? DEFAULTS.codec, CODECS);
  const preset = oneOf('preset', options.preset ?? DEFAULTS.preset, PRESETS);
  const workers = integerAtLeast('workers', options.workers ?? DEFAULTS.workers, 1);
  const threads = integerAtLeast('threads', options.threads ?? DEFAULTS.threads, 1);
  const segmentSeconds = parseSegment(options.segmentSeconds ?? DEFAULTS.segmentSeconds);
  const crf = options.crf ?? DEFAULT_CRF[codec];
  const maxCrf = codec === 'libvpx-vp9' ? 63 : 51;
  if (!Number.isInteger(crf) || crf < 0 || crf > maxCrf) {
    throw new ChunkbenchError(`--crf must be a whole number from 0 to ${maxCrf} for ${codec}, got ${String(crf)}`);
  }
  const retries = integerAtLeast('retries', options.retries ?? DEFAULTS.retries, 0);
  const chunkTimeoutMs = options.chunkTimeoutMs ?? null;
  if (chunkTimeoutMs !== null && (!Number.isFinite(chunkTimeoutMs) || chunkTimeoutMs <= 0)) {
    throw new ChunkbenchError(`--chunk-timeout must be milliseconds > 0, got ${String(chunkTimeoutMs)}`);
  }
  const timeoutFactor = options.timeoutFactor ?? DEFAULTS.timeoutFactor;
  if (!Number.isFinite(timeoutFactor) || timeoutFactor <= 1) throw new ChunkbenchError(`--timeout-factor must be a number > 1 (times the expected chunk time), got ${String(timeoutFactor)}`);
  const speculate = options.speculate ?? DEFAULTS.speculate;
  if (!Number.isFinite(speculate) || (speculate !== 0 && speculate < 1)) throw new ChunkbenchError(`--speculate must be 0 (off) or a factor ≥ 1 of the expected chunk time, got ${speculate}`);
  const injectFaults = probability('inject-faults', options.injectFaults ?? DEFAULTS.injectFaults);
  const injectStalls = probability('inject-stalls', options.injectStalls ?? DEFAULTS.injectStalls);
  if (injectFaults + injectStalls > 1) throw new ChunkbenchError(`--inject-faults + --inject-stalls must be at most 1, got ${injectFaults + injectStalls}`);
  const faultSeed = options.faultSeed ?? DEFAULTS.faultSeed;
  if (!Number.isInteger(faultSeed)) throw new ChunkbenchError(`--fault-seed must be a whole number, got ${String(faultSeed)}`);
  const filterValue = options.filter ?? DEFAULTS.filter;
  const filter = resolveFilter(filterValue);
  if (!filter) throw new ChunkbenchError(`--filter: unknown filter '${filterValue}'; accepted: ${filterChoices()}`);
  return {
    input: await resolveInput(options.input),
    out: resolveOut(options.out),
    mode,
    // sequential is by definition one worker; recording 1 keeps speedup tables honest
    workers: mode === 'sequential' || mode === 'single' || mode === 'single-mt' ? 1 : workers,
    segmentSeconds,
    split,
    codec,
    preset,
    crf,
    filter: filter.name,
    filterGraph: filter.graph,
    filterKeepsFrames: filter.keepsFrames,
    filterKeepsSize: filter.keepsSize,
    // 0 records "ffmpeg's own threading on all cores"; single-mt ignores the per-worker limit by definition
    threads: mode === 'single-mt' ? 0 : threads,
    workDir: resolveWorkDir(options.workDir),
    keep: options.keep ?? false,
    retries,
    chunkTimeoutMs,
    timeoutFactor,
    speculate,
    injectFaults,
    injectStalls,
    faultSeed,
    quality: options.quality ?? false,
  };
}
