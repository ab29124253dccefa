import { ChunkbenchError } from '../errors.ts';
import type { Binaries } from '../ffmpeg/binaries.ts';
import { ffmpegReason, runProcess, succeeded } from '../ffmpeg/exec.ts';

// Named video filters (the grid's `filter` dimension) and raw -vf graphs.
//
// A raw graph is accepted as `vf:<graph>` or any value containing '=' or ','; a bare unknown word is an
// error, because a typo such as `blurr` would otherwise reach ffmpeg and fail on every chunk.

/** Named filters, each a -vf graph that keeps the frame rate (so frame counts can be verified). */
export const NAMED_FILTERS: Record<string, string> = {
  none: '',
  scale: 'scale=trunc(iw/4)*2:-2', // half size, even dimensions
  blur: 'gblur=sigma=2',
  denoise: 'hqdn3d=4:3:6:4.5',
  sharpen: 'unsharp=5:5:1.0:5:5:0.0',
  grayscale: 'hue=s=0',
};

// Filters that add, drop or retime frames: with any of these the frame-count check cannot apply.
const RATE_CHANGING = /(^|[,;\[\]\s])(fps|framerate|select|setpts|minterpolate|decimate|tinterlace|interlace|framestep|mpdecimate|trim|loop|telecine|yadif)\b/;

// Named filters that change the picture size; a raw graph's size is not known in advance.
const RESIZING_NAMED = new Set(['scale']);

/** A filter value resolved to its graph; `null` when the value is neither a name nor a raw graph.
 * keepsSize: the output is displayed at the source's size, so verify can check it (raw graphs: not known). */
export function resolveFilter(value: string): { name: string; graph: string; keepsFrames: boolean; keepsSize: boolean } | null {
  if (value in NAMED_FILTERS) return { name: value, graph: NAMED_FILTERS[value] ?? '', keepsFrames: true, keepsSize: !RESIZING_NAMED.has(value) };
  const raw = value.startsWith('vf:') ? value.slice(3) : /[=,]/.test(value) ? value : null;
  if (raw === null || raw.trim() === '') return null;
  return { name: value, graph: raw, keepsFrames: !RATE_CHANGING.test(raw), keepsSize: false };
}

/** The accepted filter values, for error messages and --help. */
export function filterChoices(): string {
  return `${Object.keys(NAMED_FILTERS).join(', ')}, or a raw -vf graph as vf:<graph>`;
}

/** Runs a raw graph on a few synthetic frames, so a graph ffmpeg rejects fails once, before any chunk runs. */
export async function checkFilterGraph(binaries: Binaries, name: string, graph: string): Promise<void> {
  if (!graph) return;
  const outcome = await runProcess(binaries.ffmpeg.path, ['-hide_banner', '-nostdin', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=10:duration=0.3', '-vf', graph, '-f', 'null', '-'], { timeoutMs: 30_000 });
  if (!succeeded(outcome)) {
    throw new ChunkbenchError(`--filter ${name}: ffmpeg rejects this filter graph (${ffmpegReason(outcome.stderrTail) || `exit ${outcome.exitCode}`}); accepted: ${filterChoices()}`);
  }
}
