// The pipeline's defaults, in a module of their own that imports nothing: `chunkbench pipeline --help` shows
// them without loading the pipeline (options.ts applies them and re-exports them).

/** Defaults, as documented in --help and docs/cli.md. */
export const DEFAULTS = {
  mode: 'chunked',
  workers: 2,
  segmentSeconds: 10,
  split: 'exact',
  codec: 'libx264',
  preset: 'veryfast',
  filter: 'none',
  threads: 1,
  retries: 2,
  timeoutFactor: 5,
  speculate: 0,
  injectFaults: 0,
  injectStalls: 0,
  faultSeed: 1,
} as const;
