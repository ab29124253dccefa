// Makes the fixtures the end-to-end tests need, once, before any test file runs, so parallel test files
// never race to write the same file.
import { CAMERA_FIXTURES, ensureFixtures, TEST_FIXTURES } from '../src/fixtures/index.ts';

export default async function setup(): Promise<void> {
  await ensureFixtures([...TEST_FIXTURES, ...CAMERA_FIXTURES]);
}
