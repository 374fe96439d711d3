/**
 * Norm and sharpness minimizers on the manifold M of a two-layer shared-weight diagonal network on one data
 * point ([Conflicting biases, Prop. 3.2, Lemmas D.1–D.2, App. H.13]): the sets M_ℓ1 and M_S, the necessary conditions for
 * any signs of x, and the least ℓ1 norm on M under the sharpness bound S ≤ 2/η (the predicted line of Fig. 15b).
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { finiteNumber, nonNegativeFinite, optionKeys, optionsObject, positiveFinite } from '../../core/validate.js';
import { readVector } from './model.js';

/**
 * A set of minimizers on M described by its support and its common values [Conflicting biases, eqs. (6)–(7)].
 *
 * @since 0.1.0
 */
export interface ManifoldMinimizers {
  /** The indices the support must lie in: argmax xᵢ (for M_ℓ1) or argmin xᵢ (for M_S), ascending. */
  readonly indices: number[];
  /** ‖w^{⊙2}‖₁ = ‖w‖₂² on the set (eq. (10)): y/x_max for M_ℓ1, y/x_min for M_S. */
  readonly l1Norm: number;
  /** S(w) = 4‖x ⊙ w‖₂² on the set (eq. (11)): 4·y·x_max for M_ℓ1, 4·y·x_min for M_S. */
  readonly sharpness: number;
  /** The canonical point √(l1Norm)·e_k with k the first index of `indices` ([Conflicting biases, Sec. 3], A_ℓ1 and A_S). */
  readonly canonical: Float64Array;
}

function positiveData(fn: string, x: ArrayLike<number>, y: number): { xv: Float64Array; yv: number } {
  const xv = readVector(fn, 'x', x);
  for (let i = 0; i < xv.length; i++) {
    if (!(xv[i] > 0)) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: `x[${i}]`,
        value: xv[i],
        expected: 'a number > 0 (Prop. 3.2 needs x > 0 entrywise; use minimizerConditions for other signs)',
      });
    }
  }
  const yv = finiteNumber(fn, 'y', y);
  if (!(yv > 0)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'y', value: yv, expected: 'a number > 0 (for x > 0 the manifold M is empty otherwise)' });
  }
  return { xv, yv };
}

function extremeIndices(xv: Float64Array, largest: boolean): number[] {
  let best = xv[0];
  for (let i = 1; i < xv.length; i++) if (largest ? xv[i] > best : xv[i] < best) best = xv[i];
  const out: number[] = [];
  for (let i = 0; i < xv.length; i++) if (xv[i] === best) out.push(i);
  return out;
}

function minimizerSet(xv: Float64Array, yv: number, largest: boolean): ManifoldMinimizers {
  const indices = extremeIndices(xv, largest);
  const xk = xv[indices[0]];
  const l1Norm = yv / xk;
  const canonical = new Float64Array(xv.length);
  canonical[indices[0]] = Math.sqrt(l1Norm);
  return { indices, l1Norm, sharpness: 4 * yv * xk, canonical };
}

/**
 * The ℓ1 minimizers on M for x > 0 ([Conflicting biases, Prop. 3.2 (i), eq. (6)]):
 * M_ℓ1 = argmin_{w∈M} ‖w^{⊙2}‖₁ = {w : ‖w‖₂² = y/x_max, supp(w) ⊂ argmaxᵢ xᵢ}, with canonical point
 * √(y/x_max)·e_{k_max} (the output of A_ℓ1, Sec. 3).
 *
 * @remarks
 * The minimal value is min_M ‖w^{⊙2}‖₁ = min_M ‖w‖₂² = y/x_max (eq. (10) and Lemma D.2 (i)); the sharpness of
 * these points is 4·y·x_max (eq. (11)). Gradient flow from w₀ = α1, α → 0, converges near this set (Theorem
 * B.1). Ties in x_max give a whole sphere of minimizers; `indices` lists all of them. Two-layer network
 * (L = 2), one data point. Cost O(d).
 * @param x - the input, x > 0 entrywise.
 * @param y - the target, y > 0 (else M is empty).
 * @returns the set's support indices, its ℓ1 norm and sharpness, and the canonical point.
 * @throws EosLabError `E_BAD_OPTION` unless x > 0 entrywise and y > 0; `E_NONFINITE`/`E_EMPTY` for bad vectors.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * const m = diagonalNet.l1Minimizers([1, 4], 2);
 * // m.indices = [1], m.l1Norm = 0.5, m.sharpness = 32, m.canonical = [0, √0.5]
 * ```
 * @since 0.1.0
 */
export function l1Minimizers(x: ArrayLike<number>, y: number): ManifoldMinimizers {
  const { xv, yv } = positiveData('diagonalNet.l1Minimizers', x, y);
  return minimizerSet(xv, yv, true);
}

/**
 * The sharpness minimizers on M for x > 0 ([Conflicting biases, Prop. 3.2 (ii), eq. (7)]):
 * M_S = argmin_{w∈M} S(w) = {w : ‖w‖₂² = y/x_min, supp(w) ⊂ argminᵢ xᵢ}, with canonical point
 * √(y/x_min)·e_{k_min} (the output of A_S, Sec. 3). The minimal sharpness is **min_M S = 4·y·x_min**.
 *
 * @remarks
 * **Typo in the paper.** The proof of Lemma D.2 (ii) concludes "min_{z∈M} S_L(z) = y·x_{k*}", dropping the factor
 * 4 of eq. (11): it computes ‖D_x w‖₂² = y·x_{k*} at w = √(y/x_{k*}) e_{k*}, and eq. (11) gives
 * S = 4‖D_x w‖₂² = 4·y·x_min, which the dense Hessian D_{2rx} + 4(x⊙w)(x⊙w)ᵀ confirms (its only nonzero
 * eigenvalue on M is 4‖x⊙w‖²). This function returns 4·y·x_min. The set itself (eq. (7)) is unaffected.
 * Two-layer network (L = 2), one data point. Cost O(d).
 * @param x - the input, x > 0 entrywise.
 * @param y - the target, y > 0.
 * @returns the set's support indices, its ℓ1 norm y/x_min and sharpness 4·y·x_min, and the canonical point.
 * @throws EosLabError `E_BAD_OPTION` unless x > 0 entrywise and y > 0; `E_NONFINITE`/`E_EMPTY` for bad vectors.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * const m = diagonalNet.sharpnessMinimizers([1, 4], 2);
 * // m.indices = [0], m.sharpness = 4·2·1 = 8 (not 2), m.canonical = [√2, 0]
 * ```
 * @since 0.1.0
 */
export function sharpnessMinimizers(x: ArrayLike<number>, y: number): ManifoldMinimizers {
  const { xv, yv } = positiveData('diagonalNet.sharpnessMinimizers', x, y);
  return minimizerSet(xv, yv, false);
}

/**
 * Options of {@link minimizerConditions}.
 *
 * @since 0.1.0
 */
export interface MinimizerConditionsOptions {
  /**
   * Entries with |wᵢ| ≤ supportTol·‖w‖∞ count as outside the support (0 = exact zeros only); in [0, 1).
   * @defaultValue 0
   */
  supportTol?: number;
  /**
   * Relative tolerance for "x is constant on the support": |xᵢ − x₀| ≤ tol·max|x| for i ∈ supp(w), and the
   * slack allowed in the second-order inequalities.
   * @defaultValue 1e-12
   */
  tol?: number;
}

/**
 * Which necessary conditions of Lemma D.1 a point of M satisfies.
 *
 * @since 0.1.0
 */
export interface MinimizerConditions {
  /** supp(w), ascending. */
  readonly support: number[];
  /** x₀ when x is constant (within `tol`) on supp(w), else `null`. */
  readonly supportValue: number | null;
  /**
   * First-order condition, the same for both problems: x|_{supp(w)} = x₀·1 (the Riemannian gradient of ‖w‖₂²
   * and of S vanishes; Lemma D.1 (i)–(ii)).
   */
  readonly firstOrder: boolean;
  /** Second-order condition for a local ℓ1 minimizer: xᵢ/x₀ ≤ 1 for every i ∉ supp(w) (with `firstOrder`). */
  readonly l1SecondOrder: boolean;
  /** Second-order condition for a local sharpness minimizer: xᵢ(xᵢ − x₀) ≥ 0 for every i ∉ supp(w) (with `firstOrder`). */
  readonly sharpnessSecondOrder: boolean;
}

/**
 * The necessary conditions of [Conflicting biases, Lemma D.1], for w to minimize ‖w^{⊙2}‖₁ or S(w) on M, for inputs x
 * of any signs (no zero entries).
 *
 * First order (both problems): x|_{supp(w)} = x₀·1 for some x₀. Second order (the Riemannian Hessian is positive
 * semidefinite on T_w M): for the ℓ1 norm, ⟨u, Hess u⟩ = Σ_{i∉supp} uᵢ²(1 − xᵢ/x₀) ≥ 0, i.e. xᵢ ≤ x₀ off the
 * support when y > 0 (x₀ = max xᵢ) and xᵢ ≥ x₀ when y < 0 (x₀ = min xᵢ); for the sharpness,
 * ⟨u, Hess u⟩ = Σ_{i∉supp} uᵢ² xᵢ(xᵢ − x₀) ≥ 0.
 *
 * @remarks
 * **Imprecision in the paper.** Lemma D.1 (i) states x₀ = maxᵢ |xᵢ|. The proof's own second-order form
 * ‖u‖² − ⟨u, (x/x₀) ⊙ u⟩ ≥ 0 gives xᵢ/x₀ ≤ 1 off the support, which for mixed signs is x₀ = max xᵢ (y > 0) or
 * min xᵢ (y < 0), not max|xᵢ| (e.g. x = (1, −3), y = 1: the ℓ1 minimizer is (1, 0), x₀ = 1 ≠ 3). For x > 0 the
 * two agree (Prop. 3.2). This function checks the form derived from the proof. Lemma D.1 (ii) gives only the
 * first-order condition for general signs; the second-order inequality above is the proof's expression
 * ⟨u, D_x² u⟩ − x₀⟨u, D_x u⟩ evaluated off the support (for x > 0 it forces x₀ = min xᵢ, as stated).
 * Two-layer network (L = 2), one data point; w is assumed to lie on M (see {@link manifoldResidual}). Cost O(d).
 * @param x - the input (finite, no zero entry).
 * @param y - the target (≠ 0; its sign decides which extreme x₀ the ℓ1 condition needs).
 * @param w - the point of M (same length as `x`).
 * @param options - `supportTol` and `tol`.
 * @returns the support, x₀ and the three conditions.
 * @throws EosLabError `E_BAD_OPTION` for a zero entry of x, y = 0, w = 0 or bad options (`supportTol` outside [0, 1), `tol` < 0); `E_DIM_MISMATCH`,
 *   `E_NONFINITE`, `E_EMPTY` for bad vectors.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * const c = diagonalNet.minimizerConditions([1, 4], 2, new Float64Array([0, Math.SQRT1_2]));
 * // c.firstOrder and c.l1SecondOrder are true, c.sharpnessSecondOrder is false
 * ```
 * @since 0.1.0
 */
export function minimizerConditions(
  x: ArrayLike<number>,
  y: number,
  w: ArrayLike<number>,
  options?: MinimizerConditionsOptions,
): MinimizerConditions {
  const fn = 'diagonalNet.minimizerConditions';
  const o = optionsObject(fn, options, optionKeys<MinimizerConditionsOptions>({ supportTol: true, tol: true }));
  const supportTol = o.supportTol === undefined ? 0 : nonNegativeFinite(fn, 'options.supportTol', o.supportTol);
  // supportTol ≥ 1 would leave the support empty and report every condition as met.
  if (!(supportTol < 1)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.supportTol', value: supportTol, expected: 'a number in [0, 1) (the largest |wᵢ| is always in the support)' });
  }
  const tol = o.tol === undefined ? 1e-12 : nonNegativeFinite(fn, 'options.tol', o.tol);
  const xv = readVector(fn, 'x', x);
  for (let i = 0; i < xv.length; i++) {
    if (xv[i] === 0) throw new EosLabError('E_BAD_OPTION', fn, { argument: `x[${i}]`, value: 0, expected: 'a nonzero number (Lemma D.1 assumes x has no zero entry)' });
  }
  const yv = finiteNumber(fn, 'y', y);
  if (yv === 0) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'y', value: 0, expected: 'a nonzero number' });
  const wv = readVector(fn, 'w', w, xv.length);
  let wMax = 0;
  let xMax = 0;
  for (let i = 0; i < wv.length; i++) {
    wMax = Math.max(wMax, Math.abs(wv[i]));
    xMax = Math.max(xMax, Math.abs(xv[i]));
  }
  if (wMax === 0) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'w', value: w, expected: 'a nonzero point (w = 0 is not on M for y ≠ 0)' });
  const support: number[] = [];
  for (let i = 0; i < wv.length; i++) if (Math.abs(wv[i]) > supportTol * wMax) support.push(i);
  const x0 = xv[support[0]];
  let constant = true;
  for (const i of support) if (Math.abs(xv[i] - x0) > tol * xMax) constant = false;
  let l1 = constant;
  let sharp = constant;
  if (constant) {
    const inSupport = new Set(support);
    for (let i = 0; i < xv.length; i++) {
      if (inSupport.has(i)) continue;
      if (xv[i] / x0 > 1 + tol) l1 = false; // 1 − xᵢ/x₀ ≥ 0
      if (xv[i] * (xv[i] - x0) < -tol * xMax * xMax) sharp = false; // xᵢ(xᵢ − x₀) ≥ 0
    }
  }
  return { support, supportValue: constant ? x0 : null, firstOrder: constant, l1SecondOrder: l1, sharpnessSecondOrder: sharp };
}

/**
 * The least ℓ1 norm on M under the sharpness bound: the point and value of
 * min ‖w^{⊙2}‖₁ = ‖w‖₂² s.t. ⟨x, w^{⊙2}⟩ = y, S(w) = 4‖x ⊙ w‖₂² ≤ 2/η ([Conflicting biases, App. H.13]: "the ℓ1-norm on the
 * solution manifold under the sharpness constraint 2/η, yielding the predicted line in Figure 15b").
 *
 * @remarks
 * In u = w^{⊙2} ≥ 0 the problem is the linear program min Σuᵢ s.t. xᵀu = y, Σ xᵢ²uᵢ ≤ 1/(2η), whose optimum is
 * attained at a vertex with at most two nonzero entries: the function enumerates the d one-point supports
 * (bound inactive) and the d(d−1)/2 pairs (bound active, a 2×2 solve) and keeps the feasible vertex of least
 * Σuᵢ, breaking ties by the lower index. Valid for x of any signs. For x > 0 and η ≤ 1/(2·y·x_max) the answer is
 * the ℓ1 minimizer (value y/x_max); it grows with η; for η > 1/(2·y·x_min) the feasible set is empty (every
 * point of M has S > 2/η) and the result is `null`. Two-layer network, one data point. Cost O(d²).
 * @param x - the input (finite).
 * @param y - the target (finite).
 * @param learningRate - η > 0 (the bound is S ≤ 2/η).
 * @returns `{ l1Norm, point, sharpness, active }` — the least ‖w‖₂², a nonnegative minimizer w = u^{⊙1/2}, its
 *   sharpness 4‖x⊙w‖², and whether the bound is active (S = 2/η to 1e-12) — or `null` when no point of M has
 *   S ≤ 2/η.
 * @throws EosLabError `E_BAD_OPTION` for η not finite > 0; `E_NONFINITE`/`E_EMPTY` for bad vectors.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * diagonalNet.constrainedL1Minimizer([1, 4], 2, 0.05)?.l1Norm; // 0.5 (= y/x_max: bound inactive, S = 32 ≤ 40)
 * diagonalNet.constrainedL1Minimizer([1, 4], 2, 0.1)?.l1Norm; // 1.25: on the curve S = 2/η = 20
 * ```
 * @since 0.1.0
 */
export function constrainedL1Minimizer(
  x: ArrayLike<number>,
  y: number,
  learningRate: number,
): { l1Norm: number; point: Float64Array; sharpness: number; active: boolean } | null {
  const fn = 'diagonalNet.constrainedL1Minimizer';
  const xv = readVector(fn, 'x', x);
  const yv = finiteNumber(fn, 'y', y);
  const eta = positiveFinite(fn, 'learningRate', learningRate);
  const d = xv.length;
  const cap = 1 / (2 * eta); // Σ xᵢ² uᵢ ≤ 1/(2η) ⇔ S ≤ 2/η
  const slack = 1e-12; // relative rounding allowance on the bound
  let best = Infinity;
  let bi = -1;
  let bj = -1;
  let bui = 0;
  let buj = 0;
  for (let i = 0; i < d; i++) {
    if (xv[i] === 0) continue;
    const ui = yv / xv[i];
    if (ui >= 0 && xv[i] * xv[i] * ui <= cap * (1 + slack) && ui < best) {
      best = ui;
      bi = i;
      bj = -1;
      bui = ui;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      // xᵢuᵢ + xⱼuⱼ = y, xᵢ²uᵢ + xⱼ²uⱼ = cap.
      const a = xv[i];
      const b = xv[j];
      const det = a * b * (b - a);
      if (det === 0) continue;
      const ui = (yv * b * b - cap * b) / det;
      const uj = (cap * a - yv * a * a) / det;
      if (ui >= 0 && uj >= 0 && ui + uj < best) {
        best = ui + uj;
        bi = i;
        bj = j;
        bui = ui;
        buj = uj;
      }
    }
  }
  if (bi < 0) return null;
  const point = new Float64Array(d);
  point[bi] = Math.sqrt(bui);
  if (bj >= 0) point[bj] = Math.sqrt(buj);
  let s = 0;
  for (let i = 0; i < d; i++) s += xv[i] * xv[i] * point[i] * point[i];
  // Active: the bound holds with equality (to rounding), whichever vertex attains the minimum.
  return { l1Norm: best, point, sharpness: 4 * s, active: s >= cap * (1 - slack) };
}
