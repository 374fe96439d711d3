/**
 * Full-batch gradient descent θ_{k+1} = θ_k − η ∇L(θ_k): the one-step kernel {@link gdStep} and the driver
 * {@link gd} (statuses, trace, gradient transforms).
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
import { TopKRecorder, type TopKRecordOptions, type TopKTrace } from './top-k-recorder.js';
import { checkStepArgs } from './rk4.js';
import { scheduleValue, validateLearningRate, type LrSchedule } from './schedules.js';
import { validateTransform, type GradientTransform, type TransformContext } from './transforms.js';

export type { DivergenceOptions, Progress } from './driver-common.js';

/**
 * One gradient-descent step θ' = θ − η ∇L(θ) (docs/math.md §0), writing ∇L(θ) into `scratch` and θ' into `out`.
 *
 * @remarks Operation order, for bit-for-bit reproduction in numpy or C (compiled with `-ffp-contract=off`;
 * JavaScript never fuses): first `g = ∇L(θ)` by the model's `lossAndGrad`, then for each i
 * `out[i] = theta[i] - eta * g[i]` — one rounded product, one rounded difference ([Scalar factorization]; docs/math.md §1's
 * note). Cost: one `lossAndGrad`, no allocation. Checks only types and lengths (O(1)); finiteness is not
 * checked (a kernel for your own loops — {@link gd} validates once). `theta` is read before `out[i]` is
 * written, so `out` may be `theta` itself (in-place step); `scratch` must be distinct from both.
 * @param model - the loss.
 * @param theta - θ, length `model.dim` (not modified unless `out === theta`).
 * @param learningRate - η > 0.
 * @param scratch - gradient buffer of length `model.dim`; on return it holds ∇L(θ).
 * @param out - receives θ'.
 * @returns L(θ), the loss before the step (from the fused `lossAndGrad`).
 * @throws EosLabError `E_BAD_OPTION` for η not finite > 0, non-`Float64Array` buffers or `scratch` aliasing
 *   `theta` or `out`; `E_DIM_MISMATCH` for lengths other than `model.dim`.
 * @example
 * ```ts
 * import { gdStep, scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create();
 * const theta = new Float64Array([1.5, 0.5]);
 * const grad = new Float64Array(2);
 * for (let k = 0; k < 100; k++) gdStep(model, theta, 0.1, grad, theta); // in place
 * ```
 * @since 0.1.0
 */
export function gdStep(model: LossModel, theta: Float64Array, learningRate: number, scratch: Float64Array, out: Float64Array): number {
  const fn = 'gdStep';
  checkStepArgs(fn, model, theta, out, 'learningRate', learningRate);
  if (!(scratch instanceof Float64Array)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'scratch', value: scratch, expected: 'a Float64Array' });
  }
  if (scratch.length !== model.dim) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'scratch.length', value: scratch.length, expected: `${model.dim} (the model's dim)` });
  }
  if (scratch === theta || scratch === out) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'scratch', value: scratch, expected: 'a buffer distinct from theta and out' });
  }
  const loss = model.lossAndGrad(theta, scratch);
  const eta = learningRate;
  for (let i = 0; i < theta.length; i++) out[i] = theta[i] - eta * scratch[i]; // θ' = θ − η ∇L(θ), docs/math.md §0
  return loss;
}

/**
 * What {@link gd} records, and how often.
 *
 * @since 0.1.0
 */
export interface GdRecordOptions {
  /**
   * Record step, loss, ‖θ‖₁, ‖θ‖₂ and ‖∇L‖₂ at every step k with k mod `every` = 0 (0 = record nothing).
   * @defaultValue 1
   */
  every?: number;
  /**
   * Record the sharpness at every step k with k mod `sharpnessEvery` = 0 (0 = never).
   * @defaultValue 0
   */
  sharpnessEvery?: number;
  /**
   * How the sharpness is computed (method, λ_max vs max|λ|, tolerance). Giving it with `sharpnessEvery` = 0
   * is an error (contradictory).
   * @defaultValue the sharpness module's defaults (λ_max, method 'auto')
   */
  sharpness?: SharpnessOptions;
  /**
   * Track the k largest Hessian eigenvalues (optionally eigenvectors) every `every` steps by warm-started
   * Lanczos, and the projection of each recorded step's update onto the top eigenvector (the trace's `topK`).
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
 * Options of {@link gd}.
 *
 * @since 0.1.0
 */
export interface GdOptions {
  /**
   * The learning rate: η > 0 (required), or since 0.2.0 a schedule k ↦ η_k from `lrSchedule` (step k uses η_k;
   * transforms see η_k in their context).
   */
  learningRate: number | LrSchedule;
  /**
   * The largest number of steps; the run examines θ_0 … θ_maxSteps.
   * @defaultValue 10000
   */
  maxSteps?: number;
  /**
   * Stop with status 'converged' at the first k with L(θ_k) ≤ lossGoal (checked before stepping).
   * @defaultValue none (run to maxSteps or divergence)
   */
  lossGoal?: number;
  /**
   * When to declare divergence.
   * @defaultValue `{ maxAbs: 1e6 }`
   */
  divergence?: DivergenceOptions;
  /**
   * A gradient transform u = T(∇L(θ_k)) applied before the step θ_{k+1} = θ_k − η u (e.g. clipping).
   * @defaultValue none (u = ∇L)
   */
  transform?: GradientTransform<any>;
  /**
   * What to record.
   * @defaultValue `{ every: 1, sharpnessEvery: 0 }`
   */
  record?: GdRecordOptions;
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
 * The struct-of-arrays trace of {@link gd}: entry j describes the iterate θ_k at k = `step[j]`.
 *
 * @since 0.1.0
 */
export interface GdTrace {
  /** Step indices k = 0, every, 2·every, … of the recorded iterates. */
  readonly step: Int32Array;
  /** L(θ_k). */
  readonly loss: Float64Array;
  /** ‖θ_k‖₁. */
  readonly norm1: Float64Array;
  /** ‖θ_k‖₂. */
  readonly norm2: Float64Array;
  /** ‖∇L(θ_k)‖₂ (before any transform). */
  readonly gradNorm: Float64Array;
  /** Step indices k = 0, sharpnessEvery, … at which the sharpness was computed. */
  readonly sharpnessStep: Int32Array;
  /** The sharpness at θ_k (λ_max or max|λ| per `record.sharpness.which`); NaN where the Hessian was not finite. */
  readonly sharpness: Float64Array;
  /**
   * The top-k eigenvalues, eigenvectors and update projections, present only with `record.topK`.
   * @since 0.2.0
   */
  readonly topK?: TopKTrace;
  /**
   * 1 where the sharpness estimate converged, 0 where it did not (an iterative method stopped at `maxIterations`,
   * or the Hessian had NaN/±Infinity entries and the value is NaN).
   * @since 0.2.0
   */
  readonly sharpnessConverged: Uint8Array;
  /**
   * The recorded iterates θ_k at the steps `step`, row-major: record j is `theta.subarray(j·dim, (j + 1)·dim)`;
   * present only with `record.theta`.
   * @since 0.2.0
   */
  readonly theta?: Float64Array;
  /**
   * η_k, the schedule's learning rate at each recorded step k = `step[j]`; present only when `learningRate` is a
   * schedule that is not `lrSchedule.constant` (with a constant η the trace stays as in 0.1.0).
   * @since 0.2.0
   */
  readonly learningRate?: Float64Array;
  /**
   * The per-step stability limit 2/η_k of GD at each recorded step (+∞ where η_k = 0): λ_max(∇²L(θ_k)) above it
   * makes the step expand along the top eigenvector on the local quadratic ([Cohen et al. 2021, §2]). Present
   * exactly when `learningRate` is.
   * @since 0.2.0
   */
  readonly stabilityLimit?: Float64Array;
}

/**
 * How a run ended: the loss goal was reached, the iterates diverged, or the step budget ran out.
 *
 * @since 0.1.0
 */
export type GdStatus = 'converged' | 'diverged' | 'max-steps';

/**
 * The result of {@link gd}.
 *
 * @since 0.1.0
 */
export interface GdResult {
  /** The final iterate θ_steps, or for 'diverged' the last iterate that passed the test, θ_{steps−1}. Always finite. */
  readonly theta: Float64Array;
  readonly status: GdStatus;
  /** One sentence saying why the run stopped. */
  readonly message: string;
  /**
   * The index k of the last iterate examined: for 'converged' the first k with L(θ_k) ≤ lossGoal, for
   * 'max-steps' maxSteps, for 'diverged' the first k at which θ_k or L(θ_k) failed the divergence test.
   */
  readonly steps: number;
  /** L(theta). */
  readonly loss: number;
  /** Work done: `lossAndGrad` calls and Hessian-vector products (by sharpness estimates and top-k tracking). */
  readonly stats: { readonly gradEvals: number; readonly hvps: number };
  readonly trace: GdTrace;
}

/**
 * Runs gradient descent θ_{k+1} = θ_k − η u_k, u_k = T(∇L(θ_k)) (T the identity unless a `transform` is given;
 * docs/math.md §0) from θ₀ until L(θ_k) ≤ lossGoal, divergence, or `maxSteps` steps.
 *
 * @remarks
 * Iteration k (k = 0, 1, …) evaluates L(θ_k) and ∇L(θ_k) with one fused `lossAndGrad`, then in this order:
 * (1) if L(θ_k) is not finite, stop 'diverged' at step k; (2) record θ_k if k mod `record.every` = 0, and its
 * sharpness if k mod `record.sharpnessEvery` = 0; (3) call `onProgress`; (4) if L(θ_k) ≤ lossGoal, stop
 * 'converged' with steps = k; (5) if k = maxSteps, stop 'max-steps'; (6) step to θ_{k+1} (same operation
 * order as {@link gdStep}: `θ[i] − η·u[i]`), and if θ_{k+1} has a non-finite entry or max|θ_{k+1,i}| ≥
 * `divergence.maxAbs`, stop 'diverged' at step k + 1. On divergence `theta` and `loss` are those of the last
 * iterate that passed, so the result never holds NaN. With `record.topK`, step (2) also computes the top-k
 * eigenpairs at θ_k when k mod `topK.every` = 0 (warm-started from the previous record's eigenvectors), and
 * after step (6) the update's projection ⟨θ_{k+1} − θ_k, v₁(θ_k)⟩ is stored with them. So the loss recorded at step k is L(θ_k), and
 * `gradEvals` = steps + 1 except for divergence detected on θ (then = steps).
 *
 * Sharpness (when recorded) is λ_max by default, or max|λ| with `record.sharpness.which: 'abs'` ([Conflicting biases]'s
 * S_L); GD can only converge to minima with sharpness ≤ 2/η.
 *
 * Under a learning-rate schedule (`learningRate` from `lrSchedule`, other than `lrSchedule.constant`), step (2) also
 * records η_k and GD's per-step stability limit 2/η_k (`trace.learningRate`, `trace.stabilityLimit`), the same
 * columns {@link train} records; η_k is evaluated once per examined step, the last one included. With a constant η
 * the trace has no such columns and the run is unchanged bit for bit.
 *
 * Cost: one `lossAndGrad` per step plus the sharpness estimates' HVPs (`stats.hvps`). The loop allocates
 * nothing per step (two iterate buffers swapped, one gradient buffer; the trace starts at ≤ 1024 entries and
 * doubles when full — amortized O(1), log₂ reallocations per run — and is trimmed at the end); only a sharpness
 * estimate (its small result object) and an `onProgress` call (its argument) allocate, when due. A trace holds
 * at most 10⁷ entries, so ⌊maxSteps/every⌋ + 1 must stay below that. `theta0` is not modified.
 * @param model - the loss.
 * @param theta0 - the start θ₀ (finite, length `model.dim`); copied, never modified.
 * @param options - `learningRate` (required) and the stopping, recording and transform options.
 * @returns the final iterate, status, message, step count, loss, work counts and the trace.
 * @throws EosLabError `E_BAD_OPTION` for a learning rate not finite > 0 (argument `options.learningRate`),
 *   non-integer or negative counts, a malformed transform, `record.sharpness` with `sharpnessEvery` = 0,
 *   `progressEvery` without `onProgress`, a `signal` that is not an `AbortSignal`, `divergence.maxAbs` ≤ max|θ₀|; `E_DIM_MISMATCH` if
 *   `theta0.length` ≠ `model.dim`; `E_NONFINITE` for a NaN/±Infinity in `theta0` or `lossGoal`, or a
 *   non-finite L(θ₀); `E_EMPTY` for an empty `theta0`; `E_ABORTED` when `signal` has fired (checked at every step).
 * @example
 * ```ts
 * import { gd, scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create(); // L(x, y) = ½(1 − xy)²
 * const run = gd(model, new Float64Array([1.5, 0.5]), { learningRate: 0.1, lossGoal: 1e-12 });
 * console.log(run.status, run.steps, run.theta); // converged, near the hyperbola xy = 1
 * ```
 * @since 0.1.0
 */
export function gd(model: LossModel, theta0: Float64Array, options: GdOptions): GdResult {
  const fn = 'gd';
  validateModel(fn, model);
  const o = optionsObject(fn, options, optionKeys<GdOptions>({ learningRate: true, maxSteps: true, lossGoal: true, divergence: true, transform: true, record: true }, true));
  const schedule = validateLearningRate(fn, 'options.learningRate', o.learningRate);
  const constantRate = schedule.kind === 'constant' ? schedule.value : NaN; // NaN: evaluate the schedule per step
  const transform = o.transform === undefined ? undefined : validateTransform(fn, 'options.transform', o.transform);
  const c = resolveCommon(fn, model, theta0, o, 0, false, ['theta']);
  const iterates = recordThetaOption(fn, o.record) ? new IterateTrace(model.dim, c.maxSteps, c.every) : undefined;

  const p = model.dim;
  const { maxSteps, lossGoal, every, sharpnessEvery, onProgress, progressEvery, signal } = c;
  const hasGoal = lossGoal !== undefined;
  const goal = hasGoal ? lossGoal : -Infinity;
  const threshold = c.maxAbs;
  const trace = new TraceBuffer(maxSteps, every, sharpnessEvery, false);
  // η_k and 2/η_k beside the trace, only under a (non-constant) schedule: a constant η keeps the 0.1.0 trace.
  const rates = constantRate === constantRate ? undefined : new RateColumns();
  const probe = c.sharpness !== undefined && sharpnessEvery > 0 ? new SharpnessProbe(model, c.sharpness) : undefined;
  const topK = c.topK === undefined ? undefined : new TopKRecorder(model, c.topK);
  const state: unknown = transform === undefined ? undefined : transform.init(p);

  let cur = Float64Array.from(theta0);
  let prev = new Float64Array(p);
  const g = new Float64Array(p);
  const where = new Int32Array(1);
  const context: { theta: Float64Array; learningRate: number; step: number } = { theta: cur, learningRate: 0, step: 0 };

  // Next step index due for each schedule (−1 = never); counters instead of k % n in the hot loop.
  let nextRecord = every > 0 ? 0 : -1;
  let nextSharpness = probe !== undefined ? 0 : -1;
  let nextTopK = topK !== undefined ? 0 : -1;
  let nextProgress = onProgress !== undefined ? 0 : -1;
  let gradEvals = 0;
  let prevLoss = NaN;
  let status: GdStatus;
  let message: string;
  let steps: number;
  let theta: Float64Array;
  let loss: number;

  for (let k = 0; ; k++) {
    const L = model.lossAndGrad(cur, g);
    gradEvals++;
    if (!Number.isFinite(L)) {
      if (k === 0) {
        throw new EosLabError('E_NONFINITE', fn, { argument: 'theta0', value: theta0, expected: `a point where the loss is finite (L(theta0) = ${L})` });
      }
      status = 'diverged';
      steps = k;
      theta = prev;
      loss = prevLoss;
      message = `diverged at step ${k}: the loss L(theta_${k}) = ${L} is not finite; theta is theta_${k - 1}`;
      break;
    }
    // η_k, evaluated once per step (a function schedule is called at every examined k, the last one included).
    const eta = constantRate === constantRate ? constantRate : scheduleValue(fn, 'options.learningRate', schedule, k);
    if (k === nextRecord) {
      nextRecord += every;
      trace.record(k, L, nrm1(cur), nrm2(cur), nrm2(g), 0);
      if (iterates !== undefined) iterates.record(cur);
      if (rates !== undefined) rates.push(eta);
    }
    if (k === nextSharpness) {
      nextSharpness += sharpnessEvery;
      trace.recordSharpness(k, (probe as SharpnessProbe).value(cur), (probe as SharpnessProbe).converged);
    }
    if (k === nextTopK) {
      nextTopK += (topK as TopKRecorder).every;
      (topK as TopKRecorder).record(k, cur);
    }
    if (k === nextProgress) {
      nextProgress += progressEvery;
      (onProgress as (p: Progress) => void)({ step: k, loss: L, maxSteps });
    }
    if (signal !== undefined && signal.aborted) throw abortError(fn, signal, `at step ${k} of at most ${maxSteps}`);
    if (hasGoal && L <= goal) {
      status = 'converged';
      steps = k;
      theta = cur;
      loss = L;
      message = `converged at step ${k}: loss ${fmt(L)} <= lossGoal ${fmt(goal)}`;
      break;
    }
    if (k === maxSteps) {
      status = 'max-steps';
      steps = k;
      theta = cur;
      loss = L;
      message = `reached maxSteps = ${maxSteps} with loss ${fmt(L)}${hasGoal ? ` > lossGoal ${fmt(goal)}` : ''}`;
      break;
    }
    if (transform !== undefined) {
      context.theta = cur;
      context.step = k;
      context.learningRate = eta;
      transform.update(g, state, context as TransformContext, g);
    }
    for (let i = 0; i < p; i++) prev[i] = cur[i] - eta * g[i]; // θ_{k+1} = θ_k − η u_k (gdStep's order)
    const t = cur;
    cur = prev;
    prev = t;
    prevLoss = L;
    if (topK !== undefined) topK.afterStep(prev, cur);
    const d = divergenceCheck(cur, threshold, where);
    if (d !== 0) {
      status = 'diverged';
      steps = k + 1;
      theta = prev;
      loss = L;
      message = divergenceMessage(d, k, where[0], cur[where[0]], threshold);
      break;
    }
  }

  const { time: _noTime, ...recorded } = trace.finish(); // gd's trace has no time axis
  return {
    theta,
    status,
    message,
    steps,
    loss,
    stats: { gradEvals, hvps: (probe === undefined ? 0 : probe.hvps) + (topK === undefined ? 0 : topK.hvpsTotal) },
    trace: {
      ...recorded,
      ...(topK === undefined ? {} : { topK: topK.finish() }),
      ...(iterates === undefined ? {} : { theta: iterates.finish() }),
      ...(rates === undefined ? {} : rates.finish()),
    },
  };
}

/** Growable η_k and 2/η_k columns written at the recorded steps of a scheduled run. */
class RateColumns {
  private rate = new Float64Array(16);
  private limit = new Float64Array(16);
  private length = 0;

  push(eta: number): void {
    if (this.length === this.rate.length) {
      const r = new Float64Array(2 * this.length);
      const l = new Float64Array(2 * this.length);
      r.set(this.rate);
      l.set(this.limit);
      this.rate = r;
      this.limit = l;
    }
    this.rate[this.length] = eta;
    this.limit[this.length] = 2 / eta; // +∞ at η_k = 0 (a warm-up from 0)
    this.length++;
  }

  finish(): { learningRate: Float64Array; stabilityLimit: Float64Array } {
    return { learningRate: this.rate.slice(0, this.length), stabilityLimit: this.limit.slice(0, this.length) };
  }
}
