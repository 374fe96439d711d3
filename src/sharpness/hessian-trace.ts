/**
 * The trace of the Hessian by Hutchinson's estimator with Rademacher probes [Hutchinson 1989], as PyHessian's
 * `trace` [PyHessian].
 *
 * @module
 */
import type { LossModel } from '../core/loss-model.js';
import { rng } from '../core/rng.js';
import { finiteVector, integerInRange, optionsObject } from '../core/validate.js';
import { validateLossModel } from '../linalg/operator.js';

/**
 * Options of {@link hessianTrace}.
 * @since 0.2.0
 */
export interface HessianTraceOptions {
  /**
   * Number N ≥ 2 of Rademacher probes (one HVP each); the standard error falls like 1/√N.
   * @defaultValue 100
   * @since 0.2.0
   */
  probes?: number;
  /**
   * Seed of the probes (`rng(seed)`); the same seed gives the same probes and a bit-identical estimate.
   * @defaultValue 0
   * @since 0.2.0
   */
  seed?: number;
}

/**
 * Result of {@link hessianTrace}.
 * @since 0.2.0
 */
export interface HessianTraceEstimate {
  /** The estimate T̂ = (1/N) Σⱼ zⱼᵀ ∇²L(θ) zⱼ of tr ∇²L(θ) (the sum of all eigenvalues, not their mean). */
  readonly estimate: number;
  /** Its standard error s/√N, s² the sample variance (divisor N − 1) of the zⱼᵀHzⱼ. */
  readonly standardError: number;
  /** The N single-probe values zⱼᵀHzⱼ, in probe order. */
  readonly samples: Float64Array;
  /** Hessian-vector products used (= N). */
  readonly hvps: number;
}

const ALLOWED = ['probes', 'seed'] as const;

/**
 * Fills `z` with independent Rademacher entries ±1 (each with probability ½) drawn from `r`.
 * @internal
 */
export function fillRademacher(r: ReturnType<typeof rng>, z: Float64Array): Float64Array {
  for (let i = 0; i < z.length; i++) z[i] = r.uniform() < 0.5 ? -1 : 1;
  return z;
}

/**
 * Hutchinson's estimate of the Hessian trace, tr ∇²L(θ) = Σᵢ λᵢ ≈ (1/N) Σⱼ zⱼᵀ ∇²L(θ) zⱼ with Rademacher
 * probes zⱼ ∈ {−1, +1}^p [Hutchinson 1989], and its standard error.
 *
 * @remarks
 * Each term is unbiased, E[zᵀHz] = tr H, with variance 2 Σ_{i≠j} H_ij² = 2(‖H‖_F² − Σᵢ H_ii²) — the smallest
 * of all probe distributions with i.i.d. zero-mean unit-variance entries, and zero for a diagonal H. The standard
 * error s/√N estimates the spread of the estimate; for N ≳ 30 an interval of ±2 standard errors holds the
 * trace about 95% of the time. Convention: the trace is the sum of the eigenvalues (not the mean); divide by
 * p for the mean eigenvalue. Probes come from `rng(seed)`, drawn in order, entry by entry.
 *
 * Cost: N Hessian-vector products and O(N·p) flops; allocates two p-vectors and the N samples.
 *
 * @param model - any {@link LossModel}.
 * @param theta - the point θ (finite, length `model.dim`; not modified).
 * @param options - probes, seed.
 * @returns `{ estimate, standardError, samples, hvps }`.
 * @throws EosLabError `E_BAD_OPTION` for a non-model, probes not an integer ≥ 2, a bad seed or an unknown option;
 *   `E_DIM_MISMATCH` / `E_NONFINITE` for a bad θ.
 * @example
 * ```ts
 * import { hessianTrace, scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create(); // at (x, y) = (2, 0.5): eigenvalues 4.25 and 0, trace 4.25
 * const t = hessianTrace(model, new Float64Array([2, 0.5]), { probes: 200, seed: 1 });
 * console.log(t.estimate, '±', t.standardError); // 4.03 ± 0.14 (single-probe variance 2·2·1² = 4)
 * ```
 * @see {@link spectralDensity}, {@link topEigenpairs}
 * @since 0.2.0
 */
export function hessianTrace(model: LossModel, theta: Float64Array, options?: HessianTraceOptions): HessianTraceEstimate {
  const fn = 'hessianTrace';
  validateLossModel(fn, 'model', model);
  const o = optionsObject(fn, options, ALLOWED);
  finiteVector(fn, 'theta', theta, model.dim);
  const probes = o.probes === undefined ? 100 : integerInRange(fn, 'options.probes', o.probes, 2);
  const seed = o.seed === undefined ? 0 : integerInRange(fn, 'options.seed', o.seed, -0x80000000, 0x7fffffff);

  const p = model.dim;
  const r = rng(seed);
  const z = new Float64Array(p);
  const hz = new Float64Array(p);
  const samples = new Float64Array(probes);
  for (let j = 0; j < probes; j++) {
    fillRademacher(r, z);
    model.hvp(theta, z, hz);
    let s = 0;
    for (let i = 0; i < p; i++) s += z[i] * hz[i];
    samples[j] = s;
  }
  // Mean and variance by Welford's recurrence (stable when the samples are large and close together).
  let mean = 0;
  let m2 = 0;
  for (let j = 0; j < probes; j++) {
    const d = samples[j] - mean;
    mean += d / (j + 1);
    m2 += d * (samples[j] - mean);
  }
  const variance = m2 / (probes - 1);
  return { estimate: mean, standardError: Math.sqrt(variance / probes), samples, hvps: probes };
}
