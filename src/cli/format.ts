// Plain-text rendering of one run record for the terminal: the phase table and the verification result.
import type { RunRecord } from '../pipeline/types.ts';

const pad = (text: string, width: number) => text.padStart(width);

/** The phase table, verification and output lines for one run. */
export function formatRun(record: RunRecord): string {
  const c = record.config;
  const lines: string[] = [];
  const chunks = record.segments.length;
  lines.push(
    c.mode === 'single' || c.mode === 'single-mt'
      ? `${c.mode}: one ffmpeg over the whole file, ${c.codec} ${c.preset}, filter ${c.filter}, ${c.mode === 'single-mt' ? 'all cores' : `${c.threads} thread(s)`}`
      : `${c.mode}: ${c.workers} worker(s), ${chunks} chunk(s) (${c.split} split, ${c.segmentSeconds} s), ${c.codec} ${c.preset}, filter ${c.filter}, ${c.threads} thread(s) per worker`,
  );
  if (record.source) {
    const s = record.source;
    lines.push(`source: ${s.path} (${s.width}x${s.height}, ${s.fps.toFixed(2)} fps${s.variableFrameRate ? ' VFR' : ''}, ${s.frameCount} frames, ${s.durationSeconds.toFixed(2)} s, audio streams: ${s.audioStreams})`);
  }
  lines.push('', `${'phase'.padEnd(10)}${pad('wall ms', 10)}${pad('share', 8)}`);
  const p = record.phases;
  const wall = record.wallMs || 1;
  const inWall = c.mode === 'single' || c.mode === 'single-mt' ? ['process'] : ['probe', 'split', 'process', 'merge'];
  for (const [name, ms] of [['probe', p.probeMs], ['split', p.splitMs], ['process', p.processMs], ['merge', p.mergeMs], ['verify', p.verifyMs]] as const) {
    const share = inWall.includes(name) ? `${((ms / wall) * 100).toFixed(1)}%` : '—';
    lines.push(`${name.padEnd(10)}${pad(ms.toFixed(0), 10)}${pad(share, 8)}`);
  }
  lines.push(`${'wall'.padEnd(10)}${pad(record.wallMs.toFixed(0), 10)}${pad('100%', 8)}   (${inWall.join(' + ')}; verify is not part of it)`);
  const cpuShare = record.wallMs > 0 ? record.ffmpegCpuMs / record.wallMs : 0;
  lines.push(`ffmpeg CPU ${(record.ffmpegCpuMs / 1000).toFixed(2)} s (${cpuShare.toFixed(2)} cores busy on average); harness overhead ${record.chunks.length ? (record.harnessOverheadMs / record.chunks.length).toFixed(1) : '0'} ms per chunk`);
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
  if (record.state === 'failed') lines.push(`run FAILED in ${record.error?.stage}: ${record.error?.message}`);
  else lines.push(`output: ${record.output?.path ?? 'discarded (pass --out FILE to keep it)'} (${((record.output?.bytes ?? 0) / 1e6).toFixed(2)} MB)`);
  lines.push(`ffmpeg: ${record.binaries.ffmpeg.path} (${record.binaries.ffmpeg.source})`);
  return `${lines.join('\n')}\n`;
}
