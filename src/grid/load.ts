// Loads a grid by name (experiments/<name>.json) or by path, and validates it. An error is one line: the
// file, the key path, the value found, and what is allowed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { z } from 'zod';
import { ChunkbenchError } from '../errors.ts';
import { gridSchema, type Grid } from './schema.ts';

/** Where the named grids live. */
export const EXPERIMENTS_DIR = resolve(import.meta.dirname, '..', '..', 'experiments');

/** The names of the committed grids. */
export function gridNames(): string[] {
  return readdirSync(EXPERIMENTS_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort();
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), data);
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '') || '(top level)';
}

/** One line for the first problem zod found. */
export function describeIssue(file: string, data: unknown, issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${file}: ${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}; allowed keys are listed in experiments/README.md`;
  }
  const value = valueAt(data, issue.path);
  const shown = value === undefined ? 'nothing' : JSON.stringify(value);
  return `${file}: ${where}: ${issue.message.replace(/^Invalid input: /, '')}, got ${shown}`;
}

/** Validates parsed JSON as a grid. */
export function parseGrid(file: string, data: unknown): Grid {
  const result = gridSchema.safeParse(data);
  if (!result.success) throw new ChunkbenchError(describeIssue(file, data, result.error.issues[0] as z.core.$ZodIssue));
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
