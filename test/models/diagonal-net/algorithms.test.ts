/**
 * [Conflicting biases]'s idealized algorithms (Sec. 3, Prop. E.2): A_ℓ1 and A_S against Prop. 3.2, A_opt against the
 * Σ^{−1/2} formula of Prop. E.2 (iii) computed here with a dense eigendecomposition and against sampling of M,
 * the fallback when that formula leaves the nonnegative orthant, and the Monte-Carlo expected risks (with the
 * sign typo of Prop. E.2 (i)–(ii)).
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { rng } from '../../../src/core/rng.js';
import { symmetricEigen } from '../../../src/linalg/symmetric-eigen.js';
import { algorithms, expectedRisk } from '../../../src/models/diagonal-net/algorithms.js';
import { bestKktPoint } from '../../../src/models/diagonal-net/kkt.js';
import { drawDataPoint, gaussianRisk, risk, riskValue } from '../../../src/models/diagonal-net/risk.js';
import { expectRelClose } from '../../../src/testing/index.js';

const EPS = Number.EPSILON;

describe('A_ℓ1 and A_S', () => {
  it('are √(y₀/x_max) e_kmax and √(y₀/x_min) e_kmin; null when M is empty', () => {
    expect(Array.from(algorithms.l1([1, 4, 2], 2) ?? [])).toEqual([0, Math.sqrt(0.5), 0]);
    expect(Array.from(algorithms.sharpness([1, 4, 2], 2) ?? [])).toEqual([Math.SQRT2, 0, 0]);
    expect(Array.from(algorithms.sharpness([0, 4, 2], 2) ?? [])).toEqual([0, 0, 1]); // least positive entry
    expect(algorithms.l1([1, 4], -1)).toBeNull();
    expect(() => algorithms.l1([1, -4], 1)).toThrow();
  });
});

describe('A_opt (Prop. E.2 (iii))', () => {
  it('Lemma E.1 risk: u = 1 − νx₀ with ν = (‖x₀‖₁ − y₀)/‖x₀‖₂², equal to the best KKT point without a bound', () => {
    const w = algorithms.optimal([1, 4], 2) as Float64Array;
    expectRelClose(Array.from(w, (v) => v * v), [14 / 17, 5 / 17], { rel: 8 * EPS });
    const best = bestKktPoint([1, 4], 2, 0);
    expectRelClose(w, best?.w ?? [], { rel: 1e-14 });
  });

  it('general Σ: equals Σ^{−1/2}(P⊥ μ_Σ + y₀ x_Σ/‖x_Σ‖²) computed by a dense eigendecomposition, and beats sampled points of M', () => {
    // Σ = AAᵀ + I with a fixed A; μ chosen so that the closed form is positive for x₀ below.
    const d = 3;
    const A = [0.4, -0.2, 0.1, 0.3, 0.5, -0.4, -0.1, 0.2, 0.6];
    const cov = new Float64Array(9);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < d; k++) s += A[i * d + k] * A[j * d + k];
      cov[i * d + j] = s;
    }
    const mu = [1.5, 1.2, 1.8];
    const r = risk.fromMoments({ covariance: cov, crossMoment: mu, secondMoment: 6 });
    const x0 = [0.8, 1.3, 0.5];
    const y0 = 1.7;
    // Σ^{−1/2} = V diag(λ^{−1/2}) Vᵀ from the dense eigensolver (independent of the library's Cholesky path).
    const { values, vectors } = symmetricEigen(ndarray(Float64Array.from(cov), [d, d]));
    const half = (v: number[]) =>
      Array.from({ length: d }, (_, i) => {
        let s = 0;
        for (let k = 0; k < d; k++) {
          let proj = 0;
          for (let j = 0; j < d; j++) proj += vectors.get(j, k) * v[j];
          s += vectors.get(i, k) * proj / Math.sqrt(values[k]);
        }
        return s;
      });
    const xS = half(x0);
    const muS = half(mu);
    const nx = xS.reduce((s, v) => s + v * v, 0);
    const dotXM = xS.reduce((s, v, i) => s + v * muS[i], 0);
    const tilde = muS.map((m, i) => m - (dotXM / nx) * xS[i] + (y0 / nx) * xS[i]);
    const u = half(tilde);
    expect(u.every((v) => v > 0)).toBe(true);
    const w = algorithms.optimal(x0, y0, { risk: r }) as Float64Array;
    expectRelClose(Array.from(w, (v) => v * v), u, { rel: 1e-12 });
    // Prop. E.2's value of the risk at A_opt: ½(y₀²/‖x_Σ‖² − 2y₀ μ_Σᵀx_Σ/‖x_Σ‖² − μ_Σᵀ P⊥ μ_Σ + σ²).
    const perp = muS.reduce((s, v) => s + v * v, 0) - (dotXM * dotXM) / nx;
    expectRelClose(riskValue(r, w), 0.5 * ((y0 * y0) / nx - (2 * y0 * dotXM) / nx - perp + 6), { rel: 1e-12 });
    const g = rng(5);
    for (let k = 0; k < 2000; k++) {
      const s = [g.uniform(), g.uniform(), g.uniform()];
      const t = y0 / (x0[0] * s[0] + x0[1] * s[1] + x0[2] * s[2]);
      expect(riskValue(r, s.map((v) => Math.sqrt(t * v)))).toBeGreaterThanOrEqual(riskValue(r, w) - 1e-12);
    }
  });

  it('when the closed form leaves the orthant (x₀ = (1, 4), y₀ = 0.5: u₂ = 1 − 4·9/34 < 0) it returns the true minimizer on M', () => {
    const w = algorithms.optimal([1, 4], 0.5) as Float64Array;
    // On M: u₁ + 4u₂ = 0.5, u ≥ 0; R = ½(u₁² + u₂²) − u₁ − u₂ + 3/2 is minimized at u = (0.5, 0) (checked on a grid).
    let best = Infinity;
    for (let k = 0; k <= 10000; k++) {
      const u2 = (0.125 * k) / 10000;
      const u1 = 0.5 - 4 * u2;
      best = Math.min(best, gaussianRisk([Math.sqrt(u1), Math.sqrt(u2)]));
    }
    expect(Array.from(w)).toEqual([Math.SQRT1_2, 0]);
    expect(gaussianRisk(w)).toBeLessThanOrEqual(best);
  });
});

describe('expectedRisk (Monte Carlo over x₀ ≥ 0)', () => {
  it('draws from the conditioned distribution, excludes empty manifolds, and orders A_opt ≤ A_ℓ1 pointwise', () => {
    const r = risk.gaussian(3);
    const opts = { samples: 3000, seed: 4 };
    const l1 = expectedRisk(algorithms.l1, r, opts);
    const opt = expectedRisk((x, y) => algorithms.optimal(x, y), r, opts);
    expect(l1.samples + l1.excluded).toBe(3000);
    expect(l1.excluded).toBe(opt.excluded);
    expect(l1.excluded).toBeGreaterThan(0); // y₀ = ⟨1, x₀⟩ + ε < 0 happens
    expect(opt.mean).toBeLessThan(l1.mean);
    // The same draws, replayed here: the excluded ones are exactly those with y₀ < 0.
    const g = rng(4);
    const x = new Float64Array(3);
    let negatives = 0;
    for (let k = 0; k < 3000; k++) if (drawDataPoint(r, g, x, { nonNegative: true }) < 0) negatives++;
    expect(negatives).toBe(l1.excluded);
  });

  it('converges to ½(σ² + E Σ_kk y₀²/x_k² − 2E μ_k y₀/x_k), not the printed ½(σ² + E Σ_kk y₀²/x_k² + E μ_k y₀/x_k) (typo in the paper)', () => {
    const d = 3;
    const r = risk.foldedGaussian(d);
    const N = 4000;
    const est = expectedRisk(algorithms.l1, r, { samples: N, seed: 9 });
    // Replay the draws and average both formulas (same samples, so the comparison is exact up to rounding).
    const g = rng(9);
    const x = new Float64Array(d);
    let corrected = 0;
    let printed = 0;
    const muk = 1 + (2 * (d - 1)) / Math.PI;
    const sigma2 = d + (2 * d * (d - 1)) / Math.PI;
    for (let k = 0; k < N; k++) {
      const y = drawDataPoint(r, g, x, { nonNegative: true });
      const xm = Math.max(...x);
      corrected += 0.5 * (sigma2 + (y * y) / (xm * xm) - (2 * muk * y) / xm);
      printed += 0.5 * (sigma2 + (y * y) / (xm * xm) + (muk * y) / xm);
    }
    expectRelClose(est.mean, corrected / N, { rel: 1e-12 });
    expect(Math.abs(est.mean - printed / N)).toBeGreaterThan(1);
  });

  it('names the function and option for a bad seed', () => {
    expect(() => expectedRisk(algorithms.l1, risk.gaussian(2), { seed: Number.NaN })).toThrow(/^diagonalNet\.expectedRisk: options\.seed/);
  });
});
