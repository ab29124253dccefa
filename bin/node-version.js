// The Node versions chunkbench runs on: what its dependencies need (yargs 18 and vitest 4: ^20.19 or ≥ 22.12).
// Plain JavaScript with no imports, so that the check runs, and says so in one line, on any Node.

/** As package.json's engines.node (a test keeps the two equal). */
export const NODE_RANGE = '^20.19.0 || >=22.12.0';

/** True for a version ("20.19.1", "v22.12.0") inside NODE_RANGE. */
export function nodeSupported(version) {
  const [major = 0, minor = 0] = String(version).replace(/^v/, '').split('.').map(Number);
  return (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22;
}
