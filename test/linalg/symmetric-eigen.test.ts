import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { matrixFromRows } from '../../src/linalg/matrix.js';
import { expectRelClose } from '../../src/testing/index.js';
import {
  EPS,
  column,
  distanceUpToSign,
  laplacian1d,
  laplacian1dEigenvalues,
  laplacian1dEigenvector,
  matvec,
  randomSymmetric,
  spectralNorm,
} from './reference.js';
import { errorCode as code } from '../helpers/errors.js';

/**
 * Tolerances. The symmetric QL algorithm is backward stable: the computed eigenvalues are exact for A + E with
 * ‖E‖₂ ≤ p(n)·ε·‖A‖₂, p(n) a modest multiple of n (Golub & Van Loan §8.3). We allow p(n) = 4n for values and
 * the invariants A·V = V·D and VᵀV = I (entrywise), and Davis–Kahan p(n)·ε·‖A‖/gap for eigenvectors.
 */
function invariants(a: ReturnType<typeof randomSymmetric>): void {
  const n = a.shape[0];
  const { values, vectors } = symmetricEigen(a);
  const scale = Math.max(spectralNorm(values), Number.MIN_VALUE);
  for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
  for (let j = 0; j < n; j++) {
    const v = column(vectors, j);
    const av = matvec(a, v);
    for (let i = 0; i < n; i++) expect(Math.abs(av[i] - values[j] * v[i])).toBeLessThanOrEqual(4 * n * EPS * scale);
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += v[i] * vectors.get(i, k);
      expect(Math.abs(s - (j === k ? 1 : 0))).toBeLessThanOrEqual(4 * n * EPS);
    }
  }
}

describe('symmetricEigen', () => {
  it('satisfies A·V = V·D and VᵀV = I with ascending values on seeded random matrices', () => {
    for (const [n, seed] of [
      [1, 1],
      [2, 2],
      [7, 3],
      [40, 4],
      [120, 5],
    ]) {
      invariants(randomSymmetric(n, seed));
    }
  });

  it('matches the closed form of tridiag(−1, 2, −1): λ_k = 2 − 2cos(kπ/(n+1)), v_k(i) ∝ sin(ikπ/(n+1))', () => {
    for (const n of [2, 5, 50]) {
      const { values, vectors } = symmetricEigen(laplacian1d(n));
      const exact = laplacian1dEigenvalues(n);
      expectRelClose(values, exact, { rel: 0, abs: 4 * n * EPS * 4, label: `n = ${n}` }); // ‖A‖ < 4
      for (let k = 1; k <= n; k++) {
        const gap = Math.min(k > 1 ? exact[k - 1] - exact[k - 2] : Infinity, k < n ? exact[k] - exact[k - 1] : Infinity);
        const d = distanceUpToSign(column(vectors, k - 1), laplacian1dEigenvector(n, k));
        expect(d).toBeLessThanOrEqual((4 * n * EPS * 4) / gap);
      }
    }
  });

  it('gives [1, 3] with vectors (1, −1)/√2, (1, 1)/√2 for [[2, 1], [1, 2]], with the sign convention', () => {
    const { values, vectors } = symmetricEigen(matrixFromRows([[2, 1], [1, 2]]));
    expectRelClose(values, [1, 3], { rel: 4 * EPS });
    const s = Math.SQRT1_2;
    // Convention: the first entry of largest magnitude of each column is positive.
    expectRelClose(column(vectors, 1), [s, s], { rel: 4 * EPS });
    expect(Math.abs(Math.abs(vectors.get(0, 0)) - s)).toBeLessThanOrEqual(4 * EPS);
    expect(vectors.get(0, 0) * vectors.get(1, 0)).toBeLessThan(0);
    for (let j = 0; j < 2; j++) {
      const c = column(vectors, j);
      const big = Math.abs(c[0]) >= Math.abs(c[1]) ? c[0] : c[1];
      expect(big).toBeGreaterThan(0);
    }
  });

  it('sorts a diagonal matrix and handles repeated eigenvalues with an orthonormal basis', () => {
    const { values, vectors } = symmetricEigen(matrixFromRows([[3, 0, 0], [0, -1, 0], [0, 0, 3]]));
    expect(Array.from(values)).toEqual([-1, 3, 3]);
    expect(Math.abs(vectors.get(1, 0))).toBe(1);
    invariants(matrixFromRows([[3, 0, 0], [0, -1, 0], [0, 0, 3]]));
  });

  it('reads strided views (a transposed view gives the same decomposition) and does not modify the input', () => {
    const a = randomSymmetric(6, 11);
    const copy = Float64Array.from(a.data);
    const t = a.transpose(1, 0);
    const r1 = symmetricEigen(a);
    const r2 = symmetricEigen(t);
    expect(Array.from(r2.values)).toEqual(Array.from(r1.values));
    expect(Array.from(a.data)).toEqual(Array.from(copy));
  });

  it('uses the symmetric part of a matrix that is symmetric within the tolerance', () => {
    const a = matrixFromRows([[2, 1 + 1e-12], [1 - 1e-12, 2]]);
    expectRelClose(symmetricEigen(a).values, [1, 3], { rel: 8 * EPS });
  });

  it('is exact up to scaling for tiny, huge and subnormal entries (where plain tql2 divides by ~0)', () => {
    // [[0, b], [b, 1]] has eigenvalues (1 ± √(1 + 4b²))/2 = −b² + O(b⁴) and 1 + b² + O(b⁴); for b = 1e-310 these are 0 and 1.
    const r = symmetricEigen(matrixFromRows([[0, 1e-310], [1e-310, 1]]));
    expect(Array.from(r.values)).toEqual([0, 1]);
    invariants(matrixFromRows([[0, 1e-310], [1e-310, 1]]));
    // Scaling A by 2^±900 scales the eigenvalues exactly (the solver works on A/2^k, k = ⌊log₂ max|A|⌋).
    const a = randomSymmetric(12, 21);
    const base = symmetricEigen(a).values;
    for (const k of [-900, 900]) {
      const scaled = ndarray(Float64Array.from(a.data, (x) => x * 2 ** k), [12, 12]);
      const values = symmetricEigen(scaled).values;
      expect(Array.from(values)).toEqual(Array.from(base, (x) => x * 2 ** k));
    }
    // All-subnormal matrix [[0, s], [s, 0]]: eigenvalues ±s.
    const s = 5e-324 * 7;
    expect(Array.from(symmetricEigen(matrixFromRows([[0, s], [s, 0]])).values)).toEqual([-s, s]);
    expect(Array.from(symmetricEigen(matrixFromRows([[0, 0], [0, 0]])).values)).toEqual([0, 0]);
  });

  it('rejects bad input with stable codes', () => {
    expect(code(() => symmetricEigen(ndarray(new Float64Array(6), [2, 3])))).toBe('E_DIM_MISMATCH');
    expect(code(() => symmetricEigen(ndarray(new Float64Array([1, NaN, NaN, 1]), [2, 2])))).toBe('E_NONFINITE');
    expect(code(() => symmetricEigen(matrixFromRows([[1, 2], [3, 1]])))).toBe('E_BAD_OPTION');
    expect(code(() => symmetricEigen(matrixFromRows([[1, 2], [2.001, 1]]), { symmetryTolerance: 1e-2 }))).toBeUndefined();
    expect(code(() => symmetricEigen(matrixFromRows([[1]]), { symmetryTolerance: 0 }))).toBe('E_BAD_OPTION');
    expect(code(() => symmetricEigen(ndarray(new Float64Array(3), [2, 2])))).toBe('E_DIM_MISMATCH');
    expect(code(() => symmetricEigen([[1]] as never))).toBe('E_BAD_OPTION');
    expect(code(() => symmetricEigen(ndarray(new Float64Array(0), [0, 0])))).toBe('E_EMPTY');
  });
});

describe('symmetricEigen regressions', () => {
  it('does not crash on entries whose products underflow (found by fast-check)', () => {
    const data = [
      -7.450580596923828e-9, 0, 0, 1.2125132981819199e-98, 0, 0, -2.678331274346954e-307, 0, 0, -2.678331274346954e-307, 0,
      -7.835671955926617e-89, 1.2125132981819199e-98, 0, -7.835671955926617e-89, 0,
    ];
    const { values } = symmetricEigen(ndarray(Float64Array.from(data), [4, 4]));
    // A is −7.45e-9·e₀e₀ᵀ plus entries ≤ 1e-88: eigenvalues −7.45e-9 and three within 1e-88 of 0.
    expect(values[0]).toBe(-7.450580596923828e-9);
    for (let j = 1; j < 4; j++) expect(Math.abs(values[j])).toBeLessThanOrEqual(1e-88);
  });
});
