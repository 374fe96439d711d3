/**
 * Where each layer's weights and biases live inside the flat parameter vector θ of an MLP.
 *
 * Layout (documented in `docs/mlp.md` and {@link views}): for ℓ = 1, …, L in order, the weight matrix W_ℓ of
 * shape [n_ℓ, n_{ℓ−1}] in row-major order (W_ℓ[i, j] connects input j to output i, as PyTorch's
 * `Linear.weight`), then the bias b_ℓ of length n_ℓ. So p = Σ_ℓ n_ℓ (n_{ℓ−1} + 1).
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';

/** Offsets of one layer's parameters inside θ. @internal */
export interface LayerSlot {
  /** Input width n_{ℓ−1}. */
  readonly fanIn: number;
  /** Output width n_ℓ. */
  readonly fanOut: number;
  /** Index of W_ℓ[0, 0] in θ (row-major [fanOut, fanIn]). */
  readonly weightOffset: number;
  /** Index of b_ℓ[0] in θ (= weightOffset + fanOut·fanIn). */
  readonly biasOffset: number;
}

/** The layer slots and the total parameter count p of the widths `layers` = [n₀, n₁, …, n_L]. @internal */
export function layerSlots(layers: readonly number[]): { slots: LayerSlot[]; dim: number } {
  const slots: LayerSlot[] = [];
  let offset = 0;
  for (let l = 1; l < layers.length; l++) {
    const fanIn = layers[l - 1];
    const fanOut = layers[l];
    slots.push({ fanIn, fanOut, weightOffset: offset, biasOffset: offset + fanOut * fanIn });
    offset += fanOut * (fanIn + 1);
  }
  return { slots, dim: offset };
}

/**
 * Checks the widths `layers` = [d, h₁, …, k]: an array of at least two integers ≥ 1 whose parameter count
 * p fits a typed array. Returns a frozen copy. @internal
 */
export function validateLayers(fn: string, argument: string, layers: unknown): readonly number[] {
  if (!Array.isArray(layers) || layers.length < 2) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument,
      value: layers,
      expected: 'an array [d, h₁, …, k] of at least two layer widths (input and output)',
    });
  }
  for (let i = 0; i < layers.length; i++) {
    const w = layers[i];
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 1) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}[${i}]`, value: w, expected: 'an integer >= 1' });
    }
  }
  const widths = Object.freeze(layers.slice() as number[]);
  const { dim } = layerSlots(widths);
  if (dim > 2 ** 30) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument,
      value: widths,
      expected: `widths with at most 2³⁰ parameters in total (these have ${dim})`,
    });
  }
  return widths;
}
