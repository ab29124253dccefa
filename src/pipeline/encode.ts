// Builds the ffmpeg arguments that decide how much CPU one process may use, and what it encodes.
//
// Why thread control matters: a "single-threaded" ffmpeg left alone still decodes with frame threads on
// every core, runs slice-threaded filters on every core and lets x264 spawn 1.5×cores threads. Compared
// with that, N chunked workers look about half as good as they are. So a thread limit T is applied to all
// three stages: decoder (`-threads T` before `-i`), filter graph (`-filter_threads`,
// `-filter_complex_threads`) and encoder (`-threads T` after `-i`, plus the codec's own pool settings:
// x265 sizes its pools itself, libvpx needs row-mt off to honour one thread).
import type { Codec } from './types.ts';

/** x264/x265 preset names; for libvpx-vp9 they map onto deadline/cpu-used (see VP9_PRESETS). */
export const PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;

const VP9_PRESETS: Record<string, string[]> = {
  ultrafast: ['-deadline', 'realtime', '-cpu-used', '8'],
  superfast: ['-deadline', 'realtime', '-cpu-used', '7'],
  veryfast: ['-deadline', 'good', '-cpu-used', '5'],
  faster: ['-deadline', 'good', '-cpu-used', '4'],
  fast: ['-deadline', 'good', '-cpu-used', '3'],
  medium: ['-deadline', 'good', '-cpu-used', '2'],
  slow: ['-deadline', 'good', '-cpu-used', '1'],
  slower: ['-deadline', 'good', '-cpu-used', '0'],
  veryslow: ['-deadline', 'best', '-cpu-used', '0'],
};

/** Constant-quality defaults per codec (recorded in every run's config). */
export const DEFAULT_CRF: Record<Codec, number> = { libx264: 23, libx265: 28, 'libvpx-vp9': 33 };

/** Thread limit for one process, or 'auto' to let ffmpeg and the encoder use every core (single-mt). */
export type ThreadLimit = number | 'auto';

/** Decoder threads: these go before `-i`. */
export function decoderThreadArgs(threads: ThreadLimit): string[] {
  return threads === 'auto' ? [] : ['-threads', String(threads)];
}

/** Filter-graph threads: global options, placed anywhere before the output. */
export function filterThreadArgs(threads: ThreadLimit): string[] {
  return threads === 'auto' ? [] : ['-filter_threads', String(threads), '-filter_complex_threads', String(threads)];
}

/** Encoder: codec, preset, quality and threads (after `-i`). */
export function encoderArgs(codec: Codec, preset: string, crf: number, threads: ThreadLimit, cores: number): string[] {
  const args = ['-c:v', codec];
  if (codec === 'libvpx-vp9') {
    args.push(...(VP9_PRESETS[preset] ?? []), '-crf', String(crf), '-b:v', '0');
    // libvpx uses one thread unless told otherwise; "what a user would do" is all cores with row-mt
    if (threads === 'auto') args.push('-threads', String(cores), '-row-mt', '1', '-tile-columns', '2');
    else args.push('-threads', String(threads), '-row-mt', threads > 1 ? '1' : '0');
    return args;
  }
  args.push('-preset', preset, '-crf', String(crf));
  if (codec === 'libx265') {
    const params = ['log-level=error'];
    if (threads !== 'auto') params.push(`pools=${threads}`, `frame-threads=${Math.min(threads, 16)}`);
    args.push('-x265-params', params.join(':'));
  }
  if (threads !== 'auto') args.push('-threads', String(threads));
  return args;
}

/** Audio codec that a container accepts for copy; anything else is encoded once at merge. */
export function audioArgsFor(container: string, sourceAudioCodec: string | null): string[] {
  if (!sourceAudioCodec) return [];
  const copyable: Record<string, string[]> = {
    mp4: ['aac', 'mp3', 'ac3', 'eac3', 'alac'],
    mov: ['aac', 'mp3', 'ac3', 'eac3', 'alac', 'pcm_s16le'],
    webm: ['opus', 'vorbis'],
    mkv: [],
  };
  const allowed = copyable[container];
  if (allowed === undefined || container === 'mkv' || allowed.includes(sourceAudioCodec)) return ['-c:a', 'copy'];
  return container === 'webm' ? ['-c:a', 'libopus', '-b:a', '128k'] : ['-c:a', 'aac', '-b:a', '192k'];
}

/** Container (and file extension) for an output path, by its extension. */
export function containerOf(path: string): string {
  const ext = path.toLowerCase().split('.').pop() ?? '';
  return ext === 'm4v' ? 'mp4' : ext;
}

/** The file extension the chunks and the default output use for a codec. */
export function defaultExtension(codec: Codec): string {
  return codec === 'libvpx-vp9' ? 'webm' : 'mp4';
}

/** Options common to every ffmpeg the pipeline starts: no stdin, timing figures on stderr, and no periodic
 * progress lines (each is a pipe read for the harness; the final frame count is printed regardless). */
export const COMMON_ARGS = ['-hide_banner', '-nostdin', '-y', '-benchmark', '-nostats'];

/** Every frame kept as decoded: no duplicates or drops to force a constant rate (VFR sources stay exact). */
export const PASSTHROUGH_ARGS = ['-vsync', 'passthrough'];
