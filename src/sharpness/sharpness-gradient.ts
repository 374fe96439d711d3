/**
 * The gradient of the sharpness λ_max(∇²L(θ)) at a simple top eigenvalue: ∇λ_max = ∇³L(θ)[u, u].
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { finiteVector, integerInRange, nonNegativeFinite, oneOf, optionsObject, outBuffer, positiveFinite } from '../core/validate.js';
import { validateLossModel } from '../linalg/operator.js';
import { AUTO_DENSE_MAX_DIM } from './sharpness.js';
import { createTopEigenWorkspace, type TopEigenSettings, topEigenpairsUnchecked } from './top-eigenspace.js';

/** Default relative gap below which the top eigenvalue counts as repeated. @internal */
export const DEFAULT_GAP_TOLERANCE = 1e-6;

/**
 * Options of {@link sharpnessGradient}.
 * @since 0.2.0
 */
export interface SharpnessGradientOptions {
  /**
   * How to find the top eigenpair. `'dense'`: all eigenpairs of `model.hessian(θ)` (needs it). `'lanczos'`: {@link
   * lanczos} for the two largest eigenpairs from Hessian-vector products. `'auto'`: `'dense'` when the model has
   * `hessian` and dim ≤ 64, else `'lanczos'`.
   * @defaultValue 'auto'
   */
  method?: 'auto' | 'dense' | 'lanczos';
  /**
   * Relative gap tolerance: the top eigenvalue counts as repeated when (λ₁ − λ₂) ≤ gapTolerance·max(|λ₁|, |λ₂|)
   * (λ₂ the second largest eigenvalue). There λ_max is not differentiable (only directionally), so the result is
   * an error or flagged (see `onRepeated`). 0 flags exact ties only.
   * @defaultValue 1e-6
   */
  gapTolerance?: number;
  /**
   * What to do at a repeated top eigenvalue: `'throw'` an `EosLabError` with code `E_REPEATED_EIGENVALUE`, or
   * `'flag'`: return the result with `repeated: true`, whose `gradient` is then ∇³L[u, u] for one unit vector u of
   * the top eigenspace — the derivative of uᵀ∇²L(θ)u for that fixed u, not a gradient of λ_max.
   * @defaultValue 'throw'
   */
  onRepeated?: 'throw' | 'flag';
  /**
   * Relative residual tolerance of Lanczos (not allowed with `method: 'dense'`). The eigenvector error is about
   * tol·|λ₁|/(λ₁ − λ₂), and the gradient's error is that times ‖∇³L‖.
   * @defaultValue 1e-10
   */
  tol?: number;
  /**
   * Maximum number of Lanczos steps (HVPs) (not allowed with `method: 'dense'`).
   * @defaultValue min(dim, 300)
   */
  maxIterations?: number;
  /**
   * Seed of Lanczos's random start vector (not allowed with `method: 'dense'`).
   * @defaultValue 0
   */
  seed?: number;
  /**
   * Where to write the gradient (a `Float64Array` of length dim); a new array when omitted. Must not alias θ.
   * @defaultValue a new Float64Array
   */
  out?: Float64Array;
}

/**
 * Result of {@link sharpnessGradient}.
 * @since 0.2.0
 */
export interface SharpnessGradientResult {
  /** λ_max(∇²L(θ)), the largest (signed) eigenvalue. */
  readonly value: number;
  /** ∇λ_max(θ) = ∇³L(θ)[u, u] (`options.out` when given). */
  readonly gradient: Float64Array;
  /** The unit top eigenvector u (sign: its first entry of largest magnitude is positive; ∇λ_max does not depend on it). */
  readonly eigenvector: Float64Array;
  /** λ₂, the second largest eigenvalue (−Infinity when dim = 1). */
  readonly secondValue: number;
  /** (λ₁ − λ₂)/max(|λ₁|, |λ₂|) (Infinity when dim = 1; 0 when both are 0). */
  readonly relativeGap: number;
  /** True when `relativeGap ≤ gapTolerance` (only returned with `onRepeated: 'flag'`). */
  readonly repeated: boolean;
  /** The method used (`'auto'` resolved). */
  readonly method: 'dense' | 'lanczos';
  /** Hessian-vector products used (0 for dense). */
  readonly hvps: number;
  /** Third-order products ∇³L[·, ·] used (always 1). */
  readonly thirdOrderProducts: number;
  /** False when Lanczos stopped at `maxIterations` before meeting `tol` (then u and the gradient are unreliable). */
  readonly converged: boolean;
}

const KEYS = ['method', 'gapTolerance', 'onRepeated', 'tol', 'maxIterations', 'seed', 'out'] as const;

/**
 * The gradient of the sharpness: for a simple top eigenvalue λ_max(θ) of ∇²L(θ) with unit eigenvector u,
 * ∇λ_max(θ) = ∇_θ(uᵀ∇²L(θ)u) = ∇³L(θ)[u, u] (first-order perturbation of a simple eigenvalue: dλ = uᵀ(dH)u). This is
 * the quantity self-stabilization and central-flow analyses use: the sharpness S(θ) = λ_max and its gradient ∇S
 * [Central flows, Sec. 3; Cohen et al. 2021].
 *
 * @remarks
 * Conventions: λ_max is the largest signed eigenvalue (not max|λ|). The eigenvalue is *repeated* when
 * λ₁ − λ₂ ≤ gapTolerance·max(|λ₁|, |λ₂|); λ_max is then only directionally differentiable, and the call throws
 * `E_REPEATED_EIGENVALUE` (or, with `onRepeated: 'flag'`, returns `repeated: true`). Near a repeated eigenvalue the
 * gradient is exact but ill-conditioned: the computed u errs by about (eigensolver residual)/(λ₁ − λ₂).
 *
 * Cost: `'dense'` forms the Hessian and an O(p³) eigendecomposition (0 HVPs); `'lanczos'` ≈ 10–50 HVPs (two Ritz
 * pairs, so the gap is known); plus one `thirdOrder` call. Allocates the eigenvector and, without `options.out`, the
 * gradient.
 *
 * @param model - a {@link LossModel} with `thirdOrder` (and `hessian` for `'dense'`).
 * @param theta - the point θ (finite, length `model.dim`; not modified).
 * @param options - method, gap tolerance, what to do at a repeated eigenvalue, Lanczos settings, `out`.
 * @returns λ_max, its gradient, the eigenvector, λ₂ and the relative gap, the method and the products used.
 * @throws EosLabError `E_NOT_SUPPORTED` for a model without `thirdOrder` (or without `hessian` with `'dense'`);
 *   `E_REPEATED_EIGENVALUE` at a repeated top eigenvalue (default `onRepeated`); `E_DIM_MISMATCH` / `E_NONFINITE`
 *   for a bad θ or `out`; `E_BAD_OPTION` for bad or unknown options (Lanczos options with `'dense'`).
 * @example
 * ```ts
 * import { scalarFactorization, sharpnessGradient } from 'eos-lab';
 * const model = scalarFactorization.create(); // L = ½(1 − xy)²
 * const res = sharpnessGradient(model, new Float64Array([2, 0.5]));
 * // λ_max = m + √(d² + b²) with m = (x² + y²)/2, d = (y² − x²)/2, b = 2xy − 1: here 4.25, and differentiating
 * // that closed form gives ∇λ_max = (x + (2yb − xd)/√(d² + b²), y + (2xb + yd)/√(d² + b²)) ≈ (4.23529, 1.94118)
 * console.log(res.value, res.gradient, res.relativeGap); // 4.25, [4.2352…, 1.9411…], 1
 * ```
 * @see {@link sharpness}
 * @since 0.2.0
 */
export function sharpnessGradient(
  model: LossModel,
  theta: Float64Array,
  options?: SharpnessGradientOptions,
): SharpnessGradientResult {
  const fn = 'sharpnessGradient';
  validateLossModel(fn, 'model', model);
  const o = optionsObject(fn, options, KEYS);
  if (typeof model.thirdOrder !== 'function') {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument: 'model.thirdOrder',
      value: undefined,
      expected: 'a function: ∇λ_max = ∇³L[u, u] needs the model\'s third-order contraction',
    });
  }
  finiteVector(fn, 'theta', theta, model.dim);
  const settings = resolveEigenSettings(fn, model, o);
  const gapTolerance = o.gapTolerance === undefined ? DEFAULT_GAP_TOLERANCE : nonNegativeFinite(fn, 'options.gapTolerance', o.gapTolerance);
  const onRepeated = o.onRepeated === undefined ? 'throw' : oneOf(fn, 'options.onRepeated', o.onRepeated, ['throw', 'flag'] as const);
  const out = o.out === undefined ? new Float64Array(model.dim) : outBuffer(fn, 'options.out', o.out, model.dim);
  if (out === theta) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.out', value: out, expected: 'a buffer other than theta' });
  }

  const top = topEigenpairsUnchecked(model, theta, 1, settings, createTopEigenWorkspace(model));
  const value = top.values[0];
  const secondValue = top.values.length > 1 ? top.values[1] : -Infinity;
  const relativeGap = relativeGapOf(value, secondValue);
  const repeated = relativeGap <= gapTolerance;
  if (repeated && onRepeated === 'throw') {
    throw new EosLabError('E_REPEATED_EIGENVALUE', fn, {
      argument: 'theta',
      value: theta,
      expected: `a point where λ_max is simple: λ₁ = ${value}, λ₂ = ${secondValue}, relative gap ${relativeGap} ≤ gapTolerance ${gapTolerance} (pass onRepeated: 'flag' to get ∇³L[u, u] for one top eigenvector anyway)`,
    });
  }
  const u = top.vectors[0];
  model.thirdOrder(theta, u, u, out);
  return {
    value,
    gradient: out,
    eigenvector: u,
    secondValue,
    relativeGap,
    repeated,
    method: settings.method,
    hvps: top.hvps,
    thirdOrderProducts: 1,
    converged: top.converged,
  };
}

/** (λ₁ − λ₂)/max(|λ₁|, |λ₂|): Infinity without a λ₂, 0 when both vanish. @internal */
export function relativeGapOf(l1: number, l2: number): number {
  if (l2 === -Infinity) return Infinity;
  const scale = Math.max(Math.abs(l1), Math.abs(l2));
  return scale === 0 ? 0 : (l1 - l2) / scale;
}

/**
 * Resolves `method` (`'auto'` → dense for a model with `hessian` and dim ≤ 64) and the Lanczos options, rejecting
 * Lanczos options with `'dense'` and `'dense'` without `hessian`.
 * @internal
 */
export function resolveEigenSettings(
  fn: string,
  model: LossModel,
  o: { method?: unknown; tol?: unknown; maxIterations?: unknown; seed?: unknown },
  path = 'options',
): TopEigenSettings {
  const requested = o.method === undefined ? 'auto' : oneOf(fn, `${path}.method`, o.method, ['auto', 'dense', 'lanczos'] as const);
  const hasHessian = typeof model.hessian === 'function';
  if (requested === 'dense') {
    if (!hasHessian) {
      throw new EosLabError('E_NOT_SUPPORTED', fn, {
        argument: `${path}.method`,
        value: 'dense',
        expected: "'lanczos' or 'auto' for a model without a dense hessian(θ) method",
      });
    }
    for (const key of ['tol', 'maxIterations', 'seed'] as const) {
      if (o[key] !== undefined) {
        throw new EosLabError('E_BAD_OPTION', fn, {
          argument: `${path}.${key}`,
          value: o[key],
          expected: "undefined when method is 'dense' (it applies to Lanczos only)",
        });
      }
    }
  }
  const method = requested === 'auto' ? (hasHessian && model.dim <= AUTO_DENSE_MAX_DIM ? 'dense' : 'lanczos') : requested;
  return {
    method,
    tol: o.tol === undefined ? 1e-10 : positiveFinite(fn, `${path}.tol`, o.tol),
    maxIterations: o.maxIterations === undefined ? undefined : integerInRange(fn, `${path}.maxIterations`, o.maxIterations, 1),
    seed: o.seed === undefined ? 0 : integerInRange(fn, `${path}.seed`, o.seed, -0x80000000, 0x7fffffff),
  };
}
