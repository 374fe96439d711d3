/**
 * topEigenpairs and Lanczos warm starts, against quadratics whose eigendecomposition is known by construction
 * (test/helpers/quadratic.ts) and against the dense eigensolver on an MLP.
 */
import { describe, expect, it } from 'vitest';
import { lanczos } from '../../src/linalg/lanczos.js';
import { hessianOperator } from '../../src/linalg/operator.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { create, init } from '../../src/models/mlp/index.js';
import { topEigenpairs } from '../../src/sharpness/top-eigenpairs.js';
import { rng } from '../../src/core/rng.js';
import { createQuadratic } from '../helpers/quadratic.js';
import { errorCode as code } from '../helpers/errors.js';

const EPS = Number.EPSILON;

/** Column j of the row-major p×p matrix q. */
function column(q: Float64Array, p: number, j: number): Float64Array {
  return Float64Array.from({ length: p }, (_, i) => q[i * p + j]);
}

describe('topEigenpairs', () => {
  // 40 distinct eigenvalues with a top cluster 10, 9, 8, 7 and a bulk in [-1, 3].
  const eig = [10, 9, 8, 7, ...Array.from({ length: 36 }, (_, i) => 3 - (4 * i) / 35)];
  const quad = createQuadratic(eig, 7);
  const theta = rng(1).fillNormal(new Float64Array(quad.dim));

  it('returns the k largest eigenvalues within the error bounds (+ 4n·ε·‖A‖ of rounding in the reference)', () => {
    const r = topEigenpairs(quad.model, theta, { k: 4, tol: 1e-10 });
    expect(r.converged).toBe(true);
    for (let i = 0; i < 4; i++) expect(Math.abs(r.values[i] - eig[i])).toBeLessThanOrEqual(r.errorBounds[i] + 4 * 40 * EPS * 10);
    expect(r.hvps).toBeGreaterThan(4);
  });

  it('a warm start from the exact top-k eigenvectors finds them in k HVPs (the Krylov space is invariant)', () => {
    const start = [0, 1, 2].map((j) => column(quad.q, quad.dim, j));
    const r = topEigenpairs(quad.model, theta, { k: 3, start });
    expect(r.hvps).toBe(3);
    expect(r.converged).toBe(true);
    for (let i = 0; i < 3; i++) expect(Math.abs(r.values[i] - eig[i])).toBeLessThan(1e-12);
  });

  it('a warm start from perturbed eigenvectors uses fewer HVPs than a random start, for the same values', () => {
    const noise = rng(3);
    const start = [0, 1].map((j) => {
      const v = column(quad.q, quad.dim, j);
      for (let i = 0; i < v.length; i++) v[i] += 1e-3 * noise.normal();
      return v;
    });
    const cold = topEigenpairs(quad.model, theta, { k: 2 });
    const warm = topEigenpairs(quad.model, theta, { k: 2, start });
    expect(warm.hvps).toBeLessThan(cold.hvps);
    for (let i = 0; i < 2; i++) expect(Math.abs(warm.values[i] - cold.values[i])).toBeLessThan(1e-10);
  });

  it('agrees with the dense eigensolver on a tanh MLP (p = 97)', () => {
    const model = create({ layers: [1, 8, 8, 1], activation: 'tanh', loss: 'mse', data: { dataset: 'chebyshev', points: 24, degree: 3 } });
    const th = init(model, { seed: 2 });
    const dense = symmetricEigen(model.hessian(th)).values;
    const r = topEigenpairs(model, th, { k: 3, tol: 1e-10 });
    const scale = Math.max(Math.abs(dense[0]), Math.abs(dense[dense.length - 1]));
    for (let i = 0; i < 3; i++) expect(Math.abs(r.values[i] - dense[dense.length - 1 - i])).toBeLessThanOrEqual(r.errorBounds[i] + 4 * 97 * EPS * scale);
  });

  it('lanczos accepts startVectors and rejects them with startVector', () => {
    const op = hessianOperator(quad.model, theta);
    const v = column(quad.q, quad.dim, 0);
    expect(lanczos(op, { startVectors: [v] }).matvecs).toBe(1);
    expect(code(() => lanczos(op, { startVectors: [v], startVector: v }))).toBe('E_BAD_OPTION');
  });

  it('rejects bad input with codes', () => {
    expect(code(() => topEigenpairs(quad.model, theta, { k: 0 }))).toBe('E_BAD_OPTION');
    expect(code(() => topEigenpairs(quad.model, theta, { start: [] }))).toBe('E_BAD_OPTION');
    expect(code(() => topEigenpairs(quad.model, theta, { start: [new Float64Array(quad.dim)] }))).toBe('E_BAD_OPTION');
    expect(code(() => topEigenpairs(quad.model, theta, { start: [new Float64Array(3)] }))).toBe('E_DIM_MISMATCH');
    expect(code(() => topEigenpairs(quad.model, new Float64Array(quad.dim).fill(NaN)))).toBe('E_NONFINITE');
    expect(code(() => topEigenpairs(quad.model, theta, { kk: 2 } as never))).toBe('E_BAD_OPTION');
    expect(code(() => topEigenpairs(quad.model, theta, { k: 5, maxIterations: 3 }))).toBe('E_BAD_OPTION');
  });
});
