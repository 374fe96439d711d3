import { describe, expect, it } from 'vitest';
import { createModel, registeredModelKinds } from '../../../src/core/registry.js';
import { rng } from '../../../src/core/rng.js';
import { loadMnist } from '../../../src/data/mnist.js';
import { gd } from '../../../src/dynamics/gd.js';
import { train } from '../../../src/dynamics/train.js';
import { create, init } from '../../../src/models/cnn/index.js';
import { create as createMlp } from '../../../src/models/mlp/index.js';
import { expectRelClose } from '../../../src/testing/index.js';
import { errorCode, thrown } from '../../helpers/errors.js';

const r = rng(5);
const X = Array.from({ length: 4 }, () => Array.from({ length: 25 }, () => r.normal()));
const labels = [0, 1, 2, 1];

describe('cnn.create', () => {
  it('is registered: createModel(spec) rebuilds the same loss, gradient and HVP', () => {
    expect(registeredModelKinds()).toContain('cnn');
    const m = create({ input: [1, 5, 5], channels: [2, 3], outputs: 3, kernelSize: 2, activation: 'tanh', loss: 'cross-entropy', inputs: X, targets: labels });
    const rebuilt = createModel(JSON.parse(JSON.stringify(m.spec)));
    const theta = init(m, { seed: 2 });
    expect(rebuilt.dim).toBe(m.dim);
    expect(rebuilt.loss(theta)).toBe(m.loss(theta));
    const v = r.fillNormal(new Float64Array(m.dim));
    const a = new Float64Array(m.dim);
    const b = new Float64Array(m.dim);
    m.hvp(theta, v, a);
    rebuilt.hvp(theta, v, b);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('one 1×1 identity conv channel on a 2×2 image, pooled, is the linear MLP [1, 1, 1] on the pixel mean', () => {
    // input [1, 2, 2], one 1×1 conv channel: z = w x_ij + b per pixel, pool = mean over the 4 pixels, head f = W p + c.
    // With identity activation this is the linear model f = W(w·mean(x) + b) + c: compare with an MLP [1, 1, 1] on mean(x).
    const inputs = [[1, 2, 3, 4], [0, -1, 2, 1], [5, 5, 5, 5]];
    const targets = [[1], [0], [2]];
    const m = create({ input: [1, 2, 2], channels: [1], outputs: 1, kernelSize: 1, activation: 'identity', inputs, targets });
    const twin = createMlp({ layers: [1, 1, 1], activation: 'identity', inputs: inputs.map((x) => [(x[0] + x[1] + x[2] + x[3]) / 4]), targets });
    const theta = new Float64Array([0.7, -0.3, 1.5, 0.2]); // w, b, W, c — the MLP's layout is the same
    expect(m.dim).toBe(4);
    expectRelClose(m.loss(theta), twin.loss(theta), { rel: 1e-15 });
    const g1 = new Float64Array(4);
    const g2 = new Float64Array(4);
    m.lossAndGrad(theta, g1);
    twin.lossAndGrad(theta, g2);
    expectRelClose(g1, g2, { rel: 1e-14 });
    expectRelClose(m.hessian(theta).data, twin.hessian(theta).data, { rel: 1e-14, abs: 1e-15 });
  });

  it('rejects bad options with E_BAD_OPTION / E_DIM_MISMATCH naming the argument', () => {
    const base = { input: [1, 5, 5] as [number, number, number], channels: [2], outputs: 3, inputs: X, targets: labels };
    expect(thrown(() => create({ ...base, chanels: [2] } as never)).message).toMatch(/chanels.*did you mean "channels"/);
    expect(errorCode(() => create({ ...base, input: [1, 5] as never }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...base, channels: [] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...base, channels: [2.5] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...base, outputs: 0 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...base, kernelSize: 0 }))).toBe('E_BAD_OPTION');
    expect(thrown(() => create({ ...base, channels: [2, 2] })).message).toMatch(/options\.input/); // 5 → 3 → 1 < 2
    expect(errorCode(() => create({ ...base, activation: 'gelu' as never }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...base, loss: 'cross-entropy', outputs: 1, targets: [[0], [0], [0], [0]] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...base, input: [1, 4, 4] }))).toBe('E_DIM_MISMATCH');
    expect(errorCode(() => create({ ...base, targets: [0, 1, 3, 1] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ input: [1, 5, 5], channels: [2], outputs: 3 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...base, inputs: [X[0].map(() => NaN)], targets: [0] }))).toBe('E_NONFINITE');
    expect(errorCode(() => init({} as never))).toBe('E_BAD_OPTION');
    const m = create(base);
    expect(errorCode(() => init(m, { sead: 1 } as never))).toBe('E_BAD_OPTION');
    expect(errorCode(() => init(m, { scale: -1 }))).toBe('E_BAD_OPTION');
  });

  it('init: PyTorch-default bounds per layer, × scale, and bit-reproducible per seed', () => {
    const m = create({ input: [2, 6, 6], channels: [3, 4], outputs: 2, inputs: [Array(72).fill(0)], targets: [[0, 0]] });
    const a = init(m, { seed: 7, scale: 5 });
    expect(Array.from(init(m, { seed: 7, scale: 5 }))).toEqual(Array.from(a));
    const { conv, headWeightOffset, features } = m.layout;
    const maxIn = (from: number, to: number) => Math.max(...Array.from(a.subarray(from, to), Math.abs));
    expect(maxIn(conv[0].weightOffset, conv[1].weightOffset)).toBeLessThan(5 / Math.sqrt(2 * 9));
    expect(maxIn(conv[0].weightOffset, conv[1].weightOffset)).toBeGreaterThan(0.8 * 5 / Math.sqrt(2 * 9)); // 57 draws
    expect(maxIn(conv[1].weightOffset, headWeightOffset)).toBeLessThan(5 / Math.sqrt(3 * 9));
    expect(features).toBe(4 * 1 * 1); // 6 → 4 → 2, pooled 1×1
    expect(maxIn(headWeightOffset, m.dim)).toBeLessThan(5 / Math.sqrt(features));
  });

  it('trains on 14×14 MNIST (two classes): GD lowers the loss, the spec carries the data-set descriptor', () => {
    const { train } = loadMnist({ perClass: 5, testPerClass: 0, classes: [3, 8], resolution: 14 });
    const m = create({ input: [1, 14, 14], channels: [2, 2], outputs: 2, activation: 'relu', loss: 'cross-entropy', data: train });
    expect(m.spec.data).toEqual(train.descriptor);
    expect(m.examples).toBe(10);
    const theta0 = init(m, { seed: 0 });
    const run = gd(m, theta0, { learningRate: 0.1, maxSteps: 50 });
    expect(run.loss).toBeLessThan(0.5 * m.loss(theta0));
  });
});

describe('cnn batch views (mini-batches)', () => {
  it('a batch equals a CNN built on the batch’s rows (loss, gradient, HVP), bit for bit, for both losses', () => {
    const targetsMse = X.map((_, i) => [i * 0.5 - 1, 1 - i * 0.25, i % 2]);
    for (const loss of ['cross-entropy', 'mse'] as const) {
      const targets = loss === 'mse' ? targetsMse : labels;
      const model = create({ input: [1, 5, 5], channels: [2], outputs: 3, kernelSize: 2, activation: 'tanh', loss, inputs: X, targets });
      const view = model.createBatchView();
      const theta = init(model, { seed: 4 });
      const v = r.fillNormal(new Float64Array(model.dim));
      // before any select the view is the full model
      expect(view.loss(theta)).toBe(model.loss(theta));
      for (const idx of [Int32Array.of(2), Int32Array.of(3, 0, 0)]) {
        view.select(idx, idx.length);
        const pick = <T,>(a: readonly T[]) => Array.from(idx, (i) => a[i]);
        const sub = create({ input: [1, 5, 5], channels: [2], outputs: 3, kernelSize: 2, activation: 'tanh', loss, inputs: pick(X), targets: pick(targets as never[]) });
        const g1 = new Float64Array(model.dim);
        const g2 = new Float64Array(model.dim);
        // same rows, same order, same kernels: identical arithmetic
        expect(view.lossAndGrad(theta, g1)).toBe(sub.lossAndGrad(theta, g2));
        expect(Array.from(g1)).toEqual(Array.from(g2));
        view.hvp(theta, v, g1);
        sub.hvp(theta, v, g2);
        expect(Array.from(g1)).toEqual(Array.from(g2));
      }
      expect(thrown(() => view.select(Int32Array.of(4), 1)).details.argument).toBe('indices[0]');
    }
  });

  it('train runs seeded mini-batch SGD on a CNN, bit-reproducibly', () => {
    const model = create({ input: [1, 5, 5], channels: [2], outputs: 3, kernelSize: 2, activation: 'tanh', loss: 'cross-entropy', inputs: X, targets: labels });
    const theta0 = init(model, { seed: 1 });
    const opts = { learningRate: 0.1, batches: { size: 2, seed: 3 }, maxSteps: 20, record: { every: 5, batchSharpnessEvery: 10 } };
    const a = train(model, theta0, opts);
    const b = train(model, theta0, opts);
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
    expect(Array.from(a.trace.batchSharpness)).toEqual(Array.from(b.trace.batchSharpness));
    expect(a.stats.batchGradEvals).toBe(21);
  });
});
