/**
 * The preconditioned sharpness λ_max(P⁻¹H) of adaptive methods [Cohen et al. 2022], by Lanczos on the symmetric
 * operator P^{-1/2} H P^{-1/2} (similar to P⁻¹H, so it has the same, real, eigenvalues).
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { finiteVector, integerInRange, optionsObject, positiveFinite } from '../core/validate.js';
import { createLanczosWorkspace, lanczosUnchecked, type LanczosParams, type LanczosWorkspace } from '../linalg/lanczos.js';
import { validateLossModel } from '../linalg/operator.js';

/**
 * Options of {@link preconditionedSharpness}.
 *
 * @since 0.2.0
 */
export interface PreconditionedSharpnessOptions {
  /**
   * Relative residual tolerance of Lanczos (as in `sharpness`).
   * @defaultValue 1e-10
   */
  tol?: number;
  /**
   * Maximum number of Lanczos steps (= HVPs).
   * @defaultValue min(dim, 300)
   */
  maxIterations?: number;
  /**
   * Seed of the random start vector.
   * @defaultValue 0
   */
  seed?: number;
}

/** @internal Resolved options. */
export interface ResolvedPreconditionedOptions {
  readonly tol: number;
  readonly maxIterations: number | undefined;
  readonly seed: number;
}

/** @internal */
export function resolvePreconditionedOptions(fn: string, path: string, options: unknown): ResolvedPreconditionedOptions {
  const o = optionsObject(fn, options as PreconditionedSharpnessOptions | undefined, ['tol', 'maxIterations', 'seed'], path);
  return {
    tol: o.tol === undefined ? 1e-10 : positiveFinite(fn, `${path}.tol`, o.tol),
    maxIterations: o.maxIterations === undefined ? undefined : integerInRange(fn, `${path}.maxIterations`, o.maxIterations, 1),
    seed: o.seed === undefined ? 0 : integerInRange(fn, `${path}.seed`, o.seed, -0x80000000, 0x7fffffff),
  };
}

/**
 * Scratch for repeated preconditioned-sharpness computations on one model (one per run). @internal
 */
export class PreconditionedProbe {
  hvps = 0;
  /** P^{-1/2} of the current call. */
  private readonly scale: Float64Array;
  private readonly tmp: Float64Array;
  private readonly tmpOut: Float64Array;
  private theta: Float64Array = new Float64Array(0);
  private readonly lanczos: LanczosWorkspace;
  private readonly params: LanczosParams;
  private readonly op: { dim: number; apply(v: Float64Array, out: Float64Array): void };

  constructor(
    private readonly model: LossModel,
    options: ResolvedPreconditionedOptions,
  ) {
    const n = model.dim;
    this.scale = new Float64Array(n);
    this.tmp = new Float64Array(n);
    this.tmpOut = new Float64Array(n);
    this.lanczos = createLanczosWorkspace(n);
    this.params = {
      k: 1,
      which: 'largest',
      tol: options.tol,
      maxIterations: Math.min(n, options.maxIterations ?? 300),
      seed: options.seed,
      startVector: undefined,
      wantVectors: false,
      checkStride: 0,
    };
    this.op = {
      dim: n,
      apply: (v, out) => {
        const s = this.scale;
        const t = this.tmp;
        for (let i = 0; i < n; i++) t[i] = s[i] * v[i];
        this.model.hvp(this.theta, t, this.tmpOut);
        for (let i = 0; i < n; i++) out[i] = s[i] * this.tmpOut[i];
      },
    };
  }

  /** λ_max(P^{-1/2} H(θ) P^{-1/2}) for the diagonal `p` (entries > 0); `theta` and `p` are read, not kept. */
  value(theta: Float64Array, p: Float64Array): { value: number; converged: boolean; errorBound: number } {
    for (let i = 0; i < p.length; i++) this.scale[i] = 1 / Math.sqrt(p[i]);
    this.theta = theta;
    const r = lanczosUnchecked(this.op, this.params, this.lanczos);
    this.hvps += r.matvecs;
    return { value: r.values[0], converged: r.converged, errorBound: r.converged ? r.errorBounds[0] : Infinity };
  }
}

/**
 * The preconditioned sharpness λ_max(P⁻¹∇²L(θ)) for a diagonal preconditioner P = diag(p) with p > 0 — the quantity
 * adaptive methods keep at their threshold [Cohen et al. 2022, Sec. 3] (for Adam, (2 + 2β₁)/((1 − β₁)η); see
 * {@link adamThreshold}). Computed by Lanczos on S = P^{-1/2} H P^{-1/2}, symmetric and similar to P⁻¹H
 * (P⁻¹H = P^{-1/2} S P^{1/2}), so both have the same real eigenvalues — the generalized eigenvalues of Hx = λPx.
 *
 * @remarks Convention: the largest signed eigenvalue (as `sharpness` with `which: 'max'`). For RMSProp and Adam
 * pass `preconditionerDiagonal(opt, state, p)`, i.e. p = √ν̂ + ε of the step being analysed. Cost: one HVP per
 * Lanczos step (typically 10–40 with a spectral gap) plus 2p multiplications each; allocates the Lanczos workspace.
 * @param model - any {@link LossModel}.
 * @param theta - θ (finite, length `model.dim`; not modified).
 * @param preconditioner - the diagonal p of P (finite, > 0, length `model.dim`; not modified).
 * @param options - Lanczos tolerance, iteration cap and seed.
 * @returns λ_max(P⁻¹∇²L(θ)).
 * @throws EosLabError `E_DIM_MISMATCH` for lengths other than `model.dim`; `E_NONFINITE` for NaN/±Infinity in
 *   `theta` or `preconditioner`; `E_BAD_OPTION` for a non-positive preconditioner entry or bad options.
 * @example
 * ```ts
 * import { preconditionedSharpness, scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create();
 * // at (1, 1) the Hessian is [[1, 1], [1, 1]]; with P = diag(1, 4): eigenvalues of P⁻¹H are {0, 1.25}
 * console.log(preconditionedSharpness(model, new Float64Array([1, 1]), new Float64Array([1, 4]))); // 1.25
 * ```
 * @since 0.2.0
 */
export function preconditionedSharpness(
  model: LossModel,
  theta: Float64Array,
  preconditioner: Float64Array,
  options?: PreconditionedSharpnessOptions,
): number {
  const fn = 'preconditionedSharpness';
  validateLossModel(fn, 'model', model);
  finiteVector(fn, 'theta', theta, model.dim);
  finiteVector(fn, 'preconditioner', preconditioner, model.dim);
  for (let i = 0; i < preconditioner.length; i++) {
    if (!(preconditioner[i] > 0)) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `preconditioner[${i}]`, value: preconditioner[i], expected: 'a number > 0 (P must be positive definite)' });
    }
  }
  const resolved = resolvePreconditionedOptions(fn, 'options', options);
  return new PreconditionedProbe(model, resolved).value(theta, preconditioner).value;
}
