// The work of `chunkbench report` (flags in ../commands/report.ts): renders a stored run to index.html,
// in the run's directory or in --out. With --out the run's stored files are copied there first and the
// report is written beside the copies, so the run's own directory (a committed sample) is only read.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { ChunkbenchError } from '../../errors.ts';
import { findRunDir } from '../../harness/store.ts';
import { writePngs } from '../../report/png.ts';
import { writeReport } from '../../report/write.ts';
import { exitWithError } from '../common.ts';
import type { ReportArgs } from '../commands/report.ts';

/** A path as the user would type it: relative below the current directory, absolute elsewhere. */
const shown = (path: string) => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path) || path);

/** What a report writes; never copied from the run, so --out holds only this render's. */
const RENDERED = new Set(['index.html', 'report.json', 'charts']);

/** Copies the stored run (meta, results, projection) to `out`: a new or empty directory, or an earlier
 * copy of a run (it has a meta.json), which is overwritten. */
function copyRun(dir: string, out: string): string {
  if (out === dir) return dir;
  if (existsSync(out) && readdirSync(out).length && !existsSync(join(out, 'meta.json'))) throw new ChunkbenchError(`--out ${out}: not empty and not an earlier report copy; give a new or empty directory`);
  cpSync(dir, out, { recursive: true, filter: (path) => path === dir || !RENDERED.has(basename(path)) || join(dir, basename(path)) !== path });
  return out;
}

/** Renders the report (and the PNGs with --png); prints where it went. */
export async function run(argv: ReportArgs): Promise<void> {
  try {
    const started = performance.now();
    const stored = findRunDir(String(argv.run));
    const outDir = argv.out ? copyRun(stored, resolve(argv.out)) : stored;
    const { path, charts, bytes } = await writeReport(outDir);
    console.log(`report: ${shown(path)} (${charts.length} charts, ${(bytes / 1e6).toFixed(2)} MB, ${((performance.now() - started) / 1000).toFixed(2)} s)`);
    if (argv.png) {
      const written = await writePngs(join(outDir, 'charts'), charts);
      console.log(`png: ${written.length} charts in ${shown(join(outDir, 'charts'))}/`);
    }
  } catch (error) {
    exitWithError(error);
  }
}
