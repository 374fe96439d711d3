import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gd } from '../../src/dynamics/gd.js';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import { finiteVector } from '../../src/testing/index.js';
import { createQuadratic } from '../helpers/quadratic.js';

const spectrum = fc.array(fc.double({ min: 0.5, max: 5, noNaN: true }), { minLength: 1, maxLength: 5 });
const problem = fc
  .tuple(spectrum, fc.integer({ min: 1, max: 1000 }))
  .chain(([eig, seed]) => fc.tuple(fc.constant(eig), fc.constant(seed), finiteVector({ dim: eig.length, min: -2, max: 2 })));

function norm(v: Float64Array): number {
  return Math.hypot(...v);
}

describe('gd on random quadratics L = ½θᵀAθ', () => {
  it('equals the closed form θ_k = Q(I − ηΛ)^k Qᵀθ₀ for stable η (k = 25)', () => {
    fc.assert(
      fc.property(problem, fc.double({ min: 0.05, max: 1.95, noNaN: true }), ([eig, seed, theta0], frac) => {
        const quad = createQuadratic(eig, seed);
        const eta = frac / quad.lambdaMax; // η·λ_max < 2: every factor |1 − ηλ| < 1
        const run = gd(quad.model, theta0, { learningRate: eta, maxSteps: 25, record: { every: 0 } });
        const exact = quad.gdIterate(theta0, eta, 25);
        // Each step: Aθ costs p roundings, θ − ηg two more, amplified by ≤ 1 + η‖A‖ < 3 → per-step error
        // ≤ 3(p + 2)ε‖θ₀‖; 25 non-expanding steps and the closed form's own O(pε) error: 1e-12·‖θ₀‖ bounds it.
        const tol = 1e-12 * norm(theta0) + 1e-300;
        for (let i = 0; i < eig.length; i++) expect(Math.abs(run.theta[i] - exact[i])).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 500 },
    );
  });

  it("converges when η < 2/λ_max and reports 'diverged' when η > 2/λ_max (docs/math.md §0 stability)", () => {
    fc.assert(
      fc.property(problem, fc.double({ min: 0.2, max: 1.8, noNaN: true }), fc.double({ min: 2.2, max: 3, noNaN: true }), ([eig, seed, theta0], stable, unstable) => {
        const quad = createQuadratic(eig, seed);
        const c = quad.toEigenbasis(theta0);
        const top = eig.indexOf(quad.lambdaMax);
        fc.pre(Math.abs(c[top]) > 1e-3 && norm(theta0) > 1e-2); // a component along the top eigenvector
        const l0 = quad.model.loss(theta0);
        const ok = gd(quad.model, theta0, { learningRate: stable / quad.lambdaMax, lossGoal: 1e-12 * l0, maxSteps: 100_000, record: { every: 0 } });
        expect(ok.status).toBe('converged');
        const bad = gd(quad.model, theta0, { learningRate: unstable / quad.lambdaMax, maxSteps: 100_000, record: { every: 0 } });
        expect(bad.status).toBe('diverged');
        expect(bad.theta.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('gradientFlow on random quadratics', () => {
  it('matches exp(−tA)θ₀ at t = 1 with dt = 1/64 to RK4 accuracy', () => {
    fc.assert(
      fc.property(problem, ([eig, seed, theta0]) => {
        const quad = createQuadratic(eig, seed);
        const run = gradientFlow(quad.model, theta0, { step: stepSize.fixed(1 / 64), maxTime: 1, record: { every: 0, sharpnessEvery: 0 } });
        expect(run.time).toBe(1);
        const exact = quad.flow(theta0, 1);
        // Global RK4 error per mode ≤ t·λ⁵h⁴/120·|c| ≤ 1·3125·(1/64)⁴/120 ≈ 1.6e-6 relative to ‖θ₀‖ (λ ≤ 5).
        const tol = 2e-6 * norm(theta0) + 1e-300;
        for (let i = 0; i < eig.length; i++) expect(Math.abs(run.theta[i] - exact[i])).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 300 },
    );
  });
});
