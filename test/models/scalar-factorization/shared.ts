import fc from 'fast-check';

/** Shared constants and arbitraries of the scalar-factorization property tests. */
export const EPS = Number.EPSILON;
export const RUNS = 1000;
/**
 * Absolute slack for gradual underflow: the relative error bounds of the tests hold for normal numbers only. A
 * product that underflows errs by ≤ 2⁻¹⁰⁷⁵ absolutely, amplified afterwards by at most 2^(2D)·(|c| + 2^D) ≤ 2¹⁹ here
 * (|wᵢ| ≤ 2, D ≤ 6, |c| ≤ 3): far below 2⁻¹⁰⁰⁰ ≈ 1e-301, which therefore never hides a real error.
 */
export const UNDERFLOW = 2 ** -1000;

/** Nonzero targets: c = 1 [Scalar factorization] often, else ±[0.1, 3]. */
export const targetArb = fc.oneof(
  fc.constant(1),
  fc.tuple(fc.double({ min: 0.1, max: 3, noNaN: true }), fc.boolean()).map(([a, neg]) => (neg ? -a : a)),
);
