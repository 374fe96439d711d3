import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gradientFlow } from '../../../src/dynamics/gradient-flow.js';
import { stepSize } from '../../../src/dynamics/step-size.js';
import { symmetricEigen } from '../../../src/linalg/symmetric-eigen.js';
import { create } from '../../../src/models/width-one-net/model.js';
import {
  balance,
  convergenceLoss,
  gradientFlowSolution,
  minimizerEigenvalues,
  oscillatoryLoss,
} from '../../../src/models/width-one-net/theory.js';
import { expectRelClose, finiteVector } from '../../../src/testing/index.js';
import { errorCode as codeOf } from '../../helpers/errors.js';

const EPS = Number.EPSILON;
const NO_RECORD = { every: 0, sharpnessEvery: 0 } as const;


describe('width-one net theory: the two loss terms and the balance', () => {
  it('reference values (exact in binary) and defaults λ₁ = 1, λ₂ = 0.001', () => {
    const theta = new Float64Array([2, 0.5, 1]);
    expect(oscillatoryLoss(theta, { varianceIrrelevant: 4 })).toBe(2); // ½·4·4·0.25
    expect(convergenceLoss(theta, { varianceRelevant: 0.5 })).toBe(0.25); // ½·0.5·(2 − 1)²
    expect(oscillatoryLoss(theta)).toBe(0.5);
    expect(convergenceLoss(theta)).toBe(0.5 * 0.001);
    expect(balance(new Float64Array([2, 1, 0.5]))).toBe(2.75);
  });

  it('rejects malformed θ and options', () => {
    expect(codeOf(() => balance(new Float64Array(2)))).toBe('E_DIM_MISMATCH');
    expect(codeOf(() => balance(new Float64Array([1, Number.NaN, 0])))).toBe('E_NONFINITE');
    expect(codeOf(() => balance([1, 2, 3] as unknown as Float64Array))).toBe('E_BAD_OPTION');
    expect(codeOf(() => oscillatoryLoss(new Float64Array(3), { varianceIrrelevant: 0 }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => gradientFlowSolution(new Float64Array(3), { varianceRelevant: -1 }))).toBe('E_BAD_OPTION');
  });

  it('gradient flow conserves the balance to RK4 order: drift over t ∈ [0, 4] falls like dt⁴ (log–log slope 4 ± 0.2)', () => {
    // c is exactly conserved by the flow, so |c(θ_RK4(T)) − c₀| is the integrator's global error projected on ∇c:
    // O(dt⁴). dt = 0.1 … 0.0125 keeps it far above rounding (≥ 1e-9 vs ≤ 1e-13).
    const model = create({ varianceIrrelevant: 1, varianceRelevant: 0.5 });
    const theta0 = new Float64Array([1.2, 0.8, 0.3]);
    const c0 = balance(theta0);
    const dts = [0.1, 0.05, 0.025, 0.0125];
    const drifts = dts.map((dt) => {
      const run = gradientFlow(model, theta0, { step: stepSize.fixed(dt), maxTime: 4, maxSteps: 1000, record: NO_RECORD });
      expect(run.status).toBe('max-time');
      return Math.abs(balance(run.theta) - c0);
    });
    const xs = dts.map(Math.log);
    const ys = drifts.map(Math.log);
    const mx = xs.reduce((a, b) => a + b) / xs.length;
    const my = ys.reduce((a, b) => a + b) / ys.length;
    const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    expect(Math.abs(slope - 4), `slope ${slope}, drifts ${drifts}`).toBeLessThan(0.2);
    expect(drifts[drifts.length - 1]).toBeGreaterThan(1e-11); // still above rounding: the slope measured the integrator
  });

  it('one GD step changes the balance by exactly η²((∂_αL)² − (∂_β₁L)² − (∂_β₂L)²) (property, to rounding)', () => {
    // α'² = α² − 2ηα∂_α + η²∂_α² etc.; α∂_α = β₁∂_β₁ + β₂∂_β₂ (both = λ₁α²β₁² + λ₂αβ₂(αβ₂ − 1)), so the first-order
    // terms cancel. Rounding: c and c' are sums of three squares, each within 2ε of its size, and the step adds ε·|θᵢ|
    // to each coordinate: |Δ| ≤ 8ε·(‖θ‖² + ‖θ'‖²) + η²‖g‖²·8ε.
    const arb = fc.record({
      theta: finiteVector({ dim: 3, min: -2, max: 2 }),
      eta: fc.double({ min: 0.01, max: 3, noNaN: true }),
      lambda1: fc.double({ min: 0.01, max: 5, noNaN: true }),
      lambda2: fc.double({ min: 1e-3, max: 5, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, ({ theta, eta, lambda1, lambda2 }) => {
        const m = create({ varianceIrrelevant: lambda1, varianceRelevant: lambda2 });
        const g = new Float64Array(3);
        m.lossAndGrad(theta, g);
        const next = theta.map((t, i) => t - eta * g[i]);
        const predicted = eta * eta * (g[0] * g[0] - g[1] * g[1] - g[2] * g[2]);
        const sq = (v: Float64Array) => v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
        const tol = 8 * EPS * (sq(theta) + sq(next) + eta * eta * sq(g)) + 2 ** -1000;
        return Math.abs(balance(next) - balance(theta) - predicted) <= tol;
      }),
      { numRuns: 1000 },
    );
  });
});

describe('widthOneNet.gradientFlowSolution', () => {
  it('closed form: β₁∞ = 0, α∞² = (c + √(c² + 4))/2, β₂∞ = 1/α∞, sharpness max{λ₁α∞², λ₂√(c² + 4)}', () => {
    const gfs = gradientFlowSolution(new Float64Array([1.5, 0.1, 0]), { varianceIrrelevant: 1, varianceRelevant: 0.001 });
    const c = 2.25 - 0.01;
    const a2 = (c + Math.sqrt(c * c + 4)) / 2;
    expectRelClose(gfs.balance, c, { rel: 2 * EPS });
    expectRelClose(gfs.alphaSquared, a2, { rel: 4 * EPS });
    expect(gfs.theta).not.toBeNull();
    expectRelClose(gfs.theta as Float64Array, [Math.sqrt(a2), 0, 1 / Math.sqrt(a2)], { rel: 4 * EPS });
    expectRelClose(gfs.sharpness, a2, { rel: 4 * EPS }); // λ₁α∞² ≫ λ₂√(c² + 4) here
    expect(gfs.reachesMinimizer).toBe(true);
    // λ₂ large enough that the convergence eigenvalue is the sharpness: λ₂√(c² + 4) > λ₁α∞².
    const g2 = gradientFlowSolution(new Float64Array([1.5, 0.1, 0]), { varianceIrrelevant: 0.1, varianceRelevant: 1 });
    expectRelClose(g2.sharpness, Math.sqrt(c * c + 4), { rel: 4 * EPS });
  });

  it('docs/math.md check: λ₂√(c² + 4) = λ₂(α∞² + α∞⁻²) and α∞² − α∞⁻² = c, also for large |c| (no cancellation)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (c) => {
        // A start with balance c: β₁ = 0.5 and (α, β₂) chosen so that α² − 0.25 − β₂² = c.
        const theta0 = c >= -0.245 ? new Float64Array([Math.sqrt(c + 0.25), 0.5, 0]) : new Float64Array([0.1, 0.5, Math.sqrt(-c - 0.24)]);
        const { alphaSquared: a2, balance: cc } = gradientFlowSolution(theta0);
        const h = Math.hypot(cc, 2);
        return Math.abs(a2 + 1 / a2 - h) <= 8 * EPS * h && Math.abs(a2 - 1 / a2 - cc) <= 8 * EPS * h;
      }),
      { numRuns: 1000 },
    );
  });

  it('matches long RK4 gradient-flow runs (limit point and sign), including c < 0 and the β₁ = 0 branch', () => {
    // The RK4 end point differs from the exact limit by the integrator's drift of c (the limit depends on c with
    // |∂θ∞/∂c| ≤ 3 for these starts) and by the stop at L ≤ 1e-30 (|αβ₂ − 1| ≤ 2e-15): tolerance 10·drift + 1e-12.
    const cases: [number, number, number[], boolean][] = [
      [1, 0.5, [1.2, 0.8, 0.3], true], // c > 0
      [1, 0.5, [-1.5, 0.3, 0.4], true], // c > 0, α₀ < 0: α∞ < 0
      [2, 0.3, [0.3, 0, 1.5], true], // β₁ = 0, c < 0: sign(α₀ + β₂₀) = +
      [2, 0.3, [0.3, 0, -1.5], true], // β₁ = 0, c < 0: sign = −
      [1, 0.5, [0.5, 0.9, -0.2], false], // c < 0, β₁ ≠ 0: sign not determined in closed form
    ];
    for (const [l1, l2, start, signKnown] of cases) {
      const model = create({ varianceIrrelevant: l1, varianceRelevant: l2 });
      const theta0 = new Float64Array(start);
      const gfs = gradientFlowSolution(theta0, { varianceIrrelevant: l1, varianceRelevant: l2 });
      const run = gradientFlow(model, theta0, { step: stepSize.fixed(0.05), lossGoal: 1e-30, maxSteps: 100_000, record: NO_RECORD });
      expect(run.status, `${start}`).toBe('converged');
      const drift = Math.abs(balance(run.theta) - gfs.balance);
      const tol = 10 * drift + 1e-12;
      const alpha = Math.sqrt(gfs.alphaSquared);
      expect(Math.abs(Math.abs(run.theta[0]) - alpha), `|α∞| from ${start}`).toBeLessThanOrEqual(tol);
      expect(Math.abs(run.theta[1]), `β₁∞ from ${start}`).toBeLessThanOrEqual(1e-10);
      expect(Math.abs(Math.abs(run.theta[2]) - 1 / alpha), `|β₂∞| from ${start}`).toBeLessThanOrEqual(3 * tol);
      if (signKnown) {
        const t = gfs.theta as Float64Array;
        expect(Math.sign(t[0])).toBe(Math.sign(run.theta[0]));
        expect(Math.sign(t[2])).toBe(Math.sign(run.theta[2]));
      } else {
        expect(gfs.theta).toBeNull();
      }
    }
  });

  it('the GFS sharpness is λ_max of the dense Hessian at the limit (property over starts and variances)', () => {
    // At the closed-form limit (β₂∞ = 1/α∞ rounded) the Hessian is within a few ε·‖H‖ of the exact one; the dense
    // eigensolver adds ~3ε‖H‖: tolerance 32ε·(λ₁α∞² + λ₂(α∞² + α∞⁻² + 2)).
    const arb = fc.record({
      theta: finiteVector({ dim: 3, min: -3, max: 3 }),
      lambda1: fc.double({ min: 1e-3, max: 10, noNaN: true }),
      lambda2: fc.double({ min: 1e-4, max: 10, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, ({ theta, lambda1, lambda2 }) => {
        const opts = { varianceIrrelevant: lambda1, varianceRelevant: lambda2 };
        const gfs = gradientFlowSolution(theta, opts);
        if (!gfs.reachesMinimizer) return true; // saddle cases are tested separately
        const a2 = gfs.alphaSquared;
        const at = new Float64Array([Math.sqrt(a2), 0, 1 / Math.sqrt(a2)]); // the sharpness does not depend on the sign
        const { values } = symmetricEigen(create(opts).hessian(at));
        return Math.abs(values[2] - gfs.sharpness) <= 32 * EPS * (lambda1 * a2 + lambda2 * (a2 + 1 / a2 + 2));
      }),
      { numRuns: 1000 },
    );
  });

  it('non-minimizing limits: the critical line α = β₂ = 0 and the saddle reached from β₁ = 0, α₀ = −β₂₀', () => {
    const opts = { varianceIrrelevant: 2, varianceRelevant: 0.5 };
    const line = gradientFlowSolution(new Float64Array([0, 1.5, 0]), opts);
    expect(line.reachesMinimizer).toBe(false);
    expect(Array.from(line.theta as Float64Array)).toEqual([0, 1.5, 0]);
    const dense = symmetricEigen(create(opts).hessian(new Float64Array([0, 1.5, 0]))).values[2];
    expectRelClose(line.sharpness, dense, { rel: 16 * EPS });
    const saddle = gradientFlowSolution(new Float64Array([0.7, 0, -0.7]), opts);
    expect(saddle.reachesMinimizer).toBe(false);
    expect(Array.from(saddle.theta as Float64Array, Math.abs)).toEqual([0, 0, 0]);
    expect(saddle.sharpness).toBe(0.5); // Hessian at 0: eigenvalues ±λ₂, 0
    // GF from there does go to the origin (β₁ = 0 is invariant and α + β₂ = 0 is kept).
    const run = gradientFlow(create(opts), new Float64Array([0.7, 0, -0.7]), { step: stepSize.fixed(0.05), maxTime: 200, maxSteps: 10_000, record: NO_RECORD });
    expect(Math.max(...Array.from(run.theta, Math.abs))).toBeLessThan(1e-3);
  });
});

describe('widthOneNet.minimizerEigenvalues', () => {
  it('λ₁α², λ₂(α² + α⁻²), 0 and their maximum; = the dense eigenvalues at (α, 0, 1/α)', () => {
    const e = minimizerEigenvalues(2, { varianceIrrelevant: 1, varianceRelevant: 0.1 });
    expect(e.oscillatory).toBe(4);
    expectRelClose(e.convergence, 0.425, { rel: 2 * EPS });
    expect(e.tangent).toBe(0);
    expect(e.sharpness).toBe(4);
    const opts = { varianceIrrelevant: 0.05, varianceRelevant: 0.4 };
    const f = minimizerEigenvalues(-0.5, opts);
    const { values } = symmetricEigen(create(opts).hessian(new Float64Array([-0.5, 0, -2])));
    expectRelClose(Array.from(values), [0, f.oscillatory, f.convergence].sort((a, b) => a - b), { rel: 1e-14, abs: 1e-15 });
    expect(f.sharpness).toBe(f.convergence);
    expect(codeOf(() => minimizerEigenvalues(0))).toBe('E_BAD_OPTION');
    expect(codeOf(() => minimizerEigenvalues(Infinity))).toBe('E_NONFINITE');
  });
});
