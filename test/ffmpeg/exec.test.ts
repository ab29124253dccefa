import { describe, expect, it } from 'vitest';
import { describeFailure, ffmpegReason, parseBench, parseFramesOut, stderrTail } from '../../src/ffmpeg/exec.ts';

const STDERR = [
  'Input #0, mov,mp4,m4a,3gp,3g2,mj2, from \'tiny.mp4\':',
  'frame=   10 fps=0.0 q=28.0 size=       0kB time=00:00:00.30 bitrate=   0.0kbits/s speed=0.6x',
  'frame=   30 fps=0.0 q=-1.0 Lsize=      52kB time=00:00:00.93 bitrate= 456.9kbits/s speed=1.1x',
  'video:51kB audio:0kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: 2.3%',
  'bench: utime=0.035s stime=0.009s rtime=0.043s',
  'bench: maxrss=22000kB',
].join('\n');

describe('parseBench', () => {
  it('reads ffmpeg -benchmark figures in milliseconds and kB', () => {
    expect(parseBench(STDERR)).toEqual({ utimeMs: 35, stimeMs: 9, rtimeMs: 43, maxrssKb: 22000 });
  });
  it('is null when ffmpeg printed no benchmark line (it failed before the end)', () => {
    expect(parseBench('Error opening input')).toBeNull();
  });
});

describe('parseFramesOut', () => {
  it('takes the last progress line', () => expect(parseFramesOut(STDERR)).toBe(30));
  it('is null without progress', () => expect(parseFramesOut('nothing')).toBeNull());
});

describe('stderrTail', () => {
  it('drops progress and bench lines and keeps the end', () => {
    expect(stderrTail(STDERR)).toBe(`Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'tiny.mp4':\nvideo:51kB audio:0kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: 2.3%`);
    expect(stderrTail('a\nb\nc', 2)).toBe('b\nc');
  });
});

describe('ffmpegReason', () => {
  it('names the real cause, not the generic lines ffmpeg prints after it', () => {
    const tail = "[AVFilterGraph @ 0x55d0] No such filter: 'nosuchfilter'\nError reinitializing filters!\nFailed to inject frame into filter network: Invalid argument\nError while processing the decoded data for stream #0:0\nConversion failed!";
    expect(ffmpegReason(tail)).toBe("No such filter: 'nosuchfilter'");
  });
});

describe('describeFailure', () => {
  const base = { command: 'ffmpeg', spawnToExitMs: 1, bench: null, framesOut: null, stderrTail: '', stdout: '' };
  it('leads with the reason', () => {
    expect(describeFailure({ ...base, exitCode: 1, signal: null, timedOut: false })).toBe('exit code 1');
    expect(describeFailure({ ...base, exitCode: null, signal: 'SIGKILL', timedOut: false })).toBe('killed by SIGKILL');
    expect(describeFailure({ ...base, exitCode: null, signal: 'SIGTERM', timedOut: true }, 5000)).toBe('timed out after 5000 ms');
  });
});
