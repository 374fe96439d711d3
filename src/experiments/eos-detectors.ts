/**
 * Detectors of edge-of-stability behaviour in a sharpness trace: the progressive-sharpening time and the cycles of
 * sharpening above 2/η and self-stabilization below it. They read plain arrays (e.g. a `gd` trace's
 * `sharpness` and `sharpnessStep`), so they work on traces from any model.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import { nonNegativeFinite, optionKeys, optionsObject, positiveFinite } from '../core/validate.js';

/** Options of {@link progressiveSharpeningTime}. */
export interface ProgressiveSharpeningTimeOptions {
  /**
   * The step of each trace entry (e.g. `trace.sharpnessStep` of {@link gd}); the result is then a step, not an index.
   * @defaultValue entry k is step k
   */
  steps?: ArrayLike<number>;
}

/** Checks that `value` is an array-like of numbers (an Array or typed array) of `length` when given. */
function arrayOfNumbers(fn: string, argument: string, value: unknown, length?: number): ArrayLike<number> {
  if (value === null || typeof value !== 'object' || typeof (value as ArrayLike<number>).length !== 'number') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: 'an array of numbers' });
  }
  const a = value as ArrayLike<number>;
  if (length !== undefined && a.length !== length) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.length`, value: a.length, expected: `${length} (the length of sharpness)` });
  }
  return a;
}

function checkTrace(fn: string, sharpness: unknown, steps: unknown): ArrayLike<number> {
  const s = arrayOfNumbers(fn, 'sharpness', sharpness);
  if (steps !== undefined) arrayOfNumbers(fn, 'options.steps', steps, s.length);
  return s;
}

/**
 * The progressive-sharpening time t_η = inf{k : S(θ_k) ≥ 2/η} (docs/math.md §0; Cohen et al. 2021): the first trace
 * entry whose sharpness reaches the stability limit 2/η, or `null` if none does.
 *
 * @remarks
 * Use the sharpness convention of the trace (λ_max by default in eos-lab; [Conflicting biases]'s max|λ| if recorded with
 * `which: 'abs'`). With a strided trace, pass `steps` so the answer is a step index; the true t_η then lies between
 * the previous recorded step (exclusive) and the returned one. NaN entries never count as reaching the limit.
 * Cost: one pass, no allocation.
 *
 * @param sharpness - S(θ_k) for the recorded iterates.
 * @param learningRate - η > 0.
 * @param options - `steps` of the entries.
 * @returns t_η (an entry index, or a step with `steps`), or `null`.
 * @throws EosLabError `E_BAD_OPTION` for η not > 0 or a non-array `sharpness`; `E_DIM_MISMATCH` if `steps`
 *   and `sharpness` differ in length.
 * @example
 * ```ts
 * import { progressiveSharpeningTime } from 'eos-lab';
 * progressiveSharpeningTime([1, 2.5, 3.9, 4.2, 3.8], 0.5); // 3: the first entry with S ≥ 2/η = 4
 * progressiveSharpeningTime([1, 4.2], 0.5, { steps: [0, 100] }); // 100
 * ```
 * @since 0.1.0
 */
export function progressiveSharpeningTime(
  sharpness: ArrayLike<number>,
  learningRate: number,
  options?: ProgressiveSharpeningTimeOptions,
): number | null {
  const fn = 'progressiveSharpeningTime';
  const eta = positiveFinite(fn, 'learningRate', learningRate);
  const o = optionsObject(fn, options, optionKeys<ProgressiveSharpeningTimeOptions>({ steps: true }));
  const s = checkTrace(fn, sharpness, o.steps);
  const limit = 2 / eta;
  for (let k = 0; k < s.length; k++) {
    if (s[k] >= limit) return o.steps === undefined ? k : o.steps[k];
  }
  return null;
}

/** One cycle of sharpening above 2/η and self-stabilization below it, found by {@link eosCycles}. */
export interface EosCycle {
  /** First entry (or step, with `steps`) with S > (1 + band)·2/η: the up-crossing. */
  readonly up: number;
  /** First entry after `up` with S < (1 − band)·2/η: the down-crossing that closes the cycle. */
  readonly down: number;
  /** max S/(2/η) over [up, down]. */
  readonly peak: number;
  /** Entry (or step) of the peak. */
  readonly peakStep: number;
  /** max L over [up, down] divided by L at `up` (the loss spike of the cycle); NaN without `loss`. */
  readonly lossSpike: number;
}

/** Options of {@link eosCycles}. */
export interface EosCyclesOptions {
  /**
   * Relative half-width of the hysteresis band around 2/η: a cycle starts above (1 + band)·2/η and ends below
   * (1 − band)·2/η, so the small period-two wiggles of a run that hovers at 2/η do not count as cycles.
   * @defaultValue 0.01
   */
  band?: number;
  /** The loss at the same entries as `sharpness`, for each cycle's loss spike. @defaultValue none (lossSpike NaN) */
  loss?: ArrayLike<number>;
  /** The step of each entry; `up`, `down` and `peakStep` are then steps. @defaultValue entry k is step k */
  steps?: ArrayLike<number>;
}

/**
 * The edge-of-stability cycles of a sharpness trace ([Minimalist EoS, Sec. 4, Fig. 1]; [EoS blog post]): each cycle is an
 * up-crossing of (1 + band)·2/η — sharpening past the stability limit — followed by the next down-crossing of
 * (1 − band)·2/η — self-stabilization; the next cycle can only start after that.
 *
 * @remarks
 * An excursion above the band that has not come back below it by the end of the trace is not counted (so a run
 * that diverges shows no cycle there). With a strided trace the crossings are located only to the stride. Use the
 * trace's own sharpness convention (λ_max by default). Cost: one pass; allocates only the result.
 *
 * @param sharpness - S(θ_k) for the recorded iterates.
 * @param learningRate - η > 0.
 * @param options - `band`, `loss`, `steps`.
 * @returns the cycles in order.
 * @throws EosLabError `E_BAD_OPTION` for η not > 0, band not in [0, 1) or a non-array `sharpness`;
 *   `E_DIM_MISMATCH` if `loss` or `steps` differ in length from `sharpness`.
 * @example
 * ```ts
 * import { eosCycles } from 'eos-lab';
 * // 2/η = 2: two excursions above 2.02 that come back below 1.98, and a wiggle inside the band that does not count.
 * const cycles = eosCycles([1.5, 2.5, 1.9, 2.01, 1.99, 2.3, 2.6, 1.5], 1);
 * console.log(cycles.length, cycles[1].peak); // 2 1.3
 * ```
 * @since 0.1.0
 */
export function eosCycles(sharpness: ArrayLike<number>, learningRate: number, options?: EosCyclesOptions): EosCycle[] {
  const fn = 'eosCycles';
  const eta = positiveFinite(fn, 'learningRate', learningRate);
  const o = optionsObject(fn, options, optionKeys<EosCyclesOptions>({ band: true, loss: true, steps: true }));
  const s = checkTrace(fn, sharpness, o.steps);
  const band = o.band === undefined ? 0.01 : nonNegativeFinite(fn, 'options.band', o.band);
  if (band >= 1) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.band', value: band, expected: 'a number in [0, 1)' });
  const loss = o.loss === undefined ? undefined : arrayOfNumbers(fn, 'options.loss', o.loss, s.length);
  const at = (k: number): number => (o.steps === undefined ? k : o.steps[k]);
  const limit = 2 / eta;
  const hi = (1 + band) * limit;
  const lo = (1 - band) * limit;
  const cycles: EosCycle[] = [];
  let up = -1;
  let peak = 0;
  let peakAt = -1;
  let maxLoss = NaN;
  for (let k = 0; k < s.length; k++) {
    const v = s[k];
    if (up < 0) {
      if (v > hi) {
        up = k;
        peak = v;
        peakAt = k;
        maxLoss = loss === undefined ? NaN : loss[k];
      }
      continue;
    }
    if (v > peak) {
      peak = v;
      peakAt = k;
    }
    if (loss !== undefined && loss[k] > maxLoss) maxLoss = loss[k];
    if (v < lo) {
      cycles.push({ up: at(up), down: at(k), peak: peak / limit, peakStep: at(peakAt), lossSpike: loss === undefined ? NaN : maxLoss / loss[up] });
      up = -1;
    }
  }
  return cycles;
}
