// "What happens if a worker fails?": the fault-injection study (../faults.ts computes it from the stored
// runs) as a section — its sentences, the cost of each fault rate and of speculative backups, and their
// tables. The charts draw the same paired ratios the sentences quote (each run against the baseline run of
// its own round), not each configuration's own unpaired interval: the pairing is what makes them narrow.
import { faultsSection, perFaultCost, perFaultText, type FaultsSection } from '../faults.ts';
import { base, CENTRE_COLOUR, countAxis, dotPlot, OTHER_COLOUR, padded } from '../charts.ts';
import { changeCi, share, timesCi, valueCi, verdict } from '../format.ts';
import { finding, type ChartSpec, type ReportContext, type Section } from '../section.ts';

const wallText = (w: { value: number; lo: number; hi: number }) => `${w.value.toFixed(2)} s [${w.lo.toFixed(2)}, ${w.hi.toFixed(2)}]`;

/** Each fault rate's wall time ÷ the fault-free run of the same round (paired, 95% CI), the fault-free rate
 * at 1× by definition. */
function faultChart(f: FaultsSection, centreLabel: string | undefined): ChartSpec | null {
  const values = f.rows.flatMap((r) => (r.rate === 0 ? [{ rate: 0, value: 1, lo: 1, hi: 1, centre: r.label === centreLabel }] : r.cost ? [{ rate: r.rate, value: r.cost.point, lo: r.cost.lo, hi: r.cost.hi, centre: r.label === centreLabel }] : []));
  // the centre in its colour, as in every chart it appears in
  const colour = { condition: { test: 'datum.centre', value: CENTRE_COLOUR }, value: OTHER_COLOUR };
  const centreNamed = values.some((v) => v.centre);
  if (values.length < 2) return null;
  const x = { field: 'rate', type: 'quantitative', title: 'share of chunks whose ffmpeg is killed', scale: { domain: padded(values.map((v) => v.rate), 0.1), nice: false }, axis: { ...countAxis(values.map((v) => v.rate)), format: '.0%' } };
  const y = (field: string) => ({ field, type: 'quantitative', title: 'wall time ÷ fault-free (×)', scale: { domain: padded([1, ...values.flatMap((v) => [v.lo, v.hi])], 0.1), nice: false, zero: false } });
  return {
    name: 'faults',
    title: `What the injected faults cost (a chunk's ffmpeg killed mid-run, then a retry): each rate's wall time ÷ the fault-free run of the same round, paired by round, mean and 95% CI — the figures the text quotes. The dashed line at 1× is no cost; an interval across it: no cost shown.${centreNamed ? ' The centre in orange.' : ''}`,
    spec: {
      ...base('What a worker failure costs', 220),
      layer: [
        { data: { values: [{ one: 1 }] }, mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { y: { ...y('one'), title: 'wall time ÷ fault-free (×)' } } },
        { data: { values }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color: colour } },
        { data: { values }, mark: { type: 'point', filled: true, size: 90, opacity: 1 }, encoding: { x, y: y('value'), color: colour } },
      ],
    },
  };
}

const stragglerLabel = (r: FaultsSection['stragglers'][number]) => (r.speculate ? `backups at ${r.speculate}×, ${share(r.stalls)} hung` : `timeout only, ${share(r.stalls)} hung`);

/** With speculative backups ÷ without (timeout only), the same stalls, paired by round; the run without at 1×. */
function stragglerChart(f: FaultsSection): ChartSpec | null {
  const dots = f.stragglers.flatMap((r) => (!r.speculate ? [{ label: stragglerLabel(r), value: 1, lo: 1, hi: 1, role: 'other' as const }] : r.vsOff ? [{ label: stragglerLabel(r), value: r.vsOff.point, lo: r.vsOff.lo, hi: r.vsOff.hi, role: 'other' as const }] : []));
  if (dots.length < 2 || dots.every((d) => d.lo === 1 && d.hi === 1)) return null;
  return { name: 'stragglers', title: 'Hung chunks (stragglers): wall time with speculative backups ÷ without (the hung chunk waits for its timeout, 1× by definition), paired by round, mean and 95% CI — the figure the text quotes. Left of the dashed line: backups are faster.', spec: dotPlot('Stragglers: backups against timeout only', dots, 'wall time ÷ timeout only (×)', { reference: 1 }) };
}

/** The summary's answer: what one fault costs (with the rate's paired cost), what backups do for hung chunks,
 * and how many outputs were verified — each cost stated as a cost only where its interval excludes none. */
export function faultsAnswer(f: FaultsSection): string {
  const worst = f.rows.filter((r) => r.rate > 0 && r.cost).at(-1);
  const total = [...f.rows, ...f.stragglers].reduce((s, r) => s + r.runs, 0);
  const verified = `${[...f.rows, ...f.stragglers].reduce((s, r) => s + r.verified, 0)} of ${total} outputs verified`;
  const backups = f.stragglers.filter((s) => s.speculate && s.vsOff).at(-1);
  const backupText = backups?.vsOff ? `With backups for hung chunks runs took ${timesCi(backups.vsOff)} the time of waiting for the timeout, ${{ above: 'slower', below: 'faster', unclear: 'not clearly faster (the interval includes 1×)' }[verdict(backups.vsOff)]}` : '';
  if (!worst?.cost) return `${backupText || `Hung chunks are recovered${f.stragglers.some((s) => s.speculate) ? ' by speculative backups' : ' by their timeout'}`}; ${verified}.`;
  const each = perFaultCost(f.rows);
  const rateCost = `at ${share(worst.rate)} of chunks killed, ${valueCi(worst.perRunCi.faults, 1, '')} faults per run: ${changeCi(worst.cost)} wall time, paired by round`;
  const kills = each
    ? `each fault that struck cost ${perFaultText(each)} of wall time${each.clear ? '' : ', not clearly more than nothing'} (${rateCost})`
    : `${rateCost}${verdict(worst.cost) === 'unclear' ? ', not clearly (the interval includes no change)' : ''}`;
  return `A killed ffmpeg costs a retry, not the run: ${kills}. ${backupText ? `${backupText}; ` : ''}${verified.replace(/^./, (c) => c.toUpperCase())}.`;
}

export function faultsReportSection(ctx: ReportContext): Section | null {
  const f = faultsSection(ctx.results, ctx.summary);
  if (!f) return null;
  return {
    id: 'faults',
    title: 'What happens if a worker fails?',
    answers: { question: 'faults', text: faultsAnswer(f) },
    sentences: f.sentences.map(finding),
    tables: [
      ...(f.rows.length ? [{
        caption: 'Per fault rate: wall time, mean [95% CI]; the paired cost against the fault-free runs of the same rounds [95% CI]; faults, retries and worker time lost per run, mean [95% CI].',
        head: ['fault rate', 'wall time (s)', 'vs fault-free', 'faults / run', 'retries / run', 'worker-s lost / run', 'verified'],
        rows: f.rows.map((r) => ({ cells: [share(r.rate), wallText(r.wall), r.cost ? changeCi(r.cost) : '—', valueCi(r.perRunCi.faults, 1, ''), valueCi(r.perRunCi.retries, 1, ''), valueCi(r.perRunCi.lostWorkerSeconds, 2, ''), `${r.verified} / ${r.runs}`] })),
      }] : []),
      ...(f.stragglers.length ? [{
        caption: 'Stragglers: wall time, mean [95% CI]; against no speculation, paired by round [95% CI].',
        head: ['configuration', 'wall time (s)', 'vs no backups', 'backups / run', 'backups won', 'timeouts / run', 'verified'],
        rows: f.stragglers.map((r) => ({ cells: [stragglerLabel(r), wallText(r.wall), r.vsOff ? timesCi(r.vsOff) : '—', r.backupsPerRun.toFixed(1), String(r.backupsWon), r.timeoutsPerRun.toFixed(1), `${r.verified} / ${r.runs}`] })),
      }] : []),
    ],
    charts: [faultChart(f, ctx.summary.configs.find((c) => c.configId === ctx.summary.centreId)?.label), stragglerChart(f)].filter((c): c is ChartSpec => c !== null),
  };
}
