// Programs some tests need that a fresh machine may lack: redis-server (the queue executor) and Chromium
// (the report in a browser). Where one is missing, its tests are skipped with one line naming it and the
// install command, so that `npm test` passes on a fresh machine. In CI (CI set, as CI services do) they
// are never skipped: `.ci/run` installs both, so a missing one there fails the test file, with that line,
// instead of silently running fewer tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A program that tests need, how to tell that it is there, and how to install it. */
export interface Component {
  name: string;
  install: string;
  installed: () => boolean;
}

export const REDIS_SERVER: Component = {
  name: 'redis-server',
  install: 'apt-get install redis-server',
  installed: () => !spawnSync('redis-server', ['--version']).error,
};

/** Debian's Chromium (or $CHROMIUM_PATH), which playwright-core drives; no browser download happens. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM: Component = {
  name: `Chromium (${CHROMIUM_PATH})`,
  install: 'apt-get install chromium, or set CHROMIUM_PATH',
  installed: () => existsSync(CHROMIUM_PATH),
};

/** True when the environment says this is CI (`CI=true`, `CI=1`, …; not `false` or `0`). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** Run the tests, skip them (printing `line`), or fail (in CI, with `line` as the error). Pure. */
export function decide(component: Pick<Component, 'name' | 'install'>, what: string, installed: boolean, ci: boolean): { action: 'run' } | { action: 'skip' | 'fail'; line: string } {
  if (installed) return { action: 'run' };
  if (ci) return { action: 'fail', line: `${what} cannot run: ${component.name} is not installed, and CI is set, where they must not be skipped (.ci/run installs it: ${component.install})` };
  return { action: 'skip', line: `skipping ${what}: ${component.name} is not installed (${component.install})` };
}

/** True when `what` (e.g. "the queue executor tests") must be skipped for want of `component`, after
 * printing one line saying so; throws in CI, which fails the test file at collection with that line. */
export function skipWithout(component: Component, what: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const decision = decide(component, what, component.installed(), isCi(env));
  if (decision.action === 'fail') throw new Error(decision.line);
  if (decision.action === 'skip') console.warn(decision.line);
  return decision.action === 'skip';
}
