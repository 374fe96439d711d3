/**
 * Top-k Hessian eigenvalue tracking along a run of {@link gd}, {@link train}, {@link gradientFlow} or {@link centralFlow} (`record.topK`): the
 * options, their validation and the recorder the drivers call ([Cohen et al. 2021]'s `neigs`/`eig_freq`).
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { integerInRange, optionsObject } from '../core/validate.js';
import { combineStartVectors } from '../linalg/lanczos.js';
import { resolveTopEigenpairs, TopEigenpairsSolver, type ResolvedTopEigenpairs } from '../sharpness/top-eigenpairs.js';

function isBoolean(fn: string, argument: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: 'true or false' });
  return value;
}

/**
 * Options of top-k tracking along a run (`record.topK` of {@link gd}, {@link train}, {@link gradientFlow} and
 * {@link centralFlow} (since 0.2.0)).
 *
 * @since 0.2.0
 */
export interface TopKRecordOptions {
  /**
   * Number k of largest Hessian eigenvalues to track (clamped to the model's dim).
   * @defaultValue 1
   */
  k?: number;
  /**
   * Compute them at every step k with k mod `every` = 0 (including step 0).
   * @defaultValue 1
   */
  every?: number;
  /**
   * Also keep the k eigenvectors of every record in the trace (p·k numbers per record).
   * @defaultValue false
   */
  vectors?: boolean;
  /**
   * Warm-start each Lanczos run from the eigenvectors of the previous record (false: a fresh random start
   * each time, for comparison).
   * @defaultValue true
   */
  warmStart?: boolean;
  /**
   * Relative residual tolerance of Lanczos (‖H y − θ y‖ ≤ tol·|θ|).
   * @defaultValue 1e-8
   */
  tol?: number;
  /**
   * Largest number of HVPs per record.
   * @defaultValue min(dim, max(300, 2k))
   */
  maxIterations?: number;
  /**
   * Seed of Lanczos' random start (the first record, cold starts, breakdowns).
   * @defaultValue 0
   */
  seed?: number;
}

/**
 * The top-k part of a run's trace: entry j describes the iterate θ_s at s = `step[j]`.
 *
 * @since 0.2.0
 */
export interface TopKTrace {
  /** Number of eigenvalues per record (the requested k clamped to the dim). */
  readonly k: number;
  /** Step indices s = 0, every, 2·every, … of the records. */
  readonly step: Int32Array;
  /** λ₁(θ_s) ≥ … ≥ λ_k(θ_s), row-major: `values[j·k + i]` is λ_{i+1} at `step[j]`. */
  readonly values: Float64Array;
  /** With `vectors: true`, `vectors[j][i]` is the unit eigenvector of `values[j·k + i]`; otherwise `null`. */
  readonly vectors: Float64Array[][] | null;
  /**
   * ⟨θ_{s+1} − θ_s, v₁(θ_s)⟩: the update's component along the top eigenvector (v₁'s sign: its first entry of
   * largest magnitude is positive); NaN when the run stopped at s (no update taken).
   */
  readonly updateProjection: Float64Array;
  /** HVPs spent on each record. */
  readonly hvps: Int32Array;
  /** Whether each record's Lanczos run met the tolerance (1) or not (0). */
  readonly converged: Uint8Array;
}

/** Validated `record.topK`. */
export interface ResolvedTopK extends ResolvedTopEigenpairs {
  readonly every: number;
  readonly vectors: boolean;
  readonly warmStart: boolean;
}

const ALLOWED = ['k', 'every', 'vectors', 'warmStart', 'tol', 'maxIterations', 'seed'] as const;

/** Validates `options.record.topK` of driver `fn` (undefined: no tracking). */
export function resolveTopK(fn: string, model: LossModel, value: TopKRecordOptions | undefined, maxSteps: number, maxTraceLength: number): ResolvedTopK | undefined {
  if (value === undefined) return undefined;
  const path = 'options.record.topK';
  const o = optionsObject(fn, value, ALLOWED, path);
  const every = o.every === undefined ? 1 : integerInRange(fn, `${path}.every`, o.every, 1, 0x7fffffff);
  if (Math.floor(maxSteps / every) + 1 > maxTraceLength) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: `${path}.every`,
      value: every,
      expected: `an integer >= ${Math.floor(maxSteps / maxTraceLength) + 1} for maxSteps = ${maxSteps} (a trace holds at most ${maxTraceLength} entries)`,
    });
  }
  const vectors = o.vectors === undefined ? false : isBoolean(fn, `${path}.vectors`, o.vectors);
  const warmStart = o.warmStart === undefined ? true : isBoolean(fn, `${path}.warmStart`, o.warmStart);
  return { ...resolveTopEigenpairs(fn, path, model, o), every, vectors, warmStart };
}

/** Computes and stores the top-k eigenpairs at the due steps of one run, and the update projections. */
export class TopKRecorder {
  hvpsTotal = 0;
  readonly every: number;
  private readonly solver: TopEigenpairsSolver;
  private readonly steps: number[] = [];
  private readonly values: number[] = [];
  private readonly vectorRecords: Float64Array[][] = [];
  private readonly projections: number[] = [];
  private readonly hvps: number[] = [];
  private readonly converged: number[] = [];
  private previous: Float64Array[] | undefined;
  private pending = false;

  constructor(
    model: LossModel,
    private readonly options: ResolvedTopK,
  ) {
    this.every = options.every;
    this.solver = new TopEigenpairsSolver(model, options);
  }

  /** Records the eigenpairs at θ_s (θ used in place, not kept). */
  record(s: number, theta: Float64Array): void {
    let start: Float64Array | undefined;
    if (this.options.warmStart && this.previous !== undefined) {
      start = this.solver.startBuffer;
      if (!(combineStartVectors(this.previous, start) > 0)) start = undefined;
    }
    const r = this.solver.solve(theta, start);
    this.previous = r.vectors;
    this.steps.push(s);
    for (let i = 0; i < this.options.k; i++) this.values.push(i < r.values.length ? r.values[i] : NaN);
    if (this.options.vectors) this.vectorRecords.push(r.vectors);
    this.projections.push(NaN);
    this.hvps.push(r.hvps);
    this.converged.push(r.converged ? 1 : 0);
    this.hvpsTotal += r.hvps;
    this.pending = true;
  }

  /** After a step from θ_s (`before`) to θ_{s+1} (`after`): stores ⟨θ_{s+1} − θ_s, v₁(θ_s)⟩ if s was recorded. */
  afterStep(before: Float64Array, after: Float64Array): void {
    if (!this.pending) return;
    this.pending = false;
    const v = (this.previous as Float64Array[])[0];
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * (after[i] - before[i]);
    this.projections[this.projections.length - 1] = s;
  }

  /** The trace (typed arrays). */
  finish(): TopKTrace {
    return {
      k: this.options.k,
      step: Int32Array.from(this.steps),
      values: Float64Array.from(this.values),
      vectors: this.options.vectors ? this.vectorRecords : null,
      updateProjection: Float64Array.from(this.projections),
      hvps: Int32Array.from(this.hvps),
      converged: Uint8Array.from(this.converged),
    };
  }
}
