/**
 * The MLP loss written with the `autodiff` operations: the same network, loss and parameter layout as
 * `network.ts`, from which `fromFunction` derives the third-order term ∇³L(θ)[u, v] of the MLP model (and which
 * the tests compare with the hand-written backpropagation and R-operator).
 *
 * @module
 * @internal
 */
import type { Tensor } from '../../autodiff/tensor.js';
import { add, constant, div, matmul, mul, pow, relu, reshape, slice, softmaxCrossEntropy, sub, sum, tanh, transpose } from '../../autodiff/ops.js';
import { layerSlots } from './layout.js';
import type { MlpActivation, MlpLoss } from './network.js';

/**
 * The loss of an MLP as a function for `fromFunction`: z_ℓ = a_{ℓ−1}W_ℓᵀ + b_ℓ (examples as rows), a_ℓ = σ(z_ℓ)
 * below the output layer; MSE (1/(2n)) Σᵢ ‖fᵢ − yᵢ‖² or cross-entropy (1/n) Σᵢ Σ_c y_ic (lse(fᵢ) − f_ic), the latter
 * with `softmaxCrossEntropy` (cancellation-free at saturated logits, like the hand-written kernels).
 * `inputs` is [n, d] and `targets` [n, k], row-major (copied when recorded). @internal
 */
export function mlpLossFunction(
  layers: readonly number[],
  activation: MlpActivation,
  lossKind: MlpLoss,
  inputs: Float64Array,
  targets: Float64Array,
  examples: number,
): (w: Tensor) => Tensor {
  const { slots } = layerSlots(layers);
  const n = examples;
  const k = layers[layers.length - 1];
  return (w) => {
    let a: Tensor = constant(inputs, [n, layers[0]]);
    slots.forEach(({ fanIn, fanOut, weightOffset, biasOffset }, l) => {
      const W = reshape(slice(w, weightOffset, weightOffset + fanOut * fanIn), [fanOut, fanIn]);
      const bias = slice(w, biasOffset, biasOffset + fanOut);
      const z = add(matmul(a, transpose(W)), bias);
      a = l + 1 === slots.length || activation === 'identity' ? z : activation === 'tanh' ? tanh(z) : relu(z);
    });
    const Y = constant(targets, [n, k]);
    if (lossKind === 'mse') return div(mul(0.5, sum(pow(sub(a, Y), 2))), n);
    // The fused operation: its derivatives of every order stay accurate when the softmax saturates.
    return div(sum(softmaxCrossEntropy(a, Y, 1)), n);
  };
}
