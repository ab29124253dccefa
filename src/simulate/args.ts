// Parsing of the projection's worker list: "1,2,4,8" or a doubling range "1..1024" (1, 2, 4, …, 1024),
// mixed freely ("1..8,12,16"). Bad input is a one-line ChunkbenchError naming the flag, the value and
// what is accepted.
import { ChunkbenchError } from '../errors.ts';

const ACCEPTED = 'a comma-separated list of whole numbers ≥ 1, or a doubling range a..b (e.g. 1,2,4 or 1..1024)';
/** More than this many simulated workers is surely a typo (and slow to simulate). */
export const MAX_WORKERS = 1_000_000;

/** Worker counts, sorted and without duplicates. */
export function parseWorkerList(text: string, flag = '--workers'): number[] {
  const bad = () => new ChunkbenchError(`${flag} must be ${ACCEPTED}, up to ${MAX_WORKERS}; got '${text}'`);
  const whole = (s: string) => {
    if (!/^\s*\d+\s*$/.test(s)) throw bad();
    const n = Number(s);
    if (!(Number.isSafeInteger(n) && n >= 1 && n <= MAX_WORKERS)) throw bad();
    return n;
  };
  const parts = text.split(',');
  if (!text.trim() || parts.some((p) => !p.trim())) throw bad();
  const out: number[] = [];
  for (const part of parts) {
    const range = /^(.*)\.\.(.*)$/.exec(part);
    if (!range) {
      out.push(whole(part));
      continue;
    }
    const from = whole(range[1] ?? '');
    const to = whole(range[2] ?? '');
    if (to < from) throw bad();
    for (let n = from; n < to; n *= 2) out.push(n);
    out.push(to);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}
