/**
 * Gauss quadrature of a spectral measure by m Lanczos steps: the nodes and weights of
 * μ_q = Σᵢ (qᵀvᵢ)² δ_{λᵢ} for a unit start vector q (Golub & Meurant, Matrices, Moments and Quadrature, ch. 6) —
 * the kernel of stochastic Lanczos quadrature.
 *
 * @module
 * @internal
 */
import type { LinearOperator } from './operator.js';
import { tridiagonalQl } from './tridiagonal.js';
import { nrm2 } from './vector.js';

const EPS = Number.EPSILON;

/**
 * Reusable scratch of {@link lanczosQuadrature} for operators of one dimension.
 * @internal
 */
export interface QuadratureWorkspace {
  readonly dim: number;
  readonly basis: Float64Array[];
  readonly w: Float64Array;
  readonly coeffs: Float64Array;
}

/** @internal */
export function createQuadratureWorkspace(dim: number): QuadratureWorkspace {
  return { dim, basis: [], w: new Float64Array(dim), coeffs: new Float64Array(dim) };
}

/**
 * The m-point Gauss quadrature of the spectral measure of `op` seen from the unit vector `q1`: runs at most
 * `steps` Lanczos steps with full reorthogonalization (classical Gram–Schmidt twice), stopping early when the
 * Krylov space is invariant (β ≤ √n·ε·‖T‖, where the quadrature is exact), and returns the Ritz values (nodes,
 * ascending order not guaranteed) and the squared first components of the eigenvectors of T_m (weights, summing
 * to 1 up to rounding). `q1` must have unit norm. Allocates the basis the first time a workspace reaches a size,
 * and the two result arrays.
 * @internal
 */
export function lanczosQuadrature(
  op: LinearOperator,
  q1: Float64Array,
  steps: number,
  ws: QuadratureWorkspace,
): { nodes: Float64Array; weights: Float64Array; matvecs: number } {
  const n = op.dim;
  const { basis, w, coeffs } = ws;
  const alpha = new Float64Array(steps);
  const beta = new Float64Array(steps);
  while (basis.length < 1) basis.push(new Float64Array(n));
  basis[0].set(q1);
  let m = 0;
  let tnorm = 0;
  for (;;) {
    const j = m;
    op.apply(basis[j], w);
    m = j + 1;
    let onJ = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < m; i++) {
        const q = basis[i];
        let s = 0;
        for (let t = 0; t < n; t++) s += q[t] * w[t];
        coeffs[i] = s;
      }
      for (let i = 0; i < m; i++) {
        const q = basis[i];
        const c = coeffs[i];
        for (let t = 0; t < n; t++) w[t] -= c * q[t];
      }
      onJ += coeffs[j];
    }
    alpha[j] = onJ;
    const b = nrm2(w); // scaled: w·w would underflow for tiny matrices
    tnorm = Math.max(tnorm, Math.abs(alpha[j]) + b + (j > 0 ? beta[j - 1] : 0));
    if (m >= steps || m >= n || b <= Math.sqrt(n) * EPS * tnorm) break;
    beta[j] = b;
    while (basis.length <= m) basis.push(new Float64Array(n));
    const next = basis[m];
    for (let t = 0; t < n; t++) next[t] = w[t] / b;
  }
  // Eigenvalues of T_m and the first row of its eigenvector matrix (start from e₁ᵀ).
  const d = alpha.slice(0, m);
  const e = new Float64Array(m);
  for (let i = 0; i + 1 < m; i++) e[i] = beta[i];
  const z = new Float64Array(m);
  z[0] = 1;
  tridiagonalQl(m, d, e, z, 1);
  const weights = new Float64Array(m);
  for (let i = 0; i < m; i++) weights[i] = z[i] * z[i];
  return { nodes: d, weights, matvecs: m };
}
