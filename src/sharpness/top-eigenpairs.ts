/**
 * The k largest Hessian eigenvalues (and eigenvectors) at one point, optionally warm-started from the
 * eigenvectors of a nearby point — the building block of top-k tracking along a run ([Cohen et al. 2021]'s
 * `neigs`/`eig_freq`).
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { finiteVector, integerInRange, optionsObject, positiveFinite } from '../core/validate.js';
import { createLanczosWorkspace, lanczosUnchecked, warmStartVector, type LanczosParams, type LanczosWorkspace } from '../linalg/lanczos.js';
import { validateLossModel } from '../linalg/operator.js';

/**
 * Options of {@link topEigenpairs}.
 * @since 0.2.0
 */
export interface TopEigenpairsOptions {
  /**
   * Number k of largest eigenvalues wanted (clamped to the model's dim).
   * @defaultValue 1
   * @since 0.2.0
   */
  k?: number;
  /**
   * Warm start: approximate eigenvectors (typically those returned at a nearby θ, e.g. the previous record of a
   * run). Lanczos starts from their normalized sum instead of a random vector (see {@link LanczosOptions}).
   * @defaultValue none (a random start from `seed`)
   * @since 0.2.0
   */
  start?: readonly Float64Array[];
  /**
   * Relative residual tolerance of Lanczos: ‖H y − θ y‖ ≤ tol·|θ| for every returned pair.
   * @defaultValue 1e-8
   * @since 0.2.0
   */
  tol?: number;
  /**
   * Largest number of Hessian-vector products (Lanczos steps).
   * @defaultValue min(dim, max(300, 2k))
   * @since 0.2.0
   */
  maxIterations?: number;
  /**
   * Seed of the random start vector (used without `start`, and after a Lanczos breakdown).
   * @defaultValue 0
   * @since 0.2.0
   */
  seed?: number;
}

/**
 * Result of {@link topEigenpairs}.
 * @since 0.2.0
 */
export interface TopEigenpairs {
  /** The k largest eigenvalues λ₁ ≥ λ₂ ≥ … ≥ λ_k of ∇²L(θ) (Ritz values), descending. */
  readonly values: Float64Array;
  /** Unit eigenvectors, `vectors[i]` for `values[i]`; sign: the first entry of largest magnitude is positive. */
  readonly vectors: Float64Array[];
  /** Bounds on |λᵢ − true eigenvalue| (see {@link lanczos}). */
  readonly errorBounds: Float64Array;
  /** True when every pair met the tolerance. */
  readonly converged: boolean;
  /** Hessian-vector products used. */
  readonly hvps: number;
}

const ALLOWED = ['k', 'start', 'tol', 'maxIterations', 'seed'] as const;

/**
 * Resolved options of top-k eigenpair computations (validated once).
 * @internal
 */
export interface ResolvedTopEigenpairs {
  readonly k: number;
  readonly tol: number;
  readonly maxIterations: number;
  readonly seed: number;
}

/**
 * Validates k, tol, maxIterations and seed for `model` (paths prefixed by `path`).
 * @internal
 */
export function resolveTopEigenpairs(
  fn: string,
  path: string,
  model: LossModel,
  o: { k?: unknown; tol?: unknown; maxIterations?: unknown; seed?: unknown },
): ResolvedTopEigenpairs {
  const n = model.dim;
  const kWanted = o.k === undefined ? 1 : integerInRange(fn, `${path}.k`, o.k, 1);
  const k = Math.min(kWanted, n);
  const tol = o.tol === undefined ? 1e-8 : positiveFinite(fn, `${path}.tol`, o.tol);
  let maxIterations = Math.min(n, Math.max(300, 2 * kWanted));
  if (o.maxIterations !== undefined) {
    maxIterations = Math.min(n, integerInRange(fn, `${path}.maxIterations`, o.maxIterations, 1));
    if (maxIterations < k) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: `${path}.maxIterations`,
        value: o.maxIterations,
        expected: `at least min(k, dim) = ${k} (one Lanczos step per eigenvalue)`,
      });
    }
  }
  const seed = o.seed === undefined ? 0 : integerInRange(fn, `${path}.seed`, o.seed, -0x80000000, 0x7fffffff);
  return { k, tol, maxIterations, seed };
}

/**
 * Top-k eigenpairs of one model, reusing one Lanczos workspace and HVP operator between calls.
 * @internal
 */
export class TopEigenpairsSolver {
  private readonly workspace: LanczosWorkspace;
  private readonly op: { dim: number; theta: Float64Array; apply(v: Float64Array, out: Float64Array): void };
  private readonly params: LanczosParams;
  private readonly start: Float64Array;

  constructor(model: LossModel, options: ResolvedTopEigenpairs) {
    const n = model.dim;
    this.workspace = createLanczosWorkspace(n);
    const op = {
      dim: n,
      theta: new Float64Array(0),
      apply(v: Float64Array, out: Float64Array): void {
        model.hvp(op.theta, v, out);
      },
    };
    this.op = op;
    this.start = new Float64Array(n);
    const { k, tol, maxIterations, seed } = options;
    this.params = { k, which: 'largest', tol, maxIterations, seed, startVector: undefined, wantVectors: true, checkStride: 0 };
  }

  /** Eigenpairs at θ (used in place, must be finite); `start` (validated, combined) warm-starts Lanczos. */
  solve(theta: Float64Array, start: Float64Array | undefined): TopEigenpairs {
    this.op.theta = theta;
    this.params.startVector = start;
    const r = lanczosUnchecked(this.op, this.params, this.workspace);
    return { values: r.values, vectors: r.vectors, errorBounds: r.errorBounds, converged: r.converged, hvps: r.matvecs };
  }

  /** A scratch buffer for the combined warm start (owned by the solver). */
  get startBuffer(): Float64Array {
    return this.start;
  }
}

/**
 * The k largest eigenvalues λ₁ ≥ … ≥ λ_k of the Hessian ∇²L(θ) and their eigenvectors, by Lanczos with full
 * reorthogonalization on exact Hessian-vector products [Pearlmutter 1994], optionally warm-started from
 * approximate eigenvectors (e.g. those of the previous iterate of a run, as when tracking the top of the spectrum
 * every few steps [Cohen et al. 2021]).
 *
 * @remarks
 * Conventions: the algebraically largest eigenvalues (λ_max first, the sharpness compared with 2/η), not the
 * largest in magnitude. Warm start: q₁ ∝ Σᵢ vᵢ/‖vᵢ‖ over `start`; when the Hessian changed little, the top
 * eigenvectors are close to q₁'s span and the residuals reach `tol` in fewer HVPs than from a random vector. An
 * eigenvector nearly orthogonal to all of `start` (an eigenvalue that newly entered the top k) is still found
 * from the components the start has on it, but may need more steps; the result is the same to within the
 * tolerance either way (see `bench/spectra.bench.ts` for the HVPs a warm start saves along a run).
 *
 * Cost: one HVP per Lanczos step (typically 10–60 for k ≤ 10 with tol 1e-8), O(p·m²) flops of
 * reorthogonalization and p·m memory for m steps; allocates the basis and the k returned vectors.
 *
 * @param model - any {@link LossModel}.
 * @param theta - the point θ (finite, length `model.dim`; not modified).
 * @param options - k, start, tol, maxIterations, seed.
 * @returns `{ values, vectors, errorBounds, converged, hvps }`.
 * @throws EosLabError `E_BAD_OPTION` for a non-model, k < 1, tol ≤ 0, maxIterations < k, a bad seed, an
 *   unknown option, or a `start` that is not a non-empty array of nonzero vectors with a nonzero normalized sum;
 *   `E_DIM_MISMATCH` for θ or a start vector of the wrong length; `E_NONFINITE` for NaN/±Infinity in them.
 * @example
 * ```ts
 * import { scalarFactorization, topEigenpairs } from 'eos-lab';
 * const model = scalarFactorization.create(); // on xy = 1 the Hessian eigenvalues are x² + y² and 0
 * const first = topEigenpairs(model, new Float64Array([2, 0.5]), { k: 2 });
 * console.log(first.values); // ≈ [4.25, 0]
 * const next = topEigenpairs(model, new Float64Array([2.01, 0.5]), { k: 1, start: first.vectors });
 * console.log(next.values[0], next.hvps); // 4.2924…, 2 HVPs: warm-started from the previous eigenvectors
 * ```
 * @see {@link lanczos}, {@link sharpness}
 * @since 0.2.0
 */
export function topEigenpairs(model: LossModel, theta: Float64Array, options?: TopEigenpairsOptions): TopEigenpairs {
  const fn = 'topEigenpairs';
  validateLossModel(fn, 'model', model);
  const o = optionsObject(fn, options, ALLOWED);
  finiteVector(fn, 'theta', theta, model.dim);
  const resolved = resolveTopEigenpairs(fn, 'options', model, o);
  const start = o.start === undefined ? undefined : warmStartVector(fn, 'options.start', o.start, model.dim);
  return new TopEigenpairsSolver(model, resolved).solve(theta, start);
}
