/**
 * Test helpers for the eigen-solver tests: seeded random symmetric matrices, explicit residuals and
 * eigenvector comparison after fixing the sign. Independent of the code under test (plain loops).
 */
import ndarray, { type NdArray } from 'ndarray';
import { rng } from '../../src/core/rng.js';

export const EPS = Number.EPSILON;

/** Row-major n×n symmetric matrix with N(0, 1) entries on and above the diagonal. */
export function randomSymmetric(n: number, seed: number): NdArray<Float64Array> {
  const r = rng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const x = r.normal();
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  return ndarray(a, [n, n]);
}

/** The n×n tridiagonal Toeplitz matrix tridiag(−1, 2, −1) (the 1-d discrete Laplacian). */
export function laplacian1d(n: number): NdArray<Float64Array> {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = 2;
    if (i + 1 < n) {
      a[i * n + i + 1] = -1;
      a[(i + 1) * n + i] = -1;
    }
  }
  return ndarray(a, [n, n]);
}

/** Closed form: eigenvalues of tridiag(−1, 2, −1), ascending: 2 − 2cos(kπ/(n+1)), k = 1..n. */
export function laplacian1dEigenvalues(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 2 - 2 * Math.cos(((i + 1) * Math.PI) / (n + 1)));
}

/** Closed form: unit eigenvector k (1-based) of tridiag(−1, 2, −1): √(2/(n+1)) sin(ikπ/(n+1)), i = 1..n. */
export function laplacian1dEigenvector(n: number, k: number): Float64Array {
  const c = Math.sqrt(2 / (n + 1));
  return Float64Array.from({ length: n }, (_, i) => c * Math.sin(((i + 1) * k * Math.PI) / (n + 1)));
}

/** y = A x. */
export function matvec(a: NdArray, x: ArrayLike<number>): Float64Array {
  const n = a.shape[0];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a.get(i, j) * x[j];
    y[i] = s;
  }
  return y;
}

/** ‖A y − θ y‖₂, computed explicitly. */
export function explicitResidual(a: NdArray, theta: number, y: ArrayLike<number>): number {
  const ay = matvec(a, y);
  let s = 0;
  for (let i = 0; i < ay.length; i++) s += (ay[i] - theta * y[i]) ** 2;
  return Math.sqrt(s);
}

export function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** Column j of a 2-d view. */
export function column(v: NdArray, j: number): Float64Array {
  return Float64Array.from({ length: v.shape[0] }, (_, i) => v.get(i, j));
}

/** ‖x − s·y‖₂ with the sign s ∈ {±1} that makes it smallest (eigenvectors are defined up to sign). */
export function distanceUpToSign(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let plus = 0;
  let minus = 0;
  for (let i = 0; i < x.length; i++) {
    plus += (x[i] - y[i]) ** 2;
    minus += (x[i] + y[i]) ** 2;
  }
  return Math.sqrt(Math.min(plus, minus));
}

/** Index of the entry of `values` nearest x. */
export function nearestIndex(values: ArrayLike<number>, x: number): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (Math.abs(values[i] - x) < Math.abs(values[best] - x)) best = i;
  return best;
}

/** max |λ| of an ascending list. */
export function spectralNorm(ascending: ArrayLike<number>): number {
  return Math.max(Math.abs(ascending[0]), Math.abs(ascending[ascending.length - 1]));
}
