// "Is it really distributed?": the local pool against the task queue (BullMQ jobs on Redis, run by queue
// workers in other processes), from ../queue.ts: the wall time of each, the paired cost, the time added
// per chunk and the enqueue → start wait.
import { queueSection, type QueueSection } from '../queue.ts';
import { dotPlot } from '../charts.ts';
import { changeCi } from '../format.ts';
import { finding, type ReportContext, type Section } from '../section.ts';

const ci = (v: { value: number; lo: number; hi: number }, digits: number, unit: string) => `${v.value.toFixed(digits)}${unit} [${v.lo.toFixed(digits)}, ${v.hi.toFixed(digits)}]`;

/** The summary's answer: where the chunks ran and how they moved, with the paired cost of the queue. */
function answerText(q: QueueSection): string {
  const http = q.rows.find((r) => r.transport === 'http');
  const row = http ?? (q.rows[0] as QueueSection['rows'][number]);
  const how = http
    ? 'taken by worker processes that fetch their chunk and upload the result over HTTP, sharing no filesystem with the coordinator'
    : "taken by worker processes that read and write the coordinator's filesystem (on one machine; the http transport removes that)";
  const cost = row.ratio ? `: ${changeCi(row.ratio)} wall time against the local pool, paired by round` : '';
  const overHttp = http?.vsShared ? `; HTTP against the shared filesystem ${changeCi(http.vsShared)}` : '';
  return `Yes, as far as one machine can show: the chunks run as jobs on a Redis task queue (BullMQ), ${how}${cost}${overHttp}.`;
}

export function queueReportSection(ctx: ReportContext, q: QueueSection | null = queueSection(ctx.results, ctx.summary)): Section | null {
  if (!q) return null;
  const first = q.rows[0];
  const short = (full: string) => {
    const c = ctx.summary.configs.find((x) => x.label === full);
    return c ? ctx.label(c.configId) : full;
  };
  // an http row and a shared row of the same work share their local pool: draw it once
  const rows = [...q.rows].sort((a, b) => short(a.label).localeCompare(short(b.label)) || b.transport.localeCompare(a.transport)); // shared before http
  const dots = [...new Map(rows.flatMap((r) => [
    [`${short(r.label)} · local pool`, r.local],
    [`${short(r.label)} · queue${r.transport === 'http' ? ' over HTTP' : ''}`, r.queue],
  ] as const)).entries()].map(([label, v]) => ({ label, ...v, role: label.startsWith('centre ·') ? 'centre' as const : 'other' as const }));
  return {
    id: 'queue',
    title: 'Is it really distributed? The task queue',
    answers: first ? { question: 'distributed', text: answerText(q) } : undefined,
    sentences: q.sentences.map(finding),
    tables: [{
      caption: 'Local pool against task queue: wall time (s), mean [95% CI]; the queue\'s cost paired by round; time added per chunk and enqueue → start wait, ms [95% CI].',
      head: ['configuration', 'transport', 'local pool', 'task queue', 'queue vs local', 'added per chunk', 'wait per chunk'],
      rows: q.rows.map((r) => ({ cells: [short(r.label), r.transport === 'http' ? 'HTTP' : 'shared files', ci(r.local, 2, ' s'), ci(r.queue, 2, ' s'), r.ratio ? changeCi(r.ratio) : '—', r.addedMsPerChunk ? ci(r.addedMsPerChunk, 1, ' ms') : '—', r.waitMsPerChunk ? ci(r.waitMsPerChunk, 1, ' ms') : '—'] })),
    }],
    charts: [{ name: 'queue', title: 'Where chunks run: local pool against the task queue, wall time, mean and 95% CI.', spec: dotPlot('Local pool vs task queue', dots, 'wall time (s)') }],
  };
}
