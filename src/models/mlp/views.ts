/**
 * Per-layer `ndarray` views into an MLP's flat parameter vector θ.
 *
 * @module
 */
import ndarray, { type NdArray } from 'ndarray';
import { EosLabError } from '../../core/errors.js';
import { layerSlots, validateLayers } from './layout.js';

/**
 * One layer's parameters as views into θ (see {@link views}).
 *
 * @since 0.1.0
 */
export interface MlpLayerView {
  /** W_ℓ, shape [n_ℓ, n_{ℓ−1}] (outputs × inputs), row-major; W_ℓ.get(i, j) = θ[weightOffset + i·n_{ℓ−1} + j]. */
  readonly weight: NdArray<Float64Array>;
  /** b_ℓ, shape [n_ℓ]. */
  readonly bias: NdArray<Float64Array>;
}

/**
 * Views of each layer's weight matrix and bias vector inside θ — no copies: writing through a view changes θ.
 *
 * Layout of θ: for ℓ = 1, …, L, W_ℓ ∈ ℝ^{n_ℓ × n_{ℓ−1}} row-major (entry (i, j) connects input j to output i, as
 * PyTorch's `nn.Linear.weight`), then b_ℓ ∈ ℝ^{n_ℓ}; p = Σ_ℓ n_ℓ(n_{ℓ−1} + 1). The layer computes
 * z_ℓ = W_ℓ a_{ℓ−1} + b_ℓ.
 *
 * @remarks
 * Cost: two small view objects per layer (allocation is fine here: call it outside hot loops). `spec` may be an
 * MLP spec, a model, or any object with `layers`.
 *
 * @param spec - an object with the widths `layers` = [d, h₁, …, k].
 * @param theta - θ, of length p.
 * @returns one `{ weight, bias }` per layer, input side first.
 * @throws EosLabError `E_BAD_OPTION` for bad widths or a `theta` that is not a `Float64Array`; `E_DIM_MISMATCH`
 *   if its length is not p.
 * @example
 * ```ts
 * import { mlp } from 'eos-lab';
 * const spec = { layers: [3, 2, 1] };
 * const theta = mlp.init(spec, { seed: 0 });
 * const [first, second] = mlp.views(spec, theta);
 * console.log(first.weight.shape, first.bias.shape, second.weight.shape); // [2, 3] [2] [1, 2]
 * first.bias.set(0, 0.5); // writes θ[6]
 * ```
 * @since 0.1.0
 */
export function views(spec: { readonly layers: readonly number[] }, theta: Float64Array): MlpLayerView[] {
  const fn = 'mlp.views';
  if (spec === null || typeof spec !== 'object') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'spec', value: spec, expected: 'an object with the widths `layers` (an MLP spec or model)' });
  }
  const layers = validateLayers(fn, 'spec.layers', spec.layers);
  const { slots, dim } = layerSlots(layers);
  if (!(theta instanceof Float64Array)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'theta', value: theta, expected: 'a Float64Array' });
  }
  if (theta.length !== dim) {
    throw new EosLabError('E_DIM_MISMATCH', fn, {
      argument: 'theta.length',
      value: theta.length,
      expected: `${dim} (the parameter count of layers [${layers.join(', ')}])`,
    });
  }
  return slots.map(({ fanIn, fanOut, weightOffset, biasOffset }) => ({
    weight: ndarray(theta, [fanOut, fanIn], [fanIn, 1], weightOffset),
    bias: ndarray(theta, [fanOut], [1], biasOffset),
  }));
}
