/**
 * The `train` driver, the optimizer step primitive, learning-rate schedules and the preconditioned sharpness, each
 * checked against an independent computation: plain loops written here from the textbook formulas, closed-form
 * schedules, and a dense non-symmetric eigensolver (ml-matrix) for λ(P⁻¹H).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { gd } from '../../src/dynamics/gd.js';
import { createOptimizerState, optimizer, optimizerStep, preconditionerDiagonal, stabilityThreshold } from '../../src/dynamics/optimizers.js';
import { learningRateAt, lrSchedule } from '../../src/dynamics/schedules.js';
import { train } from '../../src/dynamics/train.js';
import { create as createMlp, init } from '../../src/models/mlp/index.js';
import { create as createScalar } from '../../src/models/scalar-factorization/index.js';
import { preconditionedSharpness } from '../../src/sharpness/preconditioned.js';
import { expectRelClose } from '../../src/testing/index.js';
import { thrown } from '../helpers/errors.js';
import { createQuadratic } from '../helpers/quadratic.js';

const cheb = { dataset: 'chebyshev' as const, points: 12, degree: 3 };
const smallMlp = () => createMlp({ layers: [1, 6, 6, 1], data: cheb });

/** λ(P⁻¹H) by a general (non-symmetric) dense eigensolver: the largest real part. */
function denseGeneralizedMax(h: { data: Float64Array }, p: Float64Array): number {
  const n = p.length;
  const rows = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => h.data[i * n + j] / p[i]));
  const e = new EigenvalueDecomposition(new Matrix(rows));
  return Math.max(...e.realEigenvalues);
}

describe('train with optimizer.gd() and a constant rate', () => {
  it('reproduces gd bit for bit (iterates, losses, statuses)', () => {
    const model = smallMlp();
    const theta0 = init(model, { seed: 3 });
    const a = gd(model, theta0, { learningRate: 0.3, maxSteps: 300 });
    const b = train(model, theta0, { learningRate: 0.3, maxSteps: 300 });
    expect(b.status).toBe(a.status);
    expect(Array.from(b.theta)).toEqual(Array.from(a.theta));
    expect(Array.from(b.trace.loss)).toEqual(Array.from(a.trace.loss));
    expect(Array.from(b.trace.gradNorm)).toEqual(Array.from(a.trace.gradNorm));
    expect(b.trace.stabilityLimit.every((x) => x === 2 / 0.3)).toBe(true);
  });

  it('reports divergence like gd (status, step, finite θ)', () => {
    const quad = createQuadratic([1, 4], 7);
    const theta0 = new Float64Array([0.3, -0.2]);
    const a = gd(quad.model, theta0, { learningRate: 0.6 });
    const b = train(quad.model, theta0, { learningRate: 0.6 });
    expect([b.status, b.steps, b.message]).toEqual([a.status, a.steps, a.message]);
    expect(Array.from(b.theta)).toEqual(Array.from(a.theta));
  });
});

describe('optimizer steps against the textbook recurrences (independent loops)', () => {
  it('heavy ball equals θ_{k+1} = θ_k − ηg_k + β(θ_k − θ_{k−1}) (50 steps, MLP)', () => {
    const model = smallMlp();
    const theta0 = init(model, { seed: 1 });
    const eta = 0.05;
    const beta = 0.9;
    const run = train(model, theta0, { learningRate: eta, optimizer: optimizer.heavyBall({ momentum: beta }), maxSteps: 50 });
    let prev = Float64Array.from(theta0);
    let cur = Float64Array.from(theta0);
    const g = new Float64Array(model.dim);
    for (let k = 0; k < 50; k++) {
      model.lossAndGrad(cur, g);
      const next = cur.map((t, i) => t - eta * g[i] + beta * (t - prev[i]));
      prev = cur;
      cur = next;
    }
    // The two forms round differently: v accumulates the gradients, the other form differences of iterates; after
    // 50 steps on a network with ‖θ‖ ~ 1 the paths agree to ~1e-12 (measured drift ~1e-14, bound 1e-10 with margin).
    for (let i = 0; i < model.dim; i++) expect(Math.abs(run.theta[i] - cur[i])).toBeLessThan(1e-10);
  });

  it('Adam equals Kingma & Ba’s Algorithm 1 written out here (30 steps, bias correction, ε = 1e-8)', () => {
    const model = smallMlp();
    const theta0 = init(model, { seed: 2 });
    const [eta, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-8];
    const run = train(model, theta0, { learningRate: eta, optimizer: optimizer.adam({ beta1: b1, beta2: b2, epsilon: eps }), maxSteps: 30 });
    const theta = Float64Array.from(theta0);
    const m = new Float64Array(model.dim);
    const v = new Float64Array(model.dim);
    const g = new Float64Array(model.dim);
    for (let t = 1; t <= 30; t++) {
      model.lossAndGrad(theta, g);
      for (let i = 0; i < model.dim; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2;
        const mHat = m[i] / (1 - b1 ** t);
        const vHat = v[i] / (1 - b2 ** t);
        theta[i] -= (eta * mHat) / (Math.sqrt(vHat) + eps);
      }
    }
    // ** vs Math.pow and the order of the final subtraction may round differently: 1e-12 absolute on ‖θ‖ ~ 1.
    for (let i = 0; i < model.dim; i++) expect(Math.abs(run.theta[i] - theta[i])).toBeLessThan(1e-12);
    expect(run.state.step).toBe(30);
  });

  it('RMSProp equals PyTorch’s RMSprop written out here (no bias correction, ε outside the root; 30 steps), and records λ(P⁻¹H) with P = √ν + ε', () => {
    const model = smallMlp();
    const theta0 = init(model, { seed: 6 });
    const [eta, alpha, eps] = [0.002, 0.99, 1e-8];
    const opt = optimizer.rmsprop({ beta2: alpha, epsilon: eps });
    const run = train(model, theta0, { learningRate: eta, optimizer: opt, maxSteps: 30, record: { preconditionedSharpnessEvery: 29 } });
    const theta = Float64Array.from(theta0);
    const v = new Float64Array(model.dim);
    const g = new Float64Array(model.dim);
    let p29 = new Float64Array(0);
    let theta29 = new Float64Array(0);
    for (let k = 0; k < 30; k++) {
      model.lossAndGrad(theta, g);
      for (let i = 0; i < model.dim; i++) v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
      if (k === 29) {
        p29 = Float64Array.from(v, (x) => Math.sqrt(x) + eps);
        theta29 = Float64Array.from(theta);
      }
      for (let i = 0; i < model.dim; i++) theta[i] -= (eta * g[i]) / (Math.sqrt(v[i]) + eps);
    }
    for (let i = 0; i < model.dim; i++) expect(Math.abs(run.theta[i] - theta[i])).toBeLessThan(1e-12);
    expect(Array.from(run.trace.preconditionedSharpnessStep)).toEqual([0, 29]);
    expectRelClose(run.trace.preconditionedSharpness[1], denseGeneralizedMax(model.hessian(theta29), p29), { rel: 1e-7, label: 'RMSProp λ(P⁻¹H) at step 29' });
  });

  it('Nesterov equals the look-ahead form y = θ + β(θ − θ_prev), θ′ = y − η∇L(y) after the change of variables (quadratic)', () => {
    // PyTorch's Nesterov iterate θ_k equals y_k − ... ; on a quadratic both have the same characteristic roots, so we
    // check the PyTorch recurrence directly: v′ = βv + Aθ, θ′ = θ − η(Aθ + βv′), written with the matrix here.
    const quad = createQuadratic([0.5, 2, 3], 5);
    const theta0 = new Float64Array([1, -0.5, 0.25]);
    const [eta, beta] = [0.1, 0.8];
    const run = train(quad.model, theta0, { learningRate: eta, optimizer: optimizer.nesterov({ momentum: beta }), maxSteps: 40 });
    const a = quad.a;
    let th = Array.from(theta0);
    let v = [0, 0, 0];
    for (let k = 0; k < 40; k++) {
      const g = [0, 1, 2].map((i) => a[i * 3] * th[0] + a[i * 3 + 1] * th[1] + a[i * 3 + 2] * th[2]);
      v = v.map((vi, i) => beta * vi + g[i]);
      th = th.map((t, i) => t - eta * (g[i] + beta * v[i]));
    }
    for (let i = 0; i < 3; i++) expect(Math.abs(run.theta[i] - th[i])).toBeLessThan(1e-13);
  });
});

describe('learning-rate schedules', () => {
  it('closed forms at chosen steps', () => {
    const w = lrSchedule.linearWarmup({ peak: 0.4, warmupSteps: 100 });
    expect(learningRateAt(w, 0)).toBeCloseTo(0.004, 15);
    expect(learningRateAt(w, 99)).toBeCloseTo(0.004 + (0.396 * 99) / 100, 15);
    expect(learningRateAt(w, 100)).toBe(0.4);
    const d = lrSchedule.stepDecay({ initial: 0.3, factor: 0.5, boundaries: [10, 20] });
    expect([9, 10, 19, 20, 1000].map((k) => learningRateAt(d, k))).toEqual([0.3, 0.15, 0.15, 0.075, 0.075]);
    const c = lrSchedule.cosine({ initial: 1, decaySteps: 4, final: 0.2 });
    // ½(1 + cos(πk/4)) at k = 0..4: 1, (2+√2)/4, ½, (2−√2)/4, 0
    const expected = [1, (2 + Math.SQRT2) / 4, 0.5, (2 - Math.SQRT2) / 4, 0].map((f) => 0.2 + 0.8 * f);
    for (let k = 0; k <= 5; k++) expect(learningRateAt(c, k)).toBeCloseTo(expected[Math.min(k, 4)], 15);
    expect(learningRateAt(lrSchedule.fromFunction((k) => 1 / (k + 2)), 2)).toBe(0.25);
  });

  it('gd and train step with η_k and record η_k and the schedule’s stability limit per step', () => {
    const model = createScalar();
    const theta0 = new Float64Array([1.5, 0.5]);
    const schedule = lrSchedule.stepDecay({ initial: 0.2, factor: 0.25, boundaries: [5] });
    const run = train(model, theta0, { learningRate: schedule, optimizer: optimizer.heavyBall({ momentum: 0.5 }), maxSteps: 10 });
    const g = new Float64Array(2);
    const theta = Float64Array.from(theta0);
    const state = createOptimizerState(optimizer.heavyBall({ momentum: 0.5 }), 2);
    for (let k = 0; k < 10; k++) {
      model.lossAndGrad(theta, g);
      optimizerStep(optimizer.heavyBall({ momentum: 0.5 }), theta, g, state, k < 5 ? 0.2 : 0.05, theta);
    }
    expect(Array.from(run.theta)).toEqual(Array.from(theta));
    expect(Array.from(run.trace.learningRate)).toEqual([0.2, 0.2, 0.2, 0.2, 0.2, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]);
    expect(run.trace.stabilityLimit[0]).toBeCloseTo(3 / 0.2, 12); // (2 + 2·0.5)/η
    expect(run.trace.stabilityLimit[7]).toBeCloseTo(3 / 0.05, 12);
    // gd with the same schedule (β = 0) against a plain loop
    const a = gd(model, theta0, { learningRate: schedule, maxSteps: 10 });
    const t2 = Float64Array.from(theta0);
    for (let k = 0; k < 10; k++) {
      model.lossAndGrad(t2, g);
      for (let i = 0; i < 2; i++) t2[i] = t2[i] - (k < 5 ? 0.2 : 0.05) * g[i];
    }
    expect(Array.from(a.theta)).toEqual(Array.from(t2));
  });

  it('a function schedule returning a bad value is an E_BAD_OPTION naming the step', () => {
    const e = thrown(() => train(createScalar(), new Float64Array([1, 0.5]), { learningRate: lrSchedule.fromFunction((k) => (k === 3 ? NaN : 0.1)), maxSteps: 10 }));
    expect(e.code).toBe('E_BAD_OPTION');
    expect(e.details.argument).toBe('options.learningRate.fn(3)');
  });
});

describe('preconditioned sharpness λ_max(P⁻¹H)', () => {
  it('matches a dense non-symmetric eigensolve of P⁻¹H on an MLP with a random positive P', () => {
    const model = smallMlp();
    const theta = init(model, { seed: 4 });
    const p = Float64Array.from({ length: model.dim }, (_, i) => 0.05 + ((i * 7919) % 97) / 50);
    const dense = denseGeneralizedMax(model.hessian(theta), p);
    expectRelClose(preconditionedSharpness(model, theta, p), dense, { rel: 1e-8, label: 'λ_max(P⁻¹H)' });
  });

  it('recorded along an Adam run: equals the dense value with the P of that step (replayed with optimizerStep)', () => {
    const model = smallMlp();
    const theta0 = init(model, { seed: 5 });
    const opt = optimizer.adam({ beta1: 0.9, beta2: 0.99 });
    const run = train(model, theta0, { learningRate: 0.005, optimizer: opt, maxSteps: 60, record: { every: 1, preconditionedSharpnessEvery: 20 } });
    expect(Array.from(run.trace.preconditionedSharpnessStep)).toEqual([0, 20, 40]);
    expect(run.trace.stabilityLimit[0]).toBeCloseTo(38 / 0.005, 8);
    const theta = Float64Array.from(theta0);
    const next = new Float64Array(model.dim);
    const g = new Float64Array(model.dim);
    const p = new Float64Array(model.dim);
    const state = createOptimizerState(opt, model.dim);
    for (let k = 0; k < 60; k++) {
      model.lossAndGrad(theta, g);
      optimizerStep(opt, theta, g, state, 0.005, next);
      const j = run.trace.preconditionedSharpnessStep.indexOf(k);
      if (j >= 0) {
        preconditionerDiagonal(opt, state, p);
        // Lanczos at tol 1e-10 against a dense QR-based eigensolver: 1e-7 relative covers both.
        expectRelClose(run.trace.preconditionedSharpness[j], denseGeneralizedMax(model.hessian(theta), p), { rel: 1e-7, label: `step ${k}` });
      }
      theta.set(next);
    }
  });

  it('rejects non-positive P and preconditioned recording for non-adaptive optimizers', () => {
    const model = createScalar();
    expect(thrown(() => preconditionedSharpness(model, new Float64Array([1, 1]), new Float64Array([1, 0]))).details.argument).toBe('preconditioner[1]');
    const e = thrown(() => train(model, new Float64Array([1, 1]), { learningRate: 0.1, optimizer: optimizer.heavyBall(), record: { preconditionedSharpnessEvery: 1 } }));
    expect(e.details.argument).toBe('options.record.preconditionedSharpnessEvery');
  });
});

describe('options are validated', () => {
  const model = createScalar();
  const theta0 = new Float64Array([1, 0.5]);
  it.each([
    [{ learningRate: 0.1, optimiser: {} }, 'options.optimiser'],
    [{ learningRate: 0.1, record: { everyStep: 1 } }, 'options.record.everyStep'],
    [{ learningRate: 0.1, batches: { size: 1 } }, 'options.batches'],
    [{ learningRate: 0.1, optimizer: { kind: 'adam', beta1: 1, beta2: 0.9, epsilon: 0, biasCorrection: true } }, 'options.optimizer.beta1'],
    [{ learningRate: -1 }, 'options.learningRate'],
    [{ learningRate: 0.1, record: { batchSharpnessEvery: 2 } }, 'options.record.batchSharpnessEvery'],
  ])('%j → E_BAD_OPTION at %s', (options, argument) => {
    const e = thrown(() => train(model, theta0, options as never));
    expect(e.code).toBe('E_BAD_OPTION');
    expect(e.details.argument).toBe(argument);
  });

  it('optimizer constructors reject out-of-range hyperparameters', () => {
    expect(thrown(() => optimizer.heavyBall({ momentum: 1 })).details.argument).toBe('options.momentum');
    expect(thrown(() => optimizer.adam({ beta2: 1 })).details.argument).toBe('options.biasCorrection');
    expect(thrown(() => optimizer.rmsprop({ epsilon: -1 })).details.argument).toBe('options.epsilon');
    expect(thrown(() => lrSchedule.stepDecay({ initial: 1, boundaries: [5, 5] })).details.argument).toBe('options.boundaries[1]');
    expect(stabilityThreshold(optimizer.adam(), 0)).toBe(Infinity);
  });

  it('the Chebyshev data used here is what the model saw', () => {
    expect(loadDataset(cheb).inputs.shape).toEqual([12, 1]);
  });
});
