/**
 * The built-in models' losses re-expressed with `autodiff` (written from their formulas, not from their kernels):
 * the tests compare the derivatives `fromFunction` computes for these with the hand-written ones.
 */
import { fromFunction, type FunctionModel } from '../../src/autodiff/from-function.js';
import { add, matvec, mean, mul, pow, slice, sub } from '../../src/autodiff/ops.js';
import type { Tensor } from '../../src/autodiff/tensor.js';

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

