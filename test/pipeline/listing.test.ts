import { describe, expect, it } from 'vitest';
import { parseListing } from '../../src/pipeline/listing.ts';

// as ffprobe 4 writes `-show_entries packet=…:stream=…:format=… -of compact` (format last)
const LISTING = [
  'packet|stream_index=0|pts_time=1.000000|dts_time=0.900000|duration_time=0.5|size=10|flags=K_',
  'packet|stream_index=0|pts_time=2.000000|dts_time=1.000000|duration_time=0.5|size=20|flags=__',
  'packet|stream_index=1|pts_time=N/A|dts_time=1.000000|duration_time=1.0|size=5|flags=KDside_data|',
  '',
  'packet|stream_index=1|pts_time=N/A|dts_time=1.500000|duration_time=1.0|size=5|flags=K_side_data|',
  '',
  'packet|stream_index=0|pts_time=1.500000|dts_time=1.100000|duration_time=0.5|size=30|flags=__',
  'stream|index=0|codec_name=h264|codec_type=video|width=640|height=360|avg_frame_rate=30/1|nb_frames=3|nb_read_frames=N/A',
  'stream|index=1|codec_name=aac|codec_type=audio|avg_frame_rate=0/0|nb_frames=2|nb_read_frames=N/A',
  'format|format_name=mov,mp4,m4a,3gp,3g2,mj2|start_time=1.000000|duration=2.000000',
  '',
].join('\n');

describe('parseListing', () => {
  it('orders packets by presentation time, per stream, relative to the file start', () => {
    const { packets } = parseListing(LISTING);
    expect(packets.get(0)).toEqual({ timesSeconds: [0, 0.5, 1], durationsSeconds: [0.5, 0.5, 0.5], sizesBytes: [10, 30, 20], keyframe: [true, false, false] });
    // dts stands in for a missing pts; the flags end where an empty side-data section starts
    expect(packets.get(1)).toEqual({ timesSeconds: [0.5], durationsSeconds: [1], sizesBytes: [5], keyframe: [true], hiddenBefore: 1 });
  });

  it('leaves out packets an MP4 edit list discards (flag D): they are never decoded as frames', () => {
    // seen with this ffmpeg build: a VFR MP4 with B-frames stored 90 samples and decoded 89
    const text = ['packet|stream_index=0|pts_time=0.0|duration_time=0.1|size=1|flags=K_', 'packet|stream_index=0|pts_time=0.1|duration_time=0.1|size=1|flags=__', 'packet|stream_index=0|pts_time=0.2|duration_time=0.1|size=1|flags=_D'].join('\n');
    expect(parseListing(text).packets.get(0)?.timesSeconds).toEqual([0, 0.1]);
  });

  it('reads streams and the format as ffprobe JSON has them: numbers for index, width and height', () => {
    const { streams, format } = parseListing(LISTING);
    expect(streams).toEqual([
      { index: 0, codec_name: 'h264', codec_type: 'video', width: 640, height: 360, avg_frame_rate: '30/1', nb_frames: '3', nb_read_frames: 'N/A' },
      { index: 1, codec_name: 'aac', codec_type: 'audio', avg_frame_rate: '0/0', nb_frames: '2', nb_read_frames: 'N/A' },
    ]);
    expect(format).toEqual({ format_name: 'mov,mp4,m4a,3gp,3g2,mj2', start_time: '1.000000', duration: '2.000000' });
  });

  it('reads every number exactly as Number() does', () => {
    const values = ['0.033333', '-0.066667', '59.989333', '12345.678901', '1e-3', '123456789012345678', '7', '0.1', '-0', '5.'];
    const text = values.map((v) => `packet|stream_index=0|pts_time=${v}|duration_time=${v}|size=1|flags=__`).join('\n');
    const { packets } = parseListing(text);
    expect([...(packets.get(0)?.durationsSeconds ?? [])].sort((a, b) => a - b)).toEqual(values.map(Number).sort((a, b) => a - b));
  });

  it('counts an MPEG-TS program\'s streams once (ffprobe prints them twice)', () => {
    const text = ['program|stream|index=0|codec_type=video', 'stream|index=1|codec_type=audio', 'stream|index=0|codec_type=video', 'stream|index=1|codec_type=audio', 'format|format_name=mpegts|start_time=1.4'].join('\n');
    expect(parseListing(text).streams).toEqual([{ index: 0, codec_type: 'video' }, { index: 1, codec_type: 'audio' }]);
  });

  it('marks keyframes that open an open GOP: a frame stored after them is shown before them', () => {
    // decode order I0 P3 B1 B2 | I6 B4 B5 P9 (B4, B5 shown before I6: open) | I12 P15 B13 B14 (closed)
    const order = [[0, 'K'], [3, '_'], [1, '_'], [2, '_'], [6, 'K'], [4, '_'], [5, '_'], [9, '_'], [7, '_'], [8, '_'], [12, 'K'], [15, '_'], [13, '_'], [14, '_']] as const;
    const text = order.map(([t, f]) => `packet|stream_index=0|pts_time=${t}|duration_time=1|size=1|flags=${f}_`).join('\n');
    const video = parseListing(text).packets.get(0);
    expect(video?.keyframe.map((k, i) => (k ? i : -1)).filter((i) => i >= 0)).toEqual([0, 6, 10]);
    expect(video?.openGop?.map((o, i) => (o ? i : -1)).filter((i) => i >= 0)).toEqual([6]);
  });

  it('counts the packets an edit list hides before the first frame', () => {
    const text = ['packet|stream_index=0|pts_time=-0.1|duration_time=0.033|size=1|flags=KD', 'packet|stream_index=0|pts_time=-0.067|duration_time=0.033|size=1|flags=_D', 'packet|stream_index=0|pts_time=0.0|duration_time=0.033|size=1|flags=__', 'packet|stream_index=0|pts_time=0.033|duration_time=0.033|size=1|flags=__'].join('\n');
    expect(parseListing(text).packets.get(0)).toMatchObject({ timesSeconds: [0, 0.033], hiddenBefore: 2 });
  });
});
