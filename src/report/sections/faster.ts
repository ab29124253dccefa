// "Is it faster, and by how much?": the headline, declared in advance — the grid's centre (its `fixed`
// settings) against `single` (one ffmpeg, the same thread limit) and `single-mt` (one ffmpeg on every
// core). Every other configuration is compared with the centre, paired by round, never promoted over it:
// picking the fastest of many noisy configurations would be a selection its interval does not allow for.
import { pairedWallRatio } from '../context.ts';
import { ceilingClause, ceilingSection } from '../ceiling.ts';
import { shareCi, timesCi, verdict, wallCi } from '../format.ts';
import { finding, note, warn, type ReportContext, type Section, type Table } from '../section.ts';

/** The headline's sentence about single-mt: a claim only where the interval excludes 1×. */
export function vsSingleMtClause(r: { point: number; lo: number; hi: number; n?: number }): string {
  const v = verdict(r);
  return v === 'above' ? `${timesCi(r)}, faster` : v === 'below' ? `${timesCi(r)}, slower` : `${timesCi(r)}, not clearly faster (the interval includes 1×)`;
}

export function fasterSection(ctx: ReportContext): Section | null {
  const h = ctx.summary.headline;
  if (!h || !ctx.centre) return null;
  // "is 1.26× [0.85, 1.85] not clearly faster than" reads as a typo: the unclear case gets its own clause
  const relation = { above: 'faster than', below: 'slower than', unclear: 'against' }[verdict(h.speedup)];
  const unclear = verdict(h.speedup) === 'unclear' ? ', not clearly faster (the interval includes 1×)' : '';
  const sentences = [
    finding(`The centre configuration, declared in the grid before any run, is ${timesCi(h.speedup)} ${relation} one ffmpeg with the same thread limit (95% CI, paired over ${h.speedup.n} rounds)${unclear}: ${wallCi(h.before.wallMs)} → ${wallCi(h.after.wallMs)}. This is the speedup everywhere on this page.`),
  ];
  if (h.vsSingleMt) {
    const text = `Against one ffmpeg using every core (its own threading, the honest competitor): ${vsSingleMtClause(h.vsSingleMt)}.`;
    sentences.push(verdict(h.vsSingleMt) === 'above' ? finding(text) : warn(text));
  }
  const ceiling = ceilingSection(ctx.summary);
  for (const s of ceiling?.headline ?? []) if (!s.startsWith('Against one ffmpeg')) sentences.push(note(s));

  const wall = (id: string) => wallCi(ctx.summary.configs.find((c) => c.configId === id)?.wallMs);
  const baselines = (['single', 'single-mt', 'sequential'] as const).flatMap((name) => {
    const b = ctx.centre?.speedup[name];
    if (!b) return [];
    const what = name === 'single' ? 'one ffmpeg, same thread limit' : name === 'single-mt' ? 'one ffmpeg on every core' : "the centre's chunks, one at a time";
    return [{ cells: [`${ctx.label(b.baselineId)} (${what})`, wall(b.baselineId), timesCi(b)] }];
  });
  const headline: Table = {
    caption: 'Wall time, mean [95% CI]; the centre against each baseline, paired by round [95% CI].',
    head: ['configuration', 'wall time', 'centre is … faster'],
    rows: [...baselines, { cells: ['centre', wall(ctx.centre.configId), '—'], centre: true }],
  };

  // everything else against the centre, paired by round: compared with it, never promoted over it. Their
  // speedups over their own single (a preset's single runs that preset) are not shown here: beside the
  // headline they would read as competing headlines; the work-per-frame section gives them, labelled.
  const others = ctx.summary.configs.filter((c) => c.wallMs && c.configId !== ctx.centre?.configId && c.config.mode === 'chunked');
  // a share past 100% beside no word of explanation reads as the pipeline beating the machine: the caption says
  // what it is, once, and the numbers stay as measured
  const ceilingNote = ctx.summary.ceilings.length ? " Share of the ceiling: the configuration's speedup over single ÷ the machine's ceiling in the same round; the ceiling is one short chunk's measurement, so an interval reaching past 100% is within the noise of it, not beyond what the machine allows." : '';
  const vsCentre: Table = {
    caption: `Every other chunked configuration against the centre: its wall time ÷ the centre's, paired by round (below 1×: faster than the centre). A difference is real at 95% only where the interval excludes 1×.${ceilingNote}`,
    head: ['configuration', 'time vs centre', 'wall time', ...(ctx.summary.ceilings.length ? ['share of the ceiling'] : [])],
    rows: others.map((c) => {
      const r = pairedWallRatio(ctx.results, c.configId, ctx.centre?.configId ?? '');
      // another input, codec, preset, filter or quality is other work, not a faster or slower way to do this one
      const centreConfig = ctx.centre?.config;
      const otherWork = !!centreConfig && (['input', 'codec', 'preset', 'filter', 'crf'] as const).some((k) => c.config[k] !== centreConfig[k]);
      const word = !r || verdict(r) === 'unclear' ? '' : otherWork ? ' (other work)' : verdict(r) === 'below' ? ' faster' : ' slower';
      return { cells: [ctx.label(c.configId), r ? `${timesCi(r)}${word}` : '—', wallCi(c.wallMs), ...(ctx.summary.ceilings.length ? [c.ofCeiling ? shareCi(c.ofCeiling) : '—'] : [])] };
    }),
  };
  if (ceiling) sentences.push(...ceiling.sentences.map(note));
  // the in-run ceiling is one short chunk's, measured beside the runs: a share above 100% says it moved, not
  // that the pipeline beat the machine
  if (h.ofCeiling && h.ofCeiling.point > 1) sentences.push(note(`The centre's share of the ceiling is above 100% (${shareCi(h.ofCeiling)}): the ceiling is measured on one chunk's ffmpeg beside the runs and moves from round to round, so read it as the machine's state in those rounds, not as a bound the pipeline beat.`));
  const mt = h.vsSingleMt ? `; against one on every core ${timesCi(h.vsSingleMt)}, ${{ above: 'faster', below: 'slower', unclear: 'not clearly faster' }[verdict(h.vsSingleMt)]}` : '';
  const ofCeiling = h.ofCeiling ? `, ${ceilingClause(h.ofCeiling)}` : '';
  return {
    id: 'faster',
    title: 'Is it faster, and by how much?',
    answers: { question: 'faster', text: `${{ above: `Yes: ${timesCi(h.speedup)} faster than`, below: `No: ${timesCi(h.speedup)}, slower than`, unclear: `Not clearly: ${timesCi(h.speedup)} (the interval includes 1×) against` }[verdict(h.speedup)]} one ffmpeg with the same thread limit${ofCeiling}${mt}.` },
    sentences,
    tables: [headline, ...(others.length ? [vsCentre] : [])],
    charts: [],
  };
}
