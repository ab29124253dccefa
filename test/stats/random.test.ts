import { describe as group, expect, it } from 'vitest';
import { mulberry32, rngFrom, seedFrom, shuffle } from '../../src/stats/index.ts';

group('mulberry32', () => {
  it('matches the reference algorithm', () => {
    // first three outputs for seed 0, from an independent Python port of Ettinger's C reference
    const rng = mulberry32(0);
    expect([rng(), rng(), rng()]).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
  });

  it('is deterministic per seed, in [0, 1), and takes the seed modulo 2³²', () => {
    const a = mulberry32(42), b = mulberry32(42), c = mulberry32(43), d = mulberry32(42 + 2 ** 32);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      expect(b()).toBe(x);
      expect(d()).toBe(x);
    }
    expect(c()).not.toBe(mulberry32(42)());
  });
});

group('seedFrom', () => {
  it('is 32-bit FNV-1a over UTF-8', () => {
    // published FNV-1a 32 test vectors: "" → 0x811c9dc5 (the offset basis), "a" → 0xe40c292c, "foobar" → 0xbf9cf968
    expect(seedFrom('')).toBe(0x811c9dc5);
    expect(seedFrom('a')).toBe(0xe40c292c);
    expect(seedFrom('foobar')).toBe(0xbf9cf968);
    expect(seedFrom('7:round:3')).not.toBe(seedFrom('7:round:4'));
  });

  it('feeds rngFrom', () => {
    expect(rngFrom('run-7')()).toBe(mulberry32(seedFrom('run-7'))());
    expect(rngFrom(5)()).toBe(mulberry32(5)());
  });
});

group('shuffle', () => {
  it('returns a permutation, the same one for the same seed, and leaves the input alone', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const once = shuffle(items, mulberry32(42));
    expect([...once].sort((a, b) => a - b)).toEqual(items);
    expect(shuffle(items, mulberry32(42))).toEqual(once);
    expect(shuffle(items, mulberry32(43))).not.toEqual(once);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(shuffle([], mulberry32(1))).toEqual([]);
    expect(shuffle(['a'], mulberry32(1))).toEqual(['a']);
  });

  it('makes every order about equally likely', () => {
    // 6000 shuffles of 3 items: each of the 3! = 6 orders expects 1000, sd √(6000 · 1/6 · 5/6) = 28.9
    const rng = mulberry32(2024);
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const key = shuffle(['a', 'b', 'c'], rng).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150); // > 5 sd
  });
});
