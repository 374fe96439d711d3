/**
 * The top eigenpairs of a model's Hessian, by the dense eigensolver (small models) or Lanczos (large ones): the shared
 * step of `sharpnessGradient` and the central flow, which both need eigenvectors and the gap below them.
 *
 * @module
 * @internal
 */
import type { LossModel } from '../core/loss-model.js';
import { createLanczosWorkspace, normalizeSign, type LanczosParams, type LanczosWorkspace, lanczosUnchecked } from '../linalg/lanczos.js';
import { jacobiEigen } from '../linalg/small-symmetric.js';
import { symmetricEigenUnchecked } from '../linalg/symmetric-eigen.js';

/** Up to this dimension the dense path uses the allocation-light cyclic Jacobi solver instead of ml-matrix. */
const JACOBI_MAX_DIM = 12;

/** Resolved eigensolver settings. @internal */
export interface TopEigenSettings {
  readonly method: 'dense' | 'lanczos';
  readonly tol: number;
  /** Undefined: min(dim, 300). */
  readonly maxIterations: number | undefined;
  readonly seed: number;
}

/** The k + 1 largest eigenvalues (descending; the extra one measures the gap) and the k top unit eigenvectors. @internal */
export interface TopEigenpairs {
  /** Length min(k + 1, dim), descending. */
  readonly values: Float64Array;
  /** k unit vectors (orthonormal), `vectors[i]` for `values[i]`; sign: first entry of largest magnitude positive. */
  readonly vectors: Float64Array[];
  /** HVPs used (0 for dense). */
  readonly hvps: number;
  /** False when Lanczos stopped before meeting its tolerance. */
  readonly converged: boolean;
}

/** Reusable Lanczos scratch and the HVP operator at a moving θ. @internal */
export interface TopEigenWorkspace {
  readonly op: { dim: number; theta: Float64Array; apply(v: Float64Array, out: Float64Array): void };
  lanczos: LanczosWorkspace | undefined;
  readonly params: LanczosParams;
}

/** @internal */
export function createTopEigenWorkspace(model: LossModel): TopEigenWorkspace {
  const op = {
    dim: model.dim,
    theta: new Float64Array(0),
    apply(v: Float64Array, out: Float64Array): void {
      model.hvp(op.theta, v, out);
    },
  };
  return {
    op,
    lanczos: undefined,
    params: { k: 1, which: 'largest', tol: 1e-10, maxIterations: 1, seed: 0, startVector: undefined, wantVectors: true, checkStride: 0 },
  };
}

/**
 * The k largest eigenpairs of ∇²L(θ) and the (k + 1)-th eigenvalue (inputs trusted: 1 ≤ k ≤ dim, θ finite).
 * Dense: all eigenvalues of `model.hessian(θ)` (allocates the matrix and its decomposition). Lanczos: k + 1 Ritz pairs
 * (k when k = dim).
 * @internal
 */
export function topEigenpairsUnchecked(
  model: LossModel,
  theta: Float64Array,
  k: number,
  settings: TopEigenSettings,
  ws: TopEigenWorkspace,
): TopEigenpairs {
  const n = model.dim;
  const m = Math.min(k + 1, n);
  if (settings.method === 'dense' && n <= JACOBI_MAX_DIM) {
    const H = model.hessian!(theta);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = 0.5 * (H.get(i, j) + H.get(j, i));
    const vals = new Float64Array(n);
    const V = new Float64Array(n * n);
    jacobiEigen(a, n, vals, V);
    const vecs: Float64Array[] = [];
    for (let i = 0; i < k; i++) {
      const y = new Float64Array(n);
      for (let r = 0; r < n; r++) y[r] = V[r * n + i];
      normalizeSign(y);
      vecs.push(y);
    }
    return { values: vals.subarray(0, m), vectors: vecs, hvps: 0, converged: true };
  }
  if (settings.method === 'dense') {
    const { values, vectors } = symmetricEigenUnchecked(model.hessian!(theta));
    const top = new Float64Array(m);
    for (let i = 0; i < m; i++) top[i] = values[n - 1 - i];
    const vecs: Float64Array[] = [];
    for (let i = 0; i < k; i++) {
      const y = new Float64Array(n);
      const col = n - 1 - i;
      for (let r = 0; r < n; r++) y[r] = vectors.data[r * n + col];
      vecs.push(y);
    }
    return { values: top, vectors: vecs, hvps: 0, converged: true };
  }
  ws.op.theta = theta;
  ws.lanczos ??= createLanczosWorkspace(n);
  const p = ws.params;
  p.k = m;
  p.which = 'largest';
  p.tol = settings.tol;
  p.maxIterations = Math.max(m, Math.min(n, settings.maxIterations ?? 300));
  p.seed = settings.seed;
  p.wantVectors = true;
  const r = lanczosUnchecked(ws.op, p, ws.lanczos);
  return { values: r.values, vectors: r.vectors.slice(0, k), hvps: r.matvecs, converged: r.converged };
}
