import { describe, it } from 'vitest';
import fc from 'fast-check';
import { createModel } from '../../../src/core/registry.js';
import { symmetricEigen } from '../../../src/linalg/symmetric-eigen.js';
import { create } from '../../../src/models/width-one-net/model.js';
import { convergenceLoss, oscillatoryLoss } from '../../../src/models/width-one-net/theory.js';
import { checkGradient, checkHessian, checkHvp, finiteVector } from '../../../src/testing/index.js';

const EPS = Number.EPSILON;
const RUNS = 1000;
/**
 * Absolute slack for gradual underflow: relative rounding bounds hold for normal numbers only. Every quantity below is
 * a sum of products of at most 5 factors bounded by 10 (|θᵢ| ≤ 3, λ ≤ 10), so an underflowed product errs by at most
 * 2⁻¹⁰⁷⁴ and is amplified by at most 10⁵ afterwards: far below 2⁻¹⁰⁰⁰.
 */
const UNDERFLOW = 2 ** -1000;

const lambdaArb = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const caseArb = fc.record({
  lambda1: lambdaArb(1e-3, 10),
  lambda2: lambdaArb(1e-4, 10),
  theta: finiteVector({ dim: 3, min: -3, max: 3 }),
  v: finiteVector({ dim: 3, min: -1, max: 1 }),
});

/** The docs/math.md §3 formulas, written independently of the model's kernel. */
function mathGradient(l1: number, l2: number, [a, b1, b2]: Float64Array): number[] {
  return [l1 * a * b1 * b1 + l2 * b2 * (a * b2 - 1), l1 * a * a * b1, l2 * a * (a * b2 - 1)];
}
function mathHessian(l1: number, l2: number, [a, b1, b2]: Float64Array): number[][] {
  return [
    [l1 * b1 * b1 + l2 * b2 * b2, 2 * l1 * a * b1, l2 * (2 * a * b2 - 1)],
    [2 * l1 * a * b1, l1 * a * a, 0],
    [l2 * (2 * a * b2 - 1), 0, l2 * a * a],
  ];
}
/** Entrywise magnitudes of the terms of the Hessian before any cancellation (the scale of its rounding errors). */
function hessianScale(l1: number, l2: number, [a, b1, b2]: Float64Array): number[][] {
  const ab1 = Math.abs(a * b1);
  return [
    [l1 * b1 * b1 + l2 * b2 * b2, 2 * l1 * ab1, l2 * (2 * Math.abs(a * b2) + 1)],
    [2 * l1 * ab1, l1 * a * a, 0],
    [l2 * (2 * Math.abs(a * b2) + 1), 0, l2 * a * a],
  ];
}

describe('width-one net: derivatives (properties)', () => {
  it('gradient, HVP and dense Hessian = finite differences (L is a quartic, so the differences are exact to rounding)', () => {
    // Along a coordinate L has degree 2, along any direction the gradient has degree 3: central differences
    // (Richardson-extrapolated, error ∝ 5th derivative = 0) carry rounding only, which the checkers bound by 16·ε·F/h.
    // rel = 1e-9 covers the analytic side's own rounding (a few ε relative to the terms) with a wide margin.
    fc.assert(
      fc.property(caseArb, ({ lambda1, lambda2, theta, v }) => {
        const m = create({ varianceIrrelevant: lambda1, varianceRelevant: lambda2 });
        if (!checkGradient(m, theta, { rel: 1e-9 }).pass) return false;
        if (!checkHessian(m, theta, { rel: 1e-9 }).pass) return false;
        return v.every((x) => x === 0) || checkHvp(m, theta, v, { rel: 1e-9 }).pass;
      }),
      { numRuns: RUNS },
    );
  });

  it('gradient and Hessian = the docs/math.md §3 formulas, to a rounding bound', () => {
    // The kernel evaluates the same terms in another association: ∂α as (λ₁(αβ₁))β₁ + (λ₂(αβ₂ − 1))β₂, H_αβ₁ as
    // α(λ₁β₁) + λ₁(αβ₁), H_αβ₂ as α(λ₂β₂) + λ₂(αβ₂ − 1). Each side has ≤ 5 roundings on terms bounded by the scale
    // matrix S, so |Δ| ≤ 10·ε·S. ∂β₂ = (λ₂(αβ₂ − 1))α is the formula's own order: bit-identical.
    fc.assert(
      fc.property(caseArb, ({ lambda1, lambda2, theta }) => {
        const m = create({ varianceIrrelevant: lambda1, varianceRelevant: lambda2 });
        const g = new Float64Array(3);
        m.lossAndGrad(theta, g);
        const [a, b1, b2] = theta;
        const gRef = mathGradient(lambda1, lambda2, theta);
        const gScale = [lambda1 * Math.abs(a) * b1 * b1 + lambda2 * Math.abs(b2) * (Math.abs(a * b2) + 1), lambda1 * a * a * Math.abs(b1), 0];
        for (let i = 0; i < 2; i++) if (!(Math.abs(g[i] - gRef[i]) <= 10 * EPS * gScale[i] + UNDERFLOW)) return false;
        if (!Object.is(g[2], lambda2 * (a * b2 - 1) * a)) return false;
        const H = m.hessian(theta);
        const ref = mathHessian(lambda1, lambda2, theta);
        const S = hessianScale(lambda1, lambda2, theta);
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) {
            if (H.get(i, j) !== H.get(j, i)) return false;
            if (!(Math.abs(H.get(i, j) - ref[i][j]) <= 10 * EPS * S[i][j] + UNDERFLOW)) return false;
          }
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('HVP = dense Hessian · v entrywise, to a rounding bound', () => {
    // Both sides sum the same six terms λ₁β₁²v_α, λ₁αβ₁v_β₁ (twice), λ₂β₂²v_α, λ₂αβ₂v_β₂, λ₂(αβ₂ − 1)v_β₂ (and their
    // mirrors) in different orders, each term with ≤ 4 roundings: |Δᵢ| ≤ 16·ε·(S|v|)ᵢ.
    fc.assert(
      fc.property(caseArb, ({ lambda1, lambda2, theta, v }) => {
        const m = create({ varianceIrrelevant: lambda1, varianceRelevant: lambda2 });
        const H = m.hessian(theta);
        const out = new Float64Array(3);
        m.hvp(theta, v, out);
        const S = hessianScale(lambda1, lambda2, theta);
        for (let i = 0; i < 3; i++) {
          let hv = 0;
          let scale = 0;
          for (let j = 0; j < 3; j++) {
            hv += H.get(i, j) * v[j];
            scale += S[i][j] * Math.abs(v[j]);
          }
          if (!(Math.abs(out[i] - hv) <= 16 * EPS * scale + UNDERFLOW)) return false;
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('loss = oscillatoryLoss + convergenceLoss bit for bit, and lossAndGrad returns loss', () => {
    fc.assert(
      fc.property(caseArb, ({ lambda1, lambda2, theta }) => {
        const m = create({ varianceIrrelevant: lambda1, varianceRelevant: lambda2 });
        const o = { varianceIrrelevant: lambda1, varianceRelevant: lambda2 };
        const L = m.loss(theta);
        return Object.is(L, oscillatoryLoss(theta, o) + convergenceLoss(theta, o)) && Object.is(L, m.lossAndGrad(theta, new Float64Array(3)));
      }),
      { numRuns: RUNS },
    );
  });

  it('at every minimizer (α, 0, 1/α) the Hessian eigenvalues are {0, λ₂(α² + α⁻²), λ₁α²} (docs/math.md §3)', () => {
    // β₂ = 1/α is rounded, so αβ₂ − 1 = O(ε) and the Hessian is within ~4ε·(λ₁ + λ₂)(α² + α⁻²) of the exact one; the
    // dense eigensolver adds 3·ε·‖H‖. Tolerance 16·ε·(λ₁α² + λ₂(α² + α⁻² + 2)) (Weyl).
    const arb = fc.record({
      lambda1: lambdaArb(1e-3, 10),
      lambda2: lambdaArb(1e-4, 10),
      alpha: fc.tuple(fc.double({ min: 0.1, max: 5, noNaN: true }), fc.boolean()).map(([a, s]) => (s ? -a : a)),
    });
    fc.assert(
      fc.property(arb, ({ lambda1, lambda2, alpha }) => {
        const m = create({ varianceIrrelevant: lambda1, varianceRelevant: lambda2 });
        const { values } = symmetricEigen(m.hessian(new Float64Array([alpha, 0, 1 / alpha])));
        const a2 = alpha * alpha;
        const expected = [0, lambda2 * (a2 + 1 / a2), lambda1 * a2].sort((x, y) => x - y);
        const tol = 16 * EPS * (lambda1 * a2 + lambda2 * (a2 + 1 / a2 + 2));
        return values.every((x, i) => Math.abs(x - expected[i]) <= tol);
      }),
      { numRuns: RUNS },
    );
  });

  it('createModel(JSON round trip of spec) gives bit-identical losses, gradients, HVPs and Hessians', () => {
    fc.assert(
      fc.property(caseArb, ({ lambda1, lambda2, theta, v }) => {
        const a = create({ varianceIrrelevant: lambda1, varianceRelevant: lambda2 });
        const b = createModel(JSON.parse(JSON.stringify(a.spec)));
        const [ga, gb, ha, hb] = [0, 0, 0, 0].map(() => new Float64Array(3));
        const same = (x: Float64Array, y: Float64Array) => x.every((xi, i) => Object.is(xi, y[i]));
        a.hvp(theta, v, ha);
        b.hvp(theta, v, hb);
        return (
          Object.is(a.lossAndGrad(theta, ga), b.lossAndGrad(theta, gb)) &&
          same(ga, gb) &&
          same(ha, hb) &&
          same(a.hessian(theta).data, (b.hessian as (t: Float64Array) => { data: Float64Array })(theta).data)
        );
      }),
      { numRuns: 200 },
    );
  });
});
