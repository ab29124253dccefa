// `chunkbench fixtures [name …]`: makes the test videos fixtures/manifest.json describes.
import type { Argv } from 'yargs';
import { fixtureNames } from '../../fixtures/manifest.ts';
import { binaryOptions, defineCommand, type ArgsOf } from './define.ts';

const builder = (y: Argv) =>
  binaryOptions(
    y
      .usage('$0 fixtures [name …]\n\nMake the test videos fixtures/manifest.json describes (all by default) from ffmpeg\'s lavfi sources. An existing file is checked and kept when it matches; one line per fixture says which, where, and how long.')
      .positional('names', { type: 'string', array: true, describe: `Fixtures to make: ${fixtureNames().join(', ')}` }),
  )
    .example('$0 fixtures', 'every fixture (a few minutes the first time)')
    .example('$0 fixtures tiny small', 'the two the tests and the ci grid use');

export type FixturesArgs = ArgsOf<typeof builder>;

export const fixtures = defineCommand({
  builder,
  run: async (argv) => (await import('../run/fixtures.ts')).run(argv),
});
