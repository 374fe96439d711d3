/**
 * Prop. 3.2 (ℓ1 and sharpness minimizers on M), the factor 4 missing from the proof of Lemma D.2, the
 * necessary conditions of Lemma D.1 for mixed signs, and the constrained ℓ1 minimizer (Fig. 15b's line) — each
 * against sampling of M or hand-derived values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../../src/core/errors.js';
import { symmetricEigen } from '../../../src/linalg/symmetric-eigen.js';
import {
  constrainedL1Minimizer,
  l1Minimizers,
  minimizerConditions,
  sharpnessMinimizers,
} from '../../../src/models/diagonal-net/minimizers.js';
import { create } from '../../../src/models/diagonal-net/model.js';
import { expectRelClose } from '../../../src/testing/index.js';

const EPS = Number.EPSILON;

/** A point u ≥ 0 of {⟨x, u⟩ = y} from random weights (independent of the library), and w = ±√u. */
function sampleOnManifold(x: number[], y: number, weights: number[], signs: boolean[]): Float64Array | null {
  const p = x.reduce((s, xi, i) => s + xi * weights[i], 0);
  const t = y / p;
  if (!(t > 0) || !Number.isFinite(t)) return null;
  return Float64Array.from(weights, (a, i) => (signs[i] ? -1 : 1) * Math.sqrt(t * a));
}

const positiveCase = fc.integer({ min: 1, max: 6 }).chain((d) =>
  fc.record({
    x: fc.array(fc.double({ min: 0.1, max: 5, noNaN: true }), { minLength: d, maxLength: d }),
    y: fc.double({ min: 0.1, max: 5, noNaN: true }),
    weights: fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }).map((v) => (v < 1e-6 ? 0 : v)), { minLength: d, maxLength: d }), { minLength: 20, maxLength: 20 }),
    signs: fc.array(fc.boolean(), { minLength: d, maxLength: d }),
  }),
);

describe('Prop. 3.2 (x > 0)', () => {
  it('no sampled point of M beats y/x_max in ‖w‖₂² nor 4·y·x_min in sharpness; the canonical points attain both', () => {
    fc.assert(
      fc.property(positiveCase, ({ x, y, weights, signs }) => {
        const xMax = Math.max(...x);
        const xMin = Math.min(...x);
        const l1 = l1Minimizers(x, y);
        const flat = sharpnessMinimizers(x, y);
        expectRelClose(l1.l1Norm, y / xMax, { rel: EPS });
        expectRelClose(flat.sharpness, 4 * y * xMin, { rel: 2 * EPS });
        expect(l1.indices).toEqual(x.flatMap((v, i) => (v === xMax ? [i] : [])));
        expect(flat.indices).toEqual(x.flatMap((v, i) => (v === xMin ? [i] : [])));
        // Canonical points: on M, with ‖w‖² and 4‖x⊙w‖² equal to the minima (a few roundings).
        for (const [set, k] of [[l1, l1.indices[0]], [flat, flat.indices[0]]] as const) {
          const w = set.canonical;
          expectRelClose(x[k] * w[k] * w[k], y, { rel: 4 * EPS });
          expectRelClose(w[k] * w[k], set.l1Norm, { rel: 4 * EPS });
          expectRelClose(4 * (x[k] * w[k]) ** 2, set.sharpness, { rel: 8 * EPS });
        }
        // Sampled points of M (up to rounding: relative slack 1e-12).
        for (const u of weights) {
          const w = sampleOnManifold(x, y, u, signs);
          if (w === null) continue;
          const norm2 = w.reduce((s, a) => s + a * a, 0);
          const sharp = 4 * w.reduce((s, a, i) => s + (x[i] * a) ** 2, 0);
          expect(norm2).toBeGreaterThanOrEqual(l1.l1Norm * (1 - 1e-12));
          expect(sharp).toBeGreaterThanOrEqual(flat.sharpness * (1 - 1e-12));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('min_M S is 4·y·x_min by the dense Hessian, not the y·x_min of the proof of Lemma D.2 (typo in the paper)', () => {
    const x = [1, 4];
    const y = 2;
    const flat = sharpnessMinimizers(x, y);
    const values = symmetricEigen(create({ inputs: [x], targets: [y] }).hessian(flat.canonical)).values;
    expectRelClose(values[1], 8, { rel: 8 * EPS }); // 4·y·x_min = 8
    expect(Math.abs(values[1] - y * 1)).toBeGreaterThan(5); // the proof's "y·x_{k*}" = 2 is off by the factor 4
    expect(flat.sharpness).toBe(8);
  });

  it('rejects data outside the proposition', () => {
    expect(() => l1Minimizers([1, -2], 1)).toThrow(EosLabError);
    expect(() => sharpnessMinimizers([1, 2], -1)).toThrow(EosLabError);
  });
});

describe('Lemma D.1 necessary conditions', () => {
  it('for x > 0 the canonical points pass their own conditions and fail the other problem’s', () => {
    const x = [1, 4, 2.5];
    const y = 2;
    const a = minimizerConditions(x, y, l1Minimizers(x, y).canonical);
    expect(a).toEqual({ support: [1], supportValue: 4, firstOrder: true, l1SecondOrder: true, sharpnessSecondOrder: false });
    const b = minimizerConditions(x, y, sharpnessMinimizers(x, y).canonical);
    expect(b).toEqual({ support: [0], supportValue: 1, firstOrder: true, l1SecondOrder: false, sharpnessSecondOrder: true });
    // A generic point of M with full support violates the first-order condition.
    const c = minimizerConditions(x, y, new Float64Array([0.5, 0.5, Math.sqrt((2 - 0.25 - 1) / 2.5)]));
    expect(c.firstOrder).toBe(false);
    expect(c.supportValue).toBeNull();
  });

  it('mixed signs: x = (1, −3, 2), y = 1 — the ℓ1 minimizer has x₀ = max xᵢ = 2, not max|xᵢ| = 3 as printed', () => {
    const x = [1, -3, 2];
    const y = 1;
    // Brute force over M ∩ (sampled nonnegative u): the least ‖w‖² is 1/2 at u = e₃/2, the least S is 4 at u = e₁.
    let bestNorm = Infinity;
    let bestSharp = Infinity;
    const r = (k: number) => ((Math.sin(12.9898 * k) * 43758.5453) % 1 + 1) % 1; // deterministic hash in [0, 1)
    for (let k = 0; k < 20000; k++) {
      const u = [r(3 * k), r(3 * k + 1), r(3 * k + 2)];
      const p = u[0] - 3 * u[1] + 2 * u[2];
      if (!(p > 0)) continue;
      const t = y / p;
      bestNorm = Math.min(bestNorm, t * (u[0] + u[1] + u[2]));
      bestSharp = Math.min(bestSharp, 4 * t * (u[0] + 9 * u[1] + 4 * u[2]));
    }
    expect(bestNorm).toBeGreaterThanOrEqual(0.5 * (1 - 1e-12));
    expect(bestSharp).toBeGreaterThanOrEqual(4 * (1 - 1e-12));
    const e3 = minimizerConditions(x, y, new Float64Array([0, 0, Math.SQRT1_2]));
    expect([e3.supportValue, e3.firstOrder, e3.l1SecondOrder, e3.sharpnessSecondOrder]).toEqual([2, true, true, false]);
    const e1 = minimizerConditions(x, y, new Float64Array([1, 0, 0]));
    expect([e1.supportValue, e1.firstOrder, e1.l1SecondOrder, e1.sharpnessSecondOrder]).toEqual([1, true, false, true]);
  });

  it('supportTol: small entries leave the support; supportTol ≥ 1 (an empty support) is rejected', () => {
    const x = [1, 4, 2.5];
    const w = new Float64Array([1e-9, Math.SQRT1_2, 0]);
    expect(minimizerConditions(x, 2, w).firstOrder).toBe(false); // support {0, 1}, x not constant on it
    expect(minimizerConditions(x, 2, w, { supportTol: 1e-6 }).support).toEqual([1]);
    for (const supportTol of [1, 2]) {
      expect(() => minimizerConditions(x, 2, w, { supportTol })).toThrow(/options\.supportTol/);
    }
  });
});

describe('constrainedL1Minimizer: least ‖w‖₂² on M with S ≤ 2/η (Fig. 15b)', () => {
  it('d = 2, x = (1, 4), y = 2: y/x_max below η = 1/(2·y·x_max), the S = 2/η point above, null beyond 1/(2·y·x_min)', () => {
    const x = [1, 4];
    const y = 2;
    for (const eta of [0.01, 0.05, 1 / 16]) {
      const r = constrainedL1Minimizer(x, y, eta);
      expect(r?.active).toBe(eta === 1 / 16); // at η = 1/16 the ℓ1 minimizer has S = 32 = 2/η exactly
      expectRelClose(r?.l1Norm ?? NaN, 0.5, { rel: EPS });
    }
    for (const eta of [0.07, 0.1, 0.2, 0.25]) {
      // u₁ + 4u₂ = 2 and u₁ + 16u₂ = 1/(2η) by hand: u₂ = (1/(2η) − 2)/12, u₁ = 2 − 4u₂.
      const u2 = (1 / (2 * eta) - 2) / 12;
      const u1 = 2 - 4 * u2;
      const r = constrainedL1Minimizer(x, y, eta);
      expect(r?.active).toBe(true);
      expectRelClose(r?.l1Norm ?? NaN, u1 + u2, { rel: 1e-14, abs: 1e-15, label: `η = ${eta}` });
      expectRelClose(r?.sharpness ?? NaN, 2 / eta, { rel: 1e-14 });
    }
    expect(constrainedL1Minimizer(x, y, 0.2501)).toBeNull();
  });

  it('d = 3: no sampled feasible point of M has a smaller ‖w‖₂²', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.2, max: 4, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        // Weights below 1e-6 snap to 0: subnormal weights would put the samples off M by more than the rounding slack.
        fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }).map((v) => (v < 1e-6 ? 0 : v)), { minLength: 3, maxLength: 3 }), { minLength: 50, maxLength: 50 }),
        (x, y, eta, samples) => {
          const r = constrainedL1Minimizer(x, y, eta);
          for (const u of samples) {
            const p = x[0] * u[0] + x[1] * u[1] + x[2] * u[2];
            if (!(p > 0)) continue;
            const t = y / p;
            const sharp = 4 * t * (x[0] ** 2 * u[0] + x[1] ** 2 * u[1] + x[2] ** 2 * u[2]);
            if (sharp > 2 / eta) continue;
            expect(r).not.toBeNull(); // a feasible point exists
            expect(t * (u[0] + u[1] + u[2])).toBeGreaterThanOrEqual((r?.l1Norm ?? 0) * (1 - 1e-12));
          }
          if (r !== null) {
            expect(r.sharpness).toBeLessThanOrEqual((2 / eta) * (1 + 1e-12));
            expectRelClose(x.reduce((s, xi, i) => s + xi * r.point[i] ** 2, 0), y, { rel: 1e-12 });
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
