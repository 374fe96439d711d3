/**
 * The network measurements {@link lrSweep} records at every end point with `record.network`: per-layer norms, the
 * nuclear norm of each weight matrix, and the distances to the initialization and to the gradient-flow solution
 * ([Conflicting biases, Figs. 3, 9, 11, 12 and 14]) — flat number arrays, so that `recordsToCsv` writes one cell
 * per quantity.
 *
 * @module
 */
import type { LossModel } from '../../core/loss-model.js';
import { networkMeasures } from '../../measures/network-measures.js';

/** The model kinds whose parameters {@link networkMeasures} splits into layers. @internal */
export const LAYERED_KINDS: readonly string[] = ['mlp', 'cnn'];

/**
 * Per-layer norms at an end point θ of a sweep (a GD run's or the flow's), input side first. Each layer ℓ has
 * weights W_ℓ (a conv kernel [C_out, C_in, k, k] read as the [C_out, C_in·k²] matrix) and biases b_ℓ.
 *
 * @since 0.2.0
 */
export interface LrSweepLayerNorms {
  /** Parameters of each layer (weights and biases): the layer "size" of [Conflicting biases, App. H.12]. */
  readonly layerParameters: number[];
  /** ‖θ_ℓ‖₁ = Σ|W_ℓ,ij| + Σ|b_ℓ,i| per layer (they sum to ‖θ‖₁; Fig. 14). */
  readonly layerNorm1: number[];
  /** ‖θ_ℓ‖₂ = (‖W_ℓ‖_F² + ‖b_ℓ‖₂²)^{1/2} per layer (their squares sum to ‖θ‖₂²; Fig. 14). */
  readonly layerNorm2: number[];
  /** ‖W_ℓ‖_F, weights only. */
  readonly layerFrobenius: number[];
  /** ‖W_ℓ‖_* = Σᵢ σᵢ(W_ℓ) per weight matrix (Figs. 3, 9); NaN for every layer with `record.nuclear: false`. */
  readonly layerNuclear: number[];
  /** ‖θ − θ₀‖₁ and ‖θ − θ₀‖₂: the distance to the initialization (Fig. 12). */
  readonly distanceToInit: { readonly l1: number; readonly l2: number };
}

/**
 * {@link LrSweepLayerNorms} at a GD run's end point, with its distance to the gradient-flow solution θ_GF.
 *
 * @since 0.2.0
 */
export interface LrSweepNetworkMeasures extends LrSweepLayerNorms {
  /** ‖θ − θ_GF‖₁ and ‖θ − θ_GF‖₂ (Fig. 11; the ℓ2 one equals the run's `distanceToFlow`). */
  readonly distanceToFlow: { readonly l1: number; readonly l2: number };
}

/**
 * The measurements at θ (finite). `flowTheta` null: the flow's own end point (no distance to itself). Allocates
 * (one SVD per layer with `nuclear`); called once per run. @internal
 */
export function recordNetwork(model: LossModel, theta: Float64Array, theta0: Float64Array, flowTheta: Float64Array | null, nuclear: boolean): LrSweepNetworkMeasures | LrSweepLayerNorms {
  const references: Record<string, Float64Array> = flowTheta === null ? { init: theta0 } : { init: theta0, flow: flowTheta };
  const m = networkMeasures(model, theta, { references, nuclear });
  const layerNorm2 = m.layers.map((l) => Math.sqrt(l.frobenius * l.frobenius + l.biasNorm * l.biasNorm));
  const norms: LrSweepLayerNorms = {
    layerParameters: m.layers.map((l) => l.parameters),
    layerNorm1: m.layers.map((l) => l.l1),
    layerNorm2,
    layerFrobenius: m.layers.map((l) => l.frobenius),
    layerNuclear: m.layers.map((l) => l.nuclear),
    distanceToInit: { l1: m.distances.init.l1, l2: m.distances.init.l2 },
  };
  return flowTheta === null ? norms : { ...norms, distanceToFlow: { l1: m.distances.flow.l1, l2: m.distances.flow.l2 } };
}
