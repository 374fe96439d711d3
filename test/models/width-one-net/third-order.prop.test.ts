/**
 * The width-one net's third-order contraction (population and empirical): against finite differences of the HVP and,
 * for the population loss ½λ₁α²β₁² + ½λ₂(αβ₂ − 1)², against its third-derivative tensor written out by hand.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { create } from '../../../src/models/width-one-net/model.js';
import { createEmpirical } from '../../../src/models/width-one-net/empirical.js';
import { checkThirdOrder, finiteVector } from '../../../src/testing/index.js';

const RUNS = 1000;
const EPS = Number.EPSILON;
const variance = fc.double({ min: 1e-3, max: 3, noNaN: true });
const point = finiteVector({ dim: 3, min: -3, max: 3 });
const dir = finiteVector({ dim: 3, min: -1, max: 1 });

describe('width-one net: third-order contraction (properties)', () => {
  it('population and empirical: = finite differences of the HVP along u, symmetric in (u, v)', () => {
    // L has degree 4 in θ, so the HVP along a line is quadratic in t: Richardson is exact up to rounding
    // (the checker's 16εF/h term); rel = 1e-9 covers the analytic side's rounding.
    const samples = fc.integer({ min: 2, max: 200 });
    const seed = fc.integer({ min: 0, max: 1000 });
    fc.assert(
      fc.property(variance, variance, fc.boolean(), samples, seed, point, dir, dir, (l1, l2, empirical, n, s, theta, u, v) => {
        if (u.every((a) => a === 0)) return true;
        const model = empirical
          ? createEmpirical({ varianceIrrelevant: l1, varianceRelevant: l2, samples: n, seed: s })
          : create({ varianceIrrelevant: l1, varianceRelevant: l2 });
        return checkThirdOrder(model, theta, u, v, { rel: 1e-9 }).pass;
      }),
      { numRuns: RUNS },
    );
  });

  it('population: = the hand-written tensor (nonzero entries ∂αα_β₁ = 2λ₁β₁, ∂α_β₁β₁ = 2λ₁α, ∂αα_β₂ = 2λ₂β₂, ∂α_β₂β₂ = 2λ₂α)', () => {
    // Third derivatives of ½λ₁α²β₁² + ½λ₂(α²β₂² − 2αβ₂ + 1): only the quartic terms contribute. The model
    // sums ≤ 9 products of ≤ 4 factors per entry in another order: tolerance 32ε times the sum of their magnitudes.
    fc.assert(
      fc.property(variance, variance, point, dir, dir, (l1, l2, theta, u, v) => {
        const [a, b1, b2] = theta;
        const T = [...Array(3)].map(() => [...Array(3)].map(() => [0, 0, 0]));
        const setSym = (i: number, j: number, k: number, val: number) => {
          for (const [x, y, z] of [[i, j, k], [i, k, j], [j, i, k], [j, k, i], [k, i, j], [k, j, i]]) T[x][y][z] = val;
        };
        setSym(0, 0, 1, 2 * l1 * b1);
        setSym(0, 1, 1, 2 * l1 * a);
        setSym(0, 0, 2, 2 * l2 * b2);
        setSym(0, 2, 2, 2 * l2 * a);
        const out = new Float64Array(3);
        create({ varianceIrrelevant: l1, varianceRelevant: l2 }).thirdOrder(theta, u, v, out);
        for (let k = 0; k < 3; k++) {
          let ref = 0;
          let scale = 0;
          for (let i = 0; i < 3; i++) {
            for (let j = 0; j < 3; j++) {
              ref += T[i][j][k] * u[i] * v[j];
              scale += Math.abs(T[i][j][k] * u[i] * v[j]);
            }
          }
          if (!(Math.abs(out[k] - ref) <= 32 * EPS * scale + 2 ** -1000)) return false;
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });
});
