// ffprobe's packet listing, read straight into per-stream columns. probe and verify each list every packet
// of a file; as JSON that is ~1 MB for a 60 s 360p clip (4,600 packets), parsed into an object per packet
// and then regrouped. `-of compact` writes the same facts as `section|key=value|…` lines in half the bytes,
// and this parser fills number arrays with no object per packet: 9 ms of harness CPU per listing instead
// of 19 ms, and half the page faults, which cost ~16 µs each on the 2-core VM (measured on that clip).
import type { StreamPackets } from './probe.ts';

/** A stream line of the listing; numbers where ffprobe's JSON gave numbers, strings otherwise. */
export interface ListedStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  nb_frames?: string;
  nb_read_frames?: string;
  avg_frame_rate?: string;
  /** The display rotation tag, degrees (ffprobe < 5). */
  'tag:rotate'?: string;
  /** The display matrix's rotation, degrees counter-clockwise (stream side data; ffprobe ≥ 5). */
  rotation?: string;
}

/** The format line of the listing. */
export interface ListedFormat {
  format_name?: string;
  start_time?: string;
  duration?: string;
}

/** Everything one `-show_entries packet=…:stream=…:format=…` listing says. */
export interface Listing {
  streams: ListedStream[];
  format: ListedFormat;
  /** Per stream index: its presented packets (flag D left out) in presentation order, times relative to
   * the file's start (the format's start_time). */
  packets: Map<number, StreamPackets>;
}

/** The `-of` option that writes what `parseListing` reads. */
export const LISTING_FORMAT = 'compact';

const INTEGER_KEYS = new Set(['index', 'width', 'height']);
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** A number as `Number()` reads it, without making a string first: digits are gathered into an integer
 * below 2^53 and divided once by an exact power of ten, which rounds exactly as `Number()` does (the
 * exact-division fast path, Clinger 1990). Anything else goes through `Number()`. */
function readNumber(text: string, from: number, to: number): number {
  let i = from;
  const negative = text.charCodeAt(i) === 45; // '-'
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && decimals < 0) {
      decimals = 0; // '.'
      continue;
    }
    if (c < 48 || c > 57 || digits === 15) return Number(text.slice(from, to));
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    if (decimals >= 0) decimals++;
  }
  if (digits === 0) return Number(text.slice(from, to));
  const value = decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
  return negative ? -value : value;
}

/** The key=value fields of a stream or format line (a few per file, so plain strings are fine). */
function fields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of line.split('|').slice(1)) {
    const eq = field.indexOf('=');
    if (eq > 0) out[field.slice(0, eq)] = field.slice(eq + 1);
  }
  return out;
}

function streamOf(line: string): ListedStream {
  const raw: Record<string, string | number> = fields(line);
  for (const key of INTEGER_KEYS) {
    if (raw[key] === undefined) continue;
    const value = Number(raw[key]);
    if (Number.isFinite(value)) raw[key] = value;
    else delete raw[key];
  }
  return raw as unknown as ListedStream;
}

/** Reads a compact listing. Packets without a time (pts, else dts) are left out, as are packets flagged D:
 * they lie outside the MP4 edit list, the demuxer drops them, so they are not frames of the video. */
export function parseListing(text: string): Listing {
  const streams: ListedStream[] = [];
  let format: ListedFormat = {};
  const columns = new Map<number, StreamPackets>();
  const hiddenTimes = new Map<number, number[]>();
  const lastKeyframe = new Map<number, number>();
  const length = text.length;
  let pos = 0;
  while (pos < length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = length;
    if (text.startsWith('packet|', pos)) {
      let stream = NaN;
      let pts = NaN;
      let dts = NaN;
      let duration = NaN;
      let size = 0;
      let keyframe = false;
      let hidden = false;
      let p = pos + 7;
      while (p < end) {
        let bar = text.indexOf('|', p);
        if (bar < 0 || bar > end) bar = end;
        const eq = text.indexOf('=', p);
        if (eq > p && eq < bar) {
          const key = text.charCodeAt(p);
          const keyLength = eq - p;
          const v = eq + 1;
          if (key === 102) {
            // flags=K_, KD, __ …: one capital or '_' per flag (an empty side-data section may follow on the
            // same line, lower case: the flags end there)
            for (let j = v; j < bar; j++) {
              const c = text.charCodeAt(j);
              if (c !== 95 && (c < 65 || c > 90)) break;
              if (c === 75) keyframe = true;
              else if (c === 68) hidden = true;
            }
          } else {
            const value = text.startsWith('N/A', v) ? NaN : readNumber(text, v, bar);
            if (key === 115 && keyLength === 12) stream = value; // stream_index
            else if (key === 112) pts = value; // pts_time
            else if (key === 100 && keyLength === 8) dts = value; // dts_time
            else if (key === 100) duration = value; // duration_time
            else if (key === 115) size = value || 0; // size
          }
        }
        p = bar + 1;
      }
      const time = Number.isNaN(pts) ? dts : pts;
      if (!Number.isNaN(time) && hidden) {
        const times = hiddenTimes.get(stream);
        if (times) times.push(time);
        else hiddenTimes.set(stream, [time]);
      }
      if (!Number.isNaN(time) && !hidden) {
        let list = columns.get(stream);
        if (!list) columns.set(stream, (list = { timesSeconds: [], durationsSeconds: [], sizesBytes: [], keyframe: [], openGop: [] }));
        // packets come in decode order: a frame stored after a keyframe but shown before it belongs to an
        // open GOP, and needs the frames before that keyframe to decode
        const lastKey = lastKeyframe.get(stream);
        if (!keyframe && lastKey !== undefined && time < (list.timesSeconds[lastKey] as number)) (list.openGop as boolean[])[lastKey] = true;
        if (keyframe) lastKeyframe.set(stream, list.timesSeconds.length);
        list.timesSeconds.push(time);
        list.durationsSeconds.push(duration);
        list.sizesBytes.push(size);
        list.keyframe.push(keyframe);
        (list.openGop as boolean[]).push(false);
      }
    } else if (text.startsWith('stream|', pos) || text.startsWith('program|stream|', pos)) {
      streams.push(streamOf(text.slice(text.startsWith('program|', pos) ? pos + 8 : pos, end)));
    } else if (text.startsWith('format|', pos)) {
      format = fields(text.slice(pos, end));
    }
    pos = end + 1;
  }
  // the format line comes last: only now are the times made relative to the file's start
  const start = Number(format.start_time);
  const packets = new Map<number, StreamPackets>();
  for (const [index, list] of columns) {
    const ordered = presentationOrder(list, Number.isFinite(start) ? start : 0);
    // packets an edit list hides before the first frame: a decoder that ignores the edit list (a stream
    // copy into another container) shows them first
    const hiddenHere = hiddenTimes.get(index);
    let before = 0;
    if (hiddenHere) {
      // a loop, not Math.min(...times): an hour of audio packets is more arguments than V8 takes
      let first = Infinity;
      for (const t of list.timesSeconds) if (t < first) first = t;
      before = hiddenHere.filter((t) => t < first).length;
    }
    packets.set(index, before ? { ...ordered, hiddenBefore: before } : ordered);
  }
  // an MPEG-TS listing also prints each program's streams ("program|stream|…", then "stream|…"): the
  // same streams again, which must not count twice (a TS source looked like two audio tracks)
  const byIndex = new Map(streams.map((stream) => [stream.index, stream]));
  return { streams: [...byIndex.values()].sort((a, b) => a.index - b.index), format, packets };
}

/** A stream's packets sorted by presentation time (stable: equal times keep file order), times minus
 * `startSeconds`. */
function presentationOrder(list: StreamPackets, startSeconds: number): StreamPackets {
  const times = list.timesSeconds.map((t) => t - startSeconds);
  // audio, and video without B-frames, are listed in presentation order already
  let sorted = true;
  for (let i = 1; i < times.length && sorted; i++) sorted = (times[i - 1] as number) <= (times[i] as number);
  const open = list.openGop ?? [];
  const withOpen = (l: StreamPackets, openGop: boolean[]): StreamPackets => (openGop.some(Boolean) ? { ...l, openGop } : (({ openGop: _, ...rest }) => rest)(l));
  if (sorted) return withOpen({ ...list, timesSeconds: times }, open);
  const order = times.map((_, i) => i).sort((a, b) => (times[a] as number) - (times[b] as number));
  return withOpen(
    {
      timesSeconds: order.map((i) => times[i] as number),
      durationsSeconds: order.map((i) => list.durationsSeconds[i] as number),
      sizesBytes: order.map((i) => list.sizesBytes[i] as number),
      keyframe: order.map((i) => list.keyframe[i] as boolean),
    },
    order.map((i) => open[i] === true),
  );
}
