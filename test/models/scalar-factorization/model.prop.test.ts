import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createModel } from '../../../src/core/registry.js';
import { symmetricEigen } from '../../../src/linalg/symmetric-eigen.js';
import { create } from '../../../src/models/scalar-factorization/model.js';
import { minimizerSharpness } from '../../../src/models/scalar-factorization/theory.js';
import {
  checkGradient,
  checkHessian,
  checkHvp,
  finiteVector,
  scalarFactorizationPoint,
} from '../../../src/testing/index.js';
import { EPS, RUNS, UNDERFLOW, targetArb } from './shared.js';


/** (depth, target, θ, v) with θ ∈ [−2, 2]^D and v ∈ [−1, 1]^D (fast-check's doubles include 0, −0 and the ends). */
const pointArb = (minDepth: number, maxDepth: number) =>
  fc
    .integer({ min: minDepth, max: maxDepth })
    .chain((depth) =>
      fc.tuple(
        fc.constant(depth),
        targetArb,
        finiteVector({ dim: depth, min: -2, max: 2 }),
        finiteVector({ dim: depth, min: -1, max: 1 }),
      ),
    );

/** Naive cofactors, written independently of the model: πᵢ = ∏_{k≠i} wₖ and πᵢⱼ = ∏_{k≠i,j} wₖ by skipping loops. */
function cofactor(w: Float64Array, ...skip: number[]): number {
  let prod = 1;
  for (let k = 0; k < w.length; k++) if (!skip.includes(k)) prod *= w[k];
  return prod;
}

describe('scalar factorization model: derivatives (properties)', () => {
  it('gradient = finite differences of the loss (depths 2–5)', () => {
    // L is quadratic in each single coordinate (π is linear in wᵢ), so central differences along a coordinate have
    // no truncation error: only rounding remains, which checkGradient's 16·ε·max|L|/h term bounds. rel = 1e-9
    // covers the analytic gradient's own rounding (≈ (D + 2)·ε·‖∇L‖∞) with a wide margin.
    fc.assert(
      fc.property(pointArb(2, 5), ([depth, target, theta]) => {
        const res = checkGradient(create({ depth, target }), theta, { rel: 1e-9 });
        return res.pass;
      }),
      { numRuns: RUNS },
    );
  });

  it('HVP = finite differences of the gradient along v (depths 2–5)', () => {
    // Richardson's truncation error is h⁴·|g⁽⁵⁾|/480 with h ≤ 2e-3 (step 1e-3·max(1, ‖θ‖∞), ‖θ‖∞ ≤ 2) along
    // u = v/‖v‖∞. Each gradient entry g(t) = (π − c)πᵢ is a sum of products of at most 2D − 1 ≤ 9 linear factors
    // in t, each ≤ 2.002 in size with slope ≤ 1, so |g⁽⁵⁾| ≤ 9!/4!·2.002⁴ ≈ 2.4e5 (the c·πᵢ part has degree ≤ 4).
    // Truncation ≤ 1.6e-11·2.4e5/480 ≈ 8e-9 ≤ rel·max(1, ‖Hv‖∞) with rel = 1e-7; rounding is the checker's term.
    fc.assert(
      fc.property(pointArb(2, 5), ([depth, target, theta, v]) => {
        if (v.every((x) => x === 0)) return true;
        return checkHvp(create({ depth, target }), theta, v, { rel: 1e-7 }).pass;
      }),
      { numRuns: RUNS },
    );
  });

  it('dense Hessian = finite differences of the gradient, symmetric, and = HVP on every basis vector (depths 2–5)', () => {
    // Along a coordinate e_j each gradient entry has degree ≤ 2 in t, so the differences are exact up to rounding.
    fc.assert(
      fc.property(pointArb(2, 5), ([depth, target, theta]) => checkHessian(create({ depth, target }), theta, { rel: 1e-9 }).pass),
      { numRuns: RUNS },
    );
  });

  it('HVP = dense Hessian · v entrywise, to a rounding bound (depths 2–6)', () => {
    // Both sides evaluate Σⱼ (πᵢπⱼ + p·πᵢⱼ)vⱼ (diagonal πᵢ²) in different orders. Each cofactor carries ≤ D − 1
    // roundings, p = π − c an absolute error ≤ (D + 1)·ε·(|π| + |c|), and the products and the D-term sum add ≤ D + 3
    // more; so each side is within (2D + 2)·ε·scaleᵢ of the exact value, scaleᵢ = Σⱼ (|πᵢπⱼ| + (|π| + |c|)|πᵢⱼ|)|vⱼ|.
    // Tolerance: (4D + 8)·ε·scaleᵢ + UNDERFLOW.
    fc.assert(
      fc.property(pointArb(2, 6), ([depth, target, theta, v]) => {
        const model = create({ depth, target });
        const H = model.hessian(theta);
        const out = new Float64Array(depth);
        model.hvp(theta, v, out);
        const pi = cofactor(theta);
        for (let i = 0; i < depth; i++) {
          let hv = 0;
          let scale = 0;
          for (let j = 0; j < depth; j++) {
            hv += H.get(i, j) * v[j];
            const pij = i === j ? 0 : Math.abs(cofactor(theta, i, j));
            scale += (Math.abs(cofactor(theta, i) * cofactor(theta, j)) + (Math.abs(pi) + Math.abs(target)) * pij) * Math.abs(v[j]);
          }
          if (!(Math.abs(out[i] - hv) <= (4 * depth + 8) * EPS * scale + UNDERFLOW)) return false;
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('gradient and Hessian = the naive cofactor formulas ∂ᵢL = (π − c)πᵢ, Hᵢⱼ = πᵢπⱼ + (π − c)πᵢⱼ (depths 2–6)', () => {
    // π is the same left-to-right product on both sides, so p is identical; πᵢ and πᵢⱼ differ only by the order of
    // ≤ D − 1 roundings each. Bounds: |Δgᵢ| ≤ (2D + 2)·ε·|p·πᵢ|, |ΔHᵢⱼ| ≤ (2D + 4)·ε·(|πᵢπⱼ| + |p·πᵢⱼ|), plus UNDERFLOW.
    fc.assert(
      fc.property(pointArb(2, 6), ([depth, target, theta]) => {
        const model = create({ depth, target });
        const g = new Float64Array(depth);
        model.lossAndGrad(theta, g);
        const H = model.hessian(theta);
        const p = cofactor(theta) - target;
        for (let i = 0; i < depth; i++) {
          const pii = cofactor(theta, i);
          if (!(Math.abs(g[i] - p * pii) <= (2 * depth + 2) * EPS * Math.abs(p * pii) + UNDERFLOW)) return false;
          for (let j = 0; j < depth; j++) {
            const pjj = cofactor(theta, j);
            const pij = i === j ? 0 : cofactor(theta, i, j);
            const ref = pii * pjj + p * pij;
            const tol = (2 * depth + 4) * EPS * (Math.abs(pii * pjj) + Math.abs(p * pij)) + UNDERFLOW;
            if (!(Math.abs(H.get(i, j) - ref) <= tol)) return false;
          }
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('depth 2 is [Scalar factorization]: ∇L = (y(xy − c), x(xy − c)) exactly and ∇²L = [[y², 2xy − c], [2xy − c, x²]]', () => {
    // The gradient is bit-for-bit the post's formula (same operation order). Off-diagonal: the model computes
    // y·x + (x·y − c), the closed form 2·(x·y) − c; three roundings vs one on terms of size ≤ 2|xy| + |c|,
    // so |Δ| ≤ 4·ε·(2|xy| + |c|). Diagonals are the same single product.
    fc.assert(
      fc.property(targetArb, finiteVector({ dim: 2, min: -3, max: 3 }), (c, theta) => {
        const [x, y] = theta;
        const model = create({ target: c });
        const g = new Float64Array(2);
        model.lossAndGrad(theta, g);
        if (!Object.is(g[0], y * (x * y - c)) || !Object.is(g[1], x * (x * y - c))) return false;
        const H = model.hessian(theta);
        const off = 2 * (x * y) - c;
        const tol = 4 * EPS * (2 * Math.abs(x * y) + Math.abs(c));
        return (
          Object.is(H.get(0, 0), y * y) &&
          Object.is(H.get(1, 1), x * x) &&
          H.get(0, 1) === H.get(1, 0) &&
          Math.abs(H.get(0, 1) - off) <= tol
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('on the manifold ∏wᵢ = c the Hessian eigenvalues are {0 (D − 1 times), minimizerSharpness} (depths 2–4)', () => {
    // Exactly on the manifold ∇²L = ∇π∇πᵀ, with eigenvalues 0 and s = ‖∇π‖² = Σπᵢ². The arbitrary's point has
    // w_D = c/∏_{i<D}wᵢ, so the computed gap p̃ is a few roundings of π; the true gap is ≤ |p̃| + D·ε·|π|.
    // Weyl: |λ − λ_exact| ≤ ‖H̃ − ∇π∇πᵀ‖₂ ≤ |p_true|·‖Π‖_F + (rounding of H̃ and of the eigensolver and of s)
    // where Π = [πᵢⱼ]. Tolerance: (|p̃| + 8D·ε·(|π| + |c|))·‖Π‖_F + 16D·ε·s.
    const arb = fc
      .record({ depth: fc.integer({ min: 2, max: 4 }), target: targetArb })
      .chain(({ depth, target }) =>
        fc.tuple(fc.constant(depth), fc.constant(target), scalarFactorizationPoint({ depth, target, onManifold: true })),
      );
    fc.assert(
      fc.property(arb, ([depth, target, theta]) => {
        const model = create({ depth, target });
        const { values } = symmetricEigen(model.hessian(theta));
        const s = minimizerSharpness(theta);
        const pi = cofactor(theta);
        let piFrob = 0;
        for (let i = 0; i < depth; i++) for (let j = 0; j < depth; j++) if (i !== j) piFrob += cofactor(theta, i, j) ** 2;
        piFrob = Math.sqrt(piFrob);
        const tol = (Math.abs(pi - target) + 8 * depth * EPS * (Math.abs(pi) + Math.abs(target))) * piFrob + 16 * depth * EPS * s;
        for (let k = 0; k < depth - 1; k++) if (!(Math.abs(values[k]) <= tol)) return false;
        return Math.abs(values[depth - 1] - s) <= tol;
      }),
      { numRuns: RUNS },
    );
  });

  it('createModel(JSON round trip of spec) gives bit-identical losses, gradients and HVPs', () => {
    fc.assert(
      fc.property(pointArb(2, 6), ([depth, target, theta, v]) => {
        const a = create({ depth, target });
        const b = createModel(JSON.parse(JSON.stringify(a.spec)));
        const ga = new Float64Array(depth);
        const gb = new Float64Array(depth);
        const ha = new Float64Array(depth);
        const hb = new Float64Array(depth);
        if (!Object.is(a.lossAndGrad(theta, ga), b.lossAndGrad(theta, gb))) return false;
        if (!Object.is(a.loss(theta), b.loss(theta))) return false;
        a.hvp(theta, v, ha);
        b.hvp(theta, v, hb);
        for (let i = 0; i < depth; i++) if (!Object.is(ga[i], gb[i]) || !Object.is(ha[i], hb[i])) return false;
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('kernels do not modify theta or v, and loss = the loss returned by lossAndGrad', () => {
    fc.assert(
      fc.property(pointArb(2, 6), ([depth, target, theta, v]) => {
        const model = create({ depth, target });
        const t0 = theta.slice();
        const v0 = v.slice();
        const g = new Float64Array(depth);
        const l1 = model.lossAndGrad(theta, g);
        model.hvp(theta, v, new Float64Array(depth));
        model.hessian(theta);
        const l2 = model.loss(theta);
        return Object.is(l1, l2) && theta.every((x, i) => Object.is(x, t0[i])) && v.every((x, i) => Object.is(x, v0[i]));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('scalar factorization model: bad options (property)', () => {
  it('every invalid depth or target is rejected with its code', () => {
    const badDepth = fc.oneof(
      fc.integer({ min: -100, max: 1 }),
      fc.integer({ min: 65, max: 10_000 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
    );
    const badTarget = fc.oneof(
      fc.constantFrom(0, -0).map((t) => ({ target: t, code: 'E_BAD_OPTION' })),
      fc.constantFrom(Number.NaN, Infinity, -Infinity).map((t) => ({ target: t, code: 'E_NONFINITE' })),
      fc.string().map((t) => ({ target: t as unknown as number, code: 'E_BAD_OPTION' })),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          badDepth.map((depth) => ({ depth, code: 'E_BAD_OPTION' })),
          fc.constantFrom(Number.NaN, Infinity, -Infinity).map((depth) => ({ depth, code: 'E_NONFINITE' })),
          badTarget,
        ),
        (bad) => {
          const { code, ...options } = bad;
          try {
            create(options);
          } catch (e) {
            return (e as { code?: string }).code === code;
          }
          return false;
        },
      ),
      { numRuns: RUNS },
    );
    expect(true).toBe(true);
  });
});
