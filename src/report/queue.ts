// "What does the task queue cost?": configurations that differ only in the executor (the local pool vs
// BullMQ jobs on Redis run by queue workers in other processes), a pure function of the stored runs: wall
// time of each with its 95% CI, the queue's cost as a ratio paired by round, the added time per chunk
// (paired difference / chunks, with a t-interval over the rounds), and the enqueue → start wait per chunk.
// Queue runs over the http transport (workers that share nothing but the network, src/transport/) also show
// the bytes each chunk moved — what its ffmpeg read of the source by its own count, and what the coordinator
// served for it, an upper bound (transport/types.ts) — the upload and check times, the link those uploads
// imply, and their cost against the same configuration over the shared filesystem, paired by round.
import { keyWithout } from '../grid/expand.ts';
import type { ResultLine } from '../harness/store.ts';
import { describe, ratioCI, type RatioEstimate } from '../stats/index.ts';
import type { Summary } from '../summary/summarize.ts';
import type { TransferSummary } from '../transport/costs.ts';
import { typographicMinus } from './format.ts';

export interface QueueRow {
  label: string;
  local: { value: number; lo: number; hi: number };
  queue: { value: number; lo: number; hi: number };
  /** Queue wall / local wall, paired by round. */
  ratio: RatioEstimate | null;
  /** (queue − local) wall per chunk, ms, mean over rounds with its 95% CI. */
  addedMsPerChunk: { value: number; lo: number; hi: number } | null;
  /** Enqueue → start per chunk, ms: mean and 95% CI over every chunk of every queued run. */
  waitMsPerChunk: { value: number; lo: number; hi: number } | null;
  chunks: number;
  rounds: number;
  /** How the chunks moved (absent in runs from before the http transport: shared). */
  transport: 'shared' | 'http';
  /** http: bytes and times per chunk (from the run records). */
  transfer: TransferSummary | null;
  /** http: wall time / the same configuration's over the shared filesystem, paired by round. */
  vsShared: RatioEstimate | null;
  /** http: (http − shared) wall per chunk, ms, mean over rounds with its 95% CI. */
  addedMsPerChunkVsShared: { value: number; lo: number; hi: number } | null;
}

export interface QueueSection {
  rows: QueueRow[];
  /** The study in sentences, as `chunkbench` first worded it (kept for callers that read them; the page's
   * section, sections/queue.ts, words the rows itself in plain terms, each verdict by its interval). */
  sentences: string[];
}

const interval = (xs: number[]) => {
  const d = describe(xs);
  return { value: d.mean, lo: d.ci95.lo, hi: d.ci95.hi };
};

export function queueSection(results: ResultLine[], summary: Summary): QueueSection | null {
  const measured = results.filter((l) => !l.warmup && l.state === 'ok');
  const configs = summary.configs.filter((c) => c.wallMs && c.config.mode === 'chunked');
  const rows: QueueRow[] = [];
  const paired = (a: string, b: string) => {
    const byRound = new Map(measured.filter((l) => l.configId === b).map((l) => [l.round, l]));
    return measured.filter((l) => l.configId === a && byRound.has(l.round)).map((l) => [l, byRound.get(l.round) as ResultLine] as const);
  };
  for (const q of configs.filter((c) => c.config.executor === 'queue')) {
    const local = configs.find((c) => (c.config.executor ?? 'local') === 'local' && keyWithout(c.config, 'executor', 'transport') === keyWithout(q.config, 'executor', 'transport'));
    if (!local) continue;
    const pairs = paired(q.configId, local.configId);
    const chunks = pairs[0]?.[0].record?.chunks.length ?? 0;
    const transport = q.config.transport ?? 'shared';
    const shared = transport === 'http' ? configs.find((c) => c.config.executor === 'queue' && (c.config.transport ?? 'shared') === 'shared' && keyWithout(c.config, 'transport') === keyWithout(q.config, 'transport')) : undefined;
    const vsShared = shared ? paired(q.configId, shared.configId) : [];
    const rs = vsShared.length >= 2 ? ratioCI(vsShared.map(([a]) => a.wallMs), vsShared.map(([, b]) => b.wallMs), { paired: true }) : null;
    const waits = measured.filter((l) => l.configId === q.configId).flatMap((l) => l.record?.chunks.map((c) => c.queueWaitMs).filter((w): w is number => w !== undefined) ?? []);
    const r = pairs.length >= 2 ? ratioCI(pairs.map(([a]) => a.wallMs), pairs.map(([, b]) => b.wallMs), { paired: true }) : null;
    rows.push({
      label: local.label,
      local: { value: (local.wallMs?.mean ?? 0) / 1000, lo: (local.wallMs?.ci95.lo ?? 0) / 1000, hi: (local.wallMs?.ci95.hi ?? 0) / 1000 },
      queue: { value: (q.wallMs?.mean ?? 0) / 1000, lo: (q.wallMs?.ci95.lo ?? 0) / 1000, hi: (q.wallMs?.ci95.hi ?? 0) / 1000 },
      ratio: r ? { point: r.point, lo: r.lo, hi: r.hi, n: r.n, method: r.method } : null,
      addedMsPerChunk: pairs.length >= 2 && chunks ? interval(pairs.map(([a, b]) => (a.wallMs - b.wallMs) / chunks)) : null,
      waitMsPerChunk: waits.length >= 2 ? interval(waits) : null,
      chunks,
      rounds: pairs.length,
      transport,
      transfer: q.transfer ?? null,
      vsShared: rs ? { point: rs.point, lo: rs.lo, hi: rs.hi, n: rs.n, method: rs.method } : null,
      addedMsPerChunkVsShared: vsShared.length >= 2 && chunks ? interval(vsShared.map(([a, b]) => (a.wallMs - b.wallMs) / chunks)) : null,
    });
  }
  if (!rows.length) return null;
  const sentences = rows.flatMap((row) => {
    const over = row.transport === 'http' ? ', their bytes over HTTP to and from the coordinator,' : '';
    const parts = [`With ${row.chunks} chunks per run, running them as BullMQ jobs on Redis (queue workers in separate processes)${over} instead of the local pool took ${row.queue.value.toFixed(2)} s [${row.queue.lo.toFixed(2)}, ${row.queue.hi.toFixed(2)}] vs ${row.local.value.toFixed(2)} s [${row.local.lo.toFixed(2)}, ${row.local.hi.toFixed(2)}]`];
    if (row.ratio) parts.push(`, ${row.ratio.point.toFixed(3)}× [${row.ratio.lo.toFixed(3)}, ${row.ratio.hi.toFixed(3)}] paired over ${row.rounds} rounds`);
    if (row.addedMsPerChunk) parts.push(`: ${row.addedMsPerChunk.value.toFixed(1)} ms [${row.addedMsPerChunk.lo.toFixed(1)}, ${row.addedMsPerChunk.hi.toFixed(1)}] per chunk`);
    if (row.waitMsPerChunk) parts.push(`, of which enqueue → start is ${row.waitMsPerChunk.value.toFixed(1)} ms [${row.waitMsPerChunk.lo.toFixed(1)}, ${row.waitMsPerChunk.hi.toFixed(1)}]`);
    return [`${parts.join('')}.`, ...transferSentences(row)].map(typographicMinus);
  });
  return { rows, sentences };
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(bytes < 10_000 ? 1 : 0)} kB`;

/** What a chunk took of the source, in the first sentence and why that count, in the second: ffmpeg's own
 * count when the workers reported it, else the server's (an upper bound, said so); runs from before the
 * two counts (issue #17) have no count to trust. */
function fetched(t: TransferSummary): { what: string; how: string } {
  const requests = `in ${t.fetchRequestsPerChunk.toFixed(1)} range requests`;
  const served = t.servedBytesPerChunk;
  if (t.readBytesPerChunk !== null) {
    const some = t.readChunks < t.chunks ? ` (${t.readChunks} of ${t.chunks} chunks reported it)` : '';
    const bound = served === null ? '' : `; the coordinator served ${kB(served)} per chunk, its answers to open-ended ranges cut to windows: an upper bound on the traffic`;
    return { what: `fetched ${kB(t.readBytesPerChunk)} of the source ${requests}`, how: `Fetched is what each chunk's ffmpeg read, by its own count${some}${bound}.` };
  }
  if (served !== null) return { what: `was served ${kB(served)} of the source ${requests}`, how: 'What ffmpeg read was not reported; what the coordinator served bounds it from above (answers cut to windows).' };
  return { what: `fetched its part of the source ${requests}`, how: 'These runs predate the byte counts of issue #17: what each chunk fetched is not known.' };
}

/** What the http transport moved and cost, per chunk (measured; the link is a fit to the uploads). */
function transferSentences(row: QueueRow): string[] {
  const t = row.transfer;
  if (row.transport !== 'http' || !t) return [];
  const input = fetched(t);
  const out = [`Over the http transport each chunk ${input.what} and uploaded ${kB(t.uploadBytesPerChunk)} in ${t.uploadMsPerChunk.toFixed(1)} ms, checked with ffprobe in ${t.checkMsPerChunk.toFixed(1)} ms before the merge took it (means over ${t.chunks} chunks).`, input.how];
  const link = t.link;
  if (link) out.push(link.mbps === null ? `The uploads show no size effect (${link.transfers} uploads): ${link.latencyMs.toFixed(1)} ms per transfer, bandwidth not measurable here.` : `The uploads imply ${link.latencyMs.toFixed(1)} ms per transfer plus ${link.mbps.toFixed(0)} Mbit/s (${link.method} over ${link.transfers} uploads; this run's network, loopback when the workers ran on this machine).`);
  if (row.vsShared) {
    const added = row.addedMsPerChunkVsShared;
    out.push(`Against the shared filesystem, the http transport took ${row.vsShared.point.toFixed(3)}× [${row.vsShared.lo.toFixed(3)}, ${row.vsShared.hi.toFixed(3)}] the wall time, paired over ${row.vsShared.n} rounds${added ? `: ${added.value.toFixed(1)} ms [${added.lo.toFixed(1)}, ${added.hi.toFixed(1)}] per chunk` : ''}.`);
  }
  return out;
}
