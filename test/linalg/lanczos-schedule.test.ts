import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { lanczosUnchecked, type LanczosWhich } from '../../src/linalg/lanczos.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { denseOperator } from '../../src/linalg/operator.js';
import { rng } from '../../src/core/rng.js';
import { EPS, explicitResidual, nearestIndex, spectralNorm } from './reference.js';

/*
 * The adaptive convergence-test schedule (checkStride 0, the default) and the DGKS-decided second Gram–Schmidt pass
 * must give the same answers as the textbook every-step test, to the documented tolerance: each value within its
 * errorBound (+ the dense solver's 4n·ε·‖A‖) of the dense eigenvalue nearest it, the explicit residual of each
 * Ritz vector within tol·|θ| plus rounding (4n + 2m)·ε·‖A‖, and the two schedules' values within the sum of their
 * bounds. The adaptive schedule may take a few more steps than the first step at which the test passes (it tests
 * less often); it is bounded here by 1.25·m₁ + 2, m₁ the every-step count.
 */

/** Q diag(λ) Qᵀ with a Hessian-like spectrum (outliers above a bulk) and a seeded random orthogonal Q. */
function hessianLike(n: number, seed: number): ndarray.NdArray<Float64Array> {
  const r = rng(seed);
  const g = r.fillNormal(new Float64Array(n * n));
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += g[i * n + k] * g[i * n + j];
        for (let i = 0; i < n; i++) g[i * n + j] -= s * g[i * n + k];
      }
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += g[i * n + j] ** 2;
    s = Math.sqrt(s);
    for (let i = 0; i < n; i++) g[i * n + j] /= s;
  }
  const lambda = Array.from({ length: n }, (_, i) => (i < 5 ? 50 * 0.8 ** i * (1 + 0.1 * r.uniform()) : 5 * Math.exp(-i / 20) - 0.5 * r.uniform()));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += g[i * n + k] * lambda[k] * g[j * n + k];
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  return ndarray(a, [n, n]);
}

describe('lanczos convergence-test schedule', () => {
  const cases: [number, number, LanczosWhich, number][] = [];
  for (const n of [30, 80, 150]) for (const k of [1, 3]) for (const which of ['largest', 'smallest', 'magnitude'] as const) cases.push([n, k, which, 7 * n + k]);
  it.each(cases)('n = %i, k = %i, %s: adaptive = every-step test to the error bounds, both near the dense values', (n, k, which, seed) => {
    const A = hessianLike(n, seed);
    const op = denseOperator(A);
    const dense = symmetricEigen(A).values;
    const ref = 4 * n * EPS * spectralNorm(dense);
    const base = { k, which, tol: 1e-10, maxIterations: n, seed, startVector: undefined, wantVectors: true };
    const every = lanczosUnchecked(op, { ...base, checkStride: 1 });
    const adaptive = lanczosUnchecked(op, { ...base, checkStride: 0 });
    expect(every.converged).toBe(true);
    expect(adaptive.converged).toBe(true);
    expect(adaptive.matvecs).toBeLessThanOrEqual(Math.floor(1.25 * every.matvecs) + 2);
    for (const r of [every, adaptive]) {
      for (let t = 0; t < k; t++) {
        const theta = r.values[t];
        const lambda = dense[nearestIndex(dense, theta)];
        expect(Math.abs(theta - lambda)).toBeLessThanOrEqual(r.errorBounds[t] + ref);
        const res = explicitResidual(A, theta, r.vectors[t]);
        expect(res).toBeLessThanOrEqual(1e-10 * Math.abs(theta) + (4 * n + 2 * r.iterations) * EPS * spectralNorm(dense));
      }
    }
    for (let t = 0; t < k; t++) expect(Math.abs(adaptive.values[t] - every.values[t])).toBeLessThanOrEqual(adaptive.errorBounds[t] + every.errorBounds[t]);
  });
});
