// `chunkbench simulate` as a user meets it: the tables and projection.json on a temp copy of the committed
// run, and one-line errors for bad input.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Projection } from '../../src/simulate/index.ts';
import { REPO, runCli, tempDir } from '../helpers.ts';

const source = join(REPO, 'test', 'data', 'default-run');
const work = tempDir('cb-simulate-');
const run = join(work.dir, 'default-run');
cpSync(source, run, { recursive: true });
const cli = (args: string[]) => runCli('src/cli/simulate.ts', args);
afterAll(() => work.remove());

describe('simulate CLI', () => {
  it('prints the validation and projection tables, says it is a model, and writes projection.json', () => {
    const { status, stdout, stderr } = cli([run, '--workers', '1..1024', '--duration-s', '7200', '--replications', '3']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^MODEL PROJECTION .*not a measurement/);
    // measured mean [95% CI], in-sample prediction, held-out prediction, each with its error and CI verdict
    expect(stdout).toMatch(/^chunked w4 10s exact · veryfast · none · t1 \*\s+4\s+6\s+5\s+2\.99 \[2\.85, 3\.14\]\s+2\.75\s+-8\.0%\s+OUT\s+2\.75\s+-8\.0%\s+OUT$/m);
    expect(stdout).toMatch(/^chunked w2 10s exact · ultrafast · none · t1\s+2\s+6\s+5\s+3\.22 \[3\.09, 3\.35\]\s+3\.19\s+-0\.9%\s+in\s+not held out\s+—\s+—$/m);
    expect(stdout).toMatch(/^held-out error: mean \|3\.5%\|, max \|8\.0%\| over the 8 points that could be left out .*; 5 of 8 inside the measured 95% CI; in-sample on the same points: mean \|2\.8%\|/m);
    expect(stdout).toMatch(/^in-sample error: mean \|2\.1%\|, max \|8\.0%\| over all 13 points .*11 of 13 inside/m);
    expect(stdout).toMatch(/^not held out \(5; .*\n  chunked w2 10s exact · ultrafast · none · t1: the only configuration doing its work/m);
    expect(stdout).toMatch(/^target ≤ 15% on held-out error: met over 8 of 13 points$/m);
    expect(stdout).toMatch(/^1024\s+\d+\.\d+/m);
    const written = JSON.parse(readFileSync(join(run, 'projection.json'), 'utf8')) as Projection;
    expect(written).toMatchObject({ schema: 'chunkbench.projection/2', kind: 'model', configId: 'f46b15096b' });
    expect(written.scenario).toMatchObject({ durationSeconds: 7200, segmentSeconds: 10, chunks: 720, bandwidthMbps: 1000, replications: 3 });
    expect(written.rows.map((r) => r.workers)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
    expect(written.rows[0]?.speedup).toBe(1);
    // more workers never make it slower here, and 1024 workers beat 512 by little: it has flattened
    for (let i = 1; i < written.rows.length; i++) expect(written.rows[i]?.wallMs).toBeLessThanOrEqual(written.rows[i - 1]?.wallMs ?? 0);
    expect(written.validation.heldOut).toMatchObject({ points: 8, insideCi: 5, withCi: 8 });
    expect(written.validation.heldOut.maxAbsErrorPct).toBeLessThanOrEqual(15);
    expect(written.validation.points.find((p) => p.label.startsWith('chunked w2 10s exact · faster'))?.heldOut).toMatchObject({ state: 'not-held-out', reason: expect.stringMatching(/^the only configuration/) });
    expect(written.assumptions.length).toBeGreaterThan(3);
    // the committed data is left alone
    expect(existsSync(join(source, 'projection.json'))).toBe(false);
  });

  it('--json prints the projection; --config, --segment and the bandwidths change it', () => {
    const { status, stdout } = cli([run, '--workers', '1,8', '--duration-s', '600', '--segment', '30', '--config', '6b797c2c98', '--bandwidth-mbps', '100', '--coordinator-mbps', '100', '--replications', '0', '--json']);
    expect(status).toBe(0);
    const p = JSON.parse(stdout) as Projection;
    expect(p.label).toBe('chunked w2 10s exact · ultrafast · none · t1');
    expect(p.scenario).toMatchObject({ segmentSeconds: 30, chunks: 20, bandwidthMbps: 100, coordinatorMbps: 100, replications: 0 });
    expect(p.rows.map((r) => r.wallRangeMs)).toEqual([null, null]);
    expect(p.model.borrowed).toContain('chunkStartupMs');
  });

  it('documents its flags in --help', () => {
    const { status, stdout } = cli(['--help']);
    expect(status).toBe(0);
    for (const flag of ['<run>', '--workers', '--duration-s', '--bandwidth-mbps', '--coordinator-mbps', '--queue-latency-ms', '--segment', '--config', '--replications', '--json']) expect(stdout).toContain(flag);
  });
});

describe('bad input: one line naming the flag, non-zero exit', () => {
  const noChunked = join(work.dir, 'no-chunked');
  mkdirSync(noChunked);
  cpSync(join(source, 'meta.json'), join(noChunked, 'meta.json'));
  writeFileSync(join(noChunked, 'results.jsonl'), readFileSync(join(source, 'results.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"mode":"single')).join('\n') + '\n');

  const cases: [string, string[], RegExp][] = [
    ['missing run directory', [join(work.dir, 'nope')], /^chunkbench: .*nope: no stored run there \(no meta\.json\)/],
    ['run with no chunked results', [noChunked], /^chunkbench: run 20261125-010623-default: no successful chunked runs to calibrate a cost model from$/],
    ['bad worker list', [run, '--workers', '1,two,4'], /^chunkbench: --workers must be a comma-separated list of whole numbers ≥ 1, .*got '1,two,4'$/],
    ['zero workers', [run, '--workers', '0'], /^chunkbench: --workers must be .*got '0'$/],
    ['zero duration', [run, '--duration-s', '0'], /^chunkbench: --duration-s must be a number of seconds > 0, got 0$/],
    ['negative bandwidth', [run, '--bandwidth-mbps', '-5'], /^chunkbench: --bandwidth-mbps must be a bandwidth in Mbit\/s > 0, got -5$/],
    ['unknown configuration', [run, '--config', 'zzz'], /^chunkbench: --config: no chunked configuration 'zzz' with successful runs; accepted ids: /],
    ['missing run', [], /^chunkbench: give the run: a run id from reports\/ or its directory; see --help$/],
  ];
  it.each(cases)('%s', (_name, args, message) => {
    const { status, stdout, stderr } = cli(args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
  });

  it('still accepts the old --run and --duration, each with one deprecation line', () => {
    const { status, stderr } = cli(['--run', run, '--workers', '1,2', '--duration', '600', '--replications', '0', '--json']);
    expect(status).toBe(0);
    expect(stderr.trim().split('\n').sort()).toEqual(['chunkbench: --duration is deprecated; use --duration-s', 'chunkbench: --run is deprecated; give the run as the first argument']);
  });
});
