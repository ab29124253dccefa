// What every CLI shares: one-line errors for the user (a stack only for real bugs), and Ctrl-C handling.
import { isUserError } from '../errors.ts';
import { killAllChildren } from '../ffmpeg/terminate.ts';
import { removeAllWorkDirs } from '../pipeline/workdirs.ts';

/** Prints `chunkbench: <reason>` (one line) and exits non-zero; unexpected errors keep their stack. */
export function exitWithError(error: unknown): never {
  if (isUserError(error)) {
    process.stderr.write(`chunkbench: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  // a failed .check() reaches yargs' fail handler as its message alone, a string: a usage error too
  if (typeof error === 'string') {
    process.stderr.write(`chunkbench: ${error.replace(/\s*\n\s*/g, ' ')}; see --help\n`);
    process.exit(2);
  }
  const message = error instanceof Error ? error.message : String(error);
  // yargs' own validation errors are user errors too: keep them to one line
  if (error instanceof Error && (error.name === 'YError' || /see --help$/.test(message))) {
    process.stderr.write(`chunkbench: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    process.exit(2);
  }
  process.stderr.write(`chunkbench: internal error: ${error instanceof Error ? (error.stack ?? message) : message}\n`);
  process.exit(1);
}

/** First Ctrl-C/SIGTERM aborts the run (children are killed, temp dirs removed, results kept); a second
 * exits at once, after SIGKILLing every child and removing the temp dirs synchronously. */
export function interruptController(): { controller: AbortController } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      killAllChildren();
      removeAllWorkDirs();
      process.stderr.write(`chunkbench: ${signal} again: exited at once; every ffmpeg was killed\n`);
      process.exit(130);
    }
    process.stderr.write(`\nchunkbench: ${signal} received, stopping ffmpeg and cleaning up (press Ctrl-C again to exit at once)\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { controller };
}
