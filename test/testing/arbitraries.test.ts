import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { finiteVector, learningRate, scalarFactorizationPoint, symmetricMatrix } from '../../src/testing/index.js';

describe('arbitraries construct valid inputs', () => {
  it('finiteVector: length and range', () => {
    fc.assert(
      fc.property(finiteVector({ dim: 5, min: -2, max: 3 }), (v) => {
        expect(v).toBeInstanceOf(Float64Array);
        expect(v.length).toBe(5);
        for (const x of v) expect(x >= -2 && x <= 3).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('learningRate: in (0, max]', () => {
    fc.assert(fc.property(learningRate({ min: 0.01, max: 0.5 }), (eta) => eta >= 0.01 && eta <= 0.5), { numRuns: 1000 });
  });

  it('symmetricMatrix: exactly symmetric with the right shape', () => {
    fc.assert(
      fc.property(symmetricMatrix({ n: 4 }), (A) => {
        expect(A.shape).toEqual([4, 4]);
        for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(A.get(i, j)).toBe(A.get(j, i));
      }),
      { numRuns: 1000 },
    );
  });

  it('scalarFactorizationPoint on the manifold: ∏wᵢ = c up to D roundings (|∏ − c| ≤ 2D·ε·|c|)', () => {
    for (const depth of [2, 3, 4]) {
      for (const target of [1, -2.5]) {
        fc.assert(
          fc.property(scalarFactorizationPoint({ depth, target, onManifold: true }), (w) => {
            const prod = w.reduce((a, b) => a * b, 1);
            expect(Math.abs(prod - target)).toBeLessThanOrEqual(2 * depth * Number.EPSILON * Math.abs(target));
          }),
          { numRuns: 1000 },
        );
      }
    }
  });

  it('reject impossible options', () => {
    expect(() => finiteVector({ dim: 0 })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    expect(() => finiteVector({ min: 1, max: 1 })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    expect(() => learningRate({ min: 0 })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    expect(() => scalarFactorizationPoint({ target: 0 })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    expect(() => scalarFactorizationPoint({ depth: 1 })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
  });
});
