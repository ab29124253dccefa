// The documentation is checked against the code: every flag of every command is in docs/cli.md (in that
// command's section), every environment variable the source reads is there too, every grid, grid key,
// dimension and fixture is in docs/grids.md, and the README stays a front door (≤ 8 KB).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, loadCommands } from '../../src/cli/main.ts';
import { fixtureNames } from '../../src/fixtures/manifest.ts';
import { gridNames } from '../../src/grid/load.ts';
import { DIMENSIONS, gridSchema } from '../../src/grid/schema.ts';
import { DEFAULT_REDIS_RETRY_SECONDS } from '../../src/executors/redis.ts';
import { DEFAULT_COORDINATOR_MBPS, DEFAULT_QUEUE_LATENCY_MS, DEFAULT_REPLICATIONS } from '../../src/simulate/index.ts';
import { REPO } from '../helpers.ts';

const doc = (name: string) => readFileSync(join(REPO, 'docs', name), 'utf8');
const cliDoc = doc('cli.md');

/** The part of docs/cli.md about one command: from its heading to the next. */
function section(command: string): string {
  const start = cliDoc.indexOf(`## \`chunkbench ${command}`);
  if (start < 0) return '';
  const next = cliDoc.indexOf('\n## ', start + 1);
  return cliDoc.slice(start, next < 0 ? undefined : next);
}

interface Options {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  boolean: string[];
  default: Record<string, unknown>;
}

/** A command's flags as yargs knows them (its builder applied to a fresh parser). */
async function optionsOf(index: number): Promise<Options> {
  const command = (await loadCommands())[index];
  if (!command) throw new Error(`no command ${index}`);
  return (command.builder(yargs([])) as unknown as { getOptions(): Options }).getOptions();
}

describe('docs/cli.md', () => {
  it.each(COMMANDS.map((c, i) => [c.name, i] as const))('mentions every flag of `chunkbench %s` in its section', async (name, index) => {
    const text = section(name);
    expect(text, `docs/cli.md has no section for ${name}`).not.toBe('');
    const options = await optionsOf(index);
    // one-letter keys are aliases, checked with their flag
    const flags = Object.keys(options.key).filter((k) => k.length > 1 && !['help', 'version', 'run', 'names'].includes(k) && !/[A-Z]/.test(k));
    expect(flags.length).toBeGreaterThan(0);
    const missing = flags.filter((k) => {
      const negated = options.boolean.includes(k) && options.default[k] === true;
      const aliases = (options.alias[k] ?? []).filter((a) => a.length === 1).map((a) => `-${a}`);
      const forms = [negated ? `--no-${k}` : `--${k}`, ...aliases];
      return !forms.every((form) => new RegExp(`${form}(?![\\w-])`).test(text));
    });
    expect(missing, `flags of ${name} not in its section of docs/cli.md`).toEqual([]);
  });

  it('mentions every environment variable the source reads', () => {
    const names = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/env\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1] ?? '');
      }
    };
    walk(join(REPO, 'src'));
    names.delete('PATH');
    expect(names.size).toBeGreaterThan(4);
    expect([...names].filter((n) => !cliDoc.includes(n))).toEqual([]);
  });

  it('states the defaults the code uses where --help cannot import them cheaply', async () => {
    const worker = await optionsOf(COMMANDS.findIndex((c) => c.name === 'worker'));
    expect(worker.default['redis-retry-s']).toBe(DEFAULT_REDIS_RETRY_SECONDS);
    const simulate = await optionsOf(COMMANDS.findIndex((c) => c.name === 'simulate'));
    expect(simulate.default['coordinator-mbps']).toBe(DEFAULT_COORDINATOR_MBPS);
    expect(simulate.default.replications).toBe(DEFAULT_REPLICATIONS);
    expect(section('simulate')).toContain(`else ${DEFAULT_QUEUE_LATENCY_MS} |`);
    expect(section('simulate')).toContain(`| \`--replications N\` | ${DEFAULT_REPLICATIONS} |`);
    expect(section('worker')).toContain(`| \`--redis-retry-s S\` | ${DEFAULT_REDIS_RETRY_SECONDS} |`);
  });
});

describe('docs/grids.md', () => {
  const text = doc('grids.md');
  it('lists every committed grid, every grid key, every dimension and every fixture', () => {
    expect(gridNames().filter((g) => !text.includes(`| \`${g}\` |`))).toEqual([]);
    expect(Object.keys(gridSchema.shape).filter((k) => !text.includes(`| \`${k}\` |`))).toEqual([]);
    const dims = DIMENSIONS.map((d) => (d === 'segmentSeconds' ? 'segment' : d));
    expect(dims.filter((d) => !text.includes(`| \`${d}\` |`))).toEqual([]);
    const cam = fixtureNames().filter((f) => f.startsWith('cam-'));
    expect(text).toContain(`\`cam-*\` (${cam.length})`);
    expect(fixtureNames().filter((f) => !f.startsWith('cam-') && !text.includes(`\`${f}\``))).toEqual([]);
  });
});

describe('README.md', () => {
  const text = readFileSync(join(REPO, 'README.md'), 'utf8');
  it('is a front door: at most 8 KB, linking every page of docs/', () => {
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(8 * 1024);
    for (const page of readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md'))) expect(text).toContain(`docs/${page}`);
  });

  it('links only to files that exist', () => {
    for (const page of ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]) {
      const base = page.startsWith('docs/') ? join(REPO, 'docs') : REPO;
      for (const [, target] of readFileSync(join(REPO, page), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (!target || /^https?:/.test(target)) continue;
        expect(() => statSync(join(base, target)), `${page} links to ${target}`).not.toThrow();
      }
    }
  });
});
