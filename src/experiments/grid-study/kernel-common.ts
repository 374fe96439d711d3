/**
 * What the grid-study kernels share: status codes, the per-run settings, the struct-of-arrays output of a batch of
 * starts, and the growable scratch that holds one run's late-phase values for the exact median.
 *
 * @module
 */
import type { LrSchedule } from '../../dynamics/schedules.js';
import { MAX_RUNS } from './median.js';

/** Status codes of a run: indices into {@link GRID_STUDY_STATUSES}. @internal */
export const CONVERGED = 0;
export const DIVERGED = 1;
export const MAX_STEPS = 2;

/**
 * The status names of the grid study's status codes: `status[s] = 0` means `'converged'`, 1 `'diverged'`,
 * 2 `'max-steps'` (the same words as `gd`'s statuses).
 *
 * @example
 * ```ts
 * import { GRID_STUDY_STATUSES } from 'eos-lab';
 * console.log(GRID_STUDY_STATUSES[2]); // 'max-steps'
 * ```
 * @since 0.1.0
 */
export const GRID_STUDY_STATUSES = Object.freeze(['converged', 'diverged', 'max-steps'] as const);

/** Settings of every run of a batch (validated by `gridStudy`). @internal */
export interface RunSettings {
  /** η (with `schedule`, the nominal η of the run). */
  readonly learningRate: number;
  /** The run's schedule η_k (generic kernel only), or absent/null for the constant `learningRate`. */
  readonly schedule?: LrSchedule | null;
  /** Converged at the first k with |r(θ_k)| < tolerance. */
  readonly tolerance: number;
  /** Step budget: iterates θ_0 … θ_maxSteps are examined. */
  readonly maxSteps: number;
  /** Diverged when an iterate has a non-finite entry or one of magnitude ≥ this. */
  readonly divergenceThreshold: number;
  /** The late phase starts at the first k with |r(θ_k)| < lateFraction·|r(θ_0)| ([Scalar factorization]: 0.01). */
  readonly lateFraction: number;
}

/** The outcome of a batch of runs, one entry per start (struct of arrays). @internal */
export interface BatchResult {
  readonly status: Uint8Array;
  readonly steps: Int32Array;
  /** Row-major [count, dim]: the final iterate (for 'diverged', the last one that passed the test). */
  readonly finalTheta: Float64Array;
  readonly sharpnessProxy: Float64Array;
  readonly sharpnessExact: Float64Array;
  /** First late iterate, −1 if none. */
  readonly lateFrom: Int32Array;
  /** Median over the late iterates of |η·s − 2| with the proxy s, NaN if none. */
  readonly eosMedianProxy: Float64Array;
  /** The same with the exact λ_max. */
  readonly eosMedianExact: Float64Array;
  /** The k with θ_{k+1} = θ_k exactly (a fixed point of the rounded map; the run then stops computing), −1 if none. */
  readonly fixedPointAt: Int32Array;
  /**
   * The k with θ_{k+1} = θ_{k−1} exactly in the late phase (a 2-cycle of the rounded map; the run then stops
   * computing), −1 if none.
   */
  readonly cycleAt: Int32Array;
}

/** A typed-array constructor of the kinds the grid study allocates. @internal */
interface TypedArrayKind<A> {
  new (length: number): A;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): A;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * Typed arrays carved out of one buffer — a `SharedArrayBuffer` when shared, so that worker threads receiving them
 * in a task write into this very memory — each starting on its own 64-byte cache line. One large buffer rather
 * than many small ones: the operating system typically maps a large allocation lazily, so its pages are zeroed
 * when first written, by the worker threads, rather than up front by the calling thread (for [Scalar factorization]'s study,
 * about 4 ms of serial work less). @internal
 */
export class ArrayArena {
  private used = 0;

  private constructor(private readonly buffer: ArrayBufferLike | undefined) {}

  /**
   * Runs `layout` to take arrays from one arena and returns what it returns. `layout` runs twice — first on an
   * arena that only adds up the sizes (its arrays are empty) — so it must take the same arrays both times.
   */
  static build<T>(shared: boolean, layout: (arena: ArrayArena) => T): T {
    const sizing = new ArrayArena(undefined);
    layout(sizing);
    return layout(new ArrayArena(shared ? new SharedArrayBuffer(sizing.used) : new ArrayBuffer(sizing.used)));
  }

  /** A zeroed array of `length` elements of the given kind. */
  take<A>(Kind: TypedArrayKind<A>, length: number): A {
    const at = this.used;
    this.used += Math.ceil((length * Kind.BYTES_PER_ELEMENT) / 64) * 64;
    return this.buffer === undefined ? new Kind(0) : new Kind(this.buffer, at, length);
  }
}

/** Takes the output of a batch of `count` starts of dimension `dim` from `arena`. @internal */
export function allocateBatchResult(arena: ArrayArena, count: number, dim: number): BatchResult {
  return {
    status: arena.take(Uint8Array, count),
    steps: arena.take(Int32Array, count),
    finalTheta: arena.take(Float64Array, count * dim),
    sharpnessProxy: arena.take(Float64Array, count),
    sharpnessExact: arena.take(Float64Array, count),
    lateFrom: arena.take(Int32Array, count),
    eosMedianProxy: arena.take(Float64Array, count),
    eosMedianExact: arena.take(Float64Array, count),
    fixedPointAt: arena.take(Int32Array, count),
    cycleAt: arena.take(Int32Array, count),
  };
}

/**
 * One run's late-phase values |η·s_k − 2| (proxy and exact), overwritten by the next run. It starts small and
 * doubles when a late phase outgrows it, so its size is that of the longest late phase seen (≤ maxSteps + 1) and
 * the kernels allocate nothing once it has grown. `runs` is the scratch of `medianOfRuns`. @internal
 */
export class LateScratch {
  proxy = new Float64Array(4096);
  exact = new Float64Array(4096);
  readonly runs = new Int32Array(3 * MAX_RUNS);
  /** Per-lane doubles of the two-lane kernel that stay off registers (see runDepth2BatchTwoLanes). */
  readonly laneSlots = new Float64Array(6);
  private second: LateScratch | undefined;

  /** A second scratch that lives as long as this one, for a kernel that advances two runs at once (created lazily). */
  partner(): LateScratch {
    return (this.second ??= new LateScratch());
  }

  /** Doubles both buffers, keeping their first `used` values. */
  grow(used: number): void {
    const proxy = new Float64Array(this.proxy.length * 2);
    const exact = new Float64Array(this.exact.length * 2);
    proxy.set(this.proxy.subarray(0, used));
    exact.set(this.exact.subarray(0, used));
    this.proxy = proxy;
    this.exact = exact;
  }
}
