import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lanczos, type LanczosWhich } from '../../src/linalg/lanczos.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { symmetricMatrix } from '../../src/testing/index.js';
import { EPS, explicitResidual, nearestIndex, norm, spectralNorm } from './reference.js';

/*
 * For arbitrary symmetric matrices (fast-check produces repeated eigenvalues, clusters narrower than the
 * residual, zero and subnormal entries) we assert theorems, not the assumption behind errorBounds:
 * - Krylov–Weinstein: some eigenvalue lies within ‖A y − θ y‖ of θ, so |θ − λ_nearest| ≤ r + rounding;
 * - Kato–Temple with the true gap δ (distance from θ to the eigenvalues other than λ_nearest):
 *   |θ − λ_nearest| ≤ r²/δ + rounding. (errorBounds estimates δ from the Ritz values, which is valid when every
 *   eigenvalue is resolved; an unresolved cluster narrower than the tolerance breaks that assumption, and the
 *   seeded example tests in lanczos.test.ts check errorBounds where it holds.)
 * - the explicit residual exceeds the estimate β_m|s_{m,i}| by at most rounding (4n + 2m)·ε·‖A‖;
 * - k = 1 finds the wanted extreme eigenvalue when it is separated from the rest by ≥ 1e-6·‖A‖ (with a random
 *   start its component is nonzero; a narrower gap can hide below the tolerance);
 * - min(k, n) values in the documented order.
 * Rounding terms: the reference's 4n·ε·‖A‖ (symmetric-eigen.test.ts) plus the Lanczos allowance
 * 2(m + √n)·ε·‖A‖; the absolute floor 1e-300 covers all-subnormal matrices (absolute rather than relative rounding).
 */
describe('lanczos (properties)', () => {
  it('values within errorBounds of the dense eigenvalues; k = 1 finds the wanted extreme; residual estimates hold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }).chain((n) => symmetricMatrix({ n, min: -10, max: 10 })),
        fc.constantFrom<LanczosWhich>('largest', 'smallest', 'magnitude'),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (a, which, k, seed) => {
          const n = a.shape[0];
          const ref = symmetricEigen(a).values;
          const scale = spectralNorm(ref);
          const rt = 4 * n * EPS * scale + 1e-300;
          const res = lanczos(a, { k, which, seed });
          const kk = Math.min(k, n);
          expect(res.values.length).toBe(kk);
          expect(res.converged).toBe(true); // maxIterations defaults to n: the whole space at worst
          const m = res.iterations;
          const rounding = rt + 2 * (m + Math.sqrt(n)) * EPS * scale;
          for (let t = 0; t < kk; t++) {
            const theta = res.values[t];
            const y = res.vectors[t];
            expect(Math.abs(norm(y) - 1)).toBeLessThanOrEqual(4 * n * EPS);
            const roundoff = (4 * n + 2 * m) * EPS * scale + 1e-300;
            const r = explicitResidual(a, theta, y);
            expect(r).toBeLessThanOrEqual(res.residualNorms[t] + roundoff);
            const near = nearestIndex(ref, theta);
            const err = Math.abs(theta - ref[near]);
            expect(err).toBeLessThanOrEqual(r + rounding);
            let gap = Infinity;
            for (let l = 0; l < n; l++) if (l !== near && ref[l] !== ref[near]) gap = Math.min(gap, Math.abs(ref[l] - theta));
            expect(err).toBeLessThanOrEqual((r * r) / gap + rounding);
            if (t > 0) {
              const prev = res.values[t - 1];
              if (which === 'largest') expect(theta).toBeLessThanOrEqual(prev);
              else if (which === 'smallest') expect(theta).toBeGreaterThanOrEqual(prev);
              else expect(Math.abs(theta)).toBeLessThanOrEqual(Math.abs(prev));
            }
          }
          // The wanted extreme, when it is well separated.
          const order = Array.from(ref, (_, i) => i);
          if (which === 'largest') order.reverse();
          else if (which === 'magnitude') order.sort((i, j) => Math.abs(ref[j]) - Math.abs(ref[i]));
          const key = (x: number): number => (which === 'magnitude' ? Math.abs(x) : x);
          const separated = n === 1 || Math.abs(key(ref[order[0]]) - key(ref[order[1]])) >= 1e-6 * scale;
          if (separated) {
            expect(Math.abs(key(res.values[0]) - key(ref[order[0]]))).toBeLessThanOrEqual(res.residualNorms[0] + rounding + 1e-300);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
