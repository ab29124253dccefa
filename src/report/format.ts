// The one formatting module of the report: every number on the page goes through here, so that "12%" means
// one thing and an interval is written one way. A value with no interval (one round) says so instead of
// printing [x, x] as if it were exact.

/** Anything with a point estimate and a 95% interval; `n` < 2 means no interval could be estimated. */
export interface Estimate {
  point: number;
  lo: number;
  hi: number;
  n?: number;
}

const noCi = (e: Estimate) => e.n !== undefined && e.n < 2;

/** Milliseconds as seconds: "4.87 s". */
export const seconds = (ms: number, digits = 2): string => `${(ms / 1000).toFixed(digits)} s`;

/** A wall time with its interval: "4.87 s [4.53, 5.21]". */
export const secondsCi = (e: Estimate, digits = 2): string => `${seconds(e.point, digits)}${noCi(e) ? ' (1 run, no CI)' : ` [${(e.lo / 1000).toFixed(digits)}, ${(e.hi / 1000).toFixed(digits)}]`}`;

/** A ratio: "1.72×". */
export const times = (v: number, digits = 2): string => `${v.toFixed(digits)}×`;

/** Digits enough that an interval which excludes 1× does not print a bound as 1 (a verdict of "slower" next
 * to "[1.00, 1.43]" reads as wrong): `digits`, or up to 4 where a bound rounds to 1 at fewer. `scale` is the
 * printed unit per unit of ratio (100 for percent changes). */
function digitsClear(e: Estimate, digits: number, scale = 1): number {
  if (noCi(e) || !(e.lo > 1 || e.hi < 1)) return digits;
  let d = digits;
  // a bound that prints as 1 (or as a zero change), from either side: 0.9996 rounds to "-0.00" as much as 1.0004 to "0.00"
  const one = (v: number, at: number) => Number(((v - 1) * scale).toFixed(at)) === 0;
  while (d < 4 && (one(e.lo, d) || one(e.hi, d))) d++;
  return d;
}

/** A ratio with its interval: "1.72× [1.63, 1.82]". */
export const timesCi = (e: Estimate, digits = 2): string => {
  const d = digitsClear(e, digits);
  return `${times(e.point, digits)}${noCi(e) ? ' (1 round, no CI)' : ` [${e.lo.toFixed(d)}, ${e.hi.toFixed(d)}]`}`;
};

/** A share of a whole: 0.123 → "12%". */
export const share = (v: number, digits = 0): string => `${(v * 100).toFixed(digits)}%`;

/** A share with its interval: "12% [10, 14]". */
export const shareCi = (e: Estimate, digits = 0): string => `${share(e.point, digits)}${noCi(e) ? ' (1 round, no CI)' : ` [${(e.lo * 100).toFixed(digits)}, ${(e.hi * 100).toFixed(digits)}]`}`;

/** A ratio as a change: 1.05 → "+5.0%", 0.9 → "−10.0%"; a change that rounds to zero has no sign ("0.0%"). */
export const change = (ratio: number, digits = 1): string => {
  const magnitude = Math.abs((ratio - 1) * 100).toFixed(digits);
  return `${Number(magnitude) === 0 ? '' : ratio >= 1 ? '+' : '−'}${magnitude}%`;
};

/** A ratio with its interval as a change: "+5.0% [+1.2, +8.9]". */
export const changeCi = (e: Estimate, digits = 1): string => {
  const d = digitsClear(e, digits, 100);
  return `${change(e.point, digits)}${noCi(e) ? ' (1 round, no CI)' : ` [${change(e.lo, d)}, ${change(e.hi, d)}]`}`;
};

/** Where a ratio's interval lies relative to 1: the only claim the data support at 95%. */
export function verdict(e: Estimate): 'above' | 'below' | 'unclear' {
  if (noCi(e)) return 'unclear';
  return e.lo > 1 ? 'above' : e.hi < 1 ? 'below' : 'unclear';
}

/** "a, b and c". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "1 chunk", "2 chunks". */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** A duration that may run to minutes: "2.75 s", "12.6 s", "11.0 min". */
export const duration = (ms: number): string => (ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`);

/** A model's ratio, rounded as its precision deserves: "1.9×", "53×". */
export const timesRounded = (v: number): string => `${v.toFixed(v >= 10 ? 0 : 1)}×`;

/** A number that is already a percentage: 3.456 → "3.5%"; signed: "+3.5%". */
export const percent = (p: number, digits = 1): string => `${p.toFixed(digits)}%`;
export const signedPercent = (p: number, digits = 1): string => `${p >= 0 ? '+' : ''}${p.toFixed(digits)}%`;

/** A ratio's rise above 1 with its interval, in percentage points of the baseline: "12.0% [8.1, 15.9]". */
export const riseCi = (e: Estimate, digits = 1): string => `${((e.point - 1) * 100).toFixed(digits)}% [${((e.lo - 1) * 100).toFixed(digits)}, ${((e.hi - 1) * 100).toFixed(digits)}]`;

/** A described sample of wall times (mean and its 95% CI), as seconds: "4.87 s [4.53, 5.21]"; "—" without one. */
export const wallCi = (d: { mean: number; ci95: { lo: number; hi: number }; n?: number } | null | undefined, digits = 2): string =>
  d ? secondsCi({ point: d.mean, lo: d.ci95.lo, hi: d.ci95.hi, ...(d.n === undefined ? {} : { n: d.n }) }, digits) : '—';

/** A signed percentage written with the minus sign the rest of the page uses: "-2.7%" → "−2.7%". */
export const typographicMinus = (text: string): string => text.replace(/(^|[\s(\[,])-(?=\d)/g, '$1−');

/** A signed number with the page's minus sign: 3.2 → "+3.2", −0.4 → "−0.4". */
export const signed = (v: number, digits = 1): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;

/** A difference that can be negative, with its interval, every number signed: "−10.0 ms [−115.6, +95.7]". */
export const signedCi = (v: { value: number; lo: number; hi: number }, digits: number, unit: string): string => `${signed(v.value, digits)}${unit} [${signed(v.lo, digits)}, ${signed(v.hi, digits)}]`;

/** A positive quantity with its interval: "4.7 ms [3.2, 6.2]". */
export const valueCi = (v: { value: number; lo: number; hi: number }, digits: number, unit: string): string => typographicMinus(`${v.value.toFixed(digits)}${unit} [${v.lo.toFixed(digits)}, ${v.hi.toFixed(digits)}]`);

/** A length in seconds as the segments section writes it: "2 s", "4.5 s", "45 s" (a tenth below 10 s). */
export const roundedSeconds = (v: number): string => `${Number(v.toFixed(v < 10 ? 1 : 0))} s`;

/** A video's length in short words: "60 s", "3 min", "2 h" (minutes from 2 min, as projection.ts's videoWords). */
export const videoLength = (s: number): string => (s >= 3600 ? `${Number((s / 3600).toFixed(1))} h` : s >= 120 ? `${Number((s / 60).toFixed(1))} min` : `${Number(s.toFixed(1))} s`);
