// `npm run fixtures [-- name …]`: makes the test videos fixtures/manifest.json describes (all by default).
// Existing files are checked, not rebuilt.
import { exitWithError } from '../src/cli/common.ts';
import { ensureFixtureStatus, readManifest } from '../src/fixtures/index.ts';

try {
  const names = process.argv.slice(2).filter((a) => a !== '--');
  for (const name of names.length ? names : Object.keys(readManifest().fixtures)) {
    const started = performance.now();
    const { path, made } = await ensureFixtureStatus(name);
    console.log(`${made ? 'made' : 'ok  '} ${name.padEnd(8)} ${path} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
} catch (error) {
  exitWithError(error);
}
