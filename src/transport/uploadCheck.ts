// The coordinator's check of an uploaded chunk before it is moved into the merge: ffprobe must read it, it
// must hold one video stream in the codec the job encodes to, and as many frames as the job must write
// (the frame-count rule of pipeline/attempts.ts). Frames are counted as packets (-count_packets): these
// codecs store one packet per frame, and counting them reads the container without decoding anything,
// so the check costs the coordinator milliseconds, not a decode of every chunk.
import type { Binaries } from '../ffmpeg/binaries.ts';
import { ffmpegReason, runProcess, succeeded } from '../ffmpeg/exec.ts';
import { frameCountProblem } from '../pipeline/attempts.ts';

/** ffprobe's codec name for the encoders chunks are made with; null (not checked) for others. */
export function codecOfEncoder(encoder: string | undefined): string | null {
  if (encoder === undefined) return null;
  return ({ libx264: 'h264', libx265: 'hevc', 'libvpx-vp9': 'vp9' } as Record<string, string>)[encoder] ?? null;
}

/** The encoder a chunk's arguments name (`-c:v X`). */
export function encoderOf(args: string[]): string | undefined {
  const at = args.lastIndexOf('-c:v');
  return at >= 0 ? args[at + 1] : undefined;
}

/** What an upload must be. */
export interface UploadExpectation {
  expectedFrames: number | null;
  /** ffprobe's codec name, or null for any. */
  codec: string | null;
}

/** Why the file at `path` is not the chunk expected, or null when it is. */
export async function uploadProblem(binaries: Binaries, path: string, expected: UploadExpectation): Promise<string | null> {
  const outcome = await runProcess(binaries.ffprobe.path, ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=codec_name,nb_read_packets', '-of', 'json', path], { keepStdout: true });
  if (!succeeded(outcome)) return `ffprobe cannot read it (${ffmpegReason(outcome.stderrTail).replace(`${path}: `, '') || `exit code ${outcome.exitCode}`})`;
  let stream: { codec_name?: string; nb_read_packets?: string } | undefined;
  try {
    stream = (JSON.parse(outcome.stdout) as { streams?: { codec_name?: string; nb_read_packets?: string }[] }).streams?.[0];
  } catch {
    return 'ffprobe printed no stream listing';
  }
  if (!stream) return 'it holds no video stream';
  if (expected.codec !== null && stream.codec_name !== expected.codec) return `its video is ${stream.codec_name ?? 'of no known codec'}, expected ${expected.codec}`;
  const frames = Number(stream.nb_read_packets);
  return frameCountProblem(Number.isFinite(frames) ? frames : null, expected.expectedFrames);
}
