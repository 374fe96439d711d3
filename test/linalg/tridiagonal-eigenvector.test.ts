import { describe, expect, it } from 'vitest';
import { tridiagonalEigenvector } from '../../src/linalg/tridiagonal.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { matrixFromRows } from '../../src/linalg/matrix.js';
import { rng } from '../../src/core/rng.js';
import { EPS, column, distanceUpToSign } from './reference.js';

/*
 * Inverse iteration at an eigenvalue θ of T from the dense solver (θ within 4n·ε·‖T‖ of the exact one): the vector
 * has unit norm, residual ‖T s − θ s‖ ≤ 8n·ε·‖T‖ (two solves with a backward-stable factorization), and matches the
 * dense eigenvector within Davis–Kahan: √2·residual/gap, plus rounding of the reference 8n·ε·‖T‖/gap.
 */
describe('tridiagonalEigenvector', () => {
  it('gives the eigenvectors of random tridiagonal matrices (all eigenvalues, n = 1..40)', () => {
    const r = rng(11);
    for (let n = 1; n <= 40; n++) {
      const d = Float64Array.from({ length: n }, () => r.normal());
      const e = Float64Array.from({ length: n }, () => r.normal());
      e[n - 1] = 0;
      const rows = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? d[i] : Math.abs(i - j) === 1 ? e[Math.min(i, j)] : 0)));
      const ref = symmetricEigen(matrixFromRows(rows));
      const tnorm = Math.max(...ref.values.map(Math.abs));
      const out = new Float64Array(n);
      const scratch = new Float64Array(5 * n);
      for (let c = 0; c < n; c++) {
        const theta = ref.values[c];
        tridiagonalEigenvector(n, d, e, theta, out, scratch);
        let nrm = 0;
        let res = 0;
        for (let i = 0; i < n; i++) {
          nrm += out[i] ** 2;
          const ts = d[i] * out[i] + (i > 0 ? e[i - 1] * out[i - 1] : 0) + (i < n - 1 ? e[i] * out[i + 1] : 0);
          res += (ts - theta * out[i]) ** 2;
        }
        expect(Math.abs(Math.sqrt(nrm) - 1)).toBeLessThanOrEqual(4 * EPS * n);
        expect(Math.sqrt(res)).toBeLessThanOrEqual(8 * n * EPS * tnorm);
        let gap = Infinity;
        for (let l = 0; l < n; l++) if (l !== c) gap = Math.min(gap, Math.abs(ref.values[l] - theta));
        if (gap > 1e-6 * tnorm) {
          expect(distanceUpToSign(out, column(ref.vectors, c))).toBeLessThanOrEqual((Math.SQRT2 * Math.sqrt(res) + 8 * n * EPS * tnorm) / gap);
        }
      }
    }
  });
});
