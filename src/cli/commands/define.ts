// What every command definition shares: the shape of a command (flags declared here, the work loaded only
// when it runs), flags renamed with a deprecation line, and the ffmpeg/ffprobe choice. Imports nothing
// heavy: `chunkbench --help` loads these files only.
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv } from 'yargs';

/** One subcommand: its flags (builder) and the module that does the work, imported when it runs. Its name,
 * positionals and one-line description are in main.ts's list, which --help shows without loading this. */
export interface Command<A> {
  builder: (y: Argv) => Argv<A>;
  run: (argv: ArgumentsCamelCase<A>) => Promise<void>;
}

/** Identity, for type inference of the command's arguments. */
export const defineCommand = <A>(command: Command<A>): Command<A> => command;

/** The parsed arguments of a command's builder. */
export type ArgsOf<B> = B extends (y: Argv) => Argv<infer A> ? ArgumentsCamelCase<A> : never;

/** How the user runs the CLI, for the commands we print: `npm run X --` under npm run X, else `chunkbench X`
 * (`npx chunkbench X` under npx). */
export function commandLine(sub: string, args: string): string {
  if (process.env.npm_lifecycle_event === sub) return `npm run ${sub} -- ${args}`;
  return `${process.env.npm_command === 'exec' ? 'npx ' : ''}chunkbench ${sub} ${args}`;
}

/** A flag renamed to carry its unit (or to match the rest of the CLI): the old name still works, hidden from
 * --help, with one line on stderr saying what to use instead. */
export function renamed<T>(y: Argv<T>, old: string, now: string, type: 'number' | 'string'): Argv<T> {
  return y.option(old, { type, hidden: true, describe: `deprecated: use --${now}` }).middleware((parsed) => {
    const argv = parsed as Record<string, unknown>;
    if (argv[old] === undefined) return;
    process.stderr.write(`chunkbench: --${old} is deprecated; use --${now}\n`);
    if (argv[now] === undefined) {
      const camel = now.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
      argv[now] = argv[old];
      argv[camel] = argv[old];
    }
  }, true);
}

/** --ffmpeg / --ffprobe: which build is measured matters more than any flag. They set FFMPEG_PATH /
 * FFPROBE_PATH for this process and every worker it starts. */
export function binaryOptions<T>(y: Argv<T>) {
  return y
    .option('ffmpeg', { type: 'string', describe: 'The ffmpeg to measure (default: $FFMPEG_PATH, else the bundled build, else ffmpeg on PATH)' })
    .option('ffprobe', { type: 'string', describe: 'The ffprobe to use (default: $FFPROBE_PATH, else the bundled build, else ffprobe on PATH)' })
    .middleware((argv) => {
      if (typeof argv.ffmpeg === 'string') process.env.FFMPEG_PATH = resolve(argv.ffmpeg);
      if (typeof argv.ffprobe === 'string') process.env.FFPROBE_PATH = resolve(argv.ffprobe);
    }, true);
}

let raw: readonly string[] = [];
/** The command line as given (main() sets it), for the few checks that need to know how a value came. */
export function setRawArgs(args: readonly string[]): void {
  raw = args;
}

/** A stored run, named the same way in every command: a positional `<run>` (a run id from reports/ or a
 * run directory); `--run` is still accepted, with a deprecation line. */
export function runArgument<T>(y: Argv<T>, what: string) {
  return y
    .positional('run', { type: 'string', describe: `${what}: a run id from reports/ or a run directory` })
    .middleware((argv) => {
      if (raw.some((a) => a === '--run' || a.startsWith('--run='))) process.stderr.write('chunkbench: --run is deprecated; give the run as the first argument\n');
    }, true);
}
