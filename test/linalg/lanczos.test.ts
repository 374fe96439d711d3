import { describe, expect, it } from 'vitest';
import ndarray, { type NdArray } from 'ndarray';
import { lanczos, type LanczosResult, type LanczosWhich } from '../../src/linalg/lanczos.js';
import { powerIteration } from '../../src/linalg/power-iteration.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { denseOperator, type LinearOperator } from '../../src/linalg/operator.js';
import { matrixFromRows } from '../../src/linalg/matrix.js';
import { rng } from '../../src/core/rng.js';
import { createQuadratic } from '../helpers/quadratic.js';
import { expectRelClose } from '../../src/testing/index.js';
import {
  EPS,
  column,
  distanceUpToSign,
  explicitResidual,
  laplacian1d,
  laplacian1dEigenvalues,
  nearestIndex,
  norm,
  randomSymmetric,
  spectralNorm,
} from './reference.js';
import { errorCode as code } from '../helpers/errors.js';

/*
 * Tolerances (ε = 2⁻⁵², ‖A‖ = max|λ|, n the order, m the Lanczos steps):
 * - reference: symmetricEigen is backward stable, each value within 4n·ε·‖A‖ of an exact one (as in
 *   symmetric-eigen.test.ts) — added to every comparison with it as `ref`;
 * - Lanczos values: |θ − λ_nearest| ≤ errorBound + ref (the claim under test);
 * - residuals: the explicit ‖A y − θ y‖ (computed here with n-term sums) exceeds the estimate β_m|s_{m,i}| by at
 *   most rounding, (4n + 2m)·ε·‖A‖;
 * - vectors: Davis–Kahan sin∠(y, v) ≤ ‖A y − θ y‖ / gap, and ‖y − v‖ ≤ √2 sin∠ for the sign that aligns them.
 */

function refTol(n: number, values: Float64Array): number {
  return 4 * n * EPS * spectralNorm(values);
}

/** The indices (into the ascending reference values) of the k wanted eigenvalues, in the order lanczos returns them. */
function wantedIndices(values: Float64Array, k: number, which: LanczosWhich): number[] {
  const idx = Array.from(values, (_, i) => i);
  if (which === 'largest') idx.sort((a, b) => values[b] - values[a]);
  else if (which === 'smallest') idx.sort((a, b) => values[a] - values[b]);
  else idx.sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]) || values[b] - values[a]);
  return idx.slice(0, k);
}

/** Checks a Lanczos result against the dense decomposition: values, bounds, residuals, vectors, ordering. */
function checkAgainstDense(a: NdArray, res: LanczosResult, k: number, which: LanczosWhich, tol: number): void {
  const n = a.shape[0];
  const { values: ref, vectors: refVectors } = symmetricEigen(a);
  const scale = spectralNorm(ref);
  const rt = refTol(n, ref);
  const kk = Math.min(k, n);
  expect(res.values.length).toBe(kk);
  expect(res.vectors.length).toBe(kk);
  expect(res.residualNorms.length).toBe(kk);
  expect(res.errorBounds.length).toBe(kk);
  expect(res.matvecs).toBe(res.iterations);
  expect(res.iterations).toBeLessThanOrEqual(n);
  const want = wantedIndices(ref, kk, which);
  for (let t = 0; t < kk; t++) {
    const theta = res.values[t];
    const y = res.vectors[t];
    // Order of the returned values.
    if (t > 0) {
      const prev = res.values[t - 1];
      if (which === 'largest') expect(theta).toBeLessThanOrEqual(prev);
      else if (which === 'smallest') expect(theta).toBeGreaterThanOrEqual(prev);
      else expect(Math.abs(theta)).toBeLessThanOrEqual(Math.abs(prev));
    }
    // The error bound holds for the nearest eigenvalue ...
    const near = nearestIndex(ref, theta);
    expect(Math.abs(theta - ref[near])).toBeLessThanOrEqual(res.errorBounds[t] + rt);
    // ... which is the wanted one (spectra here are simple and gapped, and the run converged).
    expect(res.converged).toBe(true);
    expect(Math.abs(theta - ref[want[t]])).toBeLessThanOrEqual(res.errorBounds[t] + rt);
    // Unit vector, sign convention, residual estimate vs explicit residual, convergence criterion.
    expect(Math.abs(norm(y) - 1)).toBeLessThanOrEqual(4 * n * EPS);
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(y[i]) > Math.abs(big)) big = y[i];
    expect(big).toBeGreaterThan(0);
    const explicit = explicitResidual(a, theta, y);
    const roundoff = (4 * n + 2 * res.iterations) * EPS * scale;
    expect(explicit).toBeLessThanOrEqual(res.residualNorms[t] + roundoff);
    expect(explicit).toBeLessThanOrEqual(Math.max(tol * Math.abs(theta), EPS * scale) + roundoff);
    // Eigenvector vs the dense one (Davis–Kahan with the true gap).
    const j = want[t];
    let gap = Infinity;
    for (let l = 0; l < n; l++) if (l !== j) gap = Math.min(gap, Math.abs(ref[l] - ref[j]));
    // Lanczos vector: sin∠ ≤ (explicit residual)/gap; dense vector: sin∠ ≤ rt/gap (its backward error).
    expect(distanceUpToSign(y, column(refVectors, j))).toBeLessThanOrEqual((Math.SQRT2 * (explicit + 2 * rt)) / gap);
  }
  // Returned vectors are mutually orthogonal (distinct eigenvalues).
  for (let s = 0; s < kk; s++)
    for (let t = s + 1; t < kk; t++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += res.vectors[s][i] * res.vectors[t][i];
      expect(Math.abs(d)).toBeLessThanOrEqual(1e-6);
    }
}

/** A Hessian-like spectrum: a few outliers above a bulk with small negative eigenvalues (seeded orthogonal basis). */
function hessianLike(n: number, seed: number): NdArray<Float64Array> {
  const outliers = [40, 31, 25, 18, 12];
  const eigenvalues = Array.from({ length: n }, (_, i) =>
    i < outliers.length ? outliers[i] : 3 * Math.exp((-6 * (i - outliers.length)) / n) - 0.4 * ((i - outliers.length) / n),
  );
  const q = createQuadratic(eigenvalues, seed);
  return ndarray(Float64Array.from(q.a), [n, n]);
}

const WHICH: LanczosWhich[] = ['largest', 'smallest', 'magnitude'];

describe('lanczos', () => {
  it('finds the k wanted eigenpairs of Hessian-like matrices within errorBounds of the dense solver (all three which)', () => {
    for (const [n, seed] of [
      [60, 1],
      [150, 2],
    ]) {
      const a = hessianLike(n, seed);
      for (const which of WHICH) {
        for (const k of [1, 3]) {
          const res = lanczos(a, { k, which });
          checkAgainstDense(a, res, k, which, 1e-10);
        }
      }
    }
  });

  it('finds them on seeded random symmetric (GOE-like) matrices, where it needs most of the space', () => {
    for (const [n, seed] of [
      [5, 1],
      [30, 2],
      [90, 3],
    ]) {
      const a = randomSymmetric(n, seed);
      for (const which of WHICH) checkAgainstDense(a, lanczos(a, { k: 3, which, seed }), 3, which, 1e-10);
    }
  });

  it('converges on λ_max in far fewer matvecs than power iteration on a gapped spectrum', () => {
    const a = hessianLike(150, 5);
    const lz = lanczos(a);
    const pw = powerIteration(a);
    expect(lz.converged && pw.converged).toBe(true);
    expect(lz.matvecs).toBeLessThanOrEqual(40);
    expect(pw.matvecs).toBeGreaterThan(3 * lz.matvecs);
    expectRelClose(lz.values[0], 40, { rel: 1e-12 }); // the outlier put in by construction
  });

  it('matches the closed form 2 − 2cos(kπ/(n+1)) of tridiag(−1, 2, −1) at both ends', () => {
    const n = 24;
    const exact = laplacian1dEigenvalues(n);
    const top = lanczos(laplacian1d(n), { k: 2 });
    const bottom = lanczos(laplacian1d(n), { k: 2, which: 'smallest' });
    for (let t = 0; t < 2; t++) {
      expect(Math.abs(top.values[t] - exact[n - 1 - t])).toBeLessThanOrEqual(top.errorBounds[t]);
      expect(Math.abs(bottom.values[t] - exact[t])).toBeLessThanOrEqual(bottom.errorBounds[t]);
    }
  });

  it('errorBounds hold (Krylov–Weinstein) even when it stops at maxIterations unconverged, with Ritz values inside the spectrum', () => {
    const a = randomSymmetric(100, 9);
    const ref = symmetricEigen(a).values;
    const res = lanczos(a, { k: 2, maxIterations: 6, tol: 1e-14 });
    expect(res.converged).toBe(false);
    expect(res.iterations).toBe(6);
    // Interlacing: θ₁ ≤ λ_max, θ₂ ≤ λ_{n−1}.
    expect(res.values[0]).toBeLessThanOrEqual(ref[99] + refTol(100, ref));
    expect(res.values[1]).toBeLessThanOrEqual(ref[98] + refTol(100, ref));
    for (let t = 0; t < 2; t++) {
      const near = ref[nearestIndex(ref, res.values[t])];
      expect(Math.abs(res.values[t] - near)).toBeLessThanOrEqual(res.errorBounds[t] + refTol(100, ref));
      expect(res.errorBounds[t]).toBeGreaterThanOrEqual(res.residualNorms[t]); // no gap information: bound r
    }
  });

  it('handles breakdown: identity (k = 3 needs fresh vectors), rank-2 and three-valued matrices stop exactly', () => {
    const n = 50;
    const eye = ndarray(new Float64Array(n * n), [n, n]);
    for (let i = 0; i < n; i++) eye.set(i, i, 1);
    const one = lanczos(eye);
    expect(one.iterations).toBe(1);
    expect(one.converged).toBe(true);
    expectRelClose(one.values, [1], { rel: 4 * EPS });
    const three = lanczos(eye, { k: 3 });
    expect(three.iterations).toBe(3);
    expect(three.converged).toBe(true);
    expectRelClose(three.values, [1, 1, 1], { rel: 4 * EPS });
    // The three vectors are orthonormal eigenvectors.
    for (let s = 0; s < 3; s++)
      for (let t = 0; t < 3; t++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += three.vectors[s][i] * three.vectors[t][i];
        expect(Math.abs(d - (s === t ? 1 : 0))).toBeLessThanOrEqual(16 * EPS);
      }

    // Rank 2: A = 5 u uᵀ − 2 w wᵀ with orthonormal u, w; eigenvalues {5, 0 (n − 2 times), −2}.
    const q = createQuadratic([5, -2, ...Array.from({ length: n - 2 }, () => 0)], 4);
    const a = ndarray(Float64Array.from(q.a), [n, n]);
    const top = lanczos(a);
    expect(top.iterations).toBeLessThanOrEqual(3); // Krylov space of dimension 3 is invariant
    expect(top.converged).toBe(true);
    expectRelClose(top.values[0], 5, { rel: 0, abs: top.errorBounds[0] + refTol(n, Float64Array.of(5)) });
    const four = lanczos(a, { k: 4 });
    expect(four.converged).toBe(true);
    expectRelClose(four.values, [5, 0, 0, -2], { rel: 0, abs: 1e-13 });
    const bottom = lanczos(a, { which: 'smallest' });
    expectRelClose(bottom.values[0], -2, { rel: 0, abs: bottom.errorBounds[0] + 1e-14 });
    expect(bottom.iterations).toBeLessThanOrEqual(3);
    const mag = lanczos(a, { k: 2, which: 'magnitude' });
    expectRelClose(mag.values, [5, -2], { rel: 0, abs: 1e-13 });
    for (let t = 0; t < 2; t++) expect(explicitResidual(a, mag.values[t], mag.vectors[t])).toBeLessThanOrEqual(1e-13);
  });

  it('clamps k to the dimension (dim < k) and handles dim 1', () => {
    const a = matrixFromRows([
      [2, -1, 0],
      [-1, 2, -1],
      [0, -1, 2],
    ]);
    const res = lanczos(a, { k: 5 });
    expect(res.values.length).toBe(3);
    expect(res.converged).toBe(true);
    expectRelClose(res.values, [2 + Math.SQRT2, 2, 2 - Math.SQRT2], { rel: 16 * EPS });
    const asc = lanczos(a, { k: 7, which: 'smallest' });
    expectRelClose(asc.values, [2 - Math.SQRT2, 2, 2 + Math.SQRT2], { rel: 16 * EPS });

    const single = lanczos(matrixFromRows([[-4]]), { k: 2, which: 'magnitude' });
    expect(Array.from(single.values)).toEqual([-4]);
    expect(Array.from(single.vectors[0])).toEqual([1]);
    expect(single.matvecs).toBe(1);
    expect(single.residualNorms[0]).toBe(0);
    expect(single.converged).toBe(true);
  });

  it('accepts a LinearOperator, is deterministic for a seed, and accepts a start vector', () => {
    const a = hessianLike(40, 7);
    const n = 40;
    const op: LinearOperator = {
      dim: n,
      apply(v, out) {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += a.data[i * n + j] * v[j];
          out[i] = s;
        }
      },
    };
    const r1 = lanczos(op, { k: 2, seed: 3 });
    const r2 = lanczos(a, { k: 2, seed: 3 });
    const r3 = lanczos(denseOperator(a), { k: 2, seed: 3 });
    expect(Array.from(r1.values)).toEqual(Array.from(r2.values)); // same arithmetic, same seed: bit for bit
    expect(Array.from(r3.values)).toEqual(Array.from(r2.values));
    expect(r1.matvecs).toBe(r2.matvecs);
    const r4 = lanczos(a, { k: 2, seed: 4 });
    for (let t = 0; t < 2; t++) expect(Math.abs(r4.values[t] - r2.values[t])).toBeLessThanOrEqual(r4.errorBounds[t] + r2.errorBounds[t]);

    // An exact eigenvector as start: one matvec, residual at rounding level.
    const ev = symmetricEigen(a);
    const v = column(ev.vectors, n - 1);
    const start = Float64Array.from(v, (x) => 3 * x);
    const copy = Float64Array.from(start);
    const r5 = lanczos(a, { startVector: start });
    expect(Array.from(start)).toEqual(Array.from(copy)); // not modified
    expect(r5.iterations).toBe(1);
    expectRelClose(r5.values[0], ev.values[n - 1], { rel: 8 * n * EPS });
  });

  it('does not modify its input and reports matvecs equal to operator applications', () => {
    const a = hessianLike(30, 8);
    const copy = Float64Array.from(a.data);
    let calls = 0;
    const op: LinearOperator = {
      dim: 30,
      apply(v, out) {
        calls++;
        for (let i = 0; i < 30; i++) {
          let s = 0;
          for (let j = 0; j < 30; j++) s += a.get(i, j) * v[j];
          out[i] = s;
        }
      },
    };
    const res = lanczos(op, { k: 2 });
    expect(calls).toBe(res.matvecs);
    lanczos(a);
    expect(Array.from(a.data)).toEqual(Array.from(copy));
  });

  it('rejects bad input with stable codes', () => {
    const a = randomSymmetric(4, 1);
    expect(code(() => lanczos(a, { k: 0 }))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(a, { k: -1 }))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(a, { k: 1.5 }))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(a, { tol: 0 }))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(a, { tol: -1e-3 }))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(a, { tol: NaN }))).toBe('E_NONFINITE');
    expect(code(() => lanczos(a, { which: 'biggest' as never }))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(a, { maxIterations: 0 }))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(a, { k: 3, maxIterations: 2 }))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(a, { k: 3, maxIterations: 3 }))).toBeUndefined();
    expect(code(() => lanczos(a, { seed: 0.5 }))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(a, { startVector: new Float64Array(3) }))).toBe('E_DIM_MISMATCH');
    expect(code(() => lanczos(a, { startVector: new Float64Array(4) }))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(a, { startVector: Float64Array.of(1, NaN, 0, 0) }))).toBe('E_NONFINITE');
    expect(code(() => lanczos(a, null as never))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(ndarray(new Float64Array(6), [2, 3])))).toBe('E_DIM_MISMATCH');
    expect(code(() => lanczos(ndarray(Float64Array.of(1, Infinity, Infinity, 1), [2, 2])))).toBe('E_NONFINITE');
    expect(code(() => lanczos(matrixFromRows([[1, 2], [0, 1]])))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos({ dim: 0, apply: () => {} }))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos({ dim: 2 } as never))).toBe('E_BAD_OPTION');
    expect(code(() => lanczos(42 as never))).toBe('E_BAD_OPTION');
  });
});

describe('lanczos on a fresh random start per seed', () => {
  it('gives the same λ_max within the bounds for 10 seeds', () => {
    const a = hessianLike(80, 12);
    const r = rng(1);
    for (let s = 0; s < 10; s++) {
      const seed = r.int(1_000_000);
      const res = lanczos(a, { seed });
      expect(Math.abs(res.values[0] - 40)).toBeLessThanOrEqual(res.errorBounds[0] + 4 * 80 * EPS * 40);
    }
  });
});

describe('lanczos regressions (found by fast-check)', () => {
  it('keeps full relative accuracy at tiny and huge scales (T is scaled before QL)', () => {
    for (const a of [1.2310413046380439e-279, 1e280]) {
      // [[0, 0, a], [0, 0, 0], [a, 0, 0]]: eigenvalues −a, 0, a.
      const m = ndarray(Float64Array.of(0, 0, a, 0, 0, 0, a, 0, 0), [3, 3]);
      const top = lanczos(m);
      expectRelClose(top.values[0], a, { rel: 8 * EPS });
      expect(top.errorBounds[0]).toBeLessThanOrEqual(64 * EPS * a);
      const bottom = lanczos(m, { which: 'smallest' });
      expectRelClose(bottom.values[0], -a, { rel: 8 * EPS });
    }
  });

  it('does not stop at a Ritz value near 0 while a tiny positive λ_max is unresolved (tol·max(|θ|, ε^{2/3}‖T‖))', () => {
    // Zero rows 2–6, λ = −9.99999… on row 1, and the block [[0, b], [b, c]] on rows 0 and 7 with b = −1.005e-6,
    // c = −0.0111: λ_max = (c + √(c² + 4b²))/2 ≈ 9.09e-11 > 0, five zero eigenvalues just below it.
    const b = -0.0000010053317035551222;
    const c = -0.011123195956900275;
    const a = ndarray(new Float64Array(64), [8, 8]);
    a.set(0, 7, b);
    a.set(7, 0, b);
    a.set(7, 7, c);
    a.set(1, 1, -9.999999997514044);
    const lambdaMax = (2 * b * b) / (Math.sqrt(c * c + 4 * b * b) - c); // = (c + √(c² + 4b²))/2 without cancellation
    const res = lanczos(a);
    expect(res.converged).toBe(true);
    expect(Math.abs(res.values[0] - lambdaMax)).toBeLessThanOrEqual(res.errorBounds[0]);
    expect(res.errorBounds[0]).toBeLessThan(1e-12);
  });
});
