/**
 * Automatic exact derivatives: a small differentiable array API over float64 (scalars, vectors, matrices) for
 * writing a loss in a few lines. Pass a function built from these operations to `fromFunction` (exported at the
 * top level of eos-lab) to get a `LossModel` with exact gradient, Hessian-vector products, dense Hessian and
 * third-order term. See the guide "Automatic derivatives".
 *
 * @example
 * ```ts
 * import { fromFunction, autodiff, sharpness } from 'eos-lab';
 * const { mul, sub, pow, slice } = autodiff;
 * // the scalar factorization L(x, y) = ½(1 − xy)²: λ_max = x² + y² on the minimizers xy = 1
 * const model = fromFunction(2, (w) => mul(0.5, pow(sub(1, mul(slice(w, 0, 1), slice(w, 1, 2))), 2)));
 * console.log(sharpness(model, new Float64Array([2, 0.5]))); // 4.25
 * ```
 * @module
 */
export { Tensor, type Operand } from './tensor.js';
export type { Shape } from './shape.js';
export {
  add,
  sub,
  mul,
  div,
  neg,
  pow,
  exp,
  log,
  sqrt,
  tanh,
  sigmoid,
  relu,
  softplus,
  abs,
  sum,
  mean,
  logSumExp,
  softmaxCrossEntropy,
  dot,
  matvec,
  matmul,
  outer,
  transpose,
  slice,
  concat,
  reshape,
  constant,
} from './ops.js';
