import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { powerIteration } from '../../src/linalg/power-iteration.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { matrixFromRows } from '../../src/linalg/matrix.js';
import type { LinearOperator } from '../../src/linalg/operator.js';
import { createQuadratic } from '../helpers/quadratic.js';
import { expectRelClose } from '../../src/testing/index.js';
import { EPS, column, distanceUpToSign, explicitResidual, norm } from './reference.js';
import { errorCode as code } from '../helpers/errors.js';

/*
 * Tolerances: the returned residual is computed explicitly, so ‖A v − ρ v‖ recomputed here agrees with it up to the
 * rounding of two n-term matrix-vector products, 4n·ε·‖A‖. Krylov–Weinstein: |ρ − λ| ≤ residual for some eigenvalue
 * λ, and with the gap δ to the rest, Kato–Temple |ρ − λ| ≤ r²/δ; the reference values carry 4n·ε·‖A‖ (dense solver).
 */
describe('powerIteration', () => {
  it('finds the dominant eigenvalue with its sign: positive and negative dominant cases', () => {
    const pos = createQuadratic([9, 3, -2, 1, 0.5, -0.1], 2);
    const a = ndarray(Float64Array.from(pos.a), [6, 6]);
    const r = powerIteration(a);
    expect(r.converged).toBe(true);
    expect(r.matvecs).toBe(r.iterations);
    expect(explicitResidual(a, r.value, r.vector)).toBeLessThanOrEqual(r.residualNorm + 4 * 6 * EPS * 9);
    expect(r.residualNorm).toBeLessThanOrEqual(1e-10 * 9);
    expect(Math.abs(r.value - 9)).toBeLessThanOrEqual((r.residualNorm ** 2) / (9 - 3) + 4 * 6 * EPS * 9);
    expect(Math.abs(norm(r.vector) - 1)).toBeLessThanOrEqual(8 * EPS);
    const v = column(symmetricEigen(a).vectors, 5);
    expect(distanceUpToSign(r.vector, v)).toBeLessThanOrEqual((Math.SQRT2 * (r.residualNorm + 4 * 6 * EPS * 9)) / 6);

    const neg = createQuadratic([-7, 3, 2, -1], 3);
    const b = ndarray(Float64Array.from(neg.a), [4, 4]);
    const s = powerIteration(b);
    expect(s.converged).toBe(true);
    expect(Math.abs(s.value + 7)).toBeLessThanOrEqual((s.residualNorm ** 2) / 4 + 4 * 4 * EPS * 7);
  });

  it('needs about log(tol)/log(|λ₂|/|λ₁|) iterations (residual decays like (λ₂/λ₁)^t)', () => {
    // diag(1, 0.5) from (1, 1): iteration t + 1 evaluates v ∝ (1, x), x = 0.5^t, whose residual is
    // r = (x/2)/(1 + x²) and Rayleigh quotient ρ = 1 − (x²/2)/(1 + x²). r ≤ 1e-10·ρ first at x/2 = 2⁻³⁴, i.e. 34 iterations.
    const r = powerIteration(matrixFromRows([[1, 0], [0, 0.5]]), { startVector: Float64Array.of(1, 1) });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(34);
    expectRelClose(r.residualNorm, 2 ** -34, { rel: 1e-9 });
    expectRelClose(r.value, 1, { rel: 0, abs: 2 ** -66 }); // |ρ − 1| ≈ x²/2 = 2⁻⁶⁷
  });

  it('does not converge when λ and −λ are both dominant, and says so', () => {
    const r = powerIteration(matrixFromRows([[0, 2], [2, 0]]), { maxIterations: 50 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(50);
    expect(Math.abs(r.value)).toBeLessThanOrEqual(2);
  });

  it('handles dim 1, the zero matrix, an eigenvector start and a LinearOperator', () => {
    const one = powerIteration(matrixFromRows([[-3]]));
    expect(one.value).toBe(-3);
    expect(one.iterations).toBe(1);
    expect(Array.from(one.vector)).toEqual([1]);
    const zero = powerIteration(ndarray(new Float64Array(9), [3, 3]));
    expect(zero.value).toBe(0);
    expect(zero.converged).toBe(true);
    expect(zero.iterations).toBe(1);
    const start = Float64Array.of(0, 2, 0);
    const ev = powerIteration(matrixFromRows([[1, 0, 0], [0, 5, 0], [0, 0, 2]]), { startVector: start, tol: 1e-14 });
    expect(ev.value).toBe(5);
    expect(ev.iterations).toBe(1);
    expect(Array.from(start)).toEqual([0, 2, 0]); // not modified
    let calls = 0;
    const op: LinearOperator = {
      dim: 2,
      apply(v, out) {
        calls++;
        out[0] = 4 * v[0];
        out[1] = v[1];
      },
    };
    const r = powerIteration(op);
    expect(calls).toBe(r.matvecs);
    expectRelClose(r.value, 4, { rel: 1e-15 });
  });

  it('works at extreme scales (residual computed without overflow or underflow)', () => {
    for (const s of [1e-300, 1e300]) {
      const r = powerIteration(matrixFromRows([[2 * s, 0], [0, s]]));
      expect(r.converged).toBe(true);
      expectRelClose(r.value, 2 * s, { rel: 1e-15 });
      expect(Number.isFinite(r.residualNorm)).toBe(true);
    }
  });

  it('rejects bad input with stable codes', () => {
    const a = matrixFromRows([[1, 0], [0, 2]]);
    expect(code(() => powerIteration(a, { tol: 0 }))).toBe('E_BAD_OPTION');
    expect(code(() => powerIteration(a, { maxIterations: 0 }))).toBe('E_BAD_OPTION');
    expect(code(() => powerIteration(a, { seed: 2 ** 40 }))).toBe('E_BAD_OPTION');
    expect(code(() => powerIteration(a, { startVector: new Float64Array(2) }))).toBe('E_BAD_OPTION');
    expect(code(() => powerIteration(a, { startVector: new Float64Array(3) }))).toBe('E_DIM_MISMATCH');
    expect(code(() => powerIteration(matrixFromRows([[1, 1], [0, 1]])))).toBe('E_BAD_OPTION');
    expect(code(() => powerIteration(ndarray(new Float64Array(2), [1, 2])))).toBe('E_DIM_MISMATCH');
    expect(code(() => powerIteration({ dim: 1.5, apply: () => {} }))).toBe('E_BAD_OPTION');
  });
});
