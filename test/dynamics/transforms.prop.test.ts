import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm, clipCoordinates, chain, type TransformContext } from '../../src/dynamics/transforms.js';
import { finiteVector } from '../../src/testing/index.js';

const ctx: TransformContext = { theta: new Float64Array(0), learningRate: 1, step: 0 };
const vec = fc.integer({ min: 1, max: 6 }).chain((dim) => finiteVector({ dim, min: -1e3, max: 1e3 }));
const bound = fc.double({ min: 1e-3, max: 1e3, noNaN: true });

describe('transform properties', () => {
  it('clipByGlobalNorm: u = s·g with s = min(1, M/‖g‖); ‖u‖ ≤ M(1 + 4ε) and = M (to 4ε) when ‖g‖ > M', () => {
    // Tolerance: ‖g‖ by nrm2 (scaled sum) is within ~(n + 2)ε of the exact norm; s = M/‖g‖ adds 1 rounding and
    // each uᵢ = gᵢ·s one more, so ‖u‖/M − 1 = O((n + 4)ε); n ≤ 6 here → 16ε bound.
    fc.assert(
      fc.property(vec, bound, (g, m) => {
        const t = clipByGlobalNorm({ maxNorm: m });
        const u = t.update(g, t.init(g.length), ctx, new Float64Array(g.length));
        const ng = Math.hypot(...g);
        const nu = Math.hypot(...u);
        const tol = 16 * Number.EPSILON;
        expect(nu).toBeLessThanOrEqual(m * (1 + tol));
        if (ng > m * (1 + tol)) {
          expect(Math.abs(nu / m - 1)).toBeLessThanOrEqual(tol);
          for (let i = 0; i < g.length; i++) expect(Math.abs(u[i] - g[i] * (m / ng))).toBeLessThanOrEqual(tol * Math.abs(g[i]) * (m / ng) + 1e-300);
        } else if (ng < m * (1 - tol)) {
          expect(Array.from(u)).toEqual(Array.from(g));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('clipCoordinates: |uᵢ| ≤ max, uᵢ = gᵢ where |gᵢ| ≤ max, sign kept, idempotent', () => {
    fc.assert(
      fc.property(vec, bound, (g, m) => {
        const t = clipCoordinates({ max: m });
        const u = t.update(g, t.init(g.length), ctx, new Float64Array(g.length));
        for (let i = 0; i < g.length; i++) {
          expect(Math.abs(u[i])).toBeLessThanOrEqual(m);
          if (Math.abs(g[i]) <= m) expect(u[i]).toBe(g[i]);
          else expect(u[i]).toBe(Math.sign(g[i]) * m);
        }
        const uu = t.update(u, null, ctx, new Float64Array(g.length));
        expect(Array.from(uu)).toEqual(Array.from(u));
      }),
      { numRuns: 1000 },
    );
  });

  it('chain(clipCoordinates, clipByGlobalNorm) obeys both bounds', () => {
    fc.assert(
      fc.property(vec, bound, bound, (g, c, m) => {
        const t = chain(clipCoordinates({ max: c }), clipByGlobalNorm({ maxNorm: m }));
        const u = t.update(g, t.init(g.length), ctx, Float64Array.from(g));
        // Global-norm clipping only shrinks (s ≤ 1), so the coordinate bound survives it.
        for (let i = 0; i < g.length; i++) expect(Math.abs(u[i])).toBeLessThanOrEqual(c);
        expect(Math.hypot(...u)).toBeLessThanOrEqual(m * (1 + 16 * Number.EPSILON));
      }),
      { numRuns: 1000 },
    );
  });
});
