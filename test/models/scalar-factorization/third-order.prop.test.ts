/**
 * The scalar factorization's third-order contraction ∇³L(θ)[u, v]: against finite differences of the HVP
 * (checkThirdOrder), against the naive tensor ∂ᵢⱼₖL = πᵢₖπⱼ + πᵢπⱼₖ + πₖπᵢⱼ + p·πᵢⱼₖ written independently with
 * cofactor loops, and against the depth-2 closed form.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { create } from '../../../src/models/scalar-factorization/model.js';
import { checkThirdOrder, finiteVector } from '../../../src/testing/index.js';
import { EPS, RUNS, UNDERFLOW, targetArb } from './shared.js';

/** (depth, target, θ, u, v) with θ ∈ [−2, 2]^D and u, v ∈ [−1, 1]^D. */
const pointArb = (minDepth: number, maxDepth: number) =>
  fc
    .integer({ min: minDepth, max: maxDepth })
    .chain((depth) =>
      fc.tuple(
        fc.constant(depth),
        targetArb,
        finiteVector({ dim: depth, min: -2, max: 2 }),
        finiteVector({ dim: depth, min: -1, max: 1 }),
        finiteVector({ dim: depth, min: -1, max: 1 }),
      ),
    );

/** ∏_{k ∉ skip} wₖ; 0 when an index is repeated in `skip` (the derivative of a product twice in one factor). */
function cofactor(w: Float64Array, ...skip: number[]): number {
  if (new Set(skip).size !== skip.length) return 0;
  let prod = 1;
  for (let k = 0; k < w.length; k++) if (!skip.includes(k)) prod *= w[k];
  return prod;
}

describe('scalar factorization: third-order contraction (properties)', () => {
  it('= finite differences of the HVP along u, and symmetric in (u, v) (depths 2–5)', () => {
    // Along u the HVP entries (∇²L(θ + tû)v)ᵢ = Σⱼ(πᵢπⱼ + (π − c)πᵢⱼ)vⱼ are polynomials of degree 2D − 2 in t:
    // for D ≤ 3 (degree ≤ 4) Richardson's O(h⁴) extrapolation is exact and only rounding remains. For D ≤ 5 each
    // entry is a sum over j ≤ 5 of ≤ 3 products of ≤ 8 linear factors (|factor| ≤ 2.002, slope ≤ 1) times
    // |c| ≤ 3 or 1, so |f⁽⁵⁾| ≤ 5·(1 + 1 + 3)·(8!/3!)·2.002³ ≈ 1.4e6 and the truncation error h⁴|f⁽⁵⁾|/480 with
    // h ≤ 2e-3 is ≤ 4.5e-8 < rel = 1e-6 (times max(1, ‖·‖∞)). Rounding: the checker's 16εF/h term.
    fc.assert(
      fc.property(pointArb(2, 5), ([depth, target, theta, u, v]) => {
        if (u.every((x) => x === 0)) return true;
        return checkThirdOrder(create({ depth, target }), theta, u, v, { rel: depth <= 3 ? 1e-9 : 1e-6 }).pass;
      }),
      { numRuns: RUNS },
    );
  });

  it('= the naive tensor Σᵢⱼ(πᵢₖπⱼ + πᵢπⱼₖ + πₖπᵢⱼ + p·πᵢⱼₖ)uᵢvⱼ to a rounding bound (depths 2–6)', () => {
    // Both sides sum the same 4D² terms (each a product of ≤ 2D factors, p = π − c carrying ≤ (D + 1)ε(|π| + |c|))
    // in different orders: each is within (4D² + 4D)·ε·scaleₖ of the exact value, where scaleₖ is the sum of the
    // terms' absolute values with |π| + |c| in place of |p|. Tolerance: twice that, plus UNDERFLOW.
    fc.assert(
      fc.property(pointArb(2, 6), ([depth, target, theta, u, v]) => {
        const out = new Float64Array(depth);
        create({ depth, target }).thirdOrder(theta, u, v, out);
        const pi = cofactor(theta);
        const p = pi - target;
        const pScale = Math.abs(pi) + Math.abs(target);
        for (let k = 0; k < depth; k++) {
          let ref = 0;
          let scale = 0;
          for (let i = 0; i < depth; i++) {
            for (let j = 0; j < depth; j++) {
              const uv = u[i] * v[j];
              const a = cofactor(theta, i, k) * cofactor(theta, j);
              const b = cofactor(theta, i) * cofactor(theta, j, k);
              const c = cofactor(theta, k) * cofactor(theta, i, j);
              const d = cofactor(theta, i, j, k);
              ref += (a + b + c + p * d) * uv;
              scale += (Math.abs(a) + Math.abs(b) + Math.abs(c) + pScale * Math.abs(d)) * Math.abs(uv);
            }
          }
          const tol = 2 * (4 * depth * depth + 4 * depth) * EPS * scale + UNDERFLOW;
          if (!(Math.abs(out[k] - ref) <= tol)) return false;
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('depth 2: ∇³L[u, v] = (2y(u_x v_y + u_y v_x) + 2x u_y v_y, 2y u_x v_x + 2x(u_x v_y + u_y v_x)) (c-independent)', () => {
    // L = ½(xy − c)² has ∂ₓₓₓL = ∂ᵧᵧᵧL = 0, ∂ₓₓᵧL = 2y, ∂ₓᵧᵧL = 2x (c only enters lower orders). Terms of size
    // ≤ 2·(|x| + |y|)·|u|·|v| summed in a different order: tolerance 16ε times the sum of the terms' magnitudes.
    fc.assert(
      fc.property(
        targetArb,
        finiteVector({ dim: 2, min: -3, max: 3 }),
        finiteVector({ dim: 2, min: -1, max: 1 }),
        finiteVector({ dim: 2, min: -1, max: 1 }),
        (c, theta, u, v) => {
          const [x, y] = theta;
          const out = new Float64Array(2);
          create({ target: c }).thirdOrder(theta, u, v, out);
          const m = u[0] * v[1] + u[1] * v[0];
          const ref0 = 2 * y * m + 2 * x * u[1] * v[1];
          const ref1 = 2 * y * u[0] * v[0] + 2 * x * m;
          const s0 = 2 * Math.abs(y) * (Math.abs(u[0] * v[1]) + Math.abs(u[1] * v[0])) + 2 * Math.abs(x * u[1] * v[1]);
          const s1 = 2 * Math.abs(y * u[0] * v[0]) + 2 * Math.abs(x) * (Math.abs(u[0] * v[1]) + Math.abs(u[1] * v[0]));
          return Math.abs(out[0] - ref0) <= 16 * EPS * s0 + UNDERFLOW && Math.abs(out[1] - ref1) <= 16 * EPS * s1 + UNDERFLOW;
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('does not modify θ, u or v and allocates no state between calls (same inputs → bit-identical outputs)', () => {
    const model = create({ depth: 4, target: 1.5 });
    const theta = new Float64Array([0.5, -1.2, 0.8, 1.1]);
    const u = new Float64Array([1, 0.25, -0.5, 0.3]);
    const v = new Float64Array([-0.2, 0.7, 0.1, 1]);
    const copies = [theta, u, v].map((a) => Float64Array.from(a));
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    model.thirdOrder(theta, u, v, a);
    model.hvp(theta, v, b); // interleaved kernel call sharing the scratch buffers
    model.thirdOrder(theta, u, v, b);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect([theta, u, v].map((x) => Array.from(x))).toEqual(copies.map((x) => Array.from(x)));
  });
});
