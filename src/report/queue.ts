// "What does the task queue cost?": configurations that differ only in the executor (the local pool vs
// BullMQ jobs on Redis run by queue workers in other processes), a pure function of the stored runs: wall
// time of each with its 95% CI, the queue's cost as a ratio paired by round, the added time per chunk
// (paired difference / chunks, with a t-interval over the rounds), and the enqueue → start wait per chunk.
import { keyWithout } from '../grid/expand.ts';
import type { ResultLine } from '../harness/store.ts';
import { describe, ratioCI, type RatioEstimate } from '../stats/index.ts';
import type { Summary } from '../summary/summarize.ts';

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
}

export interface QueueSection {
  rows: QueueRow[];
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
  for (const q of configs.filter((c) => c.config.executor === 'queue')) {
    const local = configs.find((c) => (c.config.executor ?? 'local') === 'local' && keyWithout(c.config, 'executor') === keyWithout(q.config, 'executor'));
    if (!local) continue;
    const localByRound = new Map(measured.filter((l) => l.configId === local.configId).map((l) => [l.round, l]));
    const pairs = measured.filter((l) => l.configId === q.configId && localByRound.has(l.round)).map((l) => [l, localByRound.get(l.round) as ResultLine] as const);
    const chunks = pairs[0]?.[0].record?.chunks.length ?? 0;
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
    });
  }
  if (!rows.length) return null;
  const sentences = rows.map((row) => {
    const parts = [`With ${row.chunks} chunks per run, running them as BullMQ jobs on Redis (queue workers in separate processes) instead of the local pool took ${row.queue.value.toFixed(2)} s [${row.queue.lo.toFixed(2)}, ${row.queue.hi.toFixed(2)}] vs ${row.local.value.toFixed(2)} s [${row.local.lo.toFixed(2)}, ${row.local.hi.toFixed(2)}]`];
    if (row.ratio) parts.push(`, ${row.ratio.point.toFixed(3)}× [${row.ratio.lo.toFixed(3)}, ${row.ratio.hi.toFixed(3)}] paired over ${row.rounds} rounds`);
    if (row.addedMsPerChunk) parts.push(`: ${row.addedMsPerChunk.value.toFixed(1)} ms [${row.addedMsPerChunk.lo.toFixed(1)}, ${row.addedMsPerChunk.hi.toFixed(1)}] per chunk`);
    if (row.waitMsPerChunk) parts.push(`, of which enqueue → start is ${row.waitMsPerChunk.value.toFixed(1)} ms [${row.waitMsPerChunk.lo.toFixed(1)}, ${row.waitMsPerChunk.hi.toFixed(1)}]`);
    return `${parts.join('')}.`;
  });
  return { rows, sentences };
}
