/**
 * `record.topK` of gd, train and gradientFlow. On a quadratic L = ½θᵀAθ (eigendecomposition known by construction) the
 * tracked values are A's top eigenvalues at every record, and the update projections have closed forms:
 * GD: θ_{k+1} − θ_k = −ηAθ_k, so ⟨Δθ, v₁⟩ = −ηλ₁⟨θ_k, v₁⟩; RK4 multiplies the v₁-component by
 * R(−hλ₁) = 1 − hλ₁ + (hλ₁)²/2 − (hλ₁)³/6 + (hλ₁)⁴/24, so ⟨Δθ, v₁⟩ = (R(−hλ₁) − 1)⟨θ_k, v₁⟩.
 *
 * Tolerance of a projection: the tracked v₁ is off by an angle ≤ r/gap (Davis–Kahan) with r ≤ tol·λ₁ the Lanczos
 * residual and gap = λ₁ − λ₂ = 2, so |error| ≤ ‖Δθ‖·2·tol·λ₁/gap plus rounding of the p-term sums, 64ε·‖θ‖.
 */
import { describe, expect, it } from 'vitest';
import { gd } from '../../src/dynamics/gd.js';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { optimizer } from '../../src/dynamics/optimizers.js';
import { train } from '../../src/dynamics/train.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import { rng } from '../../src/core/rng.js';
import { create, init } from '../../src/models/mlp/index.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { createQuadratic } from '../helpers/quadratic.js';
import { errorCode as code } from '../helpers/errors.js';

/** Unit eigenvector j of the quadratic with the library's sign convention (first entry of largest |·| positive). */
function eigenvector(q: Float64Array, p: number, j: number): Float64Array {
  const v = Float64Array.from({ length: p }, (_, i) => q[i * p + j]);
  let big = 0;
  let sign = 1;
  for (const x of v) if (Math.abs(x) > big) [big, sign] = [Math.abs(x), x < 0 ? -1 : 1];
  return v.map((x) => sign * x);
}

function dotp(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

describe('record.topK', () => {
  const eig = [5, 3, 2.5, ...Array.from({ length: 27 }, (_, i) => 2 - (2 * i) / 26)];
  const quad = createQuadratic(eig, 11);
  const theta0 = rng(5).fillNormal(new Float64Array(quad.dim));
  const v1 = eigenvector(quad.q, quad.dim, 0);
  const TOL = 1e-12;
  const GAP = eig[0] - eig[1];
  const norm = (v: Float64Array) => Math.sqrt(dotp(v, v));

  it('gd: the top-3 eigenvalues at each record and the update projection −ηλ₁⟨θ_k, v₁⟩', () => {
    const eta = 0.3;
    const run = gd(quad.model, theta0, { learningRate: eta, maxSteps: 20, record: { topK: { k: 3, every: 4, vectors: true, tol: TOL } } });
    const t = run.trace.topK!;
    expect(t.k).toBe(3);
    expect(Array.from(t.step)).toEqual([0, 4, 8, 12, 16, 20]);
    for (let j = 0; j < t.step.length; j++) {
      for (let i = 0; i < 3; i++) expect(Math.abs(t.values[j * 3 + i] - eig[i])).toBeLessThan(1e-9 * eig[0]);
      expect(t.converged[j]).toBe(1);
      const vec = t.vectors![j][0];
      expect(Math.abs(dotp(vec, v1))).toBeGreaterThan(1 - 1e-12);
    }
    // Replay: θ_k by plain GD; projections by the closed form.
    const theta = Float64Array.from(theta0);
    const g = new Float64Array(quad.dim);
    for (let k = 0, j = 0; k < 20; k++) {
      if (k === t.step[j]) {
        const expected = -eta * eig[0] * dotp(theta, v1);
        quad.model.lossAndGrad(theta, g);
        const step = eta * norm(g); // ‖θ_{k+1} − θ_k‖
        expect(Math.abs(t.updateProjection[j] - expected)).toBeLessThanOrEqual((step * 2 * TOL * eig[0]) / GAP + 64 * Number.EPSILON * norm(theta));
        j++;
      }
      quad.model.lossAndGrad(theta, g);
      for (let i = 0; i < theta.length; i++) theta[i] -= eta * g[i];
    }
    expect(t.updateProjection[t.step.length - 1]).toBeNaN(); // the run stopped at step 20: no update
    expect(run.stats.hvps).toBe(t.hvps.reduce((a, b) => a + b, 0));
    // The run itself is unchanged by tracking.
    const plain = gd(quad.model, theta0, { learningRate: eta, maxSteps: 20 });
    expect(Array.from(plain.theta)).toEqual(Array.from(run.theta));
    expect(plain.trace.topK).toBeUndefined();
  });

  it('gradientFlow: the same values and the RK4 projection (R(−hλ₁) − 1)⟨θ_k, v₁⟩', () => {
    const h = 0.05;
    const flow = gradientFlow(quad.model, theta0, { step: stepSize.fixed(h), maxSteps: 10, record: { sharpnessEvery: 0, topK: { k: 2, every: 3, tol: TOL } } });
    const t = flow.trace.topK!;
    expect(Array.from(t.step)).toEqual([0, 3, 6, 9]);
    expect(t.vectors).toBeNull();
    const z = -h * eig[0];
    const R = 1 + z + z ** 2 / 2 + z ** 3 / 6 + z ** 4 / 24;
    for (let j = 0; j < t.step.length; j++) {
      for (let i = 0; i < 2; i++) expect(Math.abs(t.values[j * 2 + i] - eig[i])).toBeLessThan(1e-9 * eig[0]);
      const c = dotp(theta0, v1) * R ** t.step[j]; // v₁-component after step[j] RK4 steps
      const expected = (R - 1) * c;
      // RK4 with hλ ≤ 0.25 contracts every component: ‖Δθ‖ ≤ |R(−hλ₁) − 1|·‖θ₀‖.
      const bound = (Math.abs(R - 1) * norm(theta0) * 2 * TOL * eig[0]) / GAP + 64 * Number.EPSILON * norm(theta0);
      expect(Math.abs(t.updateProjection[j] - expected)).toBeLessThanOrEqual(bound);
    }
  });

  it('train (heavy ball): the top-2 eigenvalues and the projection −η⟨u_k, v₁⟩ of the momentum update u_k = βu_{k−1} + ∇L(θ_k)', () => {
    const eta = 0.2;
    const beta = 0.7;
    const run = train(quad.model, theta0, { learningRate: eta, optimizer: optimizer.heavyBall({ momentum: beta }), maxSteps: 15, record: { topK: { k: 2, every: 5, tol: TOL } } });
    const t = run.trace.topK!;
    expect(Array.from(t.step)).toEqual([0, 5, 10, 15]);
    for (let j = 0; j < t.step.length; j++) for (let i = 0; i < 2; i++) expect(Math.abs(t.values[j * 2 + i] - eig[i])).toBeLessThan(1e-9 * eig[0]);
    // Replay by the heavy-ball recursion written out here.
    const theta = Float64Array.from(theta0);
    const g = new Float64Array(quad.dim);
    const u = new Float64Array(quad.dim);
    for (let k = 0, j = 0; k < 15; k++) {
      quad.model.lossAndGrad(theta, g);
      for (let i = 0; i < theta.length; i++) u[i] = beta * u[i] + g[i];
      if (k === t.step[j]) {
        const expected = -eta * dotp(u, v1);
        expect(Math.abs(t.updateProjection[j] - expected)).toBeLessThanOrEqual((eta * norm(u) * 2 * TOL * eig[0]) / GAP + 64 * Number.EPSILON * norm(theta));
        j++;
      }
      for (let i = 0; i < theta.length; i++) theta[i] -= eta * u[i];
    }
    expect(t.updateProjection[3]).toBeNaN();
    expect(run.stats.hvps).toBe(t.hvps.reduce((a, b) => a + b, 0));
    const plain = train(quad.model, theta0, { learningRate: eta, optimizer: optimizer.heavyBall({ momentum: beta }), maxSteps: 15 });
    expect(Array.from(plain.theta)).toEqual(Array.from(run.theta));
    expect(plain.trace.topK).toBeUndefined();
  });

  it('warm starts give the same eigenvalues as cold starts with fewer HVPs along an MLP run', () => {
    const model = create({ layers: [1, 8, 8, 1], activation: 'tanh', loss: 'mse', data: { dataset: 'chebyshev', points: 20, degree: 4 } });
    const th = init(model, { seed: 0 });
    const opts = (warmStart: boolean) => ({ learningRate: 0.2, maxSteps: 200, record: { every: 0, topK: { k: 3, every: 10, warmStart, tol: 1e-8 } } });
    const warm = gd(model, th, opts(true)).trace.topK!;
    const cold = gd(model, th, opts(false)).trace.topK!;
    const sum = (a: Int32Array) => a.reduce((x, y) => x + y, 0);
    expect(sum(warm.hvps)).toBeLessThan(sum(cold.hvps));
    // Both against the dense Hessian at the last record (θ_200 replayed).
    const last = gd(model, th, { learningRate: 0.2, maxSteps: 200, record: { every: 0 } }).theta;
    const dense = symmetricEigen(model.hessian(last)).values;
    const n = dense.length;
    for (let i = 0; i < 3; i++) {
      const ref = dense[n - 1 - i];
      expect(Math.abs(warm.values[(warm.step.length - 1) * 3 + i] - ref)).toBeLessThan(1e-7 * dense[n - 1]);
      expect(Math.abs(cold.values[(cold.step.length - 1) * 3 + i] - ref)).toBeLessThan(1e-7 * dense[n - 1]);
    }
  });

  it('rejects bad topK options', () => {
    const o = (topK: unknown) => () => gd(quad.model, theta0, { learningRate: 0.1, maxSteps: 5, record: { topK: topK as never } });
    expect(code(o({ every: 0 }))).toBe('E_BAD_OPTION');
    expect(code(o({ k: 0 }))).toBe('E_BAD_OPTION');
    expect(code(o({ vectors: 'yes' }))).toBe('E_BAD_OPTION');
    expect(code(o({ neigs: 2 }))).toBe('E_BAD_OPTION');
    expect(code(o(3))).toBe('E_BAD_OPTION');
  });
});
