/**
 * One learning rate of a sweep: GD from θ₀ to the loss goal, its final and maximal sharpness, norms, distance to
 * the gradient-flow solution, regime and the "glossed-over" flags — as a function and as the `'lr-sweep/run'`
 * task any worker can run after rebuilding the model from its spec.
 *
 * @module
 */
import type { NdArray } from 'ndarray';
import type { LossModel, ModelSpec } from '../../core/loss-model.js';
import { createModel } from '../../core/registry.js';
import { gd, type GdStatus } from '../../dynamics/gd.js';
import { lrSchedule, scheduleValue, type LrSchedule } from '../../dynamics/schedules.js';
import { nrm1, nrm2 } from '../../linalg/vector.js';
import { registerTaskHandler, type Task } from '../../parallel/task-registry.js';
import {
  createSharpnessWorkspace,
  resolveSharpnessOptions,
  sharpnessEstimateUnchecked,
  denseHessian,
  type SharpnessOptions,
  type SharpnessWorkspace,
} from '../../sharpness/sharpness.js';
import { symmetricEigenUnchecked } from '../../linalg/symmetric-eigen.js';
import { recordNetwork, type LrSweepNetworkMeasures } from './network-record.js';

/** The task kind of one learning rate of a sweep. @internal */
export const LR_SWEEP_RUN = 'lr-sweep/run';

/**
 * The two sharpness conventions at one point: λ_max(∇²L) (Cohen et al.; the quantity GD compares with 2/η) and
 * max|λ| = ‖∇²L‖₂ (S_L of [Conflicting biases]). They differ where a negative eigenvalue dominates (e.g. near a saddle).
 *
 * @since 0.1.0
 */
export interface SharpnessPair {
  /** λ_max, the largest eigenvalue. */
  readonly max: number;
  /** max|λ|, the largest eigenvalue magnitude. */
  readonly abs: number;
}

/**
 * Where a learning rate of a sweep came from: App. G's fine or coarse grid, the onward points "until divergence",
 * the automatic refinement, or the caller's explicit list.
 *
 * @since 0.1.0
 */
export type LrGrid = 'fine' | 'coarse' | 'onward' | 'refine' | 'explicit';

/**
 * The regime of a run [Conflicting biases, Sec. 2]: `'flow-aligned'` for η ≤ η_c = 2/s_GF, `'eos'` for η > η_c,
 * `'diverged'` for a run whose status is `'diverged'`, and `'undetermined'` (since 0.2.0) when η_c is NaN because the
 * flow's sharpness s_GF was not finite (a Hessian with NaN/±Infinity entries along the flow).
 *
 * @since 0.1.0
 */
export type LrRegime = 'flow-aligned' | 'eos' | 'diverged' | 'undetermined';

/**
 * The continuation of a run that reached the loss goal with sharpness above 2/η (`settle`).
 *
 * @since 0.1.0
 */
export interface LrSweepSettled {
  /** Status of the continued GD run (from the at-goal iterate, to the tighter goal). */
  readonly status: GdStatus;
  /** Extra steps taken. */
  readonly steps: number;
  readonly loss: number;
  /** Sharpness at the settled iterate (`null` if it diverged). */
  readonly finalSharpness: SharpnessPair | null;
  /** Converged to the tighter goal with λ_max ≤ 2/η: a genuinely stable end point. */
  readonly stable: boolean;
  readonly norm1: number;
  readonly norm2: number;
  readonly distanceToFlow: number;
  /** The settled iterate (only with `keepTheta`). */
  readonly theta: number[] | null;
}

/**
 * The outcome of GD at one learning rate of a sweep (JSON-serializable).
 *
 * @since 0.1.0
 */
export interface LrSweepRun {
  /** η. */
  readonly learningRate: number;
  /** Where η came from. */
  readonly grid: LrGrid;
  /** GD's status: `'converged'` (loss ≤ ε), `'diverged'` or `'max-steps'`. */
  readonly status: GdStatus;
  readonly message: string;
  /** GD steps (the index of the last iterate examined). */
  readonly steps: number;
  /**
   * steps × η: GD's "time" [Conflicting biases, App. H.8]. For a converged run, `steps` is the number k of GD steps
   * taken to reach the goal (the first k with L(θ_k) ≤ ε), so k·η is the time to compare with the flow's t_GF
   * (`result.flow.time`): GD at small η tracks the flow, k·η → t_GF as η → 0. For other statuses it is the time
   * at the last iterate examined.
   * @since 0.2.0
   */
  readonly time: number;
  /** The final loss (for `'diverged'`, at the last finite iterate). */
  readonly loss: number;
  /** `'flow-aligned'` (η ≤ η_c), `'eos'` (η > η_c) or `'diverged'`. */
  readonly regime: LrRegime;
  /**
   * 2/η, the stability limit GD's limits must respect. Under a per-run schedule (`lrSchedule` of the sweep):
   * 2/η_K, with η_K the schedule's rate at step K = `steps` — the rate GD would take next from θ_final, hence the
   * limit θ_final must respect (+∞ where η_K = 0).
   */
  readonly stabilityLimit: number;
  /** λ_max and max|λ| at the final iterate (`null` for a diverged run). */
  readonly finalSharpness: SharpnessPair | null;
  /**
   * The largest sharpness seen along the run (in the sweep's convention, `sharpness.which`), sampled every
   * `sharpnessEvery` steps and at the final iterate; `null` for a diverged run or `sharpnessEvery` = 0.
   */
  readonly maxSharpness: number | null;
  /**
   * The run reached the loss goal "in passing": converged with λ_max(θ_final) > 2/η, i.e. at an iterate GD cannot
   * stay at (any small perturbation grows by |1 − ηλ_max| > 1 per step). Such a run is not a stable limit.
   */
  readonly unstableAtGoal: boolean;
  /** ‖θ_final‖₁. */
  readonly norm1: number;
  /** ‖θ_final‖₂. */
  readonly norm2: number;
  /** ‖θ_final − θ_GF‖₂, the distance to the gradient-flow end point. */
  readonly distanceToFlow: number;
  /**
   * Per-layer ℓ1/ℓ2 norms, nuclear norms and the ℓ1/ℓ2 distances to θ₀ and θ_GF at θ_final, with
   * `record.network` (MLP and CNN models); `null` without it and for a diverged run.
   * @since 0.2.0
   */
  readonly network: LrSweepNetworkMeasures | null;
  /** Coordinates of θ_final that are exactly 0. */
  readonly zeroCoordinates: number;
  /**
   * Coordinates nonzero in θ₀ but 0 or subnormal (|θᵢ| < 2⁻¹⁰²², e.g. 5e-324) at the end (underflow): for models
   * whose gradient in a coordinate is proportional to it (diagonal networks), such a coordinate can never move again —
   * at the smallest subnormals the update η·gᵢ rounds away. (Before 0.2.0 only exact zeros were counted.)
   */
  readonly underflowedCoordinates: number;
  /** θ_final (only with `keepTheta`). */
  readonly theta: number[] | null;
  /** The continuation of an `unstableAtGoal` run when `settle` is on, else `null`. */
  readonly settled: LrSweepSettled | null;
  /** Work done: gradient evaluations and Hessian-vector products (including the settle continuation). */
  readonly stats: { readonly gradEvals: number; readonly hvps: number };
}

/** Settings shared by the runs of one sweep (structured-cloneable). @internal */
export interface LrRunSettings {
  readonly lossGoal: number;
  readonly maxSteps: number;
  readonly maxAbs: number;
  readonly sharpnessEvery: number;
  /** The user's sharpness options with `which` filled in (validated once by the sweep). */
  readonly sharpness: SharpnessOptions;
  readonly settle: { readonly lossGoal: number; readonly maxSteps: number } | null;
  readonly keepTheta: boolean;
  readonly criticalLearningRate: number;
  /** `record.network`: record the network measures (with or without nuclear norms), or `null`. */
  readonly network: { readonly nuclear: boolean } | null;
}

/** A task: one learning rate of a sweep. @internal */
export interface LrSweepRunTask extends Task {
  readonly kind: typeof LR_SWEEP_RUN;
  readonly spec: ModelSpec;
  readonly theta0: Float64Array;
  readonly flowTheta: Float64Array;
  readonly learningRate: number;
  readonly grid: LrGrid;
  readonly settings: LrRunSettings;
  /** The run's schedule (plain data: never `kind: 'function'`), or `null` for the constant η. @since 0.2.0 */
  readonly rate?: LrSchedule | null;
}

/** Both sharpness conventions at θ (one dense eigendecomposition, or two iterative estimates). @internal */
export function sharpnessPair(model: LossModel, theta: Float64Array, options: SharpnessOptions, workspace?: SharpnessWorkspace): { pair: SharpnessPair; hvps: number } {
  const resolved = resolveSharpnessOptions(model, options);
  if (resolved.method === 'dense') {
    // NaN/±∞ Hessian entries give NaN values (recorded in the sweep, never a TypeError); a wrong shape throws.
    const values = symmetricEigenUnchecked(denseHessian('lrSweep', model, theta)).values;
    const hi = values[values.length - 1];
    return { pair: { max: hi, abs: Math.max(hi, -values[0]) }, hvps: 0 };
  }
  const ws = workspace ?? createSharpnessWorkspace(model);
  const a = sharpnessEstimateUnchecked(model, theta, { ...resolved, which: 'max' }, ws);
  const b = sharpnessEstimateUnchecked(model, theta, { ...resolved, which: 'abs' }, ws);
  return { pair: { max: a.value, abs: b.value }, hvps: a.hvps + b.hvps };
}

/** The smallest positive normal double, 2⁻¹⁰²²: below it a coordinate is subnormal (or 0) and loses precision. */
const MIN_NORMAL = 2 ** -1022;

function distance(a: Float64Array, b: Float64Array): number {
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i] - b[i];
  return nrm2(d);
}

/**
 * Runs GD at one learning rate and summarizes it (in whichever thread). Deterministic: the same model, θ₀, η
 * and settings give bit-identical results. @internal
 */
export function runLearningRate(
  model: LossModel,
  theta0: Float64Array,
  flowTheta: Float64Array,
  learningRate: number,
  grid: LrGrid,
  s: LrRunSettings,
  rate: LrSchedule | null = null,
): LrSweepRun {
  const eta = learningRate;
  const which = s.sharpness.which === 'max' ? 'max' : 'abs';
  const run = gd(model, theta0, {
    learningRate: rate ?? eta,
    lossGoal: s.lossGoal,
    maxSteps: s.maxSteps,
    divergence: { maxAbs: s.maxAbs },
    record: s.sharpnessEvery > 0 ? { every: 0, sharpnessEvery: s.sharpnessEvery, sharpness: s.sharpness } : { every: 0, sharpnessEvery: 0 },
  });
  let gradEvals = run.stats.gradEvals;
  let hvps = run.stats.hvps;
  const diverged = run.status === 'diverged';
  let finalSharpness: SharpnessPair | null = null;
  let maxSharpness: number | null = null;
  if (!diverged) {
    const fs = sharpnessPair(model, run.theta, s.sharpness);
    hvps += fs.hvps;
    finalSharpness = fs.pair;
    if (s.sharpnessEvery > 0) {
      let m = fs.pair[which];
      for (let j = 0; j < run.trace.sharpness.length; j++) {
        const x = run.trace.sharpness[j];
        if (x > m || Number.isNaN(x)) m = x; // a NaN sample (non-finite Hessian) makes the maximum NaN, not hidden
      }
      maxSharpness = m;
    }
  }
  // Under a schedule the final iterate θ_K must be stable under the rate of the next step, η_K.
  const etaNext = rate === null ? eta : scheduleValue('lrSweep', 'options.lrSchedule', rate, run.steps);
  const limit = 2 / etaNext;
  const unstableAtGoal = run.status === 'converged' && finalSharpness !== null && finalSharpness.max > limit;
  let zeroCoordinates = 0;
  let underflowedCoordinates = 0;
  for (let i = 0; i < run.theta.length; i++) {
    if (run.theta[i] === 0) zeroCoordinates++;
    if (Math.abs(run.theta[i]) < MIN_NORMAL && theta0[i] !== 0) underflowedCoordinates++;
  }
  let settled: LrSweepSettled | null = null;
  if (unstableAtGoal && s.settle !== null) {
    // The continuation carries on the schedule from step K (η_{K+j} at its step j).
    const K = run.steps;
    const more = gd(model, run.theta, {
      learningRate: rate === null ? eta : lrSchedule.fromFunction((j) => scheduleValue('lrSweep', 'options.lrSchedule', rate, K + j)),
      lossGoal: s.settle.lossGoal,
      maxSteps: s.settle.maxSteps,
      divergence: { maxAbs: s.maxAbs },
      record: { every: 0 },
    });
    gradEvals += more.stats.gradEvals;
    let pair: SharpnessPair | null = null;
    if (more.status !== 'diverged') {
      const fs = sharpnessPair(model, more.theta, s.sharpness);
      hvps += fs.hvps;
      pair = fs.pair;
    }
    settled = {
      status: more.status,
      steps: more.steps,
      loss: more.loss,
      finalSharpness: pair,
      stable: more.status === 'converged' && pair !== null && pair.max <= (rate === null ? limit : 2 / scheduleValue('lrSweep', 'options.lrSchedule', rate, K + more.steps)),
      norm1: nrm1(more.theta),
      norm2: nrm2(more.theta),
      distanceToFlow: distance(more.theta, flowTheta),
      theta: s.keepTheta ? Array.from(more.theta) : null,
    };
  }
  return {
    learningRate: eta,
    grid,
    status: run.status,
    message: run.message,
    steps: run.steps,
    time: run.steps * eta,
    loss: run.loss,
    regime: diverged ? 'diverged' : Number.isNaN(s.criticalLearningRate) ? 'undetermined' : eta <= s.criticalLearningRate ? 'flow-aligned' : 'eos',
    stabilityLimit: limit,
    finalSharpness,
    maxSharpness,
    unstableAtGoal,
    norm1: nrm1(run.theta),
    norm2: nrm2(run.theta),
    distanceToFlow: distance(run.theta, flowTheta),
    network: s.network === null || diverged ? null : (recordNetwork(model, run.theta, theta0, flowTheta, s.network.nuclear) as LrSweepNetworkMeasures),
    zeroCoordinates,
    underflowedCoordinates,
    theta: s.keepTheta ? Array.from(run.theta) : null,
    settled,
    stats: { gradEvals, hvps },
  };
}

/** Runs one task (rebuilding the model from its spec). @internal */
export function runLearningRateTask(task: LrSweepRunTask): LrSweepRun {
  return runLearningRate(createModel(task.spec), task.theta0, task.flowTheta, task.learningRate, task.grid, task.settings, task.rate ?? null);
}

registerTaskHandler(LR_SWEEP_RUN, (task) => runLearningRateTask(task as LrSweepRunTask));
