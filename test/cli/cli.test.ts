// `chunkbench` as a user meets it: one command, yargs' conventions (-h everywhere, --version, suggestions for
// a mistyped command or flag, examples), the Node check, and the report of the committed sample run
// rendered without writing into the tracked folder.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_RANGE, nodeSupported } from '../../bin/node-version.js';
import { COMMANDS } from '../../src/cli/main.ts';
import { REPO, tempDir } from '../helpers.ts';

const work = tempDir('cb-cli-');
afterAll(() => work.remove());

/** `chunkbench …` through the bin, as npx runs it (from source when dist/ is older than src/). */
function chunkbench(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [join(REPO, 'bin', 'chunkbench.js'), ...args], { cwd: REPO, env: { ...process.env, CHUNKBENCH_REPORTS_DIR: work.dir, ...env }, encoding: 'utf8', timeout: 120_000 });
  // a stale dist/ is announced on stderr when tsx is missing; here tsx is installed, so stderr is the command's own
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('chunkbench --help and --version', () => {
  it('lists every command, with examples, for --help and -h alike', () => {
    const long = chunkbench(['--help']);
    expect(long.status).toBe(0);
    for (const { name } of COMMANDS) expect(long.stdout).toMatch(new RegExp(`^  chunkbench ${name}\\b`, 'm'));
    expect(long.stdout).toContain('Examples:');
    expect(chunkbench(['-h']).stdout).toBe(long.stdout);
  });

  it.each(COMMANDS.map((c) => [c.name]))('`%s -h`: its flags and examples, no path of this machine as a default', (name) => {
    const { status, stdout, stderr } = chunkbench([name, '-h']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(new RegExp(`^chunkbench ${name}\\b`));
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('--help');
    expect(stdout).not.toContain(REPO);
    expect(stdout).not.toContain(homedir());
  });

  it('--version prints the name and the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(chunkbench(['--version']).stdout).toBe(`chunkbench ${version}\n`);
  });
});

describe('mistakes: one line, exit 2, the nearest right answer', () => {
  it.each([
    ['a mistyped command', ['experimnt'], "chunkbench: unknown command 'experimnt'; did you mean experiment?; see --help"],
    ['a command that is not one', ['frobnicate'], "chunkbench: unknown command 'frobnicate'; the commands are experiment, report, check, pipeline, worker, simulate, fixtures; see --help"],
    ['no command', [], 'chunkbench: give a command: experiment, report, check, pipeline, worker, simulate or fixtures; see --help'],
    ['a mistyped flag', ['pipeline', '--input', 'tiny', '--wrokers', '2'], 'chunkbench: unknown flag --wrokers; did you mean --workers?; see --help'],
    ['a grid key as a flag', ['pipeline', '--input', 'tiny', '--segmentSeconds', '2'], 'chunkbench: unknown flag --segmentSeconds; did you mean --segment?; see --help'],
    ['an input that is neither a file nor a fixture', ['pipeline', '--input', 'nope.mp4'], /^chunkbench: --input nope\.mp4: no such file; give a path to a video file or a fixture name \(default, sd, small, tiny, .*\)$/],
    ['no run to report', ['report'], 'chunkbench: give the run: a run id from reports/ or its directory; see --help'],
  ])('%s', (_what, args, message) => {
    const { status, stdout, stderr } = chunkbench(args as string[]);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    if (typeof message === 'string') expect(stderr.trim()).toBe(message);
    else expect(stderr.trim()).toMatch(message);
    expect(status).toBe(2);
  });

  it("a grid's input that does not exist names the grid and the input, not a --input flag", () => {
    const grid = join(work.dir, 'mine.json');
    writeFileSync(grid, JSON.stringify({ name: 'mine', inputs: ['nope.mp4'], repeats: 1, fixed: { segment: 2 } }));
    const { status, stderr } = chunkbench(['experiment', '--grid', grid, '--dry-run']);
    expect(stderr.trim()).toMatch(/^chunkbench: grid mine: input 'nope\.mp4' is neither a file nor a fixture; give a path to a video file or a fixture name \(default, sd, small, tiny, /);
    expect(stderr).not.toContain('--input');
    expect(status).toBe(2);
  });
});

describe('the Node version', () => {
  it('is checked against the range package.json states', () => {
    const { engines } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(engines.node).toBe(NODE_RANGE);
    for (const ok of ['20.19.0', 'v20.20.2', '22.12.0', '23.0.0', '24.1.0']) expect(nodeSupported(ok), ok).toBe(true);
    for (const old of ['18.20.0', '20.18.3', '21.7.0', '22.11.0']) expect(nodeSupported(old), old).toBe(false);
    expect(nodeSupported(process.versions.node)).toBe(true);
  });
});

describe('chunkbench report <run> --out DIR', () => {
  it('renders the committed sample run elsewhere and leaves its tracked folder as it was', () => {
    const sample = join(REPO, 'test', 'data', 'default-run');
    const before = readdirSync(sample).map((f) => `${f}:${statSync(join(sample, f)).mtimeMs}`);
    const out = join(work.dir, 'sample');
    const { status, stdout, stderr } = chunkbench(['report', sample, '--out', out]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^report: .*sample\/index\.html \(\d+ charts, [\d.]+ MB, [\d.]+ s\)$/m);
    expect(statSync(join(out, 'index.html')).size).toBeGreaterThan(50_000);
    expect(existsSync(join(out, 'charts'))).toBe(true);
    expect(readdirSync(sample).map((f) => `${f}:${statSync(join(sample, f)).mtimeMs}`)).toEqual(before);
    // again into the same directory: an earlier copy is overwritten; a foreign non-empty directory is refused
    expect(chunkbench(['report', sample, '--out', out]).status).toBe(0);
    const foreign = chunkbench(['report', sample, '--out', join(REPO, 'docs')]);
    expect(foreign.stderr.trim()).toMatch(/^chunkbench: --out .*docs: not empty and not an earlier report copy; give a new or empty directory$/);
    expect(foreign.status).toBe(2);
  });
});
