// CPU utilisation of one run:
//   U = Σₚ (userₚ + sysₚ) / (wall × cores)
// over the ffmpeg processes p of the run (CPU times as reported by the OS, e.g. getrusage / wait4 of each
// child). U = 1 means every core was busy with ffmpeg for the whole wall time; 1 − U is idle time, I/O
// waits, serial phases and the harness itself. Times in ms; U is dimensionless. Pure.

/** CPU times of one process, in ms. */
export interface CpuTimesMs {
  userMs: number;
  sysMs: number;
}

/** Σ (user + sys) over the processes, in ms. */
export function totalCpuMs(processes: readonly CpuTimesMs[]): number {
  return processes.reduce((sum, p) => sum + p.userMs + p.sysMs, 0);
}

/** U = ffmpeg CPU ms / (wall ms × cores); 0 when wall or cores is not positive (nothing was measured). */
export function cpuUtilisation(ffmpegCpuMs: number, wallMs: number, cores: number): number {
  return wallMs > 0 && cores > 0 ? ffmpegCpuMs / (wallMs * cores) : 0;
}

/** U from the processes' own CPU times: cpuUtilisation(totalCpuMs(processes), wallMs, cores). */
export function cpuUtilisationOf(processes: readonly CpuTimesMs[], wallMs: number, cores: number): number {
  return cpuUtilisation(totalCpuMs(processes), wallMs, cores);
}
