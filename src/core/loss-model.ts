import type { NdArray } from 'ndarray';

/**
 * A JSON-serializable recipe for a model: `createModel(spec)` rebuilds the same model anywhere (a worker
 * thread, a later session, from a file). `kind` names the registered factory; the other fields are that
 * factory's options.
 *
 * @since 0.1.0
 */
export interface ModelSpec {
  readonly kind: string;
  readonly [option: string]: unknown;
}

/**
 * A training loss L: ℝ^p → ℝ over a flat parameter vector θ (`Float64Array` of length `dim`) with exact
 * derivatives. Every tool in eos-lab (GD, gradient flow, sharpness, sweeps, studies) takes a `LossModel`,
 * so a user's own model plugs into all of them — see the guide "Writing your own LossModel".
 *
 * Contract (checked for the built-in models by the tests, and for yours by `eos-lab/testing`):
 * - `lossAndGrad(θ, g)` returns L(θ) and writes ∇L(θ) into `g`, allocating nothing;
 * - `hvp(θ, v, out)` writes ∇²L(θ) v into `out` exactly (analytically, not by finite differences);
 * - `hessian(θ)`, where present, returns the dense p×p Hessian as a row-major `NdArray`;
 * - no method modifies `theta` or `v`; `out`/`gradOut` must not alias `theta` or `v`;
 * - methods do not validate their inputs (they are kernels): the public tools validate once.
 *
 * @since 0.1.0
 */
export interface LossModel {
  /** The recipe that rebuilds this model with `createModel`. */
  readonly spec: ModelSpec;
  /** Number of parameters p. */
  readonly dim: number;
  /** L(θ). */
  loss(theta: Float64Array): number;
  /** Returns L(θ) and writes ∇L(θ) into `gradOut` (fused, allocation-free). */
  lossAndGrad(theta: Float64Array, gradOut: Float64Array): number;
  /** Writes the exact Hessian-vector product ∇²L(θ) v into `out`. */
  hvp(theta: Float64Array, v: Float64Array, out: Float64Array): void;
  /** Dense p×p Hessian ∇²L(θ), where cheap and exact. */
  hessian?(theta: Float64Array): NdArray<Float64Array>;
  /**
   * Writes the exact third-order contraction ∇³L(θ)[u, v] = ∇_θ(uᵀ ∇²L(θ) v) into `out` (symmetric in u, v).
   * Needed by `sharpnessGradient` and central flows; optional.
   */
  thirdOrder?(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void;
}
