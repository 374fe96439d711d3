/**
 * Closed-form facts about the depth-D scalar factorization L(w) = ½(c − ∏ᵢ wᵢ)² ([Scalar factorization]; docs/math.md §1 and §3's
 * "Related scalar-network facts"): product gap, sharpness on the minimizer manifold, imbalances and their GD
 * recurrence, the gradient-flow solution, and the GD stability limit.
 *
 * Notation: π = ∏ₖ wₖ, πᵢ = ∏_{k≠i} wₖ, πᵢⱼ = ∏_{k≠i,j} wₖ.
 *
 * @module
 */
import type { NdArray } from 'ndarray';
import { EosLabError } from '../../core/errors.js';
import { finiteVector, integerInRange, optionKeys, optionsObject, positiveFinite } from '../../core/validate.js';
import { zerosMatrix } from '../../linalg/matrix.js';
import { MAX_DEPTH, validateTarget } from './model.js';

/** Validates θ: a finite `Float64Array` whose length (the depth) is in [2, 64]. */
function validateTheta(fn: string, argument: string, theta: unknown): Float64Array {
  const w = finiteVector(fn, argument, theta);
  if (w.length < 2 || w.length > MAX_DEPTH) {
    throw new EosLabError('E_DIM_MISMATCH', fn, {
      argument: `${argument}.length`,
      value: w.length,
      expected: `a depth in [2, ${MAX_DEPTH}] (one entry per factor)`,
    });
  }
  return w;
}

/** π = ∏ wᵢ, left to right (the model's order). */
function product(w: Float64Array): number {
  let prod = 1;
  for (let i = 0; i < w.length; i++) prod *= w[i];
  return prod;
}

/** Σᵢ πᵢ² with πᵢ from prefix and suffix products (no division). Allocates two small arrays. */
function sumSquaredCofactors(w: Float64Array): number {
  const D = w.length;
  const S = new Float64Array(D + 1);
  S[D] = 1;
  for (let i = D - 1; i >= 0; i--) S[i] = w[i] * S[i + 1];
  let pre = 1;
  let sum = 0;
  for (let i = 0; i < D; i++) {
    const pii = pre * S[i + 1];
    sum += pii * pii;
    pre *= w[i];
  }
  return sum;
}

/**
 * Options of {@link productGap}.
 *
 * @since 0.1.0
 */
export interface ProductGapOptions {
  /**
   * The target c of L(w) = ½(c − ∏ᵢ wᵢ)² (finite, nonzero).
   * @defaultValue 1
   */
  target?: number;
}

/**
 * The product gap ∏ᵢ wᵢ − c: zero exactly on the minimizer manifold, and L(w) = ½·gap² ([Scalar factorization]: xy − 1).
 *
 * @remarks
 * The product is taken left to right, as the model's kernels do, so `0.5 * gap * gap` is the model's loss
 * bit for bit. Cost O(D), allocation-free.
 *
 * @param theta - the point w (not modified); its length is the depth D.
 * @param options - the target c.
 * @returns ∏ᵢ wᵢ − c.
 * @throws EosLabError `E_DIM_MISMATCH` for a length outside [2, 64]; `E_NONFINITE` for a non-finite entry or
 *   target; `E_BAD_OPTION` for a non-`Float64Array` θ or a target that is 0 or not a number.
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * scalarFactorization.productGap(new Float64Array([2, 3])); // 5
 * scalarFactorization.productGap(new Float64Array([1, 2, 3]), { target: 6 }); // 0
 * ```
 * @since 0.1.0
 */
export function productGap(theta: Float64Array, options?: ProductGapOptions): number {
  const fn = 'scalarFactorization.productGap';
  const w = validateTheta(fn, 'theta', theta);
  const o = optionsObject(fn, options, optionKeys<ProductGapOptions>({ target: true }));
  const c = validateTarget(fn, 'options.target', o.target ?? 1);
  return product(w) - c;
}

/**
 * The sharpness proxy s(w) = Σᵢ ∏_{j≠i} wⱼ² = ‖∇π(w)‖²: the one nonzero Hessian eigenvalue on the minimizer
 * manifold ∏ wᵢ = c ([Scalar factorization]: s(x, y) = x² + y²; docs/math.md §1, §3 for depth D).
 *
 * On the manifold ∇²L = ∇π∇πᵀ (the term (π − c)·∂²π vanishes), so its eigenvalues are 0 (multiplicity D − 1,
 * the tangent space) and ‖∇π‖² = Σᵢ πᵢ². Off the manifold s is only a proxy for the sharpness [Scalar factorization].
 *
 * @remarks
 * Independent of the target c. πᵢ is computed from prefix and suffix products (no division, exact for zero
 * coordinates); the sum runs over i left to right. Cost O(D); allocates one array of length D + 1.
 *
 * @param theta - the point w (not modified).
 * @returns Σᵢ πᵢ² ≥ 0.
 * @throws EosLabError `E_DIM_MISMATCH` for a length outside [2, 64]; `E_NONFINITE` for a non-finite entry;
 *   `E_BAD_OPTION` for a non-`Float64Array` θ.
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * scalarFactorization.minimizerSharpness(new Float64Array([1, 1])); // 2, the minimum on xy = 1
 * scalarFactorization.minimizerSharpness(new Float64Array([2, 0.5])); // 4.25
 * ```
 * @since 0.1.0
 */
export function minimizerSharpness(theta: Float64Array): number {
  const w = validateTheta('scalarFactorization.minimizerSharpness', 'theta', theta);
  return sumSquaredCofactors(w);
}

/**
 * The imbalance matrix M with Mᵢⱼ = wᵢ² − wⱼ² ([Scalar factorization]: M₀₁ = x² − y²). Gradient flow conserves every entry
 * (docs/math.md §1: d/dt wᵢ² = 2(c − π)π is the same for all i); GD multiplies Mᵢⱼ by
 * {@link gdImbalanceFactor} at each step.
 *
 * @remarks
 * Shape: a dense D×D row-major `NdArray`, antisymmetric with zero diagonal, so any pair (i, j) is read as
 * `M.get(i, j)`; the D − 1 consecutive differences M.get(i, i + 1) determine all the others. Each entry is computed
 * as (wᵢ − wⱼ)(wᵢ + wⱼ), which is accurate to 3 roundings relative to |wᵢ² − wⱼ²| even under cancellation (the
 * naive wᵢ·wᵢ − wⱼ·wⱼ is not), and exactly antisymmetric. Cost O(D²); allocates the result.
 *
 * @param theta - the point w (not modified).
 * @returns the D×D matrix of wᵢ² − wⱼ².
 * @throws EosLabError `E_DIM_MISMATCH` for a length outside [2, 64]; `E_NONFINITE` for a non-finite entry;
 *   `E_BAD_OPTION` for a non-`Float64Array` θ.
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * const M = scalarFactorization.imbalances(new Float64Array([3, 1, 2]));
 * M.get(0, 1); // 8 = 3² − 1²
 * M.get(2, 0); // −5 = 2² − 3²
 * ```
 * @since 0.1.0
 */
export function imbalances(theta: Float64Array): NdArray<Float64Array> {
  const w = validateTheta('scalarFactorization.imbalances', 'theta', theta);
  const D = w.length;
  const m = zerosMatrix(D, D);
  const a = m.data;
  for (let i = 0; i < D; i++) {
    for (let j = i + 1; j < D; j++) {
      const d = (w[i] - w[j]) * (w[i] + w[j]);
      a[i * D + j] = d;
      a[j * D + i] = -d;
    }
  }
  return m;
}

/**
 * Options of {@link gdImbalanceFactor}.
 *
 * @since 0.1.0
 */
export interface GdImbalanceFactorOptions {
  /**
   * The target c of L(w) = ½(c − ∏ᵢ wᵢ)² (finite, nonzero).
   * @defaultValue 1
   */
  target?: number;
}

/**
 * The factor by which one GD step θ' = θ − η∇L(θ) multiplies the imbalance wᵢ² − wⱼ²:
 * wᵢ'² − wⱼ'² = (wᵢ² − wⱼ²)·(1 − η²(π − c)²πᵢⱼ²), with πᵢⱼ = ∏_{k≠i,j} wₖ
 * (docs/math.md §3, Kreisler et al. 2023; at depth 2 and c = 1 it is [Scalar factorization]'s 1 − η²(xy − 1)²).
 *
 * Derivation: wᵢ' = wᵢ − η(π − c)πᵢ and wᵢπᵢ = π, so wᵢ'² = wᵢ² − 2η(π − c)π + η²(π − c)²πᵢ²; the middle
 * term is the same for all i, and πᵢ² − πⱼ² = πᵢⱼ²(wⱼ² − wᵢ²).
 *
 * @remarks
 * docs/math.md §3 writes the factor as 1 − η²(π − c)²π²/(wᵢ²wⱼ²); since π = wᵢwⱼπᵢⱼ that is the same number
 * where wᵢwⱼ ≠ 0, and the division-free form used here is also correct when wᵢ or wⱼ is 0. The factor is < 1 for
 * any step off the manifold with πᵢⱼ ≠ 0 (GD shrinks |wᵢ² − wⱼ²| while 1 − factor ≤ 2 — the drift toward balance of
 * [Scalar factorization]), and 1 on the manifold. Computed as `1 - t * t` with `t = eta * (pi - c) * pij`. Cost O(D),
 * allocation-free.
 *
 * @param theta - the point w before the step (not modified).
 * @param learningRate - η > 0.
 * @param i - first coordinate index, an integer in [0, D).
 * @param j - second coordinate index, an integer in [0, D), j ≠ i.
 * @param options - the target c.
 * @returns 1 − η²(π − c)²πᵢⱼ².
 * @throws EosLabError `E_DIM_MISMATCH` for a length outside [2, 64]; `E_NONFINITE` for a non-finite entry or
 *   target; `E_BAD_OPTION` for a learning rate that is not > 0, indices out of range or equal, or a
 *   bad target.
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * scalarFactorization.gdImbalanceFactor(new Float64Array([2, 1]), 0.1, 0, 1); // 1 − 0.01·(2 − 1)² = 0.99
 * ```
 * @since 0.1.0
 */
export function gdImbalanceFactor(
  theta: Float64Array,
  learningRate: number,
  i: number,
  j: number,
  options?: GdImbalanceFactorOptions,
): number {
  const fn = 'scalarFactorization.gdImbalanceFactor';
  const w = validateTheta(fn, 'theta', theta);
  const eta = positiveFinite(fn, 'learningRate', learningRate);
  const D = w.length;
  integerInRange(fn, 'i', i, 0, D - 1);
  integerInRange(fn, 'j', j, 0, D - 1);
  if (i === j) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'j', value: j, expected: `an index different from i = ${i}` });
  }
  const o = optionsObject(fn, options, optionKeys<GdImbalanceFactorOptions>({ target: true }));
  const c = validateTarget(fn, 'options.target', o.target ?? 1);
  let pij = 1;
  for (let k = 0; k < D; k++) if (k !== i && k !== j) pij *= w[k];
  const t = eta * (product(w) - c) * pij; // η(π − c)πᵢⱼ
  return 1 - t * t;
}

/**
 * Options of {@link gradientFlowSolution}.
 *
 * @since 0.1.0
 */
export interface GradientFlowSolutionOptions {
  /**
   * The target c of L(w) = ½(c − ∏ᵢ wᵢ)² (finite, nonzero).
   * @defaultValue 1
   */
  target?: number;
}

/**
 * Where gradient flow from θ₀ ends.
 *
 * @since 0.1.0
 */
export interface GradientFlowSolution {
  /** The limit w∞ = lim_{t→∞} w(t) of gradient flow (a new array). */
  readonly theta: Float64Array;
  /**
   * λ_max(∇²L(w∞)): on the manifold, Σᵢ ∏_{j≠i} w∞ⱼ² (= √(δ² + 4c²) at depth 2); at a non-minimizing limit,
   * the largest Hessian eigenvalue there (|c|·∏ of the other |w∞ₖ| when exactly two coordinates vanish, 0 when more do).
   */
  readonly sharpness: number;
  /** Whether w∞ is a minimizer (∏ w∞ᵢ = c); false when the flow ends at a saddle-type critical point. */
  readonly reachesMinimizer: boolean;
}

/** The smallest positive normal double, 2⁻¹⁰²². */
const MIN_NORMAL = 2 ** -1022;

/** Sign in {−1, 0, 1}. */
function sign(v: number): number {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/**
 * The gradient-flow solution (GFS): the limit of w'(t) = −∇L(w(t)) from w(0) = θ₀, found from the conserved
 * imbalances without integrating (docs/math.md §1 for depth 2, §3 for depth D; [Scalar factorization, "details"]).
 *
 * Along GF, d/dt wᵢ² = 2(c − π)π for every i, so the differences δᵢ = wᵢ² − wₘ² are conserved, and the product
 * obeys π' = (c − π)·Σᵢ πᵢ²: it moves monotonically toward c while at most one coordinate is zero.
 * - Depth 2 (closed form): with δ = x₀² − y₀², the limit on xy = c has max(x², y²) = (|δ| + √(δ² + 4c²))/2, the other
 *   square c²/max(x², y²), and sharpness s_GFS = x² + y² = √(δ² + 4c²).
 * - Depth D: with m a coordinate of least |w₀ₘ| and δᵢ = w₀ᵢ² − w₀ₘ² ≥ 0, the limit solves ∏ᵢ (u + δᵢ) = c² for
 *   u = wₘ² (a unique root: the left side increases from 0 to ∞); wᵢ² = u + δᵢ.
 *
 * Signs (which branch of the manifold): only the coordinates of least magnitude can ever vanish (the others have
 * wᵢ² = wₘ² + δᵢ > 0).
 * 1. If sign(∏ w₀ᵢ) = sign(c), π stays between π₀ and c and never vanishes: every sign is kept.
 * 2. Otherwise π must cross 0 on its way to c. If the least |w₀ᵢ| is attained by one coordinate m only, that
 *    coordinate crosses zero (it is the only factor that can vanish, and there π' = c·πₘ² ≠ 0, so it passes through):
 *    it ends with the sign that makes ∏ w∞ᵢ have the sign of c, all others keep theirs. At depth 2 this is docs/math.md
 *    §1's rule: if δ > 0, sign(x∞) = sign(x₀); if δ < 0, sign(y∞) = sign(y₀).
 * 3. Otherwise k ≥ 2 coordinates share the least magnitude r(t) and would have to vanish together; where they do,
 *    ∇L = 0 (every πᵢ contains a zero factor), a critical point that GF approaches but cannot cross. Then π increases
 *    to 0 (not c), r → 0, and GF converges to the critical point with those k coordinates 0 and the others
 *    sign(w₀ᵢ)·√δᵢ: `reachesMinimizer` is false. At depth 2 this is the start on the line x = −y (δ = 0, xy < 0 for
 *    c > 0; x = y for c < 0), which goes to the saddle (0, 0), and the start (0, 0) itself. Such starts have
 *    measure zero.
 *
 * @remarks
 * `sharpness` is λ_max(∇²L(w∞)) in every case (on the manifold ∇²L = ∇π∇πᵀ ⪰ 0, so λ_max = max|λ| there; at the
 * saddle (0, 0) of [Scalar factorization] it is 1, with eigenvalues ±1). Depth 2 is the closed form above. Depth ≥ 3 solves
 * Σᵢ log(e^v + δᵢ) = 2 log|c| for v = log u by Newton's method: the left side is convex and increasing with slope in
 * [1, D], and the start v₀ = (2/D)·log|c| lies right of the root, so the iterates decrease monotonically to it
 * (typically ≤ 10 iterations; the result is accurate to a few ulps times D relative). The limit is reached only
 * as t → ∞. Cost O(D) per Newton iteration; allocates the result.
 *
 * @param theta0 - the start w(0) (not modified).
 * @param options - the target c.
 * @returns the limit point, its sharpness and whether it minimizes L.
 * @throws EosLabError `E_DIM_MISMATCH` for a length outside [2, 64]; `E_NONFINITE` for a non-finite entry or
 *   target; `E_BAD_OPTION` for a non-`Float64Array` θ₀ or a bad target.
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * const gfs = scalarFactorization.gradientFlowSolution(new Float64Array([2, 0.1]));
 * // δ = 3.99: x∞² = (3.99 + √(3.99² + 4))/2, y∞ = 1/x∞, gfs.sharpness = √(3.99² + 4) ≈ 4.463
 * ```
 * @see {@link imbalances}, {@link minimizerSharpness}
 * @since 0.1.0
 */
export function gradientFlowSolution(theta0: Float64Array, options?: GradientFlowSolutionOptions): GradientFlowSolution {
  const fn = 'scalarFactorization.gradientFlowSolution';
  const w = validateTheta(fn, 'theta0', theta0);
  const o = optionsObject(fn, options, optionKeys<GradientFlowSolutionOptions>({ target: true }));
  const c = validateTarget(fn, 'options.target', o.target ?? 1);
  return w.length === 2 ? gfsDepth2(w[0], w[1], c) : gfsByRootSolve(w, c);
}

function gfsDepth2(x0: number, y0: number, c: number): GradientFlowSolution {
  const ax = Math.abs(x0);
  const ay = Math.abs(y0);
  const keepSigns = sign(x0) * sign(y0) === sign(c);
  if (!keepSigns && ax === ay) {
    // Case 3: x₀ = ±y₀ on the wrong branch (or the origin): GF goes to the saddle (0, 0), eigenvalues ±|c|.
    return { theta: new Float64Array([0, 0]), sharpness: Math.abs(c), reachesMinimizer: false };
  }
  // Scale by a power of 2 (exact) when squares could overflow: with σ = 2^(500 − ⌊log₂ M⌋), M = max(|x₀|, |y₀|, √|c|),
  // the scaled δ' = σ²δ and c' = σ²c stay below 2¹⁰⁰³; the results are unscaled by 1/σ (exact unless they overflow).
  const M = Math.max(ax, ay, Math.sqrt(Math.abs(c)));
  const sigma = M >= 2 ** 500 ? 2 ** (500 - Math.floor(Math.log2(M))) : 1;
  const xs = x0 * sigma;
  const ys = y0 * sigma;
  const cs = c * sigma * sigma;
  const delta = (xs - ys) * (xs + ys); // σ²(x₀² − y₀²), accurate under cancellation
  const hyp = Math.hypot(delta, 2 * cs); // σ²√(δ² + 4c²)
  const s = hyp / (sigma * sigma); // √(δ² + 4c²) = x∞² + y∞² (Infinity only when the answer itself overflows)
  const big = (Math.abs(delta) + hyp) / 2; // σ² times the larger of x∞², y∞²
  const bigRoot = Math.sqrt(big) / sigma;
  // The smaller: c²/big (x∞² y∞² = c²), stable when |δ| ≫ |c|; when scaled, |c|/bigRoot (c² could overflow).
  const smallRoot = sigma === 1 ? Math.sqrt(Math.abs(c) * (Math.abs(c) / big)) : Math.abs(c) / bigRoot;
  const xMag = delta >= 0 ? bigRoot : smallRoot;
  const yMag = delta >= 0 ? smallRoot : bigRoot;
  let sx = sign(x0);
  let sy = sign(y0);
  if (!keepSigns) {
    // Case 2: the coordinate of smaller magnitude crosses zero.
    if (ax > ay) sy = sign(c) * sx;
    else sx = sign(c) * sy;
  }
  return { theta: new Float64Array([sx * xMag, sy * yMag]), sharpness: s, reachesMinimizer: true };
}

/**
 * @internal The general-depth GFS by the 1-d root solve (valid at every depth ≥ 2; exported for tests that
 * compare it with the depth-2 closed form). Inputs are assumed validated.
 */
export function gfsByRootSolve(w: Float64Array, c: number): GradientFlowSolution {
  const D = w.length;
  let m = 0;
  for (let i = 1; i < D; i++) if (Math.abs(w[i]) < Math.abs(w[m])) m = i;
  const am = Math.abs(w[m]);
  let ties = 0;
  let productSign = 1;
  for (let i = 0; i < D; i++) {
    if (Math.abs(w[i]) === am) ties++;
    productSign *= sign(w[i]);
  }
  // Work with σwᵢ, σ = 2^(500 − ⌊log₂ max|wᵢ|⌋) a power of 2 when squares could overflow (else 1): δ and u below are
  // σ² times the true ones, the equation's right side gains σ^{2D}, and magnitudes are unscaled by 1/σ at the end.
  let maxAbs = 0;
  for (let i = 0; i < D; i++) maxAbs = Math.max(maxAbs, Math.abs(w[i]));
  const sigma = maxAbs >= 2 ** 500 ? 2 ** (500 - Math.floor(Math.log2(maxAbs))) : 1;
  const ams = am * sigma;
  const delta = new Float64Array(D); // σ²(wᵢ² − wₘ²) ≥ 0, accurate under cancellation
  for (let i = 0; i < D; i++) {
    const ai = Math.abs(w[i]) * sigma;
    delta[i] = (ai - ams) * (ai + ams);
  }
  const theta = new Float64Array(D);
  const keepSigns = productSign === sign(c);

  if (!keepSigns && ties >= 2) {
    // Case 3: the tied coordinates tend to 0 together; the others keep sign(w₀ᵢ)·√δᵢ.
    let rest = 1;
    for (let i = 0; i < D; i++) {
      if (Math.abs(w[i]) === am) continue;
      const ai = Math.abs(w[i]) * sigma;
      // √δᵢ; where δᵢ would be subnormal, as √(aᵢ − aₘ)·√(aᵢ + aₘ) to avoid the underflow of the square.
      theta[i] = (sign(w[i]) * (delta[i] >= MIN_NORMAL ? Math.sqrt(delta[i]) : Math.sqrt(ai - ams) * Math.sqrt(ai + ams))) / sigma;
      rest *= Math.abs(theta[i]);
    }
    // Hessian at the limit: only H_ab = −c·π_ab for the tied pair (a, b) when k = 2 → λ_max = |c|·∏rest; 0 if k ≥ 3.
    return { theta, sharpness: ties === 2 ? Math.abs(c) * rest : 0, reachesMinimizer: false };
  }

  // Solve g(v) = Σᵢ log(e^v + δᵢ) − 2 log|c| = 0 (v = log wₘ²): convex, g' ∈ [1, D], start right of the root.
  const logC2 = 2 * Math.log(Math.abs(c)) + (sigma === 1 ? 0 : 2 * D * Math.log(sigma)); // log(σ^{2D} c²)
  let v = logC2 / D;
  for (let iter = 0; iter < 200; iter++) {
    const u = Math.exp(v);
    let g = -logC2;
    let dg = 0;
    for (let i = 0; i < D; i++) {
      if (delta[i] === 0) {
        g += v;
        dg += 1;
      } else {
        g += Math.log(u + delta[i]);
        dg += u / (u + delta[i]);
      }
    }
    const step = g / dg;
    if (!(step > 0)) break; // monotone decrease has stopped: converged to rounding
    const next = v - step;
    if (!(next < v)) break;
    v = next;
    if (step <= 2 * Number.EPSILON * Math.max(1, Math.abs(v))) break;
  }
  const u = Math.exp(v);
  for (let i = 0; i < D; i++) {
    const magnitude = (delta[i] === 0 ? Math.exp(v / 2) : Math.sqrt(u + delta[i])) / sigma; // |w∞ᵢ| = √(u + δᵢ)
    theta[i] = sign(w[i]) * magnitude;
  }
  if (!keepSigns) {
    // Case 2: the unique coordinate of least magnitude m (possibly 0 at the start) crosses zero; give it the sign
    // that makes sign(π∞) = sign(c).
    let others = 1;
    for (let i = 0; i < D; i++) if (i !== m) others *= sign(w[i]);
    theta[m] = (sign(c) * others * Math.exp(v / 2)) / sigma;
  }
  return { theta, sharpness: sumSquaredCofactors(theta), reachesMinimizer: true };
}

/**
 * The GD stability limit 2/s(w) with s = {@link minimizerSharpness}: at a minimizer w, GD with learning rate η
 * can be stable (converge to w) only if η·s(w) ≤ 2 ([Scalar factorization]; docs/math.md §0–1). [Scalar factorization]: on xy = 1, s ≥ 2, so no
 * minimizer is stable for η > 1, and 2/(x² + y²) is the largest stable η at (x, y).
 *
 * @remarks
 * Meaningful at (or near) a minimizer, where s is the top Hessian eigenvalue. Returns `Infinity` when s = 0
 * (two or more zero coordinates, a critical point off the manifold). Cost O(D).
 *
 * @param theta - the point w (not modified), typically on the manifold ∏ wᵢ = c.
 * @returns 2/s(w).
 * @throws EosLabError `E_DIM_MISMATCH` for a length outside [2, 64]; `E_NONFINITE` for a non-finite entry;
 *   `E_BAD_OPTION` for a non-`Float64Array` θ.
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * scalarFactorization.stabilityLimit(new Float64Array([1, 1])); // 1
 * scalarFactorization.stabilityLimit(new Float64Array([2, 0.5])); // 2/4.25
 * ```
 * @since 0.1.0
 */
export function stabilityLimit(theta: Float64Array): number {
  const w = validateTheta('scalarFactorization.stabilityLimit', 'theta', theta);
  return 2 / sumSquaredCofactors(w);
}
