import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NdArray } from 'ndarray';
import type { LossModel } from '../../src/core/loss-model.js';
import { rng } from '../../src/core/rng.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { spectralDensity } from '../../src/sharpness/spectral-density.js';
import { symmetricMatrix } from '../../src/testing/index.js';

const EPS = Number.EPSILON;

function matrixModel(a: NdArray<Float64Array>): LossModel {
  const n = a.shape[0];
  return {
    spec: { kind: 'test-matrix' },
    dim: n,
    loss: () => 0,
    lossAndGrad: () => 0,
    hvp(_theta, v, out) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a.get(i, j) * v[j];
        out[i] = s;
      }
    },
  };
}

// Gauss quadrature identities of stochastic Lanczos quadrature on arbitrary symmetric matrices with m = n steps:
// each probe's weights sum to 1, every node is an eigenvalue of A (the dense solver's, within rounding), and
// p·Σⱼ τⱼθⱼ = zᵀAz for the probe z (the quadrature is exact for degree 1). Tolerances: Lanczos with full
// reorthogonalization is backward stable, errors O(m·n·ε·‖A‖); 100·n²·ε·‖A‖ leaves room, plus 1e-300 for matrices
// of subnormal entries (absolute rounding).
describe('spectralDensity (properties)', () => {
  it('weights sum to 1, nodes are eigenvalues, p·Σ τθ = zᵀAz, for arbitrary symmetric matrices (m = n)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) => symmetricMatrix({ n, min: -10, max: 10 })),
        fc.integer({ min: 0, max: 1000 }),
        (a, seed) => {
          const n = a.shape[0];
          const values = symmetricEigen(a).values;
          const norm = Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
          const tol = 100 * n * n * EPS * norm + 1e-300;
          const slq = spectralDensity(matrixModel(a), new Float64Array(n), { probes: 2, steps: n, seed, gridPoints: 2 });
          const r = rng(seed);
          for (let l = 0; l < 2; l++) {
            const z = Float64Array.from({ length: n }, () => (r.uniform() < 0.5 ? -1 : 1));
            let zAz = 0;
            for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) zAz += z[i] * a.get(i, j) * z[j];
            let wsum = 0;
            let moment = 0;
            slq.nodes[l].forEach((x, j) => {
              wsum += slq.weights[l][j];
              moment += slq.weights[l][j] * x;
              const nearest = Math.min(...Array.from(values, (v) => Math.abs(v - x)));
              expect(nearest).toBeLessThanOrEqual(tol);
            });
            expect(Math.abs(wsum - 1)).toBeLessThanOrEqual(100 * n * EPS);
            expect(Math.abs(n * moment - zAz)).toBeLessThanOrEqual(n * tol);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
