import type { NdArray } from 'ndarray';
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { finiteVector, optionKeys, optionsObject, positiveFinite } from '../core/validate.js';
import { validateSquareMatrix } from './matrix.js';

/**
 * A symmetric linear operator A: ℝⁿ → ℝⁿ given by its action, `apply(v, out)` writing A v into `out`.
 * The eigen-solvers ({@link lanczos}, {@link powerIteration}) take one (or a dense `NdArray`), so a Hessian
 * never has to be formed: {@link hessianOperator} wraps a model's exact Hessian-vector product.
 *
 * @remarks
 * Contract: `apply` must be linear and symmetric (⟨u, A v⟩ = ⟨A u, v⟩), must not modify `v`, and `out` never
 * aliases `v` in eos-lab's calls. It is called in the solvers' inner loop, so it should allocate nothing.
 *
 * @example
 * ```ts
 * import { lanczos, type LinearOperator } from 'eos-lab';
 * // A = diag(1, 2, 3) without forming it
 * const diag: LinearOperator = { dim: 3, apply: (v, out) => { for (let i = 0; i < 3; i++) out[i] = (i + 1) * v[i]; } };
 * lanczos(diag).values[0]; // 3
 * ```
 * @since 0.1.0
 */
export interface LinearOperator {
  /** Dimension n of the space the operator acts on. */
  readonly dim: number;
  /** Writes A v into `out` (length `dim`); must not modify `v`. */
  apply(v: Float64Array, out: Float64Array): void;
}

/**
 * Default relative tolerance of the symmetry check |Aᵢⱼ − Aⱼᵢ| ≤ tol·max|A| on dense input.
 * @internal
 */
export const DEFAULT_SYMMETRY_TOLERANCE = 1e-10;

/**
 * Options of {@link denseOperator}.
 * @since 0.1.0
 */
export interface DenseOperatorOptions {
  /**
   * Relative tolerance of the symmetry check: the call fails unless |Aᵢⱼ − Aⱼᵢ| ≤ tol·maxᵢⱼ|Aᵢⱼ|.
   * The operator applies the symmetric part ½(A + Aᵀ), so a matrix that passes is used symmetrically.
   * @defaultValue 1e-10
   * @since 0.1.0
   */
  symmetryTolerance?: number;
}

/**
 * A {@link LinearOperator} for a dense symmetric matrix: `apply(v, out)` computes out = A v.
 *
 * out_i = Σ_j A_ij v_j (left-to-right sums over a row-major copy).
 *
 * @remarks
 * The matrix is copied (as its symmetric part ½(A + Aᵀ)) into a contiguous row-major `Float64Array` once,
 * so later changes to `matrix` do not affect the operator. Cost: n² memory once; each `apply` is n²
 * multiply-adds and allocates nothing.
 *
 * @param matrix - a square, finite, symmetric n×n `NdArray` (any strides).
 * @param options - the symmetry tolerance.
 * @returns an operator of dimension n.
 * @throws EosLabError `E_BAD_OPTION` if `matrix` is not a 2-d ndarray or not symmetric within the tolerance,
 *   `E_DIM_MISMATCH` if it is not square or its data does not cover its shape, `E_EMPTY` for n = 0,
 *   `E_NONFINITE` for NaN/±Infinity entries.
 * @example
 * ```ts
 * import { denseOperator, matrixFromRows } from 'eos-lab';
 * const op = denseOperator(matrixFromRows([[2, 1], [1, 2]]));
 * const out = new Float64Array(2);
 * op.apply(new Float64Array([1, 0]), out); // out = [2, 1]
 * ```
 * @since 0.1.0
 */
export function denseOperator(matrix: NdArray, options?: DenseOperatorOptions): LinearOperator {
  validateSymmetricMatrix('denseOperator', matrix, options);
  return denseOperatorUnchecked(matrix);
}

/**
 * Validates a dense symmetric matrix argument named `matrix` and its `options.symmetryTolerance`
 * (default {@link DEFAULT_SYMMETRY_TOLERANCE}) for `fn`.
 * @internal
 */
export function validateSymmetricMatrix(fn: string, matrix: unknown, options: { symmetryTolerance?: number } | undefined): void {
  const opts = optionsObject(fn, options, optionKeys<DenseOperatorOptions>({ symmetryTolerance: true }));
  const tol =
    opts.symmetryTolerance === undefined
      ? DEFAULT_SYMMETRY_TOLERANCE
      : positiveFinite(fn, 'options.symmetryTolerance', opts.symmetryTolerance);
  validateSquareMatrix(fn, 'matrix', matrix, tol);
}

/**
 * {@link denseOperator} without validation (the caller has validated `matrix`).
 * @internal
 */
export function denseOperatorUnchecked(matrix: NdArray): LinearOperator {
  const n = matrix.shape[0];
  const a = symmetricPartRowMajor(matrix);
  return {
    dim: n,
    apply(v: Float64Array, out: Float64Array): void {
      for (let i = 0; i < n; i++) {
        const row = i * n;
        let s = 0;
        for (let j = 0; j < n; j++) s += a[row + j] * v[j];
        out[i] = s;
      }
    },
  };
}

/**
 * The symmetric part ½(A + Aᵀ) of a square view, times `scale`, as a contiguous row-major `Float64Array`. Each
 * entry is scaled before the two are added, so a finite matrix with entries near the overflow threshold (1e308)
 * stays finite when `scale` ≤ 1.
 * @internal
 */
export function symmetricPartRowMajor(matrix: NdArray, scale = 1): Float64Array {
  const n = matrix.shape[0];
  const a = new Float64Array(n * n);
  const [si, sj] = matrix.stride;
  const o = matrix.offset;
  const src = matrix.data as ArrayLike<number>;
  // Direct indexing (offset + i·stride₀ + j·stride₁, what ndarray's get computes), without a call per entry.
  for (let i = 0; i < n; i++) {
    a[i * n + i] = scale * src[o + i * si + i * sj];
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (scale * src[o + i * si + j * sj]) + 0.5 * (scale * src[o + j * si + i * sj]);
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return a;
}

/**
 * The Hessian of a model at θ as a {@link LinearOperator}: `apply(v, out)` writes ∇²L(θ) v into `out` by the
 * model's exact Hessian-vector product (`model.hvp`), so the p×p Hessian is never formed.
 *
 * @remarks
 * θ is copied, so changing `theta` afterwards does not change the operator. Each `apply` costs one HVP
 * (for most models about the cost of two gradients) and allocates nothing beyond what `model.hvp` does.
 *
 * @param model - any {@link LossModel}.
 * @param theta - the point θ, a finite `Float64Array` of length `model.dim`.
 * @returns an operator of dimension `model.dim`.
 * @throws EosLabError `E_BAD_OPTION` if `model` is not a LossModel or `theta` not a `Float64Array`,
 *   `E_DIM_MISMATCH` if `theta.length !== model.dim`, `E_NONFINITE` for NaN/±Infinity in `theta`.
 * @example
 * ```ts
 * import { hessianOperator, lanczos, scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create();
 * const H = hessianOperator(model, new Float64Array([1, 1])); // on xy = 1: eigenvalues {0, 2}
 * lanczos(H).values[0]; // 2
 * ```
 * @since 0.1.0
 */
export function hessianOperator(model: LossModel, theta: Float64Array): LinearOperator {
  const fn = 'hessianOperator';
  validateLossModel(fn, 'model', model);
  finiteVector(fn, 'theta', theta, model.dim);
  const point = Float64Array.from(theta);
  return {
    dim: model.dim,
    apply(v: Float64Array, out: Float64Array): void {
      model.hvp(point, v, out);
    },
  };
}

/**
 * Checks that `model` looks like a {@link LossModel}: an object with an integer `dim` ≥ 1 and an `hvp` function.
 * @internal
 */
export function validateLossModel(fn: string, argument: string, model: unknown): LossModel {
  const m = model as LossModel;
  if (m === null || typeof m !== 'object') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: model, expected: 'a LossModel object' });
  }
  if (typeof m.dim !== 'number' || !Number.isInteger(m.dim) || m.dim < 1) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}.dim`, value: m.dim, expected: 'an integer >= 1' });
  }
  if (typeof m.hvp !== 'function') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}.hvp`, value: m.hvp, expected: 'a function' });
  }
  return m;
}

/**
 * Validates the operand of an eigen-solver: a dense symmetric `NdArray` (wrapped by {@link denseOperator})
 * or a {@link LinearOperator} (an object with an integer `dim` ≥ 1 and an `apply` function).
 * @internal
 */
export function toLinearOperator(fn: string, argument: string, operator: unknown): LinearOperator {
  const o = operator as { shape?: unknown; get?: unknown; dim?: unknown; apply?: unknown } | null;
  if (o !== null && typeof o === 'object' && Array.isArray(o.shape) && typeof o.get === 'function') {
    validateSquareMatrix(fn, argument, o, DEFAULT_SYMMETRY_TOLERANCE);
    return denseOperatorUnchecked(o as unknown as NdArray);
  }
  if (o === null || typeof o !== 'object' || typeof o.apply !== 'function') {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument,
      value: operator,
      expected: 'a square symmetric NdArray or a LinearOperator { dim, apply(v, out) }',
    });
  }
  if (typeof o.dim !== 'number' || !Number.isInteger(o.dim) || o.dim < 1) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}.dim`, value: o.dim, expected: 'an integer >= 1' });
  }
  return o as unknown as LinearOperator;
}
