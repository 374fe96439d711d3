/**
 * The central flow against GD on the empirical width-one net after GD's edge-of-stability transient. Claim and
 * threshold stated before this test was first run (chosen after exploring sample seeds 1 and 2 in the example; this
 * test uses seed 3): after 6,000 GD steps with η = 3 from (0.45, 0.01, 0), the distance of GD's 10-step window mean
 * to the central flow is ≤ 0.1 × its distance to gradient flow. (Over the whole run this does not hold: during the
 * ~300-step overshoot after GD first crosses 2/η the central flow is up to ~0.2 away — see the guide.)
 */
import { describe, expect, it } from 'vitest';
import { centralFlow } from '../../src/dynamics/central-flow.js';
import { createRk4Scratch, rk4Step } from '../../src/dynamics/rk4.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import { createEmpirical } from '../../src/models/width-one-net/empirical.js';

describe('centralFlow vs GD (width-one net, empirical, seed 3)', () => {
  it('GD’s window mean ends ≥ 10× closer to the central flow than to gradient flow', () => {
    const model = createEmpirical({ varianceIrrelevant: 1, varianceRelevant: 1e-3, samples: 1000, seed: 3 });
    const eta = 3;
    const N = 6000;
    const W = 10;
    const sub = 5;
    const start = [0.45, 0.01, 0];
    // GD: the mean of steps N − W … N − 1 (centred at N − W/2 − ½).
    const th = Float64Array.from(start);
    const g = new Float64Array(3);
    const mean = new Float64Array(3);
    for (let k = 0; k < N; k++) {
      if (k >= N - W) for (let i = 0; i < 3; i++) mean[i] += th[i] / W;
      model.lossAndGrad(th, g);
      for (let i = 0; i < 3; i++) th[i] -= eta * g[i];
    }
    const tEnd = (N - W / 2 - 0.5) * eta;
    const cf = centralFlow(model, Float64Array.from(start), { learningRate: eta, step: stepSize.fixed(eta / sub), maxTime: tEnd, maxSteps: 10 * N * sub, record: { every: 0, sharpnessEvery: 0 } });
    expect(cf.status).toBe('max-time');
    expect(cf.events[0]?.kind).toBe('enter');
    const w = Float64Array.from(start);
    const scratch = createRk4Scratch(3);
    const steps = Math.round(tEnd / (eta / sub));
    for (let s = 0; s < steps; s++) rk4Step(model, w, tEnd / steps, scratch, w);
    const dCf = Math.hypot(...Array.from(mean, (m, i) => m - cf.theta[i]));
    const dGf = Math.hypot(...Array.from(mean, (m, i) => m - w[i]));
    console.log(`seed 3, ${N} GD steps: |mean − CF| = ${dCf.toExponential(2)}, |mean − GF| = ${dGf.toExponential(2)}, ratio ${(dCf / dGf).toExponential(2)} (threshold 0.1)`);
    expect(dCf).toBeLessThanOrEqual(0.1 * dGf);
  });
});
