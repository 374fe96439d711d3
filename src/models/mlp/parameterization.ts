/**
 * Parameterizations of an MLP's forward pass: standard, kernel (NTK) and μP, as forward multipliers on the weight
 * matrices ([Conflicting biases, App. H.7]).
 *
 * A parameterization multiplies layer ℓ's weights by a constant c_ℓ in the forward pass,
 * z_ℓ = c_ℓ W_ℓ a_{ℓ−1} + b_ℓ. With C the diagonal matrix holding c_ℓ on W_ℓ's entries and 1 on the biases, the loss
 * is L(θ) = L_std(Cθ), so ∇L(θ) = C ∇L_std(Cθ) and ∇²L(θ) v = C ∇²L_std(Cθ) (C v): the kernels below evaluate the
 * standard network at Cθ and rescale — exact, and allocation-free (two scratch vectors of length p).
 *
 * @module
 * @internal
 */
import { layerSlots } from './layout.js';
import type { MlpNetwork } from './network.js';

/**
 * Forward parameterization of an MLP: `'standard'` (c_ℓ = 1, PyTorch's `nn.Linear`), `'ntk'` (kernel
 * parameterization, c_ℓ = 1/√n_{ℓ−1} on every layer) or `'mup'` (c_ℓ = 1/√n_{ℓ−1} on the hidden layers and
 * c_L = 1/n_{L−1} on the output layer); biases are not rescaled.
 *
 * @since 0.2.0
 */
export type MlpParameterization = 'standard' | 'ntk' | 'mup';

/**
 * The forward multipliers c_ℓ, ℓ = 1, …, L, of the weight matrices for the widths [n₀, …, n_L]:
 * standard c_ℓ = 1; ntk c_ℓ = 1/√n_{ℓ−1}; mup c_ℓ = 1/√n_{ℓ−1} for ℓ < L and c_L = 1/n_{L−1}. @internal
 */
export function weightMultipliers(layers: readonly number[], parameterization: MlpParameterization): number[] {
  const L = layers.length - 1;
  return Array.from({ length: L }, (_, i) => {
    if (parameterization === 'standard') return 1;
    const fanIn = layers[i];
    if (parameterization === 'mup' && i === L - 1) return 1 / fanIn;
    return 1 / Math.sqrt(fanIn);
  });
}

/** The diagonal of C: c_ℓ on W_ℓ's entries, 1 on the biases. @internal */
export function multiplierVector(layers: readonly number[], parameterization: MlpParameterization): Float64Array {
  const { slots, dim } = layerSlots(layers);
  const c = weightMultipliers(layers, parameterization);
  const out = new Float64Array(dim).fill(1);
  slots.forEach((s, l) => out.fill(c[l], s.weightOffset, s.biasOffset));
  return out;
}

/**
 * Wraps the standard network's kernels as L(θ) = L_std(Cθ): loss and outputs at Cθ, gradient C∇L_std(Cθ), HVP
 * C ∇²L_std(Cθ) C v. Returns `net` itself for `'standard'`. Scratch: two vectors of length p (one model object must
 * not be used re-entrantly, as for the network itself). @internal
 */
export function parameterized(net: MlpNetwork, parameterization: MlpParameterization): MlpNetwork {
  if (parameterization === 'standard') return net;
  const c = multiplierVector(net.layers, parameterization);
  const p = net.dim;
  const scaledTheta = new Float64Array(p);
  const scaledV = new Float64Array(p);
  const scale = (x: Float64Array, out: Float64Array): Float64Array => {
    for (let i = 0; i < p; i++) out[i] = c[i] * x[i];
    return out;
  };
  return {
    layers: net.layers,
    slots: net.slots,
    dim: p,
    examples: net.examples,
    loss: (theta) => net.loss(scale(theta, scaledTheta)),
    lossAndGrad(theta, gradOut) {
      const value = net.lossAndGrad(scale(theta, scaledTheta), gradOut);
      for (let i = 0; i < p; i++) gradOut[i] *= c[i];
      return value;
    },
    hvp(theta, v, out) {
      net.hvp(scale(theta, scaledTheta), scale(v, scaledV), out);
      for (let i = 0; i < p; i++) out[i] *= c[i];
    },
    outputs: (theta, out) => net.outputs(scale(theta, scaledTheta), out),
  };
}
