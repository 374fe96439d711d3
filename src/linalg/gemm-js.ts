/**
 * The JavaScript kernels of the dense matrix products of `gemm.ts` — C ← A·B + β·C, C ← Aᵀ·B + β·C and
 * C ← A·Bᵀ + β·C — blocked over the inner dimension and register-tiled (4 × 4 blocks of C held in locals). They
 * run where WebAssembly SIMD is absent, for products below the WebAssembly threshold, and when the JavaScript
 * backend is forced; `wasm/gemm.wat` reproduces their summation order exactly.
 *
 * Storage convention (BLAS-like, row-major): a matrix X with `rows × cols` entries lives in a `Float64Array`
 * `x` with X[i, j] = x[xOffset + i·ldx + j]; the leading dimension `ldx` ≥ cols is the distance between rows.
 * A sub-matrix of a bigger array (a layer's weights inside θ, a block of rows) is addressed by offset and
 * leading dimension without copying.
 *
 * @module
 * @internal
 */

/** @internal Inner-dimension block of {@link matmulTransBJs} (rows of A and B read contiguously): 2 KiB per row. */
export const KC_CONTIGUOUS = 256;
/** @internal Inner-dimension block of {@link matmulJs} and {@link matmulTransAJs} (strided reads of B, or of A and B). */
export const KC_STRIDED = 128;

/** C ← β·C for the m × n block (β = 0 writes zeros without reading C, so NaN in C is discarded). */
function scaleBlock(m: number, n: number, beta: number, c: Float64Array, cOffset: number, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const row = cOffset + i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = row; j < row + n; j++) c[j] *= beta;
  }
}

/**
 * The JavaScript kernel of `matmul`: C ← A·B + β·C, blocks of {@link KC_STRIDED} in p, 4 × 4 tiles of C
 * accumulated in locals, each block's sum left to right in p from +0 and then added to C (the order the
 * WebAssembly kernel reproduces). No validation, no allocation. @internal
 */
export function matmulJs(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOffset: number,
  lda: number,
  b: Float64Array,
  bOffset: number,
  ldb: number,
  beta: number,
  c: Float64Array,
  cOffset: number,
  ldc: number,
): Float64Array {
  scaleBlock(m, n, beta, c, cOffset, ldc);
  for (let p0 = 0; p0 < k; p0 += KC_STRIDED) {
    const p1 = Math.min(k, p0 + KC_STRIDED);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const a0 = aOffset + i * lda;
      const a1 = a0 + lda;
      const a2 = a1 + lda;
      const a3 = a2 + lda;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        let bp = bOffset + p0 * ldb + j;
        for (let p = p0; p < p1; p++, bp += ldb) {
          const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
          const y0 = b[bp], y1 = b[bp + 1], y2 = b[bp + 2], y3 = b[bp + 3];
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        let o = cOffset + i * ldc + j;
        c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += ldc;
        c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += ldc;
        c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += ldc;
        c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
      }
      for (; j < n; j++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let bp = bOffset + p0 * ldb + j;
        for (let p = p0; p < p1; p++, bp += ldb) {
          const y = b[bp];
          s0 += a[a0 + p] * y; s1 += a[a1 + p] * y; s2 += a[a2 + p] * y; s3 += a[a3 + p] * y;
        }
        const o = cOffset + i * ldc + j;
        c[o] += s0; c[o + ldc] += s1; c[o + 2 * ldc] += s2; c[o + 3 * ldc] += s3;
      }
    }
    for (; i < m; i++) {
      const a0 = aOffset + i * lda;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let bp = bOffset + p0 * ldb + j;
        for (let p = p0; p < p1; p++, bp += ldb) {
          const x = a[a0 + p];
          s0 += x * b[bp]; s1 += x * b[bp + 1]; s2 += x * b[bp + 2]; s3 += x * b[bp + 3];
        }
        const o = cOffset + i * ldc + j;
        c[o] += s0; c[o + 1] += s1; c[o + 2] += s2; c[o + 3] += s3;
      }
      for (; j < n; j++) {
        let s = 0;
        let bp = bOffset + p0 * ldb + j;
        for (let p = p0; p < p1; p++, bp += ldb) s += a[a0 + p] * b[bp];
        c[cOffset + i * ldc + j] += s;
      }
    }
  }
  return c;
}

/**
 * The JavaScript kernel of `matmulTransA`: C ← Aᵀ·B + β·C, blocks of {@link KC_STRIDED} in p, 4 × 4 tiles
 * with contiguous loads from A and B, summation order as in {@link matmulJs}. No validation, no allocation.
 * @internal
 */
export function matmulTransAJs(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOffset: number,
  lda: number,
  b: Float64Array,
  bOffset: number,
  ldb: number,
  beta: number,
  c: Float64Array,
  cOffset: number,
  ldc: number,
): Float64Array {
  scaleBlock(m, n, beta, c, cOffset, ldc);
  for (let p0 = 0; p0 < k; p0 += KC_STRIDED) {
    const p1 = Math.min(k, p0 + KC_STRIDED);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        let ap = aOffset + p0 * lda + i;
        let bp = bOffset + p0 * ldb + j;
        for (let p = p0; p < p1; p++, ap += lda, bp += ldb) {
          const x0 = a[ap], x1 = a[ap + 1], x2 = a[ap + 2], x3 = a[ap + 3];
          const y0 = b[bp], y1 = b[bp + 1], y2 = b[bp + 2], y3 = b[bp + 3];
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        let o = cOffset + i * ldc + j;
        c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += ldc;
        c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += ldc;
        c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += ldc;
        c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
      }
      for (; j < n; j++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let ap = aOffset + p0 * lda + i;
        let bp = bOffset + p0 * ldb + j;
        for (let p = p0; p < p1; p++, ap += lda, bp += ldb) {
          const y = b[bp];
          s0 += a[ap] * y; s1 += a[ap + 1] * y; s2 += a[ap + 2] * y; s3 += a[ap + 3] * y;
        }
        const o = cOffset + i * ldc + j;
        c[o] += s0; c[o + ldc] += s1; c[o + 2 * ldc] += s2; c[o + 3 * ldc] += s3;
      }
    }
    for (; i < m; i++) {
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let ap = aOffset + p0 * lda + i;
        let bp = bOffset + p0 * ldb + j;
        for (let p = p0; p < p1; p++, ap += lda, bp += ldb) {
          const x = a[ap];
          s0 += x * b[bp]; s1 += x * b[bp + 1]; s2 += x * b[bp + 2]; s3 += x * b[bp + 3];
        }
        const o = cOffset + i * ldc + j;
        c[o] += s0; c[o + 1] += s1; c[o + 2] += s2; c[o + 3] += s3;
      }
      for (; j < n; j++) {
        let s = 0;
        let ap = aOffset + p0 * lda + i;
        let bp = bOffset + p0 * ldb + j;
        for (let p = p0; p < p1; p++, ap += lda, bp += ldb) s += a[ap] * b[bp];
        c[cOffset + i * ldc + j] += s;
      }
    }
  }
  return c;
}

/**
 * The JavaScript kernel of `matmulTransB`: C ← A·Bᵀ + β·C, blocks of {@link KC_CONTIGUOUS} in p, 4 × 4
 * tiles reading four rows of A and of B contiguously, summation order as in {@link matmulJs}. No validation, no
 * allocation. @internal
 */
export function matmulTransBJs(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOffset: number,
  lda: number,
  b: Float64Array,
  bOffset: number,
  ldb: number,
  beta: number,
  c: Float64Array,
  cOffset: number,
  ldc: number,
): Float64Array {
  scaleBlock(m, n, beta, c, cOffset, ldc);
  for (let p0 = 0; p0 < k; p0 += KC_CONTIGUOUS) {
    const p1 = Math.min(k, p0 + KC_CONTIGUOUS);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const a0 = aOffset + i * lda;
      const a1 = a0 + lda;
      const a2 = a1 + lda;
      const a3 = a2 + lda;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const b0 = bOffset + j * ldb;
        const b1 = b0 + ldb;
        const b2 = b1 + ldb;
        const b3 = b2 + ldb;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = p0; p < p1; p++) {
          const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
          const y0 = b[b0 + p], y1 = b[b1 + p], y2 = b[b2 + p], y3 = b[b3 + p];
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        let o = cOffset + i * ldc + j;
        c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += ldc;
        c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += ldc;
        c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += ldc;
        c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
      }
      for (; j < n; j++) {
        const b0 = bOffset + j * ldb;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let p = p0; p < p1; p++) {
          const y = b[b0 + p];
          s0 += a[a0 + p] * y; s1 += a[a1 + p] * y; s2 += a[a2 + p] * y; s3 += a[a3 + p] * y;
        }
        const o = cOffset + i * ldc + j;
        c[o] += s0; c[o + ldc] += s1; c[o + 2 * ldc] += s2; c[o + 3 * ldc] += s3;
      }
    }
    for (; i < m; i++) {
      const a0 = aOffset + i * lda;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const b0 = bOffset + j * ldb;
        const b1 = b0 + ldb;
        const b2 = b1 + ldb;
        const b3 = b2 + ldb;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let p = p0; p < p1; p++) {
          const x = a[a0 + p];
          s0 += x * b[b0 + p]; s1 += x * b[b1 + p]; s2 += x * b[b2 + p]; s3 += x * b[b3 + p];
        }
        const o = cOffset + i * ldc + j;
        c[o] += s0; c[o + 1] += s1; c[o + 2] += s2; c[o + 3] += s3;
      }
      for (; j < n; j++) {
        const b0 = bOffset + j * ldb;
        let s = 0;
        for (let p = p0; p < p1; p++) s += a[a0 + p] * b[b0 + p];
        c[cOffset + i * ldc + j] += s;
      }
    }
  }
  return c;
}
