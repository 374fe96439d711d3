/**
 * Small dense symmetric positive definite solves (Cholesky) for the risk and KKT computations of the diagonal
 * network: the principal submatrices Σ_SS of a covariance are tiny (|S| ≤ d ≤ 20). Internal.
 *
 * @module
 * @internal
 */

/**
 * Cholesky factor of the principal submatrix A[idx, idx] of the d×d row-major `a` (m = idx.length), written
 * row-major into `l` (m×m, lower triangle). Returns false if the submatrix is not positive definite.
 * @internal
 */
export function choleskySub(a: Float64Array, d: number, idx: readonly number[], l: Float64Array): boolean {
  const m = idx.length;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[idx[i] * d + idx[j]];
      for (let k = 0; k < j; k++) s -= l[i * m + k] * l[j * m + k];
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * m + i] = Math.sqrt(s);
      } else {
        l[i * m + j] = s / l[j * m + j];
      }
    }
  }
  return true;
}

/** Solves (L Lᵀ) out = b in place of `out` (b copied into out first by the caller), L from {@link choleskySub}. @internal */
export function choleskySolveInPlace(l: Float64Array, m: number, out: Float64Array): Float64Array {
  for (let i = 0; i < m; i++) {
    let s = out[i];
    for (let k = 0; k < i; k++) s -= l[i * m + k] * out[k];
    out[i] = s / l[i * m + i];
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = out[i];
    for (let k = i + 1; k < m; k++) s -= l[k * m + i] * out[k];
    out[i] = s / l[i * m + i];
  }
  return out;
}
