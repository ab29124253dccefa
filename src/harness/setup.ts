// Before anything runs: every grid input resolved (fixtures made), every configuration validated through
// the pipeline's own resolveOptions, so a bad value fails in one line before the first measurement.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChunkbenchError } from '../errors.ts';
import { ensureFixture, readManifest } from '../fixtures/index.ts';
import type { GridConfig } from '../grid/expand.ts';
import { resolveOptions } from '../pipeline/options.ts';
import type { ResolvedPipelineOptions } from '../pipeline/types.ts';
import { REPORTS_DIR } from './store.ts';

/** A grid input: a fixture name (made when missing) or a path; neither is an error naming the grid and the
 * input (not a --input flag the user never typed). */
export async function resolveInput(input: string, grid = 'the grid'): Promise<string> {
  const fixtures = readManifest().fixtures;
  if (input in fixtures) return ensureFixture(input);
  const path = resolve(input);
  if (!existsSync(path)) throw new ChunkbenchError(`${grid}: input '${input}' is neither a file nor a fixture; give a path to a video file or a fixture name (${Object.keys(fixtures).join(', ')})`);
  return path;
}

/** tmp: the OS temp dir; disk: a folder beside the reports (always on disk); tmpfs: /dev/shm; or a path. */
export function resolveWorkDir(workDir: string): string {
  if (workDir === 'tmp') return tmpdir();
  if (workDir === 'disk') {
    const dir = join(REPORTS_DIR, '.work');
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  if (workDir === 'tmpfs') {
    if (!existsSync('/dev/shm')) throw new ChunkbenchError('workDir tmpfs: /dev/shm does not exist on this machine; use disk or a path to a tmpfs mount');
    return '/dev/shm';
  }
  return workDir;
}

/** Resolved pipeline options for every configuration, keyed by configuration id; `quality` measures every
 * output's SSIM, PSNR and bitrate after verification (the grid's `quality` key). */
export async function resolveConfigs(configs: GridConfig[], quality = false, grid?: string): Promise<Map<string, ResolvedPipelineOptions>> {
  const inputs = new Map<string, string>();
  for (const input of new Set(configs.map((c) => c.input))) inputs.set(input, await resolveInput(input, grid));
  const options = new Map<string, ResolvedPipelineOptions>();
  for (const c of configs) {
    try {
      options.set(
        c.id,
        await resolveOptions({
          input: inputs.get(c.input) ?? c.input,
          mode: c.mode,
          workers: c.workers,
          segmentSeconds: c.segmentSeconds ?? undefined,
          split: c.split ?? undefined,
          codec: c.codec,
          preset: c.preset,
          filter: c.filter,
          threads: c.threads === 0 ? undefined : c.threads,
          crf: c.crf ?? undefined,
          workDir: resolveWorkDir(c.workDir),
          // stored runs from before these dimensions existed lack them: the defaults apply
          retries: c.retries,
          injectFaults: c.injectFaults,
          injectStalls: c.injectStalls,
          speculate: c.speculate,
          quality,
        }),
      );
    } catch (error) {
      if (error instanceof ChunkbenchError) throw new ChunkbenchError(`configuration '${c.label}': ${error.message}`);
      throw error;
    }
  }
  return options;
}
