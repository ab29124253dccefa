import { chmodSync, cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ffmpegCandidates, ffprobeCandidates, resolveBinariesWith } from '../../src/ffmpeg/binaries.ts';

describe('binary resolution', () => {
  it('finds working ffmpeg and ffprobe from npm packages and reports their versions', async () => {
    const binaries = await resolveBinariesWith({ PATH: '' });
    expect(['ffmpeg-static', '@ffmpeg-installer/ffmpeg']).toContain(binaries.ffmpeg.source);
    expect(binaries.ffmpeg.version).toMatch(/^ffmpeg version /);
    expect(binaries.ffprobe.source).toBe('@ffprobe-installer');
    expect(binaries.ffprobe.version).toMatch(/^ffprobe version /);
  });

  it('lists candidates in the documented order: env, ffmpeg-static, @ffmpeg-installer, PATH', () => {
    expect(ffmpegCandidates({ FFMPEG_PATH: '/x/ffmpeg' }).map((c) => c.source)).toEqual(['env', 'ffmpeg-static', '@ffmpeg-installer/ffmpeg', 'PATH']);
    expect(ffmpegCandidates({ FFMPEG_PATH: '/x/ffmpeg' })[0]?.path).toBe('/x/ffmpeg');
    expect(ffprobeCandidates({}).map((c) => c.source)).toEqual(['env', '@ffprobe-installer', 'PATH']);
  });

  it('uses FFMPEG_PATH / FFPROBE_PATH when set', async () => {
    const found = await resolveBinariesWith({ PATH: '' });
    const binaries = await resolveBinariesWith({ PATH: '', FFMPEG_PATH: found.ffmpeg.path, FFPROBE_PATH: found.ffprobe.path });
    expect(binaries.ffmpeg.source).toBe('env');
    expect(binaries.ffprobe.source).toBe('env');
  });

  it('refuses an override that does not run, naming the variable, instead of silently using another binary', async () => {
    await expect(resolveBinariesWith({ PATH: '', FFMPEG_PATH: '/nonexistent/ffmpeg' })).rejects.toThrow(/^--ffmpeg \/ FFMPEG_PATH=\/nonexistent\/ffmpeg does not run \(no such file\); give an ffmpeg executable, or neither for the bundled one$/);
  });

  it('makes a binary installed executable by its owner only (u+x) executable by all, so a worker running as another user can start it', async () => {
    const found = await resolveBinariesWith({ PATH: '' });
    const dir = mkdtempSync(join(tmpdir(), 'cb-bin-'));
    try {
      const copy = join(dir, 'ffmpeg');
      cpSync(found.ffmpeg.path, copy);
      chmodSync(copy, 0o744);
      const binaries = await resolveBinariesWith({ PATH: '', FFMPEG_PATH: copy, FFPROBE_PATH: found.ffprobe.path });
      expect(binaries.ffmpeg.source).toBe('env');
      expect(statSync(copy).mode & 0o777).toBe(0o755);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
