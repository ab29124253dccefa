// Seeded randomness for run orders and bootstrap resampling. The same seed gives the same run order and
// the same confidence intervals on every machine and every run, so a stored experiment can be re-analysed
// exactly. Nothing here touches Math.random.
//
//   mulberry32  Tommy Ettinger (2017, public domain),
//               https://gist.github.com/tommyettinger/46a874533244883189143505d203312c — a 32-bit Weyl
//               sequence (state += 0x6D2B79F5) through a MurmurHash3-style mixer; period 2³², ample for
//               shuffling a round or drawing 10⁴ bootstrap replicates. Not cryptographic.
//   seedFrom    FNV-1a, 32-bit (Fowler, Noll & Vo; http://www.isthe.com/chongo/tech/comp/fnv/), over the
//               UTF-8 bytes of the text: offset basis 0x811C9DC5, prime 0x01000193.
//   shuffle     Fisher–Yates in Durstenfeld's form (Knuth, TAOCP vol. 2, §3.4.2, Algorithm P): each of
//               the n! orders is equally likely given a uniform generator.

/** A generator of floats in [0, 1); every source of randomness in chunkbench has this shape. */
export type Rng = () => number;

/** mulberry32: a tiny, fast seeded PRNG (the seed is taken modulo 2³²) returning floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const utf8 = new TextEncoder();

/** A 32-bit seed from a string (FNV-1a), e.g. a per-round seed from `${runSeed}:round:${n}`. */
export function seedFrom(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** A generator from a numeric seed, or from a string through `seedFrom`. */
export function rngFrom(seed: number | string): Rng {
  return mulberry32(typeof seed === 'string' ? seedFrom(seed) : seed);
}

/** Fisher–Yates shuffle into a new array; `items` is left as it was. */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
