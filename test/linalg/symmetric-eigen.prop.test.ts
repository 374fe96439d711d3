import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { symmetricMatrix } from '../../src/testing/index.js';
import { EPS, column, matvec, spectralNorm } from './reference.js';

// Backward stability of the symmetric QL algorithm: residuals and orthogonality within p(n)·ε·‖A‖ with p(n) = 4n
// (see symmetric-eigen.test.ts). The absolute floor 1e-300 only covers matrices whose entries are all subnormal
// (fast-check produces them), where rounding is absolute rather than relative. fast-check also mixes entries 1e-300
// apart in size, which made ml-matrix's tql2 produce NaN before the input was scaled and flushed (regression).
describe('symmetricEigen (properties)', () => {
  it('A·vⱼ = λⱼ vⱼ, VᵀV = I, ascending, trace preserved, for arbitrary symmetric matrices', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }).chain((n) => symmetricMatrix({ n, min: -10, max: 10 })),
        (a) => {
          const n = a.shape[0];
          const { values, vectors } = symmetricEigen(a);
          const scale = spectralNorm(values);
          const tolA = 4 * n * EPS * scale + 1e-300;
          let trace = 0;
          let sum = 0;
          for (let j = 0; j < n; j++) {
            trace += a.get(j, j);
            sum += values[j];
            if (j > 0) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
            const v = column(vectors, j);
            const av = matvec(a, v);
            for (let i = 0; i < n; i++) expect(Math.abs(av[i] - values[j] * v[i])).toBeLessThanOrEqual(tolA);
            for (let k = 0; k < n; k++) {
              let s = 0;
              for (let i = 0; i < n; i++) s += v[i] * vectors.get(i, k);
              expect(Math.abs(s - (j === k ? 1 : 0))).toBeLessThanOrEqual(4 * n * EPS);
            }
          }
          // Σλ = tr A, up to the rounding of both sums (n terms of size ≤ ‖A‖) and the backward error.
          expect(Math.abs(sum - trace)).toBeLessThanOrEqual(2 * n * tolA);
        },
      ),
      { numRuns: 300 },
    );
  });
});
