// Grid → configurations, a pure function. Dimensions a mode does not use are normalised away (single has
// no workers or segments; sequential has one worker; single-mt has no thread limit), so configurations
// that would run the same commands are one configuration, however many sweeps name it.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { DEFAULTS } from '../pipeline/options.ts';
import type { Codec, Mode, SegmentLength, SplitStrategy } from '../pipeline/types.ts';
import type { Dimension, Grid } from './schema.ts';

/** One configuration of the grid: everything a pipeline run needs but the resolved input path. */
export interface GridConfig {
  id: string;
  label: string;
  /** The sweeps that include this configuration (report sections use them). */
  sweeps: string[];
  input: string;
  mode: Mode;
  workers: number;
  /** Seconds, 'auto' (chosen per run after the probe), or null for modes without chunks. */
  segmentSeconds: SegmentLength | null;
  split: SplitStrategy | null;
  codec: Codec;
  preset: string;
  filter: string;
  /** 0 = ffmpeg's own threading on all cores (single-mt). */
  threads: number;
  crf: number | null;
  workDir: string;
  /** Fault tolerance (see the pipeline's --retries, --inject-faults, --inject-stalls, --speculate). */
  retries: number;
  injectFaults: number;
  injectStalls: number;
  speculate: number;
  /** Where chunks run: the local pool, or BullMQ jobs on Redis run by queue workers. */
  executor: 'local' | 'queue';
  /** For `executor: queue`: how chunk bytes move (src/transport/); absent in runs from before it: shared. */
  transport?: 'shared' | 'http';
  /** Measured rounds, where fewer than the grid's `repeats` (every sweep that includes it set fewer). */
  rounds?: number;
}

type Settings = Omit<GridConfig, 'id' | 'label' | 'sweeps' | 'rounds'>;

const CENTRE: Omit<Settings, 'input'> = {
  mode: DEFAULTS.mode,
  workers: DEFAULTS.workers,
  segmentSeconds: DEFAULTS.segmentSeconds,
  split: DEFAULTS.split,
  codec: DEFAULTS.codec,
  preset: DEFAULTS.preset,
  filter: DEFAULTS.filter,
  threads: DEFAULTS.threads,
  crf: null,
  workDir: 'tmp',
  retries: DEFAULTS.retries,
  injectFaults: DEFAULTS.injectFaults,
  injectStalls: DEFAULTS.injectStalls,
  speculate: DEFAULTS.speculate,
  executor: 'local',
  transport: 'shared',
};

// Dimensions added after grids were first stored: left out of the id at their default, so that stored runs
// and baselines keep their configuration ids.
const LATER_DIMENSIONS = ['retries', 'injectFaults', 'injectStalls', 'speculate', 'executor', 'transport'] as const;

/** Drops what a mode does not use, so equivalent configurations compare equal. */
export function normalise(settings: Settings): Settings {
  const s = { ...settings };
  if (s.mode === 'single' || s.mode === 'single-mt') {
    s.workers = 1;
    s.segmentSeconds = null;
    s.split = null;
  }
  if (s.mode === 'sequential') s.workers = 1;
  if (s.mode === 'single-mt') s.threads = 0;
  // the baselines are one ffmpeg each: no chunks to retry, fault or back up
  if (s.mode === 'single' || s.mode === 'single-mt') {
    s.retries = DEFAULTS.retries;
    s.injectFaults = 0;
    s.injectStalls = 0;
    s.speculate = 0;
    s.executor = 'local';
  }
  // only a queue moves chunks between machines
  if (s.executor !== 'queue') s.transport = 'shared';
  return s;
}

/** A stable id: the same settings give the same id in every run and on every machine. */
export function configId(settings: Settings): string {
  const keys = Object.keys(settings).filter((k) => !(LATER_DIMENSIONS as readonly string[]).includes(k) || settings[k as keyof Settings] !== CENTRE[k as keyof typeof CENTRE]);
  const canonical = JSON.stringify(keys.sort().map((k) => [k, settings[k as keyof Settings]]));
  return createHash('sha1').update(canonical).digest('hex').slice(0, 10);
}

/** The settings of a configuration but the named dimensions, as a key: configurations with equal keys
 * differ only in those dimensions (the report pairs them: fault rates, speculation, executors). */
export function keyWithout(c: GridConfig, ...dims: (keyof GridConfig)[]): string {
  return JSON.stringify(Object.entries(c).filter(([k]) => !['id', 'label', 'sweeps', 'rounds', ...dims].includes(k)));
}

/** "chunked w2 10s exact · veryfast · none · t1"; "chunked w2 auto exact · …" for `segment: auto`. */
export function configLabel(s: Settings, showInput: boolean): string {
  const segment = s.segmentSeconds === 'auto' ? 'auto' : `${s.segmentSeconds}s`;
  const head = s.mode === 'chunked' ? `chunked w${s.workers} ${segment} ${s.split}` : s.mode === 'sequential' ? `sequential ${segment} ${s.split}` : s.mode;
  const parts = [head, `${s.codec === 'libx264' ? '' : `${s.codec} `}${s.preset}`, s.filter, s.threads === 0 ? 'all cores' : `t${s.threads}`];
  if (s.crf !== null) parts.push(`crf${s.crf}`);
  if (s.workDir !== 'tmp') parts.push(s.workDir);
  if (s.injectFaults > 0) parts.push(`faults ${s.injectFaults}`);
  if (s.injectStalls > 0) parts.push(`stalls ${s.injectStalls}`);
  if (s.speculate > 0) parts.push(`speculate ${s.speculate}×`);
  if (s.retries !== DEFAULTS.retries) parts.push(`retries ${s.retries}`);
  if (s.executor === 'queue') parts.push(s.transport === 'http' ? 'queue http' : 'queue');
  if (showInput) parts.push(basename(s.input));
  return parts.join(' · ');
}

function crossProduct(vary: Partial<Record<Dimension, unknown[]>>): Partial<Record<Dimension, unknown>>[] {
  return Object.entries(vary).reduce<Partial<Record<Dimension, unknown>>[]>(
    (rows, [key, values]) => rows.flatMap((row) => (values ?? []).map((value) => ({ ...row, [key]: value }))),
    [{}],
  );
}

/** The grid's centre: its `fixed` settings on its first input — the configuration the team ships, and the
 * headline. Its id matches the expanded configuration with the same settings, when a sweep includes it. */
export function centreConfig(grid: Grid): GridConfig {
  const input = grid.inputs[0] as string;
  const settings = normalise({ ...CENTRE, input, ...grid.fixed } as Settings);
  return { id: configId(settings), label: configLabel(settings, grid.inputs.length > 1), sweeps: [], ...settings };
}

/** Every distinct configuration of a grid, in a stable order (sweep by sweep, then by position). */
export function expandGrid(grid: Grid): GridConfig[] {
  const sweeps = grid.sweeps.length ? grid.sweeps : [{ name: 'centre', vary: {} }];
  const byId = new Map<string, GridConfig>();
  for (const input of grid.inputs) {
    for (const sweep of sweeps) {
      for (const point of crossProduct(sweep.vary as Partial<Record<Dimension, unknown[]>>)) {
        const settings = normalise({ ...CENTRE, input, ...grid.fixed, ...point } as Settings);
        const id = configId(settings);
        const existing = byId.get(id);
        if (existing) {
          if (!existing.sweeps.includes(sweep.name)) existing.sweeps.push(sweep.name);
          continue;
        }
        byId.set(id, { id, label: '', sweeps: [sweep.name], ...settings });
      }
    }
  }
  const configs = [...byId.values()];
  const manyInputs = new Set(configs.map((c) => c.input)).size > 1;
  for (const c of configs) c.label = configLabel(c, manyInputs);
  // rounds: the most any of its sweeps asks for; the centre is the headline and always runs them all
  const centreId = centreConfig(grid).id;
  const sweepRounds = new Map(sweeps.map((s) => [s.name, Math.min(grid.repeats, ('repeats' in s ? s.repeats : undefined) ?? grid.repeats)]));
  for (const c of configs) {
    const rounds = c.id === centreId ? grid.repeats : Math.max(...c.sweeps.map((name) => sweepRounds.get(name) ?? grid.repeats));
    if (rounds < grid.repeats) c.rounds = rounds;
  }
  return configs;
}
