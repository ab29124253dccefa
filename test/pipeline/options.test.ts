import { describe, expect, it } from 'vitest';
import { ensureFixture } from '../../src/fixtures/index.ts';
import { resolveFilter } from '../../src/pipeline/filters.ts';
import { parseSegment, resolveOptions } from '../../src/pipeline/options.ts';

describe('resolveOptions', () => {
  it('applies the documented defaults once', async () => {
    const input = await ensureFixture('tiny');
    const o = await resolveOptions({ input });
    expect(o).toMatchObject({ mode: 'chunked', workers: 2, segmentSeconds: 10, split: 'exact', codec: 'libx264', preset: 'veryfast', crf: 23, filter: 'none', filterGraph: '', threads: 1, keep: false, out: null });
  });
  it('records one worker for modes that have one, and auto threads for single-mt', async () => {
    const input = await ensureFixture('tiny');
    expect((await resolveOptions({ input, mode: 'sequential', workers: 4 })).workers).toBe(1);
    expect((await resolveOptions({ input, mode: 'single-mt' })).threads).toBe(0);
  });
  it("takes --segment as a number of seconds or 'auto', from a number or the flag's text", async () => {
    const input = await ensureFixture('tiny');
    expect((await resolveOptions({ input, segmentSeconds: 'auto' })).segmentSeconds).toBe('auto');
    expect(parseSegment('auto')).toBe('auto');
    expect(parseSegment('1.5')).toBe(1.5);
    expect(parseSegment(30)).toBe(30);
    for (const [bad, shown] of [['0', '0'], ['-5', '-5'], ['', 'nothing'], ['10s', '10s'], [Infinity, 'Infinity']] as const) {
      expect(() => parseSegment(bad)).toThrow(`--segment must be a number of seconds > 0 or 'auto', got ${shown}`);
    }
  });
  it.each([
    [{ workers: 1.5 }, '--workers must be a whole number ≥ 1, got 1.5'],
    [{ threads: 0 }, '--threads must be a whole number ≥ 1, got 0'],
    [{ segmentSeconds: Number.NaN }, "--segment must be a number of seconds > 0 or 'auto', got NaN"],
    [{ segmentSeconds: 'Auto' as never }, "--segment must be a number of seconds > 0 or 'auto', got Auto"],
    [{ crf: 52 }, '--crf must be a whole number from 0 to 51 for libx264, got 52'],
    [{ codec: 'h264' as never }, "--codec: unknown value 'h264'; accepted: libx264, libx265, libvpx-vp9"],
    [{ out: '/nonexistent-dir/out.mp4' }, '--out /nonexistent-dir/out.mp4: directory /nonexistent-dir does not exist'],
    [{ workDir: '/nonexistent-dir' }, '--work-dir /nonexistent-dir: no such directory; give an existing directory (e.g. /dev/shm for tmpfs)'],
  ])('rejects %o', async (bad, message) => {
    const input = await ensureFixture('tiny');
    await expect(resolveOptions({ input, ...bad })).rejects.toThrow(message);
  });
});

describe('resolveFilter', () => {
  it('maps names to graphs, accepts raw graphs, and refuses bare unknown words', () => {
    expect(resolveFilter('blur')).toEqual({ name: 'blur', graph: 'gblur=sigma=2', keepsFrames: true, keepsSize: true });
    // a raw graph's output size is not known in advance: the display-size check skips it
    expect(resolveFilter('eq=contrast=1.2')).toEqual({ name: 'eq=contrast=1.2', graph: 'eq=contrast=1.2', keepsFrames: true, keepsSize: false });
    expect(resolveFilter('scale')?.keepsSize).toBe(false);
    expect(resolveFilter('vf:hflip')?.graph).toBe('hflip');
    expect(resolveFilter('vf:fps=15')?.keepsFrames).toBe(false);
    expect(resolveFilter('blurr')).toBeNull();
  });
});
