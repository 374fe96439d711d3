/**
 * Test helper (a module workers can `preload`): registers the separable model L(θ) = Σᵢ (1 − cos θᵢ) under
 * `'test-cosine'`. Its gradient sin θ is bounded, so GD never blows up quickly: at large η it wanders (status
 * 'max-steps') until |θ| passes a divergence threshold, which exercises a sweep's onward points.
 * Hessian diag(cos θᵢ): λ_max and max|λ| differ where cos θᵢ < 0.
 */
import ndarray from 'ndarray';
import type { LossModel, ModelSpec } from '../../../src/core/loss-model.js';
import { registerModel } from '../../../src/core/registry.js';

export function cosineModel(dim: number): LossModel {
  const spec: ModelSpec = { kind: 'test-cosine', dim };
  return {
    spec,
    dim,
    loss(theta) {
      let s = 0;
      for (let i = 0; i < dim; i++) s += 1 - Math.cos(theta[i]);
      return s;
    },
    lossAndGrad(theta, g) {
      let s = 0;
      for (let i = 0; i < dim; i++) {
        s += 1 - Math.cos(theta[i]);
        g[i] = Math.sin(theta[i]);
      }
      return s;
    },
    hvp(theta, v, out) {
      for (let i = 0; i < dim; i++) out[i] = Math.cos(theta[i]) * v[i];
    },
    hessian(theta) {
      const h = ndarray(new Float64Array(dim * dim), [dim, dim]);
      for (let i = 0; i < dim; i++) h.set(i, i, Math.cos(theta[i]));
      return h;
    },
  };
}

registerModel('test-cosine', (spec: ModelSpec) => cosineModel(spec.dim as number));
