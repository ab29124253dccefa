// What a worker's ffmpeg says it read, and its tail without the transport's lines (pure, on stderr text as
// the bundled ffmpeg prints it at -loglevel verbose for an http:// input; the real thing runs in
// httpServer.test.ts).
import { describe, expect, it } from 'vitest';
import { stderrTail } from '../../src/ffmpeg/exec.ts';
import { readBytesIn, reportedReadBytes, withoutTransportNoise } from '../../src/transport/ffmpegReads.ts';

const verbose = `[tcp @ 0x18a44300] Starting connection attempt to 127.0.0.1 port 41919
[tcp @ 0x18a44300] Successfully connected to 127.0.0.1 port 41919
[h264 @ 0x18a45700] Reinit context to 640x368, pix_fmt: yuv420p
Stream mapping:
  Stream #0:0 -> #0:0 (h264 (native) -> h264 (libx264))
[http @ 0x7208500] Will reconnect at 65576 in 0 second(s), error=End of file.
[mov,mp4,m4a,3gp,3g2,mj2 @ 0x84cdd00] stream 0, offset 0x15c79b: partial file
http://127.0.0.1:41919/files/1/sd.mp4: Invalid data found when processing input
No more output streams to write to, finishing.
frame=  150 fps= 80 q=-1.0 Lsize=     556kB time=00:00:04.90 bitrate= 929.5kbits/s speed=2.61x    
video:553kB audio:0kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: 0.452231%
Input file #0 (http://127.0.0.1:41919/files/1/sd.mp4):
  Input stream #0:0 (video): 214 packets read (943216 bytes); 211 frames decoded; 
  Input stream #0:1 (audio): 0 packets read (0 bytes); 
  Total: 214 packets (943216 bytes) demuxed
Output file #0 (chunk_00003.mp4):
  Output stream #0:0 (video): 150 frames encoded; 150 packets muxed (566746 bytes); 
  Total: 150 packets (566746 bytes) muxed
bench: utime=0.776s stime=0.128s rtime=1.879s
bench: maxrss=51116kB
[AVIOContext @ 0x18a4c440] Statistics: 2 seeks, 6 writeouts
[libx264 @ 0x18a94080] kb/s:905.69
[AVIOContext @ 0x18a4c800] Statistics: 1191831 bytes read, 3 seeks
`;

describe('readBytesIn', () => {
  it("takes the reading AVIOContext's count, not the writing one's, and finds it in exec.ts's tail", () => {
    expect(readBytesIn(verbose)).toBe(1_191_831);
    expect(readBytesIn(stderrTail(verbose))).toBe(1_191_831);
  });

  it('adds up several inputs, and is null when ffmpeg printed none (killed, or not verbose)', () => {
    expect(readBytesIn('[AVIOContext @ 0xa] Statistics: 10 bytes read, 0 seeks\n[AVIOContext @ 0xb] Statistics: 5 bytes read, 1 seeks')).toBe(15);
    expect(readBytesIn('frame=  30 fps=0.0\nbench: utime=0.1s stime=0.0s rtime=0.2s')).toBeNull();
    expect(readBytesIn('[AVIOContext @ 0x1] Statistics: 2 seeks, 6 writeouts')).toBeNull();
  });
});

describe('withoutTransportNoise', () => {
  it('leaves what a local try would have said: the cause, not the connections, window ends and summaries', () => {
    expect(withoutTransportNoise(stderrTail(verbose, 40)).split('\n')).toEqual([
      'Stream mapping:',
      '  Stream #0:0 -> #0:0 (h264 (native) -> h264 (libx264))',
      '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x84cdd00] stream 0, offset 0x15c79b: partial file',
      'http://127.0.0.1:41919/files/1/sd.mp4: Invalid data found when processing input',
      'video:553kB audio:0kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: 0.452231%',
      '[libx264 @ 0x18a94080] kb/s:905.69',
    ]);
  });

  it('keeps a reconnect that was not a window end: that one is evidence', () => {
    const line = '[http @ 0x7208500] Will reconnect at 65576 in 1 second(s), error=Connection reset by peer.';
    expect(withoutTransportNoise(line)).toBe(line);
  });
});

describe('reportedReadBytes', () => {
  it('adds what the tries reported, as they came back through Redis; null when none did', () => {
    expect(reportedReadBytes([{ inputReadBytes: 100 }, undefined, {}, { inputReadBytes: 50 }])).toBe(150);
    expect(reportedReadBytes([undefined, {}])).toBeNull();
    expect(reportedReadBytes([{ inputReadBytes: 'x' }, { inputReadBytes: -1 }, { inputReadBytes: 1.5 }])).toBeNull();
  });
});
