// Resolves the ffmpeg and ffprobe binaries once, checks that they run, and says where they came from.
// Which build is measured matters more than any flag: every run's header, record and report name it.
//
// Order (first that exists wins; an explicit choice that does not run is an error, never skipped):
//   ffmpeg : --ffmpeg / $FFMPEG_PATH → ffmpeg-static (optional dep; its install downloads from GitHub and
//            may have failed) → @ffmpeg-installer/ffmpeg (one binary for this platform, from an optional
//            per-platform package) → `ffmpeg` on $PATH
//   ffprobe: --ffprobe / $FFPROBE_PATH → @ffprobe-installer/<platform>-<arch> (one optional per-platform
//            package, installed only on its os/cpu; linux-x64 is pinned to the 2018 4.0.3 build because every
//            later static build — 4.1.0 to 5.2.0 — segfaults on opening any MPEG-TS file: its MPEG-TS reader
//            converts the service name with iconv, and the statically linked glibc 2.28 loads the host's
//            gconv module, which pulls the host's libc into the process) → `ffprobe` on $PATH
// The bundled builds are the zero-set-up default; a newer ffmpeg on PATH is used only when chosen (or when
// no bundled one installed), so that results do not change with whatever the machine has.
import { chmodSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { ChunkbenchError } from '../errors.ts';

const require = createRequire(import.meta.url);

/** One resolved binary: where it is, how it was found, and the first line of its `-version`. */
export interface ResolvedBinary {
  path: string;
  source: 'env' | 'ffmpeg-static' | '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer' | 'PATH';
  version: string;
}

/** Both binaries; every run record carries this. */
export interface Binaries {
  ffmpeg: ResolvedBinary;
  ffprobe: ResolvedBinary;
}

interface Candidate {
  source: ResolvedBinary['source'];
  path: string | undefined;
}

function fromPackage(name: string, pick: (mod: unknown) => unknown): string | undefined {
  try {
    const value = pick(require(name));
    return typeof value === 'string' && existsSync(value) ? value : undefined;
  } catch {
    return undefined; // not installed (an optional dependency whose install failed)
  }
}

/** A binary shipped in the per-platform package `<scope>/<platform>-<arch>` (an optional dependency that npm
 * installs only on its own os/cpu; the package has no entry point, so the file is resolved directly). */
function platformBinary(scope: string, file: string): string | undefined {
  try {
    const path = require.resolve(`${scope}/${process.platform}-${process.arch}/${file}`);
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined; // no package for this platform, or its optional install failed
  }
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    if (dir && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Candidates for ffmpeg, in the documented order. */
export function ffmpegCandidates(env: NodeJS.ProcessEnv = process.env): Candidate[] {
  return [
    { source: 'env', path: env.FFMPEG_PATH || undefined },
    { source: 'ffmpeg-static', path: fromPackage('ffmpeg-static', (m) => m) },
    { source: '@ffmpeg-installer/ffmpeg', path: fromPackage('@ffmpeg-installer/ffmpeg', (m) => (m as { path?: string }).path) },
    { source: 'PATH', path: onPath('ffmpeg') },
  ];
}

/** Candidates for ffprobe, in the documented order. */
export function ffprobeCandidates(env: NodeJS.ProcessEnv = process.env): Candidate[] {
  return [
    { source: 'env', path: env.FFPROBE_PATH || undefined },
    { source: '@ffprobe-installer', path: platformBinary('@ffprobe-installer', process.platform === 'win32' ? 'ffprobe.exe' : 'ffprobe') },
    { source: 'PATH', path: onPath('ffprobe') },
  ];
}

// npm ≥ 11 may skip install scripts, so a package's `chmod u+x` postinstall may never have run; and where it
// ran, `u+x` leaves the binary executable by its owner only, so a queue worker started as another user (the
// shared-nothing tests run one as `nobody`) could not run it. Whoever can, makes it executable by all.
function ensureExecutable(path: string): void {
  try {
    const mode = statSync(path).mode;
    if ((mode & 0o111) !== 0o111) chmodSync(path, mode | 0o111);
  } catch {
    // not ours to change (a read-only or another user's install): the version check below reports it
  }
}

async function versionLine(path: string): Promise<string> {
  if (!existsSync(path)) throw new Error('no such file');
  ensureExecutable(path);
  const result = await execa(path, ['-hide_banner', '-version'], { reject: false, timeout: 15_000 });
  const first = result.stdout.split('\n')[0]?.trim() ?? '';
  if (result.exitCode !== 0 || !first) {
    const why = result.exitCode === undefined ? ((result.shortMessage ?? '').split('\n')[0] || 'did not start') : `exit code ${result.exitCode}`;
    throw new Error(why);
  }
  return first;
}

async function resolveOne(tool: 'ffmpeg' | 'ffprobe', candidates: Candidate[]): Promise<ResolvedBinary> {
  const envName = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  for (const candidate of candidates) {
    if (!candidate.path) continue;
    try {
      return { path: candidate.path, source: candidate.source, version: await versionLine(candidate.path) };
    } catch (error) {
      if (candidate.source === 'env') {
        throw new ChunkbenchError(
          `--${tool} / ${envName}=${candidate.path} does not run (${(error as Error).message}); give an ${tool} executable, or neither for the bundled one`,
        );
      }
      // a broken package binary: fall through to the next candidate
    }
  }
  throw new ChunkbenchError(
    `no working ${tool} found (tried $${envName}, ${candidates.slice(1).map((c) => c.source).join(', ')}); run \`npm install\` or set ${envName}`,
  );
}

let cached: Promise<Binaries> | undefined;

/** Resolves both binaries once per process (the version check spawns each binary). */
export function resolveBinaries(): Promise<Binaries> {
  cached ??= (async () => ({
    ffmpeg: await resolveOne('ffmpeg', ffmpegCandidates()),
    ffprobe: await resolveOne('ffprobe', ffprobeCandidates()),
  }))();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

/** For tests: resolve with an explicit environment, bypassing the cache. */
export async function resolveBinariesWith(env: NodeJS.ProcessEnv): Promise<Binaries> {
  return {
    ffmpeg: await resolveOne('ffmpeg', ffmpegCandidates(env)),
    ffprobe: await resolveOne('ffprobe', ffprobeCandidates(env)),
  };
}
