// Makes the fixtures the end-to-end tests need, once, before any test file runs.
export default async function setup(): Promise<void> {
  const { ensureFixtures, TEST_FIXTURES } = await import('../src/fixtures/index.ts').catch(() => ({
    ensureFixtures: undefined,
    TEST_FIXTURES: [] as string[],
  }));
  if (ensureFixtures) await ensureFixtures(TEST_FIXTURES);
}
