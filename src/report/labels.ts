// Short configuration labels: what differs from the grid's centre, so a chart row reads "4 workers" or
// "single · preset faster" instead of "chunked w4 10s exact · veryfast · none · t1". The centre itself is
// "centre", and `centreLegend` spells it out once. Pure functions of the grid's configurations.
import type { GridConfig } from '../grid/expand.ts';

type Config = Pick<GridConfig, 'mode' | 'workers' | 'segmentSeconds' | 'split' | 'codec' | 'preset' | 'filter' | 'threads' | 'crf' | 'workDir' | 'input'> & Partial<Pick<GridConfig, 'injectFaults' | 'injectStalls' | 'speculate' | 'executor' | 'retries' | 'transport'>>;

const pctOf = (v: number) => `${Math.round(v * 100)}%`;
/** "10 s segments", or "auto segments" (the length chosen per run: segmentAuto.ts). */
const segmentWords = (segment: number | 'auto') => (segment === 'auto' ? 'auto segments' : `${segment} s segments`);

/** The differences of `c` from `centre`, in words, most telling first. */
function differences(c: Config, centre: Config): string[] {
  const out: string[] = [];
  const chunked = c.mode === 'chunked' || c.mode === 'sequential';
  if (c.mode === 'chunked' && c.workers !== centre.workers) out.push(`${c.workers} worker${c.workers === 1 ? '' : 's'}`);
  if (chunked && c.segmentSeconds !== centre.segmentSeconds && c.segmentSeconds !== null) out.push(segmentWords(c.segmentSeconds));
  if (chunked && c.split !== centre.split && c.split) out.push(`${c.split} split`);
  if (c.input !== centre.input) out.push(`input ${c.input}`);
  if (c.codec !== centre.codec) out.push(c.codec);
  if (c.preset !== centre.preset) out.push(`preset ${c.preset}`);
  if (c.filter !== centre.filter) out.push(c.filter === 'none' ? 'no filter' : `${c.filter} filter`);
  if (c.crf !== centre.crf) out.push(`crf ${c.crf ?? 'default'}`);
  if (c.mode !== 'single-mt' && c.threads !== centre.threads) out.push(c.threads === 0 ? 'all threads' : `${c.threads} thread${c.threads === 1 ? '' : 's'}`);
  if (c.workDir !== centre.workDir) out.push(`on ${c.workDir}`);
  if ((c.injectFaults ?? 0) !== (centre.injectFaults ?? 0)) out.push(`${pctOf(c.injectFaults ?? 0)} killed`);
  if ((c.injectStalls ?? 0) !== (centre.injectStalls ?? 0)) out.push(`${pctOf(c.injectStalls ?? 0)} hung`);
  if ((c.speculate ?? 0) !== (centre.speculate ?? 0)) out.push(c.speculate ? `backups at ${c.speculate}×` : 'no backups');
  if ((c.executor ?? 'local') !== (centre.executor ?? 'local')) out.push(c.executor === 'queue' ? 'task queue' : 'local pool');
  if ((c.transport ?? 'shared') !== (centre.transport ?? 'shared')) out.push(c.transport === 'http' ? 'over HTTP' : 'shared files');
  return out;
}

/** "centre", "4 workers", "single", "single · preset faster", "sequential". */
export function shortLabel(c: Config, centre: Config | undefined): string {
  if (!centre) return c.mode;
  const diffs = differences(c, centre);
  if (c.mode === centre.mode) return diffs.length ? diffs.join(' · ') : 'centre';
  return [c.mode, ...diffs].join(' · ');
}

/** Where the chunks are written, in words: `tmp` is the OS temp directory (usually a disk), `tmpfs` memory. */
export function workDirWords(workDir: string): string {
  return ({ tmp: 'chunks in the OS temp dir', disk: 'chunks on disk', tmpfs: 'chunks in memory (tmpfs)' } as Record<string, string>)[workDir] ?? `chunks in ${workDir}`;
}

/** "no filter", "denoise filter". */
const filterWords = (filter: string) => (filter === 'none' ? 'no filter' : `${filter} filter`);
/** "1 thread per ffmpeg", or "ffmpeg threads on every core" for 0 (ffmpeg's own choice). */
const threadWords = (threads: number) => (threads === 0 ? 'ffmpeg threads on every core' : `${threads} thread${threads === 1 ? '' : 's'} per ffmpeg`);

/** The work a configuration does per frame, in the page's words, whatever its mode and worker count:
 * "libx264 veryfast, no filter, 1 thread per ffmpeg, exact split, chunks in the OS temp dir" (the held-out
 * table names with it the work no other configuration measures). */
export function workWords(c: Pick<Config, 'codec' | 'preset' | 'filter' | 'crf' | 'threads' | 'split' | 'workDir'>): string {
  return [`${c.codec} ${c.preset}`, filterWords(c.filter), c.crf === null ? '' : `crf ${c.crf}`, threadWords(c.threads), `${c.split ?? 'no'} split`, workDirWords(c.workDir)].filter(Boolean).join(', ');
}

/** The centre spelled out: "2 workers, 10 s segments, exact split, libx264 veryfast, no filter, 1 thread per ffmpeg, chunks in the OS temp dir". */
export function centreLegend(c: Config): string {
  const parts = [
    c.mode === 'chunked' ? `${c.mode}, ${c.workers} worker${c.workers === 1 ? '' : 's'}` : c.mode,
    c.segmentSeconds !== null ? segmentWords(c.segmentSeconds) : '',
    c.split ? `${c.split} split` : '',
    `${c.codec} ${c.preset}`,
    filterWords(c.filter),
    threadWords(c.threads),
    workDirWords(c.workDir),
    `input ${c.input}`,
  ];
  return parts.filter(Boolean).join(', ');
}

/** What a run's input is, in words a pitch audience needs: its size, rate and length (from the run's own probe)
 * and, for a committed fixture, what kind of picture it is — a synthetic test pattern is not camera footage, and
 * it encodes about twice as slowly as camera footage (docs/performance.md), which changes every speedup. */
export function inputWords(source: { width: number; height: number; fps: number; durationSeconds: number } | undefined, fixtureArgs: readonly string[] | undefined, fixtureDescription: string | undefined): string | null {
  const known = source && [source.width, source.height, source.fps, source.durationSeconds].every((v) => Number.isFinite(v) && v > 0);
  const size = known ? `${source.width}×${source.height}, ${Number(source.fps.toFixed(3))} fps, ${Math.round(source.durationSeconds)} s` : null;
  const lavfi = fixtureArgs?.join(' ') ?? '';
  const kind = /testsrc2/.test(lavfi) ? 'a synthetic test pattern with noise, not camera footage' : /camera-like/.test(fixtureDescription ?? '') ? 'camera-like synthetic content (pan and zoom over a picture, grain, scene cuts)' : null;
  const words = [size, kind].filter(Boolean).join('; ');
  return words || null;
}
