import { formatValue } from '../core/errors.js';

/** Tolerances of {@link expectRelClose}. */
export interface RelCloseOptions {
  /**
   * Relative tolerance: passes when |actual − expected| ≤ abs + rel·|expected| (entrywise for arrays).
   * @defaultValue 1e-12 (about 4500 ulps of 2⁻⁵²; set it from the arithmetic of the computation under test)
   */
  rel?: number;
  /**
   * Absolute tolerance, for expected values at or near 0.
   * @defaultValue 0
   */
  abs?: number;
  /** A description of the input, printed on failure (e.g. `theta = [1, 2]`). */
  label?: string;
}

/**
 * Asserts |actual − expected| ≤ abs + rel·|expected|, for numbers or entrywise for arrays of equal length.
 * On failure it throws an `Error` whose message prints the label (the input), the result, the expected
 * value, Δ and the tolerance — everything needed to judge the failure without a debugger. Works in any test
 * runner (it throws; it does not need `expect`).
 *
 * @param actual - the computed value(s).
 * @param expected - the reference value(s): from a closed form or an independent computation.
 * @param options - tolerances and a label.
 * @throws Error when the values differ by more than the tolerance, when lengths differ, or when exactly one is NaN.
 * @example
 * ```ts
 * import { expectRelClose } from 'eos-lab/testing';
 * expectRelClose(Math.sqrt(2) ** 2, 2, { rel: 4 * Number.EPSILON, label: 'sqrt(2)^2' });
 * ```
 * @since 0.1.0
 */
export function expectRelClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  options: RelCloseOptions = {},
): void {
  const rel = options.rel ?? 1e-12;
  const abs = options.abs ?? 0;
  const label = options.label ? ` (${options.label})` : '';
  if (typeof actual === 'number' || typeof expected === 'number') {
    if (typeof actual !== 'number' || typeof expected !== 'number') {
      throw new Error(`expectRelClose${label}: cannot compare ${formatValue(actual)} with ${formatValue(expected)}`);
    }
    checkOne(actual, expected, rel, abs, `value${label}`);
    return;
  }
  if (actual.length !== expected.length) {
    throw new Error(`expectRelClose${label}: length ${actual.length} differs from expected length ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) checkOne(actual[i], expected[i], rel, abs, `[${i}]${label}`);
}

function checkOne(a: number, e: number, rel: number, abs: number, where: string): void {
  if (Number.isNaN(a) && Number.isNaN(e)) return;
  if (a === e) return; // also equal infinities
  const delta = Math.abs(a - e);
  const tol = abs + rel * Math.abs(e);
  if (!(delta <= tol)) {
    throw new Error(
      `expectRelClose ${where}: result ${a}, expected ${e}, Δ = ${delta.toExponential(3)}, ` +
        `tolerance ${tol.toExponential(3)} (abs ${abs}, rel ${rel}); Δ/|expected| = ${(delta / Math.abs(e)).toExponential(3)}`,
    );
  }
}
