// The headline's sentences about the machine's ceiling (the centre's speedup as a share of the N-way
// ceiling measured in the same rounds), the ceiling itself, the method behind every interval, and what the
// sequential rounds did. A pure function of the summary, used by the "is it faster" section.
import type { Summary } from '../summary/summarize.ts';
import { secondsCi, shareCi as share, timesCi as x, type Estimate } from './format.ts';

export interface CeilingSection {
  /** Sentences for the headline: the share of the ceiling, single-mt, the rounds. */
  headline: string[];
  sentences: string[];
  method: string;
}

export const METHOD_SENTENCE =
  'Every interval on this page is a 95% confidence interval. Speedups and other ratios are geometric means of per-round ratios (the runs were interleaved in rounds) with a paired Student-t interval on the log ratios; wall times are means with a Student-t interval; the fits bootstrap whole rounds. A simulation of this machine\'s noise checks that the ratio intervals cover 93–97% at 4, 5, 6 and 10 rounds (test/stats/coverage.test.ts).';

/** What sequential sampling did for the headline: the rounds it added and why it stopped. */
function sequentialSentence(seq: NonNullable<Summary['sequential']>): string {
  const target = `±${(seq.targetHalfWidth * 100).toFixed(0)}%`;
  const now = `±${((seq.halfWidth ?? 0) * 100).toFixed(1)}%`;
  if (seq.addedRounds > 0) {
    const rounds = `${seq.addedRounds} extra round${seq.addedRounds === 1 ? '' : 's'}`;
    const until = seq.stoppedBecause === 'target met'
      ? `their widest 95% CI (against single or single-mt) was within ${target} (now ${now})`
      : `${seq.stoppedBecause === 'round cap' ? 'the round cap was reached' : `the time budget of ${seq.budgetSeconds} s was spent`}; their widest 95% CI (against single or single-mt) is ${now} against a target of ${target}`;
    return `The headline's configurations got ${rounds} beyond the grid's own, until ${until}.`;
  }
  const why = {
    'target met': `its widest CI was already within ${target}`,
    budget: `the time budget of ${seq.budgetSeconds} s left no room; widest CI ${now}`,
    'round cap': 'the round cap was reached',
  }[seq.stoppedBecause as 'target met' | 'budget' | 'round cap'] ?? 'the grid sets no time budget';
  return `No rounds were added to the headline (${why}).`;
}

/** Where a share of the ceiling lies against 100%. The ceiling is one short chunk's ffmpeg measured beside the
 * runs, so it is noisy and not a strict bound: a share whose interval reaches past 100% is within the noise
 * of it ('within'), and only one whose whole interval is past 100% says the ceiling came out low ('above').
 * Without an interval (one round) the point alone decides, as nothing else is printed. */
export function ceilingPosition(of: Estimate): 'below' | 'within' | 'above' {
  const oneRound = of.n !== undefined && of.n < 2;
  const [lo, hi] = oneRound ? [of.point, of.point] : [of.lo, of.hi];
  return hi <= 1 ? 'below' : lo > 1 ? 'above' : 'within';
}

/** The first screen's clause on the ceiling: "84% [57, 98] of what this machine allows at 2 processes (its
 * ceiling)" only where the whole interval is at or below 100% — "123% of what this machine allows" would
 * contradict itself, so past 100% the words change and the numbers stay, never cut at 100%. */
export function ceilingClause(of: Estimate & { workers: number }): string {
  const allows = `what this machine allows at ${of.workers} processes (its ceiling)`;
  return {
    below: `${share(of)} of ${allows}`,
    within: `within the noise of ${allows}: ${share(of)} of it, the ceiling itself being uncertain`,
    above: `above ${allows} as measured: ${share(of)} of it, the ceiling having come out low in these rounds`,
  }[ceilingPosition(of)];
}

export function ceilingSection(summary: Summary): CeilingSection | null {
  const h = summary.headline;
  const headline: string[] = [];
  if (h?.ofCeiling) {
    const c = h.ofCeiling.ceiling;
    const of = h.ofCeiling;
    const measured = `In the same rounds, ${of.workers} copies of one chunk's ffmpeg run at once did ${x(c)} the work of one alone in the same time: the machine's ${of.workers}-way ceiling at that moment.`;
    const reading = {
      below: `The pipeline reached ${share(of)} of it.`,
      above: `The pipeline's ${x(h.speedup)} is above it (${share(of)}): the ceiling is one short measurement per round, and in these rounds it came out low.`,
      within: `The pipeline's ${x(h.speedup)} is within the noise of it (${share(of)} of the ceiling; the interval includes 100%): the ceiling is one short measurement per round and is itself uncertain.`,
    }[ceilingPosition(of)];
    headline.push(`${measured} ${reading}`);
  }
  if (h?.vsSingleMt) headline.push(`Against one ffmpeg using every core (${h.vsSingleMt.label}), the honest competitor: ${x(h.vsSingleMt)}.`);
  const seq = summary.sequential;
  if (seq && seq.stoppedBecause !== 'no headline') headline.push(sequentialSentence(seq));
  if (!summary.configs.some((c) => c.speedup.single)) return null;
  const sentences = summary.ceilings.length
    ? summary.ceilings.map((c) => `The machine's ${c.workers}-way ceiling over this run: ${x(c.ceiling)} (${c.workers} copies of the centre configuration's ${c.chunkSeconds.toFixed(1)} s chunk at once against one alone, ${c.ceiling.n} rounds; one alone took ${secondsCi({ point: c.aloneMs.mean, lo: c.aloneMs.ci95.lo, hi: c.aloneMs.ci95.hi, n: c.aloneMs.n })}). A speedup's share of it is the speedup divided by the ceiling of its own round.`)
    : []; // without ceiling lines there is nothing to say: speedups are simply not put against a measured limit
  return { headline, sentences, method: METHOD_SENTENCE };
}
