import { mlMatrix } from '#platform/ml-matrix';
import ndarray, { type NdArray } from 'ndarray';
import { symmetricPartRowMajor, validateSymmetricMatrix } from './operator.js';

/** Entries below TINY·max|A| are set to 0 before the decomposition (see symmetricEigenUnchecked). */
const TINY = 2 ** -511;

/**
 * Options of {@link symmetricEigen}.
 * @since 0.1.0
 */
export interface SymmetricEigenOptions {
  /**
   * Relative tolerance of the symmetry check: the call fails unless |Aᵢⱼ − Aⱼᵢ| ≤ tol·maxᵢⱼ|Aᵢⱼ|.
   * The decomposition is of the symmetric part ½(A + Aᵀ).
   * @defaultValue 1e-10
   * @since 0.1.0
   */
  symmetryTolerance?: number;
}

/**
 * Result of {@link symmetricEigen}.
 * @since 0.1.0
 */
export interface SymmetricEigenResult {
  /** All n eigenvalues in ascending order λ₁ ≤ … ≤ λₙ. */
  readonly values: Float64Array;
  /**
   * n×n row-major `NdArray` whose column j is a unit eigenvector for `values[j]`; the columns are orthonormal
   * (V·diag(λ)·Vᵀ = A). Sign convention: the entry of largest magnitude of each column is positive.
   */
  readonly vectors: NdArray<Float64Array>;
}

/**
 * All eigenvalues (ascending) and orthonormal eigenvectors of a dense symmetric matrix: A = V·diag(λ)·Vᵀ with
 * VᵀV = I. The ground truth for tests and for small models (n up to a few hundred).
 *
 * @remarks
 * Uses `ml-matrix`'s `EigenvalueDecomposition` (loaded on the first call, so that `import 'eos-lab'` does not
 * pay for it) on the symmetric path (Householder tridiagonalization then the
 * implicit QL algorithm, EISPACK tred2/tql2): backward stable, so each computed eigenvalue is within about
 * n·ε·‖A‖₂ of an exact one. To keep that algorithm away from overflow and underflow, A is scaled by a power of 2
 * (before its symmetric part is formed, so finite entries up to 1.8e308 work) and entries below 2⁻⁵¹¹·max|A| are treated as 0 (a perturbation of ~1e-154·‖A‖). Cost O(n³) time, O(n²) memory (a copy of A and V); the input is not modified.
 * Eigenvalues of equal value have an arbitrary orthonormal basis of their eigenspace.
 *
 * @param matrix - a square, finite, symmetric n×n `NdArray` (any strides).
 * @param options - the symmetry tolerance.
 * @returns `{ values, vectors }` with `values` ascending and column j of `vectors` the eigenvector of `values[j]`.
 * @throws EosLabError `E_BAD_OPTION` if `matrix` is not a 2-d ndarray or is not symmetric within the tolerance,
 *   `E_DIM_MISMATCH` if it is not square or its data does not cover its shape, `E_EMPTY` for n = 0,
 *   `E_NONFINITE` for NaN/±Infinity entries.
 * @example
 * ```ts
 * import { symmetricEigen, matrixFromRows } from 'eos-lab';
 * const { values, vectors } = symmetricEigen(matrixFromRows([[2, 1], [1, 2]]));
 * // values ≈ [1, 3]; column 1 of vectors ≈ [1, 1]/√2
 * ```
 * @since 0.1.0
 */
export function symmetricEigen(matrix: NdArray, options?: SymmetricEigenOptions): SymmetricEigenResult {
  validateSymmetricMatrix('symmetricEigen', matrix, options);
  return symmetricEigenUnchecked(matrix);
}

/**
 * {@link symmetricEigen} without validation (for a matrix the caller trusts, e.g. a model's analytic Hessian).
 * A NaN/±∞ entry gives NaN values and vectors instead of an error, so callers inside runs can record it.
 * @internal
 */
export function symmetricEigenUnchecked(matrix: NdArray): SymmetricEigenResult {
  const n = matrix.shape[0];
  // Scale by a power of 2 (exact) so that max|A| is about 1 — before symmetrizing, so that ½(Aᵢⱼ + Aⱼᵢ) cannot
  // overflow for entries near 1e308 — and flush entries below 2⁻⁵¹¹·max|A| to 0 (a perturbation far below
  // ε·‖A‖): ml-matrix's tql2 divides by off-diagonal entries and produces NaN (then indexes out of range) when
  // products of two entries underflow, and it fails the same way on NaN/±∞ entries, which give NaN results here.
  const big = maxAbsEntry(matrix);
  if (!Number.isFinite(big)) return nonFiniteResult(n);
  const scale = big > 0 ? 2 ** -Math.max(-1000, Math.min(1000, Math.floor(Math.log2(big)))) : 1;
  const a = symmetricPartRowMajor(matrix, scale);
  const { EigenvalueDecomposition, Matrix } = mlMatrix();
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const x = a[i * n + j];
      m.set(i, j, Math.abs(x) < TINY ? 0 : x);
    }
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const raw = evd.realEigenvalues.map((x) => x / scale);
  if (raw.some((x) => !Number.isFinite(x))) return nonFiniteResult(n);
  const v = evd.eigenvectorMatrix;
  // tql2 sorts ascending already; sort again (stable, by value) so the contract does not rest on that detail.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => raw[x] - raw[y] || x - y);
  const values = new Float64Array(n);
  const data = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j];
    values[j] = raw[src];
    let big = 0;
    let sign = 1;
    for (let i = 0; i < n; i++) {
      const x = v.get(i, src);
      if (Math.abs(x) > big) {
        big = Math.abs(x);
        sign = x < 0 ? -1 : 1;
      }
    }
    for (let i = 0; i < n; i++) data[i * n + j] = sign * v.get(i, src);
  }
  return { values, vectors: ndarray(data, [n, n]) };
}

/** max |Aᵢⱼ| over the view (NaN if an entry is NaN, Infinity if one is infinite). */
function maxAbsEntry(matrix: NdArray): number {
  const [rows, cols] = matrix.shape;
  const [si, sj] = matrix.stride;
  const o = matrix.offset;
  const src = matrix.data as ArrayLike<number>;
  let big = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const x = Math.abs(src[o + i * si + j * sj]);
      if (!(x <= big)) big = x; // NaN propagates
      if (Number.isNaN(big)) return NaN;
    }
  return big;
}

/** The result for a matrix with a non-finite entry: every value and vector entry NaN (never a partial answer). */
function nonFiniteResult(n: number): SymmetricEigenResult {
  return { values: new Float64Array(n).fill(NaN), vectors: ndarray(new Float64Array(n * n).fill(NaN), [n, n]) };
}
