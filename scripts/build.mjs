// `npm run build`: src/ → dist/ (tsc -p tsconfig.build.json), plus the files tsc does not copy (the report's
// template). dist/ is emptied first, so a deleted source leaves no stale module behind. `--if-possible`
// (the `prepare` step of `npm ci`/`npm install`) skips with one line where TypeScript is not installed
// (npm ci --omit=dev): the dist/ already there is used.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (process.argv.includes('--if-possible')) {
    console.log('chunkbench build: TypeScript is not installed (dev dependencies omitted); using the dist/ that is there');
    process.exit(0);
  }
  console.error('chunkbench build: TypeScript is not installed: run `npm ci` (with the dev dependencies) first');
  process.exit(1);
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const name of readdirSync(join(root, 'src'), { recursive: true })) {
  if (String(name).endsWith('.hbs')) cpSync(join(root, 'src', String(name)), join(root, 'dist', String(name)));
}
process.exit(result.status ?? 1);
