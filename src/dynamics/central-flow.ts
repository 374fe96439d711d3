/**
 * The central flow of gradient descent [Central flows]: an ODE whose solution follows the time-averaged trajectory of
 * GD with learning rate η, also at the edge of stability, where it keeps the top Hessian eigenvalues at exactly 2/η.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { integerInRange, optionsObject, positiveFinite } from '../core/validate.js';
import { nrm1, nrm2 } from '../linalg/vector.js';
import type { SharpnessOptions } from '../sharpness/sharpness.js';
import { resolveEigenSettings } from '../sharpness/sharpness-gradient.js';
import { CentralFlowField } from './central-flow-field.js';
import {
  SharpnessProbe,
  TraceBuffer,
  divergenceCheck,
  divergenceMessage,
  fmt,
  nestedOptions,
  resolveCommon,
  validateModel,
  type DivergenceOptions,
  type Progress,
} from './driver-common.js';
import { MAX_EDGE_DIM } from './edge-complementarity.js';
import type { GradientFlowRecordOptions, GradientFlowTrace } from './gradient-flow.js';
import { RK4_TABLEAU, createRungeKuttaScratch, rungeKuttaStepFromFirstStage, type Rk4Scratch } from './rk4.js';
import { adaptedStep, stepSize, validateStepSizePolicy, type StepSizePolicy } from './step-size.js';
import { TopKRecorder } from './top-k-recorder.js';

const EPS = Number.EPSILON;

/**
 * How {@link centralFlow} finds the top eigenpairs on the edge, and how many directions it may hold there.
 *
 * @since 0.2.0
 */
export interface CentralFlowEdgeOptions {
  /**
   * The largest number k of Hessian eigenvalues held at 2/η at once (the size of the complementarity problem), 1–5.
   * If a (k + 1)-th eigenvalue reaches 2/η the run stops with status `'edge-limit'`.
   * @defaultValue 5
   */
  maxDim?: number;
  /**
   * Eigensolver for the top eigenpairs: `'dense'` (needs `model.hessian`), `'lanczos'` (HVPs only) or `'auto'`
   * (dense for a model with `hessian` and dim ≤ 64).
   * @defaultValue 'auto'
   */
  method?: 'auto' | 'dense' | 'lanczos';
  /**
   * Lanczos relative residual tolerance (not with `'dense'`).
   * @defaultValue 1e-10
   */
  tol?: number;
  /**
   * Lanczos step budget (not with `'dense'`).
   * @defaultValue min(dim, 300)
   */
  maxIterations?: number;
  /**
   * Lanczos start-vector seed (not with `'dense'`).
   * @defaultValue 0
   */
  seed?: number;
}

/**
 * What {@link centralFlow} records: as {@link gradientFlow} (including `topK`, since 0.2.0: the top-k Hessian
 * eigenvalues at w_k every `topK.every` RK4 steps, warm-started Lanczos, and the projection ⟨w_{k+1} − w_k, v₁(w_k)⟩),
 * plus optionally the iterates themselves.
 *
 * @since 0.2.0
 */
export interface CentralFlowRecordOptions extends GradientFlowRecordOptions {
  /**
   * Also record w at every recorded iterate (`trace.theta`, row-major, dim entries per record) — for comparing the
   * flow with GD's time-averaged iterates.
   * @defaultValue false
   */
  theta?: boolean;
}

/**
 * Options of {@link centralFlow}: those of {@link gradientFlow} plus the learning rate and the edge settings.
 *
 * @since 0.2.0
 */
export interface CentralFlowOptions {
  /** The learning rate η > 0 of the gradient descent the flow describes; the edge is 2/η. Required. */
  learningRate: number;
  /**
   * The RK4 step-size policy, in the flow's time τ (= η × GD steps).
   * @defaultValue `stepSize.fixed(learningRate / 20)` (h·2/η = 0.1 on the edge)
   */
  step?: StepSizePolicy;
  /**
   * Stop with status 'max-time' at τ = maxTime (> 0); the last step is shortened to land on it.
   * @defaultValue Infinity
   */
  maxTime?: number;
  /**
   * The largest number of RK4 steps (a step cut short by an event counts as one).
   * @defaultValue 10000
   */
  maxSteps?: number;
  /**
   * Stop with status 'converged' the first time L(w) ≤ lossGoal (checked before stepping).
   * @defaultValue none
   */
  lossGoal?: number;
  /**
   * When to declare divergence.
   * @defaultValue `{ maxAbs: 1e6 }`
   */
  divergence?: DivergenceOptions;
  /**
   * What to record (as {@link gradientFlow}; the sharpness must be λ_max, `which: 'max'`).
   * @defaultValue `{ every: 1, sharpnessEvery: 1 }`
   */
  record?: CentralFlowRecordOptions;
  /**
   * Eigensolver and size limit on the edge.
   * @defaultValue `{ maxDim: 5, method: 'auto' }`
   */
  edge?: CentralFlowEdgeOptions;
  /**
   * Called with `{ step, loss, maxSteps }` every `progressEvery` steps.
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
 * How a central-flow run ended: as {@link GradientFlowStatus}, plus `'edge-limit'` when more than `edge.maxDim`
 * eigenvalues reached 2/η.
 *
 * @since 0.2.0
 */
export type CentralFlowStatus = 'converged' | 'diverged' | 'max-steps' | 'max-time' | 'edge-limit';

/**
 * An entry into or exit from the edge of stability (a change of the number of eigenvalues held at 2/η).
 *
 * @since 0.2.0
 */
export interface CentralFlowEvent {
  /** `'enter'`: one more eigenvalue reached 2/η; `'exit'`: one left (its multiplier reached 0). */
  readonly kind: 'enter' | 'exit';
  /** The index of the iterate at which the new edge dimension starts. */
  readonly step: number;
  /** Flow time τ of the event. */
  readonly time: number;
  /** The number of eigenvalues held at 2/η from this event on. */
  readonly edgeDim: number;
  /** True when the event time was located within the step (root finding); false when taken at a step end. */
  readonly located: boolean;
}

/**
 * The trace of {@link centralFlow}: that of {@link gradientFlow} (loss, norms, ‖∇L‖₂, time, sharpness) plus the
 * central-flow quantities at every recorded iterate.
 *
 * @since 0.2.0
 */
export interface CentralFlowTrace extends GradientFlowTrace {
  /** tr Σ: σ² with one edge direction, 0 below the edge. */
  readonly sigma2: Float64Array;
  /** The predicted time-averaged GD loss L(w) + ½⟨Σ, ∇²L(w)⟩. */
  readonly predictedLoss: Float64Array;
  /** The number of eigenvalues held at 2/η. */
  readonly edgeDim: Int32Array;
  /** The recorded iterates, row-major (record i is `theta.subarray(i·dim, (i + 1)·dim)`); empty unless `record.theta`. */
  readonly theta: Float64Array;
}

/**
 * The result of {@link centralFlow}.
 *
 * @since 0.2.0
 */
export interface CentralFlowResult {
  /** w(τ) at the final time (for 'diverged' the last iterate that passed the test). */
  readonly theta: Float64Array;
  readonly status: CentralFlowStatus;
  readonly message: string;
  /** The index of the last iterate examined. */
  readonly steps: number;
  /** L(theta). */
  readonly loss: number;
  /** The flow time τ of `theta` (divide by η for GD steps). */
  readonly time: number;
  /** The sharpness at w₀, or `null` when `record.sharpnessEvery` = 0. */
  readonly initialSharpness: number | null;
  /** The largest tracked sharpness, or `null` when `record.sharpnessEvery` = 0. */
  readonly maxSharpness: number | null;
  /** The entries into and exits from the edge, in order. */
  readonly events: readonly CentralFlowEvent[];
  /**
   * Work done: `lossAndGrad` calls, HVPs (eigensolvers and sharpness), third-order products ∇³L[·, ·], and the
   * root-finding evaluations of the events.
   */
  readonly stats: { readonly gradEvals: number; readonly hvps: number; readonly thirdOrderProducts: number; readonly eventEvaluations: number };
  readonly trace: CentralFlowTrace;
}

const KEYS = ['learningRate', 'step', 'maxTime', 'maxSteps', 'lossGoal', 'divergence', 'record', 'edge', 'onProgress', 'progressEvery'] as const;
const EDGE_KEYS = ['maxDim', 'method', 'tol', 'maxIterations', 'seed'] as const;

/** Growable side arrays recorded with the trace. */
class SideTrace {
  sigma2 = new Float64Array(64);
  predicted = new Float64Array(64);
  edge = new Int32Array(64);
  theta: Float64Array;
  length = 0;
  constructor(private readonly dim: number) {
    this.theta = new Float64Array(dim === 0 ? 0 : 64 * dim);
  }
  push(s: number, p: number, e: number, w: Float64Array): void {
    if (this.dim > 0 && (this.length + 1) * this.dim > this.theta.length) {
      const t = new Float64Array(2 * this.theta.length);
      t.set(this.theta);
      this.theta = t;
    }
    if (this.dim > 0) this.theta.set(w, this.length * this.dim);
    if (this.length === this.sigma2.length) {
      const n = 2 * this.length;
      const a = new Float64Array(n);
      a.set(this.sigma2);
      this.sigma2 = a;
      const b = new Float64Array(n);
      b.set(this.predicted);
      this.predicted = b;
      const c = new Int32Array(n);
      c.set(this.edge);
      this.edge = c;
    }
    this.sigma2[this.length] = s;
    this.predicted[this.length] = p;
    this.edge[this.length] = e;
    this.length++;
  }
}

/**
 * Integrates the central flow of gradient descent with learning rate η [Central flows, Sec. 3], in the time τ of
 * gradient flow (τ = η × GD steps):
 *
 *   dw/dτ = −[∇L(w) + ½∇⟨Σ(τ), ∇²L(w)⟩],
 *
 * where Σ = Σᵢⱼ Xᵢⱼuᵢuⱼᵀ lives on the top-k eigenvectors uᵢ of ∇²L(w) whose eigenvalues are at the edge 2/η, and X ⪰ 0
 * solves the complementarity problem that keeps them from rising above it: A + ½B(X) ⪰ 0, ⟨X, A + ½B(X)⟩ = 0 with
 * Aᵢⱼ = ⟨∇L, ∇³L[uᵢ, uⱼ]⟩ and B(X)ᵢⱼ = Σₖₗ⟨∇³L[uᵢ, uⱼ], ∇³L[uₖ, uₗ]⟩Xₖₗ (equivalently X minimizes the speed
 * ‖∇L + ½ΣXᵢⱼ∇³L[uᵢ, uⱼ]‖). With one direction, Σ = σ²uuᵀ, ∇⟨Σ, H⟩ = σ²∇S (S = λ_max, ∇S = ∇³L[u, u]) and
 * σ² = −2⟨∇S, ∇L⟩/‖∇S‖², which makes dS/dτ = 0. Below the edge Σ = 0 and the flow is gradient flow. The flow
 * predicts GD's time-averaged loss L(w) + ½⟨Σ, ∇²L(w)⟩ (= L + σ²/η with one direction) [Central flows, Sec. 3].
 *
 * @remarks
 * **Scheme.** RK4 (the {@link gradientFlow} kernels) on a piecewise-smooth field with a fixed edge dimension m per
 * step: m = 0 is gradient flow, run through exactly the code of {@link gradientFlow} — so while S stays below 2/η the
 * iterates, losses, times and trace are bit-for-bit those of `gradientFlow` with the same options. After each step:
 * (1) on the edge, a projection back onto {λᵢ = 2/η} (Gauss–Newton along ∇S, |S − 2/η| ≤ 8ε·2/η, since RK4 keeps S
 * constant only to O(h⁴)); (2) events, located inside the step by the Illinois root finder on the step length
 * (to 1e-12 of the step): entry (λ_{m+1} reaches 2/η), and exit: for m = 1 when σ² = q reaches 0 from above (the
 * unclamped q is used inside the mode so the field stays smooth up to the event); for m > 1 when the smallest
 * eigenvalue of the unconstrained solution X = −2B⁺(A) reaches 0 (one multiplier reaches 0 while the others stay
 * positive; until then the complementarity solve returns exactly that X, so the field is smooth up to the event).
 * After an exit for m > 1 the reported edge dimension drops at once, while the field keeps the leaving eigenvector
 * in its block (X has rank m − 1 there, the projection holds only its range) until that eigenvalue has fallen below
 * 2/η·(1 − 1e-8) — right at the exit the m eigenvalues coincide, so the top-(m − 1) eigenspace is not determined.
 * An exit for m > 1 whose unconstrained X was not PSD at the step start is taken at the step end (not located).
 * A start on the edge holds every eigenvalue within 1e-12 of 2/η (up to `edge.maxDim`). After an event the time grid
 * restarts from the event time.
 *
 * **Conventions.** Time τ is gradient-flow time: GD's step k corresponds to τ = kη. Sharpness is λ_max (not max|λ|).
 * `trace.sigma2` is tr Σ; `trace.predictedLoss` is L + ½⟨Σ, H⟩ evaluated in the eigenbasis (Σᵢ Xᵢᵢλᵢ).
 *
 * **Top-k tracking.** With `record.topK`, at every RK4 step k with k mod `topK.every` = 0 (after the trace record)
 * the k largest eigenvalues λ₁ ≥ … ≥ λ_k of ∇²L(w_k) (λ, not |λ|) by Lanczos warm-started from the previous
 * record's eigenvectors, exactly as {@link gradientFlow} does; after the step, ⟨w_{k+1} − w_k, v₁(w_k)⟩ (on the
 * edge this includes the projection back onto {λᵢ = 2/η}, and after an event the step is the shortened one).
 * On the edge λ₁ reads 2/η to the projection's tolerance. Their HVPs are counted in `stats.hvps`.
 *
 * **Cost.** Below the edge: as `gradientFlow`, plus one sharpness per step (entry detection). On the edge, per RK4
 * stage: a top-(m+1) eigen-solve (dense for small models, Lanczos otherwise) and m(m+1)/2 third-order products, plus
 * a k × k complementarity solve for m > 1; per step also the projection (1–2 eigen-solves) and the event check
 * (one more field evaluation). Allocates per stage on the edge (the eigensolver's result), not below it.
 *
 * @param model - a {@link LossModel} with `thirdOrder` (and `hessian` for the dense eigensolver).
 * @param theta0 - the start w₀ (finite, length `model.dim`, sharpness ≤ 2/η; not modified).
 * @param options - `learningRate` (required), step policy, stopping rules, recording, edge settings.
 * @returns the end point, status, events, work counts and the trace (with σ², predicted loss and edge dimension).
 * @throws EosLabError `E_NOT_SUPPORTED` for a model without `thirdOrder`; `E_BAD_OPTION` for a missing or bad
 *   `learningRate`, a start above the edge (S(w₀) > 2/η), `record.sharpness.which: 'abs'`, bad or unknown options
 *   (as {@link gradientFlow}); `E_DIM_MISMATCH` / `E_NONFINITE` for a bad `theta0`.
 * @example
 * ```ts
 * import { centralFlow, scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create(); // L = ½(1 − xy)²
 * const eta = 2 / 4.42; // gradient flow from (2.05, 0.439) would end at sharpness ≈ 4.48 > 2/η = 4.42
 * const flow = centralFlow(model, new Float64Array([2.05, 0.9 / 2.05]), { learningRate: eta, maxTime: 50 * eta, record: { every: 10 } });
 * console.log(flow.events[0]?.kind, flow.trace.sharpness.at(-1)); // 'enter', 4.42 (to ~1e-15)
 * ```
 * @example
 * The top two Hessian eigenvalues along the same flow, every 10 RK4 steps (`record.topK`, since 0.2.0):
 * ```ts
 * import { centralFlow, scalarFactorization } from 'eos-lab';
 * const eta = 2 / 4.42;
 * const flow = centralFlow(scalarFactorization.create(), new Float64Array([2.05, 0.9 / 2.05]), {
 *   learningRate: eta,
 *   maxTime: 50 * eta,
 *   record: { every: 0, topK: { k: 2, every: 10 } },
 * });
 * const top = flow.trace.topK!;
 * console.log(top.step, top.values); // λ₁ reaches 2/η = 4.42 and is held; λ₂ = det H/λ₁ = (1 − xy)(3xy − 1)/λ₁, small
 * ```
 * @see {@link gradientFlow}, {@link sharpnessGradient}
 * @since 0.2.0
 */
export function centralFlow(model: LossModel, theta0: Float64Array, options: CentralFlowOptions): CentralFlowResult {
  const fn = 'centralFlow';
  validateModel(fn, model);
  if (options === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: options, expected: 'an options object with learningRate' });
  }
  const o = optionsObject(fn, options, KEYS);
  if (typeof model.thirdOrder !== 'function') {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument: 'model.thirdOrder',
      value: undefined,
      expected: 'a function: the central flow needs ∇³L[u, u] (give your model a thirdOrder method)',
    });
  }
  if (o.learningRate === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.learningRate', value: undefined, expected: 'a finite number > 0 (the GD learning rate η; the edge is 2/η)' });
  }
  const eta = positiveFinite(fn, 'options.learningRate', o.learningRate);
  const threshold = 2 / eta;
  const policy = o.step === undefined ? stepSize.fixed(eta / 20) : validateStepSizePolicy(fn, 'options.step', o.step);
  let maxTime = Infinity;
  if (o.maxTime !== undefined) {
    if (typeof o.maxTime !== 'number' || !(o.maxTime > 0)) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.maxTime', value: o.maxTime, expected: 'a number > 0 (Infinity allowed)' });
    }
    maxTime = o.maxTime;
  }
  // The sharpness is always computed (entry detection), so record.sharpness is never contradictory here.
  nestedOptions(fn, 'options.record', o.record, ['every', 'sharpnessEvery', 'sharpness', 'theta', 'topK']);
  const c = resolveCommon(fn, model, theta0, o, 1, true, ['theta']);
  if (c.sharpness !== undefined && c.sharpness.which !== 'max') {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'options.record.sharpness.which',
      value: c.sharpness.which,
      expected: "'max' (the central flow compares λ_max with 2/η)",
    });
  }
  const edgeOpts = nestedOptions(fn, 'options.edge', o.edge, EDGE_KEYS);
  const maxDim = edgeOpts.maxDim === undefined ? MAX_EDGE_DIM : integerInRange(fn, 'options.edge.maxDim', edgeOpts.maxDim, 1, MAX_EDGE_DIM);
  const settings = resolveEigenSettings(fn, model, edgeOpts, 'options.edge');

  const p = model.dim;
  const { maxSteps, lossGoal, every, sharpnessEvery, onProgress, progressEvery } = c;
  const hasGoal = lossGoal !== undefined;
  const goal = hasGoal ? lossGoal : -Infinity;
  const thresholdAbs = c.maxAbs;
  const fixedDt = policy.kind === 'fixed' ? policy.dt : NaN;
  const refreshEvery = policy.kind === 'sharpness-adapted' ? policy.every : 0;
  const trace = new TraceBuffer(maxSteps, every, sharpnessEvery, true);
  const recordTheta = nestedOptions(fn, 'options.record', o.record).theta === true;
  const side = new SideTrace(recordTheta ? p : 0);
  const probe = new SharpnessProbe(model, c.sharpness!);
  const topK = c.topK === undefined ? undefined : new TopKRecorder(model, c.topK);
  const field = new CentralFlowField(model, threshold, settings);
  const scratch = createRungeKuttaScratch(RK4_TABLEAU, p);
  const g = scratch.stages[0];
  const snap = 1 - 4 * EPS;
  const events: CentralFlowEvent[] = [];
  let eventEvaluations = 0;

  let cur = Float64Array.from(theta0);
  let prev = new Float64Array(p);
  const probeBuf = new Float64Array(p);
  const where = new Int32Array(1);
  let t = 0;
  let prevTime = 0;
  // Time grid t = tBase + (k − kBase)·dt for a fixed step (t_k = k·dt until the first event, as gradientFlow).
  let tBase = 0;
  let kBase = 0;
  let h = fixedDt;
  let s0: number | null = null;
  let sMax = -Infinity;
  let nextRecord = every > 0 ? 0 : -1;
  let nextTrack = sharpnessEvery > 0 ? 0 : -1;
  let nextRefresh = refreshEvery > 0 ? 0 : -1;
  let nextProgress = onProgress !== undefined ? 0 : -1;
  let nextTopK = topK !== undefined ? 0 : -1;
  let gradEvals = 0;
  let prevLoss = NaN;
  let cachedS = NaN; // S(cur) when already computed by the entry check
  // Directions held at 2/η (the reported edge dimension). Equal to the block size field.edgeDim except between a
  // located exit for m > 1 and the step where the leaving eigenvalue has separated from 2/η, during which the block
  // keeps the leaving eigenvector (the top-(m − 1) eigenspace is not yet determined) and X has rank m − 1.
  let held = 0;
  let status: CentralFlowStatus;
  let message: string;
  let steps: number;
  let theta: Float64Array;
  let loss: number;
  let time: number;

  // A start on the edge (within rounding) begins with one direction held; a start above it is not a central-flow state.
  const S0 = probe.value(cur);
  if (S0 > threshold * (1 + 1e-9)) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'theta0',
      value: theta0,
      expected: `a start with sharpness ≤ 2/η = ${threshold} (here S(theta0) = ${S0}): GD from above the edge first catapults, which the central flow does not describe`,
    });
  }
  cachedS = S0;
  if (S0 >= threshold * (1 - 1e-12)) {
    // Every eigenvalue at the edge is held from the start (up to edge.maxDim; more is caught after the first step).
    const top = maxDim > 1 && p > 1 ? field.topEigenvalues(cur, Math.min(maxDim, p - 1)) : null;
    let m0 = 1;
    if (top !== null) while (m0 < Math.min(maxDim, top.length) && top[m0] >= threshold * (1 - 1e-12)) m0++;
    field.edgeDim = m0;
    held = m0;
    field.project(cur);
    cachedS = NaN;
    events.push({ kind: 'enter', step: 0, time: 0, edgeDim: m0, located: false });
  }

  /** One RK4 step of size s from `from` (stage 0 already in scratch) into `out`, in the current mode. */
  const stepper = (from: Float64Array, s: number, out: Float64Array, sc: Rk4Scratch): void => {
    // Below the edge the model itself is the stage function (exactly gradientFlow's arithmetic); on the edge the
    // field, which counts its own gradient evaluations.
    if (field.edgeDim === 0) gradEvals += rungeKuttaStepFromFirstStage(model, from, s, sc, out);
    else rungeKuttaStepFromFirstStage(field as unknown as LossModel, from, s, sc, out);
  };

  /**
   * Illinois root finding on the step length s ∈ (0, h] for the event function e (e(from) < 0 ≤ e(step(h))): writes
   * the step of the located length into `out` and returns it.
   */
  const locate = (from: Float64Array, hk: number, fLo0: number, fHi0: number, e: (y: Float64Array) => number, out: Float64Array): number => {
    let lo = 0;
    let hi = hk;
    let fLo = fLo0;
    let fHi = fHi0;
    let sideFlag = 0;
    for (let it = 0; it < 200 && hi - lo > 1e-12 * hk; it++) {
      let s = (lo * fHi - hi * fLo) / (fHi - fLo);
      if (!(s > lo && s < hi)) s = 0.5 * (lo + hi);
      stepper(from, s, out, scratch);
      const f = e(out);
      eventEvaluations++;
      if (f >= 0) {
        hi = s;
        fHi = f;
        if (sideFlag === 1) fLo *= 0.5;
        sideFlag = 1;
      } else {
        lo = s;
        fLo = f;
        if (sideFlag === -1) fHi *= 0.5;
        sideFlag = -1;
      }
      if (f === 0) break;
    }
    stepper(from, hi, out, scratch);
    return hi;
  };

  const sharpnessEvent = (y: Float64Array): number => probe.value(y) - threshold;
  const exitEvent = (y: Float64Array): number => {
    field.lossAndGrad(y, probeBuf);
    return -field.multiplier;
  };
  /** m > 1: −λ_min of the unconstrained X (crosses 0 upward when a multiplier reaches 0). */
  const blockExitEvent = (y: Float64Array): number => -unconstrainedMinAt(y);
  const unconstrainedMinAt = (y: Float64Array): number => {
    field.lossAndGrad(y, probeBuf);
    return field.unconstrainedMin;
  };
  const entryEvent = (m: number) => (y: Float64Array): number => field.topEigenvalues(y, m)[m] - threshold;

  for (let k = 0; ; k++) {
    const mode = field.edgeDim;
    let L: number; // first RK4 stage
    if (mode === 0) {
      L = model.lossAndGrad(cur, g);
      gradEvals++;
    } else {
      L = field.lossAndGrad(cur, g);
    }
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
    const sigma2 = mode === 0 ? 0 : field.sigma2;
    const predicted = mode === 0 ? L : field.predictedLoss;
    const gradNorm = mode === 0 ? nrm2(g) : field.gradNorm;
    const trackDue = k === nextTrack;
    const refreshDue = k === nextRefresh;
    if (trackDue) nextTrack += sharpnessEvery;
    if (refreshDue) nextRefresh += refreshEvery;
    if (trackDue || refreshDue) {
      const s = Number.isNaN(cachedS) ? probe.value(cur) : cachedS;
      if (trackDue) {
        trace.recordSharpness(k, s, probe.converged);
        if (k === 0) s0 = s;
        if (s > sMax) sMax = s;
      }
      if (refreshDue && policy.kind === 'sharpness-adapted') h = adaptedStep(policy, s);
    }
    if (k === nextRecord) {
      nextRecord += every;
      trace.record(k, L, nrm1(cur), nrm2(cur), gradNorm, t);
      side.push(sigma2, predicted, held, cur);
    }
    if (k === nextTopK) {
      nextTopK += (topK as TopKRecorder).every;
      (topK as TopKRecorder).record(k, cur);
    }
    if (k === nextProgress) {
      nextProgress += progressEvery;
      (onProgress as (p: Progress) => void)({ step: k, loss: L, maxSteps });
    }
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
      hk = maxTime - t;
      tNext = maxTime;
    } else {
      tNext = refreshEvery === 0 ? tBase + (k + 1 - kBase) * fixedDt : t + hk;
    }
    stepper(cur, hk, prev, scratch);
    // prev now holds the candidate next iterate; cur is still the start of the step.
    cachedS = NaN;
    let edgeLimit = false;
    if (mode === 0) {
      const sNext = probe.value(prev);
      if (sNext >= threshold) {
        const sCur = probe.value(cur);
        const s = sCur < threshold ? locate(cur, hk, sCur - threshold, sNext - threshold, sharpnessEvent, prev) : 0;
        if (s === 0) prev.set(cur);
        tNext = t + s;
        tBase = tNext;
        kBase = k + 1;
        field.edgeDim = 1;
        held = 1;
        field.project(prev);
        events.push({ kind: 'enter', step: k + 1, time: tNext, edgeDim: 1, located: s > 0 });
      } else {
        cachedS = sNext;
      }
    } else {
      field.project(prev);
      const m = mode;
      field.lossAndGrad(prev, probeBuf); // q and the top m + 1 eigenvalues at the step end
      const q = field.multiplier;
      const nextValue = field.topValues.length > m ? field.topValues[m] : -Infinity;
      if (m === 1 && q < 0) {
        field.lossAndGrad(cur, probeBuf);
        const qCur = field.multiplier;
        const s = qCur > 0 ? locate(cur, hk, -qCur, -q, exitEvent, prev) : hk;
        if (qCur > 0) field.project(prev);
        tNext = t + s;
        tBase = tNext;
        kBase = k + 1;
        field.edgeDim = 0;
        held = 0;
        events.push({ kind: 'exit', step: k + 1, time: tNext, edgeDim: 0, located: qCur > 0 });
      } else if (nextValue >= threshold) {
        if (m >= maxDim) {
          edgeLimit = true;
        } else {
          const vCur = field.topEigenvalues(cur, m)[m];
          const s = vCur < threshold ? locate(cur, hk, vCur - threshold, nextValue - threshold, entryEvent(m), prev) : 0;
          if (s === 0) prev.set(cur);
          tNext = t + s;
          tBase = tNext;
          kBase = k + 1;
          field.edgeDim = m + 1;
          held += 1; // = m + 1 unless a located exit's eigenvalue is still in the block
          field.project(prev);
          events.push({ kind: 'enter', step: k + 1, time: tNext, edgeDim: held, located: s > 0 });
        }
      } else if (m > 1 && held === m && field.unconstrainedMin < 0 && unconstrainedMinAt(cur) > 0) {
        // A multiplier reached 0 inside the step: the unconstrained X was PSD at the start and is not at the end.
        // Located like the k = 1 exit (inside the step the complementarity solve returns the unconstrained X while it
        // is PSD, so the field is smooth up to the event).
        const uCur = field.unconstrainedMin;
        const uEnd = unconstrainedMinAt(prev);
        const s = locate(cur, hk, -uCur, -uEnd, blockExitEvent, prev);
        field.project(prev);
        tNext = t + s;
        tBase = tNext;
        kBase = k + 1;
        held = m - 1;
        events.push({ kind: 'exit', step: k + 1, time: tNext, edgeDim: m - 1, located: true });
      } else if (m > 1 && field.topValues[m - 1] < threshold * (1 - 1e-8)) {
        // Eigenvalues that have fallen below the edge leave the block (after a located exit: the leaving one has now
        // separated; otherwise an exit not located, taken at the step end).
        let mm = m;
        while (mm > 1 && field.topValues[mm - 1] < threshold * (1 - 1e-8)) mm--;
        field.edgeDim = mm;
        tBase = tNext;
        kBase = k + 1;
        if (mm < held) events.push({ kind: 'exit', step: k + 1, time: tNext, edgeDim: mm, located: false });
        held = Math.min(held, mm);
      }
    }
    const tmp = cur;
    cur = prev;
    prev = tmp;
    prevLoss = L;
    prevTime = t;
    t = tNext;
    if (topK !== undefined) topK.afterStep(prev, cur);
    if (edgeLimit) {
      status = 'edge-limit';
      steps = k + 1;
      theta = cur;
      loss = model.loss(cur);
      time = t;
      message = `stopped at step ${k + 1} (t = ${fmt(t)}): eigenvalue ${field.edgeDim + 1} reached 2/η = ${fmt(threshold)} but edge.maxDim = ${maxDim}`;
      break;
    }
    const d = divergenceCheck(cur, thresholdAbs, where);
    if (d !== 0) {
      status = 'diverged';
      steps = k + 1;
      theta = prev;
      loss = L;
      time = prevTime;
      message = divergenceMessage(d, k, where[0], cur[where[0]], thresholdAbs, ` (t = ${fmt(t)})`);
      break;
    }
  }

  const tracked = sharpnessEvery > 0;
  const finished = trace.finish();
  const n = side.length;
  return {
    theta,
    status,
    message,
    steps,
    loss,
    time,
    initialSharpness: tracked ? s0 : null,
    maxSharpness: tracked ? sMax : null,
    events,
    stats: {
      gradEvals: gradEvals + field.gradEvals,
      hvps: probe.hvps + field.hvps + (topK === undefined ? 0 : topK.hvpsTotal),
      thirdOrderProducts: field.thirdOrderProducts,
      eventEvaluations,
    },
    trace: {
      ...finished,
      time: finished.time as Float64Array,
      ...(topK === undefined ? {} : { topK: topK.finish() }),
      sigma2: side.sigma2.slice(0, n),
      predictedLoss: side.predicted.slice(0, n),
      edgeDim: side.edge.slice(0, n),
      theta: side.theta.slice(0, recordTheta ? n * p : 0),
    },
  };
}
