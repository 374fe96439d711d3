/**
 * The risk of [Conflicting biases, App. E]: Lemma E.1's closed form against eq. (21) and against Monte Carlo; App. E.1's
 * folded-Gaussian moments against Monte Carlo; the moments constructor and the sampler.
 */
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../../src/core/errors.js';
import { rng } from '../../../src/core/rng.js';
import {
  drawDataPoint,
  gaussianRisk,
  monteCarloRisk,
  risk,
  riskValue,
} from '../../../src/models/diagonal-net/risk.js';
import { expectRelClose } from '../../../src/testing/index.js';

/** Mean and standard error of f over N draws, computed here with the test's own loop. */
function monteCarlo(N: number, seed: number, f: (g: ReturnType<typeof rng>) => number): { mean: number; se: number } {
  const g = rng(seed);
  let s = 0;
  let s2 = 0;
  for (let k = 0; k < N; k++) {
    const v = f(g);
    s += v;
    s2 += v * v;
  }
  const mean = s / N;
  return { mean, se: Math.sqrt((s2 / N - mean * mean) / N) };
}

describe('Lemma E.1 and eq. (21)', () => {
  const ws = [
    [0.9, 0.5],
    [1, 1, 1],
    [0.2, -1.3, 0.7, 0.4],
  ];

  it('½‖w‖₄⁴ − ‖w‖₂² + ½(d + 1) equals eq. (21) with Σ = I, μ = 1, σ² = d + 1', () => {
    for (const w of ws) expectRelClose(gaussianRisk(w), riskValue(risk.gaussian(w.length), w), { rel: 1e-14, label: `w = ${w}` });
    expect(gaussianRisk([1, 1])).toBe(0.5);
  });

  it('agrees with a Monte-Carlo mean of ½(⟨x, w^{⊙2}⟩ − y)², x ~ N(0, I), y = ⟨1, x⟩ + ε, within 5 standard errors', () => {
    for (const [k, w] of ws.entries()) {
      const d = w.length;
      const mc = monteCarlo(200_000, 100 + k, (g) => {
        let p = 0;
        let y = 0;
        for (let i = 0; i < d; i++) {
          const xi = g.normal();
          p += xi * w[i] * w[i];
          y += xi;
        }
        y += g.normal();
        return 0.5 * (p - y) ** 2;
      });
      expect(Math.abs(mc.mean - gaussianRisk(w))).toBeLessThanOrEqual(5 * mc.se);
      // The library's own estimator agrees the same way.
      const lib = monteCarloRisk(risk.gaussian(d), w, { samples: 100_000, seed: 7 + k });
      expect(Math.abs(lib.mean - gaussianRisk(w))).toBeLessThanOrEqual(5 * lib.standardError);
    }
  });

  it('App. E.1 folded Gaussian: Σ, μ, σ² match Monte-Carlo moments of x ~ |N(0, I)|, y = ⟨1, x⟩', () => {
    const d = 3;
    const r = risk.foldedGaussian(d);
    const g = rng(11);
    const N = 200_000;
    const x = new Float64Array(d);
    const sxx = new Float64Array(d * d);
    const syx = new Float64Array(d);
    let syy = 0;
    let negatives = 0;
    for (let k = 0; k < N; k++) {
      const y = drawDataPoint(r, g, x);
      for (let i = 0; i < d; i++) {
        if (x[i] < 0) negatives++;
        syx[i] += y * x[i];
        for (let j = 0; j < d; j++) sxx[i * d + j] += x[i] * x[j];
      }
      syy += y * y;
    }
    expect(negatives).toBe(0);
    // Standard errors: Var(xᵢxⱼ) ≤ 3, Var(y xᵢ) and Var(y²) ≤ ~60 for d = 3 → 5·SE ≤ 0.09 at N = 2e5.
    for (let i = 0; i < d * d; i++) expect(Math.abs(sxx[i] / N - r.covariance[i])).toBeLessThan(0.02);
    for (let i = 0; i < d; i++) expect(Math.abs(syx[i] / N - r.crossMoment[i])).toBeLessThan(0.05);
    expect(Math.abs(syy / N - r.secondMoment)).toBeLessThan(0.1);
    expectRelClose(r.secondMoment, 3 + 12 / Math.PI, { rel: 1e-15 });
  });

  it('drawDataPoint with nonNegative folds the Gaussian inputs (the conditioning of Sec. 3)', () => {
    const x = new Float64Array(4);
    const a = rng(3);
    const b = rng(3);
    const y = drawDataPoint(risk.gaussian(4), a, x, { nonNegative: true });
    const z = [b.normal(), b.normal(), b.normal(), b.normal()];
    expect(Array.from(x)).toEqual(z.map(Math.abs));
    expect(y).toBe(z.map(Math.abs).reduce((s, v) => s + v, 0) + b.normal());
  });

  it('fromMoments rebuilds the Gaussian risk and rejects a non-SPD covariance or a sampler request', () => {
    const r = risk.fromMoments({ covariance: [1, 0, 0, 1], crossMoment: [1, 1], secondMoment: 3 });
    expect(riskValue(r, [0.3, 1.2])).toBe(riskValue(risk.gaussian(2), [0.3, 1.2]));
    expect(() => risk.fromMoments({ covariance: [1, 2, 2, 1], crossMoment: [1, 1], secondMoment: 3 })).toThrow(EosLabError);
    expect(() => risk.fromMoments({ covariance: [1, 0.1, 0, 1], crossMoment: [1, 1], secondMoment: 3 })).toThrow(EosLabError);
    const codeOf = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as EosLabError).code;
      }
      return 'no error';
    };
    expect(codeOf(() => monteCarloRisk(r, [1, 1]))).toBe('E_NOT_SUPPORTED');
    expect(codeOf(() => drawDataPoint(r, rng(1), new Float64Array(2)))).toBe('E_NOT_SUPPORTED');
    // A bad seed is reported by the function that received it, naming the option.
    expect(() => monteCarloRisk(risk.gaussian(2), [1, 1], { seed: 1.5 })).toThrow(/^diagonalNet\.monteCarloRisk: options\.seed/);
  });
});
