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
});
