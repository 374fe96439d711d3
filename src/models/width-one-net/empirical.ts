/**
 * The empirical (finite-sample) width-one-net loss of [Minimalist EoS]'s model: n points x ~ N(0, diag(λ₁, λ₂)), y = x₂,
 * drawn with a seeded generator, and the ½·mean squared error of f(x; θ) = α(β₁x₁ + β₂x₂) on them.
 *
 * @module
 */
import type { ModelSpec } from '../../core/loss-model.js';
import { registerBuiltInModel, specKeys } from '../../core/registry.js';
import { rng } from '../../core/rng.js';
import { integerInRange, optionKeys, optionsObject } from '../../core/validate.js';
import { createQuadraticFormModel, resolveVariances, type WidthOneNetModel } from './model.js';

/** Largest sample size accepted (the sampling costs about 40 ns per point). @internal */
export const MAX_SAMPLES = 100_000_000;

/**
 * Options of {@link sampleData} and {@link createEmpirical}.
 *
 * @since 0.1.0
 */
export interface WidthOneNetSampleOptions {
  /**
   * λ₁ > 0: the variance of the irrelevant feature x₁.
   * @defaultValue 1
   */
  varianceIrrelevant?: number;
  /**
   * λ₂ > 0: the variance of the relevant feature x₂ (= y).
   * @defaultValue 0.001
   */
  varianceRelevant?: number;
  /**
   * The number n of sample points, an integer in [2, 10⁸].
   * @defaultValue 1000
   */
  samples?: number;
  /**
   * Seed of the generator `rng(seed)` that draws the points (a 32-bit integer).
   * @defaultValue 0
   */
  seed?: number;
}

/**
 * The sample of {@link sampleData}: the coordinates of the n points and their responses.
 *
 * @since 0.1.0
 */
export interface WidthOneNetSample {
  /** x₁ of each point (irrelevant feature, variance λ₁). */
  readonly x1: Float64Array;
  /** x₂ of each point (relevant feature, variance λ₂). */
  readonly x2: Float64Array;
  /** The responses y = x₂ (a copy of `x2`, for readability of user code). */
  readonly y: Float64Array;
}

/**
 * The JSON-serializable recipe of the empirical model: `createModel(spec)` redraws the same points (same seed) and
 * rebuilds the same model, bit for bit.
 *
 * @since 0.1.0
 */
export interface WidthOneNetEmpiricalSpec extends ModelSpec {
  readonly kind: 'width-one-net-empirical';
  readonly varianceIrrelevant: number;
  readonly varianceRelevant: number;
  readonly samples: number;
  readonly seed: number;
}

/**
 * The empirical width-one-net model: a {@link WidthOneNetModel} whose `spec` records λ₁, λ₂, n and the seed.
 *
 * @since 0.1.0
 */
export interface WidthOneNetEmpiricalModel extends WidthOneNetModel {
  readonly spec: WidthOneNetEmpiricalSpec;
}

interface Resolved {
  lambda1: number;
  lambda2: number;
  samples: number;
  seed: number;
}

function resolve(fn: string, options: WidthOneNetSampleOptions | undefined): Resolved {
  const o = optionsObject(fn, options, optionKeys<WidthOneNetSampleOptions>({ varianceIrrelevant: true, varianceRelevant: true, samples: true, seed: true }));
  const { lambda1, lambda2 } = resolveVariances(fn, o);
  return {
    lambda1,
    lambda2,
    samples: integerInRange(fn, 'options.samples', o.samples ?? 1000, 2, MAX_SAMPLES),
    seed: integerInRange(fn, 'options.seed', o.seed ?? 0, -0x80000000, 0x7fffffff),
  };
}

/**
 * Visits the n points in order: for i = 0, …, n − 1, z₁ = normal(), z₂ = normal() (two consecutive draws of
 * `rng(seed)`), x₁ = √λ₁·z₁, x₂ = √λ₂·z₂.
 */
function forEachPoint(r: Resolved, visit: (i: number, x1: number, x2: number) => void): void {
  const gen = rng(r.seed);
  const s1 = Math.sqrt(r.lambda1);
  const s2 = Math.sqrt(r.lambda2);
  for (let i = 0; i < r.samples; i++) {
    const z1 = gen.normal();
    const z2 = gen.normal();
    visit(i, s1 * z1, s2 * z2);
  }
}

/**
 * Draws the n points of the empirical width-one-net loss: x = (x₁, x₂) ~ N(0, diag(λ₁, λ₂)), y = x₂ ([Minimalist EoS, Sec. 3];
 * docs/math.md §3). The same options give the points {@link createEmpirical} uses.
 *
 * @remarks
 * Sampling order (part of the contract, so other languages can reproduce it): for i = 0, …, n − 1, two consecutive
 * standard-normal draws z₁, z₂ of `rng(seed)` (Box–Muller, see `rng`), then x₁ = √λ₁·z₁ and x₂ = √λ₂·z₂. Cost O(n);
 * allocates three arrays of length n.
 *
 * @param options - λ₁, λ₂, the sample size n and the seed.
 * @returns the coordinates and responses of the n points.
 * @throws EosLabError `E_BAD_OPTION` for a variance that is not > 0, `samples` not an integer in [2, 10⁸] or
 *   `seed` not a 32-bit integer.
 * @example
 * ```ts
 * import { widthOneNet } from 'eos-lab';
 * const { x1, x2, y } = widthOneNet.sampleData({ samples: 5, seed: 7 });
 * console.log(x1.length, y[0] === x2[0]); // 5 true
 * ```
 * @since 0.1.0
 */
export function sampleData(options?: WidthOneNetSampleOptions): WidthOneNetSample {
  const r = resolve('widthOneNet.sampleData', options);
  const x1 = new Float64Array(r.samples);
  const x2 = new Float64Array(r.samples);
  forEachPoint(r, (i, a, b) => {
    x1[i] = a;
    x2[i] = b;
  });
  return { x1, x2, y: Float64Array.from(x2) };
}

/**
 * Creates the empirical loss of the width-one net on n sampled points (x_i, y_i) (the points of {@link sampleData}):
 *
 *   L̂(θ) = (1/(2n)) Σᵢ (α(β₁x_{i1} + β₂x_{i2}) − y_i)² = ½ wᵀΣ̂w,  w = (αβ₁, αβ₂ − 1),  Σ̂ = (1/n) Σᵢ x_i x_iᵀ,
 *
 * because the residual is αβ₁x₁ + (αβ₂ − 1)x₂ when y = x₂. As n → ∞, Σ̂ → diag(λ₁, λ₂) and L̂ → the population loss
 * L(θ) = ½λ₁α²β₁² + ½λ₂(αβ₂ − 1)² of [Minimalist EoS, eq. (3.1)] ({@link create}), with fluctuation
 * sd(L̂ − L) = ½·√((2λ₁²u⁴ + 4λ₁λ₂u²v² + 2λ₂²v⁴)/n) (the three entries of Σ̂ − Σ are uncorrelated for Gaussian x).
 *
 * @remarks
 * **Conventions.** ½·mean, not sum, over the n points (so L̂ and L are on the same scale); Σ̂ is the uncentered
 * second-moment matrix, including the sample cross moment Σ̂₁₂ (nonzero for finite n), which the population loss lacks.
 * Minimizers are the same as the population's (β₁ = 0, αβ₂ = 1) whenever Σ̂ is positive definite, but the Hessian
 * there is JᵀΣ̂J, so `gradientFlowSolution`'s sharpness and the other closed forms of this namespace are for the
 * population model only.
 *
 * **Cost.** Creation draws the n points once (O(n), streaming: the points are not stored) and sums x₁², x₁x₂, x₂²
 * left to right (relative rounding error ≤ n·ε). Afterwards every method is O(1), independent of n — the kernels are
 * those of the population model with Σ̂ in place of diag(λ₁, λ₂) — and allocation-free (except `hessian`). The loss
 * therefore differs from a per-point evaluation of the mean only by rounding. Registered under
 * `'width-one-net-empirical'`: `createModel(model.spec)` redraws the same points.
 *
 * @param options - λ₁, λ₂, the sample size n and the seed.
 * @returns the model, with `dim = 3`, `secondMoments` = Σ̂ and `spec = { kind: 'width-one-net-empirical', … }`.
 * @throws EosLabError `E_BAD_OPTION` for a variance that is not > 0, `samples` not an integer in [2, 10⁸] or
 *   `seed` not a 32-bit integer.
 * @example
 * ```ts
 * import { widthOneNet } from 'eos-lab';
 * const theta = new Float64Array([1.2, 0.1, 0.5]);
 * const population = widthOneNet.create();
 * const sampled = widthOneNet.createEmpirical({ samples: 100_000, seed: 1 });
 * console.log(population.loss(theta), sampled.loss(theta)); // close: the gap shrinks like 1/√n
 * ```
 * @since 0.1.0
 */
export function createEmpirical(options?: WidthOneNetSampleOptions): WidthOneNetEmpiricalModel {
  const r = resolve('widthOneNet.createEmpirical', options);
  let sum11 = 0;
  let sum12 = 0;
  let sum22 = 0;
  forEachPoint(r, (_i, x1, x2) => {
    sum11 += x1 * x1;
    sum12 += x1 * x2;
    sum22 += x2 * x2;
  });
  const n = r.samples;
  const spec: WidthOneNetEmpiricalSpec = Object.freeze({
    kind: 'width-one-net-empirical',
    varianceIrrelevant: r.lambda1,
    varianceRelevant: r.lambda2,
    samples: n,
    seed: r.seed,
  });
  return createQuadraticFormModel(spec, sum11 / n, sum12 / n, sum22 / n) as WidthOneNetEmpiricalModel;
}

registerBuiltInModel('width-one-net-empirical', (spec: ModelSpec) =>
  specKeys(spec, ['varianceIrrelevant', 'varianceRelevant', 'samples', 'seed']) && createEmpirical({
    varianceIrrelevant: spec.varianceIrrelevant as number,
    varianceRelevant: spec.varianceRelevant as number,
    samples: spec.samples as number,
    seed: spec.seed as number,
  }),
);
