/**
 * The kernel (NTK) and μP parameterizations of the MLP [Conflicting biases, App. H.7]:
 *  - function values: the parameterized network at θ is the standard network at Cθ (weights of layer ℓ times c_ℓ),
 *    checked against the independent loop-by-loop forward pass of reference.ts with the documented multipliers
 *    c_ℓ = 1/√n_{ℓ−1} (NTK) and, for μP, c_L = 1/n_{L−1} on the output layer;
 *  - exact derivatives of the parameterized loss against finite differences (eos-lab/testing, default tolerances);
 *  - the init-variance laws at N(0, 1) weights: NTK pre-activations and outputs have variance O(1) at every width;
 *    the μP output variance falls like 1/n (here ×1/8 from width 32 to 256, within a factor 2 for sampling).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rng } from '../../../src/core/rng.js';
import { create, init } from '../../../src/models/mlp/index.js';
import { checkGradient, checkHvp, expectRelClose } from '../../../src/testing/index.js';
import { errorCode } from '../../helpers/errors.js';
import { referenceForward } from './reference.js';

function rescaled(layers: number[], theta: Float64Array, multipliers: number[]): Float64Array {
  const out = Float64Array.from(theta);
  let off = 0;
  for (let l = 1; l < layers.length; l++) {
    const w = layers[l] * layers[l - 1];
    for (let i = off; i < off + w; i++) out[i] *= multipliers[l - 1];
    off += w + layers[l];
  }
  return out;
}

describe('mlp parameterizations', () => {
  const r = rng(3);
  const layers = [3, 7, 5, 2];
  const X = Array.from({ length: 6 }, () => [r.normal(), r.normal(), r.normal()]);
  const Y = X.map(() => [r.normal(), r.normal()]);

  it('NTK and μP networks equal the standard network with weights scaled by c_ℓ (reference forward pass)', () => {
    const ntk = create({ layers, activation: 'tanh', parameterization: 'ntk', inputs: X, targets: Y });
    const mup = create({ layers, activation: 'tanh', parameterization: 'mup', inputs: X, targets: Y });
    const std = create({ layers, activation: 'tanh', inputs: X, targets: Y });
    const theta = init(ntk, { seed: 1, scheme: 'standard-normal' });
    const cNtk = [1 / Math.sqrt(3), 1 / Math.sqrt(7), 1 / Math.sqrt(5)];
    const cMup = [1 / Math.sqrt(3), 1 / Math.sqrt(7), 1 / 5];
    for (const [model, c] of [[ntk, cNtk], [mup, cMup]] as const) {
      const ref = referenceForward(layers, 'tanh', rescaled(layers, theta, c as number[]), X);
      const out = new Float64Array(12);
      model.outputs(theta, out);
      expectRelClose(out, ref.outputs.flat(), { rel: 1e-13, abs: 1e-15 });
      expectRelClose(model.loss(theta), std.loss(rescaled(layers, theta, c as number[])), { rel: 1e-14 });
    }
    // μP's output is NTK's divided by √n_{L−1} = √5 (the extra logit rescaling of App. H.7)
    const a = new Float64Array(12);
    const b = new Float64Array(12);
    ntk.outputs(theta, a);
    mup.outputs(theta, b);
    expectRelClose(b, Array.from(a, (x) => x / Math.sqrt(5)), { rel: 1e-14, abs: 1e-16 });
  });

  it('spec round trip, default absent, bad values rejected; standard-normal init: zero biases, N(0, s²) weights', () => {
    expect(create({ layers, inputs: X, targets: Y }).spec.parameterization).toBeUndefined();
    expect(create({ layers, parameterization: 'mup', inputs: X, targets: Y }).spec.parameterization).toBe('mup');
    const mup = create({ layers, parameterization: 'mup', inputs: X, targets: Y });
    const view = mup.createBatchView();
    view.select(Int32Array.from([4, 1]), 2);
    const t = init(mup, { seed: 9, scheme: 'standard-normal' });
    const pair = create({ layers, parameterization: 'mup', inputs: [X[4], X[1]], targets: [Y[4], Y[1]] });
    expect(view.loss(t)).toBe(pair.loss(t)); // the batch view is parameterized too
    expect(errorCode(() => create({ layers, parameterization: 'ntp' as never, inputs: X, targets: Y }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => init({ layers }, { scheme: 'normal' as never }))).toBe('E_BAD_OPTION');
    const wide = [50, 200, 1];
    const theta = init({ layers: wide }, { seed: 4, scheme: 'standard-normal', scale: 5 });
    expect(Array.from(theta.subarray(10000, 10200)).every((x) => x === 0)).toBe(true); // b₁
    const w = theta.subarray(0, 10000);
    const mean = w.reduce((s, x) => s + x, 0) / w.length;
    const variance = w.reduce((s, x) => s + (x - mean) ** 2, 0) / w.length;
    // 10⁴ draws: the sample variance of N(0, 25) has relative sd √(2/10⁴) ≈ 1.4 %; 6 % is > 4 sd
    expect(Math.abs(variance / 25 - 1)).toBeLessThan(0.06);
  });

  it('exact gradient and HVP of the parameterized loss (finite differences), tanh and cross-entropy', () => {
    fc.assert(
      fc.property(fc.constantFrom('ntk', 'mup'), fc.constantFrom('mse', 'cross-entropy'), fc.integer({ min: 0, max: 10_000 }), (param, loss, seed) => {
        const labels = X.map((_, i) => i % 2);
        const model = create({ layers, activation: 'tanh', loss, parameterization: param, inputs: X, targets: loss === 'mse' ? Y : labels });
        const theta = init(model, { seed, scheme: 'standard-normal' });
        const g = checkGradient(model, theta);
        if (!g.pass) throw new Error(`gradient ${g.maxError} > ${g.tolerance}`);
        const h = checkHvp(model, theta, rng(seed + 1).fillNormal(new Float64Array(model.dim)));
        if (!h.pass) throw new Error(`hvp ${h.maxError} > ${h.tolerance}`);
      }),
      { numRuns: 60 },
    );
  });

  it('init variance laws at N(0, 1) weights: NTK outputs O(1) at every width, μP outputs shrink like 1/n', () => {
    const inputs = Array.from({ length: 16 }, () => Array.from({ length: 10 }, () => r.normal()));
    const outputVariance = (width: number, param: 'ntk' | 'mup') => {
      const net = [10, width, width, 1];
      const model = create({ layers: net, activation: 'relu', parameterization: param, inputs, targets: inputs.map(() => [0]) });
      const out = new Float64Array(16);
      let s2 = 0;
      for (let seed = 0; seed < 20; seed++) {
        model.outputs(init(model, { seed, scheme: 'standard-normal' }), out);
        for (const f of out) s2 += f * f;
      }
      return s2 / (20 * 16);
    };
    const ntk32 = outputVariance(32, 'ntk');
    const ntk256 = outputVariance(256, 'ntk');
    const mup32 = outputVariance(32, 'mup');
    const mup256 = outputVariance(256, 'mup');
    // NTK: E f² = E‖h_L‖²/n_L → a width-independent limit; 20 seeds × 16 inputs, factor 2 covers sampling error.
    expect(ntk256 / ntk32).toBeGreaterThan(0.5);
    expect(ntk256 / ntk32).toBeLessThan(2);
    // μP: f = f_NTK/√n_L, so E f² ∝ 1/n: the ratio for 32 → 256 is 1/8 up to the same sampling factor.
    expect((mup256 / mup32) * 8).toBeGreaterThan(0.5);
    expect((mup256 / mup32) * 8).toBeLessThan(2);
  });
});
