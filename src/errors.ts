// The one error type a user should see: a single line that names the file or flag, what is wrong and what
// is accepted. The CLIs print `message` alone (no stack) and exit non-zero; anything else is a bug.

/** An error caused by the user's input or environment, with a one-line message fit to print as is. */
export class ChunkbenchError extends Error {
  override readonly name = 'ChunkbenchError';
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
