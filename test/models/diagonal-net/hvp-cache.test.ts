import { describe, expect, it } from 'vitest';
import { rng } from '../../../src/core/rng.js';
import { create } from '../../../src/models/diagonal-net/model.js';

/*
 * The diagonal net's HVP reuses its θ-only intermediates (powers, residuals, Xᵀr) across calls at the same θ. Every
 * HVP must equal, bit for bit, the HVP of a fresh model (no cache) at the same θ and v — whatever was called in
 * between (loss, lossAndGrad, hessian at other points, θ changed in place, a zero changing sign).
 */
describe('diagonal net HVP cache', () => {
  for (const parametrization of ['shared', 'difference'] as const) {
    it(`${parametrization}: cached HVPs equal a fresh model's bit for bit across interleaved calls`, () => {
      const g = rng(3);
      const d = 7;
      const X = Array.from({ length: 4 }, () => Array.from({ length: d }, () => g.normal()));
      const spec = { inputs: X, targets: [1, -0.5, 2, 0.3], depth: 3, parametrization };
      const model = create(spec);
      const dim = model.dim;
      const theta = Float64Array.from({ length: dim }, () => g.normal());
      const other = Float64Array.from({ length: dim }, () => g.normal());
      const v = new Float64Array(dim);
      const out = new Float64Array(dim);
      const ref = new Float64Array(dim);
      const grad = new Float64Array(dim);
      const check = () => {
        g.fillNormal(v);
        model.hvp(theta, v, out);
        create(spec).hvp(theta, v, ref);
        expect(Array.from(out).map((x) => (Object.is(x, -0) ? '-0' : x))).toEqual(Array.from(ref).map((x) => (Object.is(x, -0) ? '-0' : x)));
      };
      for (let step = 0; step < 40; step++) {
        check();
        check(); // same θ: the cached path
        const action = step % 5;
        if (action === 0) model.lossAndGrad(other, grad);
        else if (action === 1) model.loss(other);
        else if (action === 2) model.hessian!(other);
        else if (action === 3) theta[step % dim] += 0.1; // in place, as the drivers do
        else theta[step % dim] = step % 2 === 0 ? 0 : -0;
        check();
      }
    });
  }
});
