/**
 * [Scalar factorization]'s test of whether a GD run "spent time near the edge of stability", applied to a stored run.
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { finiteVector, optionKeys, optionsObject, positiveFinite } from '../../core/validate.js';
import { medianInPlace } from './median.js';

/**
 * Options of {@link edgeOfStabilityCriterion}.
 *
 * @since 0.1.0
 */
export interface EdgeOfStabilityCriterionOptions {
  /**
   * The late phase starts at the first k with |r_k| < lateFraction·|r_0|; in (0, 1].
   * @defaultValue 0.01 ([Scalar factorization]: "below 1% of its initial value")
   */
  lateFraction?: number;
  /**
   * Near the edge when the late-phase median of |η·s_k − 2| is below this.
   * @defaultValue 0.1 [Scalar factorization]
   */
  eosBand?: number;
}

/**
 * The outcome of {@link edgeOfStabilityCriterion}.
 *
 * @since 0.1.0
 */
export interface EdgeOfStabilityCriterionResult {
  /** First index of the late phase, −1 if |r_k| never fell below lateFraction·|r_0|. */
  readonly lateFrom: number;
  /** Number of late iterates (length − lateFrom, or 0). */
  readonly lateCount: number;
  /** Exact median over the late iterates of |η·s_k − 2| (mean of the two middle values for an even count); NaN if none. */
  readonly median: number;
  /** median < eosBand (false without a late phase). */
  readonly nearEdge: boolean;
}

/**
 * [Scalar factorization]'s edge-of-stability criterion on a stored GD run: with r_k the residual ([Scalar factorization]: r_k = x_k y_k − 1)
 * and s_k the sharpness of iterate k, the late phase is k ≥ k₀ = min{k : |r_k| < 0.01·|r_0|}, and the run spent
 * time near the edge of stability when median_{k ≥ k₀} |η·s_k − 2| < 0.1 (docs/math.md §1).
 *
 * @remarks
 * The same rule as `gridStudy`'s kernels, which apply it on the fly (without storing the run); give s_k as the
 * seed's proxy x_k² + y_k² or as λ_max(∇²L(θ_k)). The late phase runs to the last entry given (for a converged run,
 * the first iterate that met the tolerance). Comparisons: |r_k| < lateFraction·|r_0| and median < eosBand, both
 * strict. The median is exact (quickselect on a copy). Cost O(length); allocates one copy of the late values.
 *
 * @param residuals - r_0, r_1, … (finite; not modified).
 * @param sharpness - s_0, s_1, … of the same length (finite; not modified).
 * @param learningRate - η > 0.
 * @param options - lateFraction, eosBand.
 * @returns the late-phase start, its length, the median and the verdict.
 * @throws EosLabError `E_BAD_OPTION` for non-`Float64Array` inputs, η not finite > 0, lateFraction not in (0, 1]
 *   or eosBand not finite > 0; `E_DIM_MISMATCH` for different lengths; `E_EMPTY` for empty inputs; `E_NONFINITE`
 *   for a non-finite entry.
 * @example
 * ```ts
 * import { edgeOfStabilityCriterion } from 'eos-lab';
 * const r = new Float64Array([1, 0.5, 0.009, -0.004, 0.001]); // late from k = 2
 * const s = new Float64Array([3, 2.5, 2.1, 2.0, 2.05]);
 * const eos = edgeOfStabilityCriterion(r, s, 0.98);
 * console.log(eos.lateFrom, eos.median, eos.nearEdge); // 2, median of {0.058, 0.04, 0.009} ≈ 0.04, true
 * ```
 * @since 0.1.0
 */
export function edgeOfStabilityCriterion(
  residuals: Float64Array,
  sharpness: Float64Array,
  learningRate: number,
  options?: EdgeOfStabilityCriterionOptions,
): EdgeOfStabilityCriterionResult {
  const fn = 'edgeOfStabilityCriterion';
  finiteVector(fn, 'residuals', residuals);
  finiteVector(fn, 'sharpness', sharpness, residuals.length);
  const eta = positiveFinite(fn, 'learningRate', learningRate);
  const o = optionsObject(fn, options, optionKeys<EdgeOfStabilityCriterionOptions>({ lateFraction: true, eosBand: true }));
  const lateFraction = positiveFinite(fn, 'options.lateFraction', o.lateFraction ?? 0.01);
  if (lateFraction > 1) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.lateFraction', value: lateFraction, expected: 'a number in (0, 1]' });
  }
  const eosBand = positiveFinite(fn, 'options.eosBand', o.eosBand ?? 0.1);
  const threshold = lateFraction * Math.abs(residuals[0]);
  let lateFrom = -1;
  for (let k = 0; k < residuals.length; k++) {
    if (Math.abs(residuals[k]) < threshold) {
      lateFrom = k;
      break;
    }
  }
  if (lateFrom < 0) return { lateFrom, lateCount: 0, median: NaN, nearEdge: false };
  const late = new Float64Array(residuals.length - lateFrom);
  for (let k = lateFrom; k < residuals.length; k++) late[k - lateFrom] = Math.abs(eta * sharpness[k] - 2);
  const median = medianInPlace(late, late.length);
  return { lateFrom, lateCount: late.length, median, nearEdge: median < eosBand };
}
