/**
 * Smoke test of `npm run reproduce --quick --only diagonal-net-classification`: the runner writes the files, the SVGs
 * are well-formed, and the JSON's numbers agree with what is known independently — Thm F.1's closed form at the
 * min-margin point (1, 0) and the max-margin point (1, −½) evaluated here from the sigmoid, the max-margin bias
 * ratio −½, and the two exact ‖μ‖ → 0 errors in d = 2 (⟨u, v⟩ = cos of a uniform angle: P[cos ≤ ½] = 2/3) and
 * for the sharpness minimizer (½ by symmetry).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { quickRun } from './quick-run.js';

vi.setConfig({ hookTimeout: 180_000 });

const NAME = 'diagonal-net-classification';
const quick = quickRun(NAME);
const summary = (): any => JSON.parse(readFileSync(join(quick.dir, 'summary.json'), 'utf8'));

/** Thm F.1's S(z, b) from its definition, independently of the example's code. */
function S(z: number, b: number): number {
  const gp = (t: number) => Math.exp(-t) / (1 + Math.exp(-t)) ** 2;
  return (gp(b) + 2 * gp(z + b) + Math.sqrt(gp(b) ** 2 + 4 * gp(z + b) ** 2)) / 4;
}

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes the JSON and well-formed SVG files, with no renderer warnings', () => {
    quick.expectOutputs(['summary.json', 'sharpness-on-m.svg', 'generalization.svg']);
  });

  it('A: the grid minimum is the min-margin point (1, 0) with S ≈ 0.277; the max-margin point is sharper', () => {
    const { grid } = summary();
    expect(grid.minimum.z).toBe(1);
    expect(grid.minimum.b).toBe(0);
    expect(Math.abs(grid.minimum.sharpness - S(1, 0))).toBeLessThan(1e-14);
    expect(grid.minimum.sharpness.toFixed(3)).toBe('0.277');
    expect(Math.abs(grid.maxMargin - S(1, -0.5))).toBeLessThan(1e-14);
    expect(grid.closedFormError).toBeLessThan(1e-12);
  });

  it('B: every GD run moves b/‖w̃‖ toward the max-margin value −½ and never diverges', () => {
    for (const run of summary().runs) {
      const gaps = run.checkpoints.map((c: { biasRatio: number }) => Math.abs(c.biasRatio + 0.5));
      for (let i = 1; i < gaps.length; i++) expect(gaps[i], run.label).toBeLessThan(gaps[i - 1]);
      for (const c of run.checkpoints) expect(c.status, run.label).not.toBe('diverged');
    }
  });

  it('C: at ‖μ‖ ≪ 1 and d = 2 the errors match 2/3 and ½ within 4 standard errors plus the μ allowance', () => {
    const { cells, settings } = summary();
    const c = cells.find((x: { muNorm: number; dim: number }) => x.muNorm === settings.muNorms[0] && x.dim === 2);
    expect(Math.abs(c.maxMargin - 2 / 3)).toBeLessThanOrEqual(4 * c.maxMarginSe + 0.01);
    expect(Math.abs(c.minSharpness - 0.5)).toBeLessThanOrEqual(4 * c.minSharpnessSe + 0.01);
  });
});
