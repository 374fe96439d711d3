/**
 * The `train` driver: any {@link Optimizer} (GD, heavy ball, Nesterov, RMSProp, Adam) with a learning-rate schedule,
 * full-batch or mini-batch (SGD over a {@link BatchableModel}), with {@link gd}'s statuses, loss goal, divergence
 * rules and struct-of-arrays trace, plus the per-step learning rate and stability limit, the preconditioned
 * sharpness of adaptive methods and the mini-batch sharpness.
 *
 * @module
 */
import { isBatchable, type BatchView } from '../core/batch-view.js';
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { integerInRange, optionsObject } from '../core/validate.js';
import { nrm1, nrm2 } from '../linalg/vector.js';
import { PreconditionedProbe, resolvePreconditionedOptions, type PreconditionedSharpnessOptions } from '../sharpness/preconditioned.js';
import { resolveSharpnessOptions, type SharpnessOptions } from '../sharpness/sharpness.js';
import { createSamplerUnchecked, type BatchSampler } from './batches.js';
import {
  MAX_STEPS_LIMIT,
  SharpnessProbe,
  TraceBuffer,
  divergenceCheck,
  divergenceMessage,
  fmt,
  resolveCommon,
  validateModel,
  type DivergenceOptions,
  type Progress,
} from './driver-common.js';
import type { GdStatus } from './gd.js';
import {
  createOptimizerState,
  isAdaptive,
  optimizerStepUnchecked,
  preconditionerUnchecked,
  thresholdUnchecked,
  validateOptimizer,
  type Optimizer,
  type OptimizerState,
} from './optimizers.js';
import { scheduleValue, validateLearningRate, type LrSchedule } from './schedules.js';
import { TopKRecorder, type TopKRecordOptions, type TopKTrace } from './top-k-recorder.js';
import { validateTransform, type GradientTransform, type TransformContext } from './transforms.js';

/**
 * Mini-batch options of {@link train} (SGD): batch size, order and seed.
 *
 * @since 0.2.0
 */
export interface TrainBatchOptions {
  /** b, the batch size (integer in [1, n]). Required. */
  size: number;
  /**
   * Sample with replacement (b uniform draws per step) or in epochs of a seeded permutation (see
   * {@link createBatchSampler}).
   * @defaultValue false
   */
  replacement?: boolean;
  /**
   * Seed of the batch order.
   * @defaultValue 0
   */
  seed?: number;
}

/**
 * What {@link train} records, and how often.
 *
 * @since 0.2.0
 */
export interface TrainRecordOptions {
  /**
   * Record step, full-batch loss, ‖θ‖₁, ‖θ‖₂, ‖∇L‖₂, η_k, the stability limit and the batch loss at every step k with
   * k mod `every` = 0 (0 = nothing).
   * @defaultValue 1
   */
  every?: number;
  /**
   * Record the (full-batch) sharpness λ_max(∇²L(θ_k)) every this many steps (0 = never).
   * @defaultValue 0
   */
  sharpnessEvery?: number;
  /**
   * How the sharpness (full and mini-batch) is computed. An error when neither `sharpnessEvery` nor
   * `batchSharpnessEvery` is > 0.
   * @defaultValue the sharpness module's defaults
   */
  sharpness?: SharpnessOptions;
  /**
   * Record the preconditioned sharpness λ_max(P_k⁻¹∇²L(θ_k)) every this many steps (0 = never; RMSProp and Adam only),
   * P_k = diag(√ν̂_{k+1} + ε) the preconditioner of step k.
   * @defaultValue 0
   */
  preconditionedSharpnessEvery?: number;
  /**
   * Lanczos options of the preconditioned sharpness (only with `preconditionedSharpnessEvery` > 0).
   * @defaultValue tol 1e-10, maxIterations min(dim, 300), seed 0
   */
  preconditionedSharpness?: PreconditionedSharpnessOptions;
  /**
   * Record the mini-batch sharpness λ_max(∇²L_{B_k}(θ_k)) on the batch B_k of step k, every this many steps
   * (0 = never; only with `batches`).
   * @defaultValue 0
   */
  batchSharpnessEvery?: number;
  /**
   * Track the k largest eigenvalues (optionally eigenvectors) of the full-batch Hessian every `every` steps by
   * warm-started Lanczos, and the projection ⟨θ_{k+1} − θ_k, v₁(θ_k)⟩ of each recorded step's update (of whatever
   * optimizer) onto the top eigenvector — the trace's `topK`, as for {@link gd}.
   * @defaultValue none (no tracking)
   */
  topK?: TopKRecordOptions;
}

/**
 * Options of {@link train}.
 *
 * @since 0.2.0
 */
export interface TrainOptions {
  /** The learning rate: a number η > 0 or a schedule from `lrSchedule` (required). */
  learningRate: number | LrSchedule;
  /**
   * The update rule.
   * @defaultValue `optimizer.gd()`
   */
  optimizer?: Optimizer;
  /**
   * Mini-batches (SGD): the model must be a {@link BatchableModel}. Without it, every step uses the full batch.
   * @defaultValue none (full batch)
   */
  batches?: TrainBatchOptions;
  /**
   * The largest number of steps; the run examines θ_0 … θ_maxSteps.
   * @defaultValue 10000
   */
  maxSteps?: number;
  /**
   * Stop 'converged' at the first examined k with L(θ_k) ≤ lossGoal (full-batch loss). With `batches` the full loss
   * is only computed at recorded steps, so the goal is checked there (needs `record.every` > 0).
   * @defaultValue none
   */
  lossGoal?: number;
  /**
   * When to declare divergence.
   * @defaultValue `{ maxAbs: 1e6 }`
   */
  divergence?: DivergenceOptions;
  /**
   * A gradient transform applied to the (batch) gradient before the optimizer sees it.
   * @defaultValue none
   */
  transform?: GradientTransform<any>;
  /**
   * What to record.
   * @defaultValue `{ every: 1 }`
   */
  record?: TrainRecordOptions;
  /**
   * Called with `{ step, loss, maxSteps }` every `progressEvery` steps (loss: the batch loss with `batches`).
   * @defaultValue none
   */
  onProgress?: (progress: Progress) => void;
  /**
   * Period of `onProgress` calls (only with `onProgress`).
   * @defaultValue 1000
   */
  progressEvery?: number;
}

/**
 * The trace of {@link train} (struct of arrays). Entry j of the first group describes θ_k at k = `step[j]`.
 *
 * @since 0.2.0
 */
export interface TrainTrace {
  /** Step indices k of the recorded iterates. */
  readonly step: Int32Array;
  /** Full-batch loss L(θ_k). */
  readonly loss: Float64Array;
  /** ‖θ_k‖₁. */
  readonly norm1: Float64Array;
  /** ‖θ_k‖₂. */
  readonly norm2: Float64Array;
  /** ‖∇L(θ_k)‖₂, full batch, before any transform. */
  readonly gradNorm: Float64Array;
  /** η_k, the schedule's learning rate at step k. */
  readonly learningRate: Float64Array;
  /**
   * The optimizer's stability limit at η_k ({@link stabilityThreshold}): 2/η_k for GD, (2 + 2β)/η_k for heavy ball,
   * (2 + 2β)/((1 + 2β)η_k) for Nesterov — for λ_max(H); 2/η_k (RMSProp) and (2 + 2β₁)/((1 − β₁)η_k) (Adam) — for
   * λ_max(P⁻¹H). +∞ where η_k = 0.
   */
  readonly stabilityLimit: Float64Array;
  /** L_{B_k}(θ_k), the loss of the batch of step k (= `loss` without `batches`). */
  readonly batchLoss: Float64Array;
  /** Steps of the full-batch sharpness samples. */
  readonly sharpnessStep: Int32Array;
  /** λ_max(∇²L(θ_k)) (or max|λ| per `record.sharpness.which`). */
  readonly sharpness: Float64Array;
  /** Steps of the preconditioned-sharpness samples. */
  readonly preconditionedSharpnessStep: Int32Array;
  /** λ_max(P_k⁻¹∇²L(θ_k)). */
  readonly preconditionedSharpness: Float64Array;
  /** Steps of the mini-batch sharpness samples. */
  readonly batchSharpnessStep: Int32Array;
  /** λ_max(∇²L_{B_k}(θ_k)). */
  readonly batchSharpness: Float64Array;
  /** The top-k eigenvalues, eigenvectors and update projections (full-batch Hessian), present only with `record.topK`. */
  readonly topK?: TopKTrace;
}

/**
 * The result of {@link train}.
 *
 * @since 0.2.0
 */
export interface TrainResult {
  /** The final iterate (for 'diverged' the last one that passed the test). Always finite. */
  readonly theta: Float64Array;
  readonly status: GdStatus;
  readonly message: string;
  /** The index k of the last iterate examined (as in {@link gd}). */
  readonly steps: number;
  /** Full-batch L(theta). */
  readonly loss: number;
  /** The optimizer state after the last step taken (continue a run with it and `optimizerStep`). */
  readonly state: OptimizerState;
  /** Full-batch `lossAndGrad` calls, mini-batch `lossAndGrad` calls, and HVPs of all sharpness estimates. */
  readonly stats: { readonly gradEvals: number; readonly batchGradEvals: number; readonly hvps: number };
  readonly trace: TrainTrace;
}

/** Growable (step, value) series. */
class Series {
  step = new Int32Array(16);
  value = new Float64Array(16);
  length = 0;
  push(k: number, v: number): void {
    if (this.length === this.step.length) {
      const s = new Int32Array(2 * this.length);
      s.set(this.step);
      const x = new Float64Array(2 * this.length);
      x.set(this.value);
      this.step = s;
      this.value = x;
    }
    this.step[this.length] = k;
    this.value[this.length++] = v;
  }
  finish(): { step: Int32Array; value: Float64Array } {
    return { step: this.step.slice(0, this.length), value: this.value.slice(0, this.length) };
  }
}

/** Growable columns written alongside the TraceBuffer's entries. */
class Columns {
  data: Float64Array[];
  length = 0;
  constructor(count: number) {
    this.data = Array.from({ length: count }, () => new Float64Array(16));
  }
  push(a: number, b: number, c: number): void {
    if (this.length === this.data[0].length) {
      this.data = this.data.map((col) => {
        const g = new Float64Array(2 * col.length);
        g.set(col);
        return g;
      });
    }
    const j = this.length++;
    this.data[0][j] = a;
    this.data[1][j] = b;
    this.data[2][j] = c;
  }
}

const TRAIN_KEYS = ['learningRate', 'optimizer', 'batches', 'maxSteps', 'lossGoal', 'divergence', 'transform', 'record', 'onProgress', 'progressEvery'];
const RECORD_KEYS = ['every', 'sharpnessEvery', 'sharpness', 'preconditionedSharpnessEvery', 'preconditionedSharpness', 'batchSharpnessEvery', 'topK'];

/**
 * Trains θ from θ₀ with an optimizer, a learning-rate schedule and optionally mini-batches, until L(θ_k) ≤ lossGoal,
 * divergence, or `maxSteps` steps: θ_{k+1} = step(θ_k, T(g_k), η_k) with g_k = ∇L_{B_k}(θ_k) (B_k = all examples
 * without `batches`), the step of {@link optimizerStep} and T the optional transform.
 *
 * @remarks
 * Iteration k: (0) with `batches`, draw B_k from the seeded sampler and select it in the model's {@link BatchView};
 * evaluate L_{B_k}(θ_k) and g_k with one `lossAndGrad` (full batch: L(θ_k)); (1) if that loss is not finite, stop
 * 'diverged' at k; (2) record θ_k if k mod `record.every` = 0 (with `batches` this evaluates the full-batch loss and
 * gradient too — `stats.gradEvals`), its sharpness, the batch sharpness and the top-k eigenpairs (`record.topK`, full
 * batch; the projection of the update θ_{k+1} − θ_k onto v₁(θ_k) is stored after step (7)), when due; (3) `onProgress`; (4) the loss
 * goal (full loss; with batches only at recorded steps); (5) k = maxSteps stops 'max-steps'; (6) transform, then the
 * optimizer step with η_k; the preconditioned sharpness λ_max(P_k⁻¹∇²L(θ_k)) is computed here when due, with the P_k
 * this step used; (7) θ_{k+1} failing the divergence test stops 'diverged' at k + 1 (as {@link gd}).
 *
 * With `optimizer.gd()` (the default), a constant η and no batches, the iterates and trace losses are those of
 * {@link gd}, bit for bit. The stability limit recorded at step k is the optimizer's threshold at the schedule's
 * η_k ({@link stabilityThreshold}), so a schedule's changing limit can be compared with the sharpness sample by
 * sample.
 *
 * Cost: one (batch) `lossAndGrad` per step, plus a full `lossAndGrad` per recorded step with batches, plus the HVPs
 * of the sharpness estimates. The loop allocates nothing per step except the traces' amortized growth and the small
 * objects of sharpness estimates and progress calls. `theta0` is not modified.
 * @param model - the loss ({@link BatchableModel} with `batches`).
 * @param theta0 - θ₀ (finite, length `model.dim`).
 * @param options - learning rate (required), optimizer, batches, stopping and recording options.
 * @returns final iterate, status, message, steps, loss, optimizer state, work counts and the trace.
 * @throws EosLabError `E_BAD_OPTION` for unknown option keys, a bad learning rate or schedule, a malformed
 *   optimizer or transform, `batches` on a model without `createBatchView`, a bad batch size, preconditioned
 *   sharpness for a non-adaptive optimizer, batch sharpness without batches, `lossGoal` with batches and
 *   `record.every` = 0, and the cases of {@link gd}; `E_DIM_MISMATCH`, `E_NONFINITE`, `E_EMPTY` as {@link gd}.
 * @example
 * ```ts
 * import { mlp, optimizer, train } from 'eos-lab';
 * const model = mlp.create({ layers: [1, 8, 1], data: { dataset: 'chebyshev', points: 16, degree: 3 } });
 * const run = train(model, mlp.init(model, { seed: 0 }), {
 *   learningRate: 0.01,
 *   optimizer: optimizer.adam(),
 *   batches: { size: 4, seed: 1 },
 *   maxSteps: 200,
 *   record: { every: 10, preconditionedSharpnessEvery: 50 },
 * });
 * console.log(run.trace.loss, run.trace.preconditionedSharpness, run.trace.stabilityLimit[0]); // limit 38/η = 3800
 * ```
 * @since 0.2.0
 */
export function train(model: LossModel, theta0: Float64Array, options: TrainOptions): TrainResult {
  const fn = 'train';
  validateModel(fn, model);
  if (options === undefined) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: options, expected: 'an options object with learningRate' });
  const o = optionsObject(fn, options, TRAIN_KEYS);
  const schedule = validateLearningRate(fn, 'options.learningRate', o.learningRate);
  const opt = o.optimizer === undefined ? ({ kind: 'gd' } as Optimizer) : validateOptimizer(fn, 'options.optimizer', o.optimizer);
  const transform = o.transform === undefined ? undefined : validateTransform(fn, 'options.transform', o.transform);
  const rec = optionsObject(fn, o.record, RECORD_KEYS, 'options.record');
  const preEvery = rec.preconditionedSharpnessEvery === undefined ? 0 : integerInRange(fn, 'options.record.preconditionedSharpnessEvery', rec.preconditionedSharpnessEvery, 0, MAX_STEPS_LIMIT);
  const batchSharpEvery = rec.batchSharpnessEvery === undefined ? 0 : integerInRange(fn, 'options.record.batchSharpnessEvery', rec.batchSharpnessEvery, 0, MAX_STEPS_LIMIT);
  if (preEvery > 0 && !isAdaptive(opt)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.record.preconditionedSharpnessEvery', value: preEvery, expected: `0 for optimizer '${opt.kind}' (only RMSProp and Adam have a preconditioner)` });
  }
  if (rec.preconditionedSharpness !== undefined && preEvery === 0) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.record.preconditionedSharpness', value: rec.preconditionedSharpness, expected: 'undefined when preconditionedSharpnessEvery is 0' });
  }
  const preOptions = preEvery > 0 ? resolvePreconditionedOptions(fn, 'options.record.preconditionedSharpness', rec.preconditionedSharpness) : undefined;
  const c = resolveCommon(fn, model, theta0, o, 0, batchSharpEvery > 0, RECORD_KEYS);
  const { maxSteps, lossGoal, every, sharpnessEvery, onProgress, progressEvery } = c;

  let view: BatchView | undefined;
  let sampler: BatchSampler | undefined;
  if (o.batches !== undefined) {
    if (!isBatchable(model)) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.batches', value: o.batches, expected: 'undefined for a model without createBatchView (mini-batches need a model over examples, e.g. mlp, cnn, diagonalNet or fromFunction with data)' });
    }
    const b = optionsObject(fn, o.batches, ['size', 'replacement', 'seed'], 'options.batches');
    view = model.createBatchView();
    sampler = createSamplerUnchecked(fn, 'options.batches.', view.examples, b);
    if (lossGoal !== undefined && every === 0) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.record.every', value: 0, expected: 'an integer >= 1 with batches and a lossGoal (the goal is checked on the full loss at recorded steps)' });
    }
  } else if (batchSharpEvery > 0) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.record.batchSharpnessEvery', value: batchSharpEvery, expected: '0 without options.batches (the batch is the full data set)' });
  }

  const p = model.dim;
  const hasGoal = lossGoal !== undefined;
  const goal = hasGoal ? lossGoal : -Infinity;
  const maxAbs = c.maxAbs;
  const trace = new TraceBuffer(maxSteps, every, sharpnessEvery, false);
  const extra = new Columns(3);
  const preSeries = new Series();
  const batchSeries = new Series();
  const probe = c.sharpness !== undefined && sharpnessEvery > 0 ? new SharpnessProbe(model, c.sharpness) : undefined;
  const batchProbe =
    view !== undefined && batchSharpEvery > 0
      ? new SharpnessProbe(view, resolveSharpnessOptions(view, rec.sharpness, fn, 'options.record.sharpness'))
      : undefined;
  const preProbe = preOptions !== undefined ? new PreconditionedProbe(model, preOptions) : undefined;
  const topK = c.topK === undefined ? undefined : new TopKRecorder(model, c.topK);
  const pDiag = new Float64Array(preProbe !== undefined ? p : 0);
  const state = createOptimizerState(opt, p);
  const tState: unknown = transform === undefined ? undefined : transform.init(p);
  const constantRate = schedule.kind === 'constant' ? schedule.value : NaN;

  let cur = Float64Array.from(theta0);
  let prev = new Float64Array(p);
  const g = new Float64Array(p);
  const gFull = view !== undefined ? new Float64Array(p) : g;
  const indices = new Int32Array(sampler !== undefined ? sampler.size : 0);
  const where = new Int32Array(1);
  const context: { theta: Float64Array; learningRate: number; step: number } = { theta: cur, learningRate: 0, step: 0 };
  const evalModel: LossModel = view ?? model;

  let nextRecord = every > 0 ? 0 : -1;
  let nextSharpness = probe !== undefined ? 0 : -1;
  let nextBatchSharpness = batchProbe !== undefined ? 0 : -1;
  let nextPre = preProbe !== undefined ? 0 : -1;
  let nextTopK = topK !== undefined ? 0 : -1;
  let nextProgress = onProgress !== undefined ? 0 : -1;
  let gradEvals = 0;
  let batchGradEvals = 0;
  let prevLoss = NaN;
  let status: GdStatus;
  let message: string;
  let steps: number;
  let theta: Float64Array;
  let loss: number;

  for (let k = 0; ; k++) {
    if (sampler !== undefined) (view as BatchView).select(indices, sampler.next(indices));
    const Lb = evalModel.lossAndGrad(cur, g);
    if (view !== undefined) batchGradEvals++;
    else gradEvals++;
    if (!Number.isFinite(Lb)) {
      if (k === 0) {
        throw new EosLabError('E_NONFINITE', fn, { argument: 'theta0', value: theta0, expected: `a point where the loss is finite (L(theta0) = ${Lb})` });
      }
      status = 'diverged';
      steps = k;
      theta = prev;
      loss = prevLoss;
      message = `diverged at step ${k}: the loss at theta_${k} = ${Lb} is not finite; theta is theta_${k - 1}`;
      break;
    }
    const eta = constantRate === constantRate ? constantRate : scheduleValue(fn, 'options.learningRate', schedule, k);
    let L = view === undefined ? Lb : NaN; // the full-batch loss, when known at this step
    if (k === nextRecord) {
      nextRecord += every;
      if (view !== undefined) {
        L = model.lossAndGrad(cur, gFull);
        gradEvals++;
      }
      trace.record(k, L, nrm1(cur), nrm2(cur), nrm2(gFull), 0);
      extra.push(eta, thresholdUnchecked(opt, eta), Lb);
    }
    if (k === nextSharpness) {
      nextSharpness += sharpnessEvery;
      trace.recordSharpness(k, (probe as SharpnessProbe).value(cur), (probe as SharpnessProbe).converged);
    }
    if (k === nextBatchSharpness) {
      nextBatchSharpness += batchSharpEvery;
      batchSeries.push(k, (batchProbe as SharpnessProbe).value(cur));
    }
    if (k === nextTopK) {
      nextTopK += (topK as TopKRecorder).every;
      (topK as TopKRecorder).record(k, cur);
    }
    if (k === nextProgress) {
      nextProgress += progressEvery;
      (onProgress as (p: Progress) => void)({ step: k, loss: Lb, maxSteps });
    }
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
      message = `reached maxSteps = ${maxSteps} with loss ${fmt(view === undefined ? L : model.loss(cur))}${hasGoal ? ` > lossGoal ${fmt(goal)}` : ''}`;
      break;
    }
    if (transform !== undefined) {
      context.theta = cur;
      context.step = k;
      context.learningRate = eta;
      transform.update(g, tState, context as TransformContext, g);
    }
    optimizerStepUnchecked(opt, cur, g, state, eta, prev);
    if (k === nextPre) {
      nextPre += preEvery;
      preconditionerUnchecked(opt as Parameters<typeof preconditionerUnchecked>[0], state, pDiag);
      preSeries.push(k, (preProbe as PreconditionedProbe).value(cur, pDiag).value);
    }
    const t = cur;
    cur = prev;
    prev = t;
    prevLoss = L;
    if (topK !== undefined) topK.afterStep(prev, cur);
    const d = divergenceCheck(cur, maxAbs, where);
    if (d !== 0) {
      status = 'diverged';
      steps = k + 1;
      theta = prev;
      loss = L;
      message = divergenceMessage(d, k, where[0], cur[where[0]], maxAbs);
      break;
    }
  }
  if (view !== undefined || !Number.isFinite(loss)) loss = model.loss(theta); // the full loss of the returned θ

  const base = trace.finish();
  const n = extra.length;
  const pre = preSeries.finish();
  const bs = batchSeries.finish();
  return {
    theta,
    status,
    message,
    steps,
    loss,
    state,
    stats: {
      gradEvals,
      batchGradEvals,
      hvps: (probe?.hvps ?? 0) + (batchProbe?.hvps ?? 0) + (preProbe?.hvps ?? 0) + (topK?.hvpsTotal ?? 0),
    },
    trace: {
      step: base.step,
      loss: base.loss,
      norm1: base.norm1,
      norm2: base.norm2,
      gradNorm: base.gradNorm,
      learningRate: extra.data[0].slice(0, n),
      stabilityLimit: extra.data[1].slice(0, n),
      batchLoss: extra.data[2].slice(0, n),
      sharpnessStep: base.sharpnessStep,
      sharpness: base.sharpness,
      preconditionedSharpnessStep: pre.step,
      preconditionedSharpness: pre.value,
      batchSharpnessStep: bs.step,
      batchSharpness: bs.value,
      ...(topK === undefined ? {} : { topK: topK.finish() }),
    },
  };
}
