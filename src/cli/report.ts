// `npm run report -- reports/<run-id>`: renders the stored run to reports/<run-id>/index.html.
import { join, relative } from 'node:path';
import { ChunkbenchError } from '../errors.ts';
import { chromiumPath, writePngs } from '../report/png.ts';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { findRunDir } from '../harness/store.ts';
import { writeReport } from '../report/write.ts';
import { exitWithError } from './common.ts';

const argv = await yargs(hideBin(process.argv))
  .scriptName('npm run report --')
  .usage('$0 <run>\n\nRender the HTML report of a stored run (a run id or its directory) from its results alone.')
  .demandCommand(1, 1, 'give the run: a run id from reports/ or its directory')
  .option('png', { type: 'boolean', default: false, describe: 'Also write charts/*.png (needs Chromium: /usr/bin/chromium or $CHROMIUM_PATH)' })
  .strict()
  .fail((message, error) => exitWithError(error ?? new Error(`${message}; see --help`)))
  .help()
  .parseAsync();

try {
  const started = performance.now();
  const dir = findRunDir(String(argv._[0]));
  const { path, charts, bytes } = await writeReport(dir);
  console.log(`report: ${relative(process.cwd(), path)} (${charts.length} charts, ${(bytes / 1e6).toFixed(2)} MB, ${((performance.now() - started) / 1000).toFixed(2)} s)`);
  if (argv.png) {
    if (!chromiumPath()) throw new ChunkbenchError('--png: no Chromium at /usr/bin/chromium (set CHROMIUM_PATH, or `apt-get install chromium`)');
    const written = await writePngs(join(dir, 'charts'), charts);
    console.log(`png: ${written.length} charts in ${relative(process.cwd(), join(dir, 'charts'))}/`);
  }
} catch (error) {
  exitWithError(error);
}
