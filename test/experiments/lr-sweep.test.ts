/**
 * lrSweep [Conflicting biases, App. G] on models with known answers: a quadratic (constant Hessian, so s_0 = s_GF = λ_max and
 * GD converges exactly for η < 2/λ_max), a diagonal quadratic for the underflow count, and the diagonal network
 * toy, whose gradient flow conserves log(wᵢ/α)/xᵢ (wᵢ' = −2r xᵢ wᵢ).
 */
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import type { LossModel } from '../../src/core/loss-model.js';
import { lrSweep, type LrSweepProgress } from '../../src/experiments/lr-sweep/index.js';
import { create as diagonalNet } from '../../src/models/diagonal-net/model.js';
import { expectRelClose } from '../../src/testing/index.js';
import { createQuadratic } from '../helpers/quadratic.js';

const EPS = Number.EPSILON;

/** L(θ) = ½ Σ aᵢθᵢ² (not registered: runs in this thread only). */
function diagonalQuadratic(a: number[]): LossModel {
  return {
    spec: { kind: 'test-diagonal-quadratic', a },
    dim: a.length,
    loss: (t) => a.reduce((s, ai, i) => s + 0.5 * ai * t[i] * t[i], 0),
    lossAndGrad(t, g) {
      let s = 0;
      for (let i = 0; i < a.length; i++) {
        g[i] = a[i] * t[i];
        s += 0.5 * a[i] * t[i] * t[i];
      }
      return s;
    },
    hvp(_t, v, out) {
      for (let i = 0; i < a.length; i++) out[i] = a[i] * v[i];
    },
  };
}

describe('lrSweep on a quadratic (Hessian A constant, λ(A) = {3, 1, 0.5})', () => {
  const q = createQuadratic([3, 1, 0.5]);
  const theta0 = new Float64Array([1, 1, 1]);

  it('s_0 = s_GF = 3, η_c = 2/3, empty coarse grid; η < 2/3 converge, η = 2/3 oscillates, η > 2/3 diverge', async () => {
    const progress: LrSweepProgress[] = [];
    const r = await lrSweep(q.model, theta0, { lossGoal: 1e-10, maxSteps: 3000, onProgress: (p) => progress.push(p) });
    // Dense eigenvalues of A are exact to ~pε·‖A‖.
    expectRelClose(r.initialSharpness.max, 3, { rel: 16 * EPS });
    expectRelClose(r.initialSharpness.abs, 3, { rel: 16 * EPS });
    expectRelClose(r.flowSharpness, 3, { rel: 16 * EPS });
    expect(r.which).toBe('abs');
    expect(r.criticalLearningRate).toBe(2 / r.flowSharpness);
    expect(r.flow.status).toBe('converged');
    const s = r.schedule;
    expect(s?.coarseEmpty).toBe(true); // 2/s_0 = 2/3 < 6/s_GF = 2
    expect(s?.stop).toEqual({ reason: 'last-scheduled', learningRate: s?.fine[11] });
    expect(r.runs.map((x) => x.learningRate)).toEqual(s?.fine);
    expect(r.runs.map((x) => x.status)).toEqual([...Array(3).fill('converged'), 'max-steps', ...Array(8).fill('diverged')]);
    expect(r.runs.map((x) => x.regime)).toEqual([...Array(4).fill('flow-aligned'), ...Array(8).fill('diverged')]);
    for (const run of r.runs.slice(0, 3)) {
      expectRelClose(run.finalSharpness?.max ?? NaN, 3, { rel: 16 * EPS });
      expectRelClose(run.maxSharpness ?? NaN, 3, { rel: 16 * EPS });
      expect(run.unstableAtGoal).toBe(false);
      // Closed form: θ_k = Q diag((1 − ηλ)^k) Qᵀ θ₀ at the reported step.
      expectRelClose(run.theta ?? [], q.gdIterate(theta0, run.learningRate, run.steps), { rel: 1e-9, abs: 1e-13 });
    }
    for (const run of r.runs.slice(4)) expect(run.finalSharpness).toBeNull();
    expect(r.notes.some((n) => n.startsWith('coarse grid empty'))).toBe(true);
    // During the flow (RK4 step 0, then every 1000 steps), then once after it with the schedule's size.
    const during = progress.filter((p) => p.flowStep !== undefined);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((p) => p.phase === 'flow' && p.flowStep! % 1000 === 0)).toBe(true);
    const after = progress.filter((p) => p.flowStep === undefined);
    expect(after[0]).toEqual({ phase: 'flow', completed: 0, scheduled: 12 });
    expect(after.slice(1).map((p) => p.run?.learningRate)).toEqual(s?.fine);
    // Plain data: survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('takes explicit learning rates (sorted), and λ_max as the convention on request', async () => {
    const r = await lrSweep(q.model, theta0, { lossGoal: 1e-10, maxSteps: 3000, learningRates: [0.6, 0.1], sharpness: { which: 'max' } });
    expect(r.schedule).toBeNull();
    expect(r.which).toBe('max');
    expect(r.runs.map((x) => [x.learningRate, x.grid, x.status])).toEqual([
      [0.1, 'explicit', 'converged'],
      [0.6, 'explicit', 'converged'],
    ]);
  });

  it('flags a run that meets the loss goal with λ_max > 2/η (here at step 0) and settles it: it diverges', async () => {
    // L(θ₀) = ½·θ₀ᵀAθ₀ ≤ 3·½·3 = 4.5 ≤ lossGoal 5: every run "converges" at step 0.
    const r = await lrSweep(q.model, theta0, { lossGoal: 5, learningRates: [0.5, 0.8], settle: { lossGoal: 1e-10, maxSteps: 500 } });
    const [stable, unstable] = r.runs;
    expect([stable.status, stable.steps, stable.unstableAtGoal, stable.settled]).toEqual(['converged', 0, false, null]);
    expect([unstable.status, unstable.steps, unstable.unstableAtGoal]).toEqual(['converged', 0, true]); // 3 > 2/0.8 = 2.5
    expect(unstable.settled?.status).toBe('diverged'); // |1 − 0.8·3| = 1.4 > 1
    expect(unstable.settled?.stable).toBe(false);
    expect(r.notes.some((n) => n.includes('unstableAtGoal'))).toBe(true);
  });
});

describe('lrSweep details', () => {
  it('counts coordinates that underflow to exactly 0', async () => {
    // a = (1, 0.2), η = 0.75: θ₁ ← θ₁ − 0.75θ₁ shrinks by 4 per step and at the smallest subnormal 2⁻¹⁰⁷⁴ the product
    // 0.75·2⁻¹⁰⁷⁴ rounds up to 2⁻¹⁰⁷⁴, so θ₁ becomes exactly 0 (after ~540 steps); θ₂ ← 0.85θ₂ needs ~1400 steps
    // for L ≤ 1e-200. (With η = 0.5 the product would round to 0 and θ₁ would stay at 2⁻¹⁰⁷⁴ forever.)
    const r = await lrSweep(diagonalQuadratic([1, 0.2]), new Float64Array([1, 1]), { lossGoal: 1e-200, learningRates: [0.75], sharpness: { method: 'lanczos' } });
    const [run] = r.runs;
    expect(run.status).toBe('converged');
    expect(run.theta?.[0]).toBe(0);
    expect(run.zeroCoordinates).toBe(1);
    expect(run.underflowedCoordinates).toBe(1);
    expect(r.notes.some((n) => n.includes('underflowed'))).toBe(true);
  });

  it('counts a coordinate stuck at the smallest subnormal 5e-324 as underflowed (it was missed when only exact zeros counted)', async () => {
    // a = (1, 0.2), η = 0.5: θ₁ halves per step until 2⁻¹⁰⁷⁴; then η·θ₁ = 2⁻¹⁰⁷⁵ rounds (to even) to 0, so θ₁ stays at
    // 2⁻¹⁰⁷⁴ ≈ 4.9e-324 for ever. θ₂ ← 0.9θ₂ reaches L ≤ 1e-200 after ~2200 steps.
    const r = await lrSweep(diagonalQuadratic([1, 0.2]), new Float64Array([1, 1]), { lossGoal: 1e-200, learningRates: [0.5], sharpness: { method: 'lanczos' }, keepTheta: true });
    const [run] = r.runs;
    expect(run.status).toBe('converged');
    expect(run.theta?.[0]).toBe(2 ** -1074);
    expect(run.zeroCoordinates).toBe(0);
    expect(run.underflowedCoordinates).toBe(1);
    expect(r.notes.some((n) => n.includes('underflowed to 0 or a subnormal'))).toBe(true);
  });

  it('diagonal network from α1: the flow conserves log(wᵢ/α)/xᵢ, s_GF is near 4·y·x_max, and flow-aligned runs keep s_GF', async () => {
    const x = [1, 4];
    const y = 2;
    const alpha = 0.01;
    const r = await lrSweep(diagonalNet({ inputs: [x], targets: [y] }), new Float64Array([alpha, alpha]), { lossGoal: 1e-6 });
    const [w1, w2] = r.flow.theta ?? [];
    // RK4 at h·max|λ| = 0.1: local error ~(hλ)⁵/120 ≈ 1e-7 per step, ~100 steps: ~1e-5 (observed 2.4e-5; a wrong
    // step policy or integrator, e.g. h·λ = 0.5, is off by 4e-3).
    expectRelClose(Math.log(w1 / alpha) / x[0], Math.log(w2 / alpha) / x[1], { rel: 1e-4 });
    // At L ≤ 1e-6 the flow is within |r| ≤ 1.5e-3 of M, near the ℓ1 minimizer (0, 1/√2) whose S is 4·y·x_max = 32.
    expectRelClose(r.flowSharpness, 32, { rel: 2e-3 });
    expect(r.initialSharpness.max).toBeLessThan(0); // D_{2rx} with r ≈ −y dominates: λ_max < 0 …
    expectRelClose(r.initialSharpness.abs, 2 * y * x[1], { rel: 1e-3 }); // … and max|λ| ≈ 2·y·x_max
    for (const run of r.runs.filter((q) => q.learningRate < 0.9 * r.criticalLearningRate)) {
      expectRelClose(run.finalSharpness?.max ?? NaN, r.flowSharpness, { rel: 5e-3 });
    }
  });

  it('rejects bad options with coded errors', async () => {
    const q = createQuadratic([2, 1]);
    const t = new Float64Array([1, 1]);
    const code = async (p: Promise<unknown>): Promise<string> => {
      try {
        await p;
      } catch (e) {
        return `${(e as EosLabError).code} ${(e as EosLabError).details.argument}`;
      }
      return 'no error';
    };
    expect(await code(lrSweep(q.model, t, undefined as never))).toBe('E_BAD_OPTION options');
    expect(await code(lrSweep(q.model, t, { lossGoal: 0 }))).toBe('E_BAD_OPTION options.lossGoal');
    expect(await code(lrSweep(q.model, t, { lossGoal: 1e-6, learningRates: [] }))).toBe('E_EMPTY options.learningRates');
    expect(await code(lrSweep(q.model, t, { lossGoal: 1e-6, learningRates: [0.1, -1] }))).toBe('E_BAD_OPTION options.learningRates[1]');
    expect(await code(lrSweep(q.model, t, { lossGoal: 1e-6, learningRates: [0.1], schedule: {} }))).toBe('E_BAD_OPTION options.schedule');
    expect(await code(lrSweep(q.model, t, { lossGoal: 1e-6, settle: { lossGoal: 1 } }))).toBe('E_BAD_OPTION options.settle.lossGoal');
    expect(await code(lrSweep(q.model, t, { lossGoal: 1e-6, preload: ['/x.js'] }))).toBe('E_BAD_OPTION options.preload');
    expect(await code(lrSweep(q.model, new Float64Array([1]), { lossGoal: 1e-6 }))).toBe('E_DIM_MISMATCH theta0.length');
    expect(await code(lrSweep(q.model, t, { lossGoal: 1e-6, sharpness: { which: 'both' as never } }))).toBe('E_BAD_OPTION options.sharpness.which');
  });
});
