/**
 * Smoke test of `npm run reproduce --quick --only nn-claims`: the runner writes the JSON, a well-formed phase
 * diagram, the cross-entropy traces and the fine/coarse figure of every configuration with a converged run (with the
 * 2/η and η_c marks), a verdict for every claim, and the JSON is consistent with itself and with the definitions — η_c = 2/s_GF, η = r·η_c, regimes from r
 * and the status, steps × η, norm inequalities (‖θ‖₂ ≤ ‖θ‖₁, Σ_ℓ ‖W_ℓ‖_F² ≤ ‖θ‖₂², the triangle inequality for the
 * distances), the layers' ℓ1 shares adding up to ‖θ‖₁, s_GF non-decreasing along the continued flow, the CE runs'
 * η = m/s₀ with their first recorded S·η/2 = m/2 — and the verdicts agree with the numbers they quote.
 * The statistics helpers (meanSd, spearman, logLogSlope, flatteningIndex) are checked on hand-computed values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickRun } from './quick-run.js';
import { flatteningIndex, logLogSlope, meanSd, spearman, type NnClaimsSummary } from '../../examples/nn-claims/compute.js';
import type { ProbeResult } from '../../examples/nn-claims/probe.js';
import { withErrorBars } from '../../examples/nn-claims/figures.js';
import { lineChart } from '../../src/plot/index.js';
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
  it('logLogSlope: the exponent of a power law, by hand', () => {
    expectRelClose(logLogSlope([1, 2, 4], [8, 4, 2]), -1, { rel: 1e-14 });
    expectRelClose(logLogSlope([1, 3], [1, 9]), 2, { rel: 1e-14 });
    expect(Number.isNaN(logLogSlope([1], [1]))).toBe(true);
  });
  it('flatteningIndex: upper over lower slope of ‖θ‖₁ against the ratio over the EoS runs, by hand', () => {
    const run = (ratio: number, norm1: number, regime = 'eos') => ({ ratio, norm1, regime });
    // EoS ratios 1.5, 2, 4: lower slope (11 − 10)/(2 − 1.5) = 2, upper (11.5 − 11)/(4 − 2) = 0.25 → 0.125
    const p = { runs: [run(0.9, 9, 'flow-aligned'), run(1.5, 10), run(2, 11), run(4, 11.5), run(6, 0, 'diverged')] } as unknown as ProbeResult;
    expectRelClose(flatteningIndex(p), 0.125, { rel: 1e-14 });
    expect(Number.isNaN(flatteningIndex({ runs: [run(1.5, 10), run(2, 11)] } as unknown as ProbeResult))).toBe(true);
  });
});

describe('nn-claims figures', () => {
  it('withErrorBars adds one rule layer from lo to hi on the chart\'s own x and y encodings, dropping non-finite bars', () => {
    const spec = lineChart([{ name: 'm', x: [1, 2, 3], y: [1, 2, 3] }], { yTitle: 'S' });
    const before = (spec as unknown as { layer: unknown[] }).layer.length;
    const out = withErrorBars(spec, [{ x: 1, lo: 0.5, hi: 1.5 }, { x: 2, lo: NaN, hi: 2 }, { x: 3, lo: 2.9, hi: 3.1 }], '#123456') as unknown as {
      layer: { mark: { type: string; color?: string }; data: { values: unknown[] }; encoding: Record<string, { field?: string; title?: string }> }[];
    };
    expect(out.layer.length).toBe(before + 1);
    const bars = out.layer[out.layer.length - 1];
    expect(bars.mark).toMatchObject({ type: 'rule', color: '#123456' });
    expect(bars.data.values).toEqual([{ x: 1, lo: 0.5, hi: 1.5 }, { x: 3, lo: 2.9, hi: 3.1 }]);
    expect(bars.encoding.y.field).toBe('lo');
    expect(bars.encoding.y.title).toBe('S');
    expect(bars.encoding.y2.field).toBe('hi');
    expect(bars.encoding.x.field).toBe('x');
  });
});

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes summary.json, phase.svg and a fine/coarse figure per configuration with a converged run; prints one verdict per claim', () => {
    const s = summary();
    const drawn = s.results.filter((r) => r.probes.some((p) => p.runs.some((x) => x.status === 'converged'))).map((r) => `eta-${r.id}.svg`);
    expect(drawn).toContain('eta-base.svg');
    quick.expectOutputs(['phase.svg', 'summary.json', 'cross-entropy.svg', 'measures-base.svg', ...drawn]);
    const text = quick.lines.join('\n');
    for (const c of ['1', '2', '2b', '3', '3a', '3b', '4', '4b', '5', '5b', '6', '7', '7b', '8', '9', '10']) {
      expect(text).toMatch(new RegExp(`\\b${c}\\. .*: (REPRODUCES|DOES NOT REPRODUCE|PARTLY|NOT RUN) — `));
    }
    // the figures carry error bars (rules) and the 2/η, η_c and 1/s₀ marks
    const svg = readFileSync(join(quick.dir, 'eta-base.svg'), 'utf8');
    for (const label of ['2/η (seed mean)', 'η_c = 2/s_GF', 'fine: final sharpness', 'coarse: ℓ1 norm']) expect(svg).toContain(label);
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
        expect(p.flowTime).toBeGreaterThan(0);
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
          // every parameter of an MLP belongs to one layer: the layers' ℓ1 shares add up to ‖θ‖₁
          expect(x.layerParameters.reduce((a, b) => a + b, 0)).toBe(r.dim);
          expectRelClose(x.layerL1.reduce((a, b) => a + b, 0), x.norm1, { rel: 1e-12 });
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

  it('cross-entropy runs: η = m/s₀, the trace starts at S(θ₀)·η/2 = m/2, the peak bounds the end, claim 3b counts the data', () => {
    const s = summary();
    const ce = s.results.find((r) => r.id === 'ce');
    expect(ce).toBeDefined();
    expect(s.crossEntropy.map((c) => c.seed)).toEqual(s.settings.seeds);
    for (const c of s.crossEntropy) {
      expect(c.s0).toBe(ce!.probes.find((p) => p.seed === c.seed)!.initialSharpness);
      for (const r of c.ce) {
        expectRelClose(r.learningRate, r.multiple / c.s0, { rel: 1e-15 });
        // the sharpness at θ₀ is recomputed inside gd by the same Lanczos: S(θ₀)·η/2 = s₀·(m/s₀)/2 = m/2
        expectRelClose(r.trace[0], r.multiple / 2, { rel: 1e-6 });
        if (r.status !== 'diverged') expect(r.peakOverLimit).toBeGreaterThanOrEqual(r.finalOverLimit);
      }
      expect(c.mse.map((r) => r.multiple)).toEqual(s.settings.crossEntropyRuns.multiples);
    }
    const below = s.crossEntropy.flatMap((c) => c.ce.filter((r) => r.multiple < 1));
    const failed = below.filter((r) => r.status !== 'converged').length;
    const v = s.verdicts.find((x) => x.claim.startsWith('3b.'))!;
    expect(v.numbers).toContain(`CE ${failed}/${below.length}`);
  });
});
