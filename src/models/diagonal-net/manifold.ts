/**
 * The interpolating manifold M = {w : L(w) = 0} of a shared-weight diagonal network on one data point (x, y)
 * ([Conflicting biases, Sec. 3, Lemma 3.1 / C.1, eqs. (10)–(11)]): residual, tangent space, the ℓ1 norm of the regressor and
 * the sharpness on M.
 *
 * @module
 */
import ndarray, { type NdArray } from 'ndarray';
import { EosLabError } from '../../core/errors.js';
import { finiteNumber, integerInRange, optionKeys, optionsObject } from '../../core/validate.js';
import { MAX_DEPTH, readVector } from './model.js';

/**
 * Options shared by the manifold functions ({@link manifoldResidual}, {@link regressorL1Norm},
 * {@link sharpnessOnManifold}, {@link tangentBasis}, {@link scaleToManifold}).
 *
 * @since 0.1.0
 */
export interface ManifoldOptions {
  /**
   * The depth L of the network (β = w^{⊙L}; [Conflicting biases, eq. (9)]): an integer in [2, 64].
   * @defaultValue 2
   */
  depth?: number;
}

/** @internal Validates the options of a manifold function and returns the depth. */
export function resolveDepth(fn: string, options: ManifoldOptions | undefined): number {
  const o = optionsObject(fn, options, optionKeys<ManifoldOptions>({ depth: true }));
  return integerInRange(fn, 'options.depth', o.depth ?? 2, 2, MAX_DEPTH);
}

/** @internal a^k by repeated multiplication (the model's convention: no Math.pow, exact for zeros and signs). */
export function ipow(a: number, k: number): number {
  let p = 1;
  for (let i = 0; i < k; i++) p *= a;
  return p;
}

/**
 * The residual h(w) = ⟨x, w^{⊙L}⟩ − y of one data point ([Conflicting biases, proof of Lemma C.1]): w ∈ M exactly when it
 * is 0, and the loss is L(w) = ½h(w)² (eq. (4) for L = 2, eq. (9)).
 *
 * @remarks Cost O(dL), left-to-right sum.
 * @param x - the input x ∈ ℝ^d (finite).
 * @param y - the target y (finite).
 * @param w - the weights, same length as `x`.
 * @param options - the depth L.
 * @returns ⟨x, w^{⊙L}⟩ − y.
 * @throws EosLabError `E_DIM_MISMATCH` if `w.length` ≠ `x.length`; `E_NONFINITE` for NaN/±Infinity;
 *   `E_EMPTY` for empty vectors; `E_BAD_OPTION` for a bad depth.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * diagonalNet.manifoldResidual([1, 4], 2, new Float64Array([0, Math.SQRT1_2])); // 4·½ − 2 = 0: on M
 * ```
 * @since 0.1.0
 */
export function manifoldResidual(x: ArrayLike<number>, y: number, w: ArrayLike<number>, options?: ManifoldOptions): number {
  const fn = 'diagonalNet.manifoldResidual';
  const L = resolveDepth(fn, options);
  const xv = readVector(fn, 'x', x);
  const yv = finiteNumber(fn, 'y', y);
  const wv = readVector(fn, 'w', w, xv.length);
  let s = 0;
  for (let i = 0; i < xv.length; i++) s += xv[i] * ipow(wv[i], L);
  return s - yv;
}

/**
 * The ℓ1 norm of the regressor, ‖w^{⊙L}‖₁ = Σᵢ |wᵢ|^L; for L = 2 it is ‖w^{⊙2}‖₁ = ‖w‖₂² [Conflicting biases, eq. (10)],
 * the quantity gradient flow from small initialization approximately minimizes on M (Theorem B.1) and the
 * "ℓ1 norm" of the diagonal-network figures (Fig. 15b).
 *
 * @remarks Cost O(dL). Not the ℓ1 norm of the parameters ‖w‖₁ (which the generic sweep reports as `norm1`).
 * @param w - the weights (finite).
 * @param options - the depth L.
 * @returns Σᵢ |wᵢ|^L.
 * @throws EosLabError `E_NONFINITE`, `E_EMPTY` or `E_BAD_OPTION` for bad input.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * diagonalNet.regressorL1Norm(new Float64Array([1, -2])); // ‖w^{⊙2}‖₁ = ‖w‖₂² = 5
 * ```
 * @since 0.1.0
 */
export function regressorL1Norm(w: ArrayLike<number>, options?: ManifoldOptions): number {
  const fn = 'diagonalNet.regressorL1Norm';
  const L = resolveDepth(fn, options);
  const wv = readVector(fn, 'w', w);
  let s = 0;
  for (let i = 0; i < wv.length; i++) s += Math.abs(ipow(wv[i], L));
  return s;
}

/**
 * The sharpness on the manifold, S(w) = L²‖x ⊙ w^{⊙(L−1)}‖₂² for w ∈ M; for L = 2 this is [Conflicting biases]'s
 * S_L(w) = 4‖x ⊙ w‖₂² (eq. (11)).
 *
 * On M the residual vanishes, so ∇²L(w) = L²(x ⊙ w^{⊙(L−1)})(x ⊙ w^{⊙(L−1)})ᵀ (for L = 2: D_{2rx} + 4(x⊙w)(x⊙w)ᵀ
 * with r = 0, App. D), a rank-one matrix whose only nonzero eigenvalue is this value — λ_max and max|λ| agree.
 *
 * @remarks Off M this is only the Gauss–Newton part of the Hessian's spectrum (the term D_{2rx} is missing): use
 * `sharpness(model, w)` there. Cost O(dL).
 * @param x - the input x ∈ ℝ^d.
 * @param w - a point of M (finite; same length as `x`). Membership is not checked: see {@link manifoldResidual}.
 * @param options - the depth L.
 * @returns L²‖x ⊙ w^{⊙(L−1)}‖₂².
 * @throws EosLabError `E_DIM_MISMATCH`, `E_NONFINITE`, `E_EMPTY` or `E_BAD_OPTION` for bad input.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * // the ℓ1 minimizer of x = (1, 4), y = 2 is w = (0, 1/√2): S = 4·(4/√2)² = 32 = 4·y·x_max
 * diagonalNet.sharpnessOnManifold([1, 4], new Float64Array([0, Math.SQRT1_2]));
 * ```
 * @since 0.1.0
 */
export function sharpnessOnManifold(x: ArrayLike<number>, w: ArrayLike<number>, options?: ManifoldOptions): number {
  const fn = 'diagonalNet.sharpnessOnManifold';
  const L = resolveDepth(fn, options);
  const xv = readVector(fn, 'x', x);
  const wv = readVector(fn, 'w', w, xv.length);
  let s = 0;
  for (let i = 0; i < xv.length; i++) {
    const a = xv[i] * ipow(wv[i], L - 1);
    s += a * a;
  }
  return L * L * s;
}

/**
 * An orthonormal basis of the tangent space T_w M = (x ⊙ w^{⊙(L−1)})^⊥ of the manifold M at w ([Conflicting biases],
 * Lemma 3.1 for L = 2 and Lemma C.1 for depth L): d − 1 unit vectors orthogonal to each other and to the
 * gradient of the constraint h(w) = ⟨x, w^{⊙L}⟩ − y.
 *
 * @remarks
 * Built from the Householder reflection H = I − 2uuᵀ that maps the unit normal n = ν/‖ν‖ (ν = x ⊙ w^{⊙(L−1)}) to
 * ∓e_k (k the index of n's largest entry, sign chosen against cancellation): H is orthogonal and symmetric, so
 * its rows other than k are an orthonormal basis of n^⊥, to rounding (entries within a few ε). Cost O(d²),
 * allocating the result only. Lemma C.1 needs x without zero entries and y ≠ 0 for M to be a manifold; this
 * function only needs ν ≠ 0.
 *
 * @param x - the input x ∈ ℝ^d.
 * @param w - the point (usually on M; finite, same length as `x`).
 * @param options - the depth L.
 * @returns an `NdArray` of shape [d − 1, d] whose rows are the basis vectors (shape [0, 1] when d = 1).
 * @throws EosLabError `E_BAD_OPTION` when x ⊙ w^{⊙(L−1)} = 0 (no normal direction: w is not on a manifold
 *   with y ≠ 0); `E_DIM_MISMATCH`, `E_NONFINITE`, `E_EMPTY` for bad vectors.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * const T = diagonalNet.tangentBasis([1, 4], new Float64Array([1, 0.5])); // shape [1, 2]
 * // its row is ⟂ x ⊙ w = (1, 2): ±(2, −1)/√5
 * ```
 * @since 0.1.0
 */
export function tangentBasis(x: ArrayLike<number>, w: ArrayLike<number>, options?: ManifoldOptions): NdArray<Float64Array> {
  const fn = 'diagonalNet.tangentBasis';
  const L = resolveDepth(fn, options);
  const xv = readVector(fn, 'x', x);
  const wv = readVector(fn, 'w', w, xv.length);
  const d = xv.length;
  const nu = new Float64Array(d);
  let scale = 0;
  for (let i = 0; i < d; i++) {
    nu[i] = xv[i] * ipow(wv[i], L - 1);
    scale = Math.max(scale, Math.abs(nu[i]));
  }
  if (!(scale > 0)) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'w',
      value: w,
      expected: 'a point where x ⊙ w^(L−1) ≠ 0 (the normal of M; Lemma C.1 needs y ≠ 0 so that w ≠ 0 on M)',
    });
  }
  // Unit normal n (scaled first against overflow), k = argmax |nᵢ|.
  let k = 0;
  let ss = 0;
  for (let i = 0; i < d; i++) {
    nu[i] /= scale;
    ss += nu[i] * nu[i];
    if (Math.abs(nu[i]) > Math.abs(nu[k])) k = i;
  }
  const norm = Math.sqrt(ss);
  for (let i = 0; i < d; i++) nu[i] /= norm;
  // Householder vector u ∝ n + sign(n_k) e_k (no cancellation), H = I − 2uuᵀ/(uᵀu) maps n to −sign(n_k) e_k.
  const sgn = nu[k] >= 0 ? 1 : -1;
  const u = Float64Array.from(nu);
  u[k] += sgn;
  let uu = 0;
  for (let i = 0; i < d; i++) uu += u[i] * u[i];
  const out = new Float64Array((d - 1) * d);
  let row = 0;
  for (let r = 0; r < d; r++) {
    if (r === k) continue;
    const f = (2 * u[r]) / uu;
    for (let j = 0; j < d; j++) out[row * d + j] = (r === j ? 1 : 0) - f * u[j];
    row++;
  }
  return ndarray(out, [d - 1, d]);
}

/**
 * Rescales w onto the manifold: returns s·w with s > 0 such that ⟨x, (s·w)^{⊙L}⟩ = y, i.e.
 * s = (y/⟨x, w^{⊙L}⟩)^{1/L} (a handy way to sample M, e.g. for property tests and plots).
 *
 * @remarks Needs y/⟨x, w^{⊙L}⟩ > 0 (for even L the ray through w meets M only then; for odd L a negative ratio
 * would need s < 0, which this function does not do). Allocates the result. Cost O(dL).
 * @param x - the input x ∈ ℝ^d.
 * @param y - the target y.
 * @param w - the direction (finite, same length as `x`).
 * @param options - the depth L.
 * @returns a new `Float64Array` s·w on M (to rounding).
 * @throws EosLabError `E_BAD_OPTION` when y/⟨x, w^{⊙L}⟩ is not a finite positive number (the ray misses M);
 *   `E_DIM_MISMATCH`, `E_NONFINITE`, `E_EMPTY` for bad vectors.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * const w = diagonalNet.scaleToManifold([1, 4], 2, new Float64Array([1, 1])); // (s, s) with 5s² = 2
 * diagonalNet.manifoldResidual([1, 4], 2, w); // ≈ 0
 * ```
 * @since 0.1.0
 */
export function scaleToManifold(x: ArrayLike<number>, y: number, w: ArrayLike<number>, options?: ManifoldOptions): Float64Array {
  const fn = 'diagonalNet.scaleToManifold';
  const L = resolveDepth(fn, options);
  const xv = readVector(fn, 'x', x);
  const yv = finiteNumber(fn, 'y', y);
  const wv = readVector(fn, 'w', w, xv.length);
  let p = 0;
  for (let i = 0; i < xv.length; i++) p += xv[i] * ipow(wv[i], L);
  const ratio = yv / p;
  if (!(ratio > 0 && Number.isFinite(ratio))) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'w',
      value: w,
      expected: `a direction with y/⟨x, w^(L)⟩ finite and > 0 (here ${yv}/${p}): the ray {s·w : s > 0} must meet M`,
    });
  }
  const s = Math.pow(ratio, 1 / L);
  const out = new Float64Array(wv.length);
  for (let i = 0; i < wv.length; i++) out[i] = s * wv[i];
  return out;
}
