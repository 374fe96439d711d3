import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { createRk4Scratch, rk4Step } from '../../src/dynamics/rk4.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import type { LossModel } from '../../src/core/loss-model.js';
import { expectRelClose } from '../../src/testing/index.js';
import { createQuadratic } from '../helpers/quadratic.js';
import { thrown } from '../helpers/errors.js';


/** L = ¼Σθᵢ⁴: ∇L = θ³, ∇²L = diag(3θ²) — sharpness 3·max θᵢ² changes along the flow. */
const quartic: LossModel = {
  spec: { kind: 'test-quartic' },
  dim: 2,
  loss: (th) => 0.25 * (th[0] ** 4 + th[1] ** 4),
  lossAndGrad(th, g) {
    g[0] = th[0] ** 3;
    g[1] = th[1] ** 3;
    return 0.25 * (th[0] ** 4 + th[1] ** 4);
  },
  hvp(th, v, out) {
    out[0] = 3 * th[0] * th[0] * v[0];
    out[1] = 3 * th[1] * th[1] * v[1];
  },
  hessian: (th) => ndarray(Float64Array.of(3 * th[0] * th[0], 0, 0, 3 * th[1] * th[1]), [2, 2]),
};

/** L(x, y) = ½(1 − xy)² [Scalar factorization], written out here with its Hessian [[y², 2xy − 1], [2xy − 1, x²]]. */
const product: LossModel = {
  spec: { kind: 'test-product' },
  dim: 2,
  loss: (th) => 0.5 * (1 - th[0] * th[1]) ** 2,
  lossAndGrad(th, g) {
    const p = th[0] * th[1] - 1;
    g[0] = th[1] * p;
    g[1] = th[0] * p;
    return 0.5 * p * p;
  },
  hvp(th, v, out) {
    const [x, y] = th;
    out[0] = y * y * v[0] + (2 * x * y - 1) * v[1];
    out[1] = (2 * x * y - 1) * v[0] + x * x * v[1];
  },
  hessian: (th) => {
    const [x, y] = th;
    return ndarray(Float64Array.of(y * y, 2 * x * y - 1, 2 * x * y - 1, x * x), [2, 2]);
  },
};

/** Wraps a model, counting dense Hessians and HVPs. */
function counting(model: LossModel): { model: LossModel; hessians: number; hvps: number } {
  const c = {
    hessians: 0,
    hvps: 0,
    model: {
      ...model,
      hvp(th: Float64Array, v: Float64Array, out: Float64Array) {
        c.hvps++;
        model.hvp(th, v, out);
      },
      hessian(th: Float64Array) {
        c.hessians++;
        return model.hessian!(th);
      },
    } as LossModel,
  };
  return c;
}

const quad = createQuadratic([0.5, 1.5, 4], 5);
const theta0 = Float64Array.of(1, -0.4, 0.8);

describe('gradientFlow time stepping', () => {
  it('shortens the last step to land exactly on maxTime (same bits as rk4Step by hand)', () => {
    const r = gradientFlow(quad.model, theta0, { step: stepSize.fixed(0.3), maxTime: 1, record: { sharpnessEvery: 0 } });
    expect(r.status).toBe('max-time');
    expect(r.time).toBe(1);
    expect(r.steps).toBe(4);
    expect(Array.from(r.trace.time)).toEqual([0, 0.3, 2 * 0.3, 3 * 0.3, 1]);
    const th = Float64Array.from(theta0);
    const s = createRk4Scratch(3);
    for (let k = 0; k < 3; k++) rk4Step(quad.model, th, 0.3, s, th);
    rk4Step(quad.model, th, 1 - 3 * 0.3, s, th);
    expect(Array.from(r.theta)).toEqual(Array.from(th));
    // And close to the exact flow: RK4 with h·λ_max ≤ 1.2 over t = 1, error ≲ 1e-3.
    expectRelClose(r.theta, quad.flow(theta0, 1), { rel: 0, abs: 2e-3 });
  });

  it('does not add a sliver step from rounding (t + h a few ulps short of maxTime counts as landing)', () => {
    // Cases where (n − 1)·dt + dt < maxTime in floating point by 1–4 ulps.
    for (const [dt, n, maxTime] of [[0.01, 10, 0.1], [0.3, 3, 0.9], [0.1, 44, 4.4]] as const) {
      expect((n - 1) * dt + dt).toBeLessThan(maxTime); // the premise of the case
      const r = gradientFlow(quad.model, theta0, { step: stepSize.fixed(dt), maxTime, maxSteps: 1000, record: { sharpnessEvery: 0 } });
      expect(r.steps, `dt = ${dt}, maxTime = ${maxTime}`).toBe(n);
      expect(r.time).toBe(maxTime);
      expect(r.stats.gradEvals).toBe(4 * n + 1);
    }
  });

  it('records t_k = k·dt for a fixed step', () => {
    const r = gradientFlow(quad.model, theta0, { step: stepSize.fixed(0.01), maxSteps: 50, record: { every: 7, sharpnessEvery: 0 } });
    expect(r.status).toBe('max-steps');
    expect(Array.from(r.trace.step)).toEqual([0, 7, 14, 21, 28, 35, 42, 49]);
    for (let j = 0; j < r.trace.step.length; j++) expect(r.trace.time[j]).toBe(r.trace.step[j] * 0.01);
    expect(r.time).toBe(50 * 0.01);
  });

  it('stops the first time L ≤ lossGoal (the same step a goal-free run first records L ≤ goal)', () => {
    const goal = 1e-3;
    const free = gradientFlow(quad.model, theta0, { step: stepSize.fixed(0.05), maxTime: 20, record: { sharpnessEvery: 0 } });
    const first = free.trace.loss.findIndex((l) => l <= goal);
    expect(first).toBeGreaterThan(0);
    const r = gradientFlow(quad.model, theta0, { step: stepSize.fixed(0.05), lossGoal: goal, record: { sharpnessEvery: 0 } });
    expect(r.status).toBe('converged');
    expect(r.steps).toBe(first);
    expect(r.loss).toBe(free.trace.loss[first]);
    expect(r.time).toBe(first * 0.05);
  });

  it('counts L(θ_k) = lossGoal as reached (≤, not <)', () => {
    const one = createQuadratic([2]); // L(1) = 0.5·(1·2) = 1 exactly
    const r = gradientFlow(one.model, Float64Array.of(1), { lossGoal: 1, record: { sharpnessEvery: 0 } });
    expect(r.status).toBe('converged');
    expect(r.steps).toBe(0);
  });

  it("reports 'diverged' with a finite theta for a flow that blows up (θ' = θ³ from 1 blows up at t = 1/2)", () => {
    const blow: LossModel = {
      spec: { kind: 'test-blowup' },
      dim: 1,
      loss: (th) => -0.25 * th[0] ** 4,
      lossAndGrad(th, g) {
        g[0] = -(th[0] ** 3);
        return -0.25 * th[0] ** 4;
      },
      hvp(th, v, out) {
        out[0] = -3 * th[0] * th[0] * v[0];
      },
    };
    const r = gradientFlow(blow, Float64Array.of(1), { step: stepSize.fixed(1e-3), maxTime: 2, record: { sharpnessEvery: 0 } });
    expect(r.status).toBe('diverged');
    expect(Number.isFinite(r.theta[0])).toBe(true);
    expect(Math.abs(r.theta[0])).toBeLessThan(1e6);
    // The exact solution 1/√(1 − 2t) passes 1e6 at t = 0.5 − 5e-13; RK4 near the singularity lags by a few steps.
    expect(r.time).toBeLessThan(0.51);
    expect(r.time).toBeGreaterThan(0.49);
    expect(r.stats.gradEvals).toBe(4 * (r.steps - 1) + 1 + 3); // divergence found on θ after step steps−1
    expect(r.message).toMatch(/diverged at step/);
  });
});

describe('gradientFlow sharpness: s_0 and s_GF [Conflicting biases, App. G]', () => {
  it('on a quadratic (constant Hessian) s_0 = s_GF = λ_max', () => {
    const r = gradientFlow(quad.model, theta0, { step: stepSize.fixed(0.05), lossGoal: 1e-8 });
    expect(r.status).toBe('converged');
    // Dense symmetric eigensolver on a 3×3 with ‖A‖ = 4: error ≤ a few ε·‖A‖.
    expectRelClose(r.initialSharpness!, quad.lambdaMax, { rel: 1e-13, label: 's_0' });
    expectRelClose(r.maxSharpness!, quad.lambdaMax, { rel: 1e-13, label: 's_GF' });
    expect(r.trace.sharpness.length).toBe(Math.floor(r.steps / 10) + 1); // sharpnessEvery defaults to 10
  });

  it('by default estimates the sharpness at every 10th step only (k = 0, 10, 20, 30 of 35 steps)', () => {
    const c = counting(quad.model);
    const r = gradientFlow(c.model, theta0, { step: stepSize.fixed(0.01), maxSteps: 35 });
    expect(r.steps).toBe(35);
    expect(r.trace.sharpness.length).toBe(4);
    expect(c.hessians + c.hvps).toBeGreaterThan(0);
    const perEstimate = (c.hessians + c.hvps) / 4;
    const every = counting(quad.model);
    gradientFlow(every.model, theta0, { step: stepSize.fixed(0.01), maxSteps: 35, record: { sharpnessEvery: 1 } });
    expect(every.hessians + every.hvps).toBe(36 * perEstimate); // one estimate per step, 36 of them
  });

  it("with which: 'abs' it is max|λ| (a saddle quadratic with eigenvalues −5, 1: λ_max = 1, max|λ| = 5)", () => {
    const saddle = createQuadratic([-5, 1], 2);
    const th = Float64Array.of(1e-3, 1e-3);
    const rMax = gradientFlow(saddle.model, th, { step: stepSize.fixed(0.01), maxSteps: 3 });
    const rAbs = gradientFlow(saddle.model, th, { step: stepSize.fixed(0.01), maxSteps: 3, record: { sharpness: { which: 'abs' } } });
    expectRelClose(rMax.initialSharpness!, 1, { rel: 1e-13 });
    expectRelClose(rAbs.initialSharpness!, 5, { rel: 1e-13 });
  });

  it('tracks the maximum along the flow: on L = ½(1 − xy)² the flow ends at sharpness √(δ² + 4) (docs/math.md §1)', () => {
    const start = Float64Array.of(2, 0.1);
    const delta = 4 - 0.01;
    const r = gradientFlow(product, start, { step: stepSize.fixed(0.01), lossGoal: 1e-14, maxSteps: 100_000 });
    expect(r.status).toBe('converged');
    expectRelClose(r.initialSharpness!, 0.5 * (4.01 + Math.sqrt((4 - 0.01) ** 2 + 4 * (2 * 0.2 - 1) ** 2)), { rel: 1e-13, label: 's_0 (2×2 closed form)' });
    const last = r.trace.sharpness[r.trace.sharpness.length - 1];
    // At L ≤ 1e-14, |xy − 1| ≤ 1.5e-7, which moves the top eigenvalue by O(1e-7) relative; RK4 drift of δ is ~1e-9.
    expectRelClose(last, Math.sqrt(delta * delta + 4), { rel: 1e-6, label: 'final sharpness vs GFS' });
    expect(r.maxSharpness).toBe(Math.max(...r.trace.sharpness));
    expect(r.maxSharpness!).toBeGreaterThan(r.initialSharpness!); // the flow sharpens here
  });

  it('sharpnessEvery = 0 gives null s_0 / s_GF and computes no sharpness', () => {
    const c = counting(quad.model);
    const r = gradientFlow(c.model, theta0, { step: stepSize.fixed(0.05), maxSteps: 10, record: { sharpnessEvery: 0 } });
    expect(r.initialSharpness).toBeNull();
    expect(r.maxSharpness).toBeNull();
    expect(c.hessians + c.hvps).toBe(0);
    expect(r.trace.sharpness.length).toBe(0);
  });
});

describe('gradientFlow with stepSize.sharpnessAdapted', () => {
  it('uses h = α/λ_max on a quadratic (λ_max = 4, α = 0.5 → h = 1/8) and the cap when smaller', () => {
    const r = gradientFlow(quad.model, theta0, { step: stepSize.sharpnessAdapted({ maxStep: 1 }), maxSteps: 8, record: { sharpnessEvery: 1 } });
    for (let k = 0; k < 8; k++) {
      const h = r.trace.time[k + 1] - r.trace.time[k];
      // h = 0.5/s with s the dense λ_max (within 1e-15 of 4); Δt of the running sum adds ≤ 1 ulp of t ≤ 1.
      expectRelClose(h, 0.5 / r.trace.sharpness[k], { rel: 0, abs: 2 * Number.EPSILON, label: `h_${k}` });
      expectRelClose(h, 0.125, { rel: 1e-13, label: `h_${k} vs α/λ_max = 1/8` });
    }
    const capped = gradientFlow(quad.model, theta0, { step: stepSize.sharpnessAdapted({ alpha: 0.5, maxStep: 0.05 }), maxSteps: 4, record: { sharpnessEvery: 0 } });
    expectRelClose(capped.time, 0.2, { rel: 4 * Number.EPSILON });
  });

  it('respects h_k = min(maxStep, α/λ_max(θ_k)) ≤ α/λ_max along a flow whose sharpness changes', () => {
    const alpha = 0.4;
    const r = gradientFlow(quartic, Float64Array.of(2, -1), { step: stepSize.sharpnessAdapted({ alpha, maxStep: 0.3 }), maxSteps: 200, record: { sharpnessEvery: 1 } });
    const s = r.trace.sharpness;
    const t = r.trace.time;
    let capped = 0;
    for (let k = 0; k < 200; k++) {
      const h = t[k + 1] - t[k];
      const expected = Math.min(0.3, alpha / s[k]);
      // t is a running sum: Δt differs from h_k by at most one rounding of t_{k+1} (ulp ≤ 2ε·t).
      expect(Math.abs(h - expected)).toBeLessThanOrEqual(2 * Number.EPSILON * t[k + 1]);
      expect(h).toBeLessThanOrEqual((alpha / s[k]) * (1 + 1e-12));
      if (expected === 0.3) capped++;
    }
    expect(s[0]).toBe(12); // 3·2², dense eigenvalues of diag(12, 3)
    expect(s[199]).toBeLessThan(s[0]); // the flow flattens, steps grow until the cap
    expect(capped).toBeGreaterThan(0);
  });

  it('refreshes λ_max every `every` steps and holds h in between', () => {
    const r = gradientFlow(quartic, Float64Array.of(2, -1), { step: stepSize.sharpnessAdapted({ alpha: 0.4, maxStep: 10, every: 3 }), maxSteps: 12, record: { sharpnessEvery: 1 } });
    const s = r.trace.sharpness; // tracked every step
    for (let k = 0; k < 12; k++) {
      const h = r.trace.time[k + 1] - r.trace.time[k];
      const refresh = k - (k % 3);
      expectRelClose(h, 0.4 / s[refresh], { rel: 4 * Number.EPSILON, label: `h_${k} from λ at step ${refresh}` });
    }
  });

  it('computes the sharpness once when tracking and the step refresh are both due', () => {
    const a = counting(quartic);
    gradientFlow(a.model, Float64Array.of(2, -1), { step: stepSize.sharpnessAdapted({ maxStep: 1, every: 1 }), maxSteps: 10, record: { sharpnessEvery: 1 } });
    expect(a.hessians).toBe(11); // steps 0…10, once each
    const b = counting(quartic);
    gradientFlow(b.model, Float64Array.of(2, -1), { step: stepSize.sharpnessAdapted({ maxStep: 1, every: 3 }), maxSteps: 12, record: { sharpnessEvery: 2 } });
    expect(b.hessians).toBe(9); // {0,2,4,6,8,10,12} ∪ {0,3,6,9,12}
    const c = counting(quartic);
    gradientFlow(c.model, Float64Array.of(2, -1), { step: stepSize.sharpnessAdapted({ maxStep: 1, every: 4 }), maxSteps: 12, record: { sharpnessEvery: 0 } });
    expect(c.hessians).toBe(4); // refreshes only: 0, 4, 8, 12
  });

  it('counts the HVPs of iterative sharpness estimates in stats.hvps', () => {
    const c = counting(quad.model);
    const r = gradientFlow(c.model, theta0, {
      step: stepSize.sharpnessAdapted({ maxStep: 1 }),
      maxSteps: 5,
      record: { sharpness: { method: 'lanczos' } },
    });
    expect(c.hvps).toBeGreaterThan(0);
    expect(r.stats.hvps).toBe(c.hvps);
    expectRelClose(r.maxSharpness!, 4, { rel: 1e-9 });
  });

  it('is deterministic: two runs give bit-identical traces', () => {
    const opts = { step: stepSize.sharpnessAdapted({ maxStep: 0.5 }), maxSteps: 100, record: { sharpness: { method: 'lanczos' as const } } };
    const a = gradientFlow(quartic, Float64Array.of(2, -1), opts);
    const b = gradientFlow(quartic, Float64Array.of(2, -1), opts);
    for (const key of ['step', 'time', 'loss', 'norm1', 'norm2', 'gradNorm', 'sharpnessStep', 'sharpness'] as const) {
      expect(Array.from(a.trace[key]), key).toEqual(Array.from(b.trace[key]));
    }
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
  });

  it('does not modify theta0', () => {
    const start = Float64Array.of(2, -1);
    gradientFlow(quartic, start, { maxSteps: 10 });
    expect(Array.from(start)).toEqual([2, -1]);
  });
});

describe('gradientFlow and stepSize validation', () => {
  const arg = (o: object): string => thrown(() => gradientFlow(quad.model, theta0, o)).details.argument;

  it('rejects bad policies, times and contradictory options with the argument path', () => {
    expect(arg({ step: { kind: 'euler' } })).toBe('options.step.kind');
    expect(arg({ step: { kind: 'fixed', dt: -1 } })).toBe('options.step.dt');
    expect(arg({ maxTime: -1 })).toBe('options.maxTime');
    expect(arg({ maxTime: NaN })).toBe('options.maxTime');
    expect(arg({ record: { sharpnessEvery: -1 } })).toBe('options.record.sharpnessEvery');
    expect(arg({ record: { sharpnessEvery: 0, sharpness: { method: 'dense' } } })).toBe('options.record.sharpness');
    expect(arg({ record: { sharpness: { method: 'nope' } } })).toBe('options.record.sharpness.method');
    expect(arg({ divergence: { maxAbs: 0.5 } })).toBe('options.divergence.maxAbs'); // ≤ max|θ₀| = 1
    // Sharpness options are used by an adapted step even with tracking off: not contradictory.
    expect(() => gradientFlow(quad.model, theta0, {
      step: stepSize.sharpnessAdapted({ maxStep: 1 }),
      maxSteps: 2,
      record: { sharpnessEvery: 0, sharpness: { method: 'dense' } },
    })).not.toThrow();
  });

  it('wrong theta length → E_DIM_MISMATCH; NaN → E_NONFINITE', () => {
    expect(thrown(() => gradientFlow(quad.model, new Float64Array(2))).code).toBe('E_DIM_MISMATCH');
    expect(thrown(() => gradientFlow(quad.model, Float64Array.of(1, Infinity, 0))).code).toBe('E_NONFINITE');
  });

  it('stepSize constructors validate and freeze', () => {
    expect(thrown(() => stepSize.fixed(0)).details.argument).toBe('dt');
    expect(thrown(() => stepSize.sharpnessAdapted({} as never)).details.argument).toBe('options.maxStep');
    expect(thrown(() => stepSize.sharpnessAdapted({ maxStep: 1, alpha: -1 })).details.argument).toBe('options.alpha');
    expect(thrown(() => stepSize.sharpnessAdapted({ maxStep: 1, every: 0 })).details.argument).toBe('options.every');
    const p = stepSize.sharpnessAdapted({ maxStep: 0.1 });
    expect(p).toEqual({ kind: 'sharpness-adapted', alpha: 0.5, maxStep: 0.1, every: 1 });
    expect(Object.isFrozen(p)).toBe(true);
    expect(stepSize.fixed(0.2)).toEqual({ kind: 'fixed', dt: 0.2 });
  });
});
