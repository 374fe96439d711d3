/**
 * KKT points of [Conflicting biases]'s problem (12) (Lemma E.1): every returned point is checked against eqs. (15)–(19)
 * computed here, the least-risk one against brute-force sampling of M ∩ {S ≤ 2/η}, the general-risk path against
 * eq. (13), and the paper's positivity typo on a hand-computed case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../../src/core/errors.js';
import { bestKktPoint, kktPoints } from '../../../src/models/diagonal-net/kkt.js';
import { gaussianRisk, risk, riskValue } from '../../../src/models/diagonal-net/risk.js';
import { expectRelClose } from '../../../src/testing/index.js';

/** Sampling weights in [0, 1], with values below 1e-6 snapped to 0 (subnormal weights would put samples off M). */
const weightArb = fc.double({ min: 0, max: 1, noNaN: true }).map((v) => (v < 1e-6 ? 0 : v));

const caseArb = fc.integer({ min: 1, max: 5 }).chain((d) =>
  fc.record({
    x: fc.array(fc.double({ min: 0.1, max: 4, noNaN: true }), { minLength: d, maxLength: d }),
    y: fc.double({ min: 0.1, max: 4, noNaN: true }),
    eta: fc.double({ min: 0.005, max: 1, noNaN: true }),
  }),
);

/**
 * Lemma E.1's KKT system (15)–(19) at (w, λ, ν), with f = ½‖w‖₄⁴ − ‖w‖₂², h = ⟨x₀, w²⟩ − y₀, g = 2η‖x₀⊙w‖² − 1.
 * Tolerances: every quantity is a short sum of products of numbers ≤ ~100, computed after a square root, so
 * rounding is ≤ ~1e-13 relative to the size of the terms; 1e-9 of that size is generous and still catches any
 * wrong formula (a wrong λ or ν moves (15) by O(1)).
 */
function checkKkt(x: number[], y: number, eta: number, w: Float64Array, lambda: number, nu: number): void {
  const d = x.length;
  let stat = 0;
  let statScale = 0;
  for (let i = 0; i < d; i++) {
    const terms = [2 * w[i] ** 3, -2 * w[i], 2 * nu * x[i] * w[i], 4 * lambda * eta * x[i] ** 2 * w[i]];
    stat = Math.max(stat, Math.abs(terms.reduce((s, t) => s + t, 0))); // (15)
    statScale = Math.max(statScale, ...terms.map(Math.abs));
  }
  expect(stat).toBeLessThanOrEqual(1e-9 * Math.max(1, statScale));
  const h = x.reduce((s, xi, i) => s + xi * w[i] ** 2, 0) - y;
  expect(Math.abs(h)).toBeLessThanOrEqual(1e-9 * Math.max(1, y)); // (16)
  const g = 2 * eta * x.reduce((s, xi, i) => s + (xi * w[i]) ** 2, 0) - 1;
  expect(g).toBeLessThanOrEqual(1e-9); // (17)
  expect(Math.abs(lambda * g)).toBeLessThanOrEqual(1e-9 * Math.max(1, lambda)); // (18)
  expect(lambda).toBeGreaterThanOrEqual(0); // (19)
}

describe('kktPoints (Lemma E.1)', () => {
  it('every returned point satisfies (15)–(19), is nonnegative on its support, and reports its risk and sharpness', () => {
    fc.assert(
      fc.property(caseArb, ({ x, y, eta }) => {
        const points = kktPoints(x, y, eta);
        for (const p of points) {
          checkKkt(x, y, eta, p.w, p.lambda, p.nu);
          expect(p.support).toEqual(Array.from(p.w).flatMap((v, i) => (v > 0 ? [i] : [])));
          expectRelClose(p.risk, gaussianRisk(p.w), { rel: 1e-12, abs: 1e-12 });
          expectRelClose(p.sharpness, 4 * x.reduce((s, xi, i) => s + (xi * p.w[i]) ** 2, 0), { rel: 1e-12 });
          expect(p.branch === 'inactive' ? p.lambda === 0 : p.lambda > 0).toBe(true);
        }
        for (let k = 1; k < points.length; k++) expect(points[k].risk).toBeGreaterThanOrEqual(points[k - 1].risk);
      }),
      { numRuns: 400 },
    );
  });

  it('the least-risk KKT point is not beaten by any sampled point of M ∩ {S ≤ 2/η} (d ≤ 3)', () => {
    fc.assert(
      fc.property(
        caseArb.filter((c) => c.x.length <= 3),
        fc.array(fc.array(weightArb, { minLength: 3, maxLength: 3 }), { minLength: 200, maxLength: 200 }),
        ({ x, y, eta }, samples) => {
          const best = bestKktPoint(x, y, eta);
          for (const s of samples) {
            const u = s.slice(0, x.length);
            const p = x.reduce((acc, xi, i) => acc + xi * u[i], 0);
            if (!(p > 0)) continue;
            const w = u.map((ui) => Math.sqrt((ui * y) / p));
            if (4 * x.reduce((acc, xi, i) => acc + (xi * w[i]) ** 2, 0) > 2 / eta) continue;
            expect(best).not.toBeNull();
            expect(gaussianRisk(w)).toBeGreaterThanOrEqual((best?.risk ?? Infinity) - 1e-12);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the general-risk path (Σ⁻¹ solves) reproduces eq. (13) when Σ = I, μ = 1', () => {
    fc.assert(
      fc.property(caseArb, ({ x, y, eta }) => {
        const d = x.length;
        const cov = Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0));
        const general = risk.fromMoments({ covariance: cov, crossMoment: new Array(d).fill(1), secondMoment: d + 1 });
        // fromMoments(I, 1) is detected as isotropic; perturb Σ by a negligible 1e-300 off-diagonal to force the solves.
        const forced = d > 1 ? risk.fromMoments({ covariance: cov.map((c, k) => (k === 1 || k === d ? 1e-300 : c)), crossMoment: new Array(d).fill(1), secondMoment: d + 1 }) : general;
        // Compared by (support, branch): points of equal risk (repeated entries of x₀) may sort either way.
        const key = (p: { support: number[]; branch: string }) => `${p.support.join(',')}/${p.branch}`;
        const a = new Map(kktPoints(x, y, eta).map((p) => [key(p), p]));
        const b = new Map(kktPoints(x, y, eta, { risk: forced }).map((p) => [key(p), p]));
        expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
        for (const [k, pa] of a) {
          const pb = b.get(k)!;
          // w_i² = 1 − 2λη x_i² − ν x_i (Lemma E.1) is a difference of O(1) terms that can cancel to a small w_i², so
          // compare w_i² with a tolerance on the scale of those terms (not relative to w_i, which a 1e-10 change in
          // λ or ν moves by 1e-10/w_i — e.g. 1.3e-9 relative at w_i = 0.015).
          for (const i of pa.support) {
            const scale = 1 + Math.abs(2 * pa.lambda * eta * x[i] ** 2) + Math.abs(pa.nu * x[i]);
            expect(Math.abs(pb.w[i] ** 2 - pa.w[i] ** 2)).toBeLessThanOrEqual(1e-9 * scale);
          }
          expect(Array.from(pb.w).every((v, i) => pa.support.includes(i) || v === 0)).toBe(true); // zero off the support
          expectRelClose(pb.lambda, pa.lambda, { rel: 1e-8, abs: 1e-12 });
          expectRelClose(pb.nu, pa.nu, { rel: 1e-8, abs: 1e-12 });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('general risk (random SPD Σ): generalized stationarity holds and no sampled feasible point beats the best', () => {
    fc.assert(
      fc.property(
        fc.record({
          x: fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
          y: fc.double({ min: 0.2, max: 3, noNaN: true }),
          eta: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
          a: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 }),
          mu: fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
          samples: fc.array(fc.array(weightArb, { minLength: 3, maxLength: 3 }), { minLength: 150, maxLength: 150 }),
        }),
        ({ x, y, eta, a, mu, samples }) => {
          // Σ = AAᵀ + ½I (symmetric positive definite by construction).
          const cov = new Array(9).fill(0);
          for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
            let s = i === j ? 0.5 : 0;
            for (let k = 0; k < 3; k++) s += a[i * 3 + k] * a[j * 3 + k];
            cov[i * 3 + j] = s;
          }
          for (let i = 0; i < 3; i++) for (let j = 0; j < i; j++) cov[i * 3 + j] = cov[j * 3 + i];
          const r = risk.fromMoments({ covariance: cov, crossMoment: mu, secondMoment: 5 });
          const points = kktPoints(x, y, eta, { risk: r });
          for (const p of points) {
            const u = Array.from(p.w, (v) => v * v);
            for (let i = 0; i < 3; i++) {
              const su = cov[i * 3] * u[0] + cov[i * 3 + 1] * u[1] + cov[i * 3 + 2] * u[2];
              const terms = [2 * p.w[i] * su, -2 * mu[i] * p.w[i], 2 * p.nu * x[i] * p.w[i], 4 * p.lambda * eta * x[i] ** 2 * p.w[i]];
              const scale = Math.max(1, ...terms.map(Math.abs));
              expect(Math.abs(terms.reduce((s, t) => s + t, 0))).toBeLessThanOrEqual(1e-8 * scale);
            }
            expect(p.lambda).toBeGreaterThanOrEqual(0);
            expect(p.sharpness).toBeLessThanOrEqual((2 / eta) * (1 + 1e-9));
            expectRelClose(p.risk, riskValue(r, p.w), { rel: 1e-12, abs: 1e-12 });
          }
          const best = points[0] ?? null;
          for (const s of samples) {
            const p = x[0] * s[0] + x[1] * s[1] + x[2] * s[2];
            if (!(p > 0)) continue;
            const w = s.map((ui) => Math.sqrt((ui * y) / p));
            if (4 * x.reduce((acc, xi, i) => acc + (xi * w[i]) ** 2, 0) > 2 / eta) continue;
            expect(best).not.toBeNull();
            expect(riskValue(r, w)).toBeGreaterThanOrEqual((best?.risk ?? Infinity) - 1e-10);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('typo in the paper: Lemma E.1 prints 2ηλ(x₀)ᵢ + ν(x₀)ᵢ < 1; the positivity wᵢ² > 0 needs 2ηλ(x₀)ᵢ² + ν(x₀)ᵢ < 1', () => {
    // x₀ = (2, 3), y₀ = 2, η = 0.2, S = {1, 2}: p = (5, 13, 35, 97), so eq. (13) gives by hand
    // λ = (70 + 169 − 175 − 32.5)/(0.4·(1261 − 1225)) = 2.1875 and ν = (194 + 455 − 485 − 87.5)/(1225 − 1261) = −2.125.
    const lambda = 2.1875;
    const nu = -2.125;
    const eta = 0.2;
    const printed = [2, 3].every((xi) => 2 * eta * lambda * xi + nu * xi < 1);
    const squared = [2, 3].map((xi) => 1 - 2 * eta * lambda * xi * xi - nu * xi); // w² = (1.75, −0.5)
    expect(printed).toBe(true);
    expect(squared).toEqual([1.75, -0.5]);
    // The printed condition would admit a point with w₂² = −0.5; kktPoints (squared form) does not.
    const points = kktPoints([2, 3], 2, eta);
    expect(points.some((p) => p.support.length === 2)).toBe(false);
    for (const p of points) checkKkt([2, 3], 2, eta, p.w, p.lambda, p.nu);
  });

  it('x₀ constant on the support with the bound active (eq. (14)): one point, multipliers flagged non-unique', () => {
    // x₀ = (2, 2), y₀ = 1: every point of M has S = 16·(u₁ + u₂) = 8, so at η = 1/4 the bound is active everywhere.
    const points = kktPoints([2, 2], 1, 0.25);
    expect(points.map((p) => p.support)).toEqual([[0, 1], [0], [1]]);
    expectRelClose(points[0].w, [0.5, 0.5], { rel: 1e-15 }); // u = 1 − νx₀ with ν = (4 − 1)/8
    for (const p of points) {
      expect(p.multipliersUnique).toBe(false);
      expect(p.branch).toBe('inactive');
      checkKkt([2, 2], 1, 0.25, p.w, p.lambda, p.nu);
    }
    expect(kktPoints([2, 2], 1, 0.2).every((p) => p.multipliersUnique)).toBe(true);
  });

  it('η = 0 drops the sharpness bound; d > 20, y₀ = 0 and a risk of the wrong size are errors', () => {
    expect(kktPoints([1, 4], 2, 0).map((p) => p.support)).toEqual([[0, 1], [1], [0]]);
    expect(() => kktPoints(new Array(21).fill(1), 1, 0.1)).toThrow(EosLabError);
    expect(() => kktPoints([1, 2], 0, 0.1)).toThrow(EosLabError);
    expect(() => kktPoints([1, 2], 1, 0.1, { risk: risk.gaussian(3) })).toThrow(EosLabError);
    expect(bestKktPoint([1, 4], 2, 0.3)).toBeNull(); // 2/η = 6.67 < min_M S = 4·y·x_min = 8
  });
});
