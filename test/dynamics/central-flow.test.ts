/**
 * centralFlow: gradient flow below the edge (bit for bit), the edge held at 2/η, the closed-form end point on
 * ½(1 − xy)², k = 2 on a separable sum against two k = 1 flows, and input errors.
 */
import { describe, expect, it } from 'vitest';
import type { LossModel } from '../../src/core/loss-model.js';
import { zerosMatrix } from '../../src/linalg/matrix.js';
import { centralFlow } from '../../src/dynamics/central-flow.js';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import { create as scalarFactorization } from '../../src/models/scalar-factorization/model.js';
import { create as widthOneNet } from '../../src/models/width-one-net/model.js';
import { sharpness } from '../../src/sharpness/sharpness.js';
import { checkThirdOrder } from '../../src/testing/index.js';
import { errorCode } from '../helpers/errors.js';

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** L(x₁, y₁, x₂, y₂) = ½(1 − x₁y₁)² + ½(1 − x₂y₂)²: two scalar factorizations side by side (block-diagonal Hessian). */
function twoBlocks(): LossModel {
  const a = scalarFactorization();
  const ga = new Float64Array(2);
  const ha = new Float64Array(2);
  const sub = (v: Float64Array, i: number) => v.subarray(2 * i, 2 * i + 2);
  return {
    spec: { kind: 'test-two-blocks' },
    dim: 4,
    loss: (t) => a.loss(sub(t, 0)) + a.loss(sub(t, 1)),
    lossAndGrad(t, g) {
      let L = 0;
      for (let i = 0; i < 2; i++) {
        L += a.lossAndGrad(sub(t, i), ga);
        g.set(ga, 2 * i);
      }
      return L;
    },
    hvp(t, v, out) {
      for (let i = 0; i < 2; i++) {
        a.hvp(sub(t, i), sub(v, i), ha);
        out.set(ha, 2 * i);
      }
    },
    hessian(t) {
      const out = zerosMatrix(4, 4);
      for (let b = 0; b < 2; b++) {
        const H = a.hessian(sub(t, b));
        for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) out.set(2 * b + i, 2 * b + j, H.get(i, j));
      }
      return out;
    },
    thirdOrder(t, u, v, out) {
      for (let i = 0; i < 2; i++) {
        a.thirdOrder(sub(t, i), sub(u, i), sub(v, i), ha);
        out.set(ha, 2 * i);
      }
    },
  };
}

describe('centralFlow', () => {
  it('is gradient flow bit for bit while the sharpness stays below 2/η (scalar factorization and width-one net)', () => {
    const cases: [LossModel, Float64Array, number][] = [
      [scalarFactorization({ depth: 3 }), new Float64Array([1.3, 0.6, 0.9]), 0.2],
      [widthOneNet({ varianceRelevant: 0.05 }), new Float64Array([0.9, 0.3, 0.2]), 0.5],
    ];
    for (const [model, theta0, eta] of cases) {
      const options = { step: stepSize.fixed(0.01), maxTime: 7.5, record: { every: 3, sharpnessEvery: 2 } };
      const gf = gradientFlow(model, theta0, options);
      const cf = centralFlow(model, theta0, { ...options, learningRate: eta });
      expect(gf.maxSharpness!).toBeLessThan(2 / eta); // the premise: the edge is never reached
      expect(cf.events).toEqual([]);
      expect(cf.status).toBe(gf.status);
      expect(cf.steps).toBe(gf.steps);
      expect(Object.is(cf.time, gf.time)).toBe(true);
      expect(Object.is(cf.loss, gf.loss)).toBe(true);
      expect(sameBits(cf.theta, gf.theta)).toBe(true);
      for (const key of ['step', 'time', 'loss', 'norm1', 'norm2', 'gradNorm', 'sharpnessStep', 'sharpness'] as const) {
        expect(sameBits(cf.trace[key], gf.trace[key])).toBe(true);
      }
      expect(cf.initialSharpness).toBe(gf.initialSharpness);
      expect(cf.maxSharpness).toBe(gf.maxSharpness);
      expect(cf.stats.gradEvals).toBe(gf.stats.gradEvals);
      expect(cf.stats.thirdOrderProducts).toBe(0);
      expect(sameBits(cf.trace.predictedLoss, cf.trace.loss)).toBe(true);
      expect(cf.trace.sigma2.every((s) => s === 0)).toBe(true);
    }
  });

  it('½(1 − xy)²: enters the edge once, holds S = 2/η to ≤ 1e-8 relative, and ends at the minimizer with x² + y² = 2/η', () => {
    // GF from (2.05, 0.9/2.05) would end at sharpness ≈ 4.481 > 2/η = 4.42. On the edge the flow keeps S = 2/η and
    // its loss decreases, so it ends on {xy = 1, x² + y² = 2/η}: x, y = (√(2/η + 2) ± √(2/η − 2))/2 (x > y > 0).
    // Tolerances stated before running: S/(2/η) − 1 ≤ 1e-8 at every recorded point after entry; end point within
    // 1e-8 of the closed form once the loss is ≤ 1e-24 (distance to the manifold ~ √L).
    const model = scalarFactorization();
    const thr = 4.42;
    const eta = 2 / thr;
    const cf = centralFlow(model, new Float64Array([2.05, 0.9 / 2.05]), { learningRate: eta, maxTime: 400 * eta, record: { every: 10 } });
    expect(cf.status).toBe('max-time');
    expect(cf.events.map((e) => e.kind)).toEqual(['enter']);
    expect(cf.events[0].located).toBe(true);
    const enter = cf.events[0].step;
    let worst = 0;
    for (let i = 0; i < cf.trace.sharpnessStep.length; i++) {
      if (cf.trace.sharpnessStep[i] < enter) expect(cf.trace.sharpness[i]).toBeLessThan(thr);
      else worst = Math.max(worst, Math.abs(cf.trace.sharpness[i] / thr - 1));
    }
    expect(worst).toBeLessThanOrEqual(1e-8);
    expect(cf.loss).toBeLessThanOrEqual(1e-24);
    const x = (Math.sqrt(thr + 2) + Math.sqrt(thr - 2)) / 2;
    const y = (Math.sqrt(thr + 2) - Math.sqrt(thr - 2)) / 2;
    expect(Math.abs(cf.theta[0] - x)).toBeLessThanOrEqual(1e-8);
    expect(Math.abs(cf.theta[1] - y)).toBeLessThanOrEqual(1e-8);
    // σ² > 0 on the edge while the loss still decreases, and the predicted loss L + σ²/η·(S·η/2) = L + ½σ²S ≥ L.
    const iEdge = cf.trace.step.findIndex((k) => k > enter);
    expect(cf.trace.sigma2[iEdge]).toBeGreaterThan(0);
    expect(cf.trace.edgeDim[iEdge]).toBe(1);
    expect(cf.trace.predictedLoss[iEdge]).toBeCloseTo(cf.trace.loss[iEdge] + 0.5 * cf.trace.sigma2[iEdge] * thr, 14);
    expect(cf.stats.thirdOrderProducts).toBeGreaterThan(0);
  });

  it('k = 2 on a separable sum of two scalar factorizations equals two independent k = 1 flows', () => {
    // The Hessian is block diagonal, ∇³L[u_A, u_B] = 0, so the 2 × 2 complementarity problem separates and each
    // block follows its own central flow. The blocks enter the edge at different times (m: 0 → 1 → 2), so the joint
    // run cuts its steps at both events; each single run at one. Same RK4 step otherwise: the runs differ by the
    // integrators' global error, O(h⁴) with h = η/20 (≈ 1e-8 here). Tolerance stated before running: 1e-6.
    const thr = 4.42;
    const eta = 2 / thr;
    const startA = [2.05, 0.9 / 2.05];
    const startB = [2.06, 0.85 / 2.06];
    // maxTime 3η: both blocks are on the edge by then and still moving (the end points are compared mid-flow, not
    // at the common limit).
    const options = { learningRate: eta, maxTime: 3 * eta, record: { every: 0, sharpnessEvery: 0 } };
    const joint = centralFlow(twoBlocks(), new Float64Array([...startA, ...startB]), options);
    const a = centralFlow(scalarFactorization(), new Float64Array(startA), options);
    const b = centralFlow(scalarFactorization(), new Float64Array(startB), options);
    expect(joint.events.map((e) => `${e.kind}${e.edgeDim}`)).toEqual(['enter1', 'enter2']);
    expect(a.events.length).toBe(1);
    expect(b.events.length).toBe(1);
    const ref = [...a.theta, ...b.theta];
    const gap = Math.max(...ref.map((r, i) => Math.abs(joint.theta[i] - r)));
    console.log(`k = 2 vs two k = 1 flows: max |Δθ| = ${gap.toExponential(2)} (tolerance 1e-6)`);
    expect(gap).toBeLessThanOrEqual(1e-6);
    // The flows did move on the edge (not a trivial agreement at the start).
    expect(Math.abs(joint.theta[0] - startA[0])).toBeGreaterThan(1e-3);
    expect(a.loss).toBeGreaterThan(1e-8);
    expect(b.loss).toBeGreaterThan(1e-8);
    expect(Math.abs(sharpness(twoBlocks(), joint.theta) / thr - 1)).toBeLessThanOrEqual(1e-8);
  });

  it('stops with status converged at the loss goal on the edge, with the progress callback and record.theta', () => {
    const thr = 4.42;
    const eta = 2 / thr;
    const seen: number[] = [];
    const flow = centralFlow(scalarFactorization(), new Float64Array([2.05, 0.9 / 2.05]), {
      learningRate: eta,
      lossGoal: 1e-20,
      maxSteps: 100_000,
      record: { every: 50, theta: true },
      onProgress: (p) => seen.push(p.step),
      progressEvery: 100,
    });
    expect(flow.status).toBe('converged');
    expect(flow.loss).toBeLessThanOrEqual(1e-20);
    expect(flow.trace.edgeDim.at(-1)).toBe(1);
    expect(seen[0]).toBe(0);
    expect(flow.trace.theta.length).toBe(2 * flow.trace.step.length);
    // The recorded iterates are the run's: the last record's loss is L at its θ.
    const last = flow.trace.step.length - 1;
    expect(scalarFactorization().loss(flow.trace.theta.subarray(2 * last, 2 * last + 2))).toBe(flow.trace.loss[last]);
  });

  it('gives the same flow with Lanczos eigenpairs (HVPs only) as with the dense eigensolver', () => {
    // Same field up to the eigensolvers' errors (Lanczos residual ≤ 1e-12 relative): tolerance 1e-8 on θ, stated
    // before running; the Lanczos run must report HVPs.
    const thr = 4.42;
    const options = { learningRate: 2 / thr, maxTime: 20 * (2 / thr), record: { every: 0, sharpnessEvery: 0 } };
    const start = new Float64Array([2.05, 0.9 / 2.05]);
    const dense = centralFlow(scalarFactorization(), start, { ...options, edge: { method: 'dense' } });
    const lz = centralFlow(scalarFactorization(), start, { ...options, edge: { method: 'lanczos', tol: 1e-12 } });
    expect(lz.stats.hvps).toBeGreaterThan(0);
    expect(dense.stats.hvps).toBe(0);
    for (let i = 0; i < 2; i++) expect(Math.abs(lz.theta[i] - dense.theta[i])).toBeLessThanOrEqual(1e-8);
  });

  it('rejects bad input with coded errors', () => {
    const model = scalarFactorization();
    const theta0 = new Float64Array([1, 0.5]);
    const { thirdOrder: _, ...noThird } = model;
    expect(errorCode(() => centralFlow(noThird as LossModel, theta0, { learningRate: 0.1 }))).toBe('E_NOT_SUPPORTED');
    expect(errorCode(() => centralFlow(model, theta0, undefined as never))).toBe('E_BAD_OPTION');
    expect(errorCode(() => centralFlow(model, theta0, {} as never))).toBe('E_BAD_OPTION');
    expect(errorCode(() => centralFlow(model, theta0, { learningRate: -1 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => centralFlow(model, theta0, { learningRate: 0.1, lernRate: 1 } as never))).toBe('E_BAD_OPTION');
    expect(errorCode(() => centralFlow(model, theta0, { learningRate: 0.1, edge: { maxDim: 6 } }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => centralFlow(model, theta0, { learningRate: 0.1, edge: { method: 'dense', tol: 1e-3 } }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => centralFlow(model, theta0, { learningRate: 0.1, record: { sharpness: { which: 'abs' } } }))).toBe('E_BAD_OPTION');
    // S(θ₀) ≈ 1.6 > 2/η = 1 with η = 2: a start above the edge.
    expect(errorCode(() => centralFlow(model, new Float64Array([1, 0.6]), { learningRate: 2 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => centralFlow(model, new Float64Array(3), { learningRate: 0.1 }))).toBe('E_DIM_MISMATCH');
  });
});

/**
 * L(x₁, x₂, y) = ½(x₁ − 2)² + ½(x₂ − 0.3)² + ½(c − x₁² − x₂²)y²: the curvature along y is a(x) = c − |x|², above
 * 2/η inside a disk. Gradient flow from (−2, 0.3, 0.01) crosses the disk on a straight line; the central flow reaches
 * its boundary, slides along it, and leaves it where the straight direction turns tangent — an entry and an exit.
 */
function diskModel(c: number): LossModel {
  const grad = (t: Float64Array, g: Float64Array): number => {
    const [x1, x2, y] = t;
    const a = c - x1 * x1 - x2 * x2;
    g[0] = x1 - 2 - x1 * y * y;
    g[1] = x2 - 0.3 - x2 * y * y;
    g[2] = a * y;
    return 0.5 * (x1 - 2) ** 2 + 0.5 * (x2 - 0.3) ** 2 + 0.5 * a * y * y;
  };
  const hess = (t: Float64Array) => {
    const [x1, x2, y] = t;
    const H = zerosMatrix(3, 3);
    H.set(0, 0, 1 - y * y);
    H.set(1, 1, 1 - y * y);
    H.set(2, 2, c - x1 * x1 - x2 * x2);
    H.set(0, 2, -2 * x1 * y);
    H.set(2, 0, -2 * x1 * y);
    H.set(1, 2, -2 * x2 * y);
    H.set(2, 1, -2 * x2 * y);
    return H;
  };
  return {
    spec: { kind: 'test-disk' },
    dim: 3,
    loss: (t) => grad(t, new Float64Array(3)),
    lossAndGrad: grad,
    hvp(t, v, out) {
      const H = hess(t);
      for (let i = 0; i < 3; i++) out[i] = H.get(i, 0) * v[0] + H.get(i, 1) * v[1] + H.get(i, 2) * v[2];
    },
    hessian: hess,
    thirdOrder(t, u, v, out) {
      // Nonzero third derivatives: ∂_{y y xᵢ} = −2xᵢ, ∂_{y xᵢ xᵢ} = −2y.
      const y = t[2];
      for (let i = 0; i < 2; i++) out[i] = -2 * t[i] * u[2] * v[2] - 2 * y * (u[2] * v[i] + u[i] * v[2]);
      out[2] = -2 * (t[0] * (u[0] * v[2] + u[2] * v[0]) + t[1] * (u[1] * v[2] + u[2] * v[1])) - 2 * y * (u[0] * v[0] + u[1] * v[1]);
    },
  };
}

/**
 * Blocks w = (a, s, b) per entry of `ends`: L = Σ ½E(1 + a)b² − a(T − s) − s. At b = 0 the Hessian has the eigenvalue
 * E(1 + a) on e_b and ±1 on (a, s), so with E = 2/η and a = 0 the block sits on the edge; ∇S = (E, 0, 0) and
 * ∇L = (−(T − s), a − 1, 0), so held there the multiplier is σ² = 2(T − s)/E, s grows at rate 1 and a stays 0: the
 * block leaves the edge exactly when s = T, i.e. at flow time T − s(0) (σ² → 0), after which a decreases.
 */
function driftBlocks(E: number, ends: number[]): LossModel {
  const n = ends.length;
  return {
    spec: { kind: 'test-drift-blocks' },
    dim: 3 * n,
    loss(w) {
      let L = 0;
      for (let i = 0; i < n; i++) {
        const [a, s, b] = [w[3 * i], w[3 * i + 1], w[3 * i + 2]];
        L += 0.5 * E * (1 + a) * b * b - a * (ends[i] - s) - s;
      }
      return L;
    },
    lossAndGrad(w, g) {
      let L = 0;
      for (let i = 0; i < n; i++) {
        const [a, s, b] = [w[3 * i], w[3 * i + 1], w[3 * i + 2]];
        L += 0.5 * E * (1 + a) * b * b - a * (ends[i] - s) - s;
        g[3 * i] = 0.5 * E * b * b - (ends[i] - s);
        g[3 * i + 1] = a - 1;
        g[3 * i + 2] = E * (1 + a) * b;
      }
      return L;
    },
    hvp(w, v, out) {
      for (let i = 0; i < n; i++) {
        const [a, b] = [w[3 * i], w[3 * i + 2]];
        const [va, vs, vb] = [v[3 * i], v[3 * i + 1], v[3 * i + 2]];
        out[3 * i] = vs + E * b * vb;
        out[3 * i + 1] = va;
        out[3 * i + 2] = E * b * va + E * (1 + a) * vb;
      }
    },
    hessian(w) {
      const H = zerosMatrix(3 * n, 3 * n);
      for (let i = 0; i < n; i++) {
        const [a, b] = [w[3 * i], w[3 * i + 2]];
        const o = 3 * i;
        H.set(o, o + 1, 1);
        H.set(o + 1, o, 1);
        H.set(o, o + 2, E * b);
        H.set(o + 2, o, E * b);
        H.set(o + 2, o + 2, E * (1 + a));
      }
      return H;
    },
    thirdOrder(_w, u, v, out) {
      // The only third derivative: ∂³L/∂a∂b² = E.
      for (let i = 0; i < n; i++) {
        const o = 3 * i;
        out[o] = E * u[o + 2] * v[o + 2];
        out[o + 1] = 0;
        out[o + 2] = E * (u[o] * v[o + 2] + u[o + 2] * v[o]);
      }
    },
  };
}

describe('centralFlow: leaving the edge', () => {
  it('enters and exits the edge (both located) and never lets the sharpness exceed 2/η', () => {
    const model = diskModel(3);
    const theta0 = new Float64Array([-2, 0.3, 0.01]);
    // The hand-written third-order term against finite differences of the HVP (degree ≤ 2 along a line: exact).
    const check = checkThirdOrder(model, new Float64Array([0.4, -0.2, 0.3]), new Float64Array([1, 0.5, -1]), new Float64Array([0.2, 1, 0.7]), { rel: 1e-9 });
    expect(check.pass).toBe(true);
    const eta = 2 / 2.5; // the edge: a(x) = 2.5 on the circle |x|² = 0.5
    const flow = centralFlow(model, theta0, { learningRate: eta, maxTime: 6, record: { every: 1 } });
    expect(flow.status).toBe('max-time');
    expect(flow.events.map((e) => `${e.kind}${e.edgeDim}`)).toEqual(['enter1', 'exit0']);
    expect(flow.events.every((e) => e.located)).toBe(true);
    for (const s of flow.trace.sharpness) expect(s).toBeLessThanOrEqual(2.5 * (1 + 1e-8));
    // Between the events the flow is on the edge with σ² > 0 (sliding along the circle |x|² ≈ c − 2/η).
    const [enter, exit] = flow.events;
    let onEdge = 0;
    for (let i = 0; i < flow.trace.step.length; i++) {
      const k = flow.trace.step[i];
      if (k <= enter.step || k >= exit.step) continue;
      expect(flow.trace.sigma2[i]).toBeGreaterThan(0);
      onEdge++;
    }
    expect(onEdge).toBeGreaterThan(10);
    expect(flow.trace.edgeDim.at(-1)).toBe(0);
  });

  it('k = 2 → 1 → 0: each exit is located at its closed-form time T − s(0)', () => {
    // Two drift blocks start on the edge (a = s = b = 0, both top eigenvalues exactly 2/η = E) and leave it at flow
    // times T₁ = 0.7031 (off the step grid h = η/20 = 0.0125) and T₂ = 1.2957: the first exit is one of the k = 2
    // complementarity problem (its multiplier reaches 0 while the other stays positive), the second one of k = 1.
    // Tolerances stated before running: event times within 1e-9 of T₁, T₂ (root finding to 1e-12·h; on the edge
    // s(t) = t is integrated exactly and a is held at 0 by the projection); the held eigenvalue at 2/η to 1e-12
    // relative between the exits; afterwards both below it.
    const E = 8;
    const eta = 2 / E;
    const [T1, T2] = [0.7031, 1.2957];
    const model = driftBlocks(E, [T1, T2]);
    const check = checkThirdOrder(model, new Float64Array([0.1, 0.2, 0.3, -0.2, 0.5, 0.4]), new Float64Array([1, 0.5, -1, 0.3, 0.2, 0.7]), new Float64Array([0.2, 1, 0.7, -0.4, 0.6, 1]), { rel: 1e-9 });
    expect(check.pass).toBe(true);
    const flow = centralFlow(model, new Float64Array(6), { learningRate: eta, maxTime: 1.6, record: { every: 1 } });
    expect(flow.status).toBe('max-time');
    expect(flow.events.map((e) => `${e.kind}${e.edgeDim}${e.located ? '' : '?'}`)).toEqual(['enter2?', 'exit1', 'exit0']);
    const [, exit1, exit0] = flow.events;
    console.log(`k = 2 exit at ${exit1.time} (closed form ${T1}), k = 1 exit at ${exit0.time} (closed form ${T2})`);
    expect(Math.abs(exit1.time - T1)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(exit0.time - T2)).toBeLessThanOrEqual(1e-9);
    let between = 0;
    for (let i = 0; i < flow.trace.step.length; i++) {
      const t = flow.trace.time[i];
      if (t > T1 + 1e-3 && t < T2 - 1e-3) {
        expect(flow.trace.edgeDim[i]).toBe(1);
        expect(Math.abs(flow.trace.sharpness[i] / E - 1)).toBeLessThanOrEqual(1e-12);
        between++;
      }
      if (t < T1 - 1e-3) expect(flow.trace.edgeDim[i]).toBe(2);
      if (t > T2 + 1e-3) {
        expect(flow.trace.edgeDim[i]).toBe(0);
        expect(flow.trace.sharpness[i]).toBeLessThan(E);
      }
    }
    expect(between).toBeGreaterThan(20);
    // After the first exit block 1's eigenvalue E(1 + a₁) is below the edge: a₁ < 0 at the end, a₂ < 0 too.
    expect(flow.theta[0]).toBeLessThan(0);
    expect(flow.theta[3]).toBeLessThan(0);
  });

  it('stops with status edge-limit when more eigenvalues reach 2/η than edge.maxDim allows', () => {
    const thr = 4.42;
    const flow = centralFlow(twoBlocks(), new Float64Array([2.05, 0.9 / 2.05, 2.06, 0.85 / 2.06]), {
      learningRate: 2 / thr,
      maxTime: 3 * (2 / thr),
      edge: { maxDim: 1 },
    });
    expect(flow.status).toBe('edge-limit');
    expect(flow.message).toContain('edge.maxDim = 1');
  });
});
