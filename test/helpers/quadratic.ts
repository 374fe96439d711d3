/**
 * Test helper: the quadratic loss L(θ) = ½ θᵀAθ with A = Q diag(λ) Qᵀ built from chosen eigenvalues λ and a
 * seeded orthogonal Q (a product of two Householder reflections), so its eigendecomposition is known exactly
 * by construction and no eigensolver is needed to get reference values.
 *
 * Closed forms (independent of the code under test):
 * - gradient flow θ' = −Aθ: θ(t) = Q diag(e^{−λ t}) Qᵀ θ₀;
 * - gradient descent θ_{k+1} = θ_k − ηAθ_k: θ_k = Q diag((1 − ηλ)^k) Qᵀ θ₀;
 * - Hessian ∇²L = A everywhere, so λ_max(∇²L) = max λ (constant along any trajectory).
 *
 * `model.loss` and `model.lossAndGrad` compute L = ½ ⟨θ, Aθ⟩ as `0.5 * (θ · (Aθ))` (left-to-right sums),
 * which tests that predict overflow rely on.
 */
import ndarray from 'ndarray';
import type { LossModel } from '../../src/core/loss-model.js';
import { rng } from '../../src/core/rng.js';

export interface Quadratic {
  /** The LossModel L(θ) = ½ θᵀAθ (kind 'test-quadratic', not registered). */
  readonly model: LossModel;
  readonly dim: number;
  /** The eigenvalues λ as given. */
  readonly eigenvalues: Float64Array;
  /** Q row-major (p×p); column j is the eigenvector of λ_j. */
  readonly q: Float64Array;
  /** A = Q diag(λ) Qᵀ row-major (p×p), exactly symmetric. */
  readonly a: Float64Array;
  /** max λ. */
  readonly lambdaMax: number;
  /** Closed-form gradient flow θ(t) = Q diag(e^{−λt}) Qᵀ θ₀. */
  flow(theta0: Float64Array, t: number): Float64Array;
  /** Closed-form GD iterate θ_k = Q diag((1 − ηλ)^k) Qᵀ θ₀. */
  gdIterate(theta0: Float64Array, learningRate: number, k: number): Float64Array;
  /** Qᵀθ: coordinates of θ in the eigenbasis. */
  toEigenbasis(theta: Float64Array): Float64Array;
}

function householder(u: Float64Array): Float64Array {
  const p = u.length;
  let s = 0;
  for (let i = 0; i < p; i++) s += u[i] * u[i];
  const h = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) h[i * p + j] = (i === j ? 1 : 0) - (2 * u[i] * u[j]) / s;
  return h;
}

function matmul(x: Float64Array, y: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += x[i * p + k] * y[k * p + j];
      out[i * p + j] = s;
    }
  return out;
}

/**
 * Builds the quadratic with the given eigenvalues. `seed` picks Q; for p = 1, Q = [1] and A = [λ].
 */
export function createQuadratic(eigenvalues: readonly number[], seed = 1): Quadratic {
  const p = eigenvalues.length;
  const lambda = Float64Array.from(eigenvalues);
  let q: Float64Array;
  if (p === 1) {
    q = Float64Array.of(1);
  } else {
    const r = rng(seed);
    const u1 = r.fillNormal(new Float64Array(p));
    const u2 = r.fillNormal(new Float64Array(p));
    q = matmul(householder(u1), householder(u2), p);
  }
  const a = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = i; j < p; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += q[i * p + k] * lambda[k] * q[j * p + k];
      a[i * p + j] = s;
      a[j * p + i] = s;
    }

  const matvec = (v: Float64Array, out: Float64Array): Float64Array => {
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += a[i * p + j] * v[j];
      out[i] = s;
    }
    return out;
  };
  const tmp = new Float64Array(p);
  const model: LossModel = {
    spec: { kind: 'test-quadratic', eigenvalues: [...eigenvalues], seed },
    dim: p,
    loss(theta) {
      matvec(theta, tmp);
      let s = 0;
      for (let i = 0; i < p; i++) s += theta[i] * tmp[i];
      return 0.5 * s;
    },
    lossAndGrad(theta, gradOut) {
      matvec(theta, gradOut);
      let s = 0;
      for (let i = 0; i < p; i++) s += theta[i] * gradOut[i];
      return 0.5 * s;
    },
    hvp(_theta, v, out) {
      matvec(v, out);
    },
    hessian() {
      return ndarray(Float64Array.from(a), [p, p]);
    },
  };

  const toEigenbasis = (theta: Float64Array): Float64Array => {
    const c = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < p; i++) s += q[i * p + j] * theta[i];
      c[j] = s;
    }
    return c;
  };
  const fromEigenbasis = (c: Float64Array): Float64Array => {
    const out = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += q[i * p + j] * c[j];
      out[i] = s;
    }
    return out;
  };

  return {
    model,
    dim: p,
    eigenvalues: lambda,
    q,
    a,
    lambdaMax: Math.max(...eigenvalues),
    toEigenbasis,
    flow(theta0, t) {
      const c = toEigenbasis(theta0);
      for (let j = 0; j < p; j++) c[j] *= Math.exp(-lambda[j] * t);
      return fromEigenbasis(c);
    },
    gdIterate(theta0, learningRate, k) {
      const c = toEigenbasis(theta0);
      for (let j = 0; j < p; j++) c[j] *= Math.pow(1 - learningRate * lambda[j], k);
      return fromEigenbasis(c);
    },
  };
}
