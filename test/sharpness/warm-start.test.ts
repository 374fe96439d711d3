import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { create } from '../../src/models/diagonal-net/model.js';
import { createSharpnessWorkspace, resolveSharpnessOptions, sharpnessEstimateUnchecked } from '../../src/sharpness/sharpness.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { gd } from '../../src/dynamics/gd.js';
import { errorCode as code } from '../helpers/errors.js';

/*
 * Warm starts along a run (SharpnessOptions.warmStart): at every iterate of a GD run on a d = 120 diagonal net,
 * the warm-started Lanczos value must lie within its own errorBound of the dense λ_max (symmetricEigen of the
 * analytic Hessian, backward stable: + 4p·ε·‖H‖), exactly as the cold (random-start) value must. HVP counts are
 * printed, not asserted (a speed claim belongs to the bench).
 */
function problem(): { model: ReturnType<typeof create>; theta0: Float64Array } {
  const d = 60;
  const n = 10;
  const r = rng(5);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
  const y = X.map((row) => row[0] + row[1] - row[2]);
  const model = create({ inputs: X, targets: y, parametrization: 'difference' });
  const theta0 = new Float64Array(model.dim).fill(0.3);
  for (let i = 0; i < model.dim; i++) theta0[i] += 0.05 * r.normal();
  return { model, theta0 };
}

describe('sharpness warm starts along a run', () => {
  it('each warm-started estimate is within its errorBound of the dense λ_max (d = 120 diagonal net, 40 GD steps)', () => {
    const { model, theta0 } = problem();
    const opts = resolveSharpnessOptions(model, { method: 'lanczos' });
    const wsWarm = createSharpnessWorkspace(model);
    wsWarm.warm = new Float64Array(model.dim);
    const wsCold = createSharpnessWorkspace(model);
    const theta = theta0.slice();
    const g = new Float64Array(model.dim);
    let hvpsWarm = 0;
    let hvpsCold = 0;
    const eps = Number.EPSILON;
    for (let step = 0; step < 40; step++) {
      const warm = sharpnessEstimateUnchecked(model, theta, opts, wsWarm);
      const cold = sharpnessEstimateUnchecked(model, theta, opts, wsCold);
      const dense = symmetricEigen(model.hessian!(theta)).values;
      const lmax = dense[dense.length - 1];
      const ref = 4 * model.dim * eps * Math.max(Math.abs(dense[0]), Math.abs(lmax));
      expect(warm.converged).toBe(true);
      expect(Math.abs(warm.value - lmax)).toBeLessThanOrEqual(warm.errorBound + ref);
      expect(Math.abs(cold.value - lmax)).toBeLessThanOrEqual(cold.errorBound + ref);
      hvpsWarm += warm.hvps;
      hvpsCold += cold.hvps;
      model.lossAndGrad(theta, g);
      const eta = 1.5 / lmax; // between 1/λ and 2/λ: a GD step that moves θ appreciably
      for (let i = 0; i < theta.length; i++) theta[i] -= eta * g[i];
    }
    console.log(`warm-start test: HVPs over 40 estimates, warm ${hvpsWarm}, cold ${hvpsCold}`);
  });

  it('gd with record.sharpness: warm and cold runs record the same sharpness to 1e-9 relative, same steps', () => {
    const { model, theta0 } = problem();
    const run = (warmStart: boolean) =>
      gd(model, theta0, { learningRate: 0.05, maxSteps: 60, record: { sharpness: { method: 'lanczos', warmStart }, sharpnessEvery: 1 } });
    const a = run(true);
    const b = run(false);
    expect(a.steps).toBe(b.steps);
    const sa = a.trace.sharpness!;
    const sb = b.trace.sharpness!;
    expect(sa.length).toBe(sb.length);
    for (let i = 0; i < sa.length; i++) expect(Math.abs(sa[i] - sb[i])).toBeLessThanOrEqual(1e-9 * Math.abs(sb[i]));
  });

  it('rejects a non-boolean warmStart', () => {
    const { model } = problem();
    expect(code(() => resolveSharpnessOptions(model, { warmStart: 1 as unknown as boolean }))).toBe('E_BAD_OPTION');
  });
});
