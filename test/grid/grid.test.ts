import { describe, expect, it } from 'vitest';
import { expandGrid } from '../../src/grid/expand.ts';
import { gridNames, loadGrid, parseGrid } from '../../src/grid/load.ts';

const base = { name: 't', inputs: ['tiny'] };

describe('grid validation', () => {
  it.each([
    [{ ...base, repeats: 0 }, 'g.json: repeats: Too small: expected number to be >=1, got 0'],
    [{ ...base, fixed: { workers: 'two' } }, 'g.json: fixed.workers: expected number, received string, got "two"'],
    [{ ...base, sweeps: [{ name: 's', vary: { preset: ['veryfast', 'warp'] } }] }, 'g.json: sweeps[0].vary.preset[1]:'],
    [{ ...base, fixed: { wrokers: 2 } }, "g.json: fixed: unknown key 'wrokers'; did you mean 'workers'? (allowed: input, mode, workers, segment, "],
    [{ ...base, sweeps: [{ name: 's', vary: { segmentSecs: [1] } }] }, "g.json: sweeps[0].vary: unknown key 'segmentSecs'; did you mean 'segment'?"],
    [{ ...base, sweeps: [{ name: 's', varry: { workers: [1] } }] }, "g.json: sweeps[0]: unknown key 'varry'; did you mean 'vary'? (allowed: name, vary)"],
    [{ ...base, fixed: { segment: 0 } }, 'g.json: fixed.segment: Too small: expected number to be >0, got 0'],
    [{ ...base, fixed: { segment: 5, segmentSeconds: 5 } }, "g.json: fixed: give 'segment' or the old 'segmentSeconds', not both"],
    [{ ...base, colour: 'red' }, "g.json: (top level): unknown key 'colour' (allowed: name, description, inputs, "],
    [{ name: 't' }, 'g.json: inputs: expected array, received undefined, got nothing'],
    [{ ...base, sweeps: [{ name: 's', vary: {} }] }, 'g.json: sweeps[0].vary: a sweep must vary at least one dimension'],
  ])('names the key path and the value: %j', (data, message) => {
    expect(() => parseGrid('g.json', data)).toThrow(message);
  });

  it("reads the segment length as 'segment', and the old 'segmentSeconds' with one deprecation line", () => {
    const warnings: string[] = [];
    const fresh = parseGrid('g.json', { ...base, fixed: { segment: 5 }, sweeps: [{ name: 's', vary: { segment: [1, 2] } }] }, (line) => warnings.push(line));
    expect(fresh.fixed.segmentSeconds).toBe(5);
    expect(fresh.sweeps[0]?.vary.segmentSeconds).toEqual([1, 2]);
    expect(warnings).toEqual([]);
    const old = parseGrid('g.json', { ...base, fixed: { segmentSeconds: 5 } }, (line) => warnings.push(line));
    expect(old).toEqual(fresh.fixed.segmentSeconds === 5 ? { ...fresh, sweeps: [] } : null);
    expect(warnings).toEqual(["g.json: fixed.segmentSeconds is deprecated; call it 'segment'"]);
  });

  it('applies defaults: 5 repeats, 1 warmup', () => {
    expect(parseGrid('g.json', base)).toMatchObject({ repeats: 5, warmup: 1, seed: 1, fixed: {}, sweeps: [] });
  });

  it('loads every committed grid', () => {
    expect(gridNames()).toEqual(expect.arrayContaining(['ci', 'default', 'filters', 'presets', 'quick', 'segments']));
    for (const name of gridNames()) expect(loadGrid(name).grid.name).toBe(name);
  });

  it('says which grids exist when the name is wrong', () => {
    expect(() => loadGrid('defualt')).toThrow(/^--grid defualt: no such grid; give one of ci, default, .* or a path to a grid JSON file$/);
  });
});

describe('expandGrid: a sweep\'s repeats', () => {
  it('gives its configurations that many rounds, the most of their sweeps, never the centre fewer than the grid\'s', () => {
    const grid = parseGrid('g.json', { name: 'g', inputs: ['tiny'], repeats: 5, fixed: { mode: 'chunked', workers: 2, segment: 10, crf: 23 }, sweeps: [
      { name: 'segments', vary: { segment: [1, 10] } },
      { name: 'compression', vary: { segment: [1, 10], crf: [18, 28] }, repeats: 2 },
      { name: 'odd', vary: { segment: [10], crf: [18, 23] }, repeats: 3 },
    ] });
    const rounds = Object.fromEntries(expandGrid(grid).map((c) => [`${c.segmentSeconds}s crf${c.crf}`, c.rounds]));
    expect(rounds).toEqual({ '1s crf23': undefined, '10s crf23': undefined, '1s crf18': 2, '10s crf18': 3, '1s crf28': 2, '10s crf28': 2 });
  });

  it('is validated: a whole number of at least 1', () => {
    expect(() => parseGrid('g.json', { name: 'g', inputs: ['tiny'], sweeps: [{ name: 's', vary: { segment: [1] }, repeats: 0 }] })).toThrow(/repeats/);
  });
});

describe('expandGrid', () => {
  it('runs one-factor-at-a-time sweeps around the centre, sharing the centre point', () => {
    const grid = parseGrid('g.json', { ...base, fixed: { workers: 2, segment: 10 }, sweeps: [{ name: 'workers', vary: { workers: [1, 2, 4] } }, { name: 'segments', vary: { segment: [5, 10] } }] });
    const configs = expandGrid(grid);
    expect(configs.map((c) => [c.workers, c.segmentSeconds])).toEqual([[1, 10], [2, 10], [4, 10], [2, 5]]);
    expect(configs[1]?.sweeps).toEqual(['workers', 'segments']);
  });

  it('expands several dimensions of one sweep as a full cross product', () => {
    const grid = parseGrid('g.json', { ...base, sweeps: [{ name: 'x', vary: { preset: ['ultrafast', 'fast'], workers: [1, 2, 3] } }] });
    expect(expandGrid(grid)).toHaveLength(6);
  });

  it('normalises what a mode does not use, so equivalent runs are one configuration', () => {
    const grid = parseGrid('g.json', { ...base, sweeps: [{ name: 'x', vary: { mode: ['single', 'single-mt', 'sequential'], workers: [1, 2, 4] } }] });
    const configs = expandGrid(grid);
    expect(configs.map((c) => c.mode)).toEqual(['single', 'single-mt', 'sequential']);
    expect(configs.find((c) => c.mode === 'single')).toMatchObject({ workers: 1, segmentSeconds: null, split: null, threads: 1 });
    expect(configs.find((c) => c.mode === 'single-mt')?.threads).toBe(0);
  });

  it("takes segment: 'auto' in fixed and in a sweep, labels it auto, and keeps it apart from every length", () => {
    const grid = parseGrid('g.json', { ...base, fixed: { workers: 2, segment: 10 }, sweeps: [{ name: 'segments', vary: { segment: [5, 'auto', 10] } }, { name: 'baselines', vary: { mode: ['single', 'sequential'] } }] });
    const configs = expandGrid(grid);
    expect(configs.map((c) => [c.mode, c.segmentSeconds])).toEqual([['chunked', 5], ['chunked', 'auto'], ['chunked', 10], ['single', null], ['sequential', 10]]);
    const auto = configs.find((c) => c.segmentSeconds === 'auto');
    expect(auto?.label).toBe('chunked w2 auto exact · veryfast · none · t1');
    expect(new Set(configs.map((c) => c.id)).size).toBe(configs.length);
    // the centre itself can be auto; single has no segments, auto or not
    const centred = expandGrid(parseGrid('g.json', { ...base, fixed: { segment: 'auto' }, sweeps: [{ name: 'm', vary: { mode: ['chunked', 'single', 'sequential'] } }] }));
    expect(centred.map((c) => [c.mode, c.segmentSeconds, c.label.split(' · ')[0]])).toEqual([['chunked', 'auto', 'chunked w2 auto exact'], ['single', null, 'single'], ['sequential', 'auto', 'sequential auto exact']]);
    // and the old key reads it too
    expect(parseGrid('g.json', { ...base, fixed: { segmentSeconds: 'auto' } }, () => {}).fixed.segmentSeconds).toBe('auto');
  });

  it("refuses a segment that is neither a length nor 'auto', in one line", () => {
    expect(() => parseGrid('g.json', { ...base, fixed: { segment: 'Auto' } })).toThrow("g.json: fixed.segment: expected a number of seconds > 0 or 'auto', got \"Auto\"");
    expect(() => parseGrid('g.json', { ...base, sweeps: [{ name: 's', vary: { segment: [5, 'fast'] } }] })).toThrow("g.json: sweeps[0].vary.segment[1]: expected a number of seconds > 0 or 'auto', got \"fast\"");
  });

  it('the segments grid sweeps auto next to the fixed lengths, and the default grid has no auto', () => {
    const segments = expandGrid(loadGrid('segments').grid).filter((c) => c.sweeps.includes('segments'));
    expect(segments.filter((c) => c.segmentSeconds === 'auto').map((c) => c.split)).toEqual(['exact']);
    expect(segments.map((c) => c.segmentSeconds)).toEqual([1, 2, 3, 5, 10, 15, 20, 30, 'auto']);
    expect(expandGrid(loadGrid('default').grid).some((c) => c.segmentSeconds === 'auto')).toBe(false);
  });

  it('the segments grid measures a second video length of the same content at the centre, for the model to predict held out', () => {
    const length = expandGrid(loadGrid('segments').grid).filter((c) => c.sweeps.includes('video length'));
    expect(length.map((c) => [c.input, c.mode, c.workers, c.segmentSeconds, c.split, c.rounds])).toEqual([['sd-3min', 'chunked', 2, 10, 'exact', 3]]);
  });

  it('gives stable ids and readable labels', () => {
    const [a] = expandGrid(parseGrid('g.json', base));
    const [b] = expandGrid(parseGrid('g.json', { ...base, description: 'other words' }));
    expect(a?.id).toMatch(/^[0-9a-f]{10}$/);
    expect(a?.id).toBe(b?.id);
    expect(a?.label).toBe('chunked w2 10s exact · veryfast · none · t1');
  });
});
