// "What happens if a worker fails?": the fault-injection study (../faults.ts computes it from the stored
// runs) as a section — its sentences, the wall time against the fault rate, the straggler study's
// configurations with and without speculative backups, and their tables.
import { faultsSection, type FaultsSection } from '../faults.ts';
import { base, countAxis, dotPlot, OTHER_COLOUR, padded } from '../charts.ts';
import { changeCi, share, timesCi, verdict } from '../format.ts';
import { finding, type ChartSpec, type ReportContext, type Section } from '../section.ts';

const wallText = (w: { value: number; lo: number; hi: number }) => `${w.value.toFixed(2)} s [${w.lo.toFixed(2)}, ${w.hi.toFixed(2)}]`;

function faultChart(f: FaultsSection): ChartSpec | null {
  if (f.rows.length < 2) return null;
  const values = f.rows.map((r) => ({ rate: r.rate, ...r.wall }));
  const x = { field: 'rate', type: 'quantitative', title: 'share of chunks whose ffmpeg is killed', scale: { domain: padded(values.map((v) => v.rate), 0.1), nice: false }, axis: { ...countAxis(values.map((v) => v.rate)), format: '.0%' } };
  const y = (field: string) => ({ field, type: 'quantitative', title: 'wall time (s)', scale: { domain: padded(values.flatMap((v) => [v.lo, v.hi]), 0.1), nice: false, zero: false } });
  return {
    name: 'faults',
    title: 'Wall time against the injected fault rate (SIGKILL of a chunk\'s ffmpeg mid-run, then a retry), mean and 95% CI.',
    spec: { ...base('What a worker failure costs', 220), data: { values }, layer: [{ mark: { type: 'rule', strokeWidth: 2, color: OTHER_COLOUR }, encoding: { x, y: y('lo'), y2: { field: 'hi' } } }, { mark: { type: 'point', filled: true, size: 90, color: OTHER_COLOUR, opacity: 1 }, encoding: { x, y: y('value') } }] },
  };
}

function stragglerChart(f: FaultsSection): ChartSpec | null {
  if (f.stragglers.length < 2) return null;
  const dots = f.stragglers.map((r) => ({ label: r.speculate ? `backups at ${r.speculate}×, ${share(r.stalls)} hung` : `timeout only, ${share(r.stalls)} hung`, ...r.wall, role: 'other' as const }));
  return { name: 'stragglers', title: 'Hung chunks (stragglers): wall time with and without speculative backups, mean and 95% CI.', spec: dotPlot('Stragglers: backups on and off', dots, 'wall time (s)') };
}

export function faultsReportSection(ctx: ReportContext): Section | null {
  const f = faultsSection(ctx.results, ctx.summary);
  if (!f) return null;
  const worst = f.rows.filter((r) => r.rate > 0 && r.cost).at(-1);
  const total = [...f.rows, ...f.stragglers].reduce((s, r) => s + r.runs, 0);
  const verified = [...f.rows, ...f.stragglers].reduce((s, r) => s + r.verified, 0);
  const answer = worst?.cost
    ? `A killed ffmpeg costs a retry, not the run: at ${share(worst.rate)} of chunks killed the wall time changes by ${changeCi(worst.cost)}${verdict(worst.cost) === 'unclear' ? ', not clearly (the interval includes no change)' : ''}; ${verified} of ${total} outputs verified.`
    : `Hung chunks are recovered${f.stragglers.some((s) => s.speculate) ? ' by speculative backups' : ' by their timeout'}; ${verified} of ${total} outputs verified.`;
  return {
    id: 'faults',
    title: 'What happens if a worker fails?',
    answers: { question: 'faults', text: answer },
    sentences: f.sentences.map(finding),
    tables: [
      ...(f.rows.length ? [{
        caption: 'Per fault rate: wall time, mean [95% CI]; the paired cost against the fault-free runs of the same rounds [95% CI]; faults, retries and worker time lost per run.',
        head: ['fault rate', 'wall time (s)', 'vs fault-free', 'faults / run', 'retries / run', 'worker-s lost / run', 'verified'],
        rows: f.rows.map((r) => ({ cells: [share(r.rate), wallText(r.wall), r.cost ? changeCi(r.cost) : '—', r.faultsPerRun.toFixed(1), r.retriesPerRun.toFixed(1), r.lostWorkerSeconds.toFixed(2), `${r.verified} / ${r.runs}`] })),
      }] : []),
      ...(f.stragglers.length ? [{
        caption: 'Stragglers: wall time, mean [95% CI]; against no speculation, paired by round [95% CI].',
        head: ['configuration', 'wall time (s)', 'vs no backups', 'backups / run', 'backups won', 'timeouts / run', 'verified'],
        rows: f.stragglers.map((r) => ({ cells: [r.speculate ? `backups at ${r.speculate}×, ${share(r.stalls)} hung` : `timeout only, ${share(r.stalls)} hung`, wallText(r.wall), r.vsOff ? timesCi(r.vsOff, 3) : '—', r.backupsPerRun.toFixed(1), String(r.backupsWon), r.timeoutsPerRun.toFixed(1), `${r.verified} / ${r.runs}`] })),
      }] : []),
    ],
    charts: [faultChart(f), stragglerChart(f)].filter((c): c is ChartSpec => c !== null),
  };
}
