/**
 * [Conflicting biases]'s learning-rate schedule (App. G): a fine grid around the critical learning rate η_c = 2/s_GF and a
 * coarse grid up to 2/s_0, continued "until divergence".
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { integerInRange, optionKeys, optionsObject, positiveFinite } from '../../core/validate.js';

/** Points of the fine grid [Conflicting biases, App. G]. */
export const FINE_POINTS = 12;
/** Points of the coarse grid on [6/s_GF, 2/s_0], both ends included (App. G). */
export const COARSE_POINTS = 9;

/**
 * Options of {@link learningRateSchedule}.
 *
 * @since 0.1.0
 */
export interface LrScheduleOptions {
  /**
   * The step of the onward points beyond the last scheduled learning rate.
   * @defaultValue the coarse step Δ = (2/s_0 − 6/s_GF)/8 (App. G); when the coarse grid is empty, the fine step
   *   1/(2 s_GF)
   */
  onwardStep?: number;
}

/**
 * A learning-rate schedule of [Conflicting biases, App. G], before the runs decide where it ends.
 *
 * @since 0.1.0
 */
export interface LearningRateSchedule {
  /** η_c = 2/s_GF. */
  readonly criticalLearningRate: number;
  /** The fine grid j/(2 s_GF), j = 1 … 12, on [1/(2 s_GF), 6/s_GF] (η_c is its 4th point). */
  readonly fine: number[];
  /**
   * The coarse grid's points above 6/s_GF: 6/s_GF + kΔ, k = 1 … 8, Δ = (2/s_0 − 6/s_GF)/8 (its first point
   * 6/s_GF is the fine grid's last). Empty when 2/s_0 ≤ 6/s_GF or s_0 ≤ 0 (`coarseEmpty`).
   */
  readonly coarse: number[];
  /** True when the coarse interval [6/s_GF, 2/s_0] is empty or a single point (a case App. G does not discuss). */
  readonly coarseEmpty: boolean;
  /**
   * The k-th onward point (k = 1, 2, …) is onwardStart + (onwardOffset + k)·onwardStep: by default 6/s_GF + (8 + k)Δ
   * (the coarse lattice continued), or 6/s_GF + k/(2 s_GF) without a coarse grid; with a custom `onwardStep`,
   * the last scheduled point + k·onwardStep.
   */
  readonly onwardStart: number;
  /** The onward step. */
  readonly onwardStep: number;
  /** See `onwardStart`: 8 after a coarse grid with the default step, else 0. */
  readonly onwardOffset: number;
}

/**
 * Builds [Conflicting biases]'s learning-rate schedule (App. G) from the sharpness at initialization s_0 and the maximal
 * sharpness along gradient flow s_GF: a fine grid of 12 points with step 1/(2 s_GF) on [1/(2 s_GF), 6/s_GF]; a
 * coarse grid of 9 points on [6/s_GF, 2/s_0]; then further points at the coarse step (2/s_0 − 6/s_GF)/8 "until
 * divergence" (the caller, e.g. {@link lrSweep}, decides where that is; use {@link onwardLearningRate}).
 *
 * @remarks
 * **Cases App. G does not discuss.** When 2/s_0 ≤ 6/s_GF (s_0 ≥ s_GF/3, e.g. little progressive sharpening, and
 * always for a diagonal network started near 0, where s_0 ≈ s_GF/2) or s_0 ≤ 0 (possible with λ_max), the coarse
 * interval is empty: `coarse` is `[]`, `coarseEmpty` is true, and the onward points continue from 6/s_GF at the
 * fine step 1/(2 s_GF) unless `onwardStep` is given. Points are computed as j/(2 s_GF) and 6/s_GF + k·Δ (no
 * accumulated sums), so they are reproducible bit for bit. App. G's text also mentions lattice points below
 * 6/s_GF ("strictly greater than zero"); like docs/math.md §0, this schedule does not add them. Cost O(1).
 * @param initialSharpness - s_0 = S(θ_0) (finite; may be ≤ 0 with λ_max).
 * @param flowSharpness - s_GF > 0, the largest sharpness along gradient flow until the loss first reaches the goal.
 * @param options - the onward step.
 * @returns the fine and coarse grids, η_c and the onward rule.
 * @throws EosLabError `E_BAD_OPTION` for s_GF not finite > 0, a non-number s_0 or `onwardStep` not finite > 0;
 *   `E_NONFINITE` for a NaN/±Infinity s_0.
 * @example
 * ```ts
 * import { learningRateSchedule } from 'eos-lab';
 * const s = learningRateSchedule(2, 20); // s_0 = 2, s_GF = 20: η_c = 0.1
 * console.log(s.fine[3], s.coarse.length, s.coarse[7]); // 0.1, 8, 1 (= 2/s_0)
 * ```
 * @since 0.1.0
 */
export function learningRateSchedule(initialSharpness: number, flowSharpness: number, options?: LrScheduleOptions): LearningRateSchedule {
  const fn = 'learningRateSchedule';
  if (typeof initialSharpness !== 'number') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'initialSharpness', value: initialSharpness, expected: 'a finite number' });
  }
  if (!Number.isFinite(initialSharpness)) {
    throw new EosLabError('E_NONFINITE', fn, { argument: 'initialSharpness', value: initialSharpness, expected: 'a finite number' });
  }
  const sGF = positiveFinite(fn, 'flowSharpness', flowSharpness);
  const o = optionsObject(fn, options, optionKeys<LrScheduleOptions>({ onwardStep: true }));
  const onwardStepOption = o.onwardStep === undefined ? undefined : positiveFinite(fn, 'options.onwardStep', o.onwardStep);
  const fine: number[] = [];
  for (let j = 1; j <= FINE_POINTS; j++) fine.push(j / (2 * sGF));
  const a = fine[FINE_POINTS - 1]; // 6/s_GF
  const b = initialSharpness > 0 ? 2 / initialSharpness : -Infinity;
  const coarse: number[] = [];
  let coarseEmpty = true;
  let delta = 1 / (2 * sGF);
  if (b > a && Number.isFinite(b)) {
    const step = (b - a) / (COARSE_POINTS - 1);
    if (a + step > a) {
      coarseEmpty = false;
      delta = step;
      for (let k = 1; k < COARSE_POINTS; k++) coarse.push(a + k * step);
    }
  }
  // Default: continue the lattice 6/s_GF + kΔ (k = 9, 10, …, or k = 1, 2, … at the fine step without a coarse
  // grid). A custom step starts from the last scheduled point instead.
  const custom = onwardStepOption !== undefined;
  const last = coarseEmpty ? a : coarse[coarse.length - 1];
  return {
    criticalLearningRate: 2 / sGF,
    fine,
    coarse,
    coarseEmpty,
    onwardStart: custom ? last : a,
    onwardStep: custom ? onwardStepOption : delta,
    onwardOffset: custom || coarseEmpty ? 0 : COARSE_POINTS - 1,
  };
}

/**
 * The k-th onward learning rate of a schedule (k = 1, 2, …): onwardStart + (onwardOffset + k)·onwardStep.
 *
 * @remarks With the default step this continues the coarse lattice 6/s_GF + kΔ exactly. Cost O(1).
 * @param schedule - from {@link learningRateSchedule}.
 * @param k - the index k ≥ 1.
 * @returns the learning rate.
 * @throws EosLabError `E_BAD_OPTION` for a malformed schedule or k not an integer ≥ 1.
 * @example
 * ```ts
 * import { learningRateSchedule, onwardLearningRate } from 'eos-lab';
 * onwardLearningRate(learningRateSchedule(2, 20), 1); // 0.3 + 9·0.0875 = 1.0875
 * ```
 * @since 0.1.0
 */
export function onwardLearningRate(schedule: LearningRateSchedule, k: number): number {
  const fn = 'onwardLearningRate';
  if (schedule === null || typeof schedule !== 'object' || typeof schedule.onwardStart !== 'number' || typeof schedule.onwardStep !== 'number') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'schedule', value: schedule, expected: 'a schedule from learningRateSchedule' });
  }
  integerInRange(fn, 'k', k, 1);
  return schedule.onwardStart + (schedule.onwardOffset + k) * schedule.onwardStep;
}
