// A run whose wall times varied as only a busy machine makes them vary says so above its headline; a quiet
// one says nothing (the threshold, 20% median CV, sits between the quiet grids' 6.5–9.5% and the 24–35% of
// runs made beside other work).
import { describe, expect, it } from 'vitest';
import { disturbedWords } from '../../src/report/model.ts';
import type { Summary } from '../../src/summary/summarize.ts';

const summaryWith = (cvs: number[]) => ({ configs: cvs.map((cv) => ({ wallMs: { cv } })) }) as unknown as Summary;

describe('disturbedWords', () => {
  it('is silent for a quiet run and for a run without wall times', () => {
    expect(disturbedWords(summaryWith([0.05, 0.095, 0.3]))).toBeNull();
    expect(disturbedWords(summaryWith([]))).toBeNull();
  });
  it('names the median variation of a busy run and asks for a quiet rerun', () => {
    expect(disturbedWords(summaryWith([0.1, 0.34, 0.4]))).toBe('A disturbed run: its wall times varied by 34% from run to run (the median coefficient of variation; 20% or more means the machine was busy), so its intervals are wide. Rerun it on a quiet machine before quoting it.');
  });
});
