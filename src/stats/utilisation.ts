// CPU utilisation of a run: U = Σ (user + sys CPU of every ffmpeg) / (wall × cores). 1.0 means every core
// was busy with ffmpeg for the whole wall time; the rest is idle time, waiting, or the harness itself.

/** Σ CPU ms / (wall ms × cores). */
export function cpuUtilisation(ffmpegCpuMs: number, wallMs: number, cores: number): number {
  return wallMs > 0 && cores > 0 ? ffmpegCpuMs / (wallMs * cores) : 0;
}
