/**
 * [Conflicting biases]'s learning-rate sweep (App. G): gradient flow from θ₀ to the loss goal gives s_0, s_GF and the critical
 * learning rate η_c = 2/s_GF; GD from the same θ₀ at every learning rate of the App. G schedule (or an explicit
 * list) is summarized per η — in this thread or on worker threads, with bit-identical results.
 *
 * @module
 */
import { abortError, throwIfAborted, validateSignal, yieldToEventLoop } from '../../core/abort.js';
import { EosLabError } from '../../core/errors.js';
import type { LossModel } from '../../core/loss-model.js';
import { finiteVector, integerInRange, isFunction, oneOf, optionKeys, optionsObject, positiveFinite } from '../../core/validate.js';
import { nestedOptions, validateModel, type DivergenceOptions } from '../../dynamics/driver-common.js';
import { gradientFlow, type GradientFlowStatus } from '../../dynamics/gradient-flow.js';
import { scheduleOfShape, type LrSchedule } from '../../dynamics/schedules.js';
import { stepSize, validateStepSizePolicy, type StepSizePolicy } from '../../dynamics/step-size.js';
import { maxAbs, nrm1, nrm2 } from '../../linalg/vector.js';
import { checkSpecReproduces, probeWorkers } from '../../parallel/model-check.js';
import { WORKER_THREADS } from '#platform/threads';
import { validateWorkers, type TaskPool } from '../../parallel/pool.js';
import { sharedTaskPool } from '../../parallel/shared-pool.js';
import { hessianSymmetryProbe, resolveSharpnessOptions, type SharpnessOptions } from '../../sharpness/sharpness.js';
import {
  LR_SWEEP_RUN,
  runLearningRate,
  sharpnessPair,
  type LrGrid,
  type LrRunSettings,
  type LrSweepRun,
  type LrSweepRunTask,
  type SharpnessPair,
} from './run.js';
import { learningRateSchedule, onwardLearningRate, type LearningRateSchedule } from './schedule.js';
import { LAYERED_KINDS, recordNetwork, type LrSweepLayerNorms } from './network-record.js';

/**
 * How {@link lrSweep} extends and refines App. G's schedule.
 *
 * @since 0.1.0
 */
export interface LrSweepScheduleOptions {
  /**
   * Step of the onward points beyond the scheduled ones (see {@link learningRateSchedule}).
   * @defaultValue App. G's coarse step (2/s_0 − 6/s_GF)/8, or 1/(2 s_GF) when the coarse grid is empty
   */
  onwardStep?: number;
  /**
   * The largest number of onward points (a guard: "until divergence" may be never).
   * @defaultValue 64
   */
  maxOnward?: number;
  /**
   * Which run ends the onward points: the first `'diverged'` one (App. G's "until divergence"), or the first that
   * does not converge (`'not-converged'`: also `'max-steps'`).
   * @defaultValue 'diverged'
   */
  stopAt?: 'diverged' | 'not-converged';
  /**
   * App. G: "if we observe divergence already within [6/s_GF, 2/s_0], we manually refine the schedule". Automated:
   * this many learning rates are added, evenly spaced, strictly between the smallest diverged η and the largest
   * scheduled η below it (0 = no refinement).
   * @defaultValue 0
   */
  refine?: number;
}

/**
 * The gradient-flow run of {@link lrSweep}.
 *
 * @since 0.1.0
 */
export interface LrSweepFlowOptions {
  /**
   * The RK4 step policy.
   * @defaultValue `stepSize.sharpnessAdapted({ alpha: 0.1, maxStep: 1/s₀ })` with s₀ = max|λ(∇²L(θ₀))| (1 if it is
   *   0): h·max|λ| = 0.1 tracks the flow to ~1e-7 relative per step, and the cap lets the step grow tenfold where
   *   the landscape flattens
   */
  step?: StepSizePolicy;
  /**
   * The largest number of RK4 steps.
   * @defaultValue 1000000
   */
  maxSteps?: number;
  /**
   * The largest flow time.
   * @defaultValue Infinity
   */
  maxTime?: number;
  /**
   * Track the sharpness every this many RK4 steps for s_GF (App. G: "at each iteration step"). Larger values save
   * sharpness estimates on big models but can miss the peak; with the default step policy the step size is then
   * also refreshed only at those steps.
   * @defaultValue 1
   */
  sharpnessEvery?: number;
}

/**
 * Options of `settle`: how a run that reached the loss goal with sharpness above 2/η is continued.
 *
 * @since 0.1.0
 */
export interface LrSettleOptions {
  /**
   * The tighter loss goal of the continuation.
   * @defaultValue lossGoal·1e-6
   */
  lossGoal?: number;
  /**
   * The continuation's step budget.
   * @defaultValue the sweep's `maxSteps`
   */
  maxSteps?: number;
}

/**
 * What {@link lrSweep} records at each end point beyond its default summary.
 *
 * @since 0.2.0
 */
export interface LrSweepRecordOptions {
  /**
   * Record the network measures of [Conflicting biases, Figs. 3, 9, 11, 12 and 14] at every GD run's end point
   * (`run.network`) and at the flow's (`flow.network`): per-layer ℓ1 and ℓ2 norms, the nuclear norm of each weight
   * matrix, and the ℓ1/ℓ2 distances to θ₀ and (runs) to θ_GF. Only for models with layers (`mlp`, `cnn`).
   * @defaultValue false
   */
  network?: boolean;
  /**
   * With `network`: compute the nuclear norms (one SVD per layer and end point, the only costly part; `false`
   * records NaN instead).
   * @defaultValue true
   */
  nuclear?: boolean;
}

/**
 * Progress of {@link lrSweep}: during the gradient flow (every `progressEvery` RK4 steps, with `flowStep` and
 * `flowLoss`), after it, then after each GD run.
 *
 * @since 0.1.0
 */
export interface LrSweepProgress {
  readonly phase: 'flow' | 'runs';
  /** GD runs finished so far. */
  readonly completed: number;
  /** GD runs scheduled so far (onward and refinement points are added as the sweep goes; 0 during the flow). */
  readonly scheduled: number;
  /** The run just finished (phase `'runs'`). */
  readonly run?: LrSweepRun;
  /** During the flow: the RK4 step k just evaluated (absent in the report after the flow). @since 0.2.0 */
  readonly flowStep?: number;
  /** During the flow: L(θ(t_k)). @since 0.2.0 */
  readonly flowLoss?: number;
}

/**
 * Options of {@link lrSweep}.
 *
 * @since 0.1.0
 */
export interface LrSweepOptions {
  /** The loss goal ε: gradient flow and every GD run stop the first time L ≤ ε [Conflicting biases, App. G]. Required. */
  lossGoal: number;
  /**
   * Explicit learning rates (finite, > 0; run in ascending order) instead of App. G's schedule. Not together with
   * `schedule`.
   * @defaultValue App. G's schedule from s_0 and s_GF
   */
  learningRates?: readonly number[];
  /**
   * Runs each swept η under a learning-rate schedule of that shape: the GD run of η takes
   * `learningRate: lrSchedule(η)` (e.g. `(eta) => lrSchedule.stepDecay({ initial: eta, factor: 0.1, boundaries: [500] })`
   * or a warm-up to `peak: eta`). The sweep's η (the App. G grid, `run.learningRate`, the regime's comparison with
   * η_c = 2/s_GF, the onward and refinement points) stays the *nominal* η passed to the shape — make it the
   * schedule's largest rate (the peak of a warm-up, the initial rate of a decay) so that η ≤ η_c keeps its meaning,
   * "every step of the run below the flow's stability limit". `run.stabilityLimit` and `unstableAtGoal` use the
   * rate of the step after the last, η_K (K = `run.steps`); `settle` continues the schedule from step K.
   * Must return a schedule from `lrSchedule` (checked for every η, `E_BAD_OPTION`); with worker threads it must
   * be plain data (not `lrSchedule.fromFunction`, which cannot be sent to a worker: `E_NOT_SUPPORTED`) — the
   * shape itself is called in this thread.
   * @defaultValue none: GD runs at the constant η
   * @since 0.2.0
   */
  lrSchedule?: (eta: number) => LrSchedule;
  /**
   * How App. G's schedule is extended and refined. Not together with `learningRates`.
   * @defaultValue `{ maxOnward: 64, stopAt: 'diverged', refine: 0 }`
   */
  schedule?: LrSweepScheduleOptions;
  /**
   * How sharpness is computed (method, tolerance, seed) and which convention defines s_0, s_GF and the schedule:
   * `which: 'abs'` (max|λ|, S_L of [Conflicting biases], the default here) or `'max'` (λ_max). Final sharpness is always
   * reported in both conventions.
   * @defaultValue `{ which: 'abs' }` and the sharpness module's defaults (method 'auto')
   */
  sharpness?: SharpnessOptions;
  /**
   * The gradient-flow run.
   * @defaultValue see {@link LrSweepFlowOptions}
   */
  flow?: LrSweepFlowOptions;
  /**
   * The step budget of each GD run.
   * @defaultValue 1000000
   */
  maxSteps?: number;
  /**
   * When GD (and the flow) count as diverged.
   * @defaultValue `{ maxAbs: 1e6 }`
   */
  divergence?: DivergenceOptions;
  /**
   * Track the sharpness along each GD run every this many steps, for `maxSharpness` ([Conflicting biases, App. G]: "every 10
   * epochs"); 0 = never.
   * @defaultValue 10
   */
  sharpnessEvery?: number;
  /**
   * Continue every run that reached the goal with λ_max > 2/η (`unstableAtGoal`) to a tighter goal, reporting
   * where it settles (`run.settled`). Pass `{}` for the defaults.
   * @defaultValue no continuation
   */
  settle?: LrSettleOptions;
  /**
   * Keep the final θ of every run (and of the flow) in the result.
   * @defaultValue true
   */
  keepTheta?: boolean;
  /**
   * Extra measurements at each end point (see {@link LrSweepRecordOptions}).
   * @defaultValue `{ network: false }`
   * @since 0.2.0
   */
  record?: LrSweepRecordOptions;
  /**
   * Worker threads for the GD runs (0 or 1: this thread). Results are bit-identical for every value. Small models
   * run a whole sweep in milliseconds, less than threads take to start, hence the default. In a browser the runs
   * go in the calling thread whatever this says (same results; `preload` is then not needed, nor loaded).
   * @defaultValue 0
   */
  workers?: number;
  /**
   * A pool from `createTaskPool` to run on (kept open). Not together with `workers` or `preload`.
   * @defaultValue with `workers` > 1, the pool shared by every `gridStudy` and `lrSweep` call with the same
   *   `workers` and `preload` (warm after the first call; see `closeSharedPool`)
   */
  pool?: TaskPool;
  /**
   * Modules each worker imports first — the module that registers your model, if it is not built in. Only with
   * `workers` > 1.
   * @defaultValue `[]`
   */
  preload?: readonly string[];
  /**
   * Called during the flow (every `progressEvery` RK4 steps), after the flow, and after each GD run (as each run
   * of a batch on worker threads finishes, in the order they finish).
   * @defaultValue none
   */
  onProgress?: (progress: LrSweepProgress) => void;
  /**
   * RK4 steps of the flow between `onProgress` reports (only with `onProgress`). An integer ≥ 1.
   * @defaultValue 1000
   * @since 0.2.0
   */
  progressEvery?: number;
  /**
   * Stops the sweep: its promise rejects with `E_ABORTED` and its worker threads are terminated. It is checked
   * at every RK4 step of the flow and between GD runs in this thread; the flow and a run in this thread are
   * synchronous, so an abort from a timer lands only between runs (or from `onProgress`).
   * @defaultValue none
   * @since 0.2.0
   */
  signal?: AbortSignal;
}

/**
 * The gradient-flow part of a sweep's result.
 *
 * @since 0.1.0
 */
export interface LrSweepFlow {
  readonly status: GradientFlowStatus;
  readonly message: string;
  /** RK4 steps. */
  readonly steps: number;
  /** The flow time t_ε at which the loss first reached the goal (or where the flow stopped). */
  readonly time: number;
  readonly loss: number;
  /** λ_max and max|λ| at the flow's end point θ_GF. */
  readonly finalSharpness: SharpnessPair;
  readonly norm1: number;
  readonly norm2: number;
  /** θ_GF (only with `keepTheta`). */
  readonly theta: number[] | null;
  /**
   * Per-layer norms, nuclear norms and the distance to θ₀ at θ_GF, with `record.network` (else `null`; also `null`
   * when θ_GF is not finite).
   * @since 0.2.0
   */
  readonly network: LrSweepLayerNorms | null;
  readonly stats: { readonly gradEvals: number; readonly hvps: number };
}

/**
 * The schedule a sweep actually ran.
 *
 * @since 0.1.0
 */
export interface LrSweepSchedule extends LearningRateSchedule {
  /** The onward learning rates run, in order. */
  readonly onward: number[];
  /** The refinement learning rates run. */
  readonly refined: number[];
  /**
   * Why the onward points ended: the first run meeting `stopAt` (`'diverged'` / `'not-converged'`, at
   * `learningRate`), already the last scheduled point (`'last-scheduled'`: no onward points), or the `maxOnward`
   * cap (`'cap'`).
   */
  readonly stop: { readonly reason: 'diverged' | 'not-converged' | 'last-scheduled' | 'cap'; readonly learningRate: number };
}

/**
 * The result of {@link lrSweep} (JSON-serializable: plain numbers, arrays and strings).
 *
 * @since 0.1.0
 */
export interface LrSweepResult {
  /** θ₀. */
  readonly theta0: number[];
  /** ε. */
  readonly lossGoal: number;
  /** The convention of s_0, s_GF, the schedule and `maxSharpness`: `'abs'` (max|λ|) or `'max'` (λ_max). */
  readonly which: 'max' | 'abs';
  /** s_0 = S(θ₀) in both conventions (they differ when a negative eigenvalue dominates, as near 0 for diagonal nets). */
  readonly initialSharpness: SharpnessPair;
  /** s_GF: the largest sharpness (in `which`) along the flow until the loss first reached ε. */
  readonly flowSharpness: number;
  /** η_c = 2/s_GF. */
  readonly criticalLearningRate: number;
  readonly flow: LrSweepFlow;
  /** The App. G schedule as run, or `null` with explicit `learningRates`. */
  readonly schedule: LrSweepSchedule | null;
  /** One entry per learning rate, ascending. */
  readonly runs: LrSweepRun[];
  /** Plain-language notes on the cases App. G glosses over that this sweep met (empty coarse grid, unstable at goal, …). */
  readonly notes: string[];
  /** Total work: gradient evaluations and HVPs (flow, runs, s_0). */
  readonly stats: { readonly gradEvals: number; readonly hvps: number };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}

/**
 * [Conflicting biases]'s learning-rate sweep (App. G): runs gradient flow (RK4) from θ₀ until the loss first reaches ε,
 * recording s_0 = S(θ₀) and s_GF = max S along the flow; sets η_c = 2/s_GF; builds the schedule — 12 fine points
 * j/(2 s_GF) on [1/(2 s_GF), 6/s_GF], the coarse points 6/s_GF + kΔ up to 2/s_0 (Δ = (2/s_0 − 6/s_GF)/8), then
 * onward points until divergence — or takes explicit learning rates; and runs GD from the same θ₀ at each η
 * until L ≤ ε, reporting status, steps, final sharpness (λ_max and max|λ|), the largest sharpness along the run,
 * ‖θ‖₁, ‖θ‖₂, the distance to the flow's end point and the regime (docs/math.md §0).
 *
 * @remarks
 * **Conventions.** S is max|λ| by default (S_L of [Conflicting biases]; set `sharpness.which: 'max'` for λ_max): it defines
 * s_0, s_GF, η_c and the schedule. This is the one tool whose default is not λ_max (`sharpness`, `gd`,
 * `gradientFlow`, `gridStudy` and the EoS detectors use λ_max), on purpose: the schedule is the paper's, and it
 * divides by s_0 — from a small start the Hessian can have only negative eigenvalues (a diagonal network near 0:
 * λ_max(θ₀) < 0 while max|λ| ≈ 2·y·x_max), where 2/λ_max(θ₀) would be a negative learning rate. The two agree at
 * minimizers, so η_c = 2/s_GF differs only when the flow's sharpest point has a dominant negative eigenvalue. Final
 * sharpness is reported in both conventions; `unstableAtGoal` uses λ_max (the stability test of a minimum). The regime is `'flow-aligned'` for η ≤ η_c, `'eos'` above, `'diverged'` for
 * diverged runs.
 *
 * **Cases App. G glosses over** (each reported in `notes`): (1) an empty coarse grid, 2/s_0 ≤ 6/s_GF — then the
 * onward points continue from 6/s_GF at the fine step (see {@link learningRateSchedule}); (2) a run that reaches
 * ε "in passing" with λ_max > 2/η (`unstableAtGoal`): it is not a stable limit; with `settle` it is continued to
 * a tighter goal and `run.settled` tells where it ends; (3) coordinates that underflow to 0 or a subnormal
 * (`underflowedCoordinates`; for a diagonal network such a coordinate never moves again; the run stays in `runs`
 * whatever its status, and the note names it); (4) a flow that does not
 * reach ε (s_GF is then the maximum up to where it stopped); (5) "until divergence" may be never: the onward
 * points stop at `schedule.maxOnward`.
 *
 * **Determinism and workers.** Each run depends only on (model, θ₀, η, options), so results are bit-identical for
 * any `workers`. In this thread the model object given is run; worker threads rebuild it with
 * `createModel(model.spec)`, so before any work (before the flow) the sweep checks that the rebuilt model
 * reproduces the given one — loss and gradient at θ₀, bit for bit (`E_MODEL_MISMATCH` naming the first difference
 * otherwise) — and, for a kind that is not built in, that the workers know it (`E_UNKNOWN_MODEL` saying to pass
 * the module that registers it as `preload`). Onward points are run in batches of `workers` and cut at the first
 * stop, so the list does not depend on the batch size. Without `pool`, `workers` > 1 runs on the pool shared with
 * `gridStudy` (one per `workers` and `preload`, warm after the first call, never keeping the process alive; see
 * `closeSharedPool`).
 *
 * **Network measures and time** (since 0.2.0). Every run reports `time` = k·η, k the number of GD steps taken to
 * reach ε — GD's clock in flow time, to compare with t_GF = `flow.time` [Conflicting biases, App. H.8] (k·η → t_GF
 * as η → 0). With `record: { network: true }` (MLP and CNN models) every non-diverged run's end point θ gets
 * `run.network` and θ_GF gets `flow.network`: per layer ℓ (input side first; a conv kernel read as the
 * [C_out, C_in·k²] matrix) ‖θ_ℓ‖₁ = Σ|W_ℓ,ij| + Σ|b_ℓ,i|, ‖θ_ℓ‖₂ = (‖W_ℓ‖_F² + ‖b_ℓ‖₂²)^{1/2}, ‖W_ℓ‖_F and the nuclear
 * norm ‖W_ℓ‖_* = Σᵢ σᵢ(W_ℓ) [Conflicting biases, Figs. 3, 9, 14, App. H.12], and ‖θ − θ₀‖_{1,2}, ‖θ − θ_GF‖_{1,2}
 * [Conflicting biases, Figs. 11–12, App. H.10] — computed where the run ends (in its worker), so they are
 * bit-identical for any `workers` and need no `keepTheta`. Norms are of θ as stored (under μP/NTK
 * parameterizations, of the trained W_ℓ, not of the scaled c_ℓW_ℓ). Cost: O(p) plus one SVD per layer per run
 * (`nuclear: false` skips the SVDs).
 *
 * **Schedules (since 0.2.0).** With `lrSchedule`, the run of η is GD with η_k = `lrSchedule(η)` evaluated at step
 * k (θ_{k+1} = θ_k − η_k ∇L(θ_k), as {@link gd} with a schedule). Everything the sweep calls η — the App. G grid,
 * `run.learningRate`, the onward/refinement points and the regime test η ≤ η_c = 2/s_GF — is the nominal η given
 * to the shape, which should be the schedule's largest rate (a warm-up's peak, a decay's initial rate): then
 * "flow-aligned" still means that no step exceeded the flow's stability limit 2/s_GF. The stability test of the
 * end point uses the rate of the step that would come next, η_K with K = `run.steps`: `run.stabilityLimit` =
 * 2/η_K and `unstableAtGoal` ⇔ λ_max(θ_K) > 2/η_K (after a decay, the new, higher limit [EoS blog post]).
 *
 * **Progress and cancellation.** `onProgress` reports during the flow (every `progressEvery` RK4 steps), after it
 * and after each GD run; `signal` stops the sweep with `E_ABORTED` (checked at every flow step and between runs;
 * worker threads are terminated).
 *
 * Cost: one RK4 flow (4 gradients and one sharpness estimate per step) plus, per η, one GD run (one gradient per
 * step, a sharpness estimate every `sharpnessEvery` steps) and two final sharpness estimates (one dense
 * eigendecomposition for small models).
 * @param model - any {@link LossModel}.
 * @param theta0 - the common start θ₀ (finite, length `model.dim`; not modified).
 * @param options - the loss goal (required), learning rates or schedule options, sharpness, flow and GD options,
 *   `settle`, workers and progress.
 * @returns a promise of the flow summary, s_0, s_GF, η_c, the schedule as run, one summary per η and notes.
 * @throws EosLabError (as a rejected promise) `E_BAD_OPTION` for a missing or non-positive `lossGoal`, bad learning
 *   rates, `learningRates` together with `schedule`, bad counts, `pool` with `workers`/`preload`, `preload`
 *   without `workers` > 1, bad sharpness options; `E_DIM_MISMATCH`/`E_NONFINITE`/`E_EMPTY` for a bad θ₀;
 *   `E_NOT_SUPPORTED` when the flow's s_GF is not positive and no explicit learning rates are given (no schedule
 *   exists); `E_UNKNOWN_MODEL` (before any work) for a model kind the workers do not know; `E_MODEL_MISMATCH`
 *   (before any work) when `createModel(model.spec)` does not reproduce the model and workers would run it;
 *   `E_ABORTED` when `signal` fires; `E_BAD_OPTION` for an `lrSchedule` that is not a function or returns
 *   something that is not a schedule from `lrSchedule` (for explicit `learningRates` before any work, otherwise
 *   before the run of that η); `E_NOT_SUPPORTED` for an `lrSchedule` returning `lrSchedule.fromFunction` with
 *   worker threads; `E_WORKER` when a worker thread fails; `E_BAD_OPTION` for `workers` above
 *   `MAX_WORKERS`, a bad `signal` or `progressEvery` without `onProgress`; `E_NOT_SUPPORTED` for
 *   `record.network` with a model that has no layers (not `mlp`/`cnn`), `E_BAD_OPTION` for a non-boolean
 *   `record.network`/`record.nuclear` or `record.nuclear` without `record.network`.
 * @example
 * ```ts
 * import { diagonalNet, lrSweep } from 'eos-lab';
 * const model = diagonalNet.create({ inputs: [[1, 4]], targets: [2] });
 * const sweep = await lrSweep(model, new Float64Array([0.01, 0.01]), { lossGoal: 1e-6 });
 * console.log(sweep.criticalLearningRate); // ≈ 2/32: s_GF ≈ 4·y·x_max = 32
 * for (const r of sweep.runs) console.log(r.learningRate, r.status, r.regime, r.finalSharpness?.max);
 * ```
 * @example
 * Per-layer norms of a small MLP (since 0.2.0):
 * ```ts
 * import { lrSweep, mlp } from 'eos-lab';
 * const net = mlp.create({ layers: [2, 4, 1], activation: 'tanh', inputs: [[1, 0], [0, 1], [1, 1]], targets: [[1], [-1], [0]] });
 * const swept = await lrSweep(net, mlp.init(net, { seed: 0 }), { lossGoal: 1e-3, learningRates: [0.05, 0.2], record: { network: true } });
 * for (const r of swept.runs) {
 *   // ‖θ_ℓ‖₁ and ‖W_ℓ‖_* per layer, ‖θ − θ₀‖₁, ‖θ − θ_GF‖₂, and k·η against t_GF
 *   console.log(r.network?.layerNorm1, r.network?.layerNuclear, r.network?.distanceToInit.l1, r.network?.distanceToFlow.l2, r.time, swept.flow.time);
 * }
 * ```
 * @example
 * Each η under a step decay η → η/10 at step 200 (the sweep's η is the initial, largest rate):
 * ```ts
 * import { diagonalNet, lrSchedule, lrSweep } from 'eos-lab';
 * const model = diagonalNet.create({ inputs: [[1, 4]], targets: [2] });
 * const sweep = await lrSweep(model, new Float64Array([0.01, 0.01]), {
 *   lossGoal: 1e-6,
 *   learningRates: [0.01, 0.05],
 *   lrSchedule: (eta) => lrSchedule.stepDecay({ initial: eta, factor: 0.1, boundaries: [200] }),
 * });
 * for (const r of sweep.runs) console.log(r.learningRate, r.status, r.steps, r.stabilityLimit); // limit 2/η_K
 * ```
 * @since 0.1.0
 */
export async function lrSweep(model: LossModel, theta0: Float64Array, options: LrSweepOptions): Promise<LrSweepResult> {
  const fn = 'lrSweep';
  validateModel(fn, model);
  finiteVector(fn, 'theta0', theta0, model.dim);
  if (options === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: options, expected: 'an options object with lossGoal' });
  }
  const o = optionsObject(fn, options, optionKeys<LrSweepOptions>({ lossGoal: true, learningRates: true, schedule: true, sharpness: true, flow: true, maxSteps: true, divergence: true, sharpnessEvery: true, settle: true, keepTheta: true, record: true, lrSchedule: true, workers: true, pool: true, preload: true }, true));
  const lossGoal = positiveFinite(fn, 'options.lossGoal', o.lossGoal);
  const explicit = o.learningRates === undefined ? undefined : validateRates(fn, o.learningRates);
  if (explicit !== undefined && o.schedule !== undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.schedule', value: o.schedule, expected: 'undefined when options.learningRates is given (contradictory)' });
  }
  const so = nestedOptions(fn, 'options.schedule', o.schedule, optionKeys<LrSweepScheduleOptions>({ onwardStep: true, maxOnward: true, stopAt: true, refine: true }));
  const onwardStep = so.onwardStep === undefined ? undefined : positiveFinite(fn, 'options.schedule.onwardStep', so.onwardStep);
  const maxOnward = integerInRange(fn, 'options.schedule.maxOnward', so.maxOnward ?? 64, 0, 100_000);
  const stopAt = oneOf(fn, 'options.schedule.stopAt', so.stopAt ?? 'diverged', ['diverged', 'not-converged'] as const);
  const refine = integerInRange(fn, 'options.schedule.refine', so.refine ?? 0, 0, 1000);
  const userSharpness = nestedOptions(fn, 'options.sharpness', o.sharpness);
  const resolved = resolveSharpnessOptions(model, { ...userSharpness, which: userSharpness.which ?? 'abs' }, fn, 'options.sharpness');
  // The symmetry probe (models not built in) runs once, at θ₀ below; the flow and the runs skip it.
  const sharpness: SharpnessOptions = { ...userSharpness, which: resolved.which, checkSymmetry: false };
  const which = resolved.which;
  const fo = nestedOptions(fn, 'options.flow', o.flow, optionKeys<LrSweepFlowOptions>({ step: true, maxSteps: true, maxTime: true, sharpnessEvery: true }, true));
  const flowMaxSteps = integerInRange(fn, 'options.flow.maxSteps', fo.maxSteps ?? 1_000_000, 0, 0x7fffffff);
  const flowSharpnessEvery = integerInRange(fn, 'options.flow.sharpnessEvery', fo.sharpnessEvery ?? 1, 1, 0x7fffffff);
  if (fo.maxTime !== undefined && (typeof fo.maxTime !== 'number' || !(fo.maxTime > 0))) {
    const nonFinite = Number.isNaN(fo.maxTime) || fo.maxTime === -Infinity;
    throw new EosLabError(nonFinite ? 'E_NONFINITE' : 'E_BAD_OPTION', fn, { argument: 'options.flow.maxTime', value: fo.maxTime, expected: 'a number > 0 (Infinity allowed)' });
  }
  const maxSteps = integerInRange(fn, 'options.maxSteps', o.maxSteps ?? 1_000_000, 0, 0x7fffffff);
  const div = nestedOptions(fn, 'options.divergence', o.divergence, optionKeys<DivergenceOptions>({ maxAbs: true }));
  let maxAbsLimit = 1e6;
  if (div.maxAbs !== undefined) {
    if (typeof div.maxAbs !== 'number' || !(div.maxAbs > 0)) {
      throw new EosLabError(Number.isNaN(div.maxAbs) || div.maxAbs === -Infinity ? 'E_NONFINITE' : 'E_BAD_OPTION', fn, { argument: 'options.divergence.maxAbs', value: div.maxAbs, expected: 'a number > 0 (Infinity allowed)' });
    }
    maxAbsLimit = div.maxAbs;
  }
  if (!(maxAbs(theta0) < maxAbsLimit)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.divergence.maxAbs', value: maxAbsLimit, expected: `a threshold above max|theta0_i| = ${maxAbs(theta0)}` });
  }
  const sharpnessEvery = integerInRange(fn, 'options.sharpnessEvery', o.sharpnessEvery ?? 10, 0, 0x7fffffff);
  if (sharpnessEvery > 0 && Math.floor(maxSteps / sharpnessEvery) + 1 > 10_000_000) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.sharpnessEvery', value: sharpnessEvery, expected: `an integer >= ${Math.floor(maxSteps / 10_000_000) + 1} for maxSteps = ${maxSteps} (or 0)` });
  }
  let settle: LrRunSettings['settle'] = null;
  if (o.settle !== undefined) {
    const st = nestedOptions(fn, 'options.settle', o.settle, optionKeys<LrSettleOptions>({ lossGoal: true, maxSteps: true }));
    const goal = st.lossGoal === undefined ? lossGoal * 1e-6 : positiveFinite(fn, 'options.settle.lossGoal', st.lossGoal);
    if (!(goal < lossGoal)) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.settle.lossGoal', value: goal, expected: `a number below options.lossGoal = ${lossGoal} (a tighter goal)` });
    }
    settle = { lossGoal: goal, maxSteps: integerInRange(fn, 'options.settle.maxSteps', st.maxSteps ?? maxSteps, 0, 0x7fffffff) };
  }
  const keepTheta = o.keepTheta === undefined ? true : o.keepTheta === true;
  if (o.keepTheta !== undefined && typeof o.keepTheta !== 'boolean') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.keepTheta', value: o.keepTheta, expected: 'a boolean' });
  }
  const rec = nestedOptions(fn, 'options.record', o.record, optionKeys<LrSweepRecordOptions>({ network: true, nuclear: true }));
  for (const key of ['network', 'nuclear'] as const) {
    if (rec[key] !== undefined && typeof rec[key] !== 'boolean') {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `options.record.${key}`, value: rec[key], expected: 'a boolean' });
    }
  }
  if (rec.nuclear !== undefined && rec.network !== true) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.record.nuclear', value: rec.nuclear, expected: 'undefined unless options.record.network is true' });
  }
  if (rec.network === true && !LAYERED_KINDS.includes(model.spec.kind)) {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument: 'options.record.network',
      value: true,
      expected: `a model with layers (kind ${LAYERED_KINDS.map((k) => `'${k}'`).join(' or ')}); model.spec.kind is '${model.spec.kind}'`,
    });
  }
  const network: LrRunSettings['network'] = rec.network === true ? { nuclear: rec.nuclear ?? true } : null;
  const workers = o.workers === undefined ? 0 : validateWorkers(fn, 'options.workers', o.workers);
  if (o.pool !== undefined) {
    for (const key of ['workers', 'preload'] as const) {
      if (o[key] !== undefined) throw new EosLabError('E_BAD_OPTION', fn, { argument: `options.${key}`, value: o[key], expected: 'undefined when options.pool is given' });
    }
    if (typeof o.pool?.run !== 'function') throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.pool', value: o.pool, expected: 'a TaskPool from createTaskPool' });
  }
  if (o.preload !== undefined && workers <= 1) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.preload', value: o.preload, expected: 'undefined unless options.workers > 1 (runs in this thread need no preload)' });
  }
  const onProgress = o.onProgress === undefined ? undefined : isFunction<(p: LrSweepProgress) => void>(fn, 'options.onProgress', o.onProgress);
  const progressEvery = o.progressEvery === undefined ? 1000 : integerInRange(fn, 'options.progressEvery', o.progressEvery, 1, 0x7fffffff);
  if (o.progressEvery !== undefined && onProgress === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.progressEvery', value: o.progressEvery, expected: 'undefined unless options.onProgress is given' });
  }
  const signal = validateSignal(fn, 'options.signal', o.signal);
  const shape = o.lrSchedule === undefined ? undefined : isFunction<(eta: number) => LrSchedule>(fn, 'options.lrSchedule', o.lrSchedule);
  throwIfAborted(fn, signal, 'before the gradient flow');

  // Worker threads rebuild the model from its spec: before any work, check that this gives the model passed in and
  // that the workers know its kind (a preload module must register a kind that is not built in).
  let pool: TaskPool | undefined = o.pool;
  // Without a pool of the caller's, the shared pool of this (workers, preload), warm after the first call. Where
  // there are no worker threads (a browser), the runs go in this thread on the model given, as with workers 0.
  if (pool === undefined && workers > 1 && WORKER_THREADS) pool = sharedTaskPool(workers, o.preload ?? []);
  const threaded = pool !== undefined && pool.workers > 1;
  /** The schedule of the run at η (validated; plain data when it must cross to a worker), or null without a shape. */
  const rateAt = (eta: number): LrSchedule | null => {
    return shape === undefined ? null : scheduleOfShape(fn, shape, eta, threaded);
  };
  // Explicit learning rates are known now: check their schedules before any work.
  if (explicit !== undefined) for (const eta of explicit) rateAt(eta);
  if (threaded) {
    const fingerprint = await checkSpecReproduces(fn, model, theta0, o.preload);
    await probeWorkers(fn, pool as TaskPool, model.spec, theta0, fingerprint, signal);
  }
  return await sweep();

  /** Runs the flow; its abort error is re-issued in the sweep's name (saying it stopped in the flow). */
  function flowOrAbort<T>(run: () => T): T {
    try {
      return run();
    } catch (e) {
      if (e instanceof EosLabError && e.code === 'E_ABORTED' && signal !== undefined) {
        const step = /at step (\d+)/.exec(e.details.expected)?.[1];
        throw abortError(fn, signal, `during the gradient flow${step === undefined ? '' : `, at RK4 step ${step}`}`);
      }
      throw e;
    }
  }

  async function sweep(): Promise<LrSweepResult> {

    const notes: string[] = [];
    let gradEvals = 0;
    let hvps = 0;

    if (resolved.checkSymmetry) hvps += hessianSymmetryProbe(model, theta0, resolved);
    // s_0 in both conventions.
    const s0 = sharpnessPair(model, theta0, sharpness);
    hvps += s0.hvps;

    // Gradient flow to ε (App. G), tracking S at every step.
    let step: StepSizePolicy;
    if (fo.step !== undefined) step = validateStepSizePolicy(fn, 'options.flow.step', fo.step);
    else step = stepSize.sharpnessAdapted({ alpha: 0.1, maxStep: s0.pair.abs > 0 ? 1 / s0.pair.abs : 1, every: flowSharpnessEvery });
    const flow = flowOrAbort(() => gradientFlow(model, theta0, {
      step,
      lossGoal,
      maxSteps: flowMaxSteps,
      maxTime: fo.maxTime,
      divergence: { maxAbs: maxAbsLimit },
      record: { every: 0, sharpnessEvery: flowSharpnessEvery, sharpness },
      onProgress: onProgress === undefined ? undefined : (p) => onProgress({ phase: 'flow', completed: 0, scheduled: 0, flowStep: p.step, flowLoss: p.loss }),
      progressEvery: onProgress === undefined ? undefined : progressEvery,
      signal,
    }));
    gradEvals += flow.stats.gradEvals;
    hvps += flow.stats.hvps;
    const flowEnd = sharpnessPair(model, flow.theta, sharpness);
    hvps += flowEnd.hvps;
    const sGF = flow.maxSharpness as number;
    if (flow.status !== 'converged') {
      notes.push(`gradient flow did not reach the loss goal (${flow.message}); s_GF = ${fmt(sGF)} is the maximum up to where it stopped`);
    }
    const criticalRate = Number.isNaN(sGF) ? NaN : 2 / sGF;
    if (Number.isNaN(sGF)) {
      notes.push("the flow's sharpness s_GF is NaN (the Hessian had NaN/±Infinity entries along the flow): η_c is NaN and every run's regime is 'undetermined'");
    }
    let schedule: LearningRateSchedule | undefined;
    if (explicit === undefined) {
      if (!(sGF > 0) || !Number.isFinite(sGF)) {
        throw new EosLabError('E_NOT_SUPPORTED', fn, {
          argument: 'options.learningRates',
          value: undefined,
          expected: `explicit learning rates: the flow's s_GF = ${sGF} (which = '${which}') is not positive, so App. G's schedule does not exist`,
        });
      }
      schedule = learningRateSchedule(s0.pair[which], sGF, { onwardStep });
      if (schedule.coarseEmpty) {
        notes.push(
          `coarse grid empty: 2/s_0 = ${fmt(s0.pair[which] > 0 ? 2 / s0.pair[which] : -Infinity)} ≤ 6/s_GF = ${fmt(6 / sGF)} (s_0 = ${fmt(s0.pair[which])}, ${which}); ` +
            `onward points continue from 6/s_GF at step ${fmt(schedule.onwardStep)}`,
        );
      }
    }
    const flowTheta = Float64Array.from(flow.theta);
    const settings: LrRunSettings = { lossGoal, maxSteps, maxAbs: maxAbsLimit, sharpnessEvery, sharpness, settle, keepTheta, criticalLearningRate: criticalRate, network };

    const runs: LrSweepRun[] = [];
    let scheduled = 0;
    onProgress?.({ phase: 'flow', completed: 0, scheduled: explicit?.length ?? (schedule as LearningRateSchedule).fine.length + (schedule as LearningRateSchedule).coarse.length });

    const batchSize = pool === undefined ? 1 : Math.max(1, pool.workers);

    const runBatch = async (etas: readonly number[], grids: readonly LrGrid[]): Promise<LrSweepRun[]> => {
      const rates = etas.map(rateAt);
      scheduled += etas.length;
      let out: LrSweepRun[];
      if (pool === undefined) {
        out = [];
        for (let i = 0; i < etas.length; i++) {
          // Let the event loop run between runs, so that an abort (a timer, a user action) can land.
          if (signal !== undefined) await yieldToEventLoop();
          if (signal?.aborted === true) throw abortError(fn, signal, `before the GD run at learning rate ${etas[i]}`);
          const r = runLearningRate(model, theta0, flowTheta, etas[i], grids[i], settings, rates[i]);
          out.push(r);
          runs.push(r);
          onProgress?.({ phase: 'runs', completed: runs.length, scheduled, run: r });
        }
        return out;
      }
      const tasks: LrSweepRunTask[] = etas.map((eta, i) => ({
        kind: LR_SWEEP_RUN,
        spec: model.spec,
        theta0: Float64Array.from(theta0),
        flowTheta,
        learningRate: eta,
        grid: grids[i],
        settings,
        rate: rates[i],
      }));
      out = await pool.run<LrSweepRun>(tasks, { signal });
      return out;
    };
    const accept = (rs: readonly LrSweepRun[]): void => {
      if (pool === undefined) return; // already pushed (with progress) by runBatch
      for (const r of rs) {
        runs.push(r);
        onProgress?.({ phase: 'runs', completed: runs.length, scheduled, run: r });
      }
    };
    const isStop = (r: LrSweepRun): boolean => (stopAt === 'diverged' ? r.status === 'diverged' : r.status !== 'converged');

    let sweepSchedule: LrSweepSchedule | null = null;
    if (explicit !== undefined) {
      accept(await runBatch(explicit, explicit.map(() => 'explicit' as const)));
    } else {
      const sch = schedule as LearningRateSchedule;
      const first = [...sch.fine, ...sch.coarse];
      const grids: LrGrid[] = [...sch.fine.map(() => 'fine' as const), ...sch.coarse.map(() => 'coarse' as const)];
      accept(await runBatch(first, grids));
      const onward: number[] = [];
      let stop: LrSweepSchedule['stop'];
      const last = runs[runs.length - 1];
      if (isStop(last)) {
        stop = { reason: 'last-scheduled', learningRate: last.learningRate };
      } else {
        let k = 1;
        let found: LrSweepRun | undefined;
        while (found === undefined && k <= maxOnward) {
          const count = Math.min(batchSize, maxOnward - k + 1);
          const etas = Array.from({ length: count }, (_, i) => onwardLearningRate(sch, k + i));
          const batch = await runBatch(etas, etas.map(() => 'onward' as const));
          // Keep the batch up to the first stopping run; later ones are dropped (same list for any batch size;
          // in this thread batches have one run, so nothing is dropped after runBatch recorded it).
          const cut = batch.findIndex(isStop);
          const kept = cut < 0 ? batch : batch.slice(0, cut + 1);
          accept(kept);
          for (const r of kept) onward.push(r.learningRate);
          if (cut >= 0) found = kept[cut];
          k += count;
        }
        stop = found !== undefined
          ? { reason: found.status === 'diverged' ? 'diverged' : 'not-converged', learningRate: found.learningRate }
          : { reason: 'cap', learningRate: onward.length > 0 ? onward[onward.length - 1] : last.learningRate };
        if (found === undefined && maxOnward > 0) notes.push(`no onward run met the stop rule within maxOnward = ${maxOnward} points (up to η = ${fmt(stop.learningRate)})`);
      }
      const refined: number[] = [];
      if (refine > 0) {
        const sorted = [...runs].sort((a, b) => a.learningRate - b.learningRate);
        const firstDiverged = sorted.findIndex((r) => r.status === 'diverged');
        if (firstDiverged > 0) {
          const hi = sorted[firstDiverged].learningRate;
          const lo = sorted[firstDiverged - 1].learningRate;
          for (let i = 1; i <= refine; i++) refined.push(lo + (i * (hi - lo)) / (refine + 1));
          accept(await runBatch(refined, refined.map(() => 'refine' as const)));
        }
      }
      sweepSchedule = { ...sch, onward, refined, stop };
    }

    runs.sort((a, b) => a.learningRate - b.learningRate);
    for (const r of runs) {
      gradEvals += r.stats.gradEvals;
      hvps += r.stats.hvps;
      if (r.unstableAtGoal) {
        const fs = r.finalSharpness as SharpnessPair;
        const end = r.settled === null ? '' : r.settled.stable ? '; settle: stable after continuing' : `; settle: ${r.settled.status}, not stable`;
        notes.push(`η = ${fmt(r.learningRate)} reached the loss goal in passing: λ_max = ${fmt(fs.max)} > 2/η = ${fmt(r.stabilityLimit)} (unstableAtGoal)${end}`);
      }
      if (r.underflowedCoordinates > 0) {
        notes.push(
          `η = ${fmt(r.learningRate)}: ${r.underflowedCoordinates} coordinate(s) underflowed to 0 or a subnormal (|θ_i| < 2^-1022) and can no longer move; ` +
            `the run ended '${r.status}' after ${r.steps} steps${r.status === 'converged' ? '' : ' — a figure that shows converged runs only leaves it out'}`,
        );
      }
    }
    return {
      theta0: Array.from(theta0),
      lossGoal,
      which,
      initialSharpness: s0.pair,
      flowSharpness: sGF,
      criticalLearningRate: criticalRate,
      flow: {
        status: flow.status,
        message: flow.message,
        steps: flow.steps,
        time: flow.time,
        loss: flow.loss,
        finalSharpness: flowEnd.pair,
        norm1: nrm1(flow.theta),
        norm2: nrm2(flow.theta),
        theta: keepTheta ? Array.from(flow.theta) : null,
        network: network === null || !flow.theta.every(Number.isFinite) ? null : recordNetwork(model, flow.theta, theta0, null, network.nuclear),
        stats: flow.stats,
      },
      schedule: sweepSchedule,
      runs,
      notes,
      stats: { gradEvals, hvps },
    };
  }
}

function validateRates(fn: string, rates: unknown): number[] {
  if (!Array.isArray(rates) && !ArrayBuffer.isView(rates)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.learningRates', value: rates, expected: 'an array of finite numbers > 0' });
  }
  const a = Array.from(rates as ArrayLike<number>);
  if (a.length === 0) throw new EosLabError('E_EMPTY', fn, { argument: 'options.learningRates', value: rates, expected: 'at least one learning rate' });
  a.forEach((v, i) => positiveFinite(fn, `options.learningRates[${i}]`, v));
  return a.sort((x, y) => x - y);
}
