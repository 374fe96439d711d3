/**
 * Kernels for tiny dense symmetric matrices (k ≤ ~16, row-major `Float64Array`s): the cyclic Jacobi eigensolver and a
 * minimum-norm least-squares solve through it. Used where ml-matrix's allocations per call would dominate, e.g. the
 * k × k complementarity problems of the central flow.
 *
 * @module
 * @internal
 */

/**
 * Eigen-decomposition A = V·diag(values)·Vᵀ of a symmetric k × k matrix by cyclic Jacobi rotations (accurate to a
 * few ε·‖A‖; converges quadratically). `a` (row-major, k·k) is overwritten; `values` (length k) receives the
 * eigenvalues in descending order and `vectors` (k·k, row-major) the matching unit eigenvectors as columns.
 * @internal
 */
export function jacobiEigen(a: Float64Array, k: number, values: Float64Array, vectors: Float64Array): void {
  vectors.fill(0, 0, k * k);
  for (let i = 0; i < k; i++) vectors[i * k + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < k; i++) {
      diag += a[i * k + i] * a[i * k + i];
      for (let j = i + 1; j < k; j++) off += a[i * k + j] * a[i * k + j];
    }
    if (off <= 1e-34 * diag || off === 0) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q];
        if (apq === 0) continue;
        const app = a[p * k + p];
        const aqq = a[q * k + q];
        // Rotation angle with tan(2φ) = 2a_pq/(a_qq − a_pp), taking the smaller root for stability.
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p];
          const arq = a[r * k + q];
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r];
          const aqr = a[q * k + r];
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        a[p * k + q] = 0;
        a[q * k + p] = 0;
        for (let r = 0; r < k; r++) {
          const vrp = vectors[r * k + p];
          const vrq = vectors[r * k + q];
          vectors[r * k + p] = c * vrp - s * vrq;
          vectors[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  // Sort descending (selection sort on k ≤ 16 entries), permuting the eigenvector columns alike.
  for (let i = 0; i < k; i++) values[i] = a[i * k + i];
  for (let i = 0; i < k; i++) {
    let best = i;
    for (let j = i + 1; j < k; j++) if (values[j] > values[best]) best = j;
    if (best !== i) {
      const tv = values[i];
      values[i] = values[best];
      values[best] = tv;
      for (let r = 0; r < k; r++) {
        const tmp = vectors[r * k + i];
        vectors[r * k + i] = vectors[r * k + best];
        vectors[r * k + best] = tmp;
      }
    }
  }
}

/**
 * Minimum-norm least-squares solution x = G⁺b of a symmetric positive semidefinite system (G k × k row-major, not
 * modified), with eigenvalues below `relCutoff`·λ_max(G) treated as 0. `scratch` needs 2k² + k entries.
 * @internal
 */
export function pseudoSolve(G: Float64Array, b: Float64Array, k: number, relCutoff: number, x: Float64Array, scratch: Float64Array): void {
  const a = scratch.subarray(0, k * k);
  const V = scratch.subarray(k * k, 2 * k * k);
  const values = scratch.subarray(2 * k * k, 2 * k * k + k);
  a.set(G.subarray(0, k * k));
  jacobiEigen(a, k, values, V);
  const cutoff = relCutoff * Math.max(0, values[0]);
  x.fill(0, 0, k);
  for (let j = 0; j < k; j++) {
    if (!(values[j] > cutoff)) continue;
    let proj = 0;
    for (let r = 0; r < k; r++) proj += V[r * k + j] * b[r];
    const c = proj / values[j];
    for (let r = 0; r < k; r++) x[r] += c * V[r * k + j];
  }
}
