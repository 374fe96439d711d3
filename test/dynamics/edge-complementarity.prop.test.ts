/**
 * The k × k semidefinite complementarity problem of the central flow: X ⪰ 0, G = A + ½B(X) ⪰ 0, ⟨X, G⟩ = 0 on random
 * instances (k = 1 … 5; third-order vectors in ℝᵖ, p from 1 to 12, so the Gram operator B is often singular).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createEdgeComplementarityWorkspace, solveEdgeComplementarity } from '../../src/dynamics/edge-complementarity.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import ndarray from 'ndarray';

// Each constrained instance runs an interior-point solve (≈ 30 ms here under load): 400 runs keep the file ≈ 15 s.
const RUNS = 400;

const instance = fc
  .record({ k: fc.integer({ min: 1, max: 5 }), p: fc.integer({ min: 1, max: 12 }) })
  .chain(({ k, p }) =>
    fc.record({
      k: fc.constant(k),
      p: fc.constant(p),
      // T_ij for i ≤ j and g, entries in [−1, 1] (integers/8 keep some exact ties and zeros in play).
      t: fc.array(fc.array(fc.integer({ min: -8, max: 8 }).map((x) => x / 8), { minLength: p, maxLength: p }), { minLength: (k * (k + 1)) / 2, maxLength: (k * (k + 1)) / 2 }),
      g: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: p, maxLength: p }),
    }),
  );

function minEig(m: Float64Array, k: number): number {
  return symmetricEigen(ndarray(Float64Array.from(m.subarray(0, k * k)), [k, k])).values[0];
}

describe('edge complementarity solve (properties)', () => {
  it('returns X with X ⪰ 0, A + ½B(X) ⪰ 0 and ⟨X, A + ½B(X)⟩ = 0 (KKT of min_{X⪰0} ‖g + ½ΣXᵢⱼTᵢⱼ‖²)', () => {
    // Tolerances (stated before running), on the scale s = max(1, ‖X‖_F)·(max|K| + max|a|): eigenvalues of X and of G
    // ≥ −1e-7·s, and |⟨X, G⟩| ≤ 1e-7·s·max(1, ‖X‖_F). The solver's FISTA stops at a relative change 1e-15 and the
    // face polish is exact up to rounding, so these leave a margin of many orders over rounding but catch a wrong
    // face or a missed constraint (errors of order 1).
    fc.assert(
      fc.property(instance, ({ k, p, t, g }) => {
        const T: number[][][] = [];
        let idx = 0;
        for (let i = 0; i < k; i++) {
          T.push([]);
          for (let j = 0; j < k; j++) T[i].push([]);
        }
        for (let i = 0; i < k; i++) for (let j = i; j < k; j++) {
          T[i][j] = t[idx];
          T[j][i] = t[idx];
          idx++;
        }
        const n = k * k;
        const K = new Float64Array(n * n);
        const a = new Float64Array(n);
        const dot = (x: number[], y: number[]) => x.reduce((s, xi, r) => s + xi * y[r], 0);
        for (let s = 0; s < n; s++) {
          a[s] = dot(g, T[Math.floor(s / k)][s % k]);
          for (let u = 0; u < n; u++) K[s * n + u] = dot(T[Math.floor(s / k)][s % k], T[Math.floor(u / k)][u % k]);
        }
        const X = new Float64Array(n);
        solveEdgeComplementarity(K, a, k, X, createEdgeComplementarityWorkspace());
        const G = new Float64Array(n);
        let xg = 0;
        let xNorm = 0;
        for (let s = 0; s < n; s++) {
          let b = 0;
          for (let u = 0; u < n; u++) b += K[s * n + u] * X[u];
          G[s] = a[s] + 0.5 * b;
          xg += X[s] * G[s];
          xNorm += X[s] * X[s];
        }
        xNorm = Math.sqrt(xNorm);
        const scale = Math.max(1, xNorm) * (Math.max(...K.map(Math.abs)) + Math.max(...a.map(Math.abs)));
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (X[i * k + j] !== X[j * k + i]) return false;
        if (k === 1) {
          // Closed form σ² = max(0, −2a/K) (K > 0), or 0 when ∇S = 0.
          const ref = K[0] > 0 ? Math.max(0, (-2 * a[0]) / K[0]) : 0;
          if (!(Math.abs(X[0] - ref) <= 1e-12 * Math.max(1, ref))) return false;
        }
        return minEig(X, k) >= -1e-7 * scale && minEig(G, k) >= -1e-7 * scale && Math.abs(xg) <= 1e-7 * scale * Math.max(1, xNorm);
      }),
      { numRuns: RUNS },
    );
  });
});
