import { describe, it } from 'vitest';
import fc from 'fast-check';
import { gdStep } from '../../../src/dynamics/gd.js';
import { create } from '../../../src/models/scalar-factorization/model.js';
import {
  gdImbalanceFactor,
  gfsByRootSolve,
  gradientFlowSolution,
  imbalances,
  minimizerSharpness,
  productGap,
} from '../../../src/models/scalar-factorization/theory.js';
import { finiteVector, learningRate } from '../../../src/testing/index.js';
import { EPS, RUNS, UNDERFLOW, targetArb } from './shared.js';


const depthTargetTheta = (minDepth: number, maxDepth: number, box: number) =>
  fc
    .integer({ min: minDepth, max: maxDepth })
    .chain((depth) => fc.tuple(fc.constant(depth), targetArb, finiteVector({ dim: depth, min: -box, max: box })));

function prod(w: ArrayLike<number>, ...skip: number[]): number {
  let p = 1;
  for (let k = 0; k < w.length; k++) if (!skip.includes(k)) p *= w[k];
  return p;
}

describe('GD imbalance recurrence (docs/math.md §1, §3)', () => {
  it("one GD step: wᵢ'² − wⱼ'² = (wᵢ² − wⱼ²)·gdImbalanceFactor, every pair, depths 2–4", () => {
    // The identity is exact for the exact step w' = w − η(π − c)∇π. Rounding (first order in ε):
    // - computed step: w̃ᵢ' = wᵢ' + eᵢ, |eᵢ| ≤ ε|wᵢ'| + (D + 3)·ε·η|πᵢ|(|π| + |p|) (the gradient's cofactor,
    //   p = π − c with absolute error ≤ (D − 1)ε|π| + ε|p|, the products by p and η, the subtraction);
    // - A = (w̃ᵢ' − w̃ⱼ')(w̃ᵢ' + w̃ⱼ') is off by ≤ 2|wᵢ'||eᵢ| + 2|wⱼ'||eⱼ| + 3ε|A|;
    // - B = M·f with M from imbalances (≤ 3ε relative) and f = 1 − t², t = η·p·πᵢⱼ with
    //   |Δt| ≤ (D + 1)·ε·η|πᵢⱼ|(|π| + |p|), so |Δf| ≤ 2|t||Δt| + ε(t² + |f|), and |ΔB| ≤ |M||Δf| + 3ε|M f| + ε|B|.
    // Tolerance: twice the sum (second-order terms and headroom), plus the underflow slack.
    fc.assert(
      fc.property(depthTargetTheta(2, 4, 2), learningRate({ min: 1e-3, max: 1 }), ([depth, target, w], eta) => {
        const model = create({ depth, target });
        const w1 = new Float64Array(depth);
        gdStep(model, w, eta, new Float64Array(depth), w1);
        const M = imbalances(w);
        const pi = prod(w);
        const p = pi - target;
        const e = (i: number) => EPS * Math.abs(w1[i]) + (depth + 3) * EPS * eta * Math.abs(prod(w, i)) * (Math.abs(pi) + Math.abs(p));
        for (let i = 0; i < depth; i++) {
          for (let j = i + 1; j < depth; j++) {
            const A = (w1[i] - w1[j]) * (w1[i] + w1[j]);
            const f = gdImbalanceFactor(w, eta, i, j, { target });
            const B = M.get(i, j) * f;
            const t = eta * p * prod(w, i, j);
            const dt = (depth + 1) * EPS * eta * Math.abs(prod(w, i, j)) * (Math.abs(pi) + Math.abs(p));
            const df = 2 * Math.abs(t) * dt + EPS * (t * t + Math.abs(f));
            const dA = 2 * Math.abs(w1[i]) * e(i) + 2 * Math.abs(w1[j]) * e(j) + 3 * EPS * Math.abs(A);
            const dB = Math.abs(M.get(i, j)) * df + 3 * EPS * Math.abs(M.get(i, j) * f) + EPS * Math.abs(B);
            if (!(Math.abs(A - B) <= 2 * (dA + dB) + UNDERFLOW)) return false;
          }
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('gdImbalanceFactor = 1 − η²(π − c)²π²/(wᵢ²wⱼ²) (docs/math.md §3 form) where wᵢwⱼ ≠ 0', () => {
    // Same number written two ways: t² = (η p πᵢⱼ)² vs η²p²π²/(wᵢ²wⱼ²); with |wₖ| ∈ [0.05, 2] nothing under- or
    // overflows and each side has ≤ 2D + 6 roundings relative to t², so |Δ| ≤ (4D + 12)·ε·t² + 2ε.
    const coord = fc.tuple(fc.double({ min: 0.05, max: 2, noNaN: true }), fc.boolean()).map(([a, s]) => (s ? -a : a));
    const arb = fc
      .integer({ min: 2, max: 5 })
      .chain((depth) =>
        fc.tuple(fc.constant(depth), targetArb, fc.array(coord, { minLength: depth, maxLength: depth }), fc.nat({ max: depth - 1 }), fc.nat({ max: depth - 2 })),
      );
    fc.assert(
      fc.property(arb, learningRate(), ([depth, target, arr, i, jj], eta) => {
        const w = Float64Array.from(arr);
        const j = jj >= i ? jj + 1 : jj;
        const pi = prod(w);
        const t2 = (eta * eta * (pi - target) ** 2 * pi * pi) / (w[i] * w[i] * w[j] * w[j]);
        const f = gdImbalanceFactor(w, eta, i, j, { target });
        return Math.abs(f - (1 - t2)) <= (4 * depth + 12) * EPS * t2 + 2 * EPS;
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * The rounding bound of the GFS (derived in theory.ts's remarks): the Newton solve evaluates
 * g(v) = Σᵢ log(u + δᵢ) − 2 log|c| with absolute error ≤ ε·(Σᵢ |log wᵢ∞²| + 2|log|c|| + 2D); since g' ≥ 1 this bounds
 * the error of v = log u, and the product's relative error is ≈ |Δg|/2 + 3Dε. We allow 4× that.
 */
function gfsRelTol(theta: Float64Array, c: number): number {
  let s = 2 * Math.abs(Math.log(Math.abs(c))) + 5 * theta.length;
  for (const x of theta) s += x === 0 ? 0 : 2 * Math.abs(Math.log(Math.abs(x))); // |log wᵢ²| without underflow
  return 4 * EPS * s;
}

describe('gradientFlowSolution (properties)', () => {
  it('lands on the manifold with the start’s imbalances, the right signs and s = minimizerSharpness (depths 2–5)', () => {
    // Imbalance check: wᵢ∞² − wⱼ∞² is recomputed from the limit (each square ≤ 4 roundings relative, the shared
    // u cancels), the start's from imbalances (3ε): tolerance 8ε·(wᵢ∞² + wⱼ∞² + w₀ᵢ² + w₀ⱼ²).
    fc.assert(
      fc.property(depthTargetTheta(2, 5, 3), ([depth, target, w0]) => {
        const r = gradientFlowSolution(w0, { target });
        const w = r.theta;
        const M0 = imbalances(w0);
        for (let i = 0; i < depth; i++) {
          for (let j = i + 1; j < depth; j++) {
            const d = w[i] * w[i] - w[j] * w[j];
            const tol = 8 * EPS * (w[i] * w[i] + w[j] * w[j] + w0[i] * w0[i] + w0[j] * w0[j]) + UNDERFLOW;
            if (!(Math.abs(d - M0.get(i, j)) <= tol)) return false;
          }
        }
        const least = Math.min(...Array.from(w0, Math.abs));
        if (r.reachesMinimizer) {
          if (!(Math.abs(productGap(w, { target })) <= gfsRelTol(w, target) * Math.abs(target))) return false;
          // Only a coordinate of least magnitude may change sign.
          for (let i = 0; i < depth; i++) if (Math.abs(w0[i]) > least && Math.sign(w[i]) !== Math.sign(w0[i])) return false;
          if (Math.sign(prod(w)) !== Math.sign(target)) return false;
          const s = minimizerSharpness(w);
          if (!(Math.abs(r.sharpness - s) <= 8 * depth * EPS * s)) return false;
        } else {
          // A saddle-type limit needs ≥ 2 coordinates tied at the least magnitude on the wrong branch; they end at 0.
          const tied = Array.from(w0).filter((x) => Math.abs(x) === least).length;
          if (tied < 2 || Math.sign(prod(w0)) === Math.sign(target)) return false;
          for (let i = 0; i < depth; i++) if (Math.abs(w0[i]) === least && w[i] !== 0) return false;
          if (!(Math.abs(prod(w)) === 0)) return false;
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('depth 2: the closed form (docs/math.md §1) agrees with the general-depth root solve', () => {
    fc.assert(
      fc.property(depthTargetTheta(2, 2, 3), ([, target, w0]) => {
        const a = gradientFlowSolution(w0, { target });
        const b = gfsByRootSolve(w0, target);
        if (a.reachesMinimizer !== b.reachesMinimizer) return false;
        const tol = gfsRelTol(a.theta, target) + gfsRelTol(b.theta, target);
        for (let i = 0; i < 2; i++) if (!(Math.abs(a.theta[i] - b.theta[i]) <= tol * Math.abs(a.theta[i]) + UNDERFLOW)) return false;
        return Math.abs(a.sharpness - b.sharpness) <= 2 * tol * a.sharpness;
      }),
      { numRuns: RUNS },
    );
  });

  it('scaling: GFS(2θ₀; 2ᴰc) = 2·GFS(θ₀; c) (GF of the rescaled loss is a time change of the original)', () => {
    // v = αw turns w' = (c − π)∇π into v' = α^(2−2D)·(αᴰc − π_v)∇π_v: the same path, reparametrized in time.
    fc.assert(
      fc.property(depthTargetTheta(2, 5, 3), ([depth, target, w0]) => {
        const a = gradientFlowSolution(w0, { target });
        const b = gradientFlowSolution(w0.map((x) => 2 * x), { target: 2 ** depth * target });
        if (a.reachesMinimizer !== b.reachesMinimizer) return false;
        const tol = gfsRelTol(a.theta, target) + gfsRelTol(b.theta, 2 ** depth * target);
        for (let i = 0; i < depth; i++) if (!(Math.abs(b.theta[i] - 2 * a.theta[i]) <= tol * Math.abs(b.theta[i]) + UNDERFLOW)) return false;
        return true;
      }),
      { numRuns: RUNS },
    );
  });
});
