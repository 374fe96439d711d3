import { describe, expect, it } from 'vitest';
import { createModel, registeredModelKinds } from '../../../src/core/registry.js';
import { rng } from '../../../src/core/rng.js';
import { createEmpirical, sampleData } from '../../../src/models/width-one-net/empirical.js';
import { create } from '../../../src/models/width-one-net/model.js';
import { checkGradient, checkHessian, checkHvp, expectRelClose } from '../../../src/testing/index.js';
import { errorCode as codeOf } from '../../helpers/errors.js';

const EPS = Number.EPSILON;


/** ½·mean over the points of (α(β₁x₁ + β₂x₂) − y)² and its gradient, evaluated point by point (independent of Σ̂). */
function perPoint(x1: Float64Array, x2: Float64Array, y: Float64Array, [a, b1, b2]: Float64Array) {
  let loss = 0;
  const g = [0, 0, 0];
  const gScale = [0, 0, 0];
  let scale = 0;
  for (let i = 0; i < x1.length; i++) {
    const h = b1 * x1[i] + b2 * x2[i];
    const r = a * h - y[i];
    const rMag = Math.abs(a * b1 * x1[i]) + Math.abs(a * b2 * x2[i]) + Math.abs(y[i]); // |r| before cancellation
    loss += r * r;
    scale += rMag * rMag;
    g[0] += r * h;
    g[1] += r * a * x1[i];
    g[2] += r * a * x2[i];
    gScale[0] += rMag * (Math.abs(b1 * x1[i]) + Math.abs(b2 * x2[i]));
    gScale[1] += rMag * Math.abs(a * x1[i]);
    gScale[2] += rMag * Math.abs(a * x2[i]);
  }
  const n = x1.length;
  return { loss: loss / (2 * n), grad: g.map((x) => x / n), scale: scale / (2 * n), gradScale: gScale.map((x) => x / n) };
}

describe('widthOneNet.sampleData / createEmpirical', () => {
  it('draws x₁ = √λ₁·z₁, x₂ = √λ₂·z₂ from consecutive normal draws of rng(seed), y = x₂', () => {
    const { x1, x2, y } = sampleData({ varianceIrrelevant: 4, varianceRelevant: 0.25, samples: 5, seed: 11 });
    const r = rng(11);
    for (let i = 0; i < 5; i++) {
      const z1 = r.normal();
      const z2 = r.normal();
      expect(x1[i]).toBe(2 * z1);
      expect(x2[i]).toBe(0.5 * z2);
      expect(y[i]).toBe(x2[i]);
    }
  });

  it('the loss and gradient are the ½·mean over the sampled points (evaluated point by point), to rounding', () => {
    // Σ̂ sums x₁², x₁x₂, x₂² over n points (n·ε relative rounding each); the per-point evaluation sums n squared
    // residuals (n·ε relative to the sum of squared term magnitudes). Tolerance 4n·ε·scale, with scale the mean of the
    // squared (resp. product of) term magnitudes before cancellation.
    const opts = { varianceIrrelevant: 1, varianceRelevant: 1e-3, samples: 2000, seed: 3 };
    const { x1, x2, y } = sampleData(opts);
    const m = createEmpirical(opts);
    expect(m.spec).toEqual({ kind: 'width-one-net-empirical', ...opts });
    for (const t of [[0.45, 0.01, 0], [1.2, -0.3, 0.8], [-0.7, 0.5, 2]]) {
      const theta = new Float64Array(t);
      const ref = perPoint(x1, x2, y, theta);
      const tol = 4 * 2000 * EPS * Math.max(ref.scale, 1e-300);
      const g = new Float64Array(3);
      const L = m.lossAndGrad(theta, g);
      expect(Math.abs(L - ref.loss), `loss at ${t}`).toBeLessThanOrEqual(tol);
      expect(L).toBe(m.loss(theta));
      for (let i = 0; i < 3; i++) expect(Math.abs(g[i] - ref.grad[i]), `∂${i} at ${t}`).toBeLessThanOrEqual(4 * 2000 * EPS * ref.gradScale[i]);
    }
  });

  it('is deterministic: same seed → bit-identical Σ̂ (also via createModel of the JSON spec); another seed differs', () => {
    const a = createEmpirical({ samples: 500, seed: 9 });
    const b = createModel(JSON.parse(JSON.stringify(a.spec))) as typeof a;
    expect(registeredModelKinds()).toContain('width-one-net-empirical');
    expect(b.secondMoments).toEqual(a.secondMoments);
    const c = createEmpirical({ samples: 500, seed: 10 });
    expect(c.secondMoments.xx11).not.toBe(a.secondMoments.xx11);
  });

  it('derivatives agree with finite differences (the empirical loss is a quartic in θ as well)', () => {
    const m = createEmpirical({ varianceIrrelevant: 2, varianceRelevant: 0.5, samples: 50, seed: 1 });
    expect(m.secondMoments.xx12).not.toBe(0); // the cross moment exercises the s₁₂ terms of the kernel
    for (const t of [[0.45, 0.01, 0], [1.1, -0.4, 0.9], [-2, 1.5, -0.3]]) {
      const theta = new Float64Array(t);
      expect(checkGradient(m, theta, { rel: 1e-9 }).pass).toBe(true);
      expect(checkHvp(m, theta, new Float64Array([1, 0.5, -0.25]), { rel: 1e-9 }).pass).toBe(true);
      expect(checkHessian(m, theta, { rel: 1e-9 }).pass).toBe(true);
    }
  });

  it('converges to the population loss: |L̂ − L| ≤ 5·sd(n) for n = 10², 10⁴, 10⁶, and the error scales like 1/√n', () => {
    // L̂ − L = ½(u²(Σ̂₁₁ − λ₁) + 2uvΣ̂₁₂ + v²(Σ̂₂₂ − λ₂)), u = αβ₁, v = αβ₂ − 1; for Gaussian x the three terms are
    // uncorrelated with variances 2λ₁²/n, λ₁λ₂/n, 2λ₂²/n, so sd(n) = ½√((2λ₁²u⁴ + 4λ₁λ₂u²v² + 2λ₂²v⁴)/n). A 5-sd bound
    // fails with probability < 6e-7 per draw (the draws are fixed by the seeds, so the test is deterministic).
    const lambda1 = 1;
    const lambda2 = 0.25;
    const theta = new Float64Array([1.2, 0.3, 0.5]);
    const u = 1.2 * 0.3;
    const v = 1.2 * 0.5 - 1;
    const L = create({ varianceIrrelevant: lambda1, varianceRelevant: lambda2 }).loss(theta);
    expectRelClose(L, 0.5 * lambda1 * u * u + 0.5 * lambda2 * v * v, { rel: 4 * EPS });
    const sd = (n: number) => 0.5 * Math.sqrt((2 * lambda1 ** 2 * u ** 4 + 4 * lambda1 * lambda2 * u * u * v * v + 2 * lambda2 ** 2 * v ** 4) / n);
    for (const n of [100, 10_000, 1_000_000]) {
      const m = createEmpirical({ varianceIrrelevant: lambda1, varianceRelevant: lambda2, samples: n, seed: 7 });
      expect(Math.abs(m.loss(theta) - L), `n = ${n}`).toBeLessThanOrEqual(5 * sd(n));
    }
    // Scaling: over 40 seeds at n = 10⁴ the mean of |L̂ − L|/sd estimates E|Z| = √(2/π) ≈ 0.80 with standard error
    // ≈ 0.6/√40 ≈ 0.095 (normal approximation); accept [0.45, 1.15] (±3.7 standard errors). A wrong 1/√n law or a
    // wrong variance would land far outside.
    let sum = 0;
    for (let seed = 100; seed < 140; seed++) {
      const m = createEmpirical({ varianceIrrelevant: lambda1, varianceRelevant: lambda2, samples: 10_000, seed });
      sum += Math.abs(m.loss(theta) - L) / sd(10_000);
    }
    const meanAbsZ = sum / 40;
    expect(meanAbsZ).toBeGreaterThan(0.45);
    expect(meanAbsZ).toBeLessThan(1.15);
  });

  it('rejects bad options', () => {
    expect(codeOf(() => createEmpirical({ samples: 1 }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => createEmpirical({ samples: 2.5 }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => createEmpirical({ seed: 2 ** 40 }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => sampleData({ varianceRelevant: 0 }))).toBe('E_BAD_OPTION');
  });
});
