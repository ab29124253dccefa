// CPU hogs for the benchmarks that measure something under load (bench:check, bench:loaded-suite):
// `yes > /dev/null`, one process per hog, SIGKILLed by `stop()` and, whatever happens, at exit, so that a
// stopped benchmark never leaves the machine loaded for what runs next.
import { spawn, type ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const hog of running) hog.kill('SIGKILL');
});

/** Starts `count` hogs; the returned function stops them. */
export function startHogs(count: number): () => void {
  const hogs = Array.from({ length: count }, () => spawn('sh', ['-c', 'exec yes > /dev/null'], { stdio: 'ignore' }));
  for (const hog of hogs) running.add(hog);
  return () => {
    for (const hog of hogs) {
      hog.kill('SIGKILL');
      running.delete(hog);
    }
  };
}
