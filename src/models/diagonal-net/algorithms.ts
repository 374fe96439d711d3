/**
 * [Conflicting biases]'s idealized training algorithms on one data point (Sec. 3 and Prop. E.2): minimal norm A_ℓ1,
 * minimal sharpness A_S, minimal risk A_opt, and seeded Monte-Carlo estimates of their expected risks.
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { rng as createRng } from '../../core/rng.js';
import { finiteNumber, integerInRange, isFunction, optionKeys, optionsObject } from '../../core/validate.js';
import { enumerateKktPoints, resolveKkt } from './kkt.js';
import { readVector } from './model.js';
import { drawUnchecked, risk as riskModels, riskOfSquares, validateRisk, type RiskModel } from './risk.js';
import { choleskySolveInPlace, choleskySub } from './spd.js';

/**
 * An idealized training algorithm: given the training point (x₀, y₀), an interpolating w (⟨x₀, w^{⊙2}⟩ = y₀),
 * or `null` when no such w exists.
 *
 * @since 0.1.0
 */
export type TrainingAlgorithm = (x0: Float64Array, y0: number) => Float64Array | null;

/**
 * Options of `algorithms.optimal`.
 *
 * @since 0.1.0
 */
export interface OptimalAlgorithmOptions {
  /**
   * The risk whose minimizer on M is returned.
   * @defaultValue `risk.gaussian(d)` (Lemma E.1)
   */
  risk?: RiskModel;
}

function nonNegativeInput(fn: string, x0: ArrayLike<number>, y0: number): { x: Float64Array; y: number } {
  const x = readVector(fn, 'x0', x0);
  for (let i = 0; i < x.length; i++) {
    if (x[i] < 0) throw new EosLabError('E_BAD_OPTION', fn, { argument: `x0[${i}]`, value: x[i], expected: 'a number >= 0 (Prop. E.2 assumes x₀ ≥ 0)' });
  }
  return { x, y: finiteNumber(fn, 'y0', y0) };
}

function extremeCanonical(fn: string, x0: ArrayLike<number>, y0: number, largest: boolean): Float64Array | null {
  const { x, y } = nonNegativeInput(fn, x0, y0);
  let k = -1;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] > 0)) continue;
    if (k < 0 || (largest ? x[i] > x[k] : x[i] < x[k])) k = i;
  }
  const w = new Float64Array(x.length);
  if (y === 0) return w;
  if (k < 0 || y < 0) return null; // M = ∅: ⟨x₀, w^{⊙2}⟩ ≥ 0 > y₀, or x₀ = 0
  w[k] = Math.sqrt(y / x[k]);
  return w;
}

/**
 * [Conflicting biases]'s idealized algorithms (Sec. 3, Prop. E.2). Each maps a training point (x₀ ≥ 0, y₀) to an
 * interpolating weight vector w (or `null` when the manifold M is empty, e.g. y₀ < 0).
 *
 * @since 0.1.0
 */
export const algorithms = Object.freeze({
  /**
   * Minimal norm, A_ℓ1(x₀, y₀) = √(y₀/x_max)·e_{k_max} ([Conflicting biases, Sec. 3 (i) and Prop. E.2 (i)]): the canonical
   * point of M_ℓ1, the limit of GD with vanishing learning rate from small initialization.
   *
   * @remarks k_max is the first index of the largest entry. Returns `null` when y₀ < 0 or x₀ = 0 (M = ∅), the zero
   * vector when y₀ = 0. Cost O(d).
   * @param x0 - the training input, x₀ ≥ 0.
   * @param y0 - the training target.
   * @returns the weights, or `null`.
   * @throws EosLabError `E_BAD_OPTION` for a negative entry of x₀; `E_NONFINITE`/`E_EMPTY` for bad input.
   * @example
   * ```ts
   * import { diagonalNet } from 'eos-lab';
   * diagonalNet.algorithms.l1([1, 4], 2); // [0, √0.5]
   * ```
   * @since 0.1.0
   */
  l1(x0: ArrayLike<number>, y0: number): Float64Array | null {
    return extremeCanonical('diagonalNet.algorithms.l1', x0, y0, true);
  },

  /**
   * Minimal sharpness, A_S(x₀, y₀) = √(y₀/x_min)·e_{k_min} ([Conflicting biases, Sec. 3 (ii) and Prop. E.2 (ii)]): the
   * canonical point of M_S, "the solution GD with extremely large learning rate would compute if it converged".
   *
   * @remarks x_min is the least **positive** entry (zero entries of x₀ do not interpolate). Returns `null` when
   * M = ∅. For x₀ drawn from a density positive near 0 (Gaussian, folded Gaussian) E R(A_S) is infinite (App. E.1
   * shows E ⟨1, x₀⟩/x_min = ∞). Cost O(d).
   * @param x0 - the training input, x₀ ≥ 0.
   * @param y0 - the training target.
   * @returns the weights, or `null`.
   * @throws EosLabError `E_BAD_OPTION` for a negative entry of x₀; `E_NONFINITE`/`E_EMPTY` for bad input.
   * @example
   * ```ts
   * import { diagonalNet } from 'eos-lab';
   * diagonalNet.algorithms.sharpness([1, 4], 2); // [√2, 0]
   * ```
   * @since 0.1.0
   */
  sharpness(x0: ArrayLike<number>, y0: number): Float64Array | null {
    return extremeCanonical('diagonalNet.algorithms.sharpness', x0, y0, false);
  },

  /**
   * Minimal risk on M, A_opt(x₀, y₀) = argmin_{w∈M} R(w) ([Conflicting biases, Sec. 3 (iii) and Prop. E.2 (iii)]):
   * w^{⊙2} = Σ^{−1/2}(P⊥_{x_Σ} μ_Σ + y₀ x_Σ/‖x_Σ‖²) with x_Σ = Σ^{−1/2}x₀, μ_Σ = Σ^{−1/2}μ — when that vector is
   * nonnegative; otherwise the least-risk KKT point of (12) without the sharpness bound.
   *
   * @remarks
   * The closed form is evaluated in the equivalent form u = Σ⁻¹μ − ((x₀ᵀΣ⁻¹μ − y₀)/(x₀ᵀΣ⁻¹x₀))·Σ⁻¹x₀ (expand the
   * projection; no matrix square root), by Cholesky. **Gap in the paper:** the proof of Prop. E.2 (iii) minimizes
   * over w̃ = Σ^{1/2}w^{⊙2} ∈ ℝ^d, ignoring w^{⊙2} ≥ 0; when u has a negative entry the formula has no real square
   * root and the true minimizer over M has a smaller support. This function then returns
   * `bestKktPoint(x₀, y₀, 0, { risk })` (η = 0: no sharpness bound), the exact minimizer. Cost O(d³), or the
   * support enumeration of {@link kktPoints} (d ≤ 20) in the fallback.
   * @param x0 - the training input, x₀ ≥ 0.
   * @param y0 - the training target.
   * @param options - the risk (default Lemma E.1's).
   * @returns the nonnegative minimizer, or `null` when M = ∅.
   * @throws EosLabError `E_BAD_OPTION` for a negative entry of x₀ or a malformed risk; `E_DIM_MISMATCH` for a risk of
   *   another dimension; `E_NONFINITE`/`E_EMPTY` for bad input.
   * @example
   * ```ts
   * import { diagonalNet } from 'eos-lab';
   * // Lemma E.1 (Σ = I, μ = 1): u = 1 − νx₀ with ν = (‖x₀‖₁ − y₀)/‖x₀‖₂² = 3/17
   * const w = diagonalNet.algorithms.optimal([1, 4], 2); // w^{⊙2} = (14/17, 5/17)
   * ```
   * @since 0.1.0
   */
  optimal(x0: ArrayLike<number>, y0: number, options?: OptimalAlgorithmOptions): Float64Array | null {
    const fn = 'diagonalNet.algorithms.optimal';
    const { x, y } = nonNegativeInput(fn, x0, y0);
    const o = optionsObject(fn, options, optionKeys<OptimalAlgorithmOptions>({ risk: true }));
    const r = o.risk === undefined ? riskModels.gaussian(x.length) : validateRisk(fn, 'options.risk', o.risk, x.length);
    return optimalUnchecked(fn, x, y, r);
  },
});

function optimalUnchecked(fn: string, x: Float64Array, y: number, r: RiskModel): Float64Array | null {
  const d = x.length;
  let anyPositive = false;
  for (let i = 0; i < d; i++) if (x[i] > 0) anyPositive = true;
  if (y === 0) return new Float64Array(d);
  if (!anyPositive || y < 0) return null;
  const all = Array.from({ length: d }, (_, i) => i);
  const l = new Float64Array(d * d);
  choleskySub(r.covariance, d, all, l); // Σ positive definite (validated by the risk constructors)
  const a = choleskySolveInPlace(l, d, Float64Array.from(r.crossMoment)); // Σ⁻¹μ
  const b = choleskySolveInPlace(l, d, Float64Array.from(x)); // Σ⁻¹x₀
  let xa = 0;
  let xb = 0;
  for (let i = 0; i < d; i++) {
    xa += x[i] * a[i];
    xb += x[i] * b[i];
  }
  const t = (xa - y) / xb;
  const w = new Float64Array(d);
  let closed = true;
  for (let i = 0; i < d; i++) {
    const u = a[i] - t * b[i];
    if (!(u >= 0)) closed = false;
    w[i] = Math.sqrt(Math.max(u, 0));
  }
  if (closed) return w;
  const best = enumerateKktPoints(resolveKkt(fn, x, y, 0, { risk: r }));
  return best.length > 0 ? best[0].w : null;
}

/**
 * Options of {@link expectedRisk}.
 *
 * @since 0.1.0
 */
export interface ExpectedRiskOptions {
  /**
   * Number of training points (x₀, y₀) drawn.
   * @defaultValue 10000
   */
  samples?: number;
  /**
   * Seed of the generator (`rng(seed)`).
   * @defaultValue 0
   */
  seed?: number;
}

/**
 * A seeded Monte-Carlo estimate of an algorithm's expected risk E_{(x₀, y₀)} R(A(x₀, y₀)) over training points
 * drawn with x₀ ≥ 0 ([Conflicting biases, Prop. E.2]: the distribution conditioned on the orthant, Sec. 3 footnote 4), R
 * evaluated exactly by eq. (21).
 *
 * @remarks
 * Draws whose manifold is empty (`algorithm` returns `null`, e.g. y₀ < 0 under Lemma E.1's noise) are counted in
 * `excluded` and left out: the estimate is conditional on M ≠ ∅. **Caveats.** For A_S the expectation is infinite
 * for both built-in distributions (App. E.1), so its estimate grows with `samples` and its standard error is
 * meaningless. **Typo in the paper:** Prop. E.2 (i)–(ii) print E R = ½(σ² + E(Σ_kk y₀²/x_k²) + E(μ_k y₀/x_k));
 * inserting w^{⊙2} = (y₀/x_k)e_k into eq. (21) gives ½(σ² + E(Σ_kk y₀²/x_k²) − 2E(μ_k y₀/x_k)) (same for App.
 * E.1's folded-Gaussian formulas), which is what this estimate converges to. `algorithm` receives a fresh copy of x₀.
 * Cost: `samples` calls of `algorithm` plus O(d²) each.
 * @param algorithm - e.g. `diagonalNet.algorithms.l1`, or `(x, y) => diagonalNet.bestKktPoint(x, y, eta)?.w ?? null`.
 * @param r - a `'gaussian'` or `'folded-gaussian'` risk model (it defines both the draws and R).
 * @param options - number of samples and seed.
 * @returns `{ mean, standardError, samples, excluded }` (`samples` = draws used).
 * @throws EosLabError `E_NOT_SUPPORTED` for a `'moments'` model; `E_BAD_OPTION` for a non-function algorithm, bad
 *   sample count or seed, or an algorithm returning something other than a `Float64Array` of length d or `null`.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * const r = diagonalNet.risk.gaussian(2);
 * const l1 = diagonalNet.expectedRisk(diagonalNet.algorithms.l1, r, { samples: 2000, seed: 1 });
 * const opt = diagonalNet.expectedRisk((x, y) => diagonalNet.algorithms.optimal(x, y), r, { samples: 2000, seed: 1 });
 * // opt.mean < l1.mean
 * ```
 * @since 0.1.0
 */
export function expectedRisk(
  algorithm: TrainingAlgorithm,
  r: RiskModel,
  options?: ExpectedRiskOptions,
): { mean: number; standardError: number; samples: number; excluded: number } {
  const fn = 'diagonalNet.expectedRisk';
  isFunction(fn, 'algorithm', algorithm);
  const m = validateRisk(fn, 'r', r);
  if (m.kind === 'moments') {
    throw new EosLabError('E_NOT_SUPPORTED', fn, { argument: 'r.kind', value: m.kind, expected: "'gaussian' or 'folded-gaussian' (a 'moments' model has no distribution to sample)" });
  }
  const o = optionsObject(fn, options, optionKeys<ExpectedRiskOptions>({ samples: true, seed: true }));
  const samples = integerInRange(fn, 'options.samples', o.samples ?? 10_000, 2);
  const g = createRng(integerInRange(fn, 'options.seed', o.seed ?? 0, -0x80000000, 0x7fffffff));
  const d = m.dim;
  const x = new Float64Array(d);
  const u = new Float64Array(d);
  let n = 0;
  let excluded = 0;
  let mean = 0;
  let m2 = 0;
  for (let k = 0; k < samples; k++) {
    const y = drawUnchecked(m, g, x, true);
    const w = algorithm(Float64Array.from(x), y);
    if (w === null) {
      excluded++;
      continue;
    }
    if (!(w instanceof Float64Array) || w.length !== d) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'algorithm', value: w, expected: `a function returning a Float64Array of length ${d} or null` });
    }
    for (let i = 0; i < d; i++) u[i] = w[i] * w[i];
    const R = riskOfSquares(m, u);
    n++;
    const delta = R - mean;
    mean += delta / n;
    m2 += delta * (R - mean);
  }
  return { mean: n > 0 ? mean : NaN, standardError: n > 1 ? Math.sqrt(m2 / (n - 1) / n) : NaN, samples: n, excluded };
}
