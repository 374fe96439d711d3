/**
 * The k × k semidefinite complementarity problem of the central flow: X ⪰ 0, G = A + ½B(X) ⪰ 0, ⟨X, G⟩ = 0 on random
 * instances (k = 1 … 5; third-order vectors in ℝᵖ, p from 1 to 12, so the Gram operator B is often singular).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEdgeComplementarityWorkspace, solveEdgeComplementarity } from '../../src/dynamics/edge-complementarity.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import ndarray from 'ndarray';

// Each constrained instance runs at most 5 × 100 primal–dual iterations (≈ 15 in practice, P ≤ 15 unknowns): 400
// runs take ≈ 2 s here under load, for any seed.
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

/** K, a of the instance (Tᵢⱼ = t[pair index], i ≤ j) and the solver's X. */
function solveInstance(k: number, t: number[][], g: number[]): { K: Float64Array; a: Float64Array; X: Float64Array } {
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
  return { K, a, X };
}

/** Solves the instance and checks the KKT conditions (tolerances stated in the test below). */
function satisfiesKkt(k: number, t: number[][], g: number[]): boolean {
  const n = k * k;
  const { K, a, X } = solveInstance(k, t, g);
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
}

describe('edge complementarity solve (properties)', () => {
  it('returns X with X ⪰ 0, A + ½B(X) ⪰ 0 and ⟨X, A + ½B(X)⟩ = 0 (KKT of min_{X⪰0} ‖g + ½ΣXᵢⱼTᵢⱼ‖²)', () => {
    // Tolerances (stated before running), on the scale s = max(1, ‖X‖_F)·(max|K| + max|a|): eigenvalues of X and of G
    // ≥ −1e-7·s, and |⟨X, G⟩| ≤ 1e-7·s·max(1, ‖X‖_F). Rounding alone gives |error of G| ≤ k²·ε·(max|a| +
    // max|K|·Σ|Xₖₗ|) ≤ 25·ε·s·k (≈ 3e-14·s): these leave six orders of margin over rounding, but catch a solve that
    // stopped short of the optimum or on a wrong face (errors of order 1e-3 and more, as in the regression cases).
    fc.assert(
      fc.property(instance, ({ k, t, g }) => satisfiesKkt(k, t, g)),
      { numRuns: RUNS },
    );
  });

  it('solves the instances a primal barrier method left short of the optimum (solutions far larger than the data)', () => {
    // Found by FC_SEED=1112221060 and FC_SEED=9 against the former primal log-barrier solver: the optimum is exact
    // (g in the image of the PSD cone, f = −‖g‖²) but needs X with trace ≈ 700 (resp. ≈ 30) from data of size 1, which
    // a barrier with a fixed trace weight could not reach in its step budget (λ_min(G) was −4e-3, resp. −6e-3).
    const t1 = [
      [-0.375, 0.625, -0.875, 0.125, 0.25, -0.625, 0.25, -0.25, 0.125], [0.875, -1, 0.75, -0.375, 0, 0.375, -0.625, -0.25, -0.125],
      [-0.75, 0.125, -0.5, 0.125, 0.375, 0, 0.625, 0.25, -0.625], [-0.875, 0.375, -0.125, 0.875, -0.375, -0.25, 0.125, 0.125, 0.125],
      [-0.75, -0.75, 0.375, -0.75, 1, 0.5, 0.25, -1, 0.875], [0.625, -0.875, 0.875, 0.25, 0.375, -0.5, 0.875, 0.125, 0],
      [-0.875, -0.125, 0.25, -0.125, -1, -0.625, 1, 1, -1], [0.25, -0.25, -0.125, -0.75, 1, -0.875, 0.625, 0.875, 0.25],
      [0.125, -0.375, -1, 0.75, -1, -0.125, 0.875, 0, 0.625], [0.75, -0.875, -0.375, -0.25, 0.5, -0.875, 0.375, -0.25, 0],
      [-0.625, 0.375, 0, 0.5, 0.875, -1, 0.875, 0.375, 0], [-1, -0.25, -1, 0.875, 1, -1, 0.125, -0.875, 0.25],
      [-0.25, 0.125, 0, 0, 0.875, -0.875, 0.5, 0.125, -1], [-0.25, 0.25, -0.875, -0.875, 0.125, 0.625, 0.625, 0.75, 1],
      [-0.625, -0.875, 0.875, 0.125, -0.875, -0.125, 0, 0.125, -1],
    ];
    expect(satisfiesKkt(5, t1, [0, 0, 0, 0, 0, -1, 0, 0, 0])).toBe(true);
    expect(satisfiesKkt(2, [[0.875, 0], [-0.5, -0.25], [0.125, 0.375]], [0, 1])).toBe(true);
    // Tiny data (fast-check's doubles reach 1e-300): X(cg) = c·X(g) for c > 0, exactly for c a power of two while
    // nothing (objective values ~c² included) is subnormal, since the interior point works on data normalized to size 1.
    const c = 2 ** -400;
    const ref = solveInstance(2, [[0.875, 0], [-0.5, -0.25], [0.125, 0.375]], [0, 1]).X;
    const tiny = solveInstance(2, [[0.875, 0], [-0.5, -0.25], [0.125, 0.375]], [0, c]).X;
    for (let i = 0; i < 4; i++) expect(Math.abs(tiny[i] / c - ref[i])).toBeLessThanOrEqual(1e-12 * Math.abs(ref[i]));
  });
});
