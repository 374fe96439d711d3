import { describe, expect, it } from 'vitest';
import type { LossModel } from '../../src/core/loss-model.js';
import { EosLabError } from '../../src/core/errors.js';
import {
  createSharpnessWorkspace,
  resolveSharpnessOptions,
  sharpness,
  sharpnessEstimate,
  sharpnessEstimateUnchecked,
  type SharpnessOptions,
} from '../../src/sharpness/sharpness.js';
import { create as scalarFactorization } from '../../src/models/scalar-factorization/index.js';
import { createQuadratic } from '../helpers/quadratic.js';
import { errorCode as code } from '../helpers/errors.js';
import fc from 'fast-check';
import { symmetricMatrix } from '../../src/testing/index.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';

/*
 * Reference values are exact by construction: the test quadratic L = ½θᵀAθ has A = Q diag(λ) Qᵀ with chosen λ, so
 * its Hessian eigenvalues are λ up to the rounding of forming A, at most 4n·ε·max|λ| (n-term sums per entry; Weyl).
 * Every comparison allows |value − exact| ≤ errorBound + that allowance. On the scalar factorization
 * L = ½(1 − xy)², the sharpness on the manifold xy = 1 is x² + y² (docs/math.md §1).
 */
const EPS = Number.EPSILON;
const METHODS = ['dense', 'lanczos', 'power'] as const;

function withoutHessian(model: LossModel): LossModel {
  return { spec: model.spec, dim: model.dim, loss: model.loss, lossAndGrad: model.lossAndGrad, hvp: model.hvp };
}


describe('sharpness', () => {
  it('dense, lanczos and power agree with the exact λ_max on a quadratic (within their error bounds)', () => {
    const lambda = [3, 1, -0.5, 0.2, 2.5, -1.2, 0.7];
    const q = createQuadratic(lambda, 3);
    const theta = new Float64Array(lambda.length).fill(0.3);
    const allowance = 4 * lambda.length * EPS * 3;
    for (const method of METHODS) {
      const est = sharpnessEstimate(q.model, theta, { method });
      expect(est.method).toBe(method);
      expect(est.which).toBe('max');
      expect(est.converged).toBe(true);
      expect(Math.abs(est.value - 3)).toBeLessThanOrEqual(est.errorBound + allowance);
      expect(est.errorBound).toBeLessThan(1e-8);
      if (method === 'dense') expect(est.hvps).toBe(0);
      else expect(est.hvps).toBeGreaterThan(0);
      expect(sharpness(q.model, theta, { method })).toBe(est.value);
    }
  });

  it("'abs' (max|λ|, S_L of [Conflicting biases]) and 'max' (λ_max) differ when the most negative eigenvalue dominates", () => {
    const lambda = [-5, 1, 2, 0.3, -0.7];
    const q = createQuadratic(lambda, 4);
    const theta = new Float64Array(5);
    const allowance = 4 * 5 * EPS * 5;
    for (const method of METHODS) {
      const max = sharpnessEstimate(q.model, theta, { method, which: 'max' });
      const abs = sharpnessEstimate(q.model, theta, { method, which: 'abs' });
      expect(Math.abs(max.value - 2)).toBeLessThanOrEqual(max.errorBound + allowance);
      expect(Math.abs(abs.value - 5)).toBeLessThanOrEqual(abs.errorBound + allowance);
      expect(max.converged && abs.converged).toBe(true);
    }
    // Power with 'max' needs a second, shifted run (H + 5I, dominant 7): more HVPs than 'abs'.
    const pMax = sharpnessEstimate(q.model, theta, { method: 'power', which: 'max' });
    const pAbs = sharpnessEstimate(q.model, theta, { method: 'power', which: 'abs' });
    expect(pMax.hvps).toBeGreaterThan(pAbs.hvps);
  });

  it("'auto' is dense for a model with a Hessian and dim ≤ 64, Lanczos otherwise", () => {
    const small = createQuadratic([2, 1, 0.5], 1);
    expect(sharpnessEstimate(small.model, new Float64Array(3)).method).toBe('dense');
    const noHessian = withoutHessian(small.model);
    const est = sharpnessEstimate(noHessian, new Float64Array(3));
    expect(est.method).toBe('lanczos');
    expect(Math.abs(est.value - 2)).toBeLessThanOrEqual(est.errorBound + 4 * 3 * EPS * 2);
    const lambda65 = Array.from({ length: 65 }, (_, i) => (i === 0 ? 10 : Math.sin(i)));
    const big = createQuadratic(lambda65, 2);
    const e65 = sharpnessEstimate(big.model, new Float64Array(65));
    expect(e65.method).toBe('lanczos');
    expect(Math.abs(e65.value - 10)).toBeLessThanOrEqual(e65.errorBound + 4 * 65 * EPS * 10);
    const lambda64 = lambda65.slice(0, 64);
    expect(sharpnessEstimate(createQuadratic(lambda64, 2).model, new Float64Array(64)).method).toBe('dense');
  });

  it('matches x² + y² on the scalar factorization manifold xy = 1, with one workspace reused across θ', () => {
    const model = scalarFactorization();
    for (const method of METHODS) {
      const options = resolveSharpnessOptions(model, { method });
      const ws = createSharpnessWorkspace(model);
      for (const x of [0.5, 1, 2, 3]) {
        const theta = Float64Array.of(x, 1 / x);
        const exact = x * x + 1 / (x * x);
        const fast = sharpnessEstimateUnchecked(model, theta, options, ws);
        const checked = sharpnessEstimate(model, theta, { method });
        expect(fast).toEqual(checked); // same arithmetic with or without a reused workspace
        expect(Math.abs(fast.value - exact)).toBeLessThanOrEqual(fast.errorBound + 8 * EPS * exact);
      }
    }
    // At the saddle (0, 0) the Hessian is [[0, −1], [−1, 0]]: eigenvalues ±1.
    expect(sharpness(model, Float64Array.of(0, 0), { which: 'abs' })).toBeCloseTo(1, 14);
    expect(sharpness(model, Float64Array.of(0, 0), { method: 'lanczos' })).toBeCloseTo(1, 14);
  });

  it('reports converged: false when maxIterations is too small', () => {
    const lambda = Array.from({ length: 80 }, (_, i) => 1 + i / 79); // no gap: slow
    const q = createQuadratic(lambda, 6);
    // checkSymmetry: false so that hvps counts the iterations only (the probe would add its 2 HVPs).
    const est = sharpnessEstimate(q.model, new Float64Array(80), { method: 'lanczos', maxIterations: 4, checkSymmetry: false });
    expect(est.converged).toBe(false);
    expect(est.hvps).toBe(4);
    expect(est.errorBound).toBe(Infinity); // no claim about λ_max
    // A Ritz value is a Rayleigh quotient: inside [λ_min, λ_max] = [1, 2] (up to rounding).
    expect(est.value).toBeLessThanOrEqual(2 + 4 * 80 * EPS * 2);
    expect(est.value).toBeGreaterThan(1);
    const p = sharpnessEstimate(q.model, new Float64Array(80), { method: 'power', maxIterations: 4, checkSymmetry: false });
    expect(p.converged).toBe(false);
    expect(p.hvps).toBe(4);
    expect(p.errorBound).toBe(Infinity);
  });

  it('does not modify θ', () => {
    const q = createQuadratic([2, 1], 1);
    const theta = Float64Array.of(0.25, -1);
    for (const method of METHODS) sharpness(q.model, theta, { method });
    expect(Array.from(theta)).toEqual([0.25, -1]);
  });

  it('rejects bad input with stable codes and argument paths', () => {
    const q = createQuadratic([2, 1], 1);
    const t = Float64Array.of(1, 2);
    expect(code(() => sharpness(q.model, new Float64Array(3)))).toBe('E_DIM_MISMATCH');
    expect(code(() => sharpness(q.model, Float64Array.of(1, NaN)))).toBe('E_NONFINITE');
    expect(code(() => sharpness(q.model, [1, 2] as never))).toBe('E_BAD_OPTION');
    expect(code(() => sharpness({} as never, t))).toBe('E_BAD_OPTION');
    expect(code(() => sharpness(q.model, t, { method: 'qr' } as never))).toBe('E_BAD_OPTION');
    expect(code(() => sharpness(q.model, t, { which: 'min' } as never))).toBe('E_BAD_OPTION');
    expect(code(() => sharpness(q.model, t, { method: 'lanczos', tol: 0 }))).toBe('E_BAD_OPTION');
    expect(code(() => sharpness(q.model, t, { method: 'lanczos', maxIterations: 0 }))).toBe('E_BAD_OPTION');
    expect(code(() => sharpness(q.model, t, { method: 'power', seed: 0.5 }))).toBe('E_BAD_OPTION');
    expect(code(() => sharpness(q.model, t, { method: 'dense', tol: 1e-8 }))).toBe('E_BAD_OPTION'); // contradictory
    expect(code(() => sharpness(q.model, t, { method: 'dense', seed: 1 }))).toBe('E_BAD_OPTION');
    expect(code(() => sharpness(withoutHessian(q.model), t, { method: 'dense' }))).toBe('E_NOT_SUPPORTED');
    expect(code(() => sharpness(q.model, t, 'lanczos' as unknown as SharpnessOptions))).toBe('E_BAD_OPTION');
    try {
      resolveSharpnessOptions(q.model, { tol: -1 }, 'gd', 'options.record.sharpness');
      expect.unreachable();
    } catch (e) {
      expect((e as EosLabError).details.argument).toBe('options.record.sharpness.tol');
      expect((e as EosLabError).message.startsWith('gd: options.record.sharpness.tol must be')).toBe(true);
    }
  });
});

describe("'dense' on 2×2 Hessians (closed form λ± = m ± √(d² + b²))", () => {
  it('agrees with the dense eigensolver within the reported error bound (1000 random symmetric matrices)', () => {
    fc.assert(
      fc.property(symmetricMatrix({ n: 2, min: -100, max: 100 }), (H) => {
        const model = {
          spec: { kind: 'test-fixed-hessian' },
          dim: 2,
          loss: () => 0,
          lossAndGrad: (_t: Float64Array, g: Float64Array) => (g.fill(0), 0),
          hvp: (_t: Float64Array, v: Float64Array, out: Float64Array) => {
            out[0] = H.get(0, 0) * v[0] + H.get(0, 1) * v[1];
            out[1] = H.get(1, 0) * v[0] + H.get(1, 1) * v[1];
          },
          hessian: () => H,
        };
        const ref = symmetricEigen(H).values;
        const refNorm = Math.max(Math.abs(ref[0]), Math.abs(ref[1]));
        for (const which of ['max', 'abs'] as const) {
          const est = sharpnessEstimate(model, new Float64Array(2), { method: 'dense', which });
          const expected = which === 'max' ? ref[1] : refNorm;
          // Both sides are backward stable: allow the reported bound plus the reference's own n·ε·‖H‖₂.
          expect(Math.abs(est.value - expected)).toBeLessThanOrEqual(est.errorBound + 2 * Number.EPSILON * refNorm + 1e-300);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
