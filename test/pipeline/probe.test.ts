import { describe, expect, it } from 'vitest';
import { groupPackets, streamSpanSeconds } from '../../src/pipeline/probe.ts';

describe('groupPackets', () => {
  it('orders packets by presentation time, per stream, relative to the file start', () => {
    const packets = [
      { stream_index: 0, pts_time: '1.000000', dts_time: '0.900000', duration_time: '0.5', size: '10', flags: 'K_' },
      { stream_index: 0, pts_time: '2.000000', dts_time: '1.000000', duration_time: '0.5', size: '20', flags: '__' },
      { stream_index: 0, pts_time: '1.500000', dts_time: '1.100000', duration_time: '0.5', size: '30', flags: '__' },
      { stream_index: 1, pts_time: 'N/A', dts_time: '1.000000', duration_time: '1.0', size: '5', flags: 'K_' },
    ];
    const grouped = groupPackets(packets, 1);
    expect(grouped.get(0)).toEqual({ timesSeconds: [0, 0.5, 1], durationsSeconds: [0.5, 0.5, 0.5], sizesBytes: [10, 30, 20], keyframe: [true, false, false] });
    expect(grouped.get(1)?.timesSeconds).toEqual([0]); // dts stands in for a missing pts
  });

  it('leaves out packets an MP4 edit list discards (flag D): they are never decoded as frames', () => {
    // seen with this ffmpeg build: a VFR MP4 with B-frames stored 90 samples and decoded 89
    const packets = [
      { stream_index: 0, pts_time: '0.0', duration_time: '0.1', size: '1', flags: 'K_' },
      { stream_index: 0, pts_time: '0.1', duration_time: '0.1', size: '1', flags: '__' },
      { stream_index: 0, pts_time: '0.2', duration_time: '0.1', size: '1', flags: '_D' },
    ];
    const video = groupPackets(packets, 0).get(0);
    expect(video?.timesSeconds).toEqual([0, 0.1]);
    expect(streamSpanSeconds(video ?? { timesSeconds: [], durationsSeconds: [], sizesBytes: [], keyframe: [] })).toBeCloseTo(0.2, 12);
  });
});
