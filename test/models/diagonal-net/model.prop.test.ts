/**
 * Properties of the diagonal network's derivatives over random data, depths and parametrizations: gradient and
 * HVP against Richardson finite differences, the dense Hessian against the HVP (exact arithmetic: rounding only)
 * and against finite differences, and HVP linearity.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { create } from '../../../src/models/diagonal-net/model.js';
import { checkGradient, checkHessian, checkHvp } from '../../../src/testing/index.js';

const caseArb = fc
  .record({
    n: fc.integer({ min: 1, max: 4 }),
    d: fc.integer({ min: 1, max: 5 }),
    depth: fc.integer({ min: 2, max: 4 }),
    parametrization: fc.constantFrom('shared' as const, 'difference' as const),
  })
  .chain(({ n, d, depth, parametrization }) => {
    const p = parametrization === 'shared' ? d : 2 * d;
    const entry = fc.double({ min: -1.5, max: 1.5, noNaN: true });
    return fc.record({
      inputs: fc.array(fc.array(entry, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
      targets: fc.array(entry, { minLength: n, maxLength: n }),
      depth: fc.constant(depth),
      parametrization: fc.constant(parametrization),
      theta: fc.array(entry, { minLength: p, maxLength: p }).map((a) => Float64Array.from(a)),
      v: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: p, maxLength: p }).map((a) => Float64Array.from(a)),
    });
  });

describe('diagonal network derivatives (property)', () => {
  it('gradient, HVP and dense Hessian agree with finite differences and with each other', () => {
    fc.assert(
      fc.property(caseArb, ({ inputs, targets, depth, parametrization, theta, v }) => {
        const model = create({ inputs, targets, depth, parametrization });
        // Entries ≤ 1.5 and depth ≤ 4 keep |L| and its derivatives ≤ ~1e3: the checkers' default rel 1e-6 on that
        // scale (plus their round-off allowance 16εF/h) is far above the O(h⁶) Richardson error.
        expect(checkGradient(model, theta).pass).toBe(true);
        if (v.some((a) => a !== 0)) expect(checkHvp(model, theta, v).pass).toBe(true);
        const h = checkHessian(model, theta);
        expect(h.pass).toBe(true);
        expect(h.symmetryError).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
