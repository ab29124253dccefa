// The work of `chunkbench check` (`npm run check`; flags in ../commands/check.ts): the CI gate. Runs the
// `ci` grid (single and chunked w2, with the machine's 2-way ceiling in every round), adds rounds to the same sample until the sequential test in check/gate.ts
// decides or the round cap is reached, and compares the schedule's efficiency with the baseline
// (experiments/baselines/ci.json) and the speedup's share of the ceiling with a floor. Exit 1 on a
// regression or a failed run; 0 on no change, an improvement, or an inconclusive verdict (a runner whose
// ceiling is too low to judge — printed loudly).
import { baselineFrom, baselineFromStored, mismatches, mixedBecause, readBaseline, readStoredSession, unusableBecause, writeBaseline, type BaselineFile } from '../../check/baseline.ts';
import { decide, EFFICIENCY_FLOOR, gateSample, MIN_CEILING, pooledSample, SHARE_FLOOR, type GateDecision, type GateSample } from '../../check/gate.ts';
import { ChunkbenchError } from '../../errors.ts';
import { resolveBinaries } from '../../ffmpeg/binaries.ts';
import { executeExperiment, prepareExperiment, type Prepared } from '../../harness/experiment.ts';
import { createProgress } from '../../harness/progress.ts';
import { headlinePlan } from '../../harness/sequential.ts';
import { findRunDir, machineInfo } from '../../harness/store.ts';
import type { RatioEstimate } from '../../stats/index.ts';
import { exitWithError, interruptController } from '../common.ts';
import type { CheckArgs } from '../commands/check.ts';
import { binaryLine } from '../format.ts';

const x = (r: RatioEstimate) => `${r.point.toFixed(3)} [${r.lo.toFixed(3)}, ${r.hi.toFixed(3)}]`;
const signed = (r: RatioEstimate) => `${r.point >= 1 ? '+' : ''}${((r.point - 1) * 100).toFixed(1)}% [${((r.lo - 1) * 100).toFixed(1)}, ${((r.hi - 1) * 100).toFixed(1)}]`;

function table(sample: GateSample, baseline: BaselineFile | null, decision: GateDecision): string {
  const shareLow = sample.share.hi < SHARE_FLOOR;
  const rows = [
    ['schedule efficiency', baseline ? baseline.figures.efficiency.point.toFixed(3) : `floor ${EFFICIENCY_FLOOR}`, x(sample.efficiency), decision.change ? signed(decision.change) : '—', shareLow || decision.verdict === 'inconclusive' ? 'see below' : decision.verdict.toUpperCase()],
    ['share of the ceiling', baseline ? baseline.figures.share.point.toFixed(3) : '—', x(sample.share), '', shareLow ? `BELOW ITS FLOOR ${SHARE_FLOOR}` : `floor ${SHARE_FLOOR}`],
    ['speedup w2 vs single', baseline ? baseline.figures.speedup.point.toFixed(3) : '—', x(sample.speedup), '', 'not judged: moves with the machine'],
    ['2-way ceiling', baseline ? baseline.figures.ceiling.point.toFixed(3) : '—', x(sample.ceiling), '', `the machine now (≥ ${MIN_CEILING} to judge)`],
  ];
  const head = ['metric', 'baseline', `now [95% CI], ${sample.rounds.length} rounds`, 'change [95% CI]', 'verdict'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/** Runs the gate (or writes a baseline); the exit code is the verdict. */
export async function run(argv: CheckArgs): Promise<void> {
  try {
    if (argv['from-runs']) {
      // a baseline from stored sessions: nothing is measured
      const binaries = await resolveBinaries();
      const machine = machineInfo();
      const sessions = argv['from-runs'].map((run) => {
        const session = readStoredSession(findRunDir(run));
        const why = unusableBecause(session, argv.grid, machine, binaries.ffmpeg.version);
        if (why) throw new ChunkbenchError(`--from-runs ${run}: cannot go into a baseline: ${why}; give runs of unchanged code on this machine (every check stores its session under reports/)`);
        return session;
      });
      const mixed = mixedBecause(sessions);
      if (mixed) throw new ChunkbenchError(`--from-runs: ${mixed}; give runs of one commit and one grid`);
      const written = baselineFromStored(sessions);
      writeBaseline(argv.baseline, written);
      const all = pooledSample(sessions.map((s) => s.sample as GateSample));
      console.log(`baseline written to ${argv.baseline} from ${sessions.length} stored session(s) over ${(written.sessionsSpanMinutes ?? 0).toFixed(0)} min: schedule efficiency ${x(all.efficiency)}, share of the ceiling ${x(all.share)}, speedup ${x(all.speedup)}, ceiling ${x(all.ceiling)} over ${all.rounds.length} rounds`);
      process.exit(0);
    }
    // the baseline is read (and validated) before anything is measured
    const existing = argv['update-baseline'] ? null : readBaseline(argv.baseline);
    const prepared = await prepareExperiment({ grid: argv.grid });
    const { meta } = prepared;
    const found = headlinePlan(meta, meta.machine.cores);
    if (!found?.ceilingId || !found.baselines.some((b) => b.name === 'single')) {
      throw new ChunkbenchError(`--grid ${argv.grid}: the gate needs a chunked centre with at least 2 workers, its single baseline, and 2 cores for the ceiling; this grid or machine has ${found ? 'no ceiling to measure' : 'no such centre'}`);
    }
    const plan = found;
    if (meta.grid.repeats > argv['max-rounds']) throw new ChunkbenchError(`--max-rounds ${argv['max-rounds']}: the grid ${argv.grid} already runs ${meta.grid.repeats} rounds; give at least that`);
    const differs = existing ? mismatches(existing, meta.machine, meta.binaries.ffmpeg.version) : [];
    if (!argv.quiet && !argv.json) process.stderr.write(`check ${meta.runId}: grid ${argv.grid}\n${binaryLine(meta.binaries)}\n`);
    const baseline = differs.length ? null : existing;

    const { controller } = interruptController();
    /** One session of the ci grid: rounds added until the test decides (or, for a baseline, to the cap). */
    async function session(prepared: Prepared, maxRounds: number, toTheCap: boolean) {
      let decision: GateDecision | null = null;
      let sample: GateSample | null = null;
      const { interrupted, results } = await executeExperiment(prepared, controller.signal, createProgress(process.stderr, argv.quiet || argv.json), undefined, {
        ids: plan.ids,
        decide: ({ lines, ceilings }, rounds) => {
          sample = gateSample(plan, lines, ceilings);
          const final = rounds >= maxRounds;
          if (!sample) return final;
          decision = decide(sample, baseline?.efficiency ?? null, argv.tolerance, final);
          return final || (!toTheCap && decision.verdict !== 'undecided');
        },
      });
      if (interrupted) process.exit(130);
      const failedRuns = results.filter((l) => !l.warmup && (l.state !== 'ok' || !l.record?.verification?.ok));
      const finalSample = sample as GateSample | null;
      const finalDecision = decision as GateDecision | null;
      if (!finalSample || !finalDecision) throw new ChunkbenchError(`run ${prepared.meta.runId}: fewer than two rounds with single, chunked and the ceiling all successful; nothing to judge`);
      return { failedRuns, finalSample, finalDecision };
    }

    if (argv['update-baseline']) {
      // a baseline averages several sessions, so that one short calm or busy spell weighs less; they run
      // back to back, so the comparison still counts a whole session's drift for it (SESSION_SD_LOG)
      const perSession = Math.max(meta.grid.repeats, Math.ceil(argv['max-rounds'] / 2));
      const samples: GateSample[] = [];
      let failed = 0;
      for (let k = 0; k < argv['baseline-sessions']; k++) {
        const next = k === 0 ? prepared : await prepareExperiment({ grid: argv.grid });
        const { finalSample, failedRuns } = await session(next, perSession, true);
        samples.push(finalSample);
        failed += failedRuns.length;
        if (!argv.quiet) process.stderr.write(`baseline session ${k + 1}/${argv['baseline-sessions']} (${next.meta.runId}): schedule efficiency ${x(finalSample.efficiency)}\n`);
      }
      const all = pooledSample(samples);
      // a baseline is only as good as the runs behind it: none is written from failed runs or a saturated machine
      if (failed) throw new ChunkbenchError(`--update-baseline: ${failed} run(s) failed; no baseline written`);
      if (all.ceiling.point < MIN_CEILING) throw new ChunkbenchError(`--update-baseline: this machine's 2-way ceiling is ${x(all.ceiling)}, below ${MIN_CEILING}: it cannot show parallelism now, so no baseline was written; try again when it is less busy`);
      const written = baselineFrom(samples, { grid: argv.grid, commit: meta.commit, machine: meta.machine, ffmpegVersion: meta.binaries.ffmpeg.version });
      writeBaseline(argv.baseline, written);
      console.log(`baseline written to ${argv.baseline}: schedule efficiency ${x(all.efficiency)}, share of the ceiling ${x(all.share)}, speedup ${x(all.speedup)}, ceiling ${x(all.ceiling)} over ${all.rounds.length} rounds in ${samples.length} session(s)`);
      process.exit(0);
    }

    const { failedRuns, finalSample, finalDecision } = await session(prepared, argv['max-rounds'], false);
    const regressed = finalDecision.verdict === 'regressed';
    const ok = !regressed && failedRuns.length === 0;
    if (argv.json) {
      console.log(JSON.stringify({ ok, verdict: finalDecision.verdict, reason: finalDecision.reason, change: finalDecision.change, runId: meta.runId, rounds: finalSample.rounds.length, efficiency: finalSample.efficiency, share: finalSample.share, speedup: finalSample.speedup, ceiling: finalSample.ceiling, baseline: baseline ? { createdAt: baseline.createdAt, efficiency: baseline.figures.efficiency } : null, mismatches: differs, failedRuns: failedRuns.map((l) => ({ seq: l.seq, label: l.label, error: l.error ?? 'verification failed' })) }));
    } else {
      console.log(table(finalSample, baseline, finalDecision));
      console.log(`${finalDecision.verdict.toUpperCase()}: ${finalDecision.reason}`);
      if (!existing) console.log(`no baseline at ${argv.baseline}: judged against the floor only (write one with --update-baseline)`);
      else if (differs.length) console.log(`WARNING: the baseline was measured elsewhere (${differs.join('; ')}): judged against the floor only`);
      else console.log(`baseline from ${existing.createdAt.slice(0, 10)} (${existing.efficiency.n} rounds in ${existing.efficiency.sessions} session(s), commit ${existing.commit ?? '?'}); run ${meta.runId}`);
      if (finalDecision.verdict === 'inconclusive') console.log(`INCONCLUSIVE — THIS RUNNER CANNOT JUDGE PARALLELISM NOW: its 2-way ceiling is ${x(finalSample.ceiling)}; nothing was judged (exit 0)`);
      for (const l of failedRuns) console.log(`FAILED run ${l.seq} (${l.label}): ${l.error ?? 'verification failed'}`);
      console.log(ok ? 'check passed' : `check FAILED: ${[regressed ? 'a regression' : '', failedRuns.length ? `${failedRuns.length} failed run(s)` : ''].filter(Boolean).join(' and ')}`);
    }
    process.exitCode = ok ? 0 : 1;
  } catch (error) {
    exitWithError(error);
  }
}
