// Skipping tests for a missing program: one line naming it and the install command on a fresh machine;
// in CI a failure instead.
import { describe, expect, it, vi } from 'vitest';
import { decide, isCi, REDIS_SERVER, skipWithout } from './requires.ts';

describe('decide', () => {
  it('runs the tests when the component is installed, in CI or not', () => {
    expect(decide(REDIS_SERVER, 'the queue tests', true, false)).toEqual({ action: 'run' });
    expect(decide(REDIS_SERVER, 'the queue tests', true, true)).toEqual({ action: 'run' });
  });

  it('skips with one line naming the component and the install command when it is missing', () => {
    expect(decide(REDIS_SERVER, 'the queue tests', false, false)).toEqual({ action: 'skip', line: 'skipping the queue tests: redis-server is not installed (apt-get install redis-server)' });
  });

  it('fails in CI instead of skipping, saying why', () => {
    expect(decide(REDIS_SERVER, 'the queue tests', false, true)).toEqual({
      action: 'fail',
      line: 'the queue tests cannot run: redis-server is not installed, and CI is set, where they must not be skipped (.ci/run installs it: apt-get install redis-server)',
    });
  });
});

describe('isCi', () => {
  it.each([
    [{ CI: 'true' }, true],
    [{ CI: '1' }, true],
    [{ CI: 'TRUE' }, true],
    [{}, false],
    [{ CI: '' }, false],
    [{ CI: 'false' }, false],
    [{ CI: '0' }, false],
  ])('%o → %s', (env, expected) => {
    expect(isCi(env)).toBe(expected);
  });
});

describe('skipWithout', () => {
  const missing = { name: 'frobnicator', install: 'apt-get install frobnicator', installed: () => false };

  it('skips a missing component outside CI with one line, and runs an installed one silently', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(skipWithout(missing, 'the frob tests', {})).toBe(true);
      expect(skipWithout({ ...missing, installed: () => true }, 'the frob tests', {})).toBe(false);
      expect(warn.mock.calls).toEqual([['skipping the frob tests: frobnicator is not installed (apt-get install frobnicator)']]);
    } finally {
      warn.mockRestore();
    }
  });

  it('throws for a missing component in CI, which fails the test file', () => {
    expect(() => skipWithout(missing, 'the frob tests', { CI: 'true' })).toThrow(/^the frob tests cannot run: frobnicator is not installed, and CI is set/);
  });
});
