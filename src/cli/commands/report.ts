// `chunkbench report <run>`: the HTML report of a stored run, from its results alone.
import type { Argv } from 'yargs';
import { defineCommand, runArgument, type ArgsOf } from './define.ts';

const builder = (y: Argv) =>
  runArgument(y, 'The stored run')
    .usage('$0 report <run> [options]\n\nRender the HTML report of a stored run (a run id or its directory) from its results alone: index.html, charts/*.svg and report.json.')
    .option('out', { alias: 'o', type: 'string', describe: "Write the report to this directory instead of the run's own (the run is only read)" })
    .option('png', { type: 'boolean', default: false, describe: 'Also write charts/*.png (needs Chromium: /usr/bin/chromium or $CHROMIUM_PATH, and the optional playwright-core)' })
    .check((a) => (a.run ? true : 'give the run: a run id from reports/ or its directory'))
    .example('$0 report 20261130-081107-quick', 'render reports/20261130-081107-quick/index.html')
    .example('$0 report test/data/default-run --out /tmp/chunkbench-sample', 'the committed sample run, rendered outside the repository')
    .example('$0 report reports/20261130-081107-quick --png', 'also PNG copies of the charts, for slides');

export type ReportArgs = ArgsOf<typeof builder>;

export const report = defineCommand({
  builder,
  run: async (argv) => (await import('../run/report.ts')).run(argv),
});
