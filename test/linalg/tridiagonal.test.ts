import { describe, expect, it } from 'vitest';
import { tridiagonalQl } from '../../src/linalg/tridiagonal.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { matrixFromRows } from '../../src/linalg/matrix.js';
import { rng } from '../../src/core/rng.js';
import { EPS, laplacian1dEigenvalues, laplacian1dEigenvector } from './reference.js';

/** Sorted eigenvalues with the matching last-row entries. */
function run(d0: number[], e0: number[]): { values: number[]; last: number[]; full: Float64Array; order: number[] } {
  const n = d0.length;
  const d = Float64Array.from(d0);
  const e = new Float64Array(n);
  e.set(e0);
  const z = new Float64Array(n);
  z[n - 1] = 1;
  expect(tridiagonalQl(n, d, e, z, 1)).toBe(true);
  // Full eigenvector matrix from the identity.
  const d2 = Float64Array.from(d0);
  const e2 = new Float64Array(n);
  e2.set(e0);
  const full = new Float64Array(n * n);
  for (let i = 0; i < n; i++) full[i * n + i] = 1;
  tridiagonalQl(n, d2, e2, full, n);
  // Same rotations on d: identical values in identical slots.
  expect(Array.from(d2)).toEqual(Array.from(d));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a] - d[b]);
  return { values: order.map((i) => d[i]), last: order.map((i) => z[i]), full, order };
}

// Tolerance: QL is backward stable (‖E‖ ≤ p(n)·ε·‖T‖, p(n) = 4n as in symmetric-eigen.test.ts).
describe('tridiagonalQl (internal kernel of lanczos)', () => {
  it('gives the closed-form eigenvalues and last eigenvector components of tridiag(−1, 2, −1)', () => {
    for (const n of [1, 2, 3, 10, 60]) {
      const { values, last, full, order } = run(
        Array.from({ length: n }, () => 2),
        Array.from({ length: n - 1 }, () => -1),
      );
      const exact = laplacian1dEigenvalues(n);
      for (let k = 0; k < n; k++) {
        expect(Math.abs(values[k] - exact[k])).toBeLessThanOrEqual(4 * n * EPS * 4);
        const v = laplacian1dEigenvector(n, k + 1);
        // The last row of the accumulated matrix is the last component of each unit eigenvector (up to sign).
        const gap = Math.min(k > 0 ? exact[k] - exact[k - 1] : Infinity, k < n - 1 ? exact[k + 1] - exact[k] : Infinity);
        const tolV = (4 * n * EPS * 4) / gap;
        expect(Math.abs(Math.abs(last[k]) - Math.abs(v[n - 1]))).toBeLessThanOrEqual(tolV);
        // Full accumulation: column order[k] is the eigenvector.
        let plus = 0;
        let minus = 0;
        for (let i = 0; i < n; i++) {
          const zi = full[i * n + order[k]];
          plus += (zi - v[i]) ** 2;
          minus += (zi + v[i]) ** 2;
        }
        expect(Math.sqrt(Math.min(plus, minus))).toBeLessThanOrEqual(2 * tolV);
      }
    }
  });

  it('agrees with the dense solver on random tridiagonal matrices, including zero off-diagonals (blocks)', () => {
    const r = rng(3);
    for (const n of [4, 17, 40]) {
      const d = Array.from({ length: n }, () => r.normal());
      const e = Array.from({ length: n - 1 }, (_, i) => (i % 7 === 3 ? 0 : r.normal()));
      const rows = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => (i === j ? d[i] : j === i + 1 ? e[i] : i === j + 1 ? e[j] : 0)),
      );
      const dense = symmetricEigen(matrixFromRows(rows)).values;
      const { values } = run(d, e);
      const scale = Math.max(Math.abs(dense[0]), Math.abs(dense[n - 1]));
      for (let k = 0; k < n; k++) expect(Math.abs(values[k] - dense[k])).toBeLessThanOrEqual(8 * n * EPS * scale);
    }
  });
});
