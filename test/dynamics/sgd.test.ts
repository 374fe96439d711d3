/**
 * Mini-batch SGD: the batch samplers (epochs are permutations, seeded and reproducible), the data-subset views of
 * the MLP and diagonal-net models (checked against models built from the subset's rows — an independent path), and
 * `train` with `batches` (reproducible, full-batch and mini-batch sharpness against dense Hessians).
 */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { createBatchSampler } from '../../src/dynamics/batches.js';
import { optimizer } from '../../src/dynamics/optimizers.js';
import { train } from '../../src/dynamics/train.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { create as createDiag } from '../../src/models/diagonal-net/index.js';
import { create as createMlp, init } from '../../src/models/mlp/index.js';
import { rng } from '../../src/core/rng.js';
import { expectRelClose } from '../../src/testing/index.js';
import { thrown } from '../helpers/errors.js';

const cheb = { dataset: 'chebyshev' as const, points: 10, degree: 3 };

function rowsOf(data: { data: Float64Array; shape: number[] }, idx: ArrayLike<number>, count: number): number[][] {
  const w = data.shape[1];
  return Array.from({ length: count }, (_, b) => Array.from(data.data.subarray(idx[b] * w, idx[b] * w + w)));
}

function lambdaMax(h: Parameters<typeof symmetricEigen>[0]): number {
  const v = symmetricEigen(h).values;
  return v[v.length - 1];
}

describe('createBatchSampler', () => {
  it('without replacement: every epoch is a permutation, cut into batches of b and a remainder', () => {
    const s = createBatchSampler({ examples: 7, size: 3, seed: 11 });
    const out = new Int32Array(3);
    for (let epoch = 0; epoch < 5; epoch++) {
      const seen: number[] = [];
      const sizes: number[] = [];
      for (let t = 0; t < 3; t++) {
        const c = s.next(out);
        sizes.push(c);
        seen.push(...out.subarray(0, c));
      }
      expect(sizes).toEqual([3, 3, 1]);
      expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
  });

  it('the same seed gives the same order; another seed another', () => {
    const draw = (seed: number, replacement: boolean) => {
      const s = createBatchSampler({ examples: 50, size: 5, seed, replacement });
      const out = new Int32Array(5);
      return Array.from({ length: 20 }, () => (s.next(out), Array.from(out))).flat();
    };
    expect(draw(3, false)).toEqual(draw(3, false));
    expect(draw(3, true)).toEqual(draw(3, true));
    expect(draw(3, false)).not.toEqual(draw(4, false));
  });

  it('with replacement: counts are Binomial(T·b, 1/n) — each within 6 standard deviations of the mean', () => {
    const n = 20;
    const s = createBatchSampler({ examples: n, size: 8, replacement: true, seed: 5 });
    const out = new Int32Array(8);
    const counts = new Array(n).fill(0);
    for (let t = 0; t < 5000; t++) {
      s.next(out);
      for (const i of out) counts[i]++;
    }
    const draws = 5000 * 8;
    const mean = draws / n;
    const sd = Math.sqrt(draws * (1 / n) * (1 - 1 / n));
    for (const c of counts) expect(Math.abs(c - mean)).toBeLessThan(6 * sd);
  });

  it('rejects a batch larger than n', () => {
    expect(thrown(() => createBatchSampler({ examples: 4, size: 5 })).details.argument).toBe('options.size');
  });
});

describe('batch views (data-subset views)', () => {
  it('MLP: loss, gradient and HVP of a batch equal those of an MLP built on the batch’s rows', () => {
    const data = loadDataset(cheb);
    const model = createMlp({ layers: [1, 5, 5, 1], data: cheb });
    const view = model.createBatchView();
    const theta = init(model, { seed: 9 });
    const r = rng(1);
    const v = r.fillNormal(new Float64Array(model.dim));
    for (const idx of [Int32Array.of(3, 1, 7), Int32Array.of(0, 9, 9, 2, 5, 4), Int32Array.from({ length: 10 }, (_, i) => i)]) {
      view.select(idx, idx.length);
      expect(view.count).toBe(idx.length);
      const sub = createMlp({ layers: [1, 5, 5, 1], inputs: rowsOf(data.inputs as never, idx, idx.length), targets: rowsOf(data.targets as never, idx, idx.length) });
      const g1 = new Float64Array(model.dim);
      const g2 = new Float64Array(model.dim);
      // Same rows in the same order through the same kernels: identical arithmetic, so equality is exact.
      expect(view.lossAndGrad(theta, g1)).toBe(sub.lossAndGrad(theta, g2));
      expect(Array.from(g1)).toEqual(Array.from(g2));
      view.hvp(theta, v, g1);
      sub.hvp(theta, v, g2);
      expect(Array.from(g1)).toEqual(Array.from(g2));
    }
    // the full model is untouched by the view
    const full = createMlp({ layers: [1, 5, 5, 1], data: cheb });
    expect(model.loss(theta)).toBe(full.loss(theta));
  });

  it('diagonal net: a batch equals a diagonal net on the batch’s rows (loss, gradient, HVP, dense Hessian)', () => {
    const r = rng(2);
    const inputs = Array.from({ length: 8 }, () => Array.from(r.fillNormal(new Float64Array(4))));
    const targets = Array.from(r.fillNormal(new Float64Array(8)));
    for (const parametrization of ['shared', 'difference'] as const) {
      const model = createDiag({ inputs, targets, depth: 3, parametrization });
      const view = model.createBatchView();
      const theta = r.fillNormal(new Float64Array(model.dim));
      const v = r.fillNormal(new Float64Array(model.dim));
      const idx = Int32Array.of(6, 2, 2, 0);
      view.select(idx, 3); // the first three: 6, 2, 2
      const sub = createDiag({ inputs: [inputs[6], inputs[2], inputs[2]], targets: [targets[6], targets[2], targets[2]], depth: 3, parametrization });
      const g1 = new Float64Array(model.dim);
      const g2 = new Float64Array(model.dim);
      expect(view.lossAndGrad(theta, g1)).toBe(sub.lossAndGrad(theta, g2));
      expect(Array.from(g1)).toEqual(Array.from(g2));
      view.hvp(theta, v, g1);
      sub.hvp(theta, v, g2);
      expect(Array.from(g1)).toEqual(Array.from(g2));
      expect(Array.from(view.hessian(theta).data)).toEqual(Array.from(sub.hessian(theta).data));
      // before select, a fresh view is the full model
      expect(model.createBatchView().loss(theta)).toBe(model.loss(theta));
    }
  });

  it('select validates its arguments', () => {
    const view = createMlp({ layers: [1, 3, 1], data: cheb }).createBatchView();
    expect(thrown(() => view.select(Int32Array.of(0, 10), 2)).details.argument).toBe('indices[1]');
    expect(thrown(() => view.select(Int32Array.of(0), 2)).details.argument).toBe('count');
  });
});

describe('train with batches (SGD)', () => {
  const model = createMlp({ layers: [1, 6, 6, 1], data: cheb });
  const theta0 = init(model, { seed: 0 });

  it('is reproducible: the same seed gives bit-identical runs, another seed a different one', () => {
    const opts = { learningRate: 0.1, batches: { size: 3, seed: 7 }, maxSteps: 200, record: { every: 10 } };
    const a = train(model, theta0, opts);
    const b = train(model, theta0, opts);
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
    const c = train(model, theta0, { ...opts, batches: { size: 3, seed: 8 } });
    expect(Array.from(a.theta)).not.toEqual(Array.from(c.theta));
    expect(a.stats.batchGradEvals).toBe(201);
    expect(a.stats.gradEvals).toBe(21); // the full loss at the 21 recorded steps
  });

  it('the steps follow the sampler: a replay with createBatchSampler and the view gives the same iterates', () => {
    const run = train(model, theta0, { learningRate: 0.05, optimizer: optimizer.heavyBall({ momentum: 0.5 }), batches: { size: 4, replacement: true, seed: 3 }, maxSteps: 30, record: { every: 0 } });
    const s = createBatchSampler({ examples: 10, size: 4, replacement: true, seed: 3 });
    const view = model.createBatchView();
    const idx = new Int32Array(4);
    const theta = Float64Array.from(theta0);
    const g = new Float64Array(model.dim);
    const vel = new Float64Array(model.dim);
    for (let k = 0; k < 30; k++) {
      view.select(idx, s.next(idx));
      view.lossAndGrad(theta, g);
      for (let i = 0; i < model.dim; i++) {
        vel[i] = 0.5 * vel[i] + g[i];
        theta[i] = theta[i] - 0.05 * vel[i];
      }
    }
    expect(Array.from(run.theta)).toEqual(Array.from(theta));
  });

  it('records full-batch and mini-batch sharpness that match dense Hessians of the full and the batch models', () => {
    const data = loadDataset(cheb);
    const run = train(model, theta0, {
      learningRate: 0.1,
      batches: { size: 4, seed: 2 },
      maxSteps: 40,
      record: { every: 20, sharpnessEvery: 20, batchSharpnessEvery: 20, sharpness: { method: 'lanczos', tol: 1e-10 } },
    });
    expect(Array.from(run.trace.sharpnessStep)).toEqual([0, 20, 40]);
    expect(Array.from(run.trace.batchSharpnessStep)).toEqual([0, 20, 40]);
    // replay to get θ_k and B_k
    const s = createBatchSampler({ examples: 10, size: 4, seed: 2 });
    const view = model.createBatchView();
    const idx = new Int32Array(4);
    const theta = Float64Array.from(theta0);
    const g = new Float64Array(model.dim);
    for (let k = 0; k <= 40; k++) {
      const count = s.next(idx);
      view.select(idx, count);
      if (k % 20 === 0) {
        const j = k / 20;
        expectRelClose(run.trace.sharpness[j], lambdaMax(model.hessian(theta)), { rel: 1e-8, label: `full λ_max at ${k}` });
        const sub = createMlp({ layers: [1, 6, 6, 1], inputs: rowsOf(data.inputs as never, idx, count), targets: rowsOf(data.targets as never, idx, count) });
        expectRelClose(run.trace.batchSharpness[j], lambdaMax(sub.hessian(theta)), { rel: 1e-8, label: `batch λ_max at ${k}` });
        expectRelClose(run.trace.batchLoss[j], sub.loss(theta), { rel: 1e-15, label: `batch loss at ${k}` });
        expectRelClose(run.trace.loss[j], model.loss(theta), { rel: 1e-15, label: `full loss at ${k}` });
      }
      view.lossAndGrad(theta, g);
      for (let i = 0; i < model.dim; i++) theta[i] = theta[i] - 0.1 * g[i];
    }
  });

  it('the loss goal is checked on the full loss at recorded steps', () => {
    const run = train(model, theta0, { learningRate: 0.2, batches: { size: 5 }, maxSteps: 20_000, lossGoal: 0.05, record: { every: 5 } });
    expect(run.status).toBe('converged');
    expect(run.steps % 5).toBe(0);
    expect(model.loss(run.theta)).toBeLessThanOrEqual(0.05);
    expect(run.loss).toBe(model.loss(run.theta));
    expect(thrown(() => train(model, theta0, { learningRate: 0.2, batches: { size: 5 }, lossGoal: 0.05, record: { every: 0 } })).details.argument).toBe('options.record.every');
  });
});
