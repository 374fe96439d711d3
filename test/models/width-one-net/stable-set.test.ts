import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { create as createScalar } from '../../../src/models/scalar-factorization/model.js';
import { createEmpirical } from '../../../src/models/width-one-net/empirical.js';
import { create } from '../../../src/models/width-one-net/model.js';
import { inStableSet, projectedGdStep } from '../../../src/models/width-one-net/stable-set.js';
import { expectRelClose } from '../../../src/testing/index.js';
import { errorCode as codeOf } from '../../helpers/errors.js';

const EPS = Number.EPSILON;


describe('widthOneNet.inStableSet (S = {λ₁α² ≤ 2/η, β₁ = 0, αβ₂ ≤ 1}, reconstructed)', () => {
  it('checks each condition', () => {
    expect(inStableSet(new Float64Array([0.4, 0, 2]), 8)).toBe(true); // 0.16 ≤ 0.25, αβ₂ = 0.8
    expect(inStableSet(new Float64Array([0.6, 0, 1]), 8)).toBe(false); // λ₁α² = 0.36 > 0.25
    expect(inStableSet(new Float64Array([0.5, 0, 1]), 8)).toBe(true); // on the boundary λ₁α² = 2/η
    expect(inStableSet(new Float64Array([0.4, 1e-9, 2]), 8)).toBe(false); // β₁ ≠ 0
    expect(inStableSet(new Float64Array([0.4, 1e-9, 2]), 8, { betaTolerance: 1e-8 })).toBe(true);
    expect(inStableSet(new Float64Array([0.4, 0, 3]), 8)).toBe(false); // αβ₂ = 1.2 > 1
    expect(inStableSet(new Float64Array([0.4, 0, 2]), 8, { varianceIrrelevant: 2 })).toBe(false); // 0.32 > 0.25
  });

  it('rejects bad arguments', () => {
    expect(codeOf(() => inStableSet(new Float64Array(3), 0))).toBe('E_BAD_OPTION');
    expect(codeOf(() => inStableSet(new Float64Array(3), 1, { betaTolerance: -1 }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => inStableSet(new Float64Array(4), 1))).toBe('E_DIM_MISMATCH');
  });
});

describe('widthOneNet.projectedGdStep (PGD on S, reconstructed Sec. 5.2 form)', () => {
  const model = create({ varianceIrrelevant: 1, varianceRelevant: 0.5 });

  it('is a GD step, then β₁ ← 0 and |α| capped at √(2/(ηλ₁)) (hand-computed)', () => {
    // θ = (0.4, 0.2, 1): ∇L = (λ₁αβ₁² + λ₂β₂(αβ₂ − 1), λ₁α²β₁, λ₂α(αβ₂ − 1)) = (0.016 − 0.3, 0.032, −0.12).
    const theta = new Float64Array([0.4, 0.2, 1]);
    const g = new Float64Array(3);
    const out = new Float64Array(3);
    const L = projectedGdStep(model, theta, 1, g, out);
    expectRelClose(L, 0.5 * 0.16 * 0.04 + 0.5 * 0.5 * 0.36, { rel: 4 * EPS });
    expectRelClose(Array.from(g), [0.016 - 0.3, 0.032, -0.12], { rel: 8 * EPS });
    expectRelClose(Array.from(out), [0.4 + 0.284, 0, 1.12], { rel: 8 * EPS }); // cap √2 not reached
    projectedGdStep(model, theta, 4, g, out);
    expectRelClose(Array.from(out), [Math.sqrt(0.5), 0, 1 + 4 * 0.12], { rel: 8 * EPS }); // α = 1.536 capped at √(2/4)
    expect(out[0]).toBe(Math.sqrt(2 / (4 * 1)));
    expect(Array.from(theta)).toEqual([0.4, 0.2, 1]);
    // In place, and the cap keeps the sign of α.
    const neg = new Float64Array([-0.6, 0.1, -1]);
    projectedGdStep(model, neg, 8, g, neg);
    expect(neg[0]).toBe(-0.5);
    expect(neg[1]).toBe(0);
  });

  it('at the cap, αβ₂ − 1 contracts by exactly 1 − ηλ₂α_cap² = 1 − 2λ₂/λ₁ per step, whatever η (Thm 5.5)', () => {
    // With β₁ = 0, α = cap and β₂ < 1/α: α − η∂_αL = α + ηλ₂β₂|αβ₂ − 1| ≥ cap stays capped, β₂' = β₂ − ηλ₂α(αβ₂ − 1),
    // so α'β₂' − 1 = (αβ₂ − 1)(1 − ηλ₂α²). Rounding: a few ε relative to αβ₂ + 1 (the products before the − 1).
    const arb = fc.record({
      eta: fc.double({ min: 0.5, max: 20, noNaN: true }),
      lambda1: fc.double({ min: 0.5, max: 5, noNaN: true }),
      ratio: fc.double({ min: 1e-4, max: 0.05, noNaN: true }),
      q: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, ({ eta, lambda1, ratio, q }) => {
        const lambda2 = ratio * lambda1;
        const m = create({ varianceIrrelevant: lambda1, varianceRelevant: lambda2 });
        const cap = Math.sqrt(2 / (eta * lambda1));
        const theta = new Float64Array([cap, 0, (1 - q) / cap]); // αβ₂ − 1 ≈ −q
        const before = theta[0] * theta[2] - 1;
        const g = new Float64Array(3);
        projectedGdStep(m, theta, eta, g, theta);
        const after = theta[0] * theta[2] - 1;
        const factor = 1 - (2 * lambda2) / lambda1;
        return theta[0] === cap && Math.abs(after - before * factor) <= 16 * EPS * (Math.abs(before) + 2);
      }),
      { numRuns: 500 },
    );
  });

  it('from the example start, every PGD iterate after the first lies in S', () => {
    const m = create({ varianceIrrelevant: 1, varianceRelevant: 1e-3 });
    const theta = new Float64Array([0.45, 0.01, 0]);
    const g = new Float64Array(3);
    for (let k = 0; k < 3000; k++) {
      projectedGdStep(m, theta, 8, g, theta);
      if (!inStableSet(theta, 8)) throw new Error(`PGD left S at step ${k + 1}: θ = ${Array.from(theta)}`);
    }
    expect(theta[0]).toBe(0.5);
    // αβ₂ − 1 shrinks by 1 − 2λ₂/λ₁ = 0.998 per step once α is capped: (0.998)³⁰⁰⁰ ≈ 2.5e-3 of its size at the cap.
    expect(Math.abs(theta[0] * theta[2] - 1)).toBeLessThan(4e-3);
  });

  it('rejects other models and aliased buffers', () => {
    const g = new Float64Array(3);
    const t = new Float64Array([0.4, 0, 1]);
    expect(codeOf(() => projectedGdStep(createScalar({ depth: 3 }), t, 1, g, t))).toBe('E_BAD_OPTION');
    expect(codeOf(() => projectedGdStep(createEmpirical({ samples: 10 }), t, 1, g, t))).toBe('E_BAD_OPTION');
    expect(codeOf(() => projectedGdStep(model, t, 1, t, g))).toBe('E_BAD_OPTION');
    expect(codeOf(() => projectedGdStep(model, t, -1, g, t))).toBe('E_BAD_OPTION');
    expect(codeOf(() => projectedGdStep(model, t, 1, new Float64Array(2), t))).toBe('E_DIM_MISMATCH');
  });
});
