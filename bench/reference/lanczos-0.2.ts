// eos-lab 0.2.0's Lanczos kernel (src/linalg/lanczos.ts before issue 17 §3), kept verbatim for bench/sharpness-cost.bench.ts.
import type { NdArray } from 'ndarray';
import { EosLabError } from '../../src/core/errors.js';
import { rng } from '../../src/core/rng.js';
import { finiteVector, integerInRange, oneOf, optionKeys, optionsObject, positiveFinite } from '../../src/core/validate.js';
import { type LinearOperator, toLinearOperator } from '../../src/linalg/operator.js';
import { tridiagonalQl } from '../../src/linalg/tridiagonal.js';
import { nrm2 } from '../../src/linalg/vector.js';

const EPS = Number.EPSILON;
/** ε^{2/3}: the scale below which |θ| is replaced by ε^{2/3}·‖T_m‖ in the convergence test (as ARPACK does). */
const EPS23 = EPS ** (2 / 3);

/**
 * Which eigenvalues {@link lanczos} looks for: the algebraically largest, the smallest, or the largest in magnitude.
 * @since 0.1.0
 */
export type LanczosWhich = 'largest' | 'smallest' | 'magnitude';

/**
 * Options of {@link lanczos}.
 * @since 0.1.0
 */
export interface LanczosOptions {
  /**
   * Number k of eigenpairs wanted. When k exceeds the dimension n, min(k, n) pairs are returned.
   * @defaultValue 1
   * @since 0.1.0
   */
  k?: number;
  /**
   * Which end of the spectrum: `'largest'` (algebraically largest, returned in descending order),
   * `'smallest'` (ascending) or `'magnitude'` (largest |λ|, returned by descending |λ|, ties by descending λ).
   * @defaultValue 'largest'
   * @since 0.1.0
   */
  which?: LanczosWhich;
  /**
   * Relative residual tolerance: Ritz pair (θᵢ, yᵢ) has converged when ‖A yᵢ − θᵢ yᵢ‖ ≤ tol·max(|θᵢ|, ε^{2/3}‖T_m‖)
   * (ARPACK's test, with ‖T_m‖ = max|θ| making it scale-free; the second term only matters for θᵢ near 0).
   * The eigenvalue error is then about min(r, r²/gap), far below tol·|θ| when the spectrum has a gap.
   * @defaultValue 1e-10
   * @since 0.1.0
   */
  tol?: number;
  /**
   * Maximum number of Lanczos steps m (= operator applications). Values above n are clamped to n; must be
   * at least min(k, n).
   * @defaultValue min(n, max(300, 2k))
   * @since 0.1.0
   */
  maxIterations?: number;
  /**
   * Seed of the random start vector (`rng(seed).fillNormal`) and of fresh vectors after a breakdown.
   * @defaultValue 0
   * @since 0.1.0
   */
  seed?: number;
  /**
   * Start vector q₁ (normalized internally; not modified). Must be finite, of length n and nonzero.
   * @defaultValue a standard normal vector from `seed`
   * @since 0.1.0
   */
  startVector?: Float64Array;
  /**
   * Warm start from vectors close to the wanted eigenvectors (e.g. the eigenvectors of the previous iterate of a
   * run): q₁ ∝ Σᵢ vᵢ/‖vᵢ‖, so the Krylov space starts near their span and the wanted Ritz pairs converge in
   * fewer steps than from a random vector. Each vector must be finite, nonzero and of length n, and their
   * normalized sum nonzero. Not allowed together with `startVector`.
   * @defaultValue none (a random start from `seed`)
   * @since 0.2.0
   */
  startVectors?: readonly Float64Array[];
}

/**
 * Result of {@link lanczos}. All arrays have length min(k, n), in the order set by `which`.
 * @since 0.1.0
 */
export interface LanczosResult {
  /** Ritz values θᵢ: descending for `'largest'`, ascending for `'smallest'`, by descending |θ| for `'magnitude'`. */
  readonly values: Float64Array;
  /** Ritz vectors yᵢ (unit norm, length n); sign convention: the first entry of largest magnitude is positive. */
  readonly vectors: Float64Array[];
  /** Residual norms rᵢ = ‖A yᵢ − θᵢ yᵢ‖, estimated as β_m |s_{m,i}| (exact in exact arithmetic). */
  readonly residualNorms: Float64Array;
  /**
   * A-posteriori bounds on |λ − θᵢ|, λ the eigenvalue of A nearest θᵢ: min(rᵢ, rᵢ²/δᵢ) plus a rounding
   * allowance 2(m + √n)·ε·‖T_m‖; see {@link lanczos} for δᵢ and the assumption behind it.
   */
  readonly errorBounds: Float64Array;
  /** True when every returned pair met the tolerance (or an invariant subspace was found). */
  readonly converged: boolean;
  /** Number of Lanczos steps m (the size of the tridiagonal T_m). */
  readonly iterations: number;
  /** Number of operator applications (A·v products, HVPs for a Hessian); equals `iterations`. */
  readonly matvecs: number;
}

/**
 * Reusable scratch of the Lanczos kernel (basis vectors grow on demand and are kept between calls).
 * @internal
 */
export interface LanczosWorkspace {
  readonly dim: number;
  basis: Float64Array[];
  /** Copy of the current basis vector handed to the operator, so an operator that writes into `v` cannot corrupt the basis. */
  readonly input: Float64Array;
  readonly w: Float64Array;
  readonly coeffs: Float64Array;
  alpha: Float64Array;
  beta: Float64Array;
  d: Float64Array;
  e: Float64Array;
  zLast: Float64Array;
  chosen: Uint8Array;
  /** The seeded start vector cached for `startSeed` (NaN: none cached). */
  readonly seededStart: Float64Array;
  startSeed: number;
}

/**
 * Creates a {@link LanczosWorkspace} for operators of dimension `dim`.
 * @internal
 */
export function createLanczosWorkspace(dim: number): LanczosWorkspace {
  const cap = Math.min(dim, 32);
  return {
    dim,
    basis: [],
    input: new Float64Array(dim),
    w: new Float64Array(dim),
    coeffs: new Float64Array(dim),
    alpha: new Float64Array(cap),
    beta: new Float64Array(cap),
    d: new Float64Array(cap),
    e: new Float64Array(cap),
    zLast: new Float64Array(cap),
    chosen: new Uint8Array(cap),
    seededStart: new Float64Array(dim),
    startSeed: NaN,
  };
}

function ensureCapacity(ws: LanczosWorkspace, m: number): void {
  if (ws.alpha.length >= m) return;
  const cap = Math.min(ws.dim, Math.max(m, 2 * ws.alpha.length));
  const grow = (a: Float64Array): Float64Array => {
    const b = new Float64Array(cap);
    b.set(a);
    return b;
  };
  ws.alpha = grow(ws.alpha);
  ws.beta = grow(ws.beta);
  ws.d = new Float64Array(cap);
  ws.e = new Float64Array(cap);
  ws.zLast = new Float64Array(cap);
  ws.chosen = new Uint8Array(cap);
}

/**
 * Resolved parameters of the Lanczos kernel.
 * @internal
 */
export interface LanczosParams {
  /** Effective k, already clamped to [1, n]. */
  k: number;
  which: LanczosWhich;
  tol: number;
  /** Already clamped to [k, n]. */
  maxIterations: number;
  seed: number;
  /** Normalized or not; nonzero. Undefined: from `seed`. */
  startVector: Float64Array | undefined;
  /** Compute Ritz vectors (O(m²) extra work and k·n memory). */
  wantVectors: boolean;
}

/** Is Ritz value a preferred over b for `which`? (Ties: lower index first, decided by the caller's scan.) */
function better(which: LanczosWhich, a: number, b: number): boolean {
  if (which === 'largest') return a > b;
  if (which === 'smallest') return a < b;
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  return aa > ab || (aa === ab && a > b);
}

/** Marks the k wanted Ritz values of d[0..m) in `chosen`, writing their indices in order into `out`. */
function selectWanted(which: LanczosWhich, d: Float64Array, m: number, k: number, chosen: Uint8Array, out: Int32Array): void {
  chosen.fill(0, 0, m);
  for (let t = 0; t < k; t++) {
    let best = -1;
    for (let i = 0; i < m; i++) {
      if (chosen[i]) continue;
      if (best < 0 || better(which, d[i], d[best])) best = i;
    }
    chosen[best] = 1;
    out[t] = best;
  }
}

/** Orthogonalizes w against basis[0..m) by classical Gram–Schmidt, twice; returns the coefficient on basis[j] (sum of both passes). */
function orthogonalize(basis: Float64Array[], m: number, w: Float64Array, coeffs: Float64Array, j: number): number {
  const n = w.length;
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
    if (j >= 0) onJ += coeffs[j];
  }
  return onJ;
}

/**
 * Writes the warm start q ∝ Σᵢ vᵢ/‖vᵢ‖ into `out` (not normalized) and returns its norm (0 when the sum
 * vanishes). The vectors must be nonzero and of length `out.length`.
 * @internal
 */
export function combineStartVectors(vectors: readonly Float64Array[], out: Float64Array): number {
  out.fill(0);
  for (const v of vectors) {
    const s = nrm2(v);
    for (let t = 0; t < out.length; t++) out[t] += v[t] / s;
  }
  return nrm2(out);
}

/**
 * Sets the sign of v in place so that its first entry of largest magnitude is positive.
 * @internal
 */
export function normalizeSign(v: Float64Array): void {
  let big = 0;
  let sign = 1;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > big) {
      big = a;
      sign = v[i] < 0 ? -1 : 1;
    }
  }
  if (sign < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i];
}

/**
 * Lanczos kernel without validation: `params` must be resolved (k, maxIterations clamped) and `op` symmetric.
 * Reuses `ws` (created if absent). Allocates per iteration nothing but new basis vectors the first time a
 * workspace reaches that size.
 * @internal
 */
export function lanczosUnchecked(op: LinearOperator, params: LanczosParams, ws?: LanczosWorkspace): LanczosResult {
  const n = op.dim;
  const work = ws ?? createLanczosWorkspace(n);
  const { k, which, tol, maxIterations } = params;
  ensureCapacity(work, maxIterations);
  const { basis, input, w, coeffs } = work;
  while (basis.length < 1) basis.push(new Float64Array(n));

  // q₁ = start / ‖start‖.
  let start: Float64Array;
  if (params.startVector !== undefined) {
    start = params.startVector;
  } else {
    if (work.startSeed !== params.seed) {
      rng(params.seed).fillNormal(work.seededStart);
      work.startSeed = params.seed;
    }
    start = work.seededStart;
  }
  {
    const s = nrm2(start);
    const q0 = basis[0];
    for (let t = 0; t < n; t++) q0[t] = start[t] / s;
  }
  let restartRng: ReturnType<typeof rng> | undefined;

  const wanted = new Int32Array(k);
  let m = 0;
  let betaLast = 0;
  let converged = false;
  let nonFinite = false;
  for (;;) {
    const j = m;
    const alpha = work.alpha;
    const beta = work.beta;
    // The operator gets a copy of q_j: a user operator that (against the contract) writes into its input must
    // not corrupt the basis (O(n) per step, next to the O(n·m) reorthogonalization).
    input.set(basis[j]);
    op.apply(input, w);
    m = j + 1;
    // Full reorthogonalization (CGS2) against q₁..q_{j+1}; α_j = q_jᵀ A q_j plus the second pass's correction.
    alpha[j] = orthogonalize(basis, m, w, coeffs, j);
    betaLast = nrm2(w);
    if (!Number.isFinite(alpha[j]) || !Number.isFinite(betaLast)) {
      // The operator produced NaN/±∞: nothing computed from here on means anything. Never report it as converged.
      nonFinite = true;
      break;
    }

    // Ritz values of T_m and the last components of its eigenvectors.
    const d = work.d;
    const e = work.e;
    const z = work.zLast;
    for (let i = 0; i < m; i++) {
      d[i] = alpha[i];
      e[i] = i < m - 1 ? beta[i] : 0;
      z[i] = 0;
    }
    z[m - 1] = 1;
    tridiagonalQl(m, d, e, z, 1);
    let anorm = 0;
    for (let i = 0; i < m; i++) anorm = Math.max(anorm, Math.abs(d[i]));

    const have = Math.min(k, m);
    selectWanted(which, d, m, have, work.chosen, wanted);
    let allConverged = have === k;
    for (let t = 0; t < have; t++) {
      const i = wanted[t];
      const r = betaLast * Math.abs(z[i]);
      if (!(r <= tol * Math.max(Math.abs(d[i]), EPS23 * anorm))) allConverged = false;
    }
    const breakdown = betaLast <= Math.sqrt(n) * EPS * anorm;
    if (allConverged || (breakdown && m >= k) || m === n) {
      converged = true;
      break;
    }
    if (m >= maxIterations) break;

    while (basis.length <= m) basis.push(new Float64Array(n));
    const next = basis[m];
    if (breakdown) {
      // Invariant subspace with fewer than k Ritz values: continue from a fresh random vector orthogonal to it
      // (T_m becomes block diagonal: β_m = 0).
      beta[j] = 0;
      if (restartRng === undefined) {
        restartRng = rng(params.seed);
        if (params.startVector === undefined) restartRng.fillNormal(next); // skip the draws of the start vector
      }
      let norm = 0;
      for (let attempt = 0; attempt < 5 && !(norm > 0); attempt++) {
        restartRng.fillNormal(next);
        const before = nrm2(next);
        orthogonalize(basis, m, next, coeffs, -1);
        const after = nrm2(next);
        if (after > 1e-8 * before) norm = after;
      }
      if (!(norm > 0)) break; // numerically no room left; stop with what we have
      for (let t = 0; t < n; t++) next[t] /= norm;
    } else {
      beta[j] = betaLast;
      for (let t = 0; t < n; t++) next[t] = w[t] / betaLast;
    }
  }

  const have = Math.min(k, m);
  if (nonFinite) {
    const nan = (): Float64Array => new Float64Array(have).fill(NaN);
    const vectors = params.wantVectors ? Array.from({ length: have }, () => new Float64Array(n).fill(NaN)) : [];
    return { values: nan(), vectors, residualNorms: nan(), errorBounds: new Float64Array(have).fill(Infinity), converged: false, iterations: m, matvecs: m };
  }
  const d = work.d;
  const z = work.zLast;
  // Rounding allowance: the QL eigenvalues of T_m hold to about m·ε·‖T_m‖ and the entries of T_m (n-term inner
  // products with A q) to about √n·ε·‖A‖ (typical rounding growth); measured errors stay below half of this.
  let anorm = 0;
  for (let i = 0; i < m; i++) anorm = Math.max(anorm, Math.abs(d[i]));
  const allowance = 2 * (m + Math.sqrt(n)) * EPS * anorm;

  const values = new Float64Array(have);
  const residualNorms = new Float64Array(have);
  const errorBounds = new Float64Array(have);
  for (let t = 0; t < have; t++) {
    const i = wanted[t];
    const theta = d[i];
    const r = betaLast * Math.abs(z[i]);
    // δ: distance from θ to the rest of the spectrum, assuming each other eigenvalue lies within r_l of a Ritz value θ_l.
    // With a single Ritz value there is no information on the rest of the spectrum: keep the bound r.
    let gap = m > 1 ? Infinity : -Infinity;
    for (let l = 0; l < m; l++) {
      if (l === i) continue;
      gap = Math.min(gap, Math.abs(d[l] - theta) - betaLast * Math.abs(z[l]));
    }
    values[t] = theta;
    residualNorms[t] = r;
    errorBounds[t] = (gap > 0 ? Math.min(r, r * (r / gap)) : r) + allowance;
  }

  const vectors: Float64Array[] = [];
  if (params.wantVectors) {
    // Eigenvectors of T_m (same rotations on d and e as above, so the same values in the same slots).
    const dd = new Float64Array(m);
    const ee = new Float64Array(m);
    const zz = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      dd[i] = work.alpha[i];
      ee[i] = i < m - 1 ? work.beta[i] : 0;
      zz[i * m + i] = 1;
    }
    tridiagonalQl(m, dd, ee, zz, m);
    for (let t = 0; t < have; t++) {
      const c = wanted[t];
      const y = new Float64Array(n);
      for (let r = 0; r < m; r++) {
        const s = zz[r * m + c];
        const q = basis[r];
        for (let u = 0; u < n; u++) y[u] += s * q[u];
      }
      const norm = nrm2(y);
      for (let u = 0; u < n; u++) y[u] /= norm;
      normalizeSign(y);
      vectors.push(y);
    }
  }
  return { values, vectors, residualNorms, errorBounds, converged, iterations: m, matvecs: m };
}

/**
 * Validates warm-start vectors (a non-empty array of finite nonzero vectors of length n with a nonzero
 * normalized sum) and returns q ∝ Σᵢ vᵢ/‖vᵢ‖ (not normalized).
 * @internal
 */
export function warmStartVector(fn: string, argument: string, vectors: unknown, n: number): Float64Array {
  if (!Array.isArray(vectors) || vectors.length === 0) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: vectors, expected: 'a non-empty array of Float64Array vectors' });
  }
  vectors.forEach((v, i) => {
    finiteVector(fn, `${argument}[${i}]`, v, n);
    if (nrm2(v as Float64Array) === 0) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}[${i}]`, value: v, expected: 'a nonzero vector' });
    }
  });
  const out = new Float64Array(n);
  if (!(combineStartVectors(vectors as Float64Array[], out) > 0)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: vectors, expected: 'vectors whose normalized sum is nonzero' });
  }
  return out;
}

/**
 * The k extreme eigenpairs of a symmetric matrix or operator by the Lanczos method with full
 * reorthogonalization — the way to get the sharpness λ_max(∇²L) of a model from Hessian-vector products.
 *
 * From q₁ (random, seeded) it builds an orthonormal basis Q_m of the Krylov space span{q₁, A q₁, …, A^{m−1} q₁}
 * with A Q_m = Q_m T_m + β_m q_{m+1} e_mᵀ (T_m tridiagonal: α on the diagonal, β off it), reorthogonalizing each
 * new vector against all previous ones by classical Gram–Schmidt twice. The Ritz pairs are θᵢ = eigenvalues of
 * T_m and yᵢ = Q_m sᵢ, with residual ‖A yᵢ − θᵢ yᵢ‖ = β_m |s_{m,i}| (Golub & Van Loan, Matrix Computations,
 * §10.1; Parlett, The Symmetric Eigenvalue Problem, ch. 13).
 *
 * @remarks
 * Error bounds: some eigenvalue of A lies within rᵢ of θᵢ (Krylov–Weinstein), and if λ is the only eigenvalue
 * within δᵢ of θᵢ then |λ − θᵢ| ≤ rᵢ²/δᵢ (Kato–Temple). `errorBounds[i]` = min(rᵢ, rᵢ²/δᵢ) + 2(m + √n)·ε·‖T_m‖
 * with δᵢ = min_{l≠i}(|θ_l − θᵢ| − r_l) (the r²/δ term is used only when δᵢ > 0); the last term is an allowance
 * for rounding in T_m and its QL eigenvalues (typical growth; measured errors stay below half of it). The bound
 * refers to the eigenvalue *nearest* θᵢ and is rigorous under the assumption that every other eigenvalue of A
 * lies within r_l of some other Ritz value θ_l — what Lanczos from a random start gives at the ends of the
 * spectrum, where it converges first. It fails for an eigenvalue the Krylov space has not resolved: a cluster
 * narrower than the residual tolerance around θᵢ (then only the rᵢ part holds), or an eigenvalue whose
 * eigenvector is orthogonal to the start vector. With `converged: false` the values are near *some* eigenvalues
 * (within rᵢ), not necessarily the extreme ones.

 * Breakdown (β_m ≤ √n·ε·‖T_m‖: the Krylov space is invariant) ends the run with exact Ritz values and
 * `converged: true` when at least k are available; with fewer (e.g. A = I, k = 3) Lanczos continues from a
 * fresh random vector orthogonal to the basis. Single-vector Lanczos sees each distinct eigenvalue once per
 * such block, so when k > 1 a repeated eigenvalue may be reported once with its neighbor next to it.
 * k > n gives n pairs; n = 1 needs one matvec. Without convergence within `maxIterations` the best Ritz pairs are
 * returned with `converged: false`. An operator that returns NaN/±∞ ends the run at once with `converged: false`,
 * NaN values, residuals and vectors and infinite error bounds — a NaN is never reported as converged. The operator
 * is applied to a copy of the basis vector, so one that writes into its input cannot corrupt the basis.
 *
 * Cost: m operator applications (one per step); O(n·m²) flops for reorthogonalization; memory n·m for the
 * basis; an O(m²) tridiagonal QL per step for the convergence test. With a spectral gap it typically needs
 * 10–40 applications for k = 1.
 *
 * @param operator - a dense symmetric `NdArray` (checked for symmetry with tolerance 1e-10·max|A|; use
 *   {@link denseOperator} for another tolerance) or a symmetric {@link LinearOperator}.
 * A warm start (`startVectors`: approximations of the wanted eigenvectors, such as those at the previous
 * iterate of a training run) replaces the random q₁ by their normalized sum; the wanted pairs then converge in
 * fewer steps (the residual has less to shrink), which is what {@link topEigenpairs} and the drivers'
 * `record.topK` use.
 *
 * @param options - k, which, tol, maxIterations, seed, startVector or startVectors.
 * @returns `{ values, vectors, residualNorms, errorBounds, converged, iterations, matvecs }`.
 * @throws EosLabError `E_BAD_OPTION` for a non-operator, k < 1, tol ≤ 0, maxIterations < min(k, n), a bad
 *   `which` or seed, a zero start vector, or both `startVector` and `startVectors`; `E_DIM_MISMATCH` for a non-square matrix or a start vector of
 *   the wrong length; `E_NONFINITE` for NaN/±Infinity in the matrix or start vector; `E_EMPTY` for n = 0.
 * @example
 * ```ts
 * import { lanczos, matrixFromRows } from 'eos-lab';
 * const A = matrixFromRows([[2, -1, 0], [-1, 2, -1], [0, -1, 2]]); // eigenvalues 2 − √2, 2, 2 + √2
 * const { values, errorBounds } = lanczos(A, { k: 2, which: 'largest' });
 * // values ≈ [2 + √2, 2] = [3.41421356237309…, 2]; errorBounds ≈ 7e-15
 * ```
 * @see {@link powerIteration}, {@link symmetricEigen}, {@link sharpness}
 * @since 0.1.0
 */
export function lanczos(operator: NdArray | LinearOperator, options?: LanczosOptions): LanczosResult {
  const fn = 'lanczos';
  const op = toLinearOperator(fn, 'operator', operator);
  const opts = optionsObject(fn, options, optionKeys<LanczosOptions>({ k: true, which: true, tol: true, maxIterations: true, seed: true, startVector: true, startVectors: true }));
  const n = op.dim;
  const kWanted = opts.k === undefined ? 1 : integerInRange(fn, 'options.k', opts.k, 1);
  const k = Math.min(kWanted, n);
  const which = opts.which === undefined ? 'largest' : oneOf(fn, 'options.which', opts.which, ['largest', 'smallest', 'magnitude'] as const);
  const tol = opts.tol === undefined ? 1e-10 : positiveFinite(fn, 'options.tol', opts.tol);
  let maxIterations = Math.min(n, Math.max(300, 2 * kWanted));
  if (opts.maxIterations !== undefined) {
    maxIterations = Math.min(n, integerInRange(fn, 'options.maxIterations', opts.maxIterations, 1));
    if (maxIterations < k) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: 'options.maxIterations',
        value: opts.maxIterations,
        expected: `at least min(k, n) = ${k} (one Lanczos step per Ritz value)`,
      });
    }
  }
  const seed = opts.seed === undefined ? 0 : integerInRange(fn, 'options.seed', opts.seed, -0x80000000, 0x7fffffff);
  let startVector: Float64Array | undefined;
  if (opts.startVector !== undefined) {
    startVector = finiteVector(fn, 'options.startVector', opts.startVector, n);
    if (nrm2(startVector) === 0) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.startVector', value: startVector, expected: 'a nonzero vector' });
    }
  }
  if (opts.startVectors !== undefined) {
    if (startVector !== undefined) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: 'options.startVectors',
        value: opts.startVectors,
        expected: 'undefined when options.startVector is given (give one start or the other)',
      });
    }
    startVector = warmStartVector(fn, 'options.startVectors', opts.startVectors, n);
  }
  return lanczosUnchecked(op, { k, which, tol, maxIterations, seed, startVector, wantVectors: true });
}
