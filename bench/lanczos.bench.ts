/**
 * Lanczos vs power iteration on λ_max of a 200×200 symmetric matrix with a Hessian-like spectrum.
 *
 * Run: `npx vitest bench --run bench/lanczos.bench.ts`.
 *
 * The matrix is A = Q diag(λ) Qᵀ with Q a seeded Haar-random orthogonal matrix (Gram–Schmidt of a Gaussian
 * matrix) and λ = 10 outliers (100, 82, 67, 55, 45, 37, 30, 25, 21, 18 — "C − 1 outliers above a bulk", as in
 * the Hessians of classifiers) followed by a bulk of 190 values decaying from 8 to slightly negative
 * (8·e^{−5i/189} − 0.3·i/189). λ₂/λ₁ = 0.82, so power iteration's residual shrinks by 0.82 per step.
 *
 * Before timing, it prints a table of operator applications (matvecs = HVPs for a Hessian):
 * - "to rel. err 1e-10": the fewest matvecs after which the estimate of λ_max is within 1e-10·λ_max of the
 *   exact value (known by construction) — each method rerun with maxIterations = m for m = 1, 2, …;
 * - "own stop (tol 1e-10)": what each method uses with its default stopping rule, the relative residual
 *   ‖A y − θ y‖ ≤ 1e-10·|θ| (ARPACK's criterion), and the error it then has.
 * Then it times both with their default stopping rule under bench/interleaved.ts's rules (interleaved rounds,
 * medians with the spread, the ratio taken round by round) and prints that table; vitest's own timing afterwards
 * covers Lanczos alone (no ratio: vitest runs implementations one after another, not interleaved).
 */
import { bench, describe } from 'vitest';
import ndarray from 'ndarray';
import { lanczos } from '../src/linalg/lanczos.js';
import { powerIteration } from '../src/linalg/power-iteration.js';
import { rng } from '../src/core/rng.js';
import { interleave, printInterleaved } from './interleaved.js';

const N = 200;
const OUTLIERS = [100, 82, 67, 55, 45, 37, 30, 25, 21, 18];
const LAMBDA = Array.from({ length: N }, (_, i) => {
  if (i < OUTLIERS.length) return OUTLIERS[i];
  const j = i - OUTLIERS.length;
  return 8 * Math.exp((-5 * j) / 189) - (0.3 * j) / 189;
});
const LAMBDA_MAX = 100;

/** Haar-random orthogonal Q (row-major) by modified Gram–Schmidt on the columns of a Gaussian matrix. */
function randomOrthogonal(n: number, seed: number): Float64Array {
  const g = rng(seed).fillNormal(new Float64Array(n * n));
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += g[i * n + k] * g[i * n + j];
        for (let i = 0; i < n; i++) g[i * n + j] -= s * g[i * n + k];
      }
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += g[i * n + j] ** 2;
    s = Math.sqrt(s);
    for (let i = 0; i < n; i++) g[i * n + j] /= s;
  }
  return g;
}

function buildMatrix(): ndarray.NdArray<Float64Array> {
  const q = randomOrthogonal(N, 2024);
  const a = new Float64Array(N * N);
  for (let i = 0; i < N; i++)
    for (let j = i; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += q[i * N + k] * LAMBDA[k] * q[j * N + k];
      a[i * N + j] = s;
      a[j * N + i] = s;
    }
  return ndarray(a, [N, N]);
}

const A = buildMatrix();
const relErr = (x: number): number => Math.abs(x - LAMBDA_MAX) / LAMBDA_MAX;

function firstToReach(run: (m: number) => number, limit: number): number {
  for (let m = 1; m <= limit; m++) if (relErr(run(m)) <= 1e-10) return m;
  return NaN;
}

const lzOracle = firstToReach((m) => lanczos(A, { maxIterations: m, tol: 1e-300 }).values[0], N);
const pwOracle = firstToReach((m) => powerIteration(A, { maxIterations: m, tol: 1e-300 }).value, 1000);
const lzStop = lanczos(A);
const pwStop = powerIteration(A);

const rows = [
  ['', 'Lanczos (full reorth.)', 'power iteration', 'power / Lanczos'],
  ['matvecs to rel. err 1e-10', String(lzOracle), String(pwOracle), (pwOracle / lzOracle).toFixed(1)],
  ['matvecs, own stop (tol 1e-10)', String(lzStop.matvecs), String(pwStop.matvecs), (pwStop.matvecs / lzStop.matvecs).toFixed(1)],
  ['rel. error at own stop', relErr(lzStop.values[0]).toExponential(1), relErr(pwStop.value).toExponential(1), ''],
  ['reported bound / λ_max', (lzStop.errorBounds[0] / LAMBDA_MAX).toExponential(1), (pwStop.residualNorm / LAMBDA_MAX).toExponential(1), ''],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(`\nλ_max of a ${N}×${N} Hessian-like spectrum (λ₁ = ${LAMBDA_MAX}, λ₂/λ₁ = ${OUTLIERS[1] / OUTLIERS[0]}):`);
for (const r of rows) console.log('  ' + r.map((cell, c) => cell.padEnd(widths[c])).join('  │  '));
console.log('');

const CALLS = 5;
printInterleaved(
  `λ_max of the ${N}×${N} Hessian-like matrix, tol 1e-10, default stopping rules`,
  interleave({ lanczos: () => void lanczos(A), powerIteration: () => void powerIteration(A) }, 7, CALLS),
  'lanczos',
  CALLS,
);

describe(`λ_max of a ${N}×${N} Hessian-like matrix, tol 1e-10 (ratios: the interleaved table above)`, () => {
  bench('lanczos (k = 1, full reorthogonalization)', () => {
    lanczos(A);
  });
});
