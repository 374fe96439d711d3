/**
 * The nuclear norm (sum of singular values) of a dense matrix.
 *
 * @module
 */
import type { NdArray } from 'ndarray';
import { mlMatrix } from '#platform/ml-matrix';
import { EosLabError } from '../core/errors.js';

/**
 * The nuclear norm ‖W‖_* = Σᵢ σᵢ(W) of an [m, n] matrix — the "ℓ1 norm of the spectrum" that [Conflicting biases,
 * Figs. 3 and 9] tracks for each weight matrix of a network.
 *
 * @remarks
 * The singular values come from `ml-matrix`'s one-sided SVD (Golub–Kahan), accurate to about ε·σ_max each (unlike
 * √eig(WᵀW), whose small singular values lose half the digits). Cost O(mn·min(m, n)); copies the matrix. Any strides
 * (views into θ work).
 *
 * @param matrix - a 2-d `ndarray` with finite entries.
 * @returns Σᵢ σᵢ ≥ 0.
 * @throws EosLabError `E_BAD_OPTION` for a non-2-d array; `E_NONFINITE` for a NaN/±Infinity entry.
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { nuclearNorm } from 'eos-lab';
 * // u vᵀ with u = (3, 4), v = (1, 0, 0): one singular value ‖u‖‖v‖ = 5
 * console.log(nuclearNorm(ndarray(new Float64Array([3, 0, 0, 4, 0, 0]), [2, 3]))); // 5
 * ```
 * @since 0.2.0
 */
export function nuclearNorm(matrix: NdArray): number {
  const fn = 'nuclearNorm';
  if (matrix === null || typeof matrix !== 'object' || !Array.isArray(matrix.shape) || matrix.shape.length !== 2) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'matrix', value: matrix, expected: 'a 2-d ndarray' });
  }
  const [m, n] = matrix.shape;
  if (m === 0 || n === 0) return 0;
  const rows: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      const x = matrix.get(i, j) as number;
      if (!Number.isFinite(x)) throw new EosLabError('E_NONFINITE', fn, { argument: `matrix[${i}][${j}]`, value: x, expected: 'a finite number' });
      row.push(x);
    }
    rows.push(row);
  }
  // ml-matrix's SVD wants m >= n for full accuracy; σ(W) = σ(Wᵀ).
  const { Matrix, SingularValueDecomposition } = mlMatrix(); // loaded on first use in Node (see src/platform/node/ml-matrix.ts)
  const a = m >= n ? new Matrix(rows) : new Matrix(rows).transpose();
  const svd = new SingularValueDecomposition(a, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: false });
  let sum = 0;
  for (const s of svd.diagonal) sum += Math.abs(s);
  return sum;
}
