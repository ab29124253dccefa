// The grid file format, validated with zod. A grid is a centre point (`fixed`) plus sweeps: each sweep is a
// cross product of the dimensions it lists, applied on top of the centre. One dimension per sweep gives
// one-factor-at-a-time sweeps around the centre; several dimensions in one sweep give a full cross product.
import { z } from 'zod';
import { PRESETS } from '../pipeline/encode.ts';
import { CODECS, MODES, SPLIT_STRATEGIES } from '../pipeline/types.ts';

const positiveInt = z.number().int().min(1);
const workDir = z.union([z.enum(['tmp', 'disk', 'tmpfs']), z.string().startsWith('/')]);

/** One value per dimension: what a configuration is made of. */
export const dimensionSchemas = {
  input: z.string().min(1),
  mode: z.enum(MODES as [string, ...string[]]),
  workers: positiveInt,
  /** Seconds, or 'auto': chosen per run after the probe (pipeline/segmentAuto.ts). */
  segmentSeconds: z.union([z.number().positive(), z.literal('auto')], { error: "expected a number of seconds > 0 or 'auto'" }),
  split: z.enum(SPLIT_STRATEGIES as [string, ...string[]]),
  codec: z.enum(CODECS as [string, ...string[]]),
  preset: z.enum(PRESETS),
  filter: z.string().min(1),
  threads: positiveInt,
  crf: z.number().int().min(0).max(63),
  workDir,
  retries: z.number().int().min(0),
  injectFaults: z.number().min(0).max(1),
  injectStalls: z.number().min(0).max(1),
  speculate: z.union([z.literal(0), z.number().min(1)]),
  executor: z.enum(['local', 'queue']),
  /** How a queue chunk's bytes move: the shared filesystem, or HTTP to and from the coordinator (src/transport/). */
  transport: z.enum(['shared', 'http']),
} as const;

export type Dimension = keyof typeof dimensionSchemas;
export const DIMENSIONS = Object.keys(dimensionSchemas) as Dimension[];

const fixedSchema = z.object(dimensionSchemas).partial().strict();
const varySchema = z
  .object(Object.fromEntries(Object.entries(dimensionSchemas).map(([k, s]) => [k, z.array(s).min(1)])) as { [K in Dimension]: z.ZodArray<(typeof dimensionSchemas)[K]> })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'a sweep must vary at least one dimension' });

/** The grid file as written. */
export const gridSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().default(''),
    /** Fixture names (see fixtures/manifest.json) or paths to video files. */
    inputs: z.array(z.string().min(1)).min(1),
    repeats: positiveInt.default(5),
    /** Seconds the whole run may take: after the grid's rounds, rounds of the headline configurations are
     * added until the headline's CI is narrow enough or this is spent (none added without a budget). */
    budgetSeconds: z.number().positive().optional(),
    /** The headline CI's half-width, relative to the point, at which sequential sampling stops. */
    targetHalfWidth: z.number().positive().max(1).default(0.03),
    warmup: z.number().int().min(0).default(1),
    /** Measure every output's SSIM, PSNR and video bitrate against the source (timed apart from the run). */
    quality: z.boolean().optional(),
    seed: z.number().int().default(1),
    fixed: fixedSchema.default({}),
    /** `repeats` on a sweep: the rounds its configurations run, fewer than the grid's (say 2 for CRF points
     * whose bits, not their timing, are the point); a configuration in several sweeps runs the most of
     * them, the centre always the grid's. */
    sweeps: z.array(z.object({ name: z.string().min(1), vary: varySchema, repeats: positiveInt.optional() }).strict()).default([]),
  })
  .strict();

export type Grid = z.infer<typeof gridSchema>;
export type GridInput = z.input<typeof gridSchema>;
