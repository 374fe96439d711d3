/**
 * The built-in models' losses re-expressed with `autodiff` (written from their formulas, not from their kernels):
 * the tests compare the derivatives `fromFunction` computes for these with the hand-written ones.
 */
import { fromFunction, type FunctionModel } from '../../src/autodiff/from-function.js';
import { add, div, matmul, matvec, mean, mul, pow, relu, reshape, slice, softmaxCrossEntropy, sub, sum, tanh } from '../../src/autodiff/ops.js';
import type { Tensor } from '../../src/autodiff/tensor.js';
import type { CnnLayout } from '../../src/models/cnn/layout.js';

/** L(w) = ½(c − ∏ᵢ wᵢ)², any depth D (product of the D one-entry slices, left to right). */
export function scalarFactorization(depth: number, target: number): FunctionModel {
  return fromFunction(depth, (w) => {
    let prod: Tensor = slice(w, 0, 1);
    for (let i = 1; i < depth; i++) prod = mul(prod, slice(w, i, i + 1));
    return mul(0.5, pow(sub(target, prod), 2));
  });
}

/** L = 1/(2n) Σᵢ (⟨xᵢ, β⟩ − yᵢ)², β = w^{⊙L} ('shared') or u^{⊙L} − v^{⊙L} ('difference'). */
export function diagonalNet(inputs: number[][], targets: number[], depth: number, parametrization: 'shared' | 'difference'): FunctionModel {
  const d = inputs[0].length;
  const dim = parametrization === 'shared' ? d : 2 * d;
  return fromFunction(dim, (w) => {
    const beta = parametrization === 'shared' ? pow(w, depth) : sub(pow(slice(w, 0, d), depth), pow(slice(w, d, 2 * d), depth));
    return mul(0.5, mean(pow(sub(matvec(inputs, beta), targets), 2)));
  });
}

/** L(α, β₁, β₂) = ½ wᵀΣw with w = (αβ₁, αβ₂ − 1) and Σ = [[s11, s12], [s12, s22]]. */
export function widthOneNet(s11: number, s12: number, s22: number): FunctionModel {
  return fromFunction(3, (w) => {
    const alpha = slice(w, 0, 1);
    const u = mul(alpha, slice(w, 1, 2));
    const v = sub(mul(alpha, slice(w, 2, 3)), 1);
    const r1 = add(mul(s11, u), mul(s12, v));
    const r2 = add(mul(s12, u), mul(s22, v));
    return add(mul(0.5, mul(u, r1)), mul(0.5, mul(v, r2)));
  });
}


/**
 * The CNN (conv layers k × k, stride 1, valid padding, each followed by σ; 2 × 2 average pooling, floor; dense head)
 * from its definition, with constant matrices: each convolution is K_ℓ [C_out, C_in·k²] times the patch matrix
 * [C_in·k², H_out·W_out], whose entries a selection matrix picks from the flattened input (im2col as a product);
 * the pooling is a matrix of ¼s. Loss: MSE (1/(2n)) Σᵢ ‖fᵢ − yᵢ‖² or cross-entropy (1/n) Σᵢ Σ_c y_ic (lse(fᵢ) − f_ic)
 * (`softmaxCrossEntropy`, the fused operation).
 */
export function cnn(layout: CnnLayout, activation: 'tanh' | 'relu' | 'identity', loss: 'mse' | 'cross-entropy', inputs: number[][], targets: number[][]): FunctionModel {
  const k = layout.kernelSize;
  const selections = layout.conv.map((s) => {
    const rows: number[][] = [];
    for (let c = 0; c < s.inChannels; c++)
      for (let u = 0; u < k; u++)
        for (let v = 0; v < k; v++)
          for (let i = 0; i < s.outHeight; i++)
            for (let j = 0; j < s.outWidth; j++) {
              const row = new Array<number>(s.inChannels * s.inHeight * s.inWidth).fill(0);
              row[(c * s.inHeight + i + u) * s.inWidth + j + v] = 1;
              rows.push(row);
            }
    return rows;
  });
  const last = layout.conv[layout.conv.length - 1];
  const pooling: number[][] = [];
  for (let o = 0; o < last.outChannels; o++)
    for (let i = 0; i < layout.pooledHeight; i++)
      for (let j = 0; j < layout.pooledWidth; j++) {
        const row = new Array<number>(last.outChannels * last.outHeight * last.outWidth).fill(0);
        for (const [du, dv] of [[0, 0], [0, 1], [1, 0], [1, 1]]) row[(o * last.outHeight + 2 * i + du) * last.outWidth + 2 * j + dv] = 0.25;
        pooling.push(row);
      }
  const K = layout.outputs;
  return fromFunction(layout.dim, (w) => {
    let total: Tensor | undefined;
    inputs.forEach((x, n) => {
      let a: Tensor | number[] = x;
      layout.conv.forEach((s, l) => {
        const patches = reshape(matvec(selections[l], a), [s.inChannels * k * k, s.outHeight * s.outWidth]);
        const kernel = reshape(slice(w, s.weightOffset, s.biasOffset), [s.outChannels, s.inChannels * k * k]);
        const z = add(matmul(kernel, patches), reshape(slice(w, s.biasOffset, s.biasOffset + s.outChannels), [s.outChannels, 1]));
        a = reshape(activation === 'tanh' ? tanh(z) : activation === 'relu' ? relu(z) : z, [s.outChannels * s.outHeight * s.outWidth]);
      });
      const pooled = matvec(pooling, a);
      const head = reshape(slice(w, layout.headWeightOffset, layout.headBiasOffset), [K, layout.features]);
      const f = add(matvec(head, pooled), slice(w, layout.headBiasOffset, layout.headBiasOffset + K));
      const li = loss === 'mse' ? mul(0.5, sum(pow(sub(f, targets[n]), 2))) : softmaxCrossEntropy(f, targets[n]);
      total = total === undefined ? li : add(total, li);
    });
    return div(total as Tensor, inputs.length);
  });
}
