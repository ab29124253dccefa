// `npm run bench:report [-- --runs 500]`: renders a result set of that many measured runs and times it
// (target: ≤ 3 s, page ≤ 3 MB). The set is the committed default-grid run with its rounds replicated
// (each copy a new round, so statistics see them as repeats), written to a temp directory.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { ResultLine, RunMeta } from '../src/harness/store.ts';
import { writeReport } from '../src/report/write.ts';

const argv = await yargs(hideBin(process.argv)).option('runs', { type: 'number', default: 500 }).option('times', { type: 'number', default: 3 }).strict().parseAsync();
const source = join(import.meta.dirname, '..', 'test', 'data', 'default-run');
const meta = JSON.parse(readFileSync(join(source, 'meta.json'), 'utf8')) as RunMeta;
const lines = readFileSync(join(source, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ResultLine);
const measured = lines.filter((l) => !l.warmup);
const perRound = meta.configs.length;
const rounds = Math.ceil(argv.runs / perRound);
const out: ResultLine[] = lines.filter((l) => l.warmup);
for (let r = 0; out.length - perRound < argv.runs && r < rounds; r++) {
  for (const l of measured.filter((m) => m.round === r % meta.grid.repeats)) out.push({ ...l, round: r, seq: out.length });
}
const dir = mkdtempSync(join(tmpdir(), 'chunkbench-bench-report-'));
try {
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ ...meta, grid: { ...meta.grid, repeats: rounds } }));
  writeFileSync(join(dir, 'results.jsonl'), `${out.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < argv.times; i++) {
    const started = performance.now();
    bytes = (await writeReport(dir)).bytes;
    times.push((performance.now() - started) / 1000);
  }
  const n = out.filter((l) => !l.warmup).length;
  console.log(`${n} measured runs (${(Buffer.byteLength(readFileSync(join(dir, 'results.jsonl'))) / 1e6).toFixed(1)} MB of results): report in ${times.map((t) => t.toFixed(2)).join(', ')} s (target ≤ 3 s); page ${(bytes / 1e6).toFixed(2)} MB (target ≤ 3 MB)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
