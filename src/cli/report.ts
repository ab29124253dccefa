// `npm run report -- reports/<run-id>`: renders the stored run to reports/<run-id>/index.html.
import { relative } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { findRunDir } from '../harness/store.ts';
import { writeReport } from '../report/write.ts';
import { exitWithError } from './common.ts';

const argv = await yargs(hideBin(process.argv))
  .scriptName('npm run report --')
  .usage('$0 <run>\n\nRender the HTML report of a stored run (a run id or its directory) from its results alone.')
  .demandCommand(1, 1, 'give the run: a run id from reports/ or its directory')
  .strict()
  .fail((message, error) => exitWithError(error ?? new Error(`${message}; see --help`)))
  .help()
  .parseAsync();

try {
  const started = performance.now();
  const { path, charts, bytes } = await writeReport(findRunDir(String(argv._[0])));
  console.log(`report: ${relative(process.cwd(), path)} (${charts.length} charts, ${(bytes / 1e6).toFixed(2)} MB, ${((performance.now() - started) / 1000).toFixed(2)} s)`);
} catch (error) {
  exitWithError(error);
}
