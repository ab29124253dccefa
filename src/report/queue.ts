// "What does the task queue cost?": configurations that differ only in the executor (the local pool vs
// BullMQ jobs on Redis run by queue workers in other processes), a pure function of the stored runs: wall
// time of each with its 95% CI, the queue's cost as a ratio paired by round, the added time per chunk
// (paired difference / chunks, with a t-interval over the rounds), and the enqueue → start wait per chunk.
// Queue runs over the http transport (workers that share nothing but the network, src/transport/) also show
// the bytes each chunk moved — what its ffmpeg read of the source by its own count, and what the coordinator
// served for it, an upper bound (transport/types.ts) — the upload and check times, the link those uploads
// imply (one link for the whole run, transport/costs.ts: the figure the projection uses too), and their cost
// against the same configuration over the shared filesystem, paired by round. Words are the page's job
// (sections/queue.ts).
import { keyWithout } from '../grid/expand.ts';
import type { ResultLine } from '../harness/store.ts';
import { describe, ratioCI, type RatioEstimate } from '../stats/index.ts';
import type { Summary } from '../summary/summarize.ts';
import { measuredLink, type LinkEstimate, type TransferSummary } from '../transport/costs.ts';

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
  /** The link the run's uploads over HTTP imply, over all of them; null when no chunk moved over HTTP. */
  link: LinkEstimate | null;
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
  return { rows, link: measuredLink(results) };
}
