// The one error type a user should see: a single line that names the file or flag, what is wrong and what
// is accepted. The CLIs print `message` alone (no stack) and exit non-zero; anything else is a bug.

/** An error caused by the user's input or environment, with a one-line message fit to print as is. */
export class ChunkbenchError extends Error {
  override readonly name: string = 'ChunkbenchError';
  constructor(
    message: string,
    /** Exit code for CLIs: 2 for bad input (usage), 1 for a failed run. */
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}

/** True for errors whose message is meant for the user. */
export function isUserError(error: unknown): error is ChunkbenchError {
  return error instanceof ChunkbenchError;
}

/** The disk ran full. Not the run's fault and not retryable: an experiment stops here (what is stored
 * stays stored) instead of recording one failed run after another. */
export class DiskFullError extends ChunkbenchError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** True for an ENOSPC from Node or an ffmpeg that said so. */
export function isDiskFull(error: unknown, stderr = ''): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC' || /No space left on device/i.test(stderr);
}

/** Edit distance (Levenshtein: insertions, deletions, substitutions, each costing 1). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The candidate nearest to `word` for a "did you mean …?", or undefined when none is close (at most a
 * third of the word's letters apart, and never more than 3): a typo, not a different word. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
