/**
 * The two-layer width-one linear network on a 2-d input of [Minimalist EoS] (docs/math.md §3): its population loss as a
 * `LossModel` with exact, allocation-free derivatives, and the kernel it shares with the empirical variant
 * ({@link createEmpirical}).
 *
 * @module
 */
import type { NdArray } from 'ndarray';
import type { LossModel, ModelSpec } from '../../core/loss-model.js';
import { registerBuiltInModel, specKeys } from '../../core/registry.js';
import { optionKeys, optionsObject, positiveFinite } from '../../core/validate.js';
import { zerosMatrix } from '../../linalg/matrix.js';

/** Default λ₁ (variance of the irrelevant feature x₁). @internal */
export const DEFAULT_VARIANCE_IRRELEVANT = 1;
/** Default λ₂ (variance of the relevant feature x₂). @internal */
export const DEFAULT_VARIANCE_RELEVANT = 1e-3;

/**
 * Options of {@link create}.
 *
 * @since 0.1.0
 */
export interface WidthOneNetOptions {
  /**
   * λ₁ > 0: the variance of the irrelevant, large-scale feature x₁ ([Minimalist EoS, Sec. 3] assumes λ₁ ≫ λ₂; the
   * paper's own values were lost with its inline math, so this default is the setting of the
   * `width-one-net-eos` example, not the paper's).
   * @defaultValue 1
   */
  varianceIrrelevant?: number;
  /**
   * λ₂ > 0: the variance of the relevant, small-scale feature x₂ (the response is y = x₂).
   * @defaultValue 0.001
   */
  varianceRelevant?: number;
}

/**
 * The JSON-serializable recipe of the population model: `createModel(spec)` rebuilds it.
 *
 * @since 0.1.0
 */
export interface WidthOneNetSpec extends ModelSpec {
  readonly kind: 'width-one-net';
  readonly varianceIrrelevant: number;
  readonly varianceRelevant: number;
}

/**
 * A width-one-net model (population or empirical): a {@link LossModel} over θ = (α, β₁, β₂) with a dense
 * `hessian`, and the second-moment matrix Σ = E[x xᵀ] its loss is built from.
 *
 * @since 0.1.0
 */
export interface WidthOneNetModel extends LossModel {
  readonly spec: ModelSpec;
  /** Always 3: θ = (α, β₁, β₂). */
  readonly dim: 3;
  /**
   * The second moments (Σ₁₁, Σ₁₂, Σ₂₂) of x = (x₁, x₂) that define the loss ½ wᵀΣw, w = (αβ₁, αβ₂ − 1): (λ₁, 0, λ₂) for
   * the population model, the sample means of x₁², x₁x₂, x₂² for the empirical one.
   */
  readonly secondMoments: { readonly xx11: number; readonly xx12: number; readonly xx22: number };
  hessian(theta: Float64Array): NdArray<Float64Array>;
  /**
   * Writes ∇³L(θ)[u, v] = ∇_θ(uᵀ∇²L(θ)v) into `out`; O(1) and allocation-free. w = (αβ₁, αβ₂ − 1) is quadratic
   * in θ, so with p = Ju, q = Jv (J = ∂w/∂θ, whose derivative ∂J/∂θ is constant) and mⱼ = uᵀ∇²wⱼ v
   * (m₁ = u_αv_{β₁} + u_{β₁}v_α, m₂ = u_αv_{β₂} + u_{β₂}v_α): ∇³L[u, v]ₖ = (∂ₖJ u)ᵀΣq + (∂ₖJ v)ᵀΣp + (J eₖ)ᵀΣm.
   * For the population Σ = diag(λ₁, λ₂):
   * ∇³L[u, v] = (λ₁(u_{β₁}q₁ + v_{β₁}p₁ + β₁m₁) + λ₂(u_{β₂}q₂ + v_{β₂}p₂ + β₂m₂),
   *              λ₁(u_αq₁ + v_αp₁ + αm₁), λ₂(u_αq₂ + v_αp₂ + αm₂)).
   * @since 0.2.0
   */
  thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void;
}

/**
 * The population width-one-net model: a {@link WidthOneNetModel} whose `spec` records λ₁ and λ₂.
 *
 * @since 0.1.0
 */
export interface WidthOneNetPopulationModel extends WidthOneNetModel {
  readonly spec: WidthOneNetSpec;
}

/** @internal Validates λ₁ and λ₂ from an options object (defaults applied). */
export function resolveVariances(fn: string, o: WidthOneNetOptions): { lambda1: number; lambda2: number } {
  return {
    lambda1: positiveFinite(fn, 'options.varianceIrrelevant', o.varianceIrrelevant ?? DEFAULT_VARIANCE_IRRELEVANT),
    lambda2: positiveFinite(fn, 'options.varianceRelevant', o.varianceRelevant ?? DEFAULT_VARIANCE_RELEVANT),
  };
}

/**
 * Creates the population loss of [Minimalist EoS, eq. (3.1)] (docs/math.md §3): with x = (x₁, x₂) ~ N(0, diag(λ₁, λ₂)),
 * y = x₂ and the network f(x; θ) = α(β₁x₁ + β₂x₂), θ = (α, β₁, β₂),
 *
 *   L(θ) = ½ E[(f(x; θ) − y)²] = ½λ₁α²β₁² + ½λ₂(αβ₂ − 1)²,
 *
 * with exact gradient ∇L = (λ₁αβ₁² + λ₂β₂(αβ₂ − 1), λ₁α²β₁, λ₂α(αβ₂ − 1)), Hessian-vector product and dense Hessian
 * [[λ₁β₁² + λ₂β₂², 2λ₁αβ₁, λ₂(2αβ₂ − 1)], [2λ₁αβ₁, λ₁α², 0], [λ₂(2αβ₂ − 1), 0, λ₂α²]] (docs/math.md §3; the copy of the paper
 * this project worked from lost these formulas: they were re-derived and are checked against finite differences in the tests).
 *
 * @remarks
 * **Conventions.** The loss carries the ½ of a squared loss and is an expectation (the population risk), not a sum.
 * The first term ½λ₁α²β₁² is the oscillatory part, the second ½λ₂(αβ₂ − 1)² the convergence part ([Minimalist EoS, Sec. 4.2];
 * see `oscillatoryLoss`, `convergenceLoss`). Sharpness here means λ_max of the Hessian (Cohen et al.); at a minimizer
 * β₁ = 0, αβ₂ = 1 the eigenvalues are λ₁α², λ₂(α² + α⁻²) and 0.
 *
 * **Operation order.** All kernels work with w = (u, v) = (αβ₁, αβ₂ − 1) and r = Σw = (Σ₁₁u + Σ₁₂v, Σ₁₂u + Σ₂₂v) with
 * Σ = diag(λ₁, λ₂) here: loss `0.5 * (u * r1) + 0.5 * (v * r2)`, gradient `(r1 * β₁ + r2 * β₂, r1 * α, r2 * α)`. With
 * Σ₁₂ = 0 the products `Σ₁₂ * v` are exact zeros, so the loss equals `oscillatoryLoss + convergenceLoss` bit for bit.
 *
 * **Cost.** Every method is O(1) (a handful of flops) and allocates nothing except `hessian`, which allocates the
 * returned 3×3 matrix. Kernels do not validate their inputs (`LossModel` contract). The factory is registered under
 * `'width-one-net'`, so `createModel(model.spec)` rebuilds the model.
 *
 * @param options - λ₁ (`varianceIrrelevant`) and λ₂ (`varianceRelevant`).
 * @returns the model, with `dim = 3` and `spec = { kind: 'width-one-net', varianceIrrelevant, varianceRelevant }`.
 * @throws EosLabError `E_BAD_OPTION` if `options` is not an object or a variance is not a finite number > 0.
 * @example
 * ```ts
 * import { widthOneNet } from 'eos-lab';
 * const model = widthOneNet.create({ varianceIrrelevant: 1, varianceRelevant: 0.5 });
 * const g = new Float64Array(3);
 * const loss = model.lossAndGrad(new Float64Array([2, 1, 1]), g);
 * // L = ½·1·4·1 + ½·0.5·(2 − 1)² = 2.25; ∇L = (2 + 0.5, 4, 1) = (2.5, 4, 1)
 * ```
 * @since 0.1.0
 */
export function create(options?: WidthOneNetOptions): WidthOneNetPopulationModel {
  const fn = 'widthOneNet.create';
  const o = optionsObject(fn, options, optionKeys<WidthOneNetOptions>({ varianceIrrelevant: true, varianceRelevant: true }));
  const { lambda1, lambda2 } = resolveVariances(fn, o);
  const spec: WidthOneNetSpec = Object.freeze({ kind: 'width-one-net', varianceIrrelevant: lambda1, varianceRelevant: lambda2 });
  return createQuadraticFormModel(spec, lambda1, 0, lambda2) as WidthOneNetPopulationModel;
}

/**
 * @internal The shared kernel: L(θ) = ½ wᵀΣw with w = (αβ₁, αβ₂ − 1) and Σ = [[s11, s12], [s12, s22]] (inputs trusted).
 *
 * Derivatives (J = ∂w/∂θ = [[β₁, α, 0], [β₂, 0, α]], r = Σw): ∇L = Jᵀr; ∇²L = JᵀΣJ + r₁(E_{αβ₁} + E_{β₁α}) +
 * r₂(E_{αβ₂} + E_{β₂α}), because u = αβ₁ and v = αβ₂ − 1 have the constant Hessians E_{αβ₁} + E_{β₁α} and
 * E_{αβ₂} + E_{β₂α}.
 */
export function createQuadraticFormModel(spec: ModelSpec, s11: number, s12: number, s22: number): WidthOneNetModel {
  const secondMoments = Object.freeze({ xx11: s11, xx12: s12, xx22: s22 });
  return {
    spec,
    dim: 3,
    secondMoments,
    loss(theta: Float64Array): number {
      const a = theta[0];
      const u = a * theta[1];
      const v = a * theta[2] - 1;
      const r1 = s11 * u + s12 * v;
      const r2 = s12 * u + s22 * v;
      return 0.5 * (u * r1) + 0.5 * (v * r2);
    },
    lossAndGrad(theta: Float64Array, gradOut: Float64Array): number {
      const a = theta[0];
      const b1 = theta[1];
      const b2 = theta[2];
      const u = a * b1;
      const v = a * b2 - 1;
      const r1 = s11 * u + s12 * v;
      const r2 = s12 * u + s22 * v;
      gradOut[0] = r1 * b1 + r2 * b2; // ∂L/∂α (population: λ₁αβ₁² + λ₂β₂(αβ₂ − 1))
      gradOut[1] = r1 * a; // ∂L/∂β₁ (population: λ₁α²β₁)
      gradOut[2] = r2 * a; // ∂L/∂β₂ (population: λ₂α(αβ₂ − 1))
      return 0.5 * (u * r1) + 0.5 * (v * r2);
    },
    hvp(theta: Float64Array, vec: Float64Array, out: Float64Array): void {
      const a = theta[0];
      const b1 = theta[1];
      const b2 = theta[2];
      const va = vec[0];
      const vb1 = vec[1];
      const vb2 = vec[2];
      const u = a * b1;
      const v = a * b2 - 1;
      const r1 = s11 * u + s12 * v;
      const r2 = s12 * u + s22 * v;
      // J v, then Σ J v, then Jᵀ Σ J v plus the curvature of u and v weighted by r.
      const du = b1 * va + a * vb1;
      const dv = b2 * va + a * vb2;
      const e1 = s11 * du + s12 * dv;
      const e2 = s12 * du + s22 * dv;
      out[0] = b1 * e1 + b2 * e2 + r1 * vb1 + r2 * vb2;
      out[1] = a * e1 + r1 * va;
      out[2] = a * e2 + r2 * va;
    },
    thirdOrder(theta: Float64Array, x: Float64Array, y: Float64Array, out: Float64Array): void {
      const a = theta[0];
      const b1 = theta[1];
      const b2 = theta[2];
      // w = (αβ₁, αβ₂ − 1) is quadratic in θ, so ∇³w = 0 and L = ½wᵀΣw has
      // ∂ₘ(xᵀ∇²L y) = (∂ₘJ x)ᵀΣ(J y) + (J x)ᵀΣ(∂ₘJ y) + (∂ₘ r)·(xᵀE₁y, xᵀE₂y), r = Σw, ∂ₘr = ΣJ eₘ.
      // Directions in w-space: p = J x, q = J y, and their images under Σ.
      const p1 = b1 * x[0] + a * x[1];
      const p2 = b2 * x[0] + a * x[2];
      const q1 = b1 * y[0] + a * y[1];
      const q2 = b2 * y[0] + a * y[2];
      const sp1 = s11 * p1 + s12 * p2;
      const sp2 = s12 * p1 + s22 * p2;
      const sq1 = s11 * q1 + s12 * q2;
      const sq2 = s12 * q1 + s22 * q2;
      // xᵀE₁y and xᵀE₂y (E₁ = E_{αβ₁} + E_{β₁α}, E₂ = E_{αβ₂} + E_{β₂α}), mapped through Σ.
      const m1 = x[0] * y[1] + x[1] * y[0];
      const m2 = x[0] * y[2] + x[2] * y[0];
      const sm1 = s11 * m1 + s12 * m2;
      const sm2 = s12 * m1 + s22 * m2;
      // ∂_αJ = [[0, 1, 0], [0, 0, 1]], ∂_{β₁}J = [[1, 0, 0], [0, 0, 0]], ∂_{β₂}J = [[0, 0, 0], [1, 0, 0]];
      // J eₘ = (β₁, β₂), (α, 0), (0, α).
      out[0] = x[1] * sq1 + x[2] * sq2 + (y[1] * sp1 + y[2] * sp2) + (b1 * sm1 + b2 * sm2);
      out[1] = x[0] * sq1 + y[0] * sp1 + a * sm1;
      out[2] = x[0] * sq2 + y[0] * sp2 + a * sm2;
    },
    hessian(theta: Float64Array): NdArray<Float64Array> {
      const a = theta[0];
      const b1 = theta[1];
      const b2 = theta[2];
      const u = a * b1;
      const v = a * b2 - 1;
      const r1 = s11 * u + s12 * v;
      const r2 = s12 * u + s22 * v;
      const c1 = s11 * b1 + s12 * b2; // (ΣJ)₁α
      const c2 = s12 * b1 + s22 * b2; // (ΣJ)₂α
      const aa = a * a;
      const h = zerosMatrix(3, 3);
      const d = h.data;
      d[0] = b1 * c1 + b2 * c2; // population: λ₁β₁² + λ₂β₂²
      d[1] = d[3] = a * c1 + r1; // population: 2λ₁αβ₁
      d[2] = d[6] = a * c2 + r2; // population: λ₂(2αβ₂ − 1)
      d[4] = s11 * aa; // λ₁α²
      d[5] = d[7] = s12 * aa; // 0 for the population
      d[8] = s22 * aa; // λ₂α²
      return h;
    },
  };
}

registerBuiltInModel('width-one-net', (spec: ModelSpec) =>
  specKeys(spec, ['varianceIrrelevant', 'varianceRelevant']) && create({ varianceIrrelevant: spec.varianceIrrelevant as number, varianceRelevant: spec.varianceRelevant as number }),
);
