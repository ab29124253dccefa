// Plain-text rendering of one run record for the terminal: the phase table and the verification result.
// A run that failed before its wall time was taken (wallMs 0) has no shares to show: its table lists the
// phases that ran and for how long, and its error comes last, where the eye lands.
import type { Binaries } from '../ffmpeg/binaries.ts';
import type { ChunkRecord, PHASES, RunRecord } from '../pipeline/types.ts';
import type { SegmentChoice } from '../pipeline/segmentAuto.ts';

const pad = (text: string, width: number) => text.padStart(width);

type PhaseName = (typeof PHASES)[number];

const phaseList = (p: RunRecord['phases']): [PhaseName, number][] => [['probe', p.probeMs], ['split', p.splitMs], ['process', p.processMs], ['merge', p.mergeMs], ['verify', p.verifyMs]];

const isWhole = (record: RunRecord) => record.config.mode === 'single' || record.config.mode === 'single-mt';

/** The phases that make up the wall time in this mode (verify never does). */
const wallPhases = (record: RunRecord): PhaseName[] => (isWhole(record) ? ['process'] : ['probe', 'split', 'process', 'merge']);

/** The table of a run with a wall time: every phase, its share of the wall time. */
function timedTable(record: RunRecord): string[] {
  const inWall = wallPhases(record);
  const lines = [`${'phase'.padEnd(10)}${pad('wall ms', 10)}${pad('share', 8)}`];
  for (const [name, ms] of phaseList(record.phases)) {
    const share = inWall.includes(name) && record.wallMs > 0 ? `${((ms / record.wallMs) * 100).toFixed(1)}%` : '—';
    lines.push(`${name.padEnd(10)}${pad(ms.toFixed(0), 10)}${pad(share, 8)}`);
  }
  lines.push(`${'wall'.padEnd(10)}${pad(record.wallMs.toFixed(0), 10)}${pad('100%', 8)}   (${inWall.join(' + ')}; verify is not part of it)`);
  return lines;
}

/** The table of a run that failed before its wall time was taken: the phases that ran, up to the failed
 * one, and how long they took; no shares, since there is no whole to take a share of. */
function untimedTable(record: RunRecord): string[] {
  // in run order; the single modes have no split or merge
  const stages: PhaseName[] = isWhole(record) ? ['probe', 'process', 'verify'] : ['probe', 'split', 'process', 'merge', 'verify'];
  const phases = phaseList(record.phases).filter(([name]) => stages.includes(name));
  const failedAt = phases.findIndex(([name]) => name === record.error?.stage);
  // a stage the table does not know: show what has a time
  const ran = failedAt >= 0 ? phases.slice(0, failedAt + 1) : phases.filter(([, ms]) => ms > 0);
  const lines = [`${'phase'.padEnd(10)}${pad('wall ms', 10)}`];
  for (const [name, ms] of ran) {
    const failed = name === record.error?.stage;
    // a stage that failed before its time was recorded has none to show
    lines.push(`${name.padEnd(10)}${pad(failed && ms === 0 ? '—' : ms.toFixed(0), 10)}${failed ? '   failed here' : ''}`);
  }
  const totalMs = ran.reduce((sum, [, ms]) => sum + ms, 0);
  lines.push(`${'total'.padEnd(10)}${pad(totalMs.toFixed(0), 10)}   (until the failure; a failed run has no wall time, so no shares)`);
  return lines;
}

/** "10 s", "auto: 30 s", or "auto" when the run stopped before choosing. */
function segmentText(record: RunRecord): string {
  const asked = record.config.segmentSeconds;
  if (asked !== 'auto') return `${asked} s`;
  return record.segmentChoice ? `auto: ${Number(record.segmentChoice.segmentSeconds.toFixed(3))} s` : 'auto';
}

/** What `--segment auto` chose, why, and from which numbers. */
function choiceLines(choice: SegmentChoice): string[] {
  const i = choice.inputs;
  const optimum = choice.optimumWaves === null ? 'unbounded' : choice.optimumWaves.toFixed(2);
  return [
    `segment auto: ${choice.reason}`,
    `  model: D = ${i.durationSeconds.toFixed(2)} s, W = ${i.workers}, c = ${i.workSecondsPerVideoSecond.toFixed(3)} s of work per s of video, o = ${(i.perChunkSeconds * 1000).toFixed(0)} ms per chunk, σ = ${i.chunkCv.toFixed(3)}, merge ${(i.serialSecondsPerChunk * 1000).toFixed(1)} ms per chunk, z_W = ${i.expectedMaxNormal.toFixed(3)}; optimum ${optimum} waves (${i.from})`,
  ];
}

/** How the chunks of a failed chunked run ended: done, failed on their own, stopped because of another. */
function chunkTally(record: RunRecord): string {
  const stopped = (c: ChunkRecord) => c.state === 'failed' && (c.attempts ?? []).length > 0 && (c.attempts ?? []).every((a) => a.state === 'cancelled');
  const done = record.chunks.filter((c) => c.state === 'ok').length;
  const stoppedCount = record.chunks.filter(stopped).length;
  const failed = record.chunks.filter((c) => c.state === 'failed').length - stoppedCount;
  const notRun = Math.max(0, record.segments.length - record.chunks.length);
  return `chunks: ${done} of ${record.segments.length} done, ${failed} failed, ${stoppedCount} stopped${notRun ? `, ${notRun} not started` : ''}`;
}

/** The phase table, verification and output lines for one run. */
export function formatRun(record: RunRecord): string {
  const c = record.config;
  const lines: string[] = [];
  const chunks = record.segments.length;
  lines.push(
    c.mode === 'single' || c.mode === 'single-mt'
      ? `${c.mode}: one ffmpeg over the whole file, ${c.codec} ${c.preset}, filter ${c.filter}, ${c.mode === 'single-mt' ? 'all cores' : `${c.threads} thread(s)`}`
      : `${c.mode}: ${c.workers} worker(s), ${chunks} chunk(s) (${c.split} split, ${segmentText(record)}), ${c.codec} ${c.preset}, filter ${c.filter}, ${c.threads} thread(s) per worker`,
  );
  if (record.segmentChoice && !isWhole(record)) {
    lines.push(...choiceLines(record.segmentChoice));
    // the planner snaps the cuts to the source's frames and keyframes, and a copy split may find fewer places
    if (record.segments.length && record.segments.length !== record.segmentChoice.chunks) lines.push(`  the split planned ${record.segments.length} chunk(s), not ${record.segmentChoice.chunks}: cuts snap to the source's frames and keyframes`);
  }
  if (record.splitNote) lines.push(record.splitNote);
  if (record.source) {
    const s = record.source;
    lines.push(`source: ${s.path} (${s.width}x${s.height}, ${s.fps.toFixed(2)} fps${s.variableFrameRate ? ' VFR' : ''}, ${s.frameCount} frames, ${s.durationSeconds.toFixed(2)} s, audio streams: ${s.audioStreams})`);
  }
  // the CPU and overhead totals are taken with the wall time: a run that failed before has neither
  const timed = record.state === 'ok' || record.wallMs > 0;
  lines.push('', ...(timed ? timedTable(record) : untimedTable(record)));
  if (timed) {
    const cores = record.wallMs > 0 ? record.ffmpegCpuMs / record.wallMs : 0;
    lines.push(`ffmpeg CPU ${(record.ffmpegCpuMs / 1000).toFixed(2)} s (${cores.toFixed(2)} cores busy on average); harness overhead ${record.chunks.length ? (record.harnessOverheadMs / record.chunks.length).toFixed(1) : '0'} ms per chunk`);
  }
  if (record.state === 'failed' && !isWhole(record) && record.segments.length) lines.push(chunkTally(record));
  const retried = record.chunks.filter((ch) => (ch.retries ?? 0) > 0);
  const attempts = record.chunks.flatMap((ch) => ch.attempts ?? []);
  const faults = attempts.filter((a) => a.fault?.fired).length;
  const backups = attempts.filter((a) => a.speculative);
  if (retried.length || faults || backups.length) {
    lines.push(`recovery: ${attempts.length} attempts for ${record.chunks.length} chunks; ${faults} injected fault(s) struck; ${retried.length} chunk(s) retried; ${backups.length} speculative backup(s), ${backups.filter((a) => a.state === 'ok').length} won`);
    for (const ch of record.chunks) {
      for (const a of ch.attempts ?? []) {
        if (a.state !== 'ok' || a.speculative) lines.push(`  chunk ${ch.index} attempt ${a.attempt}${a.speculative ? ' (backup)' : ''} on worker ${a.workerId}: ${a.state}${a.reason ? ` (${a.reason})` : ''}${a.fault?.fired ? ` — injected ${a.fault.kind} at ${a.fault.afterMs} ms` : ''}`);
      }
    }
  }
  lines.push('');
  if (record.verification) {
    lines.push(`verification: ${record.verification.ok ? 'OK' : 'FAILED'}`);
    for (const check of record.verification.checks) lines.push(`  ${check.ok ? '✓' : '✗'} ${check.name}: ${check.message}`);
  }
  if (record.state === 'ok') lines.push(`output: ${record.output?.path ?? 'discarded (pass --out FILE to keep it)'} (${((record.output?.bytes ?? 0) / 1e6).toFixed(2)} MB)`);
  lines.push(binaryLine(record.binaries));
  if (record.state === 'failed') lines.push(`run FAILED in ${record.error?.stage ?? 'an unknown stage'}: ${record.error?.message ?? 'no reason recorded'}`);
  return `${lines.join('\n')}\n`;
}

/** Which ffmpeg is measured, in one line: its version line, where it came from and its path (every run's
 * header says it: the build matters more than any flag). */
export function binaryLine(binaries: Binaries): string {
  const { ffmpeg } = binaries;
  return `ffmpeg: ${ffmpeg.version} (${ffmpeg.source === 'env' ? '--ffmpeg/FFMPEG_PATH' : ffmpeg.source}: ${ffmpeg.path})`;
}

/** "harness CPU 7.41 s (its spawner 1.35 s) = 1.33% of 9.3 min elapsed …": chunkbench's own CPU over the
 * session, and its split at the stored runs' wall times: inside them it is the pipeline coordinating its
 * processes (measured as part of every wall time), outside them the instrument's own work. */
export function harnessCpuLine(session: { elapsedMs: number; harnessCpuMs: number; spawnerCpuMs?: number; insideRunsCpuMs?: number }, ffmpegCpuMs: number): string {
  const pct = (ms: number) => `${((100 * ms) / Math.max(1, session.elapsedMs)).toFixed(2)}%`;
  const total = `harness CPU ${(session.harnessCpuMs / 1000).toFixed(2)} s (its spawner ${((session.spawnerCpuMs ?? 0) / 1000).toFixed(2)} s) = ${pct(session.harnessCpuMs)} of ${(session.elapsedMs / 60000).toFixed(1)} min elapsed${ffmpegCpuMs > 0 ? `, ${((100 * session.harnessCpuMs) / ffmpegCpuMs).toFixed(2)}% of ffmpeg's CPU` : ''}`;
  if (session.insideRunsCpuMs === undefined) return total;
  const inside = Math.min(session.insideRunsCpuMs, session.harnessCpuMs);
  return `${total}\n  of which ${pct(session.harnessCpuMs - inside)} outside the runs' wall times (verifying, recording, scheduling, the ceiling) and ${pct(inside)} inside them (the pipeline probing, starting its ffmpegs and merging: part of what each wall time measures)`;
}
