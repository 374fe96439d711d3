/**
 * [Scalar factorization]'s grid-of-starts study: GD from every start of a masked lattice, at several learning rates, with the
 * seed's statistics (final sharpness, its median, the fraction of runs near the edge of stability), in parallel.
 *
 * @module
 */
import { totalMemoryBytes } from '#platform/memory';
import { WORKER_THREADS } from '#platform/threads';
import ndarray, { type NdArray } from 'ndarray';
import { throwIfAborted, validateSignal } from '../../core/abort.js';
import { EosLabError } from '../../core/errors.js';
import { hessianSymmetryProbe, resolveSharpnessOptions } from '../../sharpness/sharpness.js';
import type { LossModel, ModelSpec } from '../../core/loss-model.js';
import { scheduleOfShape, type LrSchedule } from '../../dynamics/schedules.js';
import { integerInRange, isFunction, oneOf, optionKeys, optionsObject, positiveFinite } from '../../core/validate.js';
import { checkSpecReproduces, createModelOrPreload, fingerprint as fingerprintOf, probeWorkers } from '../../parallel/model-check.js';
import { createTaskPool, defaultWorkerCount, validateWorkers, type TaskPool } from '../../parallel/pool.js';
import { sharedTaskPool } from '../../parallel/shared-pool.js';
import { GRID_STUDY_CHUNK, type GridStudyChunkTask, type GridStudyEngine, type GridStudyRateOutputs } from './chunk-task.js';
import { buildGrid, type GridOptions, type GridStarts, type ResolvedGrid, resolveGrid } from './grid.js';
import { allocateBatchResult, ArrayArena, type BatchResult, CONVERGED, DIVERGED } from './kernel-common.js';
import { medianInPlace } from './median.js';

/** [Scalar factorization]'s learning rates: 0.1, 0.2, …, 0.9, 0.95, 0.99. */
const SEED_LEARNING_RATES: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

/** Tasks per worker thread (see the task split in `gridStudy`). */
const TASKS_PER_WORKER = 4;

/** Starts per block of the task split (64 starts: a block's entries of an array fill whole cache lines). */
const BLOCK_SIZE = 64;

/**
 * With `workers` left at its default: a study of fewer runs (starts × learning rates) than this runs in the calling
 * thread. Measured by hand on a contended two-core machine (built package, medians of 5 calls), studies of 3,771,
 * 7,844 and 16,926 runs took 15–165 ms in this thread and about as long on two warm threads (0.7–1.6× either way,
 * varying with the load), while the first threaded call of a process also starts the threads (0.3–0.9 s there):
 * below this size threads do not pay. @internal
 */
export const GRID_STUDY_IN_PROCESS_RUNS = 16_384;

/** Chunks of an in-process study with `onProgress` or `signal` (progress reports and abort points). */
const IN_PROCESS_CHUNKS = 16;

/**
 * Progress of {@link gridStudy}: after each chunk of starts has run at every learning rate.
 *
 * @since 0.2.0
 */
export interface GridStudyProgress {
  /** Chunks finished. */
  readonly completed: number;
  /** Chunks of the study. */
  readonly total: number;
  /** Starts finished (at every learning rate). */
  readonly startsCompleted: number;
  /** Starts of the study. */
  readonly starts: number;
}

/**
 * Options of {@link gridStudy}. Every field is optional; the defaults are [Scalar factorization]'s study.
 *
 * @since 0.1.0
 */
export interface GridStudyOptions {
  /**
   * The lattice of starts (for models with dim 2). Not together with `starts`.
   * @defaultValue `{ shape: 'disk', n: 141, radius: 3 }` — [Scalar factorization]'s 15,373 starts
   */
  grid?: GridOptions;
  /**
   * Your own starts instead of a grid: an `NdArray` of shape [m, dim] (any strides), finite. Results then have no
   * maps. Not together with `grid`.
   * @defaultValue none (the grid is used)
   */
  starts?: NdArray;
  /**
   * The learning rates η, each finite and > 0 (at least one).
   * @defaultValue `[0.1, 0.2, …, 0.9, 0.95, 0.99]` [Scalar factorization]
   */
  learningRates?: readonly number[];
  /**
   * Runs each learning rate η under a schedule of this shape: GD from every start takes η_k = `lrSchedule(η)` at
   * step k (e.g. `(eta) => lrSchedule.linearWarmup({ peak: eta, warmupSteps: 100 })`). The study's η (`learningRate`
   * of each rate and summary) stays the nominal η; the late-phase test uses the rate of each step,
   * median |η_k·s(θ_k) − 2|. Runs on the generic kernel only (`engine: 'auto'` picks it; `'fused'` is
   * `E_NOT_SUPPORTED`: the fused kernel's loop takes one constant η). Must return a schedule from `lrSchedule`
   * (`E_BAD_OPTION` otherwise), plain data with worker threads (`lrSchedule.fromFunction` there is
   * `E_NOT_SUPPORTED`).
   * @defaultValue none: a constant η per learning rate (the fused kernel applies)
   * @since 0.2.0
   */
  lrSchedule?: (eta: number) => LrSchedule;
  /**
   * A run has `'converged'` at the first iterate with |r(θ_k)| < tolerance, where r = ∏ᵢ wᵢ − c for the scalar
   * factorization and r = √(2L(θ)) for other models.
   * @defaultValue 1e-8
   */
  tolerance?: number;
  /**
   * Step budget: iterates θ_0 … θ_maxSteps are examined, then the run stops with `'max-steps'`. An integer in
   * [1, 10⁹].
   * @defaultValue 20000
   */
  maxSteps?: number;
  /**
   * A run has `'diverged'` when an iterate has a NaN entry or one of magnitude ≥ this; must exceed every start's
   * largest entry.
   * @defaultValue 1e6
   */
  divergenceThreshold?: number;
  /**
   * The late phase of a run starts at the first iterate with |r(θ_k)| < lateFraction·|r(θ_0)| ([Scalar factorization]: "once
   * |xy − 1| has dropped below 1% of its initial value"). In (0, 1].
   * @defaultValue 0.01
   */
  lateFraction?: number;
  /**
   * A run "spent time near the edge of stability" when the median over its late iterates of |η·s − 2| is below
   * this ([Scalar factorization]: 0.1).
   * @defaultValue 0.1
   */
  eosBand?: number;
  /**
   * Which kernel: `'fused'` (depth-2 scalar factorization only: the allocation-free loop with closed-form λ_max),
   * `'generic'` (any `LossModel`: `lossAndGrad` and the sharpness module), or `'auto'` (fused when it applies).
   * @defaultValue 'auto'
   */
  engine?: 'auto' | 'fused' | 'generic';
  /**
   * Worker threads (0 or 1: run in the calling thread). Results are bit-identical for every value. Without
   * `pool`, the threads come from a pool shared by every `gridStudy` and `lrSweep` call with the same `workers`
   * and `preload` (created on first use, kept warm between calls, never keeping the process alive; see
   * `closeSharedPool`). In a browser the study runs in the calling thread whatever this says (same results).
   * @defaultValue `os.availableParallelism()`; `0` (this thread) for a study of fewer than 16,384 starts ×
   *   learning rates, which would not pay for threads
   */
  workers?: number;
  /**
   * A pool from `createTaskPool` to run on (kept open). Not together with `workers` or `preload`.
   * @defaultValue the shared pool for `workers` and `preload` (see `closeSharedPool`)
   */
  pool?: TaskPool;
  /**
   * Modules each worker imports first — the module that registers your model, if it is not built in (see
   * `createTaskPool`). Not together with `pool`.
   * @defaultValue `[]`
   */
  preload?: readonly string[];
  /**
   * Stops the study: its promise rejects with `E_ABORTED` and its worker threads are terminated (in-process, it
   * stops before the next chunk of starts).
   * @defaultValue none
   * @since 0.2.0
   */
  signal?: AbortSignal;
  /**
   * Called after each chunk of starts has run at every learning rate, with the chunks and starts done.
   * @defaultValue none
   * @since 0.2.0
   */
  onProgress?: (progress: GridStudyProgress) => void;
  /**
   * With `onProgress` or `signal`: the largest number of starts in a chunk, so progress is reported (and an abort
   * can land) at least every this many starts (times the learning rates). An integer ≥ 1.
   * @defaultValue about a sixteenth of the starts in this thread; the split for the workers otherwise
   * @since 0.2.0
   */
  progressEvery?: number;
}

/**
 * Counts of the starts whose gradient flow ends at a saddle instead of a minimizer ([Scalar factorization]: the line x = −y for
 * c > 0), by their GD status at one learning rate.
 *
 * @since 0.1.0
 */
export interface SaddleStartCounts {
  readonly count: number;
  readonly converged: number;
  readonly diverged: number;
  readonly maxSteps: number;
}

/**
 * The post's statistics at one learning rate (plain JSON).
 *
 * @since 0.1.0
 */
export interface GridStudyRateSummary {
  readonly learningRate: number;
  /** Number of starts. */
  readonly starts: number;
  readonly converged: number;
  readonly diverged: number;
  readonly maxSteps: number;
  /** Median over converged runs of the final proxy sharpness s = ‖θ‖₂² (NaN if none converged). */
  readonly medianSharpnessProxy: number;
  /** Median over converged runs of the final λ_max(∇²L) (NaN if none converged). */
  readonly medianSharpnessExact: number;
  /**
   * Median over the same converged runs of their starts' gradient-flow-solution sharpness (scalar factorization
   * only; NaN otherwise or if none converged): what gradient flow would have given.
   */
  readonly medianGfsSharpness: number;
  /** Fraction of converged runs whose late-phase median |η·s − 2| (proxy s) is < eosBand (NaN if none converged). */
  readonly eosFractionProxy: number;
  /** The same with the exact λ_max. */
  readonly eosFractionExact: number;
  /** The starts whose gradient flow goes to a saddle, by status (scalar factorization only). */
  readonly saddleStarts: SaddleStartCounts | undefined;
  /** GD updates of the study at this learning rate: Σ steps over the starts. */
  readonly gdUpdates: number;
  /** Runs that reached a fixed point of the rounded GD map (θ_{k+1} = θ_k) and stopped computing ('max-steps'). */
  readonly fixedPoints: number;
  /** Runs caught in a 2-cycle of the rounded GD map in their late phase (see `cycleAt`), which stopped computing. @since 0.2.0 */
  readonly cycles: number;
  /** GD updates actually computed: gdUpdates minus the maxSteps − k updates skipped after each fixed point or 2-cycle. */
  readonly gdUpdatesComputed: number;
}

/**
 * Heat maps over the lattice: `map.get(a, b)` belongs to the start (t_a, t_b) (x index first, see `GridStarts`).
 *
 * @since 0.1.0
 */
export interface GridStudyMaps {
  /** Final proxy sharpness; NaN outside the mask and where the run did not converge. */
  readonly sharpnessProxy: NdArray<Float64Array>;
  /** Final λ_max; NaN outside the mask and where the run did not converge. */
  readonly sharpnessExact: NdArray<Float64Array>;
  /** Status code (0 converged, 1 diverged, 2 max-steps); NaN outside the mask. */
  readonly status: NdArray<Float64Array>;
}

/**
 * The outcome at one learning rate: per start (struct of arrays, index s = start s), the summary and the maps.
 *
 * @remarks
 * With worker threads (`workers` ≥ 2 or a threaded `pool`), the arrays (and the maps' data) are views on
 * `SharedArrayBuffer`s that the workers wrote in place; nothing writes to them once the study's promise has
 * resolved. In-process they are on ordinary `ArrayBuffer`s. The values are the same either way.
 *
 * @since 0.1.0
 */
export interface GridStudyRate {
  readonly learningRate: number;
  /** Status code per start: `GRID_STUDY_STATUSES[status[s]]` is `'converged'`, `'diverged'` or `'max-steps'`. */
  readonly status: Uint8Array;
  /**
   * Index of the last iterate examined: for 'converged' the first k with |r| < tolerance, for 'max-steps' maxSteps,
   * for 'diverged' the first k whose iterate failed the divergence test. Also the number of GD updates.
   */
  readonly steps: Int32Array;
  /** The final iterates, shape [m, dim] (for 'diverged', the last iterate that passed the test). */
  readonly finalTheta: NdArray<Float64Array>;
  /** s = ‖θ‖₂² at the final iterate ([Scalar factorization]'s s(x, y) = x² + y²). */
  readonly sharpnessProxy: Float64Array;
  /** λ_max(∇²L) at the final iterate. */
  readonly sharpnessExact: Float64Array;
  /** First iterate of the late phase, −1 if the run never entered it. */
  readonly lateFrom: Int32Array;
  /** Median over the late iterates k ∈ [lateFrom, steps] of |η·s(θ_k) − 2| (NaN without a late phase). */
  readonly eosMedianProxy: Float64Array;
  /** The same with λ_max(∇²L(θ_k)). */
  readonly eosMedianExact: Float64Array;
  /**
   * The k at which θ_{k+1} = θ_k exactly — a fixed point of the rounded GD map (e.g. a run stuck at subnormal
   * numbers next to the saddle), after which every iterate is θ_k and the run ends 'max-steps' without computing
   * them — or −1.
   */
  readonly fixedPointAt: Int32Array;
  /**
   * The k at which θ_{k+1} = θ_{k−1} exactly in the late phase — a 2-cycle of the rounded GD map (seen next to the
   * minimizers, e.g. at target 1/3), after which the run alternates between θ_{k−1} and θ_k and ends 'max-steps'
   * without computing them (their late values counted, not stored) — or −1.
   * @since 0.2.0
   */
  readonly cycleAt: Int32Array;
  /** 1 where eosMedianProxy < eosBand (the post's "near the EoS"), else 0. */
  readonly nearEdgeProxy: Uint8Array;
  /** 1 where eosMedianExact < eosBand, else 0. */
  readonly nearEdgeExact: Uint8Array;
  readonly summary: GridStudyRateSummary;
  /** Heat maps (grid studies only). */
  readonly maps: GridStudyMaps | undefined;
}

/**
 * Where gradient flow from each start ends (scalar factorization only), from the closed form. (Its arrays are on
 * `SharedArrayBuffer`s with worker threads, as {@link GridStudyRate}'s.)
 *
 * @since 0.1.0
 */
export interface GridStudyGradientFlow {
  /** λ_max at the gradient-flow limit of each start; √(δ² + 4c²) at depth 2 [Scalar factorization]. */
  readonly sharpness: Float64Array;
  /** 1 where gradient flow reaches a minimizer, 0 where it ends at a saddle (x = −y at depth 2, c > 0). */
  readonly reachesMinimizer: Uint8Array;
  /** Median of `sharpness` over the starts that reach a minimizer. */
  readonly medianSharpness: number;
}

/**
 * The result of {@link gridStudy}.
 *
 * @since 0.1.0
 */
export interface GridStudyResult {
  /** The model's spec. */
  readonly spec: ModelSpec;
  /** The kernel used. */
  readonly engine: 'fused' | 'generic';
  /** The resolved settings. */
  readonly settings: {
    readonly learningRates: readonly number[];
    readonly tolerance: number;
    readonly maxSteps: number;
    readonly divergenceThreshold: number;
    readonly lateFraction: number;
    readonly eosBand: number;
  };
  /** The lattice, or undefined for custom starts. */
  readonly grid: GridStarts | undefined;
  /** All starts, [m, dim] (row s is start s). */
  readonly starts: NdArray<Float64Array>;
  /** Gradient-flow solutions of the starts (scalar factorization only). */
  readonly gradientFlow: GridStudyGradientFlow | undefined;
  /** One entry per learning rate, in the order given. */
  readonly rates: readonly GridStudyRate[];
  /** GD updates of the study: Σ steps over starts and learning rates. */
  readonly gdUpdates: number;
  /** GD updates actually computed (fixed points skip the rest of their run). */
  readonly gdUpdatesComputed: number;
}

/** The exact median of `values[s]` over the s with `mask[s] === code` (NaN if none); `scratch` has values.length. */
function medianWhere(values: Float64Array, mask: Uint8Array, code: number, scratch: Float64Array): number {
  return medianInPlace(scratch, copyWhere(values, mask, code, scratch));
}

/**
 * Copies the `values[s]` with `mask[s] === code` to the front of `out` and returns how many. (A loop of its own: V8
 * compiles a long loop while it runs, and a call after it that had not run yet would send that code back.)
 */
function copyWhere(values: Float64Array, mask: Uint8Array, code: number, out: Float64Array): number {
  let n = 0;
  for (let s = 0; s < values.length; s++) if (mask[s] === code) out[n++] = values[s];
  return n;
}

function resolveStarts(fn: string, starts: unknown, dim: number): Float64Array {
  const a = starts as NdArray;
  if (a === null || typeof a !== 'object' || !Array.isArray(a.shape) || typeof a.get !== 'function') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.starts', value: starts, expected: 'an NdArray of shape [m, dim]' });
  }
  if (a.shape.length !== 2 || a.shape[1] !== dim) {
    throw new EosLabError('E_DIM_MISMATCH', fn, {
      argument: 'options.starts.shape',
      value: a.shape,
      expected: `[m, ${dim}] (one row per start, the model's dim columns)`,
    });
  }
  const m = a.shape[0];
  if (m === 0) throw new EosLabError('E_EMPTY', fn, { argument: 'options.starts.shape[0]', value: 0, expected: 'at least 1 start' });
  const out = new Float64Array(m * dim);
  for (let s = 0; s < m; s++) {
    for (let i = 0; i < dim; i++) {
      const v = a.get(s, i) as number;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new EosLabError('E_NONFINITE', fn, { argument: `options.starts[${s}, ${i}]`, value: v, expected: 'a finite number' });
      }
      out[s * dim + i] = v;
    }
  }
  return out;
}

function resolveLearningRates(fn: string, rates: unknown): number[] {
  if (rates === undefined) return [...SEED_LEARNING_RATES];
  if (!Array.isArray(rates)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.learningRates', value: rates, expected: 'an array of numbers > 0' });
  }
  if (rates.length === 0) {
    throw new EosLabError('E_EMPTY', fn, { argument: 'options.learningRates', value: rates, expected: 'at least one learning rate' });
  }
  return rates.map((r, i) => positiveFinite(fn, `options.learningRates[${i}]`, r));
}

/**
 * [Scalar factorization]'s grid study: gradient descent θ_{k+1} = θ_k − η∇L(θ_k) from every start of a grid (or your list), for
 * several learning rates, with the post's statistics — for L(x, y) = ½(1 − xy)² by default, for any model by
 * `spec`.
 *
 * Per start and η: status (`'converged'` when |∏w − c| < tolerance, `'diverged'` when an entry is NaN or
 * ≥ 10⁶ in magnitude, `'max-steps'` after 20,000 steps), steps, final θ, final sharpness as the proxy
 * s = x² + y² (the post's) and as the exact λ_max of the Hessian, and the start's gradient-flow-solution
 * sharpness s_GFS = √(δ² + 4), δ = x₀² − y₀² (docs/math.md §1). The post's EoS criterion: the late phase starts at the
 * first iterate with |∏w − c| < 0.01·|∏w₀ − c|; the run "spent time near the EoS" when the median over its late
 * iterates (up to its last one) of |η·s − 2| is < 0.1, with the proxy or the exact s. Per η: counts per status,
 * median final s (proxy, exact, and the GFS median of the same starts), EoS fractions over converged runs, maps.
 *
 * @remarks
 * **Conventions.** Sharpness is λ_max(∇²L) (largest eigenvalue, not max|λ|); at depth 2 it is the closed form
 * λ_max = (x² + y²)/2 + √(((y² − x²)/2)² + (2xy − c)²) of [[y², 2xy − c], [2xy − c, x²]]. The proxy is ‖θ‖₂²,
 * which equals λ_max only on the minimizer curve xy = c at depth 2 [Scalar factorization]; for other models it is the squared
 * norm, not a sharpness. Medians are exact: the mean of the two middle values for an even count. Starts whose
 * gradient flow goes to a saddle (the line x = −y, [Scalar factorization]) are kept and counted under their GD status (and in
 * `summary.saddleStarts`). The EoS fractions are over converged runs; a converged run without late iterates (only
 * possible when |r₀| ≤ 100·tolerance) counts as not near the edge.
 *
 * **Engine.** For the depth-2 scalar factorization a fused kernel runs each start in registers with the operation
 * order of docs/math.md §1 (p = x*y − c; gx = y*p; gy = x*p; x − η*gx; y − η*gy), so its iterates equal numpy's and C's
 * (with `-ffp-contract=off`) bit for bit, and computes every statistic in the same pass. The late-phase values of the
 * current run are kept in a per-thread scratch buffer (O(longest late phase) memory per thread, never whole
 * trajectories) and their median is found without sorting, exact and allocation-free: near the edge GD oscillates
 * with period 2, so the even- and odd-indexed late values each form a few monotone runs, and the median is selected
 * from those sorted runs in O(log n) after one O(n) scan (quickselect, O(n), when there are more than 8 runs). A
 * run that reaches a fixed point of the rounded map (θ_{k+1} = θ_k, e.g. stuck next to the saddle) stops
 * computing: its remaining iterates are θ_k, so it ends 'max-steps' with the same statistics. Other models use the
 * generic kernel (`lossAndGrad`, `gdStep`'s update, λ_max from the sharpness module at every late iterate —
 * slower).
 *
 * **Parallelism and cost.** The starts are cut into blocks of 64, dealt round-robin to 4 tasks per worker thread
 * (so each task samples the whole grid and they cost about the same); a task runs its starts at every learning
 * rate on a worker that rebuilds the model from its spec, and writes its results in place into arrays on
 * `SharedArrayBuffer`s, which become the result's arrays (nothing is copied back). Results do not depend on the
 * number of workers (bit-identical). Without `pool`, the threads come from a pool shared by all `gridStudy` and
 * `lrSweep` calls with the same `workers` and `preload`: the first call starts it, later calls reuse its warm
 * threads, and it never keeps the process alive (see {@link closeSharedPool}). With `workers` at its default, a
 * study of fewer than 16,384 runs (starts × learning rates) runs in this thread, where it takes less time than
 * starting threads would. Cost: Σ steps GD updates (`gdUpdates`); the post's full study is about
 * 2.8·10⁷ updates, about 0.2 s on one core and 0.1 s on two (`npm run bench`).
 *
 * **Memory** is O(starts × learning rates) for the results (about (47 + 8·dim) bytes per start and rate, plus
 * 24·n² per rate for the maps), plus, per thread, the late-phase values of the run in progress (a run that stops
 * at a fixed point counts its repeated last value instead of storing it, so `maxSteps` does not enter; a run whose
 * late phase lasts L steps without converging or stopping holds 16·L bytes while it runs). The results' size is
 * estimated before anything is allocated; a study that cannot fit in this machine's memory (`os.totalmem()`; in a
 * browser `navigator.deviceMemory`, or 4 GiB where the browser does not say) is refused with `E_RESOURCE` naming the
 * estimate (e.g. `grid.n` 20000 at 11 rates: about 3·10¹¹ bytes).
 *
 * **Your own model.** In this thread (`workers` 0 or 1) the model object given is run. Worker threads rebuild it
 * with `createModel(model.spec)`: before any work, the study checks that the rebuilt model reproduces the given
 * one (loss and gradient at the first start, bit for bit; `E_MODEL_MISMATCH` otherwise) and, for a kind that is
 * not built in, that the workers know it (`E_UNKNOWN_MODEL` saying to pass the module that registers it as
 * `preload`).
 *
 * **Schedules (since 0.2.0).** With `lrSchedule`, the run at learning rate η is GD with θ_{k+1} = θ_k − η_k∇L(θ_k),
 * η_k = `lrSchedule(η)` at step k, on the generic kernel (bit for bit the generic kernel's constant-η arithmetic
 * when the schedule is `lrSchedule.constant(η)`); η in the results is the nominal one, and the late-phase criterion
 * compares each iterate with its own step's limit, median_k |η_k·s(θ_k) − 2|. A run stops computing at a fixed
 * point or 2-cycle of the rounded map only once the schedule has become constant (after a warm-up, the last decay
 * boundary, the cosine's T; never for `lrSchedule.fromFunction`), so before then every step is computed.
 *
 * **Progress and cancellation.** `onProgress` is called after each chunk of starts; `signal` stops the study
 * (rejects with `E_ABORTED`, worker threads terminated).
 *
 * @param model - a model (run as given in this thread; rebuilt from its spec in workers) or its spec (registered
 *   kind).
 * @param options - grid or starts, learning rates, thresholds, engine, workers, preload, signal, onProgress;
 *   defaults are [Scalar factorization]'s.
 * @returns a promise of the per-η results.
 * @throws EosLabError (as a rejected promise) `E_BAD_OPTION` for a bad grid (`n` < 2, radius not > 0, inner radius
 *   not in [0, radius), innerRadius without the annulus), both `grid` and `starts`, a learning rate not finite > 0,
 *   bad thresholds, `divergenceThreshold` ≤ the largest start entry, `pool` with `workers`/`preload`; `E_EMPTY` for
 *   an empty learning-rate list or no starts; `E_DIM_MISMATCH` for a grid with a model whose dim is not 2 or starts
 *   of the wrong width; `E_NONFINITE` for a non-finite start; `E_NOT_SUPPORTED` for `engine: 'fused'` on another
 *   model or with `lrSchedule`, or for an `lrSchedule` returning `lrSchedule.fromFunction` with worker threads;
 *   `E_BAD_OPTION` for an `lrSchedule` that is not a function or returns something that is not a schedule; `E_UNKNOWN_MODEL` for a spec whose kind is not registered (here, or in the workers: use `preload`);
 *   `E_MODEL_MISMATCH` when worker threads would run a model that `createModel(model.spec)` does not reproduce;
 *   `E_RESOURCE` when the results cannot fit in memory; `E_ABORTED` when `signal` fires; `E_WORKER` when a worker
 *   thread fails; `E_BAD_OPTION` for `workers` above `MAX_WORKERS`.
 * @example
 * ```ts
 * import { gridStudy, GRID_STUDY_STATUSES } from 'eos-lab';
 * const study = await gridStudy({ kind: 'scalar-factorization', target: 1, depth: 2 }, {
 *   grid: { shape: 'disk', n: 21, radius: 3 },
 *   learningRates: [0.5, 0.99],
 *   workers: 0, // in-process; omit to use all cores
 * });
 * for (const rate of study.rates) {
 *   const { learningRate, converged, medianSharpnessProxy, eosFractionProxy } = rate.summary;
 *   console.log(learningRate, converged, medianSharpnessProxy, eosFractionProxy);
 * }
 * console.log(GRID_STUDY_STATUSES[study.rates[0].status[0]]); // the first start's status at η = 0.5
 * ```
 * @example
 * Each η reached by a linear warm-up over 50 steps (generic kernel):
 * ```ts
 * import { gridStudy, lrSchedule } from 'eos-lab';
 * const warm = await gridStudy({ kind: 'scalar-factorization', target: 1, depth: 2 }, {
 *   grid: { shape: 'disk', n: 11, radius: 3 },
 *   learningRates: [0.5, 0.99],
 *   lrSchedule: (eta) => lrSchedule.linearWarmup({ peak: eta, warmupSteps: 50 }),
 *   workers: 0,
 * });
 * console.log(warm.engine, warm.rates.map((r) => [r.learningRate, r.summary.converged, r.summary.diverged])); // 'generic', …
 * ```
 * @see {@link gridStarts}, {@link GRID_STUDY_STATUSES}, {@link closeSharedPool}
 * @since 0.1.0
 */
export async function gridStudy(model: LossModel | ModelSpec, options?: GridStudyOptions): Promise<GridStudyResult> {
  const fn = 'gridStudy';
  const o = optionsObject(fn, options, optionKeys<GridStudyOptions>({ grid: true, starts: true, learningRates: true, tolerance: true, maxSteps: true, divergenceThreshold: true, lateFraction: true, eosBand: true, engine: true, lrSchedule: true, workers: true, pool: true, preload: true }, true));
  if (model === null || typeof model !== 'object') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'model', value: model, expected: 'a LossModel or a ModelSpec' });
  }
  const given = typeof (model as LossModel).lossAndGrad === 'function' ? (model as LossModel) : undefined;
  const spec: ModelSpec = given !== undefined ? given.spec : (model as ModelSpec);
  // In this thread the given model runs as it is; a spec is built here (its dim is needed), after importing the
  // preload modules if its kind is registered only there.
  const built = given ?? (await createModelOrPreload(fn, spec, o.preload, 'model.kind'));
  const dim = built.dim;
  const signal = validateSignal(fn, 'options.signal', o.signal);
  const onProgress = o.onProgress === undefined ? undefined : isFunction<(p: GridStudyProgress) => void>(fn, 'options.onProgress', o.onProgress);
  const progressEvery = o.progressEvery === undefined ? undefined : integerInRange(fn, 'options.progressEvery', o.progressEvery, 1);
  if (progressEvery !== undefined && onProgress === undefined && signal === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.progressEvery', value: progressEvery, expected: 'undefined unless options.onProgress or options.signal is given' });
  }
  if (o.workers !== undefined) validateWorkers(fn, 'options.workers', o.workers);
  const learningRatesEarly = resolveLearningRates(fn, o.learningRates);

  if (o.grid !== undefined && o.starts !== undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.starts', value: o.starts, expected: 'undefined when options.grid is given (one or the other)' });
  }
  let grid: GridStarts | undefined;
  let starts: Float64Array;
  if (o.starts !== undefined) {
    starts = resolveStarts(fn, o.starts, dim);
  } else {
    const resolved = resolveGrid(fn, 'options.grid', o.grid);
    checkGridFits(fn, resolved, learningRatesEarly.length);
    if (dim !== 2) {
      throw new EosLabError('E_DIM_MISMATCH', fn, {
        argument: 'model.dim',
        value: dim,
        expected: '2 for a grid of starts (pass options.starts, shape [m, dim], for other dimensions)',
      });
    }
    grid = buildGrid(resolved);
    if (grid.count === 0) {
      throw new EosLabError('E_EMPTY', fn, { argument: 'options.grid', value: o.grid, expected: 'a grid whose mask keeps at least one start' });
    }
    starts = new Float64Array(2 * grid.count);
    for (let s = 0; s < grid.count; s++) {
      starts[2 * s] = grid.x[s];
      starts[2 * s + 1] = grid.y[s];
    }
  }
  const count = starts.length / dim;
  checkFits(fn, count, dim, learningRatesEarly.length, grid === undefined ? 0 : grid.n, 'starts');

  const learningRates = learningRatesEarly;
  const tolerance = positiveFinite(fn, 'options.tolerance', o.tolerance ?? 1e-8);
  const maxSteps = integerInRange(fn, 'options.maxSteps', o.maxSteps ?? 20_000, 1, 1e9);
  const divergenceThreshold = positiveFinite(fn, 'options.divergenceThreshold', o.divergenceThreshold ?? 1e6);
  let largest = 0;
  for (let i = 0; i < starts.length; i++) largest = Math.max(largest, Math.abs(starts[i]));
  if (!(largest < divergenceThreshold)) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'options.divergenceThreshold',
      value: divergenceThreshold,
      expected: `a threshold above the largest start entry ${largest} (those starts would count as diverged)`,
    });
  }
  const lateFraction = positiveFinite(fn, 'options.lateFraction', o.lateFraction ?? 0.01);
  if (lateFraction > 1) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.lateFraction', value: lateFraction, expected: 'a number in (0, 1]' });
  }
  const eosBand = positiveFinite(fn, 'options.eosBand', o.eosBand ?? 0.1);
  const requested = o.engine === undefined ? 'auto' : oneOf(fn, 'options.engine', o.engine, ['auto', 'fused', 'generic'] as const);
  const shape = o.lrSchedule === undefined ? undefined : isFunction<(eta: number) => LrSchedule>(fn, 'options.lrSchedule', o.lrSchedule);
  if (shape !== undefined && requested === 'fused') {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument: 'options.engine',
      value: 'fused',
      expected: "'generic' or 'auto' with options.lrSchedule (the fused kernel runs one constant η)",
    });
  }
  const fusable = spec.kind === 'scalar-factorization' && dim === 2 && shape === undefined;
  if (requested === 'fused' && !fusable) {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument: 'options.engine',
      value: 'fused',
      expected: `'generic' or 'auto' for this model (the fused kernel is for the depth-2 scalar factorization; got kind '${spec.kind}', dim ${dim})`,
    });
  }
  const engine: GridStudyEngine = requested === 'auto' ? (fusable ? 'fused' : 'generic') : requested;
  if (engine === 'generic') {
    // A model that is not built in gets the sharpness symmetry probe (see SharpnessOptions.checkSymmetry) once, here.
    const probe = resolveSharpnessOptions(built, undefined, fn, 'sharpness');
    if (probe.checkSymmetry) hessianSymmetryProbe(built, starts.subarray(0, dim), probe);
  }
  if (o.pool !== undefined) {
    for (const key of ['workers', 'preload'] as const) {
      if (o[key] !== undefined) {
        throw new EosLabError('E_BAD_OPTION', fn, { argument: `options.${key}`, value: o[key], expected: 'undefined when options.pool is given' });
      }
    }
  }

  // The tasks write every result in place: into shared memory when they run on worker threads. The starts are cut
  // into blocks of BLOCK_SIZE and task t takes blocks t, t + T, t + 2T, …: neighbouring starts cost alike (long
  // late phases come in regions of the grid), so each task samples the whole grid and they all cost about the same;
  // a few tasks per worker even out the rest. Whole blocks keep the threads' writes in separate cache lines.
  // With the default `workers`, a small study runs here: threads would cost more than they save. Where there are no
  // worker threads (a browser), every study runs here.
  const threads =
    o.pool !== undefined
      ? o.pool?.workers
      : !WORKER_THREADS
        ? 0
        : o.workers !== undefined
          ? o.workers
          : count * learningRates.length < GRID_STUDY_IN_PROCESS_RUNS
            ? 0
            : defaultWorkerCount();
  const shared = typeof threads === 'number' && threads > 1;
  const blocks = Math.ceil(count / BLOCK_SIZE);
  const watched = onProgress !== undefined || signal !== undefined;
  let taskCount = shared ? TASKS_PER_WORKER * (threads as number) : watched ? IN_PROCESS_CHUNKS : 1;
  if (watched && progressEvery !== undefined) taskCount = Math.max(taskCount, Math.ceil(count / progressEvery));
  taskCount = Math.min(blocks, taskCount);
  const schedules = shape === undefined ? undefined : learningRates.map((eta) => scheduleOfShape(fn, shape, eta, shared));
  throwIfAborted(fn, signal, 'before its first chunk');

  // Worker threads rebuild the model from its spec: check before any work that this gives the model passed in
  // (and, below, that the workers know its kind).
  const preload = o.preload;
  const theta0 = starts.subarray(0, dim);
  const expected = !shared ? undefined : given !== undefined ? await checkSpecReproduces(fn, given, theta0, preload) : fingerprintOf(built, theta0);
  // One buffer per learning rate for its outputs, one for the inputs and the gradient-flow solutions (see ArrayArena).
  const outputs = learningRates.map((): GridStudyRateOutputs =>
    ArrayArena.build(shared, (arena) => ({
      batch: allocateBatchResult(arena, count, dim),
      nearEdgeProxy: arena.take(Uint8Array, count),
      nearEdgeExact: arena.take(Uint8Array, count),
      maps:
        grid === undefined
          ? undefined
          : {
              sharpnessProxy: arena.take(Float64Array, grid.n * grid.n).fill(NaN),
              sharpnessExact: arena.take(Float64Array, grid.n * grid.n).fill(NaN),
              status: arena.take(Float64Array, grid.n * grid.n).fill(NaN),
            },
    })),
  );
  const inputs = ArrayArena.build(shared, (arena) => ({
    starts: shared ? arena.take(Float64Array, starts.length) : starts,
    cells: grid === undefined ? undefined : arena.take(Int32Array, count),
    gradientFlow:
      spec.kind === 'scalar-factorization'
        ? { sharpness: arena.take(Float64Array, count), reachesMinimizer: arena.take(Uint8Array, count) }
        : undefined,
  }));
  const { starts: taskStarts, cells, gradientFlow: gradientFlowOutputs } = inputs;
  if (taskStarts !== starts) taskStarts.set(starts);
  if (grid !== undefined && cells !== undefined) {
    for (let s = 0; s < count; s++) cells[s] = grid.ix[s] * grid.n + grid.iy[s];
  }
  const tasks: GridStudyChunkTask[] = [];
  for (let t = 0; t < taskCount; t++) {
    const ranges: number[] = [];
    for (let b = t; b < blocks; b += taskCount) ranges.push(b * BLOCK_SIZE, Math.min(count, (b + 1) * BLOCK_SIZE));
    tasks.push({
      kind: GRID_STUDY_CHUNK,
      chunk: t,
      spec,
      // In this thread the given model object itself (an in-process pool passes the task as it is).
      model: shared ? undefined : given,
      engine,
      starts: taskStarts,
      ranges: Int32Array.from(ranges),
      learningRates,
      ...(schedules === undefined ? {} : { schedules }),
      settings: { tolerance, maxSteps, divergenceThreshold, lateFraction, eosBand },
      outputs,
      gradientFlow: gradientFlowOutputs,
      cells,
    });
  }
  const chunkStarts = tasks.map((task) => {
    let n = 0;
    for (let i = 0; i < task.ranges.length; i += 2) n += task.ranges[i + 1] - task.ranges[i];
    return n;
  });
  let startsCompleted = 0;
  const progress = onProgress === undefined
    ? undefined
    : (p: { completed: number; total: number; index: number }) => {
        startsCompleted += chunkStarts[p.index];
        onProgress({ completed: p.completed, total: p.total, startsCompleted, starts: count });
      };
  // Threads come from the shared pool of this (workers, preload), warm after the first call; it starts only as
  // many threads as there are tasks. In this thread, a pool for the call (it only imports the preload modules).
  const pool = o.pool ?? (shared ? sharedTaskPool(threads as number, preload ?? []) : createTaskPool({ workers: 0, preload }));
  await (expected === undefined ? undefined : probeWorkers(fn, pool, spec, theta0, expected, signal));
  await pool.run(tasks, { signal, onProgress: progress });

  const gradientFlow: GridStudyGradientFlow | undefined =
    gradientFlowOutputs === undefined
      ? undefined
      : {
          ...gradientFlowOutputs,
          medianSharpness: medianWhere(gradientFlowOutputs.sharpness, gradientFlowOutputs.reachesMinimizer, 1, new Float64Array(count)),
        };
  const rates: GridStudyRate[] = learningRates.map((learningRate, r) => {
    const { batch, nearEdgeProxy, nearEdgeExact, maps } = outputs[r];
    return {
      learningRate,
      status: batch.status,
      steps: batch.steps,
      finalTheta: ndarray(batch.finalTheta, [count, dim]),
      sharpnessProxy: batch.sharpnessProxy,
      sharpnessExact: batch.sharpnessExact,
      lateFrom: batch.lateFrom,
      eosMedianProxy: batch.eosMedianProxy,
      eosMedianExact: batch.eosMedianExact,
      fixedPointAt: batch.fixedPointAt,
      cycleAt: batch.cycleAt,
      nearEdgeProxy,
      nearEdgeExact,
      summary: summarize(learningRate, batch, count, eosBand, gradientFlow, maxSteps),
      maps:
        maps === undefined || grid === undefined
          ? undefined
          : {
              sharpnessProxy: ndarray(maps.sharpnessProxy, [grid.n, grid.n]),
              sharpnessExact: ndarray(maps.sharpnessExact, [grid.n, grid.n]),
              status: ndarray(maps.status, [grid.n, grid.n]),
            },
    };
  });

  let gdUpdates = 0;
  let gdUpdatesComputed = 0;
  for (const rate of rates) {
    gdUpdates += rate.summary.gdUpdates;
    gdUpdatesComputed += rate.summary.gdUpdatesComputed;
  }

  return {
    spec,
    engine,
    settings: { learningRates, tolerance, maxSteps, divergenceThreshold, lateFraction, eosBand },
    grid,
    starts: ndarray(starts, [count, dim]),
    gradientFlow,
    rates,
    gdUpdates,
    gdUpdatesComputed,
  };
}

function summarize(
  learningRate: number,
  rate: BatchResult,
  count: number,
  eosBand: number,
  gf: GridStudyGradientFlow | undefined,
  stepBudget: number,
): GridStudyRateSummary {
  // The arrays in locals and the counts in local variables: V8 then keeps the loop free of object loads and stores.
  const { status, steps, fixedPointAt, cycleAt, eosMedianProxy, eosMedianExact } = rate;
  const reachesMinimizer = gf?.reachesMinimizer;
  let converged = 0;
  let diverged = 0;
  let eosProxy = 0;
  let eosExact = 0;
  let gdUpdates = 0;
  let fixedPoints = 0;
  let cycles = 0;
  let skipped = 0;
  let saddles = 0;
  let saddlesConverged = 0;
  let saddlesDiverged = 0;
  for (let s = 0; s < count; s++) {
    const st = status[s];
    gdUpdates += steps[s];
    if (fixedPointAt[s] >= 0) {
      fixedPoints++;
      skipped += stepBudget - fixedPointAt[s];
    }
    if (cycleAt[s] >= 0) {
      cycles++;
      skipped += stepBudget - cycleAt[s];
    }
    if (st === CONVERGED) {
      converged++;
      if (eosMedianProxy[s] < eosBand) eosProxy++;
      if (eosMedianExact[s] < eosBand) eosExact++;
    } else if (st === DIVERGED) diverged++;
    if (reachesMinimizer !== undefined && reachesMinimizer[s] === 0) {
      saddles++;
      if (st === CONVERGED) saddlesConverged++;
      else if (st === DIVERGED) saddlesDiverged++;
    }
  }
  const scratch = new Float64Array(count);
  return {
    learningRate,
    starts: count,
    converged,
    diverged,
    maxSteps: count - converged - diverged,
    medianSharpnessProxy: medianWhere(rate.sharpnessProxy, status, CONVERGED, scratch),
    medianSharpnessExact: medianWhere(rate.sharpnessExact, status, CONVERGED, scratch),
    medianGfsSharpness: gf === undefined ? NaN : medianWhere(gf.sharpness, status, CONVERGED, scratch),
    eosFractionProxy: converged === 0 ? NaN : eosProxy / converged,
    eosFractionExact: converged === 0 ? NaN : eosExact / converged,
    saddleStarts:
      gf === undefined
        ? undefined
        : { count: saddles, converged: saddlesConverged, diverged: saddlesDiverged, maxSteps: saddles - saddlesConverged - saddlesDiverged },
    gdUpdates,
    fixedPoints,
    cycles,
    gdUpdatesComputed: gdUpdates - skipped,
  };
}

/** The starts a mask keeps, estimated from its area (before the grid is built): used only for the memory estimate. */
function estimatedGridCount(g: ResolvedGrid): number {
  const cells = g.n * g.n;
  switch (g.shape) {
    case 'square':
      return cells;
    case 'disk':
      return (Math.PI / 4) * cells;
    case 'diamond':
      return cells / 2;
    case 'annulus':
      return (Math.PI / 4) * cells * (1 - (g.innerRadius / g.radius) ** 2);
  }
}

/** The memory estimate of a grid study before its grid is built (see {@link checkFits}). */
function checkGridFits(fn: string, g: ResolvedGrid, rates: number): void {
  checkFits(fn, estimatedGridCount(g), 2, rates, g.n, 'grid');
  // Map cells are indexed by 32-bit integers.
  if (g.n * g.n > 0x7fffffff) {
    throw new EosLabError('E_RESOURCE', fn, {
      argument: 'options.grid.n',
      value: g.n,
      expected: `an n with n² ≤ 2³¹ − 1 (at most 46340: the maps have n² = ${g.n * g.n} cells, more than a 32-bit index reaches; an estimated ${formatBytes(studyBytes(estimatedGridCount(g), 2, rates, g.n))} would be needed)`,
    });
  }
}

/**
 * Bytes a study allocates (results, maps, starts and grid; the late-phase scratch is per thread and not counted):
 * per start the grid (24 B), the starts (16·dim B with their shared copy), map cell and gradient-flow outputs
 * (13 B) and the summary's scratch (8 B); per start and rate the outputs (47 + 8·dim B); per rate 24·n² B of maps.
 */
function studyBytes(count: number, dim: number, rates: number, n: number): number {
  return count * (24 + 16 * dim + 13 + 8) + rates * (count * (47 + 8 * dim) + 24 * n * n);
}

/** `E_RESOURCE` if the study's estimated memory exceeds this machine's memory. */
function checkFits(fn: string, count: number, dim: number, rates: number, n: number, what: 'grid' | 'starts'): void {
  const bytes = studyBytes(count, dim, rates, n);
  const limit = totalMemoryBytes();
  if (bytes > limit) {
    throw new EosLabError('E_RESOURCE', fn, {
      argument: what === 'grid' ? 'options.grid' : 'options.starts',
      value: bytes,
      expected:
        `a study whose results fit in memory: about ${formatBytes(bytes)} estimated (${Math.round(count)} starts × ${rates} learning rate(s)` +
        `${n > 0 ? `, maps of ${n}² cells` : ''}) > this machine's ${formatBytes(limit)}; use fewer starts (a smaller grid.n) or fewer learning rates per call`,
    });
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toPrecision(3)} GB` : `${(bytes / 1e6).toPrecision(3)} MB`;
}
