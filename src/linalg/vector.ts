/**
 * BLAS-1 style kernels on `Float64Array`: inputs first, `out` last, `out` returned. They do not validate
 * (they are kernels; validate at the public boundary) and allocate nothing. Summation is left to right, so
 * results are bit-for-bit reproducible.
 *
 * @module
 */

/**
 * Inner product ⟨x, y⟩ = Σᵢ xᵢ yᵢ (left-to-right sum).
 *
 * @example
 * ```ts
 * import { dot } from 'eos-lab';
 * dot(new Float64Array([1, 2]), new Float64Array([3, 4])); // 11
 * ```
 * @since 0.1.0
 */
export function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/**
 * Euclidean norm ‖x‖₂ = √(Σᵢ xᵢ²), computed with scaling so that it neither overflows nor underflows
 * for entries near the float64 limits (as BLAS dnrm2).
 *
 * @example
 * ```ts
 * import { nrm2 } from 'eos-lab';
 * nrm2(new Float64Array([3, 4])); // 5
 * ```
 * @since 0.1.0
 */
export function nrm2(x: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (a > scale) scale = a;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const t = x[i] / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

/**
 * ℓ1 norm ‖x‖₁ = Σᵢ |xᵢ|.
 *
 * @example
 * ```ts
 * import { nrm1 } from 'eos-lab';
 * nrm1(new Float64Array([3, -4])); // 7
 * ```
 * @since 0.1.0
 */
export function nrm1(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]);
  return s;
}

/**
 * Largest absolute entry ‖x‖_∞ = maxᵢ |xᵢ| (NaN if any entry is NaN).
 *
 * @example
 * ```ts
 * import { maxAbs } from 'eos-lab';
 * maxAbs(new Float64Array([3, -4])); // 4
 * ```
 * @since 0.1.0
 */
export function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (!(a <= m)) m = a; // also propagates NaN
  }
  return m;
}

/**
 * out = a·x + y (BLAS daxpy; `out` may alias `x` or `y`).
 *
 * @example
 * ```ts
 * import { axpy } from 'eos-lab';
 * axpy(2, new Float64Array([1, 1]), new Float64Array([0, 1]), new Float64Array(2)); // [2, 3]
 * ```
 * @since 0.1.0
 */
export function axpy(a: number, x: Float64Array, y: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = a * x[i] + y[i];
  return out;
}

/**
 * out = a·x (BLAS dscal; `out` may alias `x`).
 *
 * @example
 * ```ts
 * import { scal } from 'eos-lab';
 * scal(3, new Float64Array([1, 2]), new Float64Array(2)); // [3, 6]
 * ```
 * @since 0.1.0
 */
export function scal(a: number, x: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = a * x[i];
  return out;
}

/**
 * out = x (BLAS dcopy).
 *
 * @example
 * ```ts
 * import { copy } from 'eos-lab';
 * copy(new Float64Array([1, 2]), new Float64Array(2)); // [1, 2]
 * ```
 * @since 0.1.0
 */
export function copy(x: Float64Array, out: Float64Array): Float64Array {
  out.set(x);
  return out;
}
