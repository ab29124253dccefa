// "Is it really distributed?": the local pool against the task queue (jobs on a queue, run by worker
// processes apart from the coordinator), from ../queue.ts: the wall time of each, the paired cost, the time
// added per chunk and the wait in the queue; over HTTP, what each chunk moved, in one table whose two counts of
// the source (what ffmpeg read, what the coordinator sent) are reconciled in one sentence. Every cost is
// called slower or faster only where its 95% interval excludes no change; technical names (BullMQ, Redis,
// range requests, ffprobe) stay in the glossary, the sentences use plain words.
import type { LinkEstimate, TransferSummary } from '../../transport/costs.ts';
import { queueSection, type QueueRow, type QueueSection } from '../queue.ts';
import { dotPlot } from '../charts.ts';
import { changeCi, signedCi, valueCi, verdict, type Estimate } from '../format.ts';
import { finding, note, type ReportContext, type Section, type Sentence, type Table } from '../section.ts';

/** "+11.3% [−27.2%, +70.2%] against the local pool, not clearly slower or faster (the interval includes no
 * change)": a cost, and a verdict only where the interval supports one. */
export function costClause(e: Estimate, against: string): string {
  const words = { above: 'slower', below: 'faster', unclear: 'not clearly slower or faster (the interval includes no change)' }[verdict(e)];
  return `${changeCi(e)} against ${against}, ${words}`;
}

/** A wall time in seconds with its interval. */
const wall = (v: { value: number; lo: number; hi: number }) => valueCi(v, 2, ' s');

const kB = (bytes: number) => `${(bytes / 1000).toFixed(bytes < 10_000 ? 1 : 0)} kB`;

/** The summary's answer: where the chunks ran and how they moved, then the paired costs with their verdicts,
 * for a named configuration (one of the study's, not a headline). */
export function answerText(q: QueueSection, short: (full: string) => string): string {
  const http = q.rows.find((r) => r.transport === 'http');
  const row = http ?? (q.rows[0] as QueueRow);
  const how = http
    ? 'taken by separate worker processes that fetch their chunk and upload the result over HTTP, sharing no files with the coordinator'
    : "taken by separate worker processes that read and write the coordinator's files (on one machine; the HTTP transport removes that)";
  const costs = [
    ...(row.ratio ? [{ e: row.ratio, what: 'wall time', against: 'the local pool' }] : []),
    ...(http?.vsShared ? [{ e: http.vsShared, what: 'over HTTP', against: 'shared files' }] : []),
  ];
  // when no interval excludes no change, one verdict for all of them, said once
  const unclear = costs.every((c) => verdict(c.e) === 'unclear');
  const cost = !costs.length
    ? ''
    : unclear
      ? ` For ${short(row.label)}, paired by round, no cost is clear: ${costs.map((c) => `${c.what} ${changeCi(c.e)} against ${c.against}`).join(' and ')} (${costs.length > 1 ? 'both intervals include' : 'the interval includes'} no change).`
      : ` For ${short(row.label)}, paired by round: ${costs.map((c) => `${c.what} ${costClause(c.e, c.against)}`).join('; ')}.`;
  return `Yes, as far as one machine can show: the chunks run as jobs on a task queue, ${how}.${cost}`;
}

/** One row's costs in words: the queue against the local pool, and HTTP against shared files. */
function rowSentences(row: QueueRow, name: string): Sentence[] {
  const how = row.transport === 'http' ? 'over HTTP' : 'with shared files';
  const parts = [`${name}, ${row.chunks} chunks per run, on the task queue ${how}: ${wall(row.queue)} against ${wall(row.local)} in the local pool.`];
  if (row.ratio) parts.push(` Paired over ${row.rounds} rounds: ${costClause(row.ratio, 'the local pool')}`);
  if (row.ratio && row.addedMsPerChunk) parts.push(`; per chunk ${signedCi(row.addedMsPerChunk, 1, ' ms')}`);
  if (row.ratio) parts.push('.');
  if (row.waitMsPerChunk) parts.push(` Waiting in the queue for a worker: ${valueCi(row.waitMsPerChunk, 1, ' ms')} per chunk.`);
  const out = [finding(parts.join(''))];
  if (row.vsShared) {
    const added = row.addedMsPerChunkVsShared ? `; per chunk ${signedCi(row.addedMsPerChunkVsShared, 1, ' ms')}` : '';
    out.push(finding(`${name} over HTTP rather than shared files, paired over ${row.vsShared.n} rounds: ${costClause(row.vsShared, 'shared files')}${added}.`));
  }
  return out;
}

/** The run's one link in words (the figure the projection uses): a straight-line fit of upload time against
 * size, round by round with its 95% interval over the rounds where there are two or more to fit. */
export function linkSentence(link: LinkEstimate): string {
  const where = "This run's network: loopback when the workers ran on this machine.";
  const of = `${link.transfers} uploads`;
  if (link.mbps === null) return `The link: upload times do not grow with size over the run's ${of} (${link.latencyMs.toFixed(1)} ms each), so its bandwidth cannot be read from them. ${where}`;
  if (link.method === 'throughput (intercept clamped to 0)') return `The link: the run's ${of} moved about ${link.mbps.toFixed(0)} Mbit/s (total bytes ÷ total time, no interval: a straight-line fit of time against size found no fixed cost per upload). ${where}`;
  const lat = link.latencyMsCi ? valueCi({ value: link.latencyMs, ...link.latencyMsCi }, 1, ' ms') : `${link.latencyMs.toFixed(1)} ms`;
  const ci = link.mbpsCi;
  const typical = link.average === 'geometric' ? ' in a typical round' : '';
  const mbps = !ci ? `${link.mbps.toFixed(0)} Mbit/s` : ci.hi === null ? `${link.mbps.toFixed(0)} Mbit/s (at least ${ci.lo.toFixed(0)}; these uploads set no upper limit)` : `${link.mbps.toFixed(0)} Mbit/s [${ci.lo.toFixed(0)}, ${ci.hi.toFixed(0)}]${typical}`;
  const how = link.rounds ? `a straight-line fit of upload time against size in each of ${link.rounds} rounds, 95% CI over the rounds` : 'one straight-line fit of upload time against size, no interval: fewer than two rounds could be fitted';
  return `The link, from all ${of} of this run (${how}): ${lat} per upload plus ${mbps}; the projection uses the same figures. ${where}`;
}

/** How the two counts of the source relate, in one sentence — or why there is only one, or none. */
export function readVsSentText(rows: { t: TransferSummary }[]): string {
  const reads = rows.some(({ t }) => t.readBytesPerChunk !== null);
  const sent = rows.some(({ t }) => t.servedBytesPerChunk !== null);
  const partial = rows.filter(({ t }) => t.readBytesPerChunk !== null && t.readChunks < t.chunks);
  const some = partial.length ? ` (not every chunk reported it: ${partial.map(({ t }) => `${t.readChunks} of ${t.chunks}`).join(', ')})` : '';
  if (reads && sent) return `Read by ffmpeg is what each chunk's ffmpeg consumed of the source, by its own count${some}; sent by the coordinator is larger because it also counts read-ahead: the source goes out in windows, and what ffmpeg stopped before consuming was sent but never read. The traffic on the wire is the larger figure; what a chunk needs is the smaller.`;
  if (sent) return "ffmpeg's own count of what it read was not reported: only what the coordinator sent is known, which includes read-ahead and so is an upper bound on what ffmpeg needed.";
  return 'These runs predate the byte counts (issue #17): what each chunk took of the source is not known.';
}

/** The HTTP rows' transfers, per chunk, in one table: both counts of the source side by side. */
function transferTable(rows: { name: string; t: TransferSummary }[]): Table {
  const bytes = (v: number | null) => (v === null ? 'not reported' : kB(v));
  const ms = (value: number, ci: { lo: number; hi: number } | null) => (ci ? valueCi({ value, ...ci }, 1, ' ms') : `${value.toFixed(1)} ms`);
  return {
    caption: `What each chunk moved over HTTP, means per chunk (the times with their 95% CI over the runs). ${readVsSentText(rows)}`,
    head: ['configuration', 'read by ffmpeg', 'sent by the coordinator (with read-ahead)', 'requests', 'uploaded', 'upload time', 'check before the merge'],
    rows: rows.map(({ name, t }) => ({ cells: [`${name} (${t.chunks} chunks over all runs)`, bytes(t.readBytesPerChunk), bytes(t.servedBytesPerChunk), t.fetchRequestsPerChunk.toFixed(1), kB(t.uploadBytesPerChunk), ms(t.uploadMsPerChunk, t.uploadMsCi), ms(t.checkMsPerChunk, t.checkMsCi)] })),
  };
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
  const moved = rows.filter((r) => r.transport === 'http' && r.transfer).map((r) => ({ name: short(r.label), t: r.transfer as TransferSummary }));
  return {
    id: 'queue',
    title: 'Is it really distributed? The task queue',
    answers: first ? { question: 'distributed', text: answerText(q, short) } : undefined,
    sentences: [...rows.flatMap((r) => rowSentences(r, short(r.label))), ...(moved.length && q.link ? [note(linkSentence(q.link))] : [])],
    tables: [
      {
        caption: 'Local pool against task queue: wall time, mean [95% CI]; the queue\'s cost paired by round; time added per chunk and the wait in the queue, ms [95% CI].',
        head: ['configuration', 'transport', 'local pool', 'task queue', 'queue vs local', 'added per chunk', 'queue wait per chunk'],
        rows: rows.map((r) => ({ cells: [short(r.label), r.transport === 'http' ? 'HTTP' : 'shared files', wall(r.local), wall(r.queue), r.ratio ? changeCi(r.ratio) : '—', r.addedMsPerChunk ? signedCi(r.addedMsPerChunk, 1, ' ms') : '—', r.waitMsPerChunk ? valueCi(r.waitMsPerChunk, 1, ' ms') : '—'] })),
      },
      ...(moved.length ? [transferTable(moved)] : []),
    ],
    charts: [{ name: 'queue', title: 'Where chunks run: local pool against the task queue, wall time, mean and 95% CI (each configuration\'s own runs; the paired costs are in the sentences and the table).', spec: dotPlot('Local pool vs task queue', dots, 'wall time (s)') }],
  };
}
