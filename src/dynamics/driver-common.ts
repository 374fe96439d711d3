/**
 * Shared pieces of the `gd` and `gradientFlow` drivers (not part of the public API except the `Progress` and
 * `DivergenceOptions` types): option validation, the
 * struct-of-arrays trace, the divergence check and the sharpness hook.
 *
 * @module
 */
import { validateSignal } from '../core/abort.js';
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { finiteNumber, finiteVector, integerInRange, isFunction, optionKeys, optionsObject } from '../core/validate.js';
import { maxAbs as maxAbsOf } from '../linalg/vector.js';
import {
  createSharpnessWorkspace,
  hessianSymmetryProbe,
  resolveSharpnessOptions,
  sharpnessEstimateUnchecked,
  type ResolvedSharpnessOptions,
  type SharpnessOptions,
  type SharpnessWorkspace,
} from '../sharpness/sharpness.js';
import { resolveTopK, type ResolvedTopK, type TopKRecordOptions } from './top-k-recorder.js';

/** The largest step count a trace can index (`Int32Array`). */
export const MAX_STEPS_LIMIT = 0x7fffffff;

/** The largest number of entries a trace may need (≈ 10⁷ entries, ≤ 450 MB), checked against maxSteps/every up front. */
export const MAX_TRACE_LENGTH = 10_000_000;

/**
 * Progress report passed to `onProgress`.
 *
 * @since 0.1.0
 */
export interface Progress {
  /** The step index k of the iterate θ_k just evaluated. */
  readonly step: number;
  /** L(θ_k). */
  readonly loss: number;
  /** The run's `maxSteps`. */
  readonly maxSteps: number;
}

/**
 * Divergence test options (shared by {@link gd} and {@link gradientFlow}).
 *
 * @since 0.1.0
 */
export interface DivergenceOptions {
  /**
   * The run is declared diverged at the first iterate θ_k with max|θ_k,i| ≥ maxAbs (also when θ_k or L(θ_k) is
   * not finite). `Infinity` keeps only the non-finite test.
   * @defaultValue 1e6
   */
  maxAbs?: number;
}

/** Validated options common to both drivers. */
export interface CommonResolved {
  readonly maxSteps: number;
  readonly lossGoal: number | undefined;
  readonly maxAbs: number;
  readonly every: number;
  readonly sharpnessEvery: number;
  readonly sharpness: ResolvedSharpnessOptions | undefined;
  /** `record.topK`, validated (undefined: no top-k tracking). */
  readonly topK: ResolvedTopK | undefined;
  readonly onProgress: ((p: Progress) => void) | undefined;
  readonly progressEvery: number;
  readonly signal: AbortSignal | undefined;
}

interface CommonInput {
  maxSteps?: number;
  lossGoal?: number;
  divergence?: DivergenceOptions;
  record?: { every?: number; sharpnessEvery?: number; sharpness?: SharpnessOptions; topK?: TopKRecordOptions };
  onProgress?: (p: Progress) => void;
  progressEvery?: number;
  signal?: AbortSignal;
}

/**
 * Throws `E_BAD_OPTION` unless `value` is undefined or a plain object; returns it or `{}`. With `allowed`, unknown
 * keys are errors too (see {@link optionsObject}).
 */
export function nestedOptions<T extends object>(fn: string, argument: string, value: T | undefined, allowed?: readonly string[]): T {
  return optionsObject(fn, value, allowed, argument);
}

/**
 * Validates the start θ₀ (finite, of the model's dim, inside the divergence threshold) and the options the drivers share. `sharpnessUsedElsewhere` says whether sharpness options are used by
 * something other than the trace (the adapted step size), so `record.sharpness` without `sharpnessEvery` is
 * not contradictory. `extraRecordKeys` are driver-specific `record` keys the caller validates itself.
 */
export function resolveCommon(
  fn: string,
  model: LossModel,
  theta0: Float64Array,
  o: CommonInput,
  defaultSharpnessEvery: number,
  sharpnessUsedElsewhere: boolean,
  extraRecordKeys: readonly string[] = [],
): CommonResolved {
  const maxSteps = o.maxSteps === undefined ? 10_000 : integerInRange(fn, 'options.maxSteps', o.maxSteps, 0, MAX_STEPS_LIMIT);
  const lossGoal = o.lossGoal === undefined ? undefined : finiteNumber(fn, 'options.lossGoal', o.lossGoal);
  const div = nestedOptions(fn, 'options.divergence', o.divergence, optionKeys<DivergenceOptions>({ maxAbs: true }));
  let maxAbs = 1e6;
  if (div.maxAbs !== undefined) {
    if (typeof div.maxAbs !== 'number' || !(div.maxAbs > 0)) {
      throw new EosLabError(Number.isNaN(div.maxAbs) || div.maxAbs === -Infinity ? 'E_NONFINITE' : 'E_BAD_OPTION', fn, { argument: 'options.divergence.maxAbs', value: div.maxAbs, expected: 'a number > 0 (Infinity allowed)' });
    }
    maxAbs = div.maxAbs;
  }
  finiteVector(fn, 'theta0', theta0, model.dim);
  if (!(maxAbsOf(theta0) < maxAbs)) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'options.divergence.maxAbs',
      value: maxAbs,
      expected: `a threshold above max|theta0_i| = ${maxAbsOf(theta0)} (the start would count as diverged)`,
    });
  }
  const commonRecordKeys = optionKeys<NonNullable<CommonInput['record']>>({ every: true, sharpnessEvery: true, sharpness: true, topK: true });
  const rec = nestedOptions(fn, 'options.record', o.record, [...commonRecordKeys, ...extraRecordKeys]);
  const every = rec.every === undefined ? 1 : integerInRange(fn, 'options.record.every', rec.every, 0, MAX_STEPS_LIMIT);
  const sharpnessEvery = rec.sharpnessEvery === undefined
    ? defaultSharpnessEvery
    : integerInRange(fn, 'options.record.sharpnessEvery', rec.sharpnessEvery, 0, MAX_STEPS_LIMIT);
  if (rec.sharpness !== undefined && sharpnessEvery === 0 && !sharpnessUsedElsewhere) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'options.record.sharpness',
      value: rec.sharpness,
      expected: 'undefined when options.record.sharpnessEvery is 0 (sharpness would never be computed; set sharpnessEvery > 0)',
    });
  }
  for (const [name, stride] of [['every', every], ['sharpnessEvery', sharpnessEvery]] as const) {
    if (stride > 0 && Math.floor(maxSteps / stride) + 1 > MAX_TRACE_LENGTH) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: `options.record.${name}`,
        value: stride,
        expected: `an integer >= ${Math.floor(maxSteps / MAX_TRACE_LENGTH) + 1} or 0 for maxSteps = ${maxSteps} (a trace holds at most ${MAX_TRACE_LENGTH} entries)`,
      });
    }
  }
  const needSharpness = sharpnessEvery > 0 || sharpnessUsedElsewhere;
  const sharpness = needSharpness
    ? resolveSharpnessOptions(model, nestedOptions(fn, 'options.record.sharpness', rec.sharpness), fn, 'options.record.sharpness')
    : undefined;
  const topK = resolveTopK(fn, model, rec.topK, maxSteps, MAX_TRACE_LENGTH);
  let onProgress: ((p: Progress) => void) | undefined;
  if (o.onProgress !== undefined) onProgress = isFunction<(p: Progress) => void>(fn, 'options.onProgress', o.onProgress);
  const progressEvery = o.progressEvery === undefined ? 1000 : integerInRange(fn, 'options.progressEvery', o.progressEvery, 1, MAX_STEPS_LIMIT);
  if (o.progressEvery !== undefined && onProgress === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'options.progressEvery',
      value: o.progressEvery,
      expected: 'undefined unless options.onProgress is given',
    });
  }
  const signal = validateSignal(fn, 'options.signal', o.signal);
  return { maxSteps, lossGoal, maxAbs, every, sharpnessEvery, sharpness, topK, onProgress, progressEvery, signal };
}

/** Throws `E_BAD_OPTION` unless `model` has the LossModel members the drivers use, naming the first missing one. */
export function validateModel(fn: string, model: unknown): LossModel {
  const m = model as Partial<LossModel> | null;
  if (m === null || typeof m !== 'object') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'model', value: model, expected: 'a LossModel object' });
  }
  if (typeof m.dim !== 'number' || !Number.isInteger(m.dim) || m.dim < 1) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'model.dim', value: m.dim, expected: 'an integer >= 1' });
  }
  for (const key of ['loss', 'lossAndGrad', 'hvp'] as const) {
    if (typeof m[key] !== 'function') {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `model.${key}`, value: m[key], expected: 'a function' });
    }
  }
  return m as LossModel;
}

/** Entries a trace starts with before it first grows. */
const INITIAL_TRACE_CAPACITY = 1024;

/**
 * The struct-of-arrays trace of a run. It starts small (at most 1024 entries) and doubles when full, up to the
 * largest length the run can reach, so a long step budget costs nothing unless the run uses it; growth is
 * amortized O(1) per entry (log₂ reallocations in all), and the arrays are trimmed once at the end.
 */
export class TraceBuffer {
  step: Int32Array;
  loss: Float64Array;
  norm1: Float64Array;
  norm2: Float64Array;
  gradNorm: Float64Array;
  time: Float64Array | null;
  sharpnessStep: Int32Array;
  sharpness: Float64Array;
  sharpnessConverged: Uint8Array;
  length = 0;
  sharpnessLength = 0;
  private readonly maxLength: number;
  private readonly maxSharpnessLength: number;

  constructor(maxSteps: number, every: number, sharpnessEvery: number, withTime: boolean) {
    this.maxLength = every > 0 ? Math.floor(maxSteps / every) + 1 : 0;
    this.maxSharpnessLength = sharpnessEvery > 0 ? Math.floor(maxSteps / sharpnessEvery) + 1 : 0;
    const n = Math.min(this.maxLength, INITIAL_TRACE_CAPACITY);
    const m = Math.min(this.maxSharpnessLength, INITIAL_TRACE_CAPACITY);
    this.step = new Int32Array(n);
    this.loss = new Float64Array(n);
    this.norm1 = new Float64Array(n);
    this.norm2 = new Float64Array(n);
    this.gradNorm = new Float64Array(n);
    this.time = withTime ? new Float64Array(n) : null;
    this.sharpnessStep = new Int32Array(m);
    this.sharpness = new Float64Array(m);
    this.sharpnessConverged = new Uint8Array(m);
  }

  /** Appends the record of iterate k (`time` only for traces made with `withTime`). */
  record(k: number, loss: number, norm1: number, norm2: number, gradNorm: number, time: number): void {
    if (this.length === this.step.length) this.grow();
    const j = this.length++;
    this.step[j] = k;
    this.loss[j] = loss;
    this.norm1[j] = norm1;
    this.norm2[j] = norm2;
    this.gradNorm[j] = gradNorm;
    if (this.time !== null) this.time[j] = time;
  }

  /** Appends the sharpness of iterate k and whether its estimate converged (never for a NaN value). */
  recordSharpness(k: number, sharpness: number, converged: boolean): void {
    if (this.sharpnessLength === this.sharpnessStep.length) {
      const m = Math.min(this.maxSharpnessLength, 2 * this.sharpnessStep.length);
      this.sharpnessStep = grown(this.sharpnessStep, m);
      this.sharpness = grown(this.sharpness, m);
      this.sharpnessConverged = grown(this.sharpnessConverged, m);
    }
    const j = this.sharpnessLength++;
    this.sharpnessStep[j] = k;
    this.sharpness[j] = sharpness;
    this.sharpnessConverged[j] = converged && !Number.isNaN(sharpness) ? 1 : 0;
  }

  /** The recorded entries, trimmed to their lengths (struct-of-arrays; `time` only for traces made with `withTime`). */
  finish(): {
    step: Int32Array;
    time: Float64Array | null;
    loss: Float64Array;
    norm1: Float64Array;
    norm2: Float64Array;
    gradNorm: Float64Array;
    sharpnessStep: Int32Array;
    sharpness: Float64Array;
    sharpnessConverged: Uint8Array;
  } {
    const n = this.length;
    const m = this.sharpnessLength;
    return {
      step: trim(this.step, n),
      time: this.time === null ? null : trim(this.time, n),
      loss: trim(this.loss, n),
      norm1: trim(this.norm1, n),
      norm2: trim(this.norm2, n),
      gradNorm: trim(this.gradNorm, n),
      sharpnessStep: trim(this.sharpnessStep, m),
      sharpness: trim(this.sharpness, m),
      sharpnessConverged: trim(this.sharpnessConverged, m),
    };
  }

  private grow(): void {
    const n = Math.min(this.maxLength, 2 * this.step.length);
    this.step = grown(this.step, n);
    this.loss = grown(this.loss, n);
    this.norm1 = grown(this.norm1, n);
    this.norm2 = grown(this.norm2, n);
    this.gradNorm = grown(this.gradNorm, n);
    if (this.time !== null) this.time = grown(this.time, n);
  }
}

/**
 * The recorded iterates θ_k of a run (`record.theta`), row-major: record j is `data.subarray(j·dim, (j + 1)·dim)`.
 * Grows like {@link TraceBuffer} (start ≤ 1024 records, doubling up to the run's largest record count), so recording
 * allocates nothing per step except on the log₂ growths.
 */
export class IterateTrace {
  private data: Float64Array;
  private length = 0;
  private readonly maxLength: number;

  constructor(
    private readonly dim: number,
    maxSteps: number,
    every: number,
  ) {
    this.maxLength = every > 0 ? Math.floor(maxSteps / every) + 1 : 0;
    this.data = new Float64Array(Math.min(this.maxLength, INITIAL_TRACE_CAPACITY) * dim);
  }

  /** Appends a copy of θ (length `dim`). */
  record(theta: Float64Array): void {
    if ((this.length + 1) * this.dim > this.data.length) {
      this.data = grown(this.data, Math.min(this.maxLength, 2 * Math.max(1, this.length)) * this.dim);
    }
    this.data.set(theta, this.length * this.dim);
    this.length++;
  }

  /** The records, trimmed. */
  finish(): Float64Array {
    return trim(this.data, this.length * this.dim);
  }
}

/** Reads `options.record.theta` (absent = false); anything but a boolean is `E_BAD_OPTION`. */
export function recordThetaOption(fn: string, record: unknown): boolean {
  const v = record !== null && typeof record === 'object' ? (record as { theta?: unknown }).theta : undefined;
  if (v !== undefined && typeof v !== 'boolean') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.record.theta', value: v, expected: 'a boolean' });
  }
  return v === true;
}

function grown<T extends Int32Array | Float64Array | Uint8Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

function trim<T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number): T {
  return (n === a.length ? a : a.slice(0, n)) as T;
}

/**
 * 0 when θ is finite with max|θᵢ| < maxAbs; otherwise 1 (non-finite entry) or 2 (entry at or above maxAbs),
 * with the offending index in `where[0]`.
 */
export function divergenceCheck(theta: Float64Array, maxAbs: number, where: Int32Array): number {
  for (let i = 0; i < theta.length; i++) {
    const a = Math.abs(theta[i]);
    if (!(a < maxAbs)) {
      where[0] = i;
      return Number.isFinite(a) ? 2 : 1;
    }
  }
  return 0;
}

/**
 * The message of a run that failed {@link divergenceCheck} at step k + 1 (`code` its result, `i` the offending
 * index); `at` is inserted after the step (e.g. ` (t = 1.5)`).
 */
export function divergenceMessage(code: number, k: number, i: number, value: number, maxAbs: number, at = ''): string {
  return code === 1
    ? `diverged at step ${k + 1}${at}: theta_${k + 1}[${i}] = ${value} is not finite; theta is theta_${k}`
    : `diverged at step ${k + 1}${at}: |theta_${k + 1}[${i}]| = ${fmt(Math.abs(value))} >= divergence.maxAbs = ${fmt(maxAbs)}; theta is theta_${k}`;
}

/**
 * Sharpness computation bound to one run (one workspace, HVP count accumulated). The first call probes the
 * Hessian's symmetry when the options ask for it (models not built in; its HVPs are counted); `converged` tells
 * whether the last estimate converged (false for a NaN value: a non-finite Hessian is recorded, not thrown).
 */
export class SharpnessProbe {
  hvps = 0;
  converged = true;
  private probed = false;
  private readonly workspace: SharpnessWorkspace;
  constructor(
    private readonly model: LossModel,
    private readonly options: ResolvedSharpnessOptions,
  ) {
    this.workspace = createSharpnessWorkspace(model);
    // Warm starts along the run: each Lanczos estimate starts near the previous top eigenvector (see
    // SharpnessOptions.warmStart).
    if (options.warmStart && options.method === 'lanczos') this.workspace.warm = new Float64Array(model.dim);
  }
  value(theta: Float64Array): number {
    if (!this.probed) {
      this.probed = true;
      // (A dense estimate checks the symmetry of the Hessian it forms itself.)
      if (this.options.checkSymmetry && this.options.method !== 'dense') this.hvps += hessianSymmetryProbe(this.model, theta, this.options);
    }
    const est = sharpnessEstimateUnchecked(this.model, theta, this.options, this.workspace);
    this.hvps += est.hvps;
    this.converged = est.converged;
    return est.value;
  }
}

/** Shortest faithful rendering of a number for messages. */
export function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x);
}
