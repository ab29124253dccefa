// The work of `chunkbench fixtures` (flags in ../commands/fixtures.ts). Names are all checked before anything
// is built, so a typo does not cost a minute of encoding first.
import { relative } from 'node:path';
import { ensureFixtureStatus, fixtureNames, fixtureSpec } from '../../fixtures/index.ts';
import { exitWithError } from '../common.ts';
import type { FixturesArgs } from '../commands/fixtures.ts';

/** Makes or checks each named fixture (all by default), one line each. */
export async function run(argv: FixturesArgs): Promise<void> {
  try {
    const asked = (argv.names ?? []).map(String);
    const names = [...new Set(asked.length ? asked : fixtureNames())];
    for (const name of names) fixtureSpec(name);
    for (const name of names) {
      const startedMs = performance.now();
      const status = await ensureFixtureStatus(name);
      const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
      const why = status.made ? ` — was ${status.reason}` : '';
      const shown = relative(process.cwd(), status.path);
      console.log(`${status.made ? 'made' : 'ok  '} ${name.padEnd(8)} ${shown.startsWith('..') ? status.path : shown}  ${seconds} s${why}`);
    }
  } catch (error) {
    exitWithError(error);
  }
}
