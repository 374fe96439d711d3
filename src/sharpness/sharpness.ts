import { abortError, throwIfAborted, validateSignal } from '../core/abort.js';
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { finiteVector, integerInRange, isFunction, oneOf, optionKeys, optionsObject, positiveFinite } from '../core/validate.js';
import {
  createLanczosWorkspace,
  defaultLanczosIterations,
  type LanczosParams,
  type LanczosWorkspace,
  lanczosUnchecked,
} from '../linalg/lanczos.js';
import { type LinearOperator, validateLossModel } from '../linalg/operator.js';
import { createPowerWorkspace, type PowerWorkspace, powerIterationUnchecked } from '../linalg/power-iteration.js';
import { symmetricEigenUnchecked } from '../linalg/symmetric-eigen.js';
import { dot, nrm2 } from '../linalg/vector.js';
import { rng } from '../core/rng.js';
import { isBuiltInModel } from '../core/registry.js';
import type { NdArray } from 'ndarray';

const EPS = Number.EPSILON;

/**
 * Largest dimension for which `method: 'auto'` forms the dense Hessian (when the model provides one).
 * @internal
 */
export const AUTO_DENSE_MAX_DIM = 64;

/**
 * Options of {@link sharpness} and {@link sharpnessEstimate}.
 * @since 0.1.0
 */
export interface SharpnessOptions {
  /**
   * How to compute it. `'dense'`: form `model.hessian(θ)` and take all its eigenvalues ({@link symmetricEigen};
   * needs the model's `hessian`). `'lanczos'`: {@link lanczos} on Hessian-vector products. `'power'`:
   * {@link powerIteration} on Hessian-vector products (slower; for comparison). `'auto'`: `'dense'` when the model
   * has `hessian` and dim ≤ 64, else `'lanczos'`.
   * @defaultValue 'auto'
   * @since 0.1.0
   */
  method?: 'auto' | 'dense' | 'lanczos' | 'power';
  /**
   * Which quantity. `'max'`: λ_max(∇²L), the largest (signed) eigenvalue — Cohen et al.'s sharpness, the one
   * compared with 2/η. `'abs'`: max|λ| = ‖∇²L‖₂, S_L of [Conflicting biases]. They differ only when the most negative
   * eigenvalue is larger in magnitude than the largest one.
   * @defaultValue 'max'
   * @since 0.1.0
   */
  which?: 'max' | 'abs';
  /**
   * Relative residual tolerance of the iterative methods (‖H y − θ y‖ ≤ tol·|θ|); the error of the value is
   * then about tol²·|θ|²/gap (see `errorBound`). Not allowed with `method: 'dense'`.
   * @defaultValue 1e-10
   * @since 0.1.0
   */
  tol?: number;
  /**
   * Maximum number of HVPs of the iterative methods (per power run; `'power'` with `which: 'max'` may do two
   * runs). Not allowed with `method: 'dense'`.
   * @defaultValue min(dim, 300) for Lanczos (fewer above 447,392 parameters: the basis is kept within 1 GiB, see
   *   `LANCZOS_BASIS_BYTES`), 1000 for power iteration
   * @since 0.1.0
   */
  maxIterations?: number;
  /**
   * Seed of the random start vector of the iterative methods. Not allowed with `method: 'dense'`.
   * @defaultValue 0
   * @since 0.1.0
   */
  seed?: number;
  /**
   * Probe the model's Hessian for symmetry before computing: one uᵀ(H v) vs vᵀ(H u) comparison with two seeded
   * random vectors (2 HVPs, counted in `hvps`; with `method: 'dense'`, the matrix `model.hessian(θ)` is compared with
   * its transpose instead, at every estimate), failing with `E_BAD_OPTION` naming `model.hvp` (or `model.hessian`) when they differ by more than
   * 1e-6 of their scale. A non-symmetric "Hessian-vector product" is a bug in the model that the eigensolvers cannot
   * detect: they would report a wrong value as converged. Built-in models (whose derivatives are tested) are never
   * probed; set `false` to skip the probe for your own model once you trust it.
   * @defaultValue true
   * @since 0.2.0
   */
  checkSymmetry?: boolean;
  /**
   * Along a run (the `record.sharpness` of `gd`, `gradientFlow`, `train`, `centralFlow` and the runs of `lrSweep`),
   * start each Lanczos estimate from the previous estimate's top Ritz vector plus a small seeded random part
   * (weight 10⁻³ against the unit Ritz vector, so that an eigenvector the previous one is orthogonal to — e.g.
   * after two eigenvalues cross — is still in the Krylov space). Consecutive iterates have close top
   * eigenvectors, so fewer HVPs reach `tol`; the value is unchanged to the estimate's `errorBound`. Only the
   * `'lanczos'` method in runs uses it; single {@link sharpness} calls have no previous estimate. After an
   * estimate that did not converge the next one starts from the random vector again.
   * @defaultValue true
   * @since 0.2.0
   */
  warmStart?: boolean;
  /**
   * Called every `progressEvery` Hessian-vector products of the iterative methods with `{ hvps, maxHvps }` (never
   * for `'dense'`, which makes none). Only for {@link sharpness} and {@link sharpnessEstimate}.
   * @defaultValue none
   * @since 0.2.0
   */
  onProgress?: (progress: SharpnessProgress) => void;
  /**
   * Hessian-vector products between `onProgress` calls (only with `onProgress`). An integer ≥ 1.
   * @defaultValue 10
   * @since 0.2.0
   */
  progressEvery?: number;
  /**
   * Stops the computation with `E_ABORTED` before the next Hessian-vector product once it has fired (the call is
   * synchronous: the signal can fire during it only from `onProgress` or the model). Only for {@link sharpness}
   * and {@link sharpnessEstimate}.
   * @defaultValue none
   * @since 0.2.0
   */
  signal?: AbortSignal;
}

/**
 * Progress of a sharpness computation (see `SharpnessOptions.onProgress`).
 * @since 0.2.0
 */
export interface SharpnessProgress {
  /** Hessian-vector products so far. */
  readonly hvps: number;
  /** The method's budget: Lanczos steps, or power iterations per run (`'power'` with `which: 'max'` may do two runs). */
  readonly maxHvps: number;
}

/**
 * The keys of {@link SharpnessOptions} (and those of the run-control options every long computation accepts).
 * @internal
 */
export const SHARPNESS_OPTION_KEYS = optionKeys<SharpnessOptions>({ method: true, which: true, tol: true, maxIterations: true, seed: true, checkSymmetry: true, warmStart: true }, true);

/**
 * A sharpness value with how it was obtained (result of {@link sharpnessEstimate}).
 * @since 0.1.0
 */
export interface SharpnessEstimate {
  /** λ_max(∇²L(θ)) for `which: 'max'`, max|λ| for `which: 'abs'`. */
  readonly value: number;
  /** The method actually used (`'auto'` resolved). */
  readonly method: 'dense' | 'lanczos' | 'power';
  /** The quantity computed. */
  readonly which: 'max' | 'abs';
  /** Hessian-vector products used (0 for `'dense'`, which forms the Hessian with `model.hessian` instead). */
  readonly hvps: number;
  /**
   * Bound on |value − true value| (rounding allowance included): dim·ε·‖H‖ for `'dense'`; the Lanczos
   * `errorBounds[0]` (under the assumption stated in {@link lanczos}); the residual norm for `'power'`
   * (Krylov–Weinstein). `Infinity` when `converged` is false: an unconverged Ritz value or Rayleigh quotient is
   * near *some* eigenvalue, not necessarily the extreme one.
   */
  readonly errorBound: number;
  /**
   * False when an iterative method stopped at `maxIterations` before meeting `tol`, and when the Hessian (or
   * its products) had NaN/±Infinity entries at θ — then `value` is NaN. Never true for a NaN value.
   */
  readonly converged: boolean;
}

/**
 * Options resolved and validated once by {@link resolveSharpnessOptions} (`'auto'` already decided for the model).
 * @internal
 */
export interface ResolvedSharpnessOptions {
  readonly method: 'dense' | 'lanczos' | 'power';
  readonly which: 'max' | 'abs';
  readonly tol: number;
  /** Undefined: the method's default. */
  readonly maxIterations: number | undefined;
  readonly seed: number;
  /** Probe the Hessian's symmetry (false for built-in models and with `checkSymmetry: false`). */
  readonly checkSymmetry: boolean;
  /** Warm-start Lanczos from the previous top Ritz vector when the workspace keeps one (runs). */
  readonly warmStart: boolean;
  /** The public function and options path, for errors raised later (e.g. by the symmetry probe inside a run). */
  readonly fn: string;
  readonly path: string;
}

/**
 * Scratch reused between {@link sharpnessEstimateUnchecked} calls on one model (Lanczos basis, power vectors,
 * the HVP operator, cached start vectors). Opaque.
 * @internal
 */
export interface SharpnessWorkspace {
  readonly dim: number;
  /** @internal */
  readonly op: LinearOperator & { theta: Float64Array };
  /** @internal */
  lanczos: LanczosWorkspace | undefined;
  /** @internal */
  power: PowerWorkspace | undefined;
  /** @internal */
  readonly params: LanczosParams;
  /**
   * The previous estimate's top Ritz vector (runs only: created by the run's probe; undefined: no warm starts).
   * @internal
   */
  warm: Float64Array | undefined;
  /** Whether `warm` holds a usable vector (the previous estimate converged). @internal */
  warmValid: boolean;
  /** The warm start q₁ handed to Lanczos, and the seeded random part mixed into it (for `warmSeed`). @internal */
  warmStart: Float64Array | undefined;
  /** @internal */
  warmNoise: Float64Array | undefined;
  /** @internal */
  warmSeed: number;
}

/** Weight of the seeded random part of a warm start, against the unit Ritz vector of the previous estimate. */
const WARM_START_NOISE = 1e-3;

/**
 * Creates the scratch for repeated {@link sharpnessEstimateUnchecked} calls on `model` (e.g. once per GD run).
 * Buffers are allocated lazily on first use, then reused.
 * @internal
 */
export function createSharpnessWorkspace(model: LossModel): SharpnessWorkspace {
  const op = {
    dim: model.dim,
    theta: new Float64Array(0),
    apply(v: Float64Array, out: Float64Array): void {
      model.hvp(op.theta, v, out);
    },
  };
  return {
    dim: model.dim,
    op,
    lanczos: undefined,
    power: undefined,
    params: { k: 1, which: 'largest', tol: 1e-10, maxIterations: 1, seed: 0, startVector: undefined, wantVectors: false, checkStride: 0 },
    warm: undefined,
    warmValid: false,
    warmStart: undefined,
    warmNoise: undefined,
    warmSeed: NaN,
  };
}

/** q₁ = y_prev + WARM_START_NOISE·g/‖g‖ (g the seeded normal vector of `seed`; y_prev has unit norm). */
function warmStartVector(ws: SharpnessWorkspace, previous: Float64Array, seed: number): Float64Array {
  const n = ws.dim;
  ws.warmStart ??= new Float64Array(n);
  if (ws.warmNoise === undefined || ws.warmSeed !== seed) {
    ws.warmNoise ??= new Float64Array(n);
    rng(seed).fillNormal(ws.warmNoise);
    const g = nrm2(ws.warmNoise);
    for (let i = 0; i < n; i++) ws.warmNoise[i] *= WARM_START_NOISE / g;
    ws.warmSeed = seed;
  }
  const q = ws.warmStart;
  for (let i = 0; i < n; i++) q[i] = previous[i] + ws.warmNoise[i];
  return q;
}

/**
 * Validates sharpness options once for `model` and resolves `'auto'` and defaults, for repeated
 * {@link sharpnessEstimateUnchecked} calls (the GD and gradient-flow drivers do this once per run).
 *
 * @param model - the model the options will be used with (decides `'auto'`, checks `'dense'` is supported).
 * @param options - the user's options.
 * @param fn - the public function name for error messages.
 * @param path - the options' path for error messages (e.g. `'options.record.sharpness'`).
 * @throws EosLabError `E_BAD_OPTION` for a bad or unknown option or iterative options with `method: 'dense'`;
 *   `E_NONFINITE` for a NaN/±Infinity option; `E_NOT_SUPPORTED` for `'dense'` on a model without `hessian`.
 * @internal
 */
export function resolveSharpnessOptions(
  model: LossModel,
  options?: SharpnessOptions,
  fn = 'sharpness',
  path = 'options',
): ResolvedSharpnessOptions {
  validateLossModel(fn, 'model', model);
  const o = optionsObject(fn, options, SHARPNESS_OPTION_KEYS, path);
  // sharpness and sharpnessEstimate take these off before resolving; nested sharpness options (a driver's
  // record.sharpness, lrSweep's sharpness) are estimated many times within a run that has its own.
  for (const key of ['signal', 'onProgress', 'progressEvery'] as const) {
    if (o[key] !== undefined) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: `${path}.${key}`,
        value: o[key],
        expected: `undefined here (${key} of a sharpness computation is an option of sharpness and sharpnessEstimate only; give the run's own ${key} instead)`,
      });
    }
  }
  const requested = o.method === undefined ? 'auto' : oneOf(fn, `${path}.method`, o.method, ['auto', 'dense', 'lanczos', 'power'] as const);
  const which = o.which === undefined ? 'max' : oneOf(fn, `${path}.which`, o.which, ['max', 'abs'] as const);
  const hasHessian = typeof model.hessian === 'function';
  if (requested === 'dense') {
    if (!hasHessian) {
      throw new EosLabError('E_NOT_SUPPORTED', fn, {
        argument: `${path}.method`,
        value: 'dense',
        expected: "'lanczos', 'power' or 'auto' for a model without a dense hessian(θ) method",
      });
    }
    for (const key of ['tol', 'maxIterations', 'seed'] as const) {
      if (o[key] !== undefined) {
        throw new EosLabError('E_BAD_OPTION', fn, {
          argument: `${path}.${key}`,
          value: o[key],
          expected: "undefined when method is 'dense' (it applies to the iterative methods only)",
        });
      }
    }
  }
  const tol = o.tol === undefined ? 1e-10 : positiveFinite(fn, `${path}.tol`, o.tol);
  const maxIterations = o.maxIterations === undefined ? undefined : integerInRange(fn, `${path}.maxIterations`, o.maxIterations, 1);
  const seed = o.seed === undefined ? 0 : integerInRange(fn, `${path}.seed`, o.seed, -0x80000000, 0x7fffffff);
  if (o.checkSymmetry !== undefined && typeof o.checkSymmetry !== 'boolean') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: `${path}.checkSymmetry`, value: o.checkSymmetry, expected: 'a boolean' });
  }
  const checkSymmetry = o.checkSymmetry !== false && !isBuiltInModel(model);
  if (o.warmStart !== undefined && typeof o.warmStart !== 'boolean') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: `${path}.warmStart`, value: o.warmStart, expected: 'a boolean' });
  }
  const warmStart = o.warmStart !== false;
  const method = requested === 'auto' ? (hasHessian && model.dim <= AUTO_DENSE_MAX_DIM ? 'dense' : 'lanczos') : requested;
  return { method, which, tol, maxIterations, seed, checkSymmetry, warmStart, fn, path };
}

/**
 * {@link sharpnessEstimate} without validation, for hot loops: validate once with
 * {@link resolveSharpnessOptions} (and check θ once), then call this as often as needed with one
 * {@link createSharpnessWorkspace} workspace, which makes repeated calls allocate only the small result
 * objects (the first Lanczos/power call on a workspace allocates its buffers).
 *
 * `theta` is used in place (not copied) during the call; it must be finite and of length `model.dim`, and
 * the workspace must have been created for this model.
 *
 * @internal
 */
export function sharpnessEstimateUnchecked(
  model: LossModel,
  theta: Float64Array,
  options: ResolvedSharpnessOptions,
  workspace?: SharpnessWorkspace,
): SharpnessEstimate {
  const { method, which } = options;
  const n = model.dim;
  if (method === 'dense') {
    const H = denseHessian(options.fn, model, theta);
    let lo: number;
    let hi: number;
    if (!allFinite(H)) {
      // NaN/±∞ in the Hessian (e.g. overflow at a far-out θ): no eigenvalue; the caller decides (error or status).
      return { value: NaN, method, which, hvps: 0, errorBound: Infinity, converged: false };
    }
    if (options.checkSymmetry) checkDenseSymmetry(H, options);
    if (n === 2) {
      // Closed form for 2×2 (most of the minimalist models): λ± = m ± √(d² + b²), m = (a + c)/2, d = (a − c)/2.
      const a = H.get(0, 0);
      const c = H.get(1, 1);
      const b = 0.5 * (H.get(0, 1) + H.get(1, 0));
      const m = 0.5 * (a + c);
      const r = Math.hypot(0.5 * (a - c), b);
      lo = m - r;
      hi = m + r;
    } else {
      const values = symmetricEigenUnchecked(H).values;
      lo = values[0];
      hi = values[n - 1];
    }
    const norm = Math.max(Math.abs(lo), Math.abs(hi));
    const value = which === 'max' ? hi : norm;
    // Backward-stable solvers: |λ − λ̂| ≲ n·ε·‖H‖₂; the 2×2 formula rounds ≤ 4 times on the scale of ‖H‖₂.
    return { value, method, which, hvps: 0, errorBound: Math.max(n, 4) * EPS * norm, converged: true };
  }
  const ws = workspace ?? createSharpnessWorkspace(model);
  ws.op.theta = theta;
  if (method === 'lanczos') {
    ws.lanczos ??= createLanczosWorkspace(n);
    const p = ws.params;
    p.k = 1;
    p.which = which === 'max' ? 'largest' : 'magnitude';
    p.tol = options.tol;
    p.maxIterations = Math.min(n, options.maxIterations ?? defaultLanczosIterations(n, 1));
    p.seed = options.seed;
    const warm = options.warmStart ? ws.warm : undefined;
    p.startVector = warm !== undefined && ws.warmValid ? warmStartVector(ws, warm, options.seed) : undefined;
    p.ritzVectorOut = warm;
    const r = lanczosUnchecked(ws.op, p, ws.lanczos);
    if (warm !== undefined) ws.warmValid = r.converged && Number.isFinite(r.values[0]);
    const theta0 = r.converged || Number.isFinite(r.values[0]) ? r.values[0] : NaN;
    return {
      value: which === 'max' ? theta0 : Math.abs(theta0),
      method,
      which,
      hvps: r.matvecs,
      errorBound: r.converged ? r.errorBounds[0] : Infinity,
      converged: r.converged,
    };
  }
  // Power iteration finds the dominant eigenvalue μ (largest |λ|, signed).
  ws.power ??= createPowerWorkspace(n);
  const maxIt = options.maxIterations ?? 1000;
  const first = powerIterationUnchecked(ws.op, 0, options.tol, maxIt, options.seed, undefined, ws.power);
  const mu = first.value;
  if (Number.isNaN(mu)) return { value: NaN, method, which, hvps: first.iterations, errorBound: Infinity, converged: false };
  const allowance = n * EPS * Math.abs(mu);
  if (which === 'abs' || mu >= 0) {
    // μ ≥ 0 dominant ⇒ λ_max = μ (no eigenvalue exceeds |μ|).
    return {
      value: which === 'abs' ? Math.abs(mu) : mu,
      method,
      which,
      hvps: first.iterations,
      errorBound: first.converged ? first.residualNorm + allowance : Infinity,
      converged: first.converged,
    };
  }
  // μ < 0 is λ_min: every eigenvalue of H − μI is ≥ 0 and the dominant one is λ_max − μ; add μ back.
  const second = powerIterationUnchecked(ws.op, mu, options.tol, maxIt, options.seed, undefined, ws.power);
  return {
    value: second.value + mu,
    method,
    which,
    hvps: first.iterations + second.iterations,
    errorBound: first.converged && second.converged ? second.residualNorm + allowance : Infinity,
    converged: first.converged && second.converged,
  };
}

/**
 * The sharpness of a model at θ with how it was computed: the value, the method used, the HVPs spent, an
 * error bound and whether the iterative method converged.
 *
 * `which: 'max'`: λ_max(∇²L(θ)) (Cohen et al. 2021; docs/math.md §0); `which: 'abs'`: S_L(θ) = ‖∇²L(θ)‖₂ = max|λ|
 * ([Conflicting biases, Sec. 2]).
 *
 * @remarks
 * Conventions: the default `'max'` is the largest signed eigenvalue — the quantity GD compares with 2/η; at a
 * saddle with a dominant negative curvature `'abs'` is larger. Methods: `'auto'` picks `'dense'` when the model
 * has an analytic `hessian` and dim ≤ 64, else `'lanczos'`. `'power'` with `which: 'max'` runs power iteration
 * for the dominant μ; if μ < 0 (so μ = λ_min) it runs again on ∇²L − μI, whose dominant eigenvalue is
 * λ_max − μ ≥ 0, and adds μ back (this second run can be slow when λ_max − μ is close to the next eigenvalue
 * minus μ).
 *
 * Cost: `'dense'` forms the p×p Hessian (0 HVPs) and an O(p³) eigendecomposition; `'lanczos'` ≈ 10–40 HVPs
 * with a spectral gap, O(p·m) memory; `'power'` up to `maxIterations` HVPs per run. For a model that is not
 * built in, the symmetry probe (`checkSymmetry`) adds 2 HVPs (counted in `hvps`), or an O(p²) transpose check of
 * the dense Hessian.
 * The iterative methods' memory: Lanczos keeps 8·p·m bytes for its basis of m vectors — by default at most 1 GiB (m ≤ ⌊2³⁰/(8p)⌋:
 * 300 up to p = 447,392, 32 steps for 4.1 million parameters; a larger explicit `maxIterations` allows more);
 * `'power'` up to `maxIterations` HVPs per run. Long computations can report progress (`onProgress`, every
 * `progressEvery` HVPs) and be stopped (`signal`).
 *
 * @param model - any {@link LossModel}.
 * @param theta - the point θ, a finite `Float64Array` of length `model.dim` (not modified).
 * @param options - method, which, tol, maxIterations, seed, onProgress, progressEvery, signal.
 * @returns `{ value, method, which, hvps, errorBound, converged }`.
 * @throws EosLabError `E_DIM_MISMATCH` if `theta.length !== model.dim` or `model.hessian(θ)` is not dim × dim;
 *   `E_NONFINITE` for NaN/±Infinity in θ, in a numeric option, or in the Hessian (or its products) at θ — e.g. from
 *   overflow far from the origin; `E_BAD_OPTION` for a non-model, a non-`Float64Array` θ, bad or unknown options
 *   (including tol, maxIterations or seed with `method: 'dense'`), or a Hessian that fails the symmetry probe
 *   (`checkSymmetry`); `E_NOT_SUPPORTED` for `method: 'dense'` on a model without `hessian`. Non-convergence is not
 *   an error here: see `converged`. `E_BAD_OPTION` also for `progressEvery` without `onProgress`;
 *   `E_ABORTED` when `signal` has fired (checked before each HVP).
 * @example
 * ```ts
 * import { sharpnessEstimate, scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create();
 * const est = sharpnessEstimate(model, new Float64Array([2, 0.5]), { method: 'lanczos' });
 * // on xy = 1 the sharpness is x² + y² = 4.25; est.hvps is the number of HVPs used
 * ```
 * @see {@link sharpness}, {@link lanczos}
 * @since 0.1.0
 */
export function sharpnessEstimate(model: LossModel, theta: Float64Array, options?: SharpnessOptions): SharpnessEstimate {
  const fn = 'sharpnessEstimate';
  const { rest, watch } = splitWatch(fn, options);
  const resolved = resolveSharpnessOptions(model, rest, fn);
  finiteVector(fn, 'theta', theta, model.dim);
  return checkedEstimate(model, theta, resolved, watch === undefined ? undefined : watchedWorkspace(fn, model, resolved, watch));
}

/** Symmetry probe (when due), the estimate, and `E_NONFINITE` for a non-finite Hessian at θ. */
function checkedEstimate(model: LossModel, theta: Float64Array, resolved: ResolvedSharpnessOptions, workspace?: SharpnessWorkspace): SharpnessEstimate {
  const probeHvps = resolved.checkSymmetry && resolved.method !== 'dense' ? hessianSymmetryProbe(model, theta, resolved) : 0;
  const est = sharpnessEstimateUnchecked(model, theta, resolved, workspace);
  if (Number.isNaN(est.value)) {
    const dense = est.method === 'dense';
    throw new EosLabError('E_NONFINITE', resolved.fn, {
      argument: dense ? 'model.hessian(theta)' : 'model.hvp(theta, v)',
      value: theta,
      expected: `finite at theta (the Hessian${dense ? '' : '-vector product'} has NaN/±Infinity entries there, e.g. from overflow; no eigenvalue can be computed)`,
    });
  }
  return probeHvps === 0 ? est : { ...est, hvps: est.hvps + probeHvps };
}

/** Progress and cancellation options of a public sharpness call. */
interface SharpnessWatch {
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((p: SharpnessProgress) => void) | undefined;
  readonly progressEvery: number;
}

/** Splits `signal`, `onProgress` and `progressEvery` off the sharpness options (validated). */
function splitWatch(fn: string, options: SharpnessOptions | undefined): { rest: SharpnessOptions | undefined; watch: SharpnessWatch | undefined } {
  if (options === undefined || options === null || typeof options !== 'object') return { rest: options, watch: undefined };
  const { signal, onProgress, progressEvery, ...rest } = optionsObject(fn, options);
  const watch: SharpnessWatch = {
    signal: validateSignal(fn, 'options.signal', signal),
    onProgress: onProgress === undefined ? undefined : isFunction<(p: SharpnessProgress) => void>(fn, 'options.onProgress', onProgress),
    progressEvery: progressEvery === undefined ? 10 : integerInRange(fn, 'options.progressEvery', progressEvery, 1),
  };
  if (progressEvery !== undefined && watch.onProgress === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.progressEvery', value: progressEvery, expected: 'undefined unless options.onProgress is given' });
  }
  throwIfAborted(fn, watch.signal, 'before its first Hessian-vector product');
  return { rest, watch: watch.signal === undefined && watch.onProgress === undefined ? undefined : watch };
}

/** A workspace whose HVP operator counts its products, reports progress and checks the signal before each. */
function watchedWorkspace(fn: string, model: LossModel, resolved: ResolvedSharpnessOptions, watch: SharpnessWatch): SharpnessWorkspace {
  const ws = createSharpnessWorkspace(model);
  const op = ws.op;
  const maxHvps = resolved.method === 'lanczos'
    ? Math.min(model.dim, resolved.maxIterations ?? defaultLanczosIterations(model.dim, 1))
    : (resolved.maxIterations ?? 1000);
  const { signal, onProgress, progressEvery } = watch;
  let hvps = 0;
  op.apply = (v: Float64Array, out: Float64Array): void => {
    if (signal !== undefined && signal.aborted) throw abortError(fn, signal, `after ${hvps} Hessian-vector products`);
    model.hvp(op.theta, v, out);
    hvps++;
    if (onProgress !== undefined && hvps % progressEvery === 0) onProgress({ hvps, maxHvps });
  };
  return ws;
}

/**
 * The sharpness of a model at θ: λ_max(∇²L(θ)) by default (Cohen et al. 2021), or max|λ| = ‖∇²L(θ)‖₂ with
 * `which: 'abs'` (S_L of [Conflicting biases]). Equals `sharpnessEstimate(model, theta, options).value`.
 *
 * @remarks
 * See {@link sharpnessEstimate} for the methods, conventions and cost; use it when you need the HVP count or
 * an error bound.
 *
 * @param model - any {@link LossModel}.
 * @param theta - the point θ, a finite `Float64Array` of length `model.dim` (not modified).
 * @param options - method, which, tol, maxIterations, seed.
 * @returns the sharpness value.
 * @throws EosLabError as {@link sharpnessEstimate} (with `sharpness` as the function name), and `E_NOT_CONVERGED`
 *   (since 0.2.0) when the iterative estimate did not meet `tol` within `maxIterations` — the number alone would
 *   hide that; use {@link sharpnessEstimate} to get an unconverged value with `converged: false`.
 * @example
 * ```ts
 * import { sharpness, scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create();
 * sharpness(model, new Float64Array([1, 1])); // 2 (= x² + y² on xy = 1)
 * sharpness(model, new Float64Array([0, 0]), { which: 'abs' }); // 1 (saddle: eigenvalues ±1)
 * ```
 * @since 0.1.0
 */
export function sharpness(model: LossModel, theta: Float64Array, options?: SharpnessOptions): number {
  const fn = 'sharpness';
  const { rest, watch } = splitWatch(fn, options);
  const resolved = resolveSharpnessOptions(model, rest, fn);
  finiteVector(fn, 'theta', theta, model.dim);
  const est = checkedEstimate(model, theta, resolved, watch === undefined ? undefined : watchedWorkspace(fn, model, resolved, watch));
  if (!est.converged) {
    const limit = resolved.maxIterations ?? (est.method === 'lanczos' ? Math.min(model.dim, 300) : 1000);
    throw new EosLabError('E_NOT_CONVERGED', fn, {
      argument: 'options.maxIterations',
      value: limit,
      expected:
        `enough iterations for the '${est.method}' estimate to meet tol = ${resolved.tol} (it stopped after ${est.hvps} HVPs at ` +
        `${est.value}, which need not be the extreme eigenvalue); raise maxIterations or tol, use method 'lanczos', or call ` +
        'sharpnessEstimate to get the unconverged value with converged: false',
    });
  }
  return est.value;
}

/**
 * The dense Hessian of `model` at θ, checked to be an n×n ndarray whose data covers its shape (entries are not
 * inspected here). A wrong shape is a bug in the model: `E_DIM_MISMATCH`, inside a run too.
 * @internal
 */
export function denseHessian(fn: string, model: LossModel, theta: Float64Array): NdArray {
  const H = (model.hessian as (t: Float64Array) => NdArray)(theta);
  const n = model.dim;
  const h = H as Partial<NdArray> | null;
  const shapeOk = h !== null && typeof h === 'object' && Array.isArray(h.shape) && h.shape.length === 2 && h.shape[0] === n && h.shape[1] === n;
  if (!shapeOk || typeof h.get !== 'function' || h.data === undefined || h.stride === undefined) {
    throw new EosLabError('E_DIM_MISMATCH', fn, {
      argument: 'model.hessian(theta).shape',
      value: h !== null && typeof h === 'object' ? h.shape : H,
      expected: `[${n}, ${n}] (an n×n ndarray for the model's dim ${n})`,
    });
  }
  let lo = H.offset;
  let hi = H.offset;
  for (let d = 0; d < 2; d++) {
    const reach = (n - 1) * H.stride[d];
    if (reach > 0) hi += reach;
    else lo += reach;
  }
  if (lo < 0 || hi >= (H.data as ArrayLike<number>).length) {
    throw new EosLabError('E_DIM_MISMATCH', fn, {
      argument: 'model.hessian(theta).data.length',
      value: (H.data as ArrayLike<number>).length,
      expected: `a backing store that covers shape [${n}, ${n}] with its strides and offset`,
    });
  }
  return H;
}

function allFinite(H: NdArray): boolean {
  const [r, c] = H.shape;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) if (!Number.isFinite(H.get(i, j))) return false;
  return true;
}

/**
 * The dense form of the symmetry probe: |Hᵢⱼ − Hⱼᵢ| ≤ 1e-6·max|H| on a finite H, else `E_BAD_OPTION` naming
 * `model.hessian(theta)`. O(n²), next to the O(n³) eigendecomposition.
 */
function checkDenseSymmetry(H: NdArray, options: ResolvedSharpnessOptions): void {
  const n = H.shape[0];
  let big = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) big = Math.max(big, Math.abs(H.get(i, j)));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.abs(H.get(i, j) - H.get(j, i));
      if (d > SYMMETRY_PROBE_TOL * big) {
        throw new EosLabError('E_BAD_OPTION', options.fn, {
          argument: 'model.hessian(theta)',
          value: `H[${i}, ${j}] = ${H.get(i, j)}, H[${j}, ${i}] = ${H.get(j, i)}`,
          expected: `a symmetric matrix (|H_ij − H_ji| ≤ ${SYMMETRY_PROBE_TOL}·max|H| = ${SYMMETRY_PROBE_TOL * big}); a Hessian is symmetric, so this is a bug in the model (set ${options.path}.checkSymmetry: false to skip the check)`,
        });
      }
    }
  }
}

/** Relative tolerance of the symmetry probe: far above rounding (≈ √p·ε), far below a real asymmetry (≈ 1). */
const SYMMETRY_PROBE_TOL = 1e-6;
/** Seed of the probe vectors (fixed: the probe must not depend on the user's seed, and is deterministic). */
const SYMMETRY_PROBE_SEED = 0x5eed;

/**
 * The cheap symmetry probe of {@link SharpnessOptions.checkSymmetry}: for iterative methods, |uᵀ(Hv) − vᵀ(Hu)| ≤
 * 1e-6·(‖u‖‖Hv‖ + ‖v‖‖Hu‖) with seeded normal u, v (2 HVPs, returned); for `'dense'`, |Hᵢⱼ − Hⱼᵢ| ≤ 1e-6·max|H|
 * on one `hessian` call (0 HVPs; a dense estimate checks the matrix it forms anyway). Non-finite products are left to the estimate (which reports them). Throws
 * `E_BAD_OPTION` naming `model.hvp` or `model.hessian` otherwise.
 * @internal
 */
export function hessianSymmetryProbe(model: LossModel, theta: Float64Array, options: ResolvedSharpnessOptions): number {
  const { fn } = options;
  const n = model.dim;
  if (options.method === 'dense') {
    // (The estimate itself checks the Hessian it forms; callers that estimate anyway skip this extra hessian call.)
    const H = denseHessian(fn, model, theta);
    if (allFinite(H)) checkDenseSymmetry(H, options);
    return 0;
  }
  const r = rng(SYMMETRY_PROBE_SEED);
  const u = r.fillNormal(new Float64Array(n));
  const v = r.fillNormal(new Float64Array(n));
  const hu = new Float64Array(n);
  const hv = new Float64Array(n);
  model.hvp(theta, Float64Array.from(u), hu);
  model.hvp(theta, Float64Array.from(v), hv);
  const a = dot(u, hv);
  const b = dot(v, hu);
  const scale = nrm2(u) * nrm2(hv) + nrm2(v) * nrm2(hu);
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(scale)) return 2;
  if (Math.abs(a - b) > SYMMETRY_PROBE_TOL * scale) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'model.hvp',
      value: `uᵀ(Hv) = ${a}, vᵀ(Hu) = ${b}`,
      expected: `a symmetric Hessian-vector product (|uᵀ(Hv) − vᵀ(Hu)| ≤ ${SYMMETRY_PROBE_TOL}·(‖u‖‖Hv‖ + ‖v‖‖Hu‖) = ${SYMMETRY_PROBE_TOL * scale} for random u, v); a Hessian is symmetric, so this is a bug in the model (set ${options.path}.checkSymmetry: false to skip the check)`,
    });
  }
  return 2;
}
