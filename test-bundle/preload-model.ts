// Preloaded (as TypeScript, under tsx) by the worker threads of test-bundle/parallel-tsx.ts: registers a user
// model through `import 'eos-lab'`. The workers load it with the same loader as the package (tsx's require hook
// and dist/index.cjs), so the model lands in the registry the workers' tasks read.
import { createModel, registerModel, type LossModel, type ModelSpec } from 'eos-lab';

/** L(x, y) = ½(a·x² + y²), a user model of dim 2. */
export function tsQuadratic(spec: ModelSpec): LossModel {
  const a = spec.a as number;
  return {
    spec,
    dim: 2,
    loss: (t) => 0.5 * (a * t[0] * t[0] + t[1] * t[1]),
    lossAndGrad: (t, g) => {
      g[0] = a * t[0];
      g[1] = t[1];
      return 0.5 * (a * t[0] * t[0] + t[1] * t[1]);
    },
    hvp: (_t, v, out) => {
      out[0] = a * v[0];
      out[1] = v[1];
    },
  };
}

registerModel('bundle-quadratic-ts', tsQuadratic);
export const check = createModel({ kind: 'bundle-quadratic-ts', a: 1 }).dim;
