/**
 * The manifold M = {L = 0} of [Conflicting biases]'s diagonal network on one point: eq. (11) against the dense Hessian,
 * the tangent space of Lemma 3.1 / C.1, eq. (10), and the rescaling onto M.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../../src/core/errors.js';
import { symmetricEigen } from '../../../src/linalg/symmetric-eigen.js';
import {
  manifoldResidual,
  regressorL1Norm,
  scaleToManifold,
  sharpnessOnManifold,
  tangentBasis,
} from '../../../src/models/diagonal-net/manifold.js';
import { create } from '../../../src/models/diagonal-net/model.js';
import { expectRelClose } from '../../../src/testing/index.js';

const EPS = Number.EPSILON;

/** x with entries of magnitude in [0.2, 3] and random signs, y ≠ 0, and a direction w ∈ [0.05, 2]^d with signs. */
const signed = (lo: number, hi: number) =>
  fc.tuple(fc.double({ min: lo, max: hi, noNaN: true }), fc.boolean()).map(([a, neg]) => (neg ? -a : a));
const pointArb = fc.integer({ min: 1, max: 6 }).chain((d) =>
  fc.record({
    x: fc.array(signed(0.2, 3), { minLength: d, maxLength: d }),
    y: signed(0.2, 3),
    w: fc.array(signed(0.05, 2), { minLength: d, maxLength: d }),
    depth: fc.integer({ min: 2, max: 4 }),
  }),
);

/** The point of M on the ray through w, computed here (not by the library): s = (y/⟨x, w^{⊙L}⟩)^{1/L}. */
function onManifold(x: number[], y: number, w: number[], L: number): Float64Array | null {
  const p = x.reduce((s, xi, i) => s + xi * w[i] ** L, 0);
  const ratio = y / p;
  if (!(ratio > 0) || !Number.isFinite(ratio)) return null;
  const s = ratio ** (1 / L);
  return Float64Array.from(w, (a) => s * a);
}

describe('sharpness on M, eq. (11)', () => {
  it('S = L²‖x ⊙ w^{⊙(L−1)}‖² is the largest and the largest-magnitude Hessian eigenvalue on M', () => {
    fc.assert(
      fc.property(pointArb, ({ x, y, w, depth }) => {
        const p = onManifold(x, y, w, depth);
        fc.pre(p !== null);
        const point = p as Float64Array;
        const s = sharpnessOnManifold(x, point, { depth });
        const values = symmetricEigen(create({ inputs: [x], targets: [y], depth }).hessian(point)).values;
        // On M the residual r is only ~d·ε·Σ|xᵢwᵢᴸ| (not 0), so the diagonal term (L(L−1)) r x ⊙ w^{L−2} shifts the
        // eigenvalues by ≤ L²·r·max|x·w^{L−2}|: well within 1e-9 relative for these ranges; the eigensolver adds d·ε.
        const lambdaMax = values[values.length - 1];
        const absMax = Math.max(Math.abs(values[0]), Math.abs(lambdaMax));
        expectRelClose(s, lambdaMax, { rel: 1e-9, abs: 1e-12, label: `x=${x} y=${y} w=${Array.from(point)} L=${depth}` });
        expectRelClose(s, absMax, { rel: 1e-9, abs: 1e-12 });
        if (depth === 2) {
          const direct = 4 * x.reduce((acc, xi, i) => acc + (xi * point[i]) ** 2, 0); // 4‖x ⊙ w‖²
          expectRelClose(s, direct, { rel: 8 * EPS * x.length });
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('tangent space T_w M = (x ⊙ w^{⊙(L−1)})^⊥ (Lemma 3.1 / C.1)', () => {
  it('tangentBasis gives d − 1 orthonormal vectors orthogonal to the constraint gradient', () => {
    fc.assert(
      fc.property(pointArb, ({ x, y, w, depth }) => {
        const p = onManifold(x, y, w, depth);
        fc.pre(p !== null);
        const point = p as Float64Array;
        const d = x.length;
        const T = tangentBasis(x, point, { depth });
        expect(T.shape).toEqual([d - 1, d]);
        const normal = x.map((xi, i) => xi * point[i] ** (depth - 1));
        const nNorm = Math.hypot(...normal);
        // A Householder reflection is orthogonal to within ~4dε per entry.
        const tol = 16 * d * EPS;
        for (let a = 0; a < d - 1; a++) {
          let dotN = 0;
          for (let j = 0; j < d; j++) dotN += T.get(a, j) * normal[j];
          expect(Math.abs(dotN)).toBeLessThanOrEqual(tol * nNorm);
          for (let b = 0; b < d - 1; b++) {
            let g = 0;
            for (let j = 0; j < d; j++) g += T.get(a, j) * T.get(b, j);
            expect(Math.abs(g - (a === b ? 1 : 0))).toBeLessThanOrEqual(tol);
          }
        }
        // A step h along a unit tangent vector t changes the residual only at second order: with ∇²h =
        // L(L−1)·D_{x⊙w^{⊙(L−2)}}, |h(w + h t)| ≤ ½L(L−1)h²·max|xᵢ|(|wᵢ| + h)^{L−2} + O(h³) — bounded generously below.
        if (d > 1) {
          const h = 1e-4;
          const moved = Float64Array.from(point, (a, j) => a + h * T.get(0, j));
          const scale = x.reduce((s, xi, j) => s + Math.abs(xi) * Math.abs(point[j]) ** depth, 0) + Math.abs(y);
          const bound = depth * depth * 10 * h * h * x.reduce((s, xi, j) => s + Math.abs(xi) * (Math.abs(point[j]) + h) ** Math.max(depth - 2, 0), 0);
          expect(Math.abs(manifoldResidual(x, y, moved, { depth }))).toBeLessThanOrEqual(bound + 64 * EPS * scale);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a point with x ⊙ w = 0 has no normal direction', () => {
    expect(() => tangentBasis([1, 2], new Float64Array([0, 0]))).toThrow(EosLabError);
  });
});

describe('eq. (10) and rescaling onto M', () => {
  it('‖w^{⊙2}‖₁ = ‖w‖₂², and Σ|wᵢ|^L for depth L', () => {
    fc.assert(
      fc.property(pointArb, ({ w, depth }) => {
        const expected = w.reduce((s, a) => s + Math.abs(a) ** depth, 0);
        expectRelClose(regressorL1Norm(w, { depth }), expected, { rel: 1e-13 });
        if (depth === 2) expectRelClose(regressorL1Norm(w), w.reduce((s, a) => s + a * a, 0), { rel: 4 * EPS * w.length });
      }),
    );
  });

  it('scaleToManifold lands on M (residual ~ rounding) along the ray, and refuses rays that miss M', () => {
    fc.assert(
      fc.property(pointArb, ({ x, y, w, depth }) => {
        const p = onManifold(x, y, w, depth);
        fc.pre(p !== null);
        const scaled = scaleToManifold(x, y, w, { depth });
        const scale = x.reduce((s, xi, j) => s + Math.abs(xi) * Math.abs(scaled[j]) ** depth, 0);
        expect(Math.abs(manifoldResidual(x, y, scaled, { depth }))).toBeLessThanOrEqual(16 * (depth + x.length) * EPS * scale);
        expectRelClose(scaled, p as Float64Array, { rel: 1e-13 });
      }),
    );
    expect(() => scaleToManifold([1, 2], -1, new Float64Array([1, 1]))).toThrow(EosLabError);
  });
});
