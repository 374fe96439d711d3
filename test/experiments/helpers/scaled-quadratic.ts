/**
 * Test helper (a module workers can `preload`): registers L(θ) = ½·a·‖θ‖₂² under `'test-scaled-quadratic'` (spec
 * `{ a, dim }`). `scaledQuadratic(specA, a)` builds an object whose spec says `specA` but whose loss uses `a`:
 * a model its spec does not describe (what a user model with state outside its spec looks like). GD on it
 * converges for η·a < 2 and diverges for η·a > 2. `calls.lossAndGrad` counts gradient evaluations of the objects.
 */
import type { LossModel, ModelSpec } from '../../../src/core/loss-model.js';
import { registerModel } from '../../../src/core/registry.js';

export const calls = { lossAndGrad: 0 };

export function scaledQuadratic(specA: number, a: number = specA, dim = 2): LossModel {
  const spec: ModelSpec = { kind: 'test-scaled-quadratic', a: specA, dim };
  const loss = (t: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < dim; i++) s += t[i] * t[i];
    return 0.5 * a * s;
  };
  return {
    spec,
    dim,
    loss,
    lossAndGrad(t, g) {
      calls.lossAndGrad++;
      for (let i = 0; i < dim; i++) g[i] = a * t[i];
      return loss(t);
    },
    hvp(_t, v, out) {
      for (let i = 0; i < dim; i++) out[i] = a * v[i];
    },
  };
}

registerModel('test-scaled-quadratic', (spec: ModelSpec) => scaledQuadratic(spec.a as number, spec.a as number, spec.dim as number));
