/**
 * The third-order term ∇³L(θ)[u, v] = ∇_θ(uᵀ∇²L(θ)v) of `fromFunction` models (and of the MLP model, which
 * computes it through its autodiff form) against finite differences of Hessian-vector products: by the symmetry of
 * the third-derivative tensor, ∇³L(θ)[u, v] = d/dt ∇²L(θ + t u) v at t = 0, estimated by Richardson-extrapolated
 * central differences (error O(h⁴)) with h = 1e-3·max(1, ‖θ‖∞) along u/‖u‖∞.
 *
 * Tolerance, fixed before running: ‖T − FD‖∞ ≤ 1e-6·max(1, ‖T‖∞, ‖FD‖∞) + 16·ε·F·‖u‖∞/h, where F is the largest
 * |(∇²L v)ᵢ| evaluated — the same rule as `checkHvp` one derivative lower (rounding of each difference quotient is
 * ≈ ε·F/h, ×5/3 by the extrapolation; 1e-6 absorbs the O(h⁴) truncation). Also: T[u, v] = T[v, u] (symmetry;
 * the two are computed by different graphs) to 1e-10·max(‖T‖∞, ‖u‖∞‖v‖∞). The first version measured this relative
 * to ‖T‖∞ alone and failed at θ = 0, where T = 0 exactly and rounding left entries of 1e-19 from terms of size
 * ‖u‖∞‖v‖∞ ≈ 1e-3 (logSumExp's third derivative, odd, cancels there): T is bilinear in (u, v), so ‖u‖‖v‖ is the
 * scale of its terms.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFunction, type FunctionModel } from '../../src/autodiff/from-function.js';
import * as ad from '../../src/autodiff/ops.js';
import type { LossModel } from '../../src/core/loss-model.js';
import { rng } from '../../src/core/rng.js';
import { create as mlpModel, init as mlpInit } from '../../src/models/mlp/index.js';
import { richardsonDerivative } from '../../src/testing/finite-differences.js';
import { vector } from './compare.js';
import * as re from './reexpressed.js';

type ThirdOrderModel = LossModel & { thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void };

const EPS = Number.EPSILON;
function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Returns the error and tolerance of T[u, v] against the Richardson difference of HVPs along u. */
export function thirdOrderError(model: ThirdOrderModel, theta: Float64Array, u: Float64Array, v: Float64Array): { error: number; tolerance: number } {
  const p = model.dim;
  const T = new Float64Array(p);
  model.thirdOrder(theta, u, v, T);
  const s = maxAbs(u);
  const h = 1e-3 * Math.max(1, maxAbs(theta));
  const x = new Float64Array(p);
  const fd = new Float64Array(p);
  let F = 0;
  richardsonDerivative(
    (t, out) => {
      for (let i = 0; i < p; i++) x[i] = theta[i] + t * (u[i] / s);
      model.hvp(x, v, out);
      F = Math.max(F, maxAbs(out));
    },
    h,
    fd,
  );
  for (let i = 0; i < p; i++) fd[i] *= s;
  let error = 0;
  for (let i = 0; i < p; i++) error = Math.max(error, Math.abs(T[i] - fd[i]));
  const tolerance = 1e-6 * Math.max(1, maxAbs(T), maxAbs(fd)) + (16 * EPS * F * s) / h;
  return { error, tolerance };
}

function expectThirdOrder(model: ThirdOrderModel, theta: Float64Array, u: Float64Array, v: Float64Array): void {
  if (maxAbs(u) === 0) return;
  const { error, tolerance } = thirdOrderError(model, theta, u, v);
  expect(error, `‖T − FD‖∞ at θ = [${Array.from(theta)}], u = [${Array.from(u)}], v = [${Array.from(v)}]`).toBeLessThanOrEqual(tolerance);
  const a = new Float64Array(model.dim);
  const b = new Float64Array(model.dim);
  model.thirdOrder(theta, u, v, a);
  model.thirdOrder(theta, v, u, b);
  let asym = 0;
  for (let i = 0; i < a.length; i++) asym = Math.max(asym, Math.abs(a[i] - b[i]));
  expect(asym, 'symmetry T[u, v] = T[v, u]').toBeLessThanOrEqual(1e-10 * Math.max(maxAbs(a), maxAbs(u) * maxAbs(v)));
}

describe('thirdOrder against finite differences of HVPs', () => {
  it('scalar factorization, depths 2–8 (1,000 runs)', () => {
    const models = new Map<number, FunctionModel>();
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }).chain((D) => fc.tuple(fc.constant(D), vector(D, 2), vector(D, 1), vector(D, 1))),
        ([D, theta, u, v]) => {
          let m = models.get(D);
          if (!m) models.set(D, (m = re.scalarFactorization(D, 1)));
          expectThirdOrder(m, theta, u, v);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('diagonal net (difference parametrization, depth 3) and width-one net (1,000 runs)', () => {
    const r = rng(7);
    const inputs = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => r.normal()));
    const diag = re.diagonalNet(inputs, [0.5, -1, 2], 3, 'difference');
    const w1 = re.widthOneNet(1, 0.2, 0.5);
    fc.assert(
      fc.property(vector(8, 2), vector(8, 1), vector(8, 1), (theta, u, v) => {
        expectThirdOrder(diag, theta, u, v);
        expectThirdOrder(w1, theta.subarray(0, 3), u.subarray(0, 3), v.subarray(0, 3));
      }),
      { numRuns: 1000 },
    );
  });

  it('every elementwise function, reduction and product (1,000 runs)', () => {
    const A = [[0.5, -1, 2], [1, 0.3, -0.7]];
    // Smooth everywhere on the sampled box: log, sqrt and real powers act on positive arguments.
    const model = fromFunction(3, (w) => {
      const pos = ad.add(ad.mul(w, w), 0.5);
      const parts = [
        ad.sum(ad.exp(ad.mul(0.3, w))),
        ad.sum(ad.log(pos)),
        ad.sum(ad.sqrt(pos)),
        ad.sum(ad.pow(pos, 1.7)),
        ad.sum(ad.pow(w, 5)),
        ad.sum(ad.tanh(w)),
        ad.sum(ad.sigmoid(ad.mul(2, w))),
        ad.sum(ad.softplus(w)),
        ad.sum(ad.div(w, pos)),
        ad.logSumExp(ad.matvec(A, w)),
        ad.dot(w, ad.neg(ad.tanh(w))),
        ad.sum(ad.mean(ad.outer(ad.abs(ad.add(w, 3)), w), 0)),
        ad.sum(ad.matmul(ad.reshape(ad.concat([w, ad.tanh(w)]), [2, 3]), ad.transpose(ad.constant(A)))),
      ];
      return parts.reduce((acc, t) => ad.add(acc, t));
    });
    fc.assert(
      fc.property(vector(3, 2), vector(3, 1), vector(3, 1), (theta, u, v) => expectThirdOrder(model, theta, u, v)),
      { numRuns: 1000 },
    );
  });

  it('MLP model thirdOrder (tanh and relu, mse and cross-entropy; 100 runs each)', () => {
    for (const activation of ['tanh', 'relu'] as const) {
      for (const loss of ['mse', 'cross-entropy'] as const) {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
            const r = rng(seed);
            const layers = [3, 4, 3];
            const inputs = Array.from({ length: 5 }, () => Array.from({ length: 3 }, () => r.normal()));
            const targets = loss === 'mse' ? inputs.map(() => [r.normal(), r.normal(), r.normal()]) : inputs.map(() => r.int(3));
            const model = mlpModel({ layers, activation, loss, inputs, targets });
            const theta = mlpInit(model, { seed });
            const u = r.fillNormal(new Float64Array(model.dim));
            const v = r.fillNormal(new Float64Array(model.dim));
            // ReLU: a finite-difference stencil crossing a kink measures a jump; skip points with a pre-activation
            // within 0.05 of 0 (the stencil moves them by ≲ 1e-2).
            if (activation === 'relu' && nearKink(model, theta)) return;
            expectThirdOrder(model, theta, u, v);
          }),
          { numRuns: 100 },
        );
      }
    }
  });
});

/** Whether some hidden pre-activation of the 3-4-3 network is within 0.05 of 0 on the model's inputs. */
function nearKink(model: ReturnType<typeof mlpModel>, theta: Float64Array): boolean {
  const X = model.spec.inputs as number[][];
  for (const x of X) {
    for (let i = 0; i < 4; i++) {
      let z = theta[12 + i];
      for (let j = 0; j < 3; j++) z += theta[i * 3 + j] * x[j];
      if (Math.abs(z) < 0.05) return true;
    }
  }
  return false;
}
