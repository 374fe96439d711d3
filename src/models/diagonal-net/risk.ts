/**
 * The population risk of a two-layer shared-weight diagonal network ([Conflicting biases, App. E]): Lemma E.1's isotropic
 * Gaussian model, the general quadratic form of eq. (21), the folded Gaussian of App. E.1, seeded sampling of
 * data points and a Monte-Carlo estimate to check the formulas.
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { rng as createRng, type Rng } from '../../core/rng.js';
import { integerInRange, nonNegativeFinite, optionKeys, optionsObject } from '../../core/validate.js';
import { readVector } from './model.js';
import { choleskySub } from './spd.js';

/**
 * A data distribution D of (x, y) ∈ ℝ^d × ℝ through the moments that define the risk of eq. (21):
 * Σ = E[xxᵀ], μ = E[y x], σ² = E[y²]. Plain frozen data (JSON-serializable after `Array.from` of the arrays).
 *
 * - `'gaussian'`: x ~ N(0, I), y = ⟨1, x⟩ + ε, ε ~ N(0, noise²) independent ([Conflicting biases, Lemma E.1], noise = 1):
 *   Σ = I, μ = 1, σ² = d + noise².
 * - `'folded-gaussian'`: x ~ |N(0, I)|, y = ⟨1, x⟩ (App. E.1): Σᵢᵢ = 1, Σᵢⱼ = 2/π, μᵢ = 1 + 2(d − 1)/π,
 *   σ² = d + 2d(d − 1)/π.
 * - `'moments'`: given moments only (no sampler: Monte-Carlo functions reject it).
 *
 * @since 0.1.0
 */
export interface RiskModel {
  readonly kind: 'gaussian' | 'folded-gaussian' | 'moments';
  /** The input dimension d. */
  readonly dim: number;
  /** Σ = E[xxᵀ], d×d row-major, symmetric positive definite. */
  readonly covariance: Float64Array;
  /** μ = E[y x]. */
  readonly crossMoment: Float64Array;
  /** σ² = E[y²]. */
  readonly secondMoment: number;
  /** Standard deviation of the label noise ε (`'gaussian'` only; 0 otherwise). */
  readonly noise: number;
}

/**
 * Options of `risk.gaussian`.
 *
 * @since 0.1.0
 */
export interface GaussianRiskOptions {
  /**
   * Standard deviation of the label noise ε in y = ⟨1, x⟩ + ε ([Conflicting biases]: 1).
   * @defaultValue 1
   */
  noise?: number;
}

/**
 * Options of `risk.fromMoments`.
 *
 * @since 0.1.0
 */
export interface RiskMomentsOptions {
  /** Σ = E[xxᵀ]: d×d row-major (length d²), symmetric positive definite. Required. */
  covariance: ArrayLike<number>;
  /** μ = E[y x], length d. Required. */
  crossMoment: ArrayLike<number>;
  /** σ² = E[y²] ≥ 0. Required. */
  secondMoment: number;
}

function frozen(kind: RiskModel['kind'], dim: number, covariance: Float64Array, crossMoment: Float64Array, secondMoment: number, noise: number): RiskModel {
  return Object.freeze({ kind, dim, covariance, crossMoment, secondMoment, noise });
}

/**
 * Constructors of {@link RiskModel}s [Conflicting biases, App. E].
 *
 * @since 0.1.0
 */
export const risk = Object.freeze({
  /**
   * Lemma E.1's model: x ~ N(0, I_d), y = ⟨1, x⟩ + ε with ε ~ N(0, noise²) independent; Σ = I, μ = 1,
   * σ² = d + noise², so R(w) = ½‖w‖₄⁴ − ‖w‖₂² + ½(d + noise²) ([Conflicting biases, Lemma E.1] with noise = 1).
   *
   * @param dim - the input dimension d ≥ 1.
   * @param options - the noise level.
   * @returns the frozen risk model.
   * @throws EosLabError `E_BAD_OPTION` for d not an integer ≥ 1 or noise not ≥ 0.
   * @example
   * ```ts
   * import { diagonalNet } from 'eos-lab';
   * const r = diagonalNet.risk.gaussian(2);
   * diagonalNet.riskValue(r, new Float64Array([1, 1])); // ½·2 − 2 + ½·3 = 0.5
   * ```
   * @since 0.1.0
   */
  gaussian(dim: number, options?: GaussianRiskOptions): RiskModel {
    const fn = 'diagonalNet.risk.gaussian';
    const d = integerInRange(fn, 'dim', dim, 1, 4096);
    const o = optionsObject(fn, options, optionKeys<GaussianRiskOptions>({ noise: true }));
    const noise = o.noise === undefined ? 1 : nonNegativeFinite(fn, 'options.noise', o.noise);
    const cov = new Float64Array(d * d);
    for (let i = 0; i < d; i++) cov[i * d + i] = 1;
    return frozen('gaussian', d, cov, new Float64Array(d).fill(1), d + noise * noise, noise);
  },

  /**
   * App. E.1's folded Gaussian: x ~ |N(0, I_d)| (entrywise absolute value), y = ⟨1, x⟩; Σᵢᵢ = 1, Σᵢⱼ = 2/π
   * (i ≠ j), μᵢ = 1 + 2(d − 1)/π, σ² = d + 2d(d − 1)/π [Conflicting biases, App. E.1].
   *
   * @param dim - the input dimension d ≥ 1.
   * @returns the frozen risk model.
   * @throws EosLabError `E_BAD_OPTION` for d not an integer ≥ 1.
   * @example
   * ```ts
   * import { diagonalNet } from 'eos-lab';
   * const r = diagonalNet.risk.foldedGaussian(3); // r.secondMoment = 3 + 12/π
   * ```
   * @since 0.1.0
   */
  foldedGaussian(dim: number): RiskModel {
    const d = integerInRange('diagonalNet.risk.foldedGaussian', 'dim', dim, 1, 4096);
    const cov = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] = i === j ? 1 : 2 / Math.PI;
    const mu = new Float64Array(d).fill(1 + (2 * (d - 1)) / Math.PI);
    return frozen('folded-gaussian', d, cov, mu, d + (2 * d * (d - 1)) / Math.PI, 0);
  },

  /**
   * A risk model from its moments Σ, μ, σ² [Conflicting biases, eq. (21)]; it has no sampler.
   *
   * @param options - covariance (d×d row-major, symmetric positive definite), crossMoment (length d), secondMoment.
   * @returns the frozen risk model (arrays copied).
   * @throws EosLabError `E_DIM_MISMATCH` if covariance is not d×d for d = crossMoment.length; `E_BAD_OPTION` if Σ is
   *   not symmetric (to 1e-12 relative) positive definite or σ² < 0; `E_NONFINITE`/`E_EMPTY` for bad arrays.
   * @example
   * ```ts
   * import { diagonalNet } from 'eos-lab';
   * const r = diagonalNet.risk.fromMoments({ covariance: [1, 0, 0, 1], crossMoment: [1, 1], secondMoment: 3 });
   * // the same risk as diagonalNet.risk.gaussian(2)
   * ```
   * @since 0.1.0
   */
  fromMoments(options: RiskMomentsOptions): RiskModel {
    const fn = 'diagonalNet.risk.fromMoments';
    if (options === undefined) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: undefined, expected: 'an object with covariance, crossMoment and secondMoment' });
    const o = optionsObject(fn, options, optionKeys<RiskMomentsOptions>({ covariance: true, crossMoment: true, secondMoment: true }));
    const mu = readVector(fn, 'options.crossMoment', o.crossMoment);
    const d = mu.length;
    const cov = readVector(fn, 'options.covariance', o.covariance, d * d);
    const sigma2 = nonNegativeFinite(fn, 'options.secondMoment', o.secondMoment);
    let scale = 0;
    for (let i = 0; i < d * d; i++) scale = Math.max(scale, Math.abs(cov[i]));
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        if (Math.abs(cov[i * d + j] - cov[j * d + i]) > 1e-12 * scale) {
          throw new EosLabError('E_BAD_OPTION', fn, { argument: `options.covariance[${i * d + j}]`, value: cov[i * d + j], expected: `equal to covariance[${j * d + i}] = ${cov[j * d + i]} (Σ is symmetric)` });
        }
      }
    }
    const all = Array.from({ length: d }, (_, i) => i);
    if (!choleskySub(cov, d, all, new Float64Array(d * d))) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.covariance', value: o.covariance, expected: 'a symmetric positive definite matrix (Cholesky failed)' });
    }
    return frozen('moments', d, cov, mu, sigma2, 0);
  },
});

/** @internal Validates a RiskModel handed to a public function (it may have been written by hand). */
export function validateRisk(fn: string, argument: string, r: unknown, dim?: number): RiskModel {
  const m = r as Partial<RiskModel> | null;
  if (m === null || typeof m !== 'object' || !(m.covariance instanceof Float64Array) || !(m.crossMoment instanceof Float64Array) || typeof m.secondMoment !== 'number') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: r, expected: 'a RiskModel from diagonalNet.risk.gaussian, .foldedGaussian or .fromMoments' });
  }
  const d = m.crossMoment.length;
  if (m.covariance.length !== d * d || m.dim !== d) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.covariance.length`, value: m.covariance.length, expected: `${d * d} (d = ${d})` });
  }
  if (dim !== undefined && d !== dim) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.dim`, value: d, expected: `${dim} (the length of the data point)` });
  }
  return m as RiskModel;
}

/** @internal R(w) of eq. (21) on u = w^{⊙2} (no validation). */
export function riskOfSquares(r: RiskModel, u: Float64Array): number {
  const d = r.dim;
  const S = r.covariance;
  let quad = 0;
  let lin = 0;
  for (let i = 0; i < d; i++) {
    let si = 0;
    for (let j = 0; j < d; j++) si += S[i * d + j] * u[j];
    quad += u[i] * si;
    lin += r.crossMoment[i] * u[i];
  }
  return 0.5 * (quad - 2 * lin + r.secondMoment);
}

/**
 * The population risk of the two-layer shared-weight network φ_w(z) = ⟨w^{⊙2}, z⟩ under the square loss
 * ([Conflicting biases, eq. (21)]): R(w) = E L(w) = ½((w^{⊙2})ᵀ Σ w^{⊙2} − 2μᵀw^{⊙2} + σ²).
 *
 * @remarks For `risk.gaussian(d)` this is Lemma E.1's ½‖w‖₄⁴ − ‖w‖₂² + ½(d + 1) ({@link gaussianRisk}). The
 * ½ follows the loss ½(⟨x, w^{⊙2}⟩ − y)² of eq. (4). Cost O(d²).
 * @param r - the risk model (Σ, μ, σ²).
 * @param w - the weights, length d.
 * @returns R(w).
 * @throws EosLabError `E_BAD_OPTION` for a malformed risk model; `E_DIM_MISMATCH`, `E_NONFINITE`, `E_EMPTY` for bad w.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * const r = diagonalNet.risk.foldedGaussian(2);
 * diagonalNet.riskValue(r, new Float64Array([0, 0])); // σ²/2 = (2 + 4/π)/2
 * ```
 * @since 0.1.0
 */
export function riskValue(r: RiskModel, w: ArrayLike<number>): number {
  const fn = 'diagonalNet.riskValue';
  const m = validateRisk(fn, 'r', r);
  const wv = readVector(fn, 'w', w, m.dim);
  const u = new Float64Array(m.dim);
  for (let i = 0; i < m.dim; i++) u[i] = wv[i] * wv[i];
  return riskOfSquares(m, u);
}

/**
 * Lemma E.1's closed form of the risk for x ~ N(0, I), y = ⟨1, x⟩ + ε, ε ~ N(0, 1):
 * R(w) = ½‖w‖₄⁴ − ‖w‖₂² + ½(d + 1) [Conflicting biases, Lemma E.1].
 *
 * @remarks Equal to `riskValue(risk.gaussian(d), w)` (eq. (21) with Σ = I, μ = 1, σ² = d + 1). Cost O(d).
 * @param w - the weights.
 * @returns R(w).
 * @throws EosLabError `E_NONFINITE`/`E_EMPTY` for bad w.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * diagonalNet.gaussianRisk(new Float64Array([1, 1])); // ½·2 − 2 + 3/2 = 0.5
 * ```
 * @since 0.1.0
 */
export function gaussianRisk(w: ArrayLike<number>): number {
  const wv = readVector('diagonalNet.gaussianRisk', 'w', w);
  let q4 = 0;
  let q2 = 0;
  for (let i = 0; i < wv.length; i++) {
    const s = wv[i] * wv[i];
    q2 += s;
    q4 += s * s;
  }
  return 0.5 * q4 - q2 + 0.5 * (wv.length + 1);
}

/**
 * Options of {@link drawDataPoint}.
 *
 * @since 0.1.0
 */
export interface DrawDataPointOptions {
  /**
   * Draw from the conditional distribution given x ≥ 0 entrywise, as [Conflicting biases] does for the training point
   * (x₀, y₀) (Sec. 3, footnote 4): for `'gaussian'` this takes xᵢ = |zᵢ|; `'folded-gaussian'` is nonnegative anyway.
   * @defaultValue false
   */
  nonNegative?: boolean;
}

/**
 * Draws one data point (x, y) from a risk model's distribution: writes x into `xOut` and returns y.
 *
 * @remarks Order of draws (for reproducibility): d normals for x, then (for `'gaussian'`) one normal for ε. With
 * `nonNegative` the Gaussian inputs are folded (|zᵢ|), which is exactly conditioning N(0, I) on the orthant
 * x ≥ 0 (independent symmetric coordinates). Allocation-free.
 * @param r - a `'gaussian'` or `'folded-gaussian'` risk model.
 * @param generator - a seeded generator from `rng(seed)`.
 * @param xOut - receives x (length d).
 * @param options - conditioning on x ≥ 0.
 * @returns y.
 * @throws EosLabError `E_NOT_SUPPORTED` for a `'moments'` model (no distribution to sample); `E_DIM_MISMATCH` for
 *   `xOut` of the wrong length; `E_BAD_OPTION` for a bad generator.
 * @example
 * ```ts
 * import { diagonalNet, rng } from 'eos-lab';
 * const x = new Float64Array(2);
 * const y = diagonalNet.drawDataPoint(diagonalNet.risk.gaussian(2), rng(1), x, { nonNegative: true });
 * ```
 * @since 0.1.0
 */
export function drawDataPoint(r: RiskModel, generator: Rng, xOut: Float64Array, options?: DrawDataPointOptions): number {
  const fn = 'diagonalNet.drawDataPoint';
  const m = validateRisk(fn, 'r', r);
  if (m.kind === 'moments') {
    throw new EosLabError('E_NOT_SUPPORTED', fn, { argument: 'r.kind', value: m.kind, expected: "'gaussian' or 'folded-gaussian' (a 'moments' model has no distribution to sample)" });
  }
  if (generator === null || typeof generator !== 'object' || typeof generator.normal !== 'function') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'generator', value: generator, expected: 'a generator from rng(seed)' });
  }
  if (!(xOut instanceof Float64Array) || xOut.length !== m.dim) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'xOut', value: xOut, expected: `a Float64Array of length ${m.dim}` });
  }
  const o = optionsObject(fn, options, optionKeys<DrawDataPointOptions>({ nonNegative: true }));
  return drawUnchecked(m, generator, xOut, o.nonNegative === true);
}

/** @internal {@link drawDataPoint} without validation. */
export function drawUnchecked(m: RiskModel, g: Rng, xOut: Float64Array, nonNegative: boolean): number {
  let y = 0;
  const fold = nonNegative || m.kind === 'folded-gaussian';
  for (let i = 0; i < m.dim; i++) {
    const z = g.normal();
    const xi = fold ? Math.abs(z) : z;
    xOut[i] = xi;
    y += xi;
  }
  if (m.kind === 'gaussian') y += m.noise * g.normal();
  return y;
}

/**
 * Options of {@link monteCarloRisk}.
 *
 * @since 0.1.0
 */
export interface MonteCarloRiskOptions {
  /**
   * Number of draws.
   * @defaultValue 100000
   */
  samples?: number;
  /**
   * Seed of the generator (`rng(seed)`).
   * @defaultValue 0
   */
  seed?: number;
}

/**
 * A seeded Monte-Carlo estimate of the risk R(w) = E ½(⟨x, w^{⊙2}⟩ − y)² over the model's (unconditioned)
 * distribution, with its standard error — the independent check of eq. (21) and Lemma E.1.
 *
 * @remarks The mean of N independent losses and the standard error s/√N (s the sample standard deviation,
 * Welford's update). Cost O(N·d); allocation O(d).
 * @param r - a `'gaussian'` or `'folded-gaussian'` risk model.
 * @param w - the weights, length d.
 * @param options - number of samples and seed.
 * @returns `{ mean, standardError, samples }`.
 * @throws EosLabError `E_NOT_SUPPORTED` for a `'moments'` model; `E_BAD_OPTION` for a bad sample count or seed;
 *   `E_DIM_MISMATCH`/`E_NONFINITE` for bad w.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * const w = new Float64Array([0.9, 0.5]);
 * const mc = diagonalNet.monteCarloRisk(diagonalNet.risk.gaussian(2), w, { samples: 20000, seed: 7 });
 * // |mc.mean − diagonalNet.gaussianRisk(w)| is a few mc.standardError at most
 * ```
 * @since 0.1.0
 */
export function monteCarloRisk(r: RiskModel, w: ArrayLike<number>, options?: MonteCarloRiskOptions): { mean: number; standardError: number; samples: number } {
  const fn = 'diagonalNet.monteCarloRisk';
  const m = validateRisk(fn, 'r', r);
  if (m.kind === 'moments') {
    throw new EosLabError('E_NOT_SUPPORTED', fn, { argument: 'r.kind', value: m.kind, expected: "'gaussian' or 'folded-gaussian' (a 'moments' model has no distribution to sample)" });
  }
  const wv = readVector(fn, 'w', w, m.dim);
  const o = optionsObject(fn, options, optionKeys<MonteCarloRiskOptions>({ samples: true, seed: true }));
  const samples = integerInRange(fn, 'options.samples', o.samples ?? 100_000, 2);
  const g = createRng(integerInRange(fn, 'options.seed', o.seed ?? 0, -0x80000000, 0x7fffffff));
  const x = new Float64Array(m.dim);
  let mean = 0;
  let m2 = 0;
  for (let k = 1; k <= samples; k++) {
    const y = drawUnchecked(m, g, x, false);
    let p = 0;
    for (let i = 0; i < m.dim; i++) p += x[i] * wv[i] * wv[i];
    const loss = 0.5 * (p - y) * (p - y);
    const delta = loss - mean;
    mean += delta / k;
    m2 += delta * (loss - mean);
  }
  return { mean, standardError: Math.sqrt(m2 / (samples - 1) / samples), samples };
}
