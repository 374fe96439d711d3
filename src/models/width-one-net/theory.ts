/**
 * Closed-form facts about the population width-one net L(α, β₁, β₂) = ½λ₁α²β₁² + ½λ₂(αβ₂ − 1)² ([Minimalist EoS];
 * docs/math.md §3): its two loss terms, the layer balance conserved by gradient flow, the gradient-flow solution and its
 * sharpness, and the Hessian eigenvalues at a minimizer.
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { finiteNumber, finiteVector, optionKeys, optionsObject } from '../../core/validate.js';
import { resolveVariances } from './model.js';

/** Validates θ = (α, β₁, β₂): a finite `Float64Array` of length 3. @internal */
export function validateTheta(fn: string, argument: string, theta: unknown): Float64Array {
  return finiteVector(fn, argument, theta, 3);
}

/**
 * Options of {@link oscillatoryLoss}.
 *
 * @since 0.1.0
 */
export interface OscillatoryLossOptions {
  /**
   * λ₁ > 0, the variance of the irrelevant feature x₁.
   * @defaultValue 1
   */
  varianceIrrelevant?: number;
  /**
   * λ₂ > 0. The oscillatory term does not depend on it; it is accepted (and validated) so that the options of
   * `widthOneNet.create` can be passed unchanged.
   * @defaultValue 0.001
   * @since 0.2.0
   */
  varianceRelevant?: number;
}

/**
 * The oscillatory term ½λ₁α²β₁² of the population loss ([Minimalist EoS, Sec. 4.2, eq. (4.2)]; docs/math.md §3): the error due to
 * the irrelevant feature x₁. It carries the loss spikes of the edge of stability, since β₁ is the coordinate that
 * oscillates (Lemma 4.2 (ii)).
 *
 * @remarks
 * Computed as `0.5 * (u * (λ₁ * u))` with `u = α * β₁`, the model kernel's order, so
 * `oscillatoryLoss(θ) + convergenceLoss(θ) === model.loss(θ)` bit for bit for the population model with the same
 * variances. Cost O(1), allocation-free. `theta` is not modified.
 *
 * @param theta - θ = (α, β₁, β₂).
 * @param options - λ₁.
 * @returns ½λ₁α²β₁² ≥ 0.
 * @throws EosLabError `E_DIM_MISMATCH` if θ does not have length 3; `E_NONFINITE` for a non-finite entry;
 *   `E_BAD_OPTION` for a non-`Float64Array` θ or a variance that is not > 0.
 * @example
 * ```ts
 * import { widthOneNet } from 'eos-lab';
 * widthOneNet.oscillatoryLoss(new Float64Array([2, 0.5, 1]), { varianceIrrelevant: 4 }); // ½·4·4·0.25 = 2
 * ```
 * @since 0.1.0
 */
export function oscillatoryLoss(theta: Float64Array, options?: OscillatoryLossOptions): number {
  const fn = 'widthOneNet.oscillatoryLoss';
  const t = validateTheta(fn, 'theta', theta);
  const { lambda1 } = resolveVariances(fn, optionsObject(fn, options, optionKeys<OscillatoryLossOptions>({ varianceIrrelevant: true, varianceRelevant: true })));
  const u = t[0] * t[1];
  return 0.5 * (u * (lambda1 * u));
}

/**
 * Options of {@link convergenceLoss}.
 *
 * @since 0.1.0
 */
export interface ConvergenceLossOptions {
  /**
   * λ₁ > 0. The convergence term does not depend on it; it is accepted (and validated) so that the options of
   * `widthOneNet.create` can be passed unchanged.
   * @defaultValue 1
   * @since 0.2.0
   */
  varianceIrrelevant?: number;
  /**
   * λ₂ > 0, the variance of the relevant feature x₂.
   * @defaultValue 0.001
   */
  varianceRelevant?: number;
}

/**
 * The convergence term ½λ₂(αβ₂ − 1)² of the population loss ([Minimalist EoS, Sec. 4.2, eq. (4.2)]; docs/math.md §3): the error in
 * fitting the relevant feature. Along GD at the edge of stability it decays at a linear rate that does not depend on
 * η ([Minimalist EoS, Thm 4.6]): with λ₁α² ≈ 2/η, one step multiplies αβ₂ − 1 by about 1 − ηλ₂α² ≈ 1 − 2λ₂/λ₁.
 *
 * @remarks
 * Computed as `0.5 * (v * (λ₂ * v))` with `v = α * β₂ - 1`, the model kernel's order (see {@link oscillatoryLoss}).
 * Cost O(1), allocation-free. `theta` is not modified.
 *
 * @param theta - θ = (α, β₁, β₂).
 * @param options - λ₂.
 * @returns ½λ₂(αβ₂ − 1)² ≥ 0.
 * @throws EosLabError `E_DIM_MISMATCH` if θ does not have length 3; `E_NONFINITE` for a non-finite entry;
 *   `E_BAD_OPTION` for a non-`Float64Array` θ or a variance that is not > 0.
 * @example
 * ```ts
 * import { widthOneNet } from 'eos-lab';
 * widthOneNet.convergenceLoss(new Float64Array([2, 0.5, 1]), { varianceRelevant: 0.5 }); // ½·0.5·(2 − 1)² = 0.25
 * ```
 * @since 0.1.0
 */
export function convergenceLoss(theta: Float64Array, options?: ConvergenceLossOptions): number {
  const fn = 'widthOneNet.convergenceLoss';
  const t = validateTheta(fn, 'theta', theta);
  const { lambda2 } = resolveVariances(fn, optionsObject(fn, options, optionKeys<ConvergenceLossOptions>({ varianceIrrelevant: true, varianceRelevant: true })));
  const v = t[0] * t[2] - 1;
  return 0.5 * (v * (lambda2 * v));
}

/**
 * The layer balance c = α² − β₁² − β₂² (the squared norm of the second layer minus that of the first), which gradient
 * flow conserves (Du et al. 2018; [Minimalist EoS, eqs. (E.1)–(E.2)]; docs/math.md §3): d/dt α² = −2α∂_αL = −2(λ₁α²β₁² +
 * λ₂αβ₂(αβ₂ − 1)) = d/dt (β₁² + β₂²).
 *
 * @remarks
 * GD does not conserve it: one step changes it by exactly η²((∂_αL)² − (∂_{β₁}L)² − (∂_{β₂}L)²) (the first-order terms
 * cancel as in the flow). It determines the gradient-flow solution ({@link gradientFlowSolution}). Computed as
 * `α*α - β₁*β₁ - β₂*β₂`. Cost O(1). Independent of λ₁, λ₂, and valid for the empirical model as well (the balance is
 * conserved by the flow of any loss of the form g(αβ₁, αβ₂)).
 *
 * @param theta - θ = (α, β₁, β₂) (not modified).
 * @returns α² − β₁² − β₂².
 * @throws EosLabError `E_DIM_MISMATCH` if θ does not have length 3; `E_NONFINITE` for a non-finite entry;
 *   `E_BAD_OPTION` for a non-`Float64Array` θ.
 * @example
 * ```ts
 * import { widthOneNet } from 'eos-lab';
 * widthOneNet.balance(new Float64Array([2, 1, 0.5])); // 4 − 1 − 0.25 = 2.75
 * ```
 * @since 0.1.0
 */
export function balance(theta: Float64Array): number {
  const t = validateTheta('widthOneNet.balance', 'theta', theta);
  return t[0] * t[0] - t[1] * t[1] - t[2] * t[2];
}

/**
 * Options of {@link gradientFlowSolution}.
 *
 * @since 0.1.0
 */
export interface GradientFlowSolutionOptions {
  /**
   * λ₁ > 0, the variance of the irrelevant feature (enters the sharpness only).
   * @defaultValue 1
   */
  varianceIrrelevant?: number;
  /**
   * λ₂ > 0, the variance of the relevant feature (enters the sharpness only).
   * @defaultValue 0.001
   */
  varianceRelevant?: number;
}

/**
 * Where gradient flow from θ₀ ends, by {@link gradientFlowSolution}.
 *
 * @since 0.1.0
 */
export interface GradientFlowSolution {
  /** The conserved balance c = α₀² − β₁₀² − β₂₀². */
  readonly balance: number;
  /** α∞²: (c + √(c² + 4))/2 when the flow reaches a minimizer; 0 when it ends at a critical point with α = 0. */
  readonly alphaSquared: number;
  /**
   * The limit θ∞ (a new array) when closed form determines it: always its magnitudes, and the sign of α∞ (= sign of
   * β₂∞) when c > 0 (sign(α₀), α never vanishes) or β₁₀ = 0 (sign(α₀ + β₂₀), which the flow keeps); `null` when c ≤ 0
   * and β₁₀ ≠ 0, where α may cross zero and the sign is not determined in closed form (`alphaSquared` and `sharpness`
   * are: they do not depend on it).
   */
  readonly theta: Float64Array | null;
  /**
   * λ_max(∇²L(θ∞)): max{λ₁α∞², λ₂√(c² + 4)} at a minimizer (docs/math.md §3); at the critical line α = β₂ = 0, the largest
   * eigenvalue (λ₁b² + √(λ₁²b⁴ + 4λ₂²))/2 of the Hessian there (b = β₁₀; λ₂ at the origin).
   */
  readonly sharpness: number;
  /**
   * False when θ₀ lies on the critical line {α = β₂ = 0} (the flow does not move), or when β₁₀ = 0 and α₀ = −β₂₀ (the
   * flow goes to the saddle at the origin); true otherwise. (For c ≤ 0 and β₁₀ ≠ 0 a measure-zero surface of starts —
   * the stable set of the critical line — also ends at a saddle; it is not recognized in closed form.)
   */
  readonly reachesMinimizer: boolean;
}

/**
 * The gradient-flow solution (GFS) of the population width-one net: the limit θ∞ of θ'(t) = −∇L(θ(t)) from θ₀, found
 * from the conserved balance c = α² − β₁² − β₂² without integrating ([Minimalist EoS, Sec. 5.1, Lemma 5.1]; docs/math.md §3):
 *
 *   β₁∞ = 0,  α∞² = (c + √(c² + 4))/2,  β₂∞ = 1/α∞,  GFS sharpness = max{λ₁α∞², λ₂√(c² + 4)}.
 *
 * At the minimizer the Hessian eigenvalues are λ₁α∞², λ₂(α∞² + α∞⁻²) and 0 ({@link minimizerEigenvalues}); since
 * α∞² − α∞⁻² = c there, (α∞² + α∞⁻²)² = c² + 4, so λ₂(α∞² + α∞⁻²) = λ₂√(c² + 4): docs/math.md's form is that eigenvalue.
 *
 * @remarks
 * Why: the flow keeps c; β₁ decays (β₁' = −λ₁α²β₁) while α stays away from 0; the limit is a critical point with
 * β₁ = 0 and αβ₂ = 1, so α∞² − α∞⁻² = c, whose positive root is α∞² above. When c > 0, α² ≥ c > 0 along the flow, so
 * sign(α∞) = sign(α₀). When β₁₀ = 0, β₁ stays 0 and the flow is that of ½λ₂(αβ₂ − 1)² in (α, β₂), which keeps the sign
 * of α + β₂ ((α + β₂)' = −λ₂(αβ₂ − 1)(α + β₂)); from α₀ = −β₂₀ it ends at the saddle (0, 0, 0). The points α = β₂ = 0
 * are critical (∇L = 0), a line of saddles. In all other cases with c ≤ 0 the sign of α∞ is returned as unknown
 * (`theta: null`).
 *
 * α∞² is evaluated without cancellation: (c + h)/2 for c ≥ 0 and 2/(h − c) for c < 0, with h = √(c² + 4) = `Math.hypot(c, 2)`
 * (so a few ulps relative). The limit is reached only as t → ∞. Cost O(1); allocates the result.
 *
 * [Minimalist EoS]'s GD analysis evaluates this at every GD iterate: GD decreases the GFS sharpness (Thm 5.2; Kreisler et al.
 * 2023 for scalar networks), which here is the same as decreasing c, since α∞² increases with c.
 *
 * @param theta0 - the start θ₀ = (α₀, β₁₀, β₂₀) (not modified).
 * @param options - λ₁ and λ₂ (they enter the sharpness only).
 * @returns the balance, α∞², the limit (when its sign is determined), its sharpness and whether it is a minimizer.
 * @throws EosLabError `E_DIM_MISMATCH` if θ₀ does not have length 3; `E_NONFINITE` for a non-finite entry;
 *   `E_BAD_OPTION` for a non-`Float64Array` θ₀ or a variance that is not > 0.
 * @example
 * ```ts
 * import { widthOneNet } from 'eos-lab';
 * const gfs = widthOneNet.gradientFlowSolution(new Float64Array([1.5, 0.1, 0]), { varianceIrrelevant: 1 });
 * // c = 2.24, α∞² = (2.24 + √(2.24² + 4))/2 ≈ 2.62, θ∞ ≈ (1.62, 0, 0.618), sharpness = λ₁α∞² ≈ 2.62
 * ```
 * @see {@link balance}, {@link minimizerEigenvalues}
 * @since 0.1.0
 */
export function gradientFlowSolution(theta0: Float64Array, options?: GradientFlowSolutionOptions): GradientFlowSolution {
  const fn = 'widthOneNet.gradientFlowSolution';
  const t = validateTheta(fn, 'theta0', theta0);
  const { lambda1, lambda2 } = resolveVariances(fn, optionsObject(fn, options, optionKeys<GradientFlowSolutionOptions>({ varianceIrrelevant: true, varianceRelevant: true })));
  const a0 = t[0];
  const b10 = t[1];
  const b20 = t[2];
  const c = a0 * a0 - b10 * b10 - b20 * b20;

  if (a0 === 0 && b20 === 0) {
    // On the critical line: ∇L = 0, the flow stays. Hessian [[λ₁b², 0, −λ₂], [0, 0, 0], [−λ₂, 0, 0]].
    const p = lambda1 * (b10 * b10);
    return { balance: c, alphaSquared: 0, theta: Float64Array.from(t), sharpness: (p + Math.hypot(p, 2 * lambda2)) / 2, reachesMinimizer: false };
  }
  if (b10 === 0 && a0 === -b20) {
    // β₁ = 0 and α + β₂ = 0: the flow keeps α + β₂ = 0 and ends at the saddle (0, 0, 0), Hessian eigenvalues ±λ₂, 0.
    return { balance: c, alphaSquared: 0, theta: new Float64Array(3), sharpness: lambda2, reachesMinimizer: false };
  }

  const h = Math.hypot(c, 2); // √(c² + 4) = α∞² + α∞⁻²
  const alphaSquared = c >= 0 ? (c + h) / 2 : 2 / (h - c);
  const sharpness = Math.max(lambda1 * alphaSquared, lambda2 * h);
  let sign = 0;
  if (c > 0) sign = a0 > 0 ? 1 : -1;
  else if (b10 === 0) sign = a0 + b20 > 0 ? 1 : -1;
  let theta: Float64Array | null = null;
  if (sign !== 0) {
    const alpha = Math.sqrt(alphaSquared);
    theta = new Float64Array([sign * alpha, 0, sign / alpha]);
  }
  return { balance: c, alphaSquared, theta, sharpness, reachesMinimizer: true };
}

/**
 * Options of {@link minimizerEigenvalues}.
 *
 * @since 0.1.0
 */
export interface MinimizerEigenvaluesOptions {
  /**
   * λ₁ > 0, the variance of the irrelevant feature.
   * @defaultValue 1
   */
  varianceIrrelevant?: number;
  /**
   * λ₂ > 0, the variance of the relevant feature.
   * @defaultValue 0.001
   */
  varianceRelevant?: number;
}

/**
 * The Hessian eigenvalues at a minimizer, by {@link minimizerEigenvalues}, named by their eigenvectors.
 *
 * @since 0.1.0
 */
export interface MinimizerEigenvalues {
  /** λ₁α², eigenvector e_β₁ (the oscillating direction; the sharpness at the edge of stability). */
  readonly oscillatory: number;
  /** λ₂(α² + α⁻²), eigenvector ∝ (α⁻¹, 0, α), the normal of the curve αβ₂ = 1 in the (α, β₂) plane. */
  readonly convergence: number;
  /** 0, eigenvector ∝ (α, 0, −α⁻¹), tangent to the minimizer set. */
  readonly tangent: number;
  /** The largest of the three, λ_max = max{λ₁α², λ₂(α² + α⁻²)}. */
  readonly sharpness: number;
}

/**
 * The Hessian eigenvalues of the population loss at the minimizer (α, 0, 1/α) (docs/math.md §3):
 * λ₁α², λ₂(α² + α⁻²) and 0.
 *
 * There ∇²L = [[λ₂α⁻², 0, λ₂], [0, λ₁α², 0], [λ₂, 0, λ₂α²]]: β₁ decouples with eigenvalue λ₁α², and the (α, β₂) block
 * λ₂[[α⁻², 1], [1, α²]] has determinant 0 and trace λ₂(α² + α⁻²). [Minimalist EoS]'s Lemma 4.2 (i) (sharpness dominated by
 * λ₁α²) is the statement that the first one is the largest along GD.
 *
 * @remarks
 * Computed as `λ₁ * (α*α)` and `λ₂ * (α*α + 1/(α*α))`. Cost O(1); allocates the result.
 *
 * @param alpha - α ≠ 0 of the minimizer (its β₂ is 1/α).
 * @param options - λ₁ and λ₂.
 * @returns the three eigenvalues and the largest.
 * @throws EosLabError `E_BAD_OPTION` if α is 0 or not a number, or a variance is not > 0; `E_NONFINITE` for a
 *   non-finite α.
 * @example
 * ```ts
 * import { widthOneNet } from 'eos-lab';
 * const e = widthOneNet.minimizerEigenvalues(2, { varianceIrrelevant: 1, varianceRelevant: 0.1 });
 * // e.oscillatory = 4, e.convergence = 0.1·(4 + 0.25) = 0.425, e.tangent = 0, e.sharpness = 4
 * ```
 * @since 0.1.0
 */
export function minimizerEigenvalues(alpha: number, options?: MinimizerEigenvaluesOptions): MinimizerEigenvalues {
  const fn = 'widthOneNet.minimizerEigenvalues';
  const a = finiteNumber(fn, 'alpha', alpha);
  if (a === 0) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'alpha', value: a, expected: 'a nonzero number (a minimizer has αβ₂ = 1)' });
  }
  const { lambda1, lambda2 } = resolveVariances(fn, optionsObject(fn, options, optionKeys<MinimizerEigenvaluesOptions>({ varianceIrrelevant: true, varianceRelevant: true })));
  const aa = a * a;
  const oscillatory = lambda1 * aa;
  const convergence = lambda2 * (aa + 1 / aa);
  return { oscillatory, convergence, tangent: 0, sharpness: Math.max(oscillatory, convergence) };
}
