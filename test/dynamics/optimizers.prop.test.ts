/**
 * The stability thresholds of the momentum and adaptive methods on random quadratics: with the top eigenvalue just
 * below the threshold the iteration converges, just above it diverges. Heavy ball and Nesterov run through the
 * `train` driver; Adam runs through the `optimizerStep` primitive with a frozen preconditioner (β₂ = 1, no bias
 * correction, ν set by hand), on a quadratic built so that P^{-1/2}HP^{-1/2} = QΛQᵀ has known eigenvalues Λ.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LossModel } from '../../src/core/loss-model.js';
import {
  adamThreshold,
  createOptimizerState,
  heavyBallThreshold,
  nesterovThreshold,
  optimizer,
  optimizerStep,
} from '../../src/dynamics/optimizers.js';
import { train } from '../../src/dynamics/train.js';
import { preconditionedSharpness } from '../../src/sharpness/preconditioned.js';
import { finiteVector } from '../../src/testing/index.js';
import { createQuadratic } from '../helpers/quadratic.js';

const spectrum = fc.array(fc.double({ min: 0.5, max: 5, noNaN: true }), { minLength: 1, maxLength: 5 });
const problem = fc
  .tuple(spectrum, fc.integer({ min: 1, max: 1000 }))
  .chain(([eig, seed]) => fc.tuple(fc.constant(eig), fc.constant(seed), finiteVector({ dim: eig.length, min: -2, max: 2 })));
const momentum = fc.double({ min: 0, max: 0.95, noNaN: true });
// "Just below" and "just above": the top eigenvalue at 95–99% and 101–105% of the threshold.
const below = fc.double({ min: 0.95, max: 0.99, noNaN: true });
const above = fc.double({ min: 1.01, max: 1.05, noNaN: true });

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

describe.each([
  ['heavy ball', (b: number) => optimizer.heavyBall({ momentum: b }), heavyBallThreshold, (b: number) => 2 + 2 * b],
  ['Nesterov', (b: number) => optimizer.nesterov({ momentum: b }), nesterovThreshold, (b: number) => (2 + 2 * b) / (1 + 2 * b)],
])('%s on random quadratics', (_name, make, threshold, etaLambda) => {
  it('the exported threshold is the closed form (c(β)/η) for random η, β', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 10, noNaN: true }), momentum, (eta, b) => {
        // c(β)/η evaluated independently; the two differ by at most a few roundings.
        expect(Math.abs(threshold(eta, b) - etaLambda(b) / eta)).toBeLessThanOrEqual(4 * Number.EPSILON * (etaLambda(b) / eta));
      }),
      { numRuns: 1000 },
    );
  });

  it('converges with λ_max just below the threshold and diverges just above (1,000 runs)', () => {
    fc.assert(
      fc.property(problem, momentum, below, above, ([eig, seed, theta0], b, lo, hi) => {
        const quad = createQuadratic(eig, seed);
        const c = quad.toEigenbasis(theta0);
        const top = eig.indexOf(quad.lambdaMax);
        fc.pre(Math.abs(c[top]) > 1e-3); // a component along the top eigenvector
        const l0 = quad.model.loss(theta0);
        // η with λ_max = lo·threshold(η): η = lo·c(β)/λ_max.
        const etaStable = (lo * etaLambda(b)) / quad.lambdaMax;
        expect(quad.lambdaMax).toBeLessThan(threshold(etaStable, b));
        const ok = train(quad.model, theta0, { learningRate: etaStable, optimizer: make(b), lossGoal: 1e-12 * l0, maxSteps: 200_000, record: { every: 0 } });
        expect(ok.status).toBe('converged');
        const etaUnstable = (hi * etaLambda(b)) / quad.lambdaMax;
        expect(quad.lambdaMax).toBeGreaterThan(threshold(etaUnstable, b));
        const bad = train(quad.model, theta0, { learningRate: etaUnstable, optimizer: make(b), maxSteps: 200_000, record: { every: 0 } });
        expect(bad.status).toBe('diverged');
        expect(bad.theta.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

/**
 * L = ½θᵀHθ with H = D QΛQᵀ D, D = diag(√p): then P^{-1/2}HP^{-1/2} = QΛQᵀ for P = diag(p), so λ_max(P⁻¹H) = max Λ.
 */
function preconditionedQuadratic(eig: number[], seed: number, p: Float64Array): LossModel {
  const quad = createQuadratic(eig, seed);
  const n = eig.length;
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] = Math.sqrt(p[i]) * quad.a[i * n + j] * Math.sqrt(p[j]);
  const mv = (v: Float64Array, out: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += h[i * n + j] * v[j];
      out[i] = s;
    }
  };
  const tmp = new Float64Array(n);
  return {
    spec: { kind: 'test-preconditioned-quadratic' },
    dim: n,
    loss(theta) {
      mv(theta, tmp);
      let s = 0;
      for (let i = 0; i < n; i++) s += theta[i] * tmp[i];
      return 0.5 * s;
    },
    lossAndGrad(theta, g) {
      mv(theta, g);
      let s = 0;
      for (let i = 0; i < n; i++) s += theta[i] * g[i];
      return 0.5 * s;
    },
    hvp(_theta, v, out) {
      mv(v, out);
    },
  };
}

const preconditioner = (dim: number) => fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: dim, maxLength: dim }).map((a) => Float64Array.from(a));

describe('Adam with a frozen preconditioner P (β₂ = 1, no bias correction) on random quadratics', () => {
  const adamProblem = problem.chain(([eig, seed, theta0]) => fc.tuple(fc.constant(eig), fc.constant(seed), fc.constant(theta0), preconditioner(eig.length)));

  it('preconditionedSharpness returns max Λ, the closed form, to Lanczos accuracy', () => {
    fc.assert(
      fc.property(adamProblem, ([eig, seed, theta0, p]) => {
        const model = preconditionedQuadratic(eig, seed, p);
        const lam = Math.max(...eig);
        // tol 1e-10 relative residual; rounding in H = DQΛQᵀD and the scalings adds O(pε·κ(D)) ≤ 1e-13 relative.
        expect(Math.abs(preconditionedSharpness(model, theta0, p) - lam)).toBeLessThanOrEqual(1e-9 * lam);
      }),
      { numRuns: 1000 },
    );
  });

  it('converges with λ_max(P⁻¹H) just below (2 + 2β₁)/((1 − β₁)η) and diverges just above (1,000 runs)', () => {
    fc.assert(
      fc.property(adamProblem, momentum, below, above, ([eig, seed, theta0, p], b1, lo, hi) => {
        const model = preconditionedQuadratic(eig, seed, p);
        const lam = Math.max(...eig);
        // the component along the top eigenvector of QΛQᵀ, in the coordinates u = P^{1/2}θ where the iteration is heavy ball
        const quad = createQuadratic(eig, seed);
        const u = Float64Array.from(theta0, (t, i) => t * Math.sqrt(p[i]));
        fc.pre(Math.abs(quad.toEigenbasis(u)[eig.indexOf(lam)]) > 1e-3);
        const opt = optimizer.adam({ beta1: b1, beta2: 1, epsilon: 0, biasCorrection: false });
        const run = (eta: number): 'converged' | 'diverged' | 'undecided' => {
          const theta = Float64Array.from(theta0);
          const g = new Float64Array(theta.length);
          const state = createOptimizerState(opt, theta.length);
          for (let i = 0; i < p.length; i++) state.secondMoment[i] = p[i] * p[i]; // √ν = p, frozen by β₂ = 1
          const l0 = model.loss(theta);
          for (let k = 0; k < 200_000; k++) {
            const L = model.lossAndGrad(theta, g);
            if (L <= 1e-12 * l0) return 'converged';
            optimizerStep(opt, theta, g, state, eta, theta);
            if (!(norm(theta) < 1e6)) return 'diverged';
          }
          return 'undecided';
        };
        const c = (2 + 2 * b1) / (1 - b1);
        const etaStable = (lo * c) / lam;
        expect(lam).toBeLessThan(adamThreshold(etaStable, b1));
        expect(run(etaStable)).toBe('converged');
        const etaUnstable = (hi * c) / lam;
        expect(lam).toBeGreaterThan(adamThreshold(etaUnstable, b1));
        expect(run(etaUnstable)).toBe('diverged');
      }),
      { numRuns: 1000 },
    );
  });
});
