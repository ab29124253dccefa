// merge: the concat demuxer joins the processed chunks with stream copy, and the audio is taken once from
// the source and muxed here. Audio is never chunked: cutting AAC/Opus at chunk boundaries leaves gaps and
// encoder-priming clicks, so it is copied whole (or encoded once where the output container needs it).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Binaries } from '../ffmpeg/binaries.ts';
import { describeFailure, runProcess, succeeded, type ProcessOutcome } from '../ffmpeg/exec.ts';
import { audioArgsFor, COMMON_ARGS, containerOf } from './encode.ts';

/** The concat demuxer's list file: one `file '…'` line per chunk, quotes escaped as the demuxer expects. */
export function concatList(files: string[]): string {
  return files.map((file) => `file '${file.replaceAll("'", "'\\''")}'\n`).join('');
}

/** The merge command: the concat list's chunks (video, stream copy) plus the source's audio, once. The
 * chunks start at 0; where the source's video starts after its audio (or the file's start), `videoStart`
 * puts it back there, so the audio keeps its place against the pictures. */
export function mergeArgs(concatListPath: string, source: string, sourceAudioCodec: string | null, output: string, videoStartSeconds = 0): string[] {
  return [
    ...COMMON_ARGS,
    ...(videoStartSeconds > 0.0005 ? ['-itsoffset', videoStartSeconds.toFixed(6)] : []),
    '-f', 'concat', '-safe', '0', '-i', concatListPath,
    '-i', source,
    '-map', '0:v:0', '-map', '1:a?',
    '-c:v', 'copy', ...audioArgsFor(containerOf(output), sourceAudioCodec),
    '-map_metadata', '-1',
    output,
  ];
}

/** Joins chunk files and muxes the source's audio into `output`. */
export async function runMerge(
  binaries: Binaries,
  chunkFiles: string[],
  source: string,
  sourceAudioCodec: string | null,
  output: string,
  workDir: string,
  signal?: AbortSignal,
  videoStartSeconds = 0,
): Promise<{ outcome: ProcessOutcome; error?: string }> {
  const list = join(workDir, 'concat.txt');
  writeFileSync(list, concatList(chunkFiles));
  const args = mergeArgs(list, source, sourceAudioCodec, output, videoStartSeconds);
  const outcome = await runProcess(binaries.ffmpeg.path, args, { signal });
  if (!succeeded(outcome)) return { outcome, error: `merge failed (${describeFailure(outcome)}): ${outcome.stderrTail.split('\n').pop() ?? ''}` };
  return { outcome };
}
