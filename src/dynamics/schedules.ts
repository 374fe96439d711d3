/**
 * Learning-rate schedules η_k: small frozen objects made by `lrSchedule.constant`, `lrSchedule.linearWarmup`,
 * `lrSchedule.stepDecay`, `lrSchedule.cosine` and `lrSchedule.fromFunction`, accepted wherever a driver takes a
 * learning rate ({@link gd}, {@link train}). All but `fromFunction` are plain data (JSON-serializable). A plain
 * number η is the constant schedule.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import { integerInRange, isFunction, nonNegativeFinite, optionsObject, positiveFinite } from '../core/validate.js';

/**
 * η_k = `value` for every k.
 *
 * @since 0.2.0
 */
export interface ConstantLrSchedule {
  readonly kind: 'constant';
  readonly value: number;
}

/**
 * Linear warm-up: η_k = initial + (peak − initial)·k/W for k < W, then η_k = peak.
 *
 * @since 0.2.0
 */
export interface LinearWarmupLrSchedule {
  readonly kind: 'linear-warmup';
  readonly initial: number;
  readonly peak: number;
  readonly warmupSteps: number;
}

/**
 * Step decay: η_k = initial·factor^{m(k)}, m(k) = the number of boundaries b with b ≤ k.
 *
 * @since 0.2.0
 */
export interface StepDecayLrSchedule {
  readonly kind: 'step-decay';
  readonly initial: number;
  readonly factor: number;
  readonly boundaries: readonly number[];
}

/**
 * Cosine decay: η_k = final + (initial − final)·½(1 + cos(π·min(k, T)/T)).
 *
 * @since 0.2.0
 */
export interface CosineLrSchedule {
  readonly kind: 'cosine';
  readonly initial: number;
  readonly final: number;
  readonly decaySteps: number;
}

/**
 * A user function of the step, η_k = f(k) (finite, ≥ 0; checked at every step the driver evaluates it).
 *
 * @since 0.2.0
 */
export interface FunctionLrSchedule {
  readonly kind: 'function';
  readonly fn: (step: number) => number;
}

/**
 * A learning-rate schedule k ↦ η_k (k = 0 is the first step).
 *
 * @since 0.2.0
 */
export type LrSchedule = ConstantLrSchedule | LinearWarmupLrSchedule | StepDecayLrSchedule | CosineLrSchedule | FunctionLrSchedule;

/**
 * Options of `lrSchedule.linearWarmup`.
 *
 * @since 0.2.0
 */
export interface LinearWarmupOptions {
  /** The rate η reached at step W and kept afterwards (finite > 0). Required. */
  peak: number;
  /** The warm-up length W ≥ 1 in steps. Required. */
  warmupSteps: number;
  /**
   * η_0, the rate of the first step (finite, 0 ≤ initial ≤ peak).
   * @defaultValue peak / warmupSteps
   */
  initial?: number;
}

/**
 * Options of `lrSchedule.stepDecay`.
 *
 * @since 0.2.0
 */
export interface StepDecayOptions {
  /** η before the first boundary (finite > 0). Required. */
  initial: number;
  /**
   * Multiplier applied at each boundary (finite, 0 < factor).
   * @defaultValue 0.1
   */
  factor?: number;
  /** Strictly increasing step indices ≥ 1 at which η is multiplied by `factor`. Required (non-empty). */
  boundaries: readonly number[];
}

/**
 * Options of `lrSchedule.cosine`.
 *
 * @since 0.2.0
 */
export interface CosineOptions {
  /** η_0 (finite > 0). Required. */
  initial: number;
  /** The decay length T ≥ 1 in steps; η_k = final for k ≥ T. Required. */
  decaySteps: number;
  /**
   * η_T, the rate at and after step T (finite, 0 ≤ final ≤ initial).
   * @defaultValue 0
   */
  final?: number;
}

function required<T extends object>(fn: string, options: T | undefined, allowed: readonly string[]): T {
  if (options === undefined) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: options, expected: 'an options object' });
  return optionsObject(fn, options, allowed);
}

/**
 * Constructors of learning-rate schedules (see {@link LrSchedule}); use {@link learningRateAt} to evaluate one.
 *
 * @since 0.2.0
 */
export const lrSchedule = Object.freeze({
  /**
   * The constant schedule η_k = η (what a plain number means).
   *
   * @param value - η > 0.
   * @returns a frozen `{ kind: 'constant', value }`.
   * @throws EosLabError `E_BAD_OPTION` if `value` is not finite > 0.
   * @example
   * ```ts
   * import { learningRateAt, lrSchedule } from 'eos-lab';
   * console.log(learningRateAt(lrSchedule.constant(0.1), 1000)); // 0.1
   * ```
   * @since 0.2.0
   */
  constant(value: number): ConstantLrSchedule {
    positiveFinite('lrSchedule.constant', 'value', value);
    return Object.freeze({ kind: 'constant' as const, value });
  },

  /**
   * Linear warm-up to `peak` over W steps: η_k = initial + (peak − initial)·k/W for k < W, η_k = peak for k ≥ W
   * (optax's `linear_schedule` followed by a constant; the warm-up of Cohen et al. 2021, Sec. 6 and the
   * edge-of-stability reading of warm-up in [EoS blog post]: the sharpness follows 2/η_k up instead of GD
   * starting far above its stability limit).
   *
   * @remarks The default `initial` = peak/W makes the first step small but nonzero. Cost O(1) per evaluation.
   * @param options - peak, warm-up length and start.
   * @returns a frozen `{ kind: 'linear-warmup', initial, peak, warmupSteps }`.
   * @throws EosLabError `E_BAD_OPTION` for a missing options object or unknown key, `peak` not finite > 0,
   *   `warmupSteps` not an integer ≥ 1, `initial` outside [0, peak].
   * @example
   * ```ts
   * import { learningRateAt, lrSchedule } from 'eos-lab';
   * const s = lrSchedule.linearWarmup({ peak: 0.4, warmupSteps: 100 });
   * console.log(learningRateAt(s, 0), learningRateAt(s, 50), learningRateAt(s, 200)); // 0.004, 0.202, 0.4
   * ```
   * @since 0.2.0
   */
  linearWarmup(options: LinearWarmupOptions): LinearWarmupLrSchedule {
    const fn = 'lrSchedule.linearWarmup';
    const o = required(fn, options, ['peak', 'warmupSteps', 'initial']);
    const peak = positiveFinite(fn, 'options.peak', o.peak);
    const warmupSteps = integerInRange(fn, 'options.warmupSteps', o.warmupSteps, 1, 0x7fffffff);
    const initial = o.initial === undefined ? peak / warmupSteps : nonNegativeFinite(fn, 'options.initial', o.initial);
    if (initial > peak) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.initial', value: initial, expected: `a number <= peak = ${peak}` });
    }
    return Object.freeze({ kind: 'linear-warmup' as const, initial, peak, warmupSteps });
  },

  /**
   * Piecewise-constant decay: η_k = initial·factor^{m(k)} with m(k) = #{b ∈ boundaries : b ≤ k} (optax's
   * `piecewise_constant_schedule` with one factor; PyTorch's `MultiStepLR`).
   *
   * @remarks After a decay from η to η' = factor·η, GD's stability limit rises from 2/η to 2/η', and on networks
   * the sharpness climbs to the new limit (Cohen et al. 2021, Sec. 6; [EoS blog post]). Cost O(#boundaries) per
   * evaluation.
   * @param options - initial rate, factor and boundaries.
   * @returns a frozen `{ kind: 'step-decay', initial, factor, boundaries }`.
   * @throws EosLabError `E_BAD_OPTION` for a missing options object or unknown key, `initial` or `factor` not
   *   finite > 0, `boundaries` empty, not integers ≥ 1 or not strictly increasing.
   * @example
   * ```ts
   * import { learningRateAt, lrSchedule } from 'eos-lab';
   * const s = lrSchedule.stepDecay({ initial: 0.2, factor: 0.5, boundaries: [1000] });
   * console.log(learningRateAt(s, 999), learningRateAt(s, 1000)); // 0.2, 0.1
   * ```
   * @since 0.2.0
   */
  stepDecay(options: StepDecayOptions): StepDecayLrSchedule {
    const fn = 'lrSchedule.stepDecay';
    const o = required(fn, options, ['initial', 'factor', 'boundaries']);
    const initial = positiveFinite(fn, 'options.initial', o.initial);
    const factor = o.factor === undefined ? 0.1 : positiveFinite(fn, 'options.factor', o.factor);
    if (!Array.isArray(o.boundaries) || o.boundaries.length === 0) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.boundaries', value: o.boundaries, expected: 'a non-empty array of step indices' });
    }
    const boundaries: number[] = [];
    for (let i = 0; i < o.boundaries.length; i++) {
      const b = integerInRange(fn, `options.boundaries[${i}]`, o.boundaries[i], 1, 0x7fffffff);
      if (i > 0 && b <= boundaries[i - 1]) {
        throw new EosLabError('E_BAD_OPTION', fn, { argument: `options.boundaries[${i}]`, value: b, expected: `a step > ${boundaries[i - 1]} (strictly increasing)` });
      }
      boundaries.push(b);
    }
    return Object.freeze({ kind: 'step-decay' as const, initial, factor, boundaries: Object.freeze(boundaries) });
  },

  /**
   * Cosine decay (optax's `cosine_decay_schedule`; SGDR without restarts):
   * η_k = final + (initial − final)·½(1 + cos(π·min(k, T)/T)).
   *
   * @remarks With the default `final` = 0 the steps k ≥ T do not move θ (η = 0, stability limit +∞). Cost O(1).
   * @param options - initial rate, decay length and final rate.
   * @returns a frozen `{ kind: 'cosine', initial, final, decaySteps }`.
   * @throws EosLabError `E_BAD_OPTION` for a missing options object or unknown key, `initial` not finite > 0,
   *   `decaySteps` not an integer ≥ 1, `final` outside [0, initial].
   * @example
   * ```ts
   * import { learningRateAt, lrSchedule } from 'eos-lab';
   * const s = lrSchedule.cosine({ initial: 0.1, decaySteps: 100 });
   * console.log(learningRateAt(s, 0), learningRateAt(s, 50), learningRateAt(s, 100)); // 0.1, 0.05, 0
   * ```
   * @since 0.2.0
   */
  cosine(options: CosineOptions): CosineLrSchedule {
    const fn = 'lrSchedule.cosine';
    const o = required(fn, options, ['initial', 'decaySteps', 'final']);
    const initial = positiveFinite(fn, 'options.initial', o.initial);
    const decaySteps = integerInRange(fn, 'options.decaySteps', o.decaySteps, 1, 0x7fffffff);
    const final = o.final === undefined ? 0 : nonNegativeFinite(fn, 'options.final', o.final);
    if (final > initial) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.final', value: final, expected: `a number <= initial = ${initial}` });
    }
    return Object.freeze({ kind: 'cosine' as const, initial, final, decaySteps });
  },

  /**
   * A user function of the step, η_k = f(k). Not JSON-serializable (it holds a function), so it cannot travel to
   * worker threads.
   *
   * @remarks The driver calls f once per step and stops with `E_BAD_OPTION` if a value is not finite ≥ 0 (a bad
   * schedule is bad input, not divergence). f should be pure: the same k must give the same η_k.
   * @param fn - k ↦ η_k.
   * @returns a frozen `{ kind: 'function', fn }`.
   * @throws EosLabError `E_BAD_OPTION` if `fn` is not a function.
   * @example
   * ```ts
   * import { learningRateAt, lrSchedule } from 'eos-lab';
   * const s = lrSchedule.fromFunction((k) => 0.1 / Math.sqrt(k + 1));
   * console.log(learningRateAt(s, 3)); // 0.05
   * ```
   * @since 0.2.0
   */
  fromFunction(fn: (step: number) => number): FunctionLrSchedule {
    isFunction('lrSchedule.fromFunction', 'fn', fn);
    return Object.freeze({ kind: 'function' as const, fn });
  },
});

/**
 * Evaluates a schedule: η_k for step k (a plain number is the constant schedule).
 *
 * @remarks The formulas are those of each constructor of `lrSchedule`. Cost O(1) (O(#boundaries) for step decay),
 * no allocation.
 * @param schedule - a number η > 0 or an {@link LrSchedule}.
 * @param step - k, an integer ≥ 0.
 * @returns η_k.
 * @throws EosLabError `E_BAD_OPTION` for a malformed schedule, a `step` that is not an integer ≥ 0, or a
 *   function schedule returning a value that is not finite ≥ 0.
 * @example
 * ```ts
 * import { learningRateAt, lrSchedule } from 'eos-lab';
 * const warm = lrSchedule.linearWarmup({ peak: 1, warmupSteps: 4, initial: 0 });
 * console.log([0, 1, 2, 3, 4].map((k) => learningRateAt(warm, k))); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 * @since 0.2.0
 */
export function learningRateAt(schedule: number | LrSchedule, step: number): number {
  const fn = 'learningRateAt';
  const s = validateLearningRate(fn, 'schedule', schedule);
  integerInRange(fn, 'step', step, 0, Number.MAX_SAFE_INTEGER);
  return scheduleValue(fn, 'schedule', s, step);
}

/** @internal Validates a learning rate given as a number or a schedule (it may have been written by hand). */
export function validateLearningRate(fn: string, argument: string, value: unknown): LrSchedule {
  if (typeof value === 'number') {
    positiveFinite(fn, argument, value);
    return { kind: 'constant', value };
  }
  const s = value as Partial<Record<string, unknown>> | null;
  if (s === null || typeof s !== 'object') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: 'a number > 0 or a schedule from lrSchedule' });
  }
  switch (s.kind) {
    case 'constant':
      positiveFinite(fn, `${argument}.value`, s.value);
      break;
    case 'linear-warmup':
      positiveFinite(fn, `${argument}.peak`, s.peak);
      nonNegativeFinite(fn, `${argument}.initial`, s.initial);
      integerInRange(fn, `${argument}.warmupSteps`, s.warmupSteps, 1, 0x7fffffff);
      break;
    case 'step-decay':
      positiveFinite(fn, `${argument}.initial`, s.initial);
      positiveFinite(fn, `${argument}.factor`, s.factor);
      if (!Array.isArray(s.boundaries)) throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}.boundaries`, value: s.boundaries, expected: 'an array' });
      for (let i = 0; i < s.boundaries.length; i++) integerInRange(fn, `${argument}.boundaries[${i}]`, s.boundaries[i], 1, 0x7fffffff);
      break;
    case 'cosine':
      positiveFinite(fn, `${argument}.initial`, s.initial);
      nonNegativeFinite(fn, `${argument}.final`, s.final);
      integerInRange(fn, `${argument}.decaySteps`, s.decaySteps, 1, 0x7fffffff);
      break;
    case 'function':
      isFunction(fn, `${argument}.fn`, s.fn);
      break;
    default:
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: `${argument}.kind`,
        value: s.kind,
        expected: "'constant', 'linear-warmup', 'step-decay', 'cosine' or 'function' (build schedules with lrSchedule)",
      });
  }
  return value as LrSchedule;
}

/** @internal η_k of a validated schedule (checks only a function schedule's value). */
export function scheduleValue(fn: string, argument: string, s: LrSchedule, k: number): number {
  switch (s.kind) {
    case 'constant':
      return s.value;
    case 'linear-warmup':
      return k >= s.warmupSteps ? s.peak : s.initial + ((s.peak - s.initial) * k) / s.warmupSteps;
    case 'step-decay': {
      let eta = s.initial;
      for (let i = 0; i < s.boundaries.length && s.boundaries[i] <= k; i++) eta *= s.factor;
      return eta;
    }
    case 'cosine': {
      const t = k >= s.decaySteps ? 1 : k / s.decaySteps;
      return s.final + (s.initial - s.final) * 0.5 * (1 + Math.cos(Math.PI * t));
    }
    case 'function': {
      const eta = s.fn(k);
      if (typeof eta !== 'number' || !Number.isFinite(eta) || eta < 0) {
        throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}.fn(${k})`, value: eta, expected: 'a finite learning rate >= 0' });
      }
      return eta;
    }
  }
}

/**
 * @internal The schedule `shape(η)` of a run at nominal rate η, for the `lrSchedule` option of the sweeps
 * (`lrSweep`, `gridStudy`): validated, and plain data when it must cross to a worker thread (`threaded`).
 */
export function scheduleOfShape(fn: string, shape: (eta: number) => LrSchedule, eta: number, threaded: boolean): LrSchedule {
  const argument = `options.lrSchedule(${eta})`;
  const returned: unknown = shape(eta);
  if (typeof returned === 'number') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: returned, expected: 'a schedule from lrSchedule (for a constant η, leave options.lrSchedule out)' });
  }
  const rate = validateLearningRate(fn, argument, returned);
  if (threaded && rate.kind === 'function') {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument,
      value: rate,
      expected: 'a plain-data schedule (lrSchedule.constant/linearWarmup/stepDecay/cosine) with worker threads: a function schedule cannot be sent to a worker; use workers 0',
    });
  }
  return rate;
}

/**
 * @internal The first step from which a validated schedule is constant (η_k = η_K for all k ≥ K): 0 for constant,
 * W for a warm-up, the last boundary for a step decay, T for cosine, +∞ for a function (unknown).
 */
export function constantFromStep(s: LrSchedule): number {
  switch (s.kind) {
    case 'constant':
      return 0;
    case 'linear-warmup':
      return s.warmupSteps;
    case 'step-decay':
      return s.boundaries.length === 0 ? 0 : s.boundaries[s.boundaries.length - 1];
    case 'cosine':
      return s.decaySteps;
    case 'function':
      return Infinity;
  }
}
