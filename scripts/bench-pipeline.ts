// `npm run bench:pipeline [-- --rounds 5 --seed 1]`: the pipeline's performance targets, measured as ratios
// within one run. Each round runs every variant once, in a freshly shuffled order, so machine drift hits
// all variants alike; each ratio is taken within a round (paired) and summarised by its geometric mean with
// a percentile-bootstrap 95% CI over the rounds.
//
// Variants (default fixture, veryfast, 5 s segments, 1 thread per worker):
//   chunked      2 workers, exact split          single     one ffmpeg, 1 thread
//   chunked-copy 2 workers, copy split           single-mt  one ffmpeg, all cores
//   xargs        the very same chunk and merge commands, run by `xargs -P 2` and sh (no Node in the loop)
//   one-chunk    the longest chunk's ffmpeg alone;  two-chunks  two copies of it at once
// 2 × one-chunk / two-chunks is the machine's own ceiling for any 2-way split of this work: what two
// ffmpegs lose to each other (shared caches, memory bandwidth, the neighbours of a shared VM).
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { resolveBinaries } from '../src/ffmpeg/binaries.ts';
import { ensureFixture } from '../src/fixtures/index.ts';
import { chunkTask } from '../src/pipeline/commands.ts';
import { concatList, mergeArgs } from '../src/pipeline/merge.ts';
import { resolveOptions } from '../src/pipeline/options.ts';
import { probe } from '../src/pipeline/probe.ts';
import { runPipeline } from '../src/pipeline/run.ts';
import { lossBudget, type LossBudget } from '../src/pipeline/lossBudget.ts';
import { exactChunkInput, planSegments } from '../src/pipeline/split.ts';
import { scheduleOrder } from '../src/pipeline/process.ts';
import type { Mode, RunRecord, SplitStrategy } from '../src/pipeline/types.ts';
import { mulberry32, pairedRatio, scaleEstimate, shuffle, type RatioEstimate as RatioSummary } from '../src/stats/index.ts';

const argv = await yargs(hideBin(process.argv))
  .option('rounds', { type: 'number', default: 5 })
  .option('seed', { type: 'number', default: 1 })
  .option('fixture', { type: 'string', default: 'default' })
  .strict()
  .parseAsync();

const binaries = await resolveBinaries();
const input = await ensureFixture(argv.fixture);
const cores = availableParallelism();
const base = { input, preset: 'veryfast', segmentSeconds: 5, threads: 1, workers: 2 };

type Variant = 'chunked' | 'chunked-copy' | 'single' | 'single-mt' | 'xargs' | 'one-chunk' | 'two-chunks';
const VARIANTS: Variant[] = ['chunked', 'chunked-copy', 'single', 'single-mt', 'xargs', 'one-chunk', 'two-chunks'];
type Shell = Record<'xargs' | 'one-chunk' | 'two-chunks', string>;

/** Writes the pipeline's own chunk and merge commands as sh scripts, longest chunk first. */
async function shellLoop(dir: string): Promise<Shell> {
  const options = await resolveOptions({ ...base, split: 'exact' });
  const source = await probe(binaries, input);
  const segments = planSegments(source.video, options.segmentSeconds, 'exact', source.summary.container);
  const tasks = scheduleOrder(segments.map((s) => chunkTask(s, exactChunkInput(input, source.video, source.summary.container, s), options, dir, cores)));
  const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
  tasks.forEach((task, order) => writeFileSync(join(dir, `c_${String(order).padStart(4, '0')}.sh`), `exec ${quote(binaries.ffmpeg.path)} ${task.args.map(quote).join(' ')} 2>/dev/null\n`));
  writeFileSync(join(dir, 'concat.txt'), concatList(segments.map((s) => join(dir, `chunk_${String(s.index).padStart(5, '0')}.mp4`))));
  const output = join(dir, 'out.mp4');
  const merge = mergeArgs(join(dir, 'concat.txt'), input, source.summary.audioCodec, output);
  writeFileSync(join(dir, 'merge.sh'), `exec ${quote(binaries.ffmpeg.path)} ${merge.map(quote).join(' ')} 2>/dev/null\n`);
  const longest = tasks[0];
  if (!longest) throw new Error('no chunks planned');
  for (const name of ['a', 'b']) {
    const args = longest.args.map((a) => (a === longest.outputPath ? join(dir, `pair_${name}.mp4`) : a));
    writeFileSync(join(dir, `pair_${name}.sh`), `exec ${quote(binaries.ffmpeg.path)} ${args.map(quote).join(' ')} 2>/dev/null\n`);
  }
  return {
    xargs: `cd ${quote(dir)} && ls c_*.sh | xargs -P 2 -n 1 sh && sh merge.sh`,
    'one-chunk': `cd ${quote(dir)} && sh pair_a.sh`,
    'two-chunks': `cd ${quote(dir)} && { sh pair_a.sh & sh pair_b.sh & wait; }`,
  };
}

async function runVariant(variant: Variant, shell: Shell): Promise<{ wallMs: number; record?: RunRecord }> {
  if (variant === 'xargs' || variant === 'one-chunk' || variant === 'two-chunks') {
    const started = performance.now();
    await execa('bash', ['-c', shell[variant]]);
    return { wallMs: performance.now() - started };
  }
  const mode: Mode = variant === 'chunked-copy' ? 'chunked' : variant;
  const split: SplitStrategy = variant === 'chunked-copy' ? 'copy' : 'exact';
  const record = await runPipeline(await resolveOptions({ ...base, mode, split }), { binaries });
  if (record.state !== 'ok') throw new Error(`${variant} failed: ${record.error?.message}`);
  return { wallMs: record.wallMs, record };
}

const shellDir = mkdtempSync(join(tmpdir(), 'chunkbench-xargs-'));
const rng = mulberry32(argv.seed);
const samples = Object.fromEntries(VARIANTS.map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
const records = Object.fromEntries(VARIANTS.map((v) => [v, [] as RunRecord[]])) as Record<Variant, RunRecord[]>;
try {
  const shell = await shellLoop(shellDir);
  // one warmup round, not recorded: page cache, binary loading
  for (const variant of VARIANTS) await runVariant(variant, shell);
  for (let round = 0; round < argv.rounds; round++) {
    const order = shuffle(VARIANTS, rng);
    for (const variant of order) {
      const { wallMs, record } = await runVariant(variant, shell);
      samples[variant].push(wallMs);
      if (record) records[variant].push(record);
      process.stderr.write(`round ${round + 1}/${argv.rounds} ${variant.padEnd(12)} ${(wallMs / 1000).toFixed(2)} s\n`);
    }
  }
} finally {
  rmSync(shellDir, { recursive: true, force: true });
}

const ratio = (num: Variant, den: Variant): RatioSummary => pairedRatio(samples[num], samples[den]);
const fmt = (r: RatioSummary) => `${r.point.toFixed(3)}× [${r.lo.toFixed(3)}, ${r.hi.toFixed(3)}]`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const speedup = ratio('single', 'chunked');
const vsMt = ratio('single-mt', 'chunked');
const vsShell = ratio('chunked', 'xargs');
const ceiling = scaleEstimate(ratio('one-chunk', 'two-chunks'), 2);
const shellSpeedup = ratio('single', 'xargs');
const splitMergeShare = (v: Variant) => pairedRatio(records[v].map((r) => r.phases.splitMs + r.phases.mergeMs), samples.single);
// where the chunked wall time goes, per round (each round's chunked run against its single run)
const budgets = records.chunked.map((r, i) => lossBudget(r, records.single[i] as RunRecord, base.workers));
const budgetMean = Object.fromEntries((['ideal', 'serial', 'extra', 'start', 'idle', 'leadInFrames'] as (keyof LossBudget)[]).map((k) => [k, mean(budgets.map((b) => b[k]))])) as unknown as LossBudget;
const overheadPerChunk = mean(records.chunked.flatMap((r) => r.chunks.map((c) => c.spawnToExitMs - (c.rtimeMs ?? 0))));
const results = {
  machine: { cpu: cpus()[0]?.model, cores, ffmpeg: binaries.ffmpeg.version },
  rounds: argv.rounds,
  seed: argv.seed,
  wallMs: Object.fromEntries(VARIANTS.map((v) => [v, samples[v]])),
  speedupVsSingle: speedup,
  chunkedVsSingleMt: vsMt,
  chunkedOverXargs: vsShell,
  xargsSpeedupVsSingle: shellSpeedup,
  machineCeiling2Way: ceiling,
  splitMergeShareOfSingle: { exact: splitMergeShare('chunked'), copy: splitMergeShare('chunked-copy') },
  harnessOverheadPerChunkMs: overheadPerChunk,
  chunkedWallShares: budgetMean,
};
mkdirSync('reports/bench', { recursive: true });
const file = `reports/bench/pipeline-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
console.log(`\n${argv.rounds} interleaved rounds on ${cores} cores (${results.machine.cpu}); geometric mean of per-round ratios, 95% bootstrap CI`);
for (const v of VARIANTS) console.log(`  ${v.padEnd(13)} mean ${(mean(samples[v]) / 1000).toFixed(2)} s  (${samples[v].map((ms) => (ms / 1000).toFixed(2)).join(', ')})`);
console.log(`speedup chunked(2) vs single      ${fmt(speedup)}   target ≥ 1.85× (limit 2.0×)   ${pass(speedup.point >= 1.85)}`);
console.log(`single-mt / chunked(2)            ${fmt(vsMt)}   target ≥ 1.00 (chunked no slower)   ${pass(vsMt.point >= 1)}`);
console.log(`chunked / xargs -P 2 (same cmds)  ${fmt(vsShell)}   target ≤ 1.03   ${pass(vsShell.point <= 1.03)}`);
console.log(`for reference: xargs -P 2 vs single ${fmt(shellSpeedup)}; this machine's 2-way ceiling (2 × one chunk alone / two at once) ${fmt(ceiling)}`);
console.log(`(split+merge) / single, exact     ${fmt(results.splitMergeShareOfSingle.exact)}   target ≤ 0.02   ${pass(results.splitMergeShareOfSingle.exact.point <= 0.02)}`);
console.log(`(split+merge) / single, copy      ${fmt(results.splitMergeShareOfSingle.copy)}   target ≤ 0.02   ${pass(results.splitMergeShareOfSingle.copy.point <= 0.02)}`);
console.log(`harness overhead per chunk        ${overheadPerChunk.toFixed(1)} ms (spawn→exit − ffmpeg rtime)   target ≤ 20 ms   ${pass(overheadPerChunk <= 20)}`);
const share = (v: number) => `${(100 * v).toFixed(1)}%`;
console.log(`where chunked(2)'s wall time goes (mean of rounds): ideal split of single's ffmpeg time ${share(budgetMean.ideal)}, serial probe+merge ${share(budgetMean.serial)}, extra ffmpeg work ${share(budgetMean.extra)} (lead-in ${budgetMean.leadInFrames} frames), ffmpeg start-up + spawn ${share(budgetMean.start)}, idle workers ${share(budgetMean.idle)}`);
console.log(`saved ${file}`);
