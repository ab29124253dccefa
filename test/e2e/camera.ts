// The camera-like fixtures (fixtures/manifest.json, `cam-*`) through every mode, both splits, segment
// lengths 1, 2, 3, 5 and 10 s, with and without a filter. Without a filter the encode is lossless (crf 0),
// so the decoded output must equal the decoded source frame by frame (hashes); with one, the run's own
// verification must pass (frame count, video and audio spans, stream layout). Shared by camera-*.test.ts,
// which vitest runs side by side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixture } from '../../src/fixtures/index.ts';
import { pipeline } from '../../src/pipeline/run.ts';
import type { Mode, SplitStrategy } from '../../src/pipeline/types.ts';
import { frameHashes, tempDir } from '../helpers.ts';

const SEGMENTS = [1, 2, 3, 5, 10];
const FILTERS = [null, 'scale'] as const;

interface Case {
  mode: Mode;
  split: SplitStrategy;
  segmentSeconds: number;
  filter: (typeof FILTERS)[number];
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const filter of FILTERS) {
    for (const mode of ['chunked', 'sequential'] as const) for (const split of ['exact', 'copy'] as const) for (const segmentSeconds of SEGMENTS) out.push({ mode, split, segmentSeconds, filter });
    for (const mode of ['single', 'single-mt'] as const) out.push({ mode, split: 'exact', segmentSeconds: 5, filter });
  }
  return out;
}

const label = (c: Case) => `${c.mode} ${c.mode === 'chunked' || c.mode === 'sequential' ? `${c.split} ${c.segmentSeconds}s ` : ''}${c.filter ?? 'no filter'}`;

/** Every case for each fixture named. */
export function cameraSuite(fixtures: string[]): void {
  for (const name of fixtures) {
    describe(`${name}: frame-exact through every mode and split`, () => {
      const work = tempDir(`cb-${name}-`);
      let input = '';
      let sourceHashes: string[] = [];
      beforeAll(async () => {
        input = await ensureFixture(name);
        sourceHashes = await frameHashes(input);
      }, 300_000);
      afterAll(() => work.remove());

      it.each(cases().map((c) => [label(c), c] as const))('%s', async (_, c) => {
        const out = `${work.dir}/${c.mode}-${c.split}-${c.segmentSeconds}-${c.filter ?? 'none'}.mp4`;
        const record = await pipeline({ input, mode: c.mode, split: c.split, workers: 2, segmentSeconds: c.segmentSeconds, crf: c.filter ? 23 : 0, ...(c.filter ? { filter: c.filter } : {}), out, workDir: work.dir });
        expect(record.state, record.error?.message).toBe('ok');
        expect(record.verification?.ok, JSON.stringify(record.verification?.checks.filter((k) => !k.ok))).toBe(true);
        // the picture as displayed (a rotated phone clip stays upright) was checked, not skipped
        if (!c.filter) expect(record.verification?.checks.find((k) => k.name === 'display-size')).toMatchObject({ ok: true });
        if (!c.filter) expect(record.verification?.checks.find((k) => k.name === 'display-size')?.skipped).toBeUndefined();
        if (!c.filter) expect(await frameHashes(out)).toEqual(sourceHashes);
        expect(work.entries().filter((entry) => entry.startsWith('chunkbench-'))).toEqual([]);
      }, 120_000);
    });
  }
}
