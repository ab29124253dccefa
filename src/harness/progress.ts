// Progress of an experiment: a bar with ETA on a terminal (cli-progress), plain log lines otherwise (CI).
import cliProgress from 'cli-progress';
import type { StoredLine } from './store.ts';

/** What the runner reports as it goes. */
export interface Progress {
  start(total: number, alreadyDone: number): void;
  runDone(line: StoredLine): void;
  stop(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** "1.93 s" for a pipeline run, "1.87× (0.95 s alone)" for a ceiling run. */
const outcome = (line: StoredLine) => (line.schema === 'chunkbench.ceiling/1' ? `${line.ceiling.toFixed(2)}× (${seconds(line.aloneMs)} alone)` : seconds(line.wallMs));

/** A bar on a TTY, lines elsewhere; `quiet` prints nothing (tests). */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return { start() {}, runDone() {}, stop() {} };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      // fps 1: cli-progress redraws on a timer, 10 a second by default whether or not anything changed: in a
      // pseudo-terminal that cost 154 ms of CPU per 20 s (0.77% of the elapsed time, more than the spawner
      // now costs), at fps 1 37 ms. A run takes seconds; the bar and its ETA move once a second.
      { format: ' {bar} {value}/{total} runs | ETA {eta_formatted} | {current}', stream, hideCursor: true, etaBuffer: 20, fps: 1 },
      cliProgress.Presets.shades_classic,
    );
    return {
      start: (total, done) => bar.start(total, done, { current: 'starting' }),
      runDone: (line) => bar.increment({ current: `${line.warmup ? 'warmup ' : ''}${line.label}: ${line.state === 'ok' ? outcome(line) : 'FAILED'}` }),
      stop: () => bar.stop(),
    };
  }
  let total = 0;
  let done = 0;
  return {
    start(t, d) {
      total = t;
      done = d;
      stream.write(`running ${t - d} of ${t} scheduled runs\n`);
    },
    runDone(line) {
      done++;
      stream.write(`[${done}/${total}] ${line.warmup ? 'warmup ' : ''}${line.label}: ${line.state === 'ok' ? outcome(line) : `FAILED: ${line.error}`}\n`);
    },
    stop() {},
  };
}
