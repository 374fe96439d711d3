import { describe, expect, it } from 'vitest';
import { gd, gdStep } from '../../src/dynamics/gd.js';
import { lrSchedule } from '../../src/dynamics/schedules.js';
import { clipCoordinates } from '../../src/dynamics/transforms.js';
import { expectRelClose } from '../../src/testing/index.js';
import { createQuadratic } from '../helpers/quadratic.js';
import { thrown } from '../helpers/errors.js';


const quad = createQuadratic([0.2, 1, 3], 11); // λ_max = 3, stability limit 2/3
const theta0 = Float64Array.of(0.9, -1.1, 0.6);

describe('gd traces longer than the initial capacity (1024 entries) grow without losing entries', () => {
  it('records every step of a 5000-step run, in order, with the loss of a step-by-step replay', () => {
    const eta = 0.01; // slow contraction: no loss underflows in 5000 steps
    const run = gd(quad.model, theta0, { learningRate: eta, maxSteps: 5000, record: { every: 1, sharpnessEvery: 2 } });
    expect(run.trace.step.length).toBe(5001);
    expect(run.trace.sharpnessStep.length).toBe(2501);
    // Replay with gdStep (same kernel and order, so bit-identical losses) and compare every entry.
    const g = new Float64Array(3);
    const th = Float64Array.from(theta0);
    for (let k = 0; k <= 5000; k++) {
      expect(run.trace.step[k]).toBe(k);
      const l = gdStep(quad.model, th, eta, g, th);
      expect(run.trace.loss[k]).toBe(l);
      if (k % 2 === 0) expect(run.trace.sharpnessStep[k / 2]).toBe(k);
    }
    // Constant Hessian: every recorded sharpness is λ_max = 3.
    expectRelClose(run.trace.sharpness, new Float64Array(2501).fill(3), { rel: 1e-12 });
  });
});

describe('gdStep', () => {
  it('computes θ − η∇L(θ) with the documented order and returns L(θ)', () => {
    const g = new Float64Array(3);
    const out = new Float64Array(3);
    const eta = 0.3;
    const loss = gdStep(quad.model, theta0, eta, g, out);
    // Independent reference: ∇L = Aθ from the matrix, L = ½θᵀAθ from the eigenbasis.
    const ga = new Float64Array(3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) ga[i] += quad.a[i * 3 + j] * theta0[j];
    expectRelClose(g, ga, { rel: 1e-15, abs: 1e-16, label: 'scratch = ∇L(θ)' });
    // Given the gradient, the update is a single product and difference: bit-identical to the formula.
    for (let i = 0; i < 3; i++) expect(out[i]).toBe(theta0[i] - eta * g[i]);
    const c = quad.toEigenbasis(theta0);
    let l = 0;
    for (let j = 0; j < 3; j++) l += 0.5 * quad.eigenvalues[j] * c[j] * c[j];
    expectRelClose(loss, l, { rel: 1e-14, label: 'returned L(θ)' });
  });

  it('steps in place when out === theta, with the same bits', () => {
    const a = new Float64Array(3);
    gdStep(quad.model, theta0, 0.3, new Float64Array(3), a);
    const b = Float64Array.from(theta0);
    gdStep(quad.model, b, 0.3, new Float64Array(3), b);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('validates learning rate, lengths and aliasing', () => {
    const g = new Float64Array(3);
    expect(thrown(() => gdStep(quad.model, theta0, 0, g, new Float64Array(3))).details.argument).toBe('learningRate');
    expect(thrown(() => gdStep(quad.model, theta0, 0.1, new Float64Array(2), new Float64Array(3))).code).toBe('E_DIM_MISMATCH');
    expect(thrown(() => gdStep(quad.model, theta0, 0.1, g, new Float64Array(4))).code).toBe('E_DIM_MISMATCH');
    const t = Float64Array.from(theta0);
    expect(thrown(() => gdStep(quad.model, t, 0.1, t, new Float64Array(3))).code).toBe('E_BAD_OPTION');
  });
});

describe('gd on a quadratic against the closed form θ_k = (I − ηA)^k θ₀', () => {
  it('matches the closed form at every recorded step (loss, norms, gradient norm)', () => {
    const eta = 0.5; // < 2/3: stable
    const run = gd(quad.model, theta0, { learningRate: eta, maxSteps: 60, record: { every: 1 } });
    expect(run.status).toBe('max-steps');
    expect(run.steps).toBe(60);
    expect(run.trace.step.length).toBe(61);
    // Each GD step rounds O(1) times relative to |θ|; after 60 contracting steps the error stays ~60·3ε·|θ₀|.
    expectRelClose(run.theta, quad.gdIterate(theta0, eta, 60), { rel: 1e-12, abs: 1e-14, label: 'θ_60' });
    for (const k of [0, 1, 7, 30, 60]) {
      const th = quad.gdIterate(theta0, eta, k);
      const c = quad.toEigenbasis(th);
      let l = 0;
      for (let j = 0; j < 3; j++) l += 0.5 * quad.eigenvalues[j] * c[j] * c[j];
      let gn = 0;
      for (let j = 0; j < 3; j++) gn += (quad.eigenvalues[j] * c[j]) ** 2;
      expect(run.trace.step[k]).toBe(k);
      expectRelClose(run.trace.loss[k], l, { rel: 1e-11, label: `L(θ_${k})` });
      expectRelClose(run.trace.norm1[k], th.reduce((s, v) => s + Math.abs(v), 0), { rel: 1e-12, label: `‖θ_${k}‖₁` });
      expectRelClose(run.trace.norm2[k], Math.hypot(...th), { rel: 1e-12, label: `‖θ_${k}‖₂` });
      expectRelClose(run.trace.gradNorm[k], Math.sqrt(gn), { rel: 1e-11, label: `‖∇L(θ_${k})‖₂` });
    }
    expect(run.loss).toBe(run.trace.loss[60]);
    expect(run.stats).toEqual({ gradEvals: 61, hvps: 0 });
  });

  it('does not modify theta0 and returns a fresh array', () => {
    const start = Float64Array.from(theta0);
    const run = gd(quad.model, start, { learningRate: 0.1, maxSteps: 5 });
    expect(Array.from(start)).toEqual(Array.from(theta0));
    expect(run.theta).not.toBe(start);
  });
});

describe('gd statuses', () => {
  // 1-d L = ½λθ² with λ = 2, η = 0.1: θ_k = 0.8^k θ₀, L(θ_k) = 0.64^k for θ₀ = 1.
  const line = createQuadratic([2]);

  it("stops 'converged' at the first k with L(θ_k) ≤ lossGoal, with steps = k and that loss", () => {
    const goal = 1e-6;
    let kStar = 0;
    while (0.64 ** kStar > goal) kStar++;
    // Guard the reference: the closed-form losses either side are not within rounding of the goal.
    expect(0.64 ** kStar / goal).toBeLessThan(1 - 1e-9);
    expect(0.64 ** (kStar - 1) / goal).toBeGreaterThan(1 + 1e-9);
    const run = gd(line.model, Float64Array.of(1), { learningRate: 0.1, lossGoal: goal });
    expect(run.status).toBe('converged');
    expect(run.steps).toBe(kStar);
    expect(run.loss).toBeLessThanOrEqual(goal);
    expectRelClose(run.loss, 0.64 ** kStar, { rel: 1e-12 });
    expectRelClose(run.theta[0], 0.8 ** kStar, { rel: 1e-12 });
    expect(run.stats.gradEvals).toBe(kStar + 1);
    expect(run.message).toMatch(/converged at step/);
  });

  it('counts L(θ_k) = lossGoal as reached (≤, not <)', () => {
    // η = 0.25: θ_1 = 1 − 0.25·2 = 0.5 and L(θ_1) = 0.5·(0.5·1) = 0.25, all exact in binary.
    const run = gd(line.model, Float64Array.of(1), { learningRate: 0.25, lossGoal: 0.25 });
    expect(run.steps).toBe(1);
  });

  it("stops 'converged' at step 0 when θ₀ already meets the goal", () => {
    const run = gd(line.model, Float64Array.of(1e-6), { learningRate: 0.1, lossGoal: 1e-6 });
    expect(run.status).toBe('converged');
    expect(run.steps).toBe(0);
    expect(run.theta[0]).toBe(1e-6);
  });

  it("reports 'diverged' for η > 2/λ_max at the first step with max|θ_k,i| ≥ maxAbs, returning θ_{k−1} (finite)", () => {
    const eta = 0.75; // > 2/3: |1 − 3η| = 1.25
    const maxAbsThr = 1e3;
    let kStar = 0;
    let th: Float64Array = theta0;
    while (Math.max(...th.map(Math.abs)) < maxAbsThr) th = quad.gdIterate(theta0, eta, ++kStar);
    const margin = Math.max(...th.map(Math.abs)) / maxAbsThr;
    const before = Math.max(...quad.gdIterate(theta0, eta, kStar - 1).map(Math.abs)) / maxAbsThr;
    expect(margin).toBeGreaterThan(1 + 1e-9); // the reference is not within rounding of the threshold
    expect(before).toBeLessThan(1 - 1e-9);
    const run = gd(quad.model, theta0, { learningRate: eta, maxSteps: 1000, divergence: { maxAbs: maxAbsThr } });
    expect(run.status).toBe('diverged');
    expect(run.steps).toBe(kStar);
    expect(run.theta.every(Number.isFinite)).toBe(true);
    expectRelClose(run.theta, quad.gdIterate(theta0, eta, kStar - 1), { rel: 1e-11, abs: 1e-11, label: 'θ_{k−1}' });
    expect(Number.isFinite(run.loss)).toBe(true);
    expect(run.message).toMatch(new RegExp(`diverged at step ${kStar}`));
    expect(run.trace.step.length).toBe(kStar); // θ_0 … θ_{k−1} recorded
  });

  it("reports 'diverged' when the loss overflows (maxAbs = Infinity): exactly at k = 512 for θ_k = (−2)^k", () => {
    // λ = 1, η = 3: θ_{k+1} = θ_k − 3θ_k = −2θ_k exactly; L = 0.5·(θ·θ) = 2^{2k−1}, and θ·θ = 2^{2k}
    // overflows to Infinity first at 2k = 1024. θ itself stays finite until k = 1024.
    const one = createQuadratic([1]);
    const run = gd(one.model, Float64Array.of(1), { learningRate: 3, maxSteps: 5000, divergence: { maxAbs: Infinity } });
    expect(run.status).toBe('diverged');
    expect(run.steps).toBe(512);
    expect(run.theta[0]).toBe(-(2 ** 511));
    expect(run.loss).toBe(2 ** 1021);
    expect(run.message).toMatch(/loss/);
  });

  it("reports 'max-steps' with steps = maxSteps, also for maxSteps = 0", () => {
    const run = gd(line.model, Float64Array.of(1), { learningRate: 0.1, maxSteps: 7, lossGoal: 1e-30 });
    expect(run.status).toBe('max-steps');
    expect(run.steps).toBe(7);
    expectRelClose(run.theta[0], 0.8 ** 7, { rel: 1e-14 });
    const zero = gd(line.model, Float64Array.of(1), { learningRate: 0.1, maxSteps: 0 });
    expect(zero.status).toBe('max-steps');
    expect(zero.steps).toBe(0);
    expect(zero.loss).toBe(1);
    expect(zero.trace.step.length).toBe(1);
  });
});

describe('gd trace and progress', () => {
  it('records at the stride, preallocated and trimmed: steps 0, every, 2·every, …', () => {
    const run = gd(quad.model, theta0, { learningRate: 0.1, maxSteps: 10, record: { every: 3 } });
    expect(Array.from(run.trace.step)).toEqual([0, 3, 6, 9]);
    for (const key of ['loss', 'norm1', 'norm2', 'gradNorm'] as const) expect(run.trace[key].length).toBe(4);
    expect(run.trace.sharpnessStep.length).toBe(0);
    expect(run.trace.sharpness.length).toBe(0);
    // Early stop: a shorter trace, still on the stride.
    const early = gd(createQuadratic([2]).model, Float64Array.of(1), { learningRate: 0.1, lossGoal: 0.5, record: { every: 2 } });
    expect(early.steps).toBe(2); // L = 0.64^k: 0.64 > 0.5, 0.4096 ≤ 0.5
    expect(Array.from(early.trace.step)).toEqual([0, 2]);
    const none = gd(quad.model, theta0, { learningRate: 0.1, maxSteps: 10, record: { every: 0 } });
    expect(none.trace.step.length).toBe(0);
  });

  it('records the sharpness every sharpnessEvery steps, independently of every (λ_max = 3 on the quadratic)', () => {
    const run = gd(quad.model, theta0, { learningRate: 0.1, maxSteps: 12, record: { every: 4, sharpnessEvery: 5 } });
    expect(Array.from(run.trace.step)).toEqual([0, 4, 8, 12]);
    expect(Array.from(run.trace.sharpnessStep)).toEqual([0, 5, 10]);
    // Dense eigenvalues of a 3×3 with ‖A‖ = 3: error a few ε·‖A‖.
    for (const s of run.trace.sharpness) expectRelClose(s, 3, { rel: 1e-13, label: 'λ_max' });
    expect(run.stats.hvps).toBe(0); // dense: no HVPs
  });

  it('counts the HVPs of Lanczos sharpness estimates in stats.hvps', () => {
    let hvps = 0;
    const counted = { ...quad.model, hvp: (t: Float64Array, v: Float64Array, o: Float64Array) => { hvps++; quad.model.hvp(t, v, o); } };
    const run = gd(counted, theta0, { learningRate: 0.1, maxSteps: 4, record: { sharpnessEvery: 2, sharpness: { method: 'lanczos' } } });
    expect(run.trace.sharpness.length).toBe(3);
    expect(hvps).toBeGreaterThan(0);
    expect(run.stats.hvps).toBe(hvps);
    for (const s of run.trace.sharpness) expectRelClose(s, 3, { rel: 1e-9, label: 'λ_max by Lanczos' });
  });

  it('calls onProgress at k ≡ 0 mod progressEvery with the loss of θ_k', () => {
    const seen: Array<[number, number]> = [];
    const run = gd(quad.model, theta0, {
      learningRate: 0.1,
      maxSteps: 10,
      onProgress: (p) => seen.push([p.step, p.maxSteps]),
      progressEvery: 4,
    });
    expect(seen).toEqual([[0, 10], [4, 10], [8, 10]]);
    expect(run.steps).toBe(10);
  });

  it('is deterministic: two runs give bit-identical traces and iterates', () => {
    const a = gd(quad.model, theta0, { learningRate: 0.6, maxSteps: 200 });
    const b = gd(quad.model, theta0, { learningRate: 0.6, maxSteps: 200 });
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
    for (const key of ['step', 'loss', 'norm1', 'norm2', 'gradNorm'] as const) {
      expect(Array.from(a.trace[key])).toEqual(Array.from(b.trace[key]));
    }
  });
});

describe('gd with a transform', () => {
  it('applies the transform to ∇L before −η·u: clipping on L = ½·4θ² follows θ ← θ − η·clip(4θ)', () => {
    const m = createQuadratic([4]);
    const eta = 0.1;
    const run = gd(m.model, Float64Array.of(3), { learningRate: eta, maxSteps: 20, transform: clipCoordinates({ max: 1 }) });
    let th = 3;
    for (let k = 0; k < 20; k++) th = th - eta * Math.min(1, Math.max(-1, 4 * th));
    expectRelClose(run.theta[0], th, { rel: 1e-14 });
    // Without clipping the first step is 3 − 0.1·12 = 1.8; with it, 3 − 0.1 = 2.9.
    const one = gd(m.model, Float64Array.of(3), { learningRate: eta, maxSteps: 1, transform: clipCoordinates({ max: 1 }) });
    expect(one.theta[0]).toBe(3 - 0.1 * 1);
    // The recorded gradient norm is the raw ‖∇L‖, not the clipped one.
    expect(one.trace.gradNorm[0]).toBe(12);
  });

  it('applies a transform whose state is undefined', () => {
    const zero = { init: () => undefined, update: (_g: Float64Array, _s: undefined, _c: unknown, out: Float64Array) => out.fill(0) };
    const run = gd(quad.model, theta0, { learningRate: 0.1, maxSteps: 3, transform: zero });
    expect(Array.from(run.theta)).toEqual(Array.from(theta0)); // u = 0: no motion
  });

  it('passes the context (θ_k, η, k) and calls init once with dim', () => {
    const calls: number[] = [];
    let inits = 0;
    gd(quad.model, theta0, {
      learningRate: 0.2,
      maxSteps: 3,
      transform: {
        init: (dim: number) => {
          inits++;
          expect(dim).toBe(3);
          return { n: 0 };
        },
        update: (g, state: { n: number }, ctx, out) => {
          state.n++;
          expect(ctx.learningRate).toBe(0.2);
          expect(ctx.theta.length).toBe(3);
          calls.push(ctx.step * 10 + state.n);
          if (out !== g) out.set(g);
          return out;
        },
      },
    });
    expect(inits).toBe(1);
    expect(calls).toEqual([1, 12, 23]);
  });
});

describe('gd validation', () => {
  it('learningRate −1 → E_BAD_OPTION on options.learningRate, with the message form', () => {
    const e = thrown(() => gd(quad.model, theta0, { learningRate: -1 }));
    expect(e.code).toBe('E_BAD_OPTION');
    expect(e.details.argument).toBe('options.learningRate');
    expect(e.message).toBe('gd: options.learningRate must be a finite number > 0. Value: -1.');
    expect(thrown(() => gd(quad.model, theta0, undefined as never)).details.argument).toBe('options.learningRate');
  });

  it('wrong theta length → E_DIM_MISMATCH; NaN → E_NONFINITE naming the index', () => {
    expect(thrown(() => gd(quad.model, new Float64Array(2), { learningRate: 0.1 })).code).toBe('E_DIM_MISMATCH');
    const e = thrown(() => gd(quad.model, Float64Array.of(0, NaN, 1), { learningRate: 0.1 }));
    expect(e.code).toBe('E_NONFINITE');
    expect(e.details.argument).toBe('theta0[1]');
    expect(thrown(() => gd(quad.model, theta0, { learningRate: 0.1, lossGoal: NaN })).code).toBe('E_NONFINITE');
  });

  it('bad counts and contradictory options → E_BAD_OPTION with the argument path', () => {
    const arg = (o: object): string => thrown(() => gd(quad.model, theta0, { learningRate: 0.1, ...o })).details.argument;
    expect(arg({ maxSteps: 1.5 })).toBe('options.maxSteps');
    expect(arg({ maxSteps: -1 })).toBe('options.maxSteps');
    expect(arg({ record: { every: -1 } })).toBe('options.record.every');
    expect(arg({ record: { sharpnessEvery: -1 } })).toBe('options.record.sharpnessEvery');
    expect(arg({ record: { sharpness: { method: 'dense' } } })).toBe('options.record.sharpness');
    expect(arg({ progressEvery: 10 })).toBe('options.progressEvery');
    expect(arg({ onProgress: 3 })).toBe('options.onProgress');
    expect(arg({ divergence: { maxAbs: 0 } })).toBe('options.divergence.maxAbs');
    expect(arg({ divergence: { maxAbs: 1 } })).toBe('options.divergence.maxAbs'); // ≤ max|θ₀| = 1.1
    expect(arg({ transform: { init: () => null } })).toBe('options.transform.update');
    expect(arg({ maxSteps: 1e9 })).toBe('options.record.every'); // a 10⁹-entry trace would not be preallocated
    expect(arg({ record: 5 })).toBe('options.record');
  });

  it('a transform whose indices exceed dim → E_DIM_MISMATCH from init', () => {
    expect(thrown(() => gd(quad.model, theta0, { learningRate: 0.1, transform: clipCoordinates({ max: 1, indices: [3] }) })).code)
      .toBe('E_DIM_MISMATCH');
  });

  it('a start where the loss is not finite → E_NONFINITE on theta0', () => {
    const m = { ...quad.model, lossAndGrad: () => NaN };
    expect(thrown(() => gd(m, theta0, { learningRate: 0.1 })).details.argument).toBe('theta0');
  });
});

describe('gd under a learning-rate schedule records η_k and the stability limit 2/η_k', () => {
  it('step decay: trace.learningRate is η₀·factor^(number of boundaries ≤ k) and trace.stabilityLimit is 2/η_k', () => {
    // η_k written out by hand from the schedule's definition: 0.3 for k < 4, 0.03 for 4 ≤ k < 9, 0.003 after.
    const schedule = lrSchedule.stepDecay({ initial: 0.3, factor: 0.1, boundaries: [4, 9] });
    const expected = (k: number) => (k < 4 ? 0.3 : k < 9 ? 0.3 * 0.1 : 0.3 * 0.1 * 0.1);
    const run = gd(quad.model, theta0, { learningRate: schedule, maxSteps: 14, record: { every: 2 } });
    expect(Array.from(run.trace.step)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    const rates = run.trace.learningRate as Float64Array;
    const limits = run.trace.stabilityLimit as Float64Array;
    expect(rates).toBeInstanceOf(Float64Array);
    expect(Array.from(rates)).toEqual(Array.from(run.trace.step, expected));
    expect(Array.from(limits)).toEqual(Array.from(run.trace.step, (k) => 2 / expected(k)));
    // the iterates are those of the plain loop θ_{k+1} = θ_k − η_k ∇L(θ_k)
    const t = Float64Array.from(theta0);
    const g = new Float64Array(3);
    for (let k = 0; k < 14; k++) {
      quad.model.lossAndGrad(t, g);
      for (let i = 0; i < 3; i++) t[i] = t[i] - expected(k) * g[i];
    }
    expect(Array.from(run.theta)).toEqual(Array.from(t));
  });

  it('a warm-up from η₀ = 0 has limit +∞ at k = 0; a constant η (number or lrSchedule.constant) keeps the trace without the columns, bit for bit', () => {
    const warm = gd(quad.model, theta0, { learningRate: lrSchedule.linearWarmup({ peak: 0.2, warmupSteps: 4, initial: 0 }), maxSteps: 6 });
    expect(Array.from(warm.trace.learningRate as Float64Array)).toEqual([0, 0.05, 0.1, 0.15000000000000002, 0.2, 0.2, 0.2]);
    expect((warm.trace.stabilityLimit as Float64Array)[0]).toBe(Infinity);
    const a = gd(quad.model, theta0, { learningRate: 0.2, maxSteps: 30 });
    const b = gd(quad.model, theta0, { learningRate: lrSchedule.constant(0.2), maxSteps: 30 });
    for (const r of [a, b]) {
      expect('learningRate' in r.trace).toBe(false);
      expect('stabilityLimit' in r.trace).toBe(false);
    }
    expect(Array.from(b.theta)).toEqual(Array.from(a.theta));
    expect(Array.from(b.trace.loss)).toEqual(Array.from(a.trace.loss));
  });

  it('a function schedule is called once per examined step, the last one included', () => {
    const calls: number[] = [];
    const run = gd(quad.model, theta0, { learningRate: lrSchedule.fromFunction((k) => (calls.push(k), 0.1)), maxSteps: 5, record: { every: 1 } });
    expect(calls).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(run.trace.stabilityLimit as Float64Array)).toEqual([20, 20, 20, 20, 20, 20]);
  });
});
