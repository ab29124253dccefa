// The report's one reading contract: meta.json and results.jsonl of a stored run, each validated by a zod
// schema before anything is computed from them. What the report relies on is checked field by field; what it
// does not read passes through untouched (records grow: transfer costs, attempts), but a line whose `schema`
// is unknown is rejected with its line number — a newer writer's lines are not silently dropped or misread.
// A torn last line (a crash mid-append) is skipped, as the store does; any other unparseable line is an error.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ChunkbenchError } from '../errors.ts';
import type { CeilingLine } from '../harness/ceiling.ts';
import type { ResultLine, RunMeta } from '../harness/store.ts';
import type { Projection } from '../simulate/index.ts';

const finite = z.number().refine(Number.isFinite, 'a finite number');

const configSchema = z.looseObject({
  id: z.string(),
  label: z.string(),
  sweeps: z.array(z.string()),
  input: z.string(),
  mode: z.enum(['chunked', 'single', 'single-mt', 'sequential']),
  workers: z.number().int().min(1),
  segmentSeconds: z.union([z.number().positive(), z.literal('auto')]).nullable(),
  split: z.string().nullable(),
  codec: z.string(),
  preset: z.string(),
  filter: z.string(),
  threads: z.number().int().min(0),
  crf: z.number().nullable(),
  workDir: z.string(),
  retries: z.number().optional(),
  injectFaults: z.number().optional(),
  injectStalls: z.number().optional(),
  speculate: z.number().optional(),
  executor: z.enum(['local', 'queue']).optional(),
  transport: z.enum(['shared', 'http']).optional(),
});

export const metaSchema = z.looseObject({
  schema: z.literal('chunkbench.meta/1'),
  runId: z.string().min(1),
  grid: z.looseObject({ name: z.string(), description: z.string().optional(), repeats: z.number(), warmup: z.number(), fixed: z.record(z.string(), z.unknown()).optional() }),
  seed: z.number(),
  configs: z.array(configSchema).min(1),
  machine: z.looseObject({ cpuModel: z.string(), cores: z.number().int().min(1), memoryBytes: z.number(), os: z.string(), node: z.string() }),
  binaries: z.looseObject({ ffmpeg: z.looseObject({ version: z.string() }) }),
  commit: z.string().nullable(),
  startedAt: z.string(),
  centreId: z.string().optional(),
});

const chunkSchema = z.looseObject({
  index: z.number().int(),
  state: z.enum(['ok', 'failed']),
  workerId: z.number().int(),
  startMs: finite,
  endMs: finite,
  durationSeconds: z.number(),
  queueWaitMs: z.number().optional(),
  attempts: z.array(z.looseObject({ state: z.enum(['ok', 'failed', 'cancelled']), startMs: finite, endMs: finite, speculative: z.boolean() })).optional(),
  retries: z.number().optional(),
});

const recordSchema = z.looseObject({
  schema: z.literal('chunkbench.run/1'),
  state: z.enum(['ok', 'failed']),
  segments: z.array(z.looseObject({ frameCount: z.number(), leadInFrames: z.number().optional() })),
  chunks: z.array(chunkSchema),
  phases: z.looseObject({ probeMs: finite, splitMs: finite, processMs: finite, mergeMs: finite, verifyMs: finite }),
  wallMs: finite,
  ffmpegCpuMs: finite,
  harnessOverheadMs: finite,
  output: z.looseObject({ bytes: z.number() }).nullable(),
  verification: z.looseObject({ ok: z.boolean() }).nullable(),
});

const resultSchema = z.looseObject({
  schema: z.literal('chunkbench.result/1'),
  seq: z.number().int(),
  round: z.number().int(),
  warmup: z.boolean(),
  configId: z.string(),
  label: z.string(),
  state: z.enum(['ok', 'failed']),
  wallMs: finite,
  error: z.string().optional(),
  record: recordSchema.nullable(),
});

const ceilingSchema = z.looseObject({
  schema: z.literal('chunkbench.ceiling/1'),
  seq: z.number().int(),
  round: z.number().int(),
  warmup: z.boolean(),
  workers: z.number().int(),
  state: z.enum(['ok', 'failed']),
  aloneMs: finite,
  togetherMs: finite,
  ceiling: finite,
});

export const storedLineSchema = z.discriminatedUnion('schema', [resultSchema, ceilingSchema]);

/** A stored run as the report reads it: validated, pipeline runs and ceiling runs apart. */
export interface StoredRun {
  meta: RunMeta;
  results: ResultLine[];
  ceilings: CeilingLine[];
}

function issues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ');
}

/** Validates meta.json's content; throws a ChunkbenchError naming the file and the first problems. */
export function parseMeta(value: unknown, path = 'meta.json'): RunMeta {
  const parsed = metaSchema.safeParse(value);
  if (!parsed.success) throw new ChunkbenchError(`${path}: not a chunkbench run's meta.json (${issues(parsed.error)})`);
  return parsed.data as unknown as RunMeta;
}

/** Validates results.jsonl's text line by line; a torn last line is skipped. */
export function parseResults(text: string, path = 'results.jsonl'): { results: ResultLine[]; ceilings: CeilingLine[] } {
  const results: ResultLine[] = [];
  const ceilings: CeilingLine[] = [];
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last > 0 && !lines[last]?.trim()) last--;
  lines.forEach((raw, i) => {
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      if (i === last) return; // a crash mid-append leaves a partial last line: the store mends it on resume
      throw new ChunkbenchError(`${path}:${i + 1}: not JSON; only the last line may be partial`);
    }
    const parsed = storedLineSchema.safeParse(json);
    if (!parsed.success) {
      const schema = (json as { schema?: unknown } | null)?.schema;
      const known = schema === 'chunkbench.result/1' || schema === 'chunkbench.ceiling/1';
      throw new ChunkbenchError(known
        ? `${path}:${i + 1}: a ${String(schema)} line the report cannot read (${issues(parsed.error)})`
        : `${path}:${i + 1}: unknown line schema ${JSON.stringify(schema)}; this report reads chunkbench.result/1 and chunkbench.ceiling/1 — render it with the chunkbench that wrote it`);
    }
    if (parsed.data.schema === 'chunkbench.result/1') results.push(parsed.data as unknown as ResultLine);
    else ceilings.push(parsed.data as unknown as CeilingLine);
  });
  return { results, ceilings };
}

const projectionSchema = z.looseObject({
  schema: z.enum(['chunkbench.projection/1', 'chunkbench.projection/2']),
  kind: z.literal('model'),
  configId: z.string(),
  label: z.string(),
  scenario: z.looseObject({ durationSeconds: z.number(), segmentSeconds: z.number(), chunks: z.number() }),
  rows: z.array(z.looseObject({ workers: z.number(), wallMs: finite, speedup: finite, efficiency: finite })).min(1),
  local: z.looseObject({ model: z.array(z.looseObject({ workers: z.number(), wallMs: z.number(), speedup: z.number() })), measured: z.array(z.looseObject({ workers: z.number(), label: z.string() })) }),
  validation: z.looseObject({}),
  assumptions: z.array(z.string()),
});

/** Validates a stored projection.json (written by `chunkbench simulate`); a newer schema is rejected. */
export function parseProjection(value: unknown, path = 'projection.json'): Projection {
  const parsed = projectionSchema.safeParse(value);
  if (!parsed.success) throw new ChunkbenchError(`${path}: not a projection this report reads (${issues(parsed.error)}); rerun \`chunkbench simulate\``);
  return parsed.data as unknown as Projection;
}

/** Reads and validates a stored run directory. */
export function readRun(dir: string): StoredRun {
  const metaPath = join(dir, 'meta.json');
  const resultsPath = join(dir, 'results.jsonl');
  if (!existsSync(metaPath)) throw new ChunkbenchError(`${metaPath}: missing; give a run directory written by \`npm run experiment\``);
  const meta = parseMeta(JSON.parse(readFileSync(metaPath, 'utf8')), metaPath);
  const { results, ceilings } = existsSync(resultsPath) ? parseResults(readFileSync(resultsPath, 'utf8'), resultsPath) : { results: [], ceilings: [] };
  return { meta, results, ceilings };
}
