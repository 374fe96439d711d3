/**
 * Gradient flow θ'(t) = −∇L(θ(t)) integrated by classical RK4 with a fixed or sharpness-adapted step, tracking
 * the sharpness along the flow ([Conflicting biases, App. G]: s_0 and s_GF).
 *
 * @module
 */
import { abortError } from '../core/abort.js';
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { optionKeys, optionsObject } from '../core/validate.js';
import { nrm1, nrm2 } from '../linalg/vector.js';
import type { SharpnessOptions } from '../sharpness/sharpness.js';
import {
  IterateTrace,
  SharpnessProbe,
  TraceBuffer,
  divergenceCheck,
  divergenceMessage,
  fmt,
  recordThetaOption,
  resolveCommon,
  validateModel,
  type DivergenceOptions,
  type Progress,
} from './driver-common.js';
import { TopKRecorder, type TopKRecordOptions } from './top-k-recorder.js';
import type { GdTrace } from './gd.js';
import { RK4_TABLEAU, createRungeKuttaScratch, rungeKuttaStepFromFirstStage } from './rk4.js';
import { adaptedStep, stepSize, validateStepSizePolicy, type StepSizePolicy } from './step-size.js';

/** The default `record.sharpnessEvery` of {@link gradientFlow}: a sharpness estimate every 10 RK4 steps. */
const DEFAULT_SHARPNESS_EVERY = 10;

/**
 * What {@link gradientFlow} records, and how often.
 *
 * @since 0.1.0
 */
export interface GradientFlowRecordOptions {
  /**
   * Record step, time, loss, ‖θ‖₁, ‖θ‖₂ and ‖∇L‖₂ at every RK4 step k with k mod `every` = 0 (0 = nothing).
   * @defaultValue 1
   */
  every?: number;
  /**
   * Track the sharpness at every step k with k mod `sharpnessEvery` = 0: it goes into the trace and into
   * `initialSharpness` (s_0) and `maxSharpness` (s_GF). 0 disables tracking (both are then `null`). The default
   * keeps tracking cheap: one estimate (tens of HVPs by Lanczos on a network) per 10 RK4 steps (40 gradients),
   * instead of one per step, which made the sharpness most of the cost. s_GF is then the maximum over every 10th
   * step; pass 1 for the maximum over all steps, as {@link lrSweep} does for App. G's s_GF.
   * @defaultValue 10 (1 before 0.2.0)
   */
  sharpnessEvery?: number;
  /**
   * How the sharpness is computed, for the trace and for a sharpness-adapted step (method, λ_max vs max|λ|,
   * tolerance). Giving it when nothing computes sharpness is an error (contradictory).
   * @defaultValue the sharpness module's defaults (λ_max, method 'auto')
   */
  sharpness?: SharpnessOptions;
  /**
   * Track the k largest Hessian eigenvalues (optionally eigenvectors) every `every` RK4 steps by warm-started
   * Lanczos, and the projection of each recorded step's update θ_{k+1} − θ_k onto the top eigenvector (the
   * trace's `topK`).
   * @defaultValue none (no tracking)
   * @since 0.2.0
   */
  topK?: TopKRecordOptions;
  /**
   * Also record the iterate θ_k itself at every recorded step (the trace's `theta`, row-major, `dim` entries per
   * record) — e.g. to draw the path in the plane with `pathsFigure` of `eos-lab/plot`.
   * @defaultValue false
   * @since 0.2.0
   */
  theta?: boolean;
}

/**
 * Options of {@link gradientFlow}.
 *
 * @since 0.1.0
 */
export interface GradientFlowOptions {
  /**
   * The RK4 step-size policy.
   * @defaultValue `stepSize.fixed(0.01)`
   */
  step?: StepSizePolicy;
  /**
   * Stop with status 'max-time' at flow time t = maxTime (> 0); the last step is shortened to land on it exactly.
   * @defaultValue Infinity
   */
  maxTime?: number;
  /**
   * The largest number of RK4 steps.
   * @defaultValue 10000
   */
  maxSteps?: number;
  /**
   * Stop with status 'converged' the first time L(θ_k) ≤ lossGoal ([Conflicting biases, App. G]: "until the loss first
   * reaches the goal"), checked before stepping.
   * @defaultValue none
   */
  lossGoal?: number;
  /**
   * When to declare divergence.
   * @defaultValue `{ maxAbs: 1e6 }`
   */
  divergence?: DivergenceOptions;
  /**
   * What to record.
   * @defaultValue `{ every: 1, sharpnessEvery: 10 }`
   */
  record?: GradientFlowRecordOptions;
  /**
   * Called with `{ step, loss, maxSteps }` at every step k with k mod `progressEvery` = 0 (including k = 0).
   * @defaultValue none
   */
  onProgress?: (progress: Progress) => void;
  /**
   * Period of `onProgress` calls (only with `onProgress`).
   * @defaultValue 1000
   */
  progressEvery?: number;
  /**
   * Stops the run: it throws `E_ABORTED` (naming the step) at the first step at which the signal has fired. The
   * run is synchronous, so the signal can fire during it only from code the run calls — `onProgress`, or the
   * model — or before it starts (an abort from a timer or another event lands between synchronous calls).
   * @defaultValue none
   * @since 0.2.0
   */
  signal?: AbortSignal;
}

/**
 * The trace of {@link gradientFlow}: {@link GdTrace} (without the learning-rate columns of a scheduled `gd` run)
 * plus the flow time of each recorded iterate.
 *
 * @since 0.1.0
 */
export interface GradientFlowTrace extends Omit<GdTrace, 'learningRate' | 'stabilityLimit'> {
  /** Flow time t_k of θ_k (aligned with `step`). */
  readonly time: Float64Array;
}

/**
 * How a gradient-flow run ended.
 *
 * @since 0.1.0
 */
export type GradientFlowStatus = 'converged' | 'diverged' | 'max-steps' | 'max-time';

/**
 * The result of {@link gradientFlow}.
 *
 * @since 0.1.0
 */
export interface GradientFlowResult {
  /** θ(t) at the final time, or for 'diverged' the last iterate that passed the test. Always finite. */
  readonly theta: Float64Array;
  readonly status: GradientFlowStatus;
  readonly message: string;
  /** The index k of the last iterate examined (for 'diverged': the first that failed), as in {@link GdResult}. */
  readonly steps: number;
  /** L(theta). */
  readonly loss: number;
  /** The flow time of `theta`. */
  readonly time: number;
  /** s_0: the sharpness at θ₀ [Conflicting biases, App. G], or `null` when `record.sharpnessEvery` = 0. */
  readonly initialSharpness: number | null;
  /**
   * s_GF: the largest tracked sharpness along the flow up to the stop — with a `lossGoal`, until the loss
   * first reaches the goal ([Conflicting biases, App. G]; η_c = 2/s_GF) — or `null` when `record.sharpnessEvery` = 0.
   * NaN when a tracked sample was NaN (a Hessian with NaN/±Infinity entries; see `trace.sharpnessConverged`).
   */
  readonly maxSharpness: number | null;
  /** Work done: `lossAndGrad` calls (4 per RK4 step, plus 1) and HVPs of the sharpness estimates. */
  readonly stats: { readonly gradEvals: number; readonly hvps: number };
  readonly trace: GradientFlowTrace;
}

/**
 * Integrates gradient flow θ'(t) = −∇L(θ(t)) from θ₀ by classical RK4 ({@link RK4_TABLEAU}) with a fixed or
 * sharpness-adapted step, recording loss, norms and sharpness, and returning [Conflicting biases]'s s_0 = S(θ₀) and
 * s_GF = max S along the flow until L first reaches the goal (App. G).
 *
 * @remarks
 * Iteration k evaluates L(θ_k), ∇L(θ_k) (the first RK4 stage, reused for the step), then: (1) non-finite
 * L(θ_k) → 'diverged' at step k; (2) the sharpness S(θ_k) if tracking is due (k mod `record.sharpnessEvery` =
 * 0) or the adapted step is due for a refresh (k mod `step.every` = 0) — computed once when both are due;
 * (3) record θ_k (time t_k, loss, norms, ‖∇L‖₂) if k mod `record.every` = 0; (4) `onProgress`; (5) L(θ_k) ≤
 * lossGoal → 'converged'; (6) t_k ≥ maxTime → 'max-time'; (7) k = maxSteps → 'max-steps'; (8) one RK4 step
 * of size h_k (fixed `dt`, or min(maxStep, α/S) from the latest refresh), shortened to maxTime − t_k when
 * t_k + h_k reaches maxTime (within 4 ulps), after which t_{k+1} = maxTime exactly; (9) the divergence test on
 * θ_{k+1} as in {@link gd}. With `record.topK`, step (2) also computes the top-k eigenpairs at θ_k when
 * k mod `topK.every` = 0, and after step (8) the projection ⟨θ_{k+1} − θ_k, v₁(θ_k)⟩ is stored with them. With a fixed step t_k = k·dt (one rounding, no drift); with an adapted step t is
 * the running sum of the h_k.
 *
 * Sharpness is λ_max by default, or max|λ| (S_L of [Conflicting biases]) with `record.sharpness.which: 'abs'`; s_GF is the
 * maximum over the tracked steps only, so with `sharpnessEvery` > 1 it can miss a peak between them.
 *
 * Cost: 4 `lossAndGrad` per step plus the sharpness estimates' HVPs. No allocation per step (two iterate
 * buffers swapped, RK4 scratch; the trace starts at ≤ 1024 entries and doubles when full, up to
 * ⌊maxSteps/every⌋ + 1 ≤ 10⁷ entries, and is trimmed at the end) except a sharpness estimate's small result object and an `onProgress` argument, when due.
 * `theta0` is not modified.
 * @param model - the loss.
 * @param theta0 - the start θ₀ (finite, length `model.dim`); copied, never modified.
 * @param options - step policy, stopping rules, recording.
 * @returns the final iterate and time, status, message, s_0 and s_GF, work counts and the trace.
 * @throws EosLabError `E_BAD_OPTION` for a malformed step policy (argument `options.step…`), `maxTime` not > 0,
 *   non-integer or negative counts, `record.sharpness` when nothing computes sharpness, `progressEvery`
 *   without `onProgress`, a `signal` that is not an `AbortSignal`, `divergence.maxAbs` ≤ max|θ₀|;
 *   `E_DIM_MISMATCH` for `theta0.length` ≠ `model.dim`; `E_NONFINITE` for NaN/±Infinity in `theta0` or
 *   `lossGoal`, or a non-finite L(θ₀); `E_EMPTY` for an empty `theta0`; `E_ABORTED` when `signal` has fired
 *   (checked at every step).
 * @example
 * ```ts
 * import { gradientFlow, scalarFactorization, stepSize } from 'eos-lab';
 * const model = scalarFactorization.create();
 * const flow = gradientFlow(model, new Float64Array([2, 0.1]), {
 *   step: stepSize.fixed(0.01),
 *   lossGoal: 1e-10,
 * });
 * console.log(flow.time, flow.initialSharpness, flow.maxSharpness); // η_c = 2 / flow.maxSharpness
 * ```
 * @since 0.1.0
 */
export function gradientFlow(model: LossModel, theta0: Float64Array, options?: GradientFlowOptions): GradientFlowResult {
  const fn = 'gradientFlow';
  validateModel(fn, model);
  const o = optionsObject(fn, options, optionKeys<GradientFlowOptions>({ step: true, maxTime: true, maxSteps: true, lossGoal: true, divergence: true, record: true }, true));
  const policy = o.step === undefined ? stepSize.fixed(0.01) : validateStepSizePolicy(fn, 'options.step', o.step);
  let maxTime = Infinity;
  if (o.maxTime !== undefined) {
    if (typeof o.maxTime !== 'number' || !(o.maxTime > 0)) {
      throw new EosLabError(Number.isNaN(o.maxTime) || o.maxTime === -Infinity ? 'E_NONFINITE' : 'E_BAD_OPTION', fn, { argument: 'options.maxTime', value: o.maxTime, expected: 'a number > 0 (Infinity allowed)' });
    }
    maxTime = o.maxTime;
  }
  const adaptive = policy.kind === 'sharpness-adapted';
  const c = resolveCommon(fn, model, theta0, o, DEFAULT_SHARPNESS_EVERY, adaptive, ['theta']);
  const iterates = recordThetaOption(fn, o.record) ? new IterateTrace(model.dim, c.maxSteps, c.every) : undefined;

  const p = model.dim;
  const { maxSteps, lossGoal, every, sharpnessEvery, onProgress, progressEvery, signal } = c;
  const hasGoal = lossGoal !== undefined;
  const goal = hasGoal ? lossGoal : -Infinity;
  const threshold = c.maxAbs;
  const fixedDt = policy.kind === 'fixed' ? policy.dt : NaN;
  const refreshEvery = policy.kind === 'sharpness-adapted' ? policy.every : 0;
  const trace = new TraceBuffer(maxSteps, every, sharpnessEvery, true);
  const probe = c.sharpness !== undefined ? new SharpnessProbe(model, c.sharpness) : undefined;
  const topK = c.topK === undefined ? undefined : new TopKRecorder(model, c.topK);
  const scratch = createRungeKuttaScratch(RK4_TABLEAU, p);
  const g = scratch.stages[0];
  const snap = 1 - 4 * Number.EPSILON; // land on maxTime when within 4 ulps of it

  let cur = Float64Array.from(theta0);
  let prev = new Float64Array(p);
  const where = new Int32Array(1);
  let t = 0;
  let prevTime = 0;
  let h = fixedDt;
  let s0: number | null = null;
  let sMax = -Infinity;
  // Next step index due for each schedule (−1 = never); counters instead of k % n in the hot loop.
  let nextRecord = every > 0 ? 0 : -1;
  let nextTrack = sharpnessEvery > 0 ? 0 : -1;
  let nextRefresh = refreshEvery > 0 ? 0 : -1;
  let nextTopK = topK !== undefined ? 0 : -1;
  let nextProgress = onProgress !== undefined ? 0 : -1;
  let gradEvals = 0;
  let prevLoss = NaN;
  let status: GradientFlowStatus;
  let message: string;
  let steps: number;
  let theta: Float64Array;
  let loss: number;
  let time: number;

  for (let k = 0; ; k++) {
    const L = model.lossAndGrad(cur, g); // first RK4 stage: ∇L(θ_k) stays in scratch.stages[0]
    gradEvals++;
    if (!Number.isFinite(L)) {
      if (k === 0) {
        throw new EosLabError('E_NONFINITE', fn, { argument: 'theta0', value: theta0, expected: `a point where the loss is finite (L(theta0) = ${L})` });
      }
      status = 'diverged';
      steps = k;
      theta = prev;
      loss = prevLoss;
      time = prevTime;
      message = `diverged at step ${k} (t = ${fmt(t)}): the loss L(theta_${k}) = ${L} is not finite; theta is theta_${k - 1}`;
      break;
    }
    const trackDue = k === nextTrack;
    const refreshDue = k === nextRefresh;
    if (trackDue) nextTrack += sharpnessEvery;
    if (refreshDue) nextRefresh += refreshEvery;
    if (trackDue || refreshDue) {
      const s = (probe as SharpnessProbe).value(cur); // computed once even when both are due
      if (trackDue) {
        trace.recordSharpness(k, s, (probe as SharpnessProbe).converged);
        if (k === 0) s0 = s;
        if (s > sMax || Number.isNaN(s)) sMax = s; // a NaN sample makes s_GF NaN (`s > NaN` is false from then on)
      }
      if (refreshDue && policy.kind === 'sharpness-adapted') h = adaptedStep(policy, s);
    }
    if (k === nextTopK) {
      nextTopK += (topK as TopKRecorder).every;
      (topK as TopKRecorder).record(k, cur);
    }
    if (k === nextRecord) {
      nextRecord += every;
      trace.record(k, L, nrm1(cur), nrm2(cur), nrm2(g), t);
      if (iterates !== undefined) iterates.record(cur);
    }
    if (k === nextProgress) {
      nextProgress += progressEvery;
      (onProgress as (p: Progress) => void)({ step: k, loss: L, maxSteps });
    }
    if (signal !== undefined && signal.aborted) throw abortError(fn, signal, `at step ${k} of at most ${maxSteps}`);
    if (hasGoal && L <= goal) {
      status = 'converged';
      message = `converged at step ${k} (t = ${fmt(t)}): loss ${fmt(L)} <= lossGoal ${fmt(goal)}`;
      steps = k;
      theta = cur;
      loss = L;
      time = t;
      break;
    }
    if (t >= maxTime) {
      status = 'max-time';
      message = `reached maxTime = ${fmt(maxTime)} after ${k} steps with loss ${fmt(L)}`;
      steps = k;
      theta = cur;
      loss = L;
      time = t;
      break;
    }
    if (k === maxSteps) {
      status = 'max-steps';
      message = `reached maxSteps = ${maxSteps} at t = ${fmt(t)} with loss ${fmt(L)}${hasGoal ? ` > lossGoal ${fmt(goal)}` : ''}`;
      steps = k;
      theta = cur;
      loss = L;
      time = t;
      break;
    }
    let hk = h;
    let tNext: number;
    if (t + hk >= maxTime * snap) {
      hk = maxTime - t; // the last step lands exactly on maxTime
      tNext = maxTime;
    } else {
      tNext = refreshEvery === 0 ? (k + 1) * fixedDt : t + hk;
    }
    gradEvals += rungeKuttaStepFromFirstStage(model, cur, hk, scratch, prev);
    const tmp = cur;
    cur = prev;
    prev = tmp;
    prevLoss = L;
    prevTime = t;
    t = tNext;
    if (topK !== undefined) topK.afterStep(prev, cur);
    const d = divergenceCheck(cur, threshold, where);
    if (d !== 0) {
      status = 'diverged';
      steps = k + 1;
      theta = prev;
      loss = L;
      time = prevTime;
      message = divergenceMessage(d, k, where[0], cur[where[0]], threshold, ` (t = ${fmt(t)})`);
      break;
    }
  }

  const tracked = sharpnessEvery > 0;
  const finished = trace.finish();
  return {
    theta,
    status,
    message,
    steps,
    loss,
    time,
    initialSharpness: tracked ? s0 : null,
    maxSharpness: tracked ? sMax : null,
    stats: { gradEvals, hvps: (probe === undefined ? 0 : probe.hvps) + (topK === undefined ? 0 : topK.hvpsTotal) },
    trace: {
      ...finished,
      time: finished.time as Float64Array,
      ...(topK === undefined ? {} : { topK: topK.finish() }),
      ...(iterates === undefined ? {} : { theta: iterates.finish() }),
    },
  };
}
