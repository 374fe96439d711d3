/**
 * The dense Hessian of a model that has only Hessian-vector products: column j is ∇²L(θ)eⱼ, so p HVPs form it
 * exactly (as exact as the HVP). Used by the network models and `fromFunction`, whose `hessian` is meant for small p.
 */
import type { NdArray } from 'ndarray';
import { EosLabError } from '../core/errors.js';
import { zerosMatrix } from './matrix.js';

/** Largest parameter count p for which `hessian(θ)` forms the dense p × p matrix (128 MiB). @internal */
export const MAX_DENSE_HESSIAN_DIM = 4096;

/**
 * H[i, j] = (∇²L(θ)eⱼ)ᵢ from p calls of `hvp`; `E_NOT_SUPPORTED` naming `fn` above {@link MAX_DENSE_HESSIAN_DIM}.
 * @internal
 */
export function denseHessianFromHvps(
  fn: string,
  dim: number,
  hvp: (theta: Float64Array, v: Float64Array, out: Float64Array) => void,
  theta: Float64Array,
): NdArray<Float64Array> {
  if (dim > MAX_DENSE_HESSIAN_DIM) {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument: 'model.dim',
      value: dim,
      expected: `at most ${MAX_DENSE_HESSIAN_DIM} for a dense Hessian (use Hessian-vector products, e.g. sharpness with method 'lanczos')`,
    });
  }
  const h = zerosMatrix(dim, dim);
  const e = new Float64Array(dim);
  const column = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    e[j] = 1;
    hvp(theta, e, column);
    e[j] = 0;
    for (let i = 0; i < dim; i++) h.data[i * dim + j] = column[i];
  }
  return h;
}
