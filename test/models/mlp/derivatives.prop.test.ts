/**
 * The MLP's exact derivatives, three ways, on random architectures, activations, losses, data and parameters:
 * gradient and HVP against Richardson-extrapolated central differences (eos-lab/testing; tolerance rel 1e-6 on the
 * scale max(1, ‖·‖∞) plus the rounding allowance 16·ε·|L|/h — the extrapolated difference is accurate to O(h⁴) ≈ 1e-12
 * here, so 1e-6 only absorbs curvature of higher order), HVP against the dense Hessian column by column, and the
 * symmetry ⟨u, H v⟩ = ⟨H u, v⟩ of the R-operator (which is not symmetric by construction: it differentiates the
 * backward pass along v) within 64·p·ε·S-sized rounding. The scale S is max|H| plus the largest entry of the
 * Gauss–Newton-sized Hessian of the same network under MSE with zero targets: rounding in the HVP is relative to
 * the intermediate quantities (J v, products of weights and activations), which can be far larger than H itself —
 * e.g. with saturated softmax, where ∇²_f ℓ = diag(s) − ssᵀ ≈ 0 is computed with cancellation.
 *
 * ReLU is not twice differentiable where a hidden pre-activation is 0; a finite difference whose stencil crosses
 * a kink measures a jump, not the derivative. Those cases are discarded (fc.pre) when some |z| is below 0.05,
 * far beyond the stencil's reach (the perturbation moves z by at most ~1e-3·‖x‖·‖v‖).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rng } from '../../../src/core/rng.js';
import { create, init } from '../../../src/models/mlp/index.js';
import { checkGradient, checkHvp } from '../../../src/testing/index.js';
import { referenceForward } from './reference.js';

const EPS = Number.EPSILON;

const problem = fc.record({
  layers: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }),
  activation: fc.constantFrom('tanh', 'relu', 'identity'),
  loss: fc.constantFrom('mse', 'cross-entropy'),
  examples: fc.integer({ min: 1, max: 6 }),
  scale: fc.constantFrom(0.5, 1, 3),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

type Problem = {
  layers: number[];
  activation: 'tanh' | 'relu' | 'identity';
  loss: 'mse' | 'cross-entropy';
  examples: number;
  scale: number;
  seed: number;
};

function build(p: Problem) {
  const layers = p.layers.slice();
  if (p.loss === 'cross-entropy' && layers[layers.length - 1] < 2) layers[layers.length - 1] = 2;
  const d = layers[0];
  const k = layers[layers.length - 1];
  const r = rng(p.seed);
  const inputs = Array.from({ length: p.examples }, () => Array.from({ length: d }, () => r.normal()));
  const targets =
    p.loss === 'mse'
      ? inputs.map(() => Array.from({ length: k }, () => r.normal()))
      : inputs.map(() => {
          // probability rows (not only one-hot): the loss is linear in y, the gradient uses Σ_c y_c
          const w = Array.from({ length: k }, () => r.uniform());
          const s = w.reduce((a, b) => a + b, 0);
          return w.map((x) => x / s);
        });
  const model = create({ layers, activation: p.activation, loss: p.loss, inputs, targets });
  const theta = init(model, { seed: p.seed, scale: p.scale });
  const v = r.fillNormal(new Float64Array(model.dim));
  const u = r.fillNormal(new Float64Array(model.dim));
  const margin = referenceForward(layers, p.activation, theta, inputs).minAbsHiddenPreactivation;
  const twin = create({ layers, activation: p.activation, loss: 'mse', inputs, targets: inputs.map(() => new Array<number>(k).fill(0)) });
  return { model, theta, v, u, margin, twin };
}

describe('MLP derivatives (properties)', () => {
  it('gradient and HVP agree with finite differences (ReLU: away from kinks)', () => {
    fc.assert(
      fc.property(problem, (p) => {
        const { model, theta, v, margin } = build(p as Problem);
        fc.pre(p.activation !== 'relu' || margin > 0.05);
        const g = checkGradient(model, theta);
        if (!g.pass) throw new Error(`gradient: max error ${g.maxError} > ${g.tolerance} at ${g.worstIndex}`);
        const h = checkHvp(model, theta, v);
        if (!h.pass) throw new Error(`hvp: max error ${h.maxError} > ${h.tolerance} at ${h.worstIndex}`);
      }),
      { numRuns: 200 },
    );
  });

  it('HVP equals the dense Hessian times v, and ⟨u, H v⟩ = ⟨H u, v⟩', () => {
    fc.assert(
      fc.property(problem, (p) => {
        const { model, theta, v, u, twin } = build(p as Problem);
        const n = model.dim;
        const H = model.hessian(theta);
        const scaleH = twin.hessian(theta).data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
        const hv = new Float64Array(n);
        const hu = new Float64Array(n);
        model.hvp(theta, v, hv);
        model.hvp(theta, u, hu);
        let scale = 0;
        for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(H.data[i]));
        scale += scaleH; // S = max|H| + Gauss–Newton-sized scale (see the header)
        const vMax = Math.max(...Array.from(v, Math.abs));
        const uMax = Math.max(...Array.from(u, Math.abs));
        // H v by the dense matrix: the R-operator is linear in v, so column sums reproduce it up to rounding.
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += H.data[i * n + j] * v[j];
          expect(Math.abs(s - hv[i])).toBeLessThanOrEqual(64 * n * EPS * scale * vMax + 1e-300);
        }
        let uhv = 0;
        let huv = 0;
        let mag = 0;
        for (let i = 0; i < n; i++) {
          uhv += u[i] * hv[i];
          huv += hu[i] * v[i];
          mag += Math.abs(u[i]) * Math.abs(hv[i]) + Math.abs(hu[i]) * Math.abs(v[i]);
        }
        expect(Math.abs(uhv - huv)).toBeLessThanOrEqual(64 * n * EPS * (mag + n * scale * uMax * vMax) + 1e-300);
        // The dense Hessian is symmetric up to rounding without being symmetrized.
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(Math.abs(H.data[i * n + j] - H.data[j * n + i])).toBeLessThanOrEqual(64 * n * EPS * scale + 1e-300);
      }),
      { numRuns: 200 },
    );
  });
});
