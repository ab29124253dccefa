// `npm run fixtures [-- name …]`: makes the test videos fixtures/manifest.json describes (all by default).
// An existing file is checked and kept when it matches; one line per fixture says which, where, and how long.
// Names are all checked before anything is built, so a typo does not cost a minute of encoding first.
import { relative } from 'node:path';
import { exitWithError } from '../src/cli/common.ts';
import { ChunkbenchError } from '../src/errors.ts';
import { ensureFixtureStatus, fixtureNames, fixtureSpec } from '../src/fixtures/index.ts';

try {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const option = args.find((a) => a.startsWith('-'));
  if (option) throw new ChunkbenchError(`unknown option '${option}'; usage: npm run fixtures [-- name …] (names: ${fixtureNames().join(', ')})`);
  const names = [...new Set(args.length ? args : fixtureNames())];
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
