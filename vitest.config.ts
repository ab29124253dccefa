import { defineConfig } from 'vitest/config';

// End-to-end tests run real ffmpeg on a 2-core machine: generous timeouts, and the fixtures are made once
// in globalSetup so that parallel test files never race to write the same file.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    reporters: process.env.CHUNKBENCH_JSON_REPORT
      ? ['default', ['json', { outputFile: process.env.CHUNKBENCH_JSON_REPORT }]]
      : ['default'],
  },
});
