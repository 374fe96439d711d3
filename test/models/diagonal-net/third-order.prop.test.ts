/**
 * The diagonal network's third-order contraction ∇³L(θ)[u, v], all parametrizations and depths: against finite
 * differences of the HVP (checkThirdOrder) and against the naive tensor of ½·mean of squared residuals,
 * ∂ₐ_b_c(½rᵢ²) = rᵢ,ₐrᵢ,_bc + rᵢ,_b rᵢ,ₐc + rᵢ,c rᵢ,ₐ_b + rᵢ·rᵢ,ₐ_bc, built coordinate by coordinate.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { create } from '../../../src/models/diagonal-net/model.js';
import { checkThirdOrder } from '../../../src/testing/index.js';

const RUNS = 1000;
const EPS = Number.EPSILON;

const caseArb = (minDepth: number, maxDepth: number) =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 4 }),
      d: fc.integer({ min: 1, max: 4 }),
      depth: fc.integer({ min: minDepth, max: maxDepth }),
      parametrization: fc.constantFrom('shared' as const, 'difference' as const),
    })
    .chain(({ n, d, depth, parametrization }) => {
      const p = parametrization === 'shared' ? d : 2 * d;
      const entry = fc.double({ min: -1.5, max: 1.5, noNaN: true });
      const dir = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: p, maxLength: p }).map((a) => Float64Array.from(a));
      return fc.record({
        inputs: fc.array(fc.array(entry, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
        targets: fc.array(entry, { minLength: n, maxLength: n }),
        depth: fc.constant(depth),
        parametrization: fc.constant(parametrization),
        theta: fc.array(entry, { minLength: p, maxLength: p }).map((a) => Float64Array.from(a)),
        u: dir,
        v: dir,
      });
    });

/** aᵏ by repeated multiplication (0 for k < 0: the derivative vanishes there). */
function power(a: number, k: number): number {
  if (k < 0) return 0;
  let r = 1;
  for (let i = 0; i < k; i++) r *= a;
  return r;
}

describe('diagonal network: third-order contraction (properties)', () => {
  it('= finite differences of the HVP along u, symmetric in (u, v) (depths 2–3, both parametrizations)', () => {
    // L has degree 2L in θ, so the HVP along a line has degree 2L − 2 ≤ 4 for L ≤ 3: Richardson's extrapolation is
    // exact and only rounding remains (the checker's 16εF/h term); rel = 1e-9 covers the analytic side's rounding.
    fc.assert(
      fc.property(caseArb(2, 3), ({ inputs, targets, depth, parametrization, theta, u, v }) => {
        if (u.every((a) => a === 0)) return true;
        const model = create({ inputs, targets, depth, parametrization });
        return checkThirdOrder(model, theta, u, v, { rel: 1e-9 }).pass;
      }),
      { numRuns: RUNS },
    );
  });

  it('= the naive third-derivative tensor of ½·mean(rᵢ²) to a rounding bound (depths 2–5, both parametrizations)', () => {
    // rᵢ = Σₖ X_{i,j(k)}φₖ(θₖ) − yᵢ with φₖ = ±θₖᴸ has only diagonal higher derivatives (φₖ″, φₖ‴), so
    // T_abc = (1/n)Σᵢ(rᵢ,ₐ rᵢ,_bc + rᵢ,_b rᵢ,ₐc + rᵢ,c rᵢ,ₐ_b + rᵢ rᵢ,ₐ_bc). Contracted with u, v this is a sum of
    // ≤ 4np² terms, each a product of ≤ 3L + 4 factors; both sides sum them in different orders, so each is within
    // (4np² + 3L + 8)·ε·scaleₖ of the exact value (scaleₖ: the sum of the terms' magnitudes, with
    // Σ|X||φ| + |y| for |rᵢ|). Tolerance: twice that.
    fc.assert(
      fc.property(caseArb(2, 5), ({ inputs, targets, depth: L, parametrization, theta, u, v }) => {
        const model = create({ inputs, targets, depth: L, parametrization });
        const n = inputs.length;
        const d = inputs[0].length;
        const p = theta.length;
        const sign = (k: number) => (k < d ? 1 : -1);
        const col = (k: number) => k % d;
        const phi1 = (k: number) => sign(k) * L * power(theta[k], L - 1);
        const phi2 = (k: number) => sign(k) * L * (L - 1) * power(theta[k], L - 2);
        const phi3 = (k: number) => sign(k) * L * (L - 1) * (L - 2) * power(theta[k], L - 3);
        const out = new Float64Array(p);
        model.thirdOrder(theta, u, v, out);
        for (let c = 0; c < p; c++) {
          let ref = 0;
          let scale = 0;
          for (let i = 0; i < n; i++) {
            const x = inputs[i];
            let r = -targets[i];
            let rScale = Math.abs(targets[i]);
            for (let k = 0; k < p; k++) {
              const t = x[col(k)] * sign(k) * power(theta[k], L);
              r += t;
              rScale += Math.abs(t);
            }
            const r1 = (k: number) => x[col(k)] * phi1(k);
            const r2 = (a: number, b: number) => (a === b ? x[col(a)] * phi2(a) : 0);
            const r3 = (a: number, b: number, e: number) => (a === b && b === e ? x[col(a)] * phi3(a) : 0);
            for (let a = 0; a < p; a++) {
              for (let b = 0; b < p; b++) {
                const uv = u[a] * v[b];
                const terms = [r1(a) * r2(b, c), r1(b) * r2(a, c), r1(c) * r2(a, b)];
                const last = r3(a, b, c);
                ref += (terms[0] + terms[1] + terms[2] + r * last) * uv / n;
                scale += (Math.abs(terms[0]) + Math.abs(terms[1]) + Math.abs(terms[2]) + rScale * Math.abs(last)) * Math.abs(uv) / n;
              }
            }
          }
          const tol = 2 * (4 * n * p * p + 3 * L + 8) * EPS * scale + 2 ** -1000;
          if (!(Math.abs(out[c] - ref) <= tol)) return false;
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });
});
