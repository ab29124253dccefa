// `chunkbench <command>`: one yargs parser for every command. Start-up is kept short by loading only what
// the command line needs: the list below names every command; the flags of the command being run are in
// commands/<name>.ts (loaded for it alone), and its work (run/<name>.ts: ffmpeg, vega, BullMQ) only when it
// runs, so `--help` at any level answers at once.
import { readFileSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';
import { closest } from '../errors.ts';
import { exitWithError } from './common.ts';
import { setRawArgs, type Command } from './commands/define.ts';

/** Every command, in the order --help lists them (the two a user needs first), and where its flags are. */
export const COMMANDS = [
  { name: 'experiment', load: async () => (await import('./commands/experiment.ts')).experiment },
  { name: 'report', load: async () => (await import('./commands/report.ts')).report },
  { name: 'check', load: async () => (await import('./commands/check.ts')).check },
  { name: 'pipeline', load: async () => (await import('./commands/pipeline.ts')).pipeline },
  { name: 'worker', load: async () => (await import('./commands/worker.ts')).worker },
  { name: 'simulate', load: async () => (await import('./commands/simulate.ts')).simulate },
  { name: 'fixtures', load: async () => (await import('./commands/fixtures.ts')).fixtures },
] as const;

/** Each command's yargs spec (positionals) and what the top-level --help says of it. */
export const SUMMARY: Record<(typeof COMMANDS)[number]['name'], [string, string]> = {
  experiment: ['experiment', 'Run a grid of pipeline configurations, repeated and interleaved; store, summarise and report it'],
  report: ['report [run]', 'Render the HTML report of a stored run'],
  check: ['check', 'The CI gate: fail when the pipeline became less parallel than the baseline'],
  pipeline: ['pipeline', 'Run the split → parallel → merge pipeline once on one video and verify it frame-exactly'],
  worker: ['worker', 'Run chunk jobs from a Redis queue on this machine (the queue executor)'],
  simulate: ['simulate [run]', 'Project a stored run to cluster scale (a discrete-event simulation of its measured costs)'],
  fixtures: ['fixtures [names..]', 'Make (or check) the test videos'],
};

/** Every command's full definition (flags and all): for tests and docs. */
export async function loadCommands(): Promise<Command<unknown>[]> {
  return Promise.all(COMMANDS.map((c) => c.load() as Promise<Command<unknown>>));
}

/** The package's version (package.json sits two levels up from src/cli/ and from dist/cli/ alike). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** yargs' "Unknown argument: wrokers" as "unknown flag --wrokers; did you mean --workers?", with the
 * nearest flag the command knows (a typo, or a grid key such as segmentSeconds given as a flag). */
export function withSuggestion(message: string, known: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (!unknown) return message;
  return (unknown[1] ?? '')
    .split(', ')
    .map((name) => {
      const kebab = name.replace(/^-+/, '').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
      const flag = `${name.length === 1 ? '-' : '--'}${name.replace(/^-+/, '')}`;
      const near = closest(kebab, known) ?? known.find((k) => kebab.startsWith(`${k}-`));
      return near ? `unknown flag ${flag}; did you mean --${near}?` : `unknown flag ${flag}`;
    })
    .join('; ');
}

/** The option names a parser knows (with their aliases), for suggestions. */
function knownOptions(y: Argv): string[] {
  const options = (y as unknown as { getOptions(): unknown }).getOptions() as { key: Record<string, unknown>; alias: Record<string, string[]>; hiddenOptions?: string[] };
  const hidden = new Set(options.hiddenOptions ?? []);
  return Object.keys(options.key).filter((k) => k.length > 1 && !k.includes('_') && !/[A-Z]/.test(k) && !hidden.has(k) && k !== '$0');
}

/** The parser, with the full definition of `active` (the command on the command line, if any). */
export function parser(args: readonly string[], active?: { name: string; command: Command<unknown> }): Argv {
  const y = yargs([...args])
    .scriptName('chunkbench')
    .usage('$0 <command> [options]\n\nBenchmark the split → process in parallel → merge video pipeline on real ffmpeg, and report it with confidence intervals.')
    .strict()
    .demandCommand(1, 'give a command: experiment, report, check, pipeline, worker, simulate or fixtures')
    .recommendCommands()
    .example('$0 experiment --grid quick', 'two minutes: sequential vs parallel on this machine, then the report')
    .example('$0 report test/data/default-run --out /tmp/chunkbench-sample', 'the committed sample run as an HTML report')
    .example('$0 pipeline --input tiny', 'one run of the pipeline on a 4-second fixture')
    .epilogue('Docs: docs/cli.md (every flag), docs/grids.md, docs/report.md, docs/ci-check.md, docs/scale-out.md.')
    .help()
    .alias('help', 'h')
    .version('version', 'Show the version', `chunkbench ${packageVersion()}`)
    .alias('version', 'V')
    .wrap(Math.min(120, process.stdout.columns ?? 120))
    .fail((message, error) => {
      if (error) exitWithError(error);
      const first = args.find((a) => !a.startsWith('-'));
      if (/^Did you mean/.test(message)) exitWithError(new Error(`unknown command '${first}'; ${message.replace(/^D/, 'd')}; see --help`));
      if (first && !COMMANDS.some((c) => c.name === first)) exitWithError(new Error(`unknown command '${first}'; the commands are ${COMMANDS.map((c) => c.name).join(', ')}; see --help`));
      // y is the parser of the command being run by now: yargs resets it and applies that command's flags
      exitWithError(new Error(`${withSuggestion(message, knownOptions(y))}; see --help`));
    });
  for (const { name } of COMMANDS) {
    const [command, describe] = SUMMARY[name];
    if (active && name === active.name) y.command(command, describe, active.command.builder, active.command.run);
    else y.command(command, describe);
  }
  return y;
}

/** Parses the arguments and runs the command. */
export async function main(args: readonly string[]): Promise<void> {
  setRawArgs(args);
  const first = args.find((a) => !a.startsWith('-'));
  const entry = COMMANDS.find((c) => c.name === first);
  const active = entry ? { name: entry.name, command: (await entry.load()) as Command<unknown> } : undefined;
  await parser(args, active).parseAsync();
}
