/**
 * Smoke test of `npm run reproduce --quick --only nn-claims`: the runner writes the JSON and a well-formed phase
 * diagram, and the JSON is consistent with itself and with the definitions — η_c = 2/s_GF, η = r·η_c, regimes from r
 * and the status, steps × η, norm inequalities (‖θ‖₂ ≤ ‖θ‖₁, Σ_ℓ ‖W_ℓ‖_F² ≤ ‖θ‖₂², the triangle inequality for the
 * distances), s_GF non-decreasing along the continued flow — and the verdicts agree with the numbers they quote.
 * The statistics helpers are checked on hand-computed values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickRun } from './quick-run.js';
import { meanSd, spearman, type NnClaimsSummary } from '../../examples/nn-claims/compute.js';
import { expectRelClose } from '../../src/testing/index.js';

const NAME = 'nn-claims';
const quick = quickRun(NAME);
const summary = (): NnClaimsSummary => JSON.parse(readFileSync(join(quick.dir, 'summary.json'), 'utf8'));

describe('nn-claims statistics helpers', () => {
  it('meanSd: sample standard deviation (n − 1); non-finite values dropped', () => {
    expect(meanSd([1, 2, 3, 4])).toEqual({ mean: 2.5, sd: Math.sqrt(5 / 3), n: 4 });
    expect(meanSd([2, NaN, 4])).toEqual({ mean: 3, sd: Math.SQRT2, n: 2 });
    expect(meanSd([NaN]).n).toBe(0);
  });
  it('spearman: ±1 for monotone data, 0.5 for ranks (1,2,3,4) vs (1,3,2,4)·… by hand', () => {
    expect(spearman([1, 2, 3], [10, 20, 30])).toBe(1);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBe(-1);
    // d = (0, 1, −1, 0): ρ = 1 − 6·2/(4·15) = 0.8
    expectRelClose(spearman([1, 2, 3, 4], [1, 3, 2, 4]), 0.8, { rel: 1e-15 });
    expect(Number.isNaN(spearman([1, 2], [1, 2]))).toBe(true);
  });
});

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes summary.json and phase.svg; prints one verdict per claim', () => {
    quick.expectOutputs(['phase.svg', 'summary.json']);
    const text = quick.lines.join('\n');
    for (let c = 1; c <= 9; c++) expect(text).toMatch(new RegExp(`\\b${c}\\. .*: (REPRODUCES|DOES NOT REPRODUCE|PARTLY|NOT RUN) — `));
  });

  it('probes follow the definitions', () => {
    const s = summary();
    expect(s.results.length).toBe(s.settings.configs.length);
    for (const r of s.results) {
      expect(r.probes.map((p) => p.seed)).toEqual(s.settings.seeds);
      for (const p of r.probes) {
        expectRelClose(p.criticalLearningRate, 2 / p.flowSharpness, { rel: 1e-15 });
        if (r.id === 'base') expect(p.learningRateUnit).toBe(p.criticalLearningRate);
        expect(p.flowSharpness).toBeGreaterThanOrEqual(p.initialSharpness); // s_GF is a max along the flow, from θ₀
        let prev = p.flowSharpness;
        for (const g of p.smallerGoals) {
          expect(g.flowSharpness).toBeGreaterThanOrEqual(prev);
          prev = g.flowSharpness;
        }
        expect(p.runs.map((x) => x.ratio)).toEqual(s.settings.probe.ratios);
        for (const x of p.runs) {
          expectRelClose(x.learningRate, x.ratio * p.learningRateUnit, { rel: 1e-15 });
          expectRelClose(x.time, x.steps * x.learningRate, { rel: 1e-15 });
          const expected = x.status === 'diverged' ? 'diverged' : x.status !== 'converged' ? 'not-converged' : x.learningRate <= p.criticalLearningRate ? 'flow-aligned' : 'eos';
          expect(x.regime).toBe(expected);
          if (x.status !== 'converged') continue;
          expect(x.norm2).toBeLessThanOrEqual(x.norm1);
          const frob2 = x.layerFrobenius.reduce((a, f) => a + f * f, 0);
          expect(frob2).toBeLessThanOrEqual(x.norm2 ** 2 * (1 + 1e-12));
          expect(Math.abs(x.norm2 - p.flow.norm2)).toBeLessThanOrEqual(x.distanceToFlow2 * (1 + 1e-12) + 1e-12);
          expect(x.distanceToFlow2).toBeLessThanOrEqual(x.distanceToFlow1 * (1 + 1e-12));
          expectRelClose(x.sharpnessOverLimit as number, ((x.sharpness as number) * x.learningRate) / 2, { rel: 1e-15 });
          x.layerNuclear.forEach((nuc, l) => expect(nuc).toBeGreaterThanOrEqual(x.layerFrobenius[l] * (1 - 1e-12)));
        }
      }
    }
  });

  it('verdicts agree with the data: claim 1 from the s_GF chains, the phase table from the runs', () => {
    const s = summary();
    const base = s.results.find((r) => r.id === 'base');
    expect(base).toBeDefined();
    const monotone = base!.probes.every((p) => [p.flowSharpness, ...p.smallerGoals.map((g) => g.flowSharpness)].every((x, i, a) => i === 0 || x > a[i - 1]));
    expect(s.verdicts[0].status).toBe(monotone ? 'reproduces' : 'does not reproduce');
    for (const row of s.phase) {
      const r = s.results.find((x) => x.id === row.config)!;
      const i = s.settings.probe.ratios.indexOf(row.ratio);
      expect(row.regimes).toEqual(r.probes.map((p) => p.runs[i].regime));
    }
    expect(s.phase.length).toBe(s.results.length * s.settings.probe.ratios.length);
  });
});
