// Loads a grid by name (experiments/<name>.json) or by path, and validates it. An error is one line: the
// file, the key path, the value found, and what is allowed (for an unknown key: the nearest allowed one).
// The segment length is `segment` in a grid file, as on the command line; stored configurations keep
// `segmentSeconds` (the unit in the name), and the old key is still read with a deprecation line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { z } from 'zod';
import { ChunkbenchError, closest } from '../errors.ts';
import { DIMENSIONS, gridSchema, type Grid } from './schema.ts';

/** Where the named grids live. */
export const EXPERIMENTS_DIR = resolve(import.meta.dirname, '..', '..', 'experiments');

/** The names of the committed grids. */
export function gridNames(): string[] {
  return readdirSync(EXPERIMENTS_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort();
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), data);
}

/** The key a grid file uses for a schema key (the file's `segment` is the schema's `segmentSeconds`). */
const fileKey = (key: PropertyKey): PropertyKey => (key === 'segmentSeconds' ? 'segment' : key);

function formatPath(path: PropertyKey[]): string {
  return path.map(fileKey).reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '') || '(top level)';
}

/** The keys a grid file may use at `path`: the top level, a sweep, or a set of dimensions (fixed, vary). */
export function allowedKeys(path: PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(gridSchema.shape);
  if (path[0] === 'sweeps' && path.length === 2) return ['name', 'vary'];
  return DIMENSIONS.map((d) => String(fileKey(d)));
}

/** One line for the first problem zod found. */
export function describeIssue(file: string, data: unknown, issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(issue.path);
    const key = issue.keys[0] ?? '';
    const near = closest(key, allowed) ?? (key.startsWith('segment') ? 'segment' : undefined);
    const hint = near ? `; did you mean '${near}'?` : '';
    return `${file}: ${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}${hint} (allowed: ${allowed.join(', ')})`;
  }
  const value = valueAt(data, issue.path);
  const shown = value === undefined ? 'nothing' : JSON.stringify(value);
  return `${file}: ${where}: ${issue.message.replace(/^Invalid input: /, '')}, got ${shown}`;
}

/** `segment` → `segmentSeconds` in `fixed` and every sweep's `vary`; the old key is read with a line saying
 * so. Giving both is an error: which one was meant? */
function segmentKeys(file: string, data: unknown, warn: (line: string) => void): unknown {
  if (data === null || typeof data !== 'object') return data;
  const grid = { ...(data as Record<string, unknown>) };
  const rename = (dims: unknown, where: string): unknown => {
    if (dims === null || typeof dims !== 'object' || Array.isArray(dims)) return dims;
    const { segment, segmentSeconds, ...rest } = dims as Record<string, unknown>;
    if (segment !== undefined && segmentSeconds !== undefined) throw new ChunkbenchError(`${file}: ${where}: give 'segment' or the old 'segmentSeconds', not both`);
    if (segmentSeconds !== undefined) warn(`${file}: ${where}.segmentSeconds is deprecated; call it 'segment'`);
    const value = segment ?? segmentSeconds;
    return value === undefined ? rest : { ...rest, segmentSeconds: value };
  };
  if ('fixed' in grid) grid.fixed = rename(grid.fixed, 'fixed');
  if (Array.isArray(grid.sweeps)) {
    grid.sweeps = grid.sweeps.map((sweep: unknown, i) => (sweep !== null && typeof sweep === 'object' && 'vary' in sweep ? { ...sweep, vary: rename((sweep as { vary: unknown }).vary, `sweeps[${i}].vary`) } : sweep));
  }
  return grid;
}

const toStderr = (line: string) => process.stderr.write(`chunkbench: ${line}\n`);

/** Validates parsed JSON as a grid. */
export function parseGrid(file: string, raw: unknown, warn: (line: string) => void = toStderr): Grid {
  const data = segmentKeys(file, raw, warn);
  const result = gridSchema.safeParse(data);
  if (!result.success) {
    // a misspelt key explains the missing one it was meant to be: name it first
    const issues = result.error.issues;
    throw new ChunkbenchError(describeIssue(file, data, (issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]) as z.core.$ZodIssue));
  }
  return result.data;
}

/** Resolves `--grid`: a committed name, or a path to a JSON file. */
export function gridFile(nameOrPath: string): string {
  const named = join(EXPERIMENTS_DIR, `${nameOrPath}.json`);
  if (/^[\w-]+$/.test(nameOrPath) && existsSync(named)) return named;
  const path = resolve(nameOrPath);
  if (existsSync(path)) return path;
  throw new ChunkbenchError(`--grid ${nameOrPath}: no such grid; give one of ${gridNames().join(', ')} or a path to a grid JSON file`);
}

/** Reads and validates a grid file. */
export function loadGrid(nameOrPath: string): { grid: Grid; file: string } {
  const file = gridFile(nameOrPath);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ChunkbenchError(`${file}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  return { grid: parseGrid(file, data), file };
}
