import type { NdArray } from 'ndarray';
import { EosLabError } from '../core/errors.js';
import { rng } from '../core/rng.js';
import { finiteVector, integerInRange, optionKeys, optionsObject, positiveFinite } from '../core/validate.js';
import { normalizeSign } from './lanczos.js';
import { type LinearOperator, toLinearOperator } from './operator.js';
import { nrm2 } from './vector.js';

const EPS = Number.EPSILON;

/**
 * Options of {@link powerIteration}.
 * @since 0.1.0
 */
export interface PowerIterationOptions {
  /**
   * Relative residual tolerance: stop when ‖A v − ρ v‖ ≤ tol·|ρ| (or at rounding level ε·‖A v‖).
   * @defaultValue 1e-10
   * @since 0.1.0
   */
  tol?: number;
  /**
   * Maximum number of iterations (= operator applications).
   * @defaultValue 1000
   * @since 0.1.0
   */
  maxIterations?: number;
  /**
   * Seed of the random start vector (`rng(seed).fillNormal`).
   * @defaultValue 0
   * @since 0.1.0
   */
  seed?: number;
  /**
   * Start vector (normalized internally; not modified). Must be finite, of length n and nonzero.
   * @defaultValue a standard normal vector from `seed`
   * @since 0.1.0
   */
  startVector?: Float64Array;
}

/**
 * Result of {@link powerIteration}.
 * @since 0.1.0
 */
export interface PowerIterationResult {
  /** Rayleigh quotient ρ = vᵀ A v of the final unit vector: the dominant eigenvalue, with its sign. */
  readonly value: number;
  /** The final unit vector v (sign convention: its first entry of largest magnitude is positive). */
  readonly vector: Float64Array;
  /** ‖A v − ρ v‖ (computed, not estimated); some eigenvalue lies within it of ρ. */
  readonly residualNorm: number;
  /** True when the residual met the tolerance. */
  readonly converged: boolean;
  /** Number of iterations. */
  readonly iterations: number;
  /** Number of operator applications; equals `iterations`. */
  readonly matvecs: number;
}

/**
 * Scratch of {@link powerIterationUnchecked}.
 * @internal
 */
export interface PowerWorkspace {
  readonly v: Float64Array;
  /** Copy of `v` handed to the operator, so an operator that writes into its input cannot change the iterate. */
  readonly input: Float64Array;
  readonly w: Float64Array;
  readonly seededStart: Float64Array;
  startSeed: number;
}

/** @internal */
export function createPowerWorkspace(dim: number): PowerWorkspace {
  return { v: new Float64Array(dim), input: new Float64Array(dim), w: new Float64Array(dim), seededStart: new Float64Array(dim), startSeed: NaN };
}

/**
 * Result of the power kernel: the final unit vector stays in `ws.v`.
 * @internal
 */
export interface PowerKernelResult {
  value: number;
  residualNorm: number;
  converged: boolean;
  iterations: number;
}

/**
 * Power iteration on A − σI without validation; the final unit vector is left in `ws.v`. Allocates nothing
 * (except the cached seeded start vector on first use of a seed).
 * @internal
 */
export function powerIterationUnchecked(
  op: LinearOperator,
  shift: number,
  tol: number,
  maxIterations: number,
  seed: number,
  startVector: Float64Array | undefined,
  ws: PowerWorkspace,
): PowerKernelResult {
  const n = op.dim;
  const { v, input, w } = ws;
  let start = startVector;
  if (start === undefined) {
    if (ws.startSeed !== seed) {
      rng(seed).fillNormal(ws.seededStart);
      ws.startSeed = seed;
    }
    start = ws.seededStart;
  }
  const s0 = nrm2(start);
  for (let i = 0; i < n; i++) v[i] = start[i] / s0;
  let rho = 0;
  let res = Infinity;
  let converged = false;
  let it = 0;
  while (it < maxIterations) {
    input.set(v);
    op.apply(input, w);
    it++;
    if (shift !== 0) for (let i = 0; i < n; i++) w[i] -= shift * v[i];
    let vw = 0;
    for (let i = 0; i < n; i++) vw += v[i] * w[i];
    rho = vw;
    const wn = nrm2(w);
    if (!Number.isFinite(wn) || !Number.isFinite(rho)) {
      // The operator produced NaN/±∞: stop, not converged (never a NaN reported as converged).
      rho = NaN;
      res = NaN;
      break;
    }
    // ‖w − ρv‖, scaled by ‖w‖ so that squares neither overflow nor underflow.
    let rr = 0;
    if (wn > 0) {
      for (let i = 0; i < n; i++) {
        const t = (w[i] - rho * v[i]) / wn;
        rr += t * t;
      }
    }
    res = wn * Math.sqrt(rr);
    if (res <= Math.max(tol * Math.abs(rho), EPS * wn)) {
      converged = true;
      break;
    }
    if (it === maxIterations) break;
    for (let i = 0; i < n; i++) v[i] = w[i] / wn;
  }
  return { value: rho, residualNorm: res, converged, iterations: it };
}

/**
 * The dominant eigenvalue (largest |λ|, returned with its sign) of a symmetric matrix or operator by power
 * iteration: v_{t+1} = A v_t / ‖A v_t‖, estimate ρ_t = v_tᵀ A v_t (Rayleigh quotient). For comparison with
 * {@link lanczos}, which needs far fewer products for the same accuracy.
 *
 * @remarks
 * The error of ρ decays like (|λ₂|/|λ₁|)^{2t} and the residual like (|λ₂|/|λ₁|)^t, so the count grows as
 * 1/log(|λ₁|/|λ₂|) when the top two magnitudes are close; with λ and −λ both dominant it does not converge
 * (`converged: false`). Convention: this finds max|λ| (S_L of [Conflicting biases] when A is a Hessian), not λ_max; for
 * λ_max use {@link lanczos} with `which: 'largest'` or {@link sharpness} (which shifts for you).
 * Cost: one operator application per iteration; O(n) extra work; memory 3n.
 *
 * @param operator - a dense symmetric `NdArray` or a symmetric {@link LinearOperator}.
 * @param options - tol, maxIterations, seed, startVector.
 * @returns `{ value, vector, residualNorm, converged, iterations, matvecs }`.
 * @throws EosLabError `E_BAD_OPTION` for a non-operator, tol ≤ 0, maxIterations < 1, a bad seed or a zero
 *   start vector; `E_DIM_MISMATCH` for a non-square matrix or a start vector of the wrong length;
 *   `E_NONFINITE` for NaN/±Infinity in the matrix or start vector; `E_EMPTY` for n = 0.
 * @example
 * ```ts
 * import { powerIteration, matrixFromRows } from 'eos-lab';
 * const { value } = powerIteration(matrixFromRows([[1, 0], [0, -3]])); // -3 (dominant, with its sign)
 * ```
 * @see {@link lanczos}
 * @since 0.1.0
 */
export function powerIteration(operator: NdArray | LinearOperator, options?: PowerIterationOptions): PowerIterationResult {
  const fn = 'powerIteration';
  const op = toLinearOperator(fn, 'operator', operator);
  const opts = optionsObject(fn, options, optionKeys<PowerIterationOptions>({ tol: true, maxIterations: true, seed: true, startVector: true }));
  const n = op.dim;
  const tol = opts.tol === undefined ? 1e-10 : positiveFinite(fn, 'options.tol', opts.tol);
  const maxIterations = opts.maxIterations === undefined ? 1000 : integerInRange(fn, 'options.maxIterations', opts.maxIterations, 1);
  const seed = opts.seed === undefined ? 0 : integerInRange(fn, 'options.seed', opts.seed, -0x80000000, 0x7fffffff);
  let startVector: Float64Array | undefined;
  if (opts.startVector !== undefined) {
    startVector = finiteVector(fn, 'options.startVector', opts.startVector, n);
    if (nrm2(startVector) === 0) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.startVector', value: startVector, expected: 'a nonzero vector' });
    }
  }
  const ws = createPowerWorkspace(n);
  const r = powerIterationUnchecked(op, 0, tol, maxIterations, seed, startVector, ws);
  const vector = Float64Array.from(ws.v);
  normalizeSign(vector);
  return { value: r.value, vector, residualNorm: r.residualNorm, converged: r.converged, iterations: r.iterations, matvecs: r.iterations };
}
