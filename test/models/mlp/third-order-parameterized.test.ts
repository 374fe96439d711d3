/**
 * The MLP's third-order term under the NTK and μP parameterizations: L(θ) = L_std(Cθ), so ∇³L(θ)[u, v] must be
 * C ∇³L_std(Cθ)[Cu, Cv]. Checked against finite differences of the parameterized model's own HVPs (checkThirdOrder,
 * default tolerances), and against the standard model's thirdOrder rescaled by hand.
 */
import { describe, expect, it } from 'vitest';
import { rng } from '../../../src/core/rng.js';
import { create, init } from '../../../src/models/mlp/index.js';
import { multiplierVector } from '../../../src/models/mlp/parameterization.js';
import { checkThirdOrder } from '../../../src/testing/index.js';

const data = {
  inputs: [[0.3, -1.1], [1.4, 0.2], [-0.7, 0.9], [0.1, 0.5]],
  targets: [[0.5], [-0.2], [0.8], [0.1]],
};

describe('mlp thirdOrder with a parameterization', () => {
  for (const parameterization of ['ntk', 'mup'] as const) {
    it(`${parameterization}: agrees with finite differences of its HVPs and with C·T_std(Cθ)[Cu, Cv]`, () => {
      const layers = [2, 5, 4, 1];
      const model = create({ layers, activation: 'tanh', parameterization, ...data });
      const standard = create({ layers, activation: 'tanh', ...data });
      const r = rng(11);
      const theta = init(model, { seed: 2, scheme: 'standard-normal' });
      const u = r.fillNormal(new Float64Array(model.dim));
      const v = r.fillNormal(new Float64Array(model.dim));
      const check = checkThirdOrder(model, theta, u, v);
      expect(check.pass, `max error ${check.maxError} > tolerance ${check.tolerance}`).toBe(true);

      const c = multiplierVector(layers, parameterization);
      expect(c.some((x) => x !== 1)).toBe(true); // the parameterization really rescales something
      const scaled = (x: Float64Array): Float64Array => x.map((xi, i) => c[i] * xi);
      const expected = new Float64Array(model.dim);
      standard.thirdOrder(scaled(theta), scaled(u), scaled(v), expected);
      const actual = new Float64Array(model.dim);
      model.thirdOrder(theta, u, v, actual);
      for (let i = 0; i < model.dim; i++) expect(actual[i]).toBe(c[i] * expected[i]);
    });
  }
});
