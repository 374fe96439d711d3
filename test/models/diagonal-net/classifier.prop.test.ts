/**
 * Properties of the diagonal-network classifier's derivatives over random data, labels, depths 1–3, both
 * parametrizations and both losses: gradient, HVP, dense Hessian and third-order contraction against Richardson
 * finite differences (eos-lab/testing), and the largest Hessian eigenvalue of the depth-1 model on
 * [Conflicting biases, Thm F.1]'s two points against the closed form in its proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../../src/models/diagonal-net/classifier.js';
import { sharpness } from '../../../src/sharpness/sharpness.js';
import { checkGradient, checkHessian, checkHvp, checkThirdOrder } from '../../../src/testing/index.js';

const RUNS = 300;

const caseArb = fc
  .record({
    n: fc.integer({ min: 1, max: 4 }),
    d: fc.integer({ min: 1, max: 4 }),
    depth: fc.integer({ min: 1, max: 3 }),
    parametrization: fc.constantFrom('shared' as const, 'difference' as const),
    loss: fc.constantFrom('logistic' as const, 'exponential' as const),
  })
  .chain(({ n, d, depth, parametrization, loss }) => {
    const p = parametrization === 'shared' ? d : 2 * d;
    const entry = fc.double({ min: -1.5, max: 1.5, noNaN: true });
    const dir = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: p, maxLength: p }).map((a) => Float64Array.from(a));
    return fc.record({
      inputs: fc.array(fc.array(entry, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
      labels: fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
      depth: fc.constant(depth),
      parametrization: fc.constant(parametrization),
      loss: fc.constant(loss),
      theta: fc.array(entry, { minLength: p, maxLength: p }).map((a) => Float64Array.from(a)),
      u: dir,
      v: dir,
    });
  });

describe('diagonal-network classifier derivatives (property)', () => {
  it('gradient, HVP and dense Hessian agree with finite differences', () => {
    fc.assert(
      fc.property(caseArb, ({ inputs, labels, depth, parametrization, loss, theta, v }) => {
        const model = createClassifier({ inputs, labels, depth, parametrization, loss });
        // |θ|, |x| ≤ 1.5, n ≤ 4, d ≤ 4 and depth ≤ 3 keep |margin| ≤ 4·1.5·2·1.5³ ≈ 40, so the exponential loss and its
        // derivatives stay ≤ e⁴⁰ only in the worst corner; the checkers' relative tolerance (1e-6 of the largest
        // derivative, plus their round-off allowance) scales with it.
        expect(checkGradient(model, theta).pass).toBe(true);
        if (v.some((a) => a !== 0)) expect(checkHvp(model, theta, v).pass).toBe(true);
        const h = checkHessian(model, theta);
        expect(h.pass).toBe(true);
        const scale = Math.max(1, ...Array.from(h.analytic, Math.abs));
        expect(h.symmetryError).toBeLessThanOrEqual(1e-13 * scale);
      }),
      { numRuns: RUNS },
    );
  });

  it('third-order contraction = finite differences of the HVP along u, symmetric in (u, v)', () => {
    fc.assert(
      fc.property(caseArb, ({ inputs, labels, depth, parametrization, loss, theta, u, v }) => {
        if (u.every((a) => a === 0)) return true;
        const model = createClassifier({ inputs, labels, depth, parametrization, loss });
        const r = checkThirdOrder(model, theta, u, v);
        return r.pass;
      }),
      { numRuns: RUNS },
    );
  });

  it('depth 1, Thm F.1: λ_max = ¼(g′(b) + 2g′(z + b) + √(g′(b)² + 4g′(z + b)²)) with z = ⟨w̃, x̃₂⟩', () => {
    const gPrime = (t: number): number => {
      const p = 1 / (1 + Math.exp(-t));
      return p * (1 - p);
    };
    const unit = (d: number) =>
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d, maxLength: d }).filter((a) => Math.hypot(...a) > 0.1).map((a) => {
        const r = Math.hypot(...a);
        return a.map((x) => x / r);
      });
    const arb = fc.integer({ min: 1, max: 5 }).chain((d) => fc.record({ x2: unit(d), w: unit(d), scale: fc.double({ min: 0.1, max: 4, noNaN: true }), b: fc.double({ min: -3, max: 3, noNaN: true }) }));
    fc.assert(
      fc.property(arb, ({ x2, w, scale, b }) => {
        const d = x2.length;
        const model = createClassifier({ inputs: [[...new Array<number>(d).fill(0), 1], [...x2, 1]], labels: [0, 1] });
        const theta = Float64Array.from([...w.map((x) => scale * x), b]);
        const z = scale * w.reduce((s, x, i) => s + x * x2[i], 0);
        const expected = 0.25 * (gPrime(b) + 2 * gPrime(z + b) + Math.sqrt(gPrime(b) ** 2 + 4 * gPrime(z + b) ** 2));
        const got = sharpness(model, theta, { method: 'dense' });
        expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-13);
      }),
      { numRuns: RUNS },
    );
  });
});
