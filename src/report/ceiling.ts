// The report's "against the machine's ceiling" section and headline sentences: every speedup raw and as a
// share of the N-way ceiling measured in the same rounds, the method behind every interval, and what the
// sequential rounds did. A pure function of the summary.
import type { RatioEstimate } from '../stats/index.ts';
import type { Summary } from '../summary/summarize.ts';

// one round gives a point and no interval: say so rather than print [x, x] as if it were exact
const x = (r: RatioEstimate) => `${r.point.toFixed(2)}× ${r.n < 2 ? '(1 round, no CI)' : `[${r.lo.toFixed(2)}, ${r.hi.toFixed(2)}]`}`;
const share = (r: RatioEstimate) => `${(r.point * 100).toFixed(0)}% ${r.n < 2 ? '(1 round, no CI)' : `[${(r.lo * 100).toFixed(0)}, ${(r.hi * 100).toFixed(0)}]`}`;

export interface CeilingSection {
  /** Sentences for the headline: the share of the ceiling, single-mt, the rounds. */
  headline: string[];
  sentences: string[];
  rows: { label: string; speedup: string; ofCeiling: string; vsSingleMt: string; centre: boolean }[];
  method: string;
}

export const METHOD_SENTENCE =
  'Every interval on this page is a 95% confidence interval. Speedups and other ratios are geometric means of per-round ratios (the runs were interleaved in rounds) with a paired Student-t interval on the log ratios; wall times are means with a Student-t interval; the fits bootstrap whole rounds. A simulation of this machine\'s noise checks that the ratio intervals cover 93–97% at 5 and 10 rounds (test/stats/coverage.test.ts).';

export function ceilingSection(summary: Summary): CeilingSection | null {
  const h = summary.headline;
  const headline: string[] = [];
  if (h?.ofCeiling) {
    const c = h.ofCeiling.ceiling;
    const of = h.ofCeiling;
    const measured = `In the same rounds, ${of.workers} copies of one chunk's ffmpeg run at once did ${x(c)} the work of one alone in the same time: the machine's ${of.workers}-way ceiling at that moment.`;
    const reading =
      of.hi < 1
        ? `The pipeline reached ${share(of)} of it.`
        : of.lo > 1
          ? `The pipeline's ${x(h.speedup)} is above it (${share(of)}): the ceiling is one short measurement per round, and in these rounds it came out low.`
          : `The pipeline's ${x(h.speedup)} is within the noise of it (${share(of)} of the ceiling; the interval includes 100%): the ceiling is one short measurement per round and is itself uncertain.`;
    headline.push(`${measured} ${reading}`);
  }
  if (h?.vsSingleMt) headline.push(`Against one ffmpeg using every core (${h.vsSingleMt.label}), the honest competitor: ${x(h.vsSingleMt)}.`);
  const seq = summary.sequential;
  if (seq && seq.stoppedBecause !== 'no headline') {
    headline.push(
      seq.addedRounds > 0
        ? `The headline's configurations got ${seq.addedRounds} extra round${seq.addedRounds === 1 ? '' : 's'} beyond the grid's own, until ${seq.stoppedBecause === 'target met' ? `their widest 95% CI (against single or single-mt) was within ±${(seq.targetHalfWidth * 100).toFixed(0)}% (now ±${((seq.halfWidth ?? 0) * 100).toFixed(1)}%)` : `${seq.stoppedBecause === 'round cap' ? 'the round cap was reached' : `the time budget of ${seq.budgetSeconds} s was spent`}; their widest 95% CI (against single or single-mt) is ±${((seq.halfWidth ?? 0) * 100).toFixed(1)}% against a target of ±${(seq.targetHalfWidth * 100).toFixed(0)}%`}.`
        : `No rounds were added to the headline (${seq.stoppedBecause === 'target met' ? `its widest CI was already within ±${(seq.targetHalfWidth * 100).toFixed(0)}%` : seq.stoppedBecause === 'budget' ? `the time budget of ${seq.budgetSeconds} s left no room; widest CI ±${((seq.halfWidth ?? 0) * 100).toFixed(1)}%` : seq.stoppedBecause === 'round cap' ? 'the round cap was reached' : 'the grid sets no time budget'}).`,
    );
  }
  const rows = summary.configs
    .filter((c) => c.speedup.single)
    .map((c) => ({
      label: c.label,
      speedup: c.speedup.single ? x(c.speedup.single) : '—',
      ofCeiling: c.ofCeiling ? `${share(c.ofCeiling)} of ${c.ofCeiling.workers}-way` : '—',
      vsSingleMt: c.speedup['single-mt'] ? x(c.speedup['single-mt']) : '—',
      centre: c.configId === summary.centreId,
    }));
  if (!rows.length) return null;
  const sentences = summary.ceilings.length
    ? summary.ceilings.map((c) => `The machine's ${c.workers}-way ceiling over this run: ${x(c.ceiling)} (${c.workers} copies of the centre configuration's ${c.chunkSeconds.toFixed(1)} s chunk at once against one alone, ${c.ceiling.n} rounds; one alone took ${(c.aloneMs.mean / 1000).toFixed(2)} s). A speedup's share of it is the speedup divided by the ceiling of its own round.`)
    : ['This run has no ceiling measurements (stored before they existed, or a one-core machine): speedups are raw.'];
  return { headline, sentences, rows, method: METHOD_SENTENCE };
}
