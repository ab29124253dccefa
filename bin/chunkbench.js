#!/usr/bin/env node
// `chunkbench`: checks the Node version before anything else is loaded, then runs the compiled CLI in dist/.
// In a checkout that has not been built, or whose src/ changed since the last build, it runs the TypeScript
// source through tsx (a dev dependency) when that is installed, so a developer never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NODE_RANGE, nodeSupported } from './node-version.js';

if (!nodeSupported(process.versions.node)) {
  process.stderr.write(`chunkbench: Node ${process.versions.node} is too old: chunkbench needs Node ${NODE_RANGE} (its dependencies do)\n`);
  process.exit(1);
}

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const built = path('../dist/cli/main.js');
const source = path('../src/cli/main.ts');

/** True when a file under src/ is newer than the build (a developer edited and did not rebuild). */
function stale() {
  const builtMs = statSync(built).mtimeMs;
  const dir = path('../src');
  return readdirSync(dir, { recursive: true }).some((name) => String(name).endsWith('.ts') && statSync(`${dir}/${name}`).mtimeMs > builtMs);
}

/** tsx's loader, or null when the dev dependencies are not installed. */
async function tsx() {
  try {
    return (await import('tsx/esm/api')).tsImport;
  } catch {
    return null;
  }
}

let main;
const hasBuild = existsSync(built);
const fromSource = existsSync(source) && (!hasBuild || stale()) ? await tsx() : null;
if (fromSource) {
  ({ main } = await fromSource('../src/cli/main.ts', import.meta.url));
} else if (hasBuild) {
  if (existsSync(source) && stale()) process.stderr.write('chunkbench: src/ changed since the last build, which this runs (npm run build)\n');
  ({ main } = await import(new URL('../dist/cli/main.js', import.meta.url).href));
} else {
  process.stderr.write(existsSync(source) ? 'chunkbench: not built (no dist/): run `npm run build`, which needs the dev dependencies (npm ci)\n' : 'chunkbench: this install has no dist/ (a broken package): reinstall chunkbench\n');
  process.exit(1);
}
await main(process.argv.slice(2));
