/**
 * `fromFunction` over data (`options.data`): batch views checked against the closed-form per-example loss
 * ℓᵢ(θ) = ½(tanh(xᵢ·θ) − yᵢ)² (gradient (tᵢ − yᵢ)(1 − tᵢ²)xᵢ, Hessian [(1 − tᵢ²)² − 2tᵢ(1 − tᵢ²)(tᵢ − yᵢ)]xᵢxᵢᵀ with
 * tᵢ = tanh(xᵢ·θ), written by hand here — an independent path), the full batch against the full model to the bit,
 * and mini-batch SGD through `train` (seeded, bit-reproducible, replayed with the sampler; full and batch sharpness
 * against dense eigenvalues of the closed-form Hessians).
 */
import { describe, expect, it } from 'vitest';
import { autodiff, createBatchSampler, fromFunction, isBatchable, symmetricEigen, train } from '../../src/index.js';
import { rng } from '../../src/core/rng.js';
import { expectRelClose } from '../../src/testing/index.js';
import { thrown } from '../helpers/errors.js';
import ndarray from 'ndarray';

const { mul, sub, pow, tanh, matvec, mean } = autodiff;

const n = 9;
const d = 3;
const r0 = rng(41);
const X = Array.from({ length: n }, () => Array.from(r0.fillNormal(new Float64Array(d))));
const Y = Array.from(r0.fillNormal(new Float64Array(n)), (v) => 0.5 * v);

const perExample = (w: autodiff.Tensor, data: Readonly<Record<string, autodiff.Tensor>>) => mul(0.5, pow(sub(tanh(matvec(data.x, w)), data.y), 2));
const makeModel = () => fromFunction(d, perExample, { data: { x: X, y: Y } });

/** Closed-form mean over the examples idx[0 … count): loss, gradient and dense Hessian (row-major d × d). */
function closedForm(theta: Float64Array, idx: ArrayLike<number>, count: number): { loss: number; grad: number[]; hessian: number[] } {
  let loss = 0;
  const grad = new Array<number>(d).fill(0);
  const hessian = new Array<number>(d * d).fill(0);
  for (let b = 0; b < count; b++) {
    const x = X[idx[b]];
    const y = Y[idx[b]];
    let z = 0;
    for (let j = 0; j < d; j++) z += x[j] * theta[j];
    const t = Math.tanh(z);
    const s = 1 - t * t; // tanh'
    loss += 0.5 * (t - y) ** 2;
    const c1 = (t - y) * s;
    const c2 = s * s - 2 * t * s * (t - y); // d/dz of (t − y)s
    for (let j = 0; j < d; j++) {
      grad[j] += c1 * x[j];
      for (let k = 0; k < d; k++) hessian[j * d + k] += c2 * x[j] * x[k];
    }
  }
  return { loss: loss / count, grad: grad.map((g) => g / count), hessian: hessian.map((h) => h / count) };
}

function matVec(h: number[], v: Float64Array): number[] {
  return Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += h[j * d + k] * v[k];
    return s;
  });
}

function lambdaMax(h: number[]): number {
  const values = symmetricEigen(ndarray(Float64Array.from(h), [d, d])).values;
  return values[values.length - 1];
}

const all = Int32Array.from({ length: n }, (_, i) => i);

describe('fromFunction with data: batch views', () => {
  // Sums of at most 9 terms of size O(1) in another order than the closed form: agreement to 1e-13 relative
  // (tens of ulps), with an absolute floor of 1e-15 for entries that cancel.
  const tol = { rel: 1e-13, abs: 1e-15 };

  it('is a BatchableModel over n examples whose full loss, gradient and Hessian are the closed-form means', () => {
    const model = makeModel();
    expect(isBatchable(model)).toBe(true);
    expect(model.examples).toBe(n);
    const theta = Float64Array.of(0.3, -0.8, 0.5);
    const ref = closedForm(theta, all, n);
    const g = new Float64Array(d);
    expectRelClose(model.lossAndGrad(theta, g), ref.loss, { ...tol, label: 'L' });
    expectRelClose(g, ref.grad, { ...tol, label: '∇L' });
    expectRelClose(model.hessian(theta).data, ref.hessian, { ...tol, label: '∇²L' });
  });

  it('the loss, gradient, HVP and Hessian of a batch are the means over the batch (repeats counted), independently computed', () => {
    const model = makeModel();
    const view = model.createBatchView();
    const r = rng(5);
    for (const idx of [Int32Array.of(4), Int32Array.of(7, 2, 2, 0), Int32Array.of(8, 1, 3, 5, 6), Int32Array.of(2, 2, 2, 2, 2, 2, 2, 2, 2)]) {
      const theta = r.fillNormal(new Float64Array(d));
      const v = r.fillNormal(new Float64Array(d));
      view.select(idx, idx.length);
      expect(view.count).toBe(idx.length);
      const ref = closedForm(theta, idx, idx.length);
      const g = new Float64Array(d);
      const label = `batch [${Array.from(idx)}]`;
      expectRelClose(view.loss(theta), ref.loss, { ...tol, label: `${label} L_B` });
      expectRelClose(view.lossAndGrad(theta, g), ref.loss, { ...tol, label: `${label} L_B (fused)` });
      expectRelClose(g, ref.grad, { ...tol, label: `${label} ∇L_B` });
      const hv = new Float64Array(d);
      view.hvp(theta, v, hv);
      expectRelClose(hv, matVec(ref.hessian, v), { ...tol, label: `${label} ∇²L_B v` });
      expectRelClose(view.hessian(theta).data, ref.hessian, { ...tol, label: `${label} ∇²L_B` });
    }
  });

  it('a prefix count selects the first count indices only', () => {
    const view = makeModel().createBatchView();
    const theta = Float64Array.of(0.1, 0.2, -0.3);
    view.select(Int32Array.of(6, 3, 1, 0), 2);
    expectRelClose(view.loss(theta), closedForm(theta, [6, 3], 2).loss, { ...tol, label: 'L over {6, 3}' });
  });

  it('the full batch equals the full model to the bit (before any select, and after other batches)', () => {
    const model = makeModel();
    const view = model.createBatchView();
    const r = rng(6);
    const theta = r.fillNormal(new Float64Array(d));
    const v = r.fillNormal(new Float64Array(d));
    const expectSame = (label: string) => {
      const g1 = new Float64Array(d);
      const g2 = new Float64Array(d);
      expect(view.lossAndGrad(theta, g1), label).toBe(model.lossAndGrad(theta, g2));
      expect(Array.from(g1), label).toEqual(Array.from(g2));
      view.hvp(theta, v, g1);
      model.hvp(theta, v, g2);
      expect(Array.from(g1), label).toEqual(Array.from(g2));
      expect(view.loss(theta), label).toBe(model.loss(theta));
    };
    expect(view.count).toBe(n);
    expectSame('fresh view');
    view.select(Int32Array.of(3, 1), 2);
    view.loss(theta);
    view.select(all, n);
    expectSame('after another batch, all examples in order');
  });

  it('the view shares nothing mutable with the model: evaluating a batch does not change the full loss', () => {
    const model = makeModel();
    const theta = Float64Array.of(0.4, 0.4, -0.1);
    const before = model.loss(theta);
    const view = model.createBatchView();
    view.select(Int32Array.of(0, 0, 0), 3);
    view.lossAndGrad(theta, new Float64Array(d));
    expect(model.loss(theta)).toBe(before);
  });

  it('accepts Float64Array and ndarray data (same numbers, same model, bit for bit)', () => {
    const a = makeModel();
    const flatX = Float64Array.from(X.flat());
    const b = fromFunction(d, perExample, { data: { x: ndarray(flatX, [n, d]), y: Float64Array.from(Y) } });
    const theta = Float64Array.of(-0.2, 0.9, 0.05);
    expect(b.loss(theta)).toBe(a.loss(theta));
  });

  it('a user may average inside f only over the batch axis: f returning a scalar is E_DIM_MISMATCH', () => {
    const e = thrown(() => fromFunction(d, (w, data) => mean(mul(0.5, pow(sub(tanh(matvec(data.x, w)), data.y), 2))), { data: { x: X, y: Y } }));
    expect(e.code).toBe('E_DIM_MISMATCH');
    expect(e.details.argument).toBe('f(w, data).shape');
  });

  it('rejects bad data with coded errors naming the entry', () => {
    const f = perExample;
    expect(thrown(() => fromFunction(d, f, { data: { x: X, y: Y.slice(1) } })).details.argument).toBe('options.data.y.length');
    expect(thrown(() => fromFunction(d, f, { data: { x: X, y: Y.slice(1) } })).code).toBe('E_DIM_MISMATCH');
    expect(thrown(() => fromFunction(d, f, { data: {} })).code).toBe('E_BAD_OPTION');
    expect(thrown(() => fromFunction(d, f, { data: [X] as never })).details.argument).toBe('options.data');
    expect(thrown(() => fromFunction(d, f, { data: { x: X, y: 3 } })).details.argument).toBe('options.data.y');
    expect(thrown(() => fromFunction(d, f, { data: { x: X, y: [...Y.slice(1), NaN] } })).code).toBe('E_NONFINITE');
    expect(thrown(() => fromFunction(d, f, { data: { x: X, y: [] } })).code).toBe('E_EMPTY');
    const view = makeModel().createBatchView();
    expect(thrown(() => view.select(Int32Array.of(0, n), 2)).details.argument).toBe('indices[1]');
    expect(thrown(() => view.select(Int32Array.of(0), 2)).details.argument).toBe('count');
  });
});

describe('fromFunction with data: mini-batch SGD through train', () => {
  const theta0 = Float64Array.of(0.2, -0.4, 0.6);

  it('the same seed gives bit-identical runs, with and without replacement; another seed another run', () => {
    for (const replacement of [false, true]) {
      const opts = { learningRate: 0.3, batches: { size: 4, seed: 12, replacement }, maxSteps: 60, record: { every: 5, sharpnessEvery: 20, batchSharpnessEvery: 20 } };
      const a = train(makeModel(), theta0, opts);
      const b = train(makeModel(), theta0, opts);
      expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
      expect(Array.from(a.trace.loss)).toEqual(Array.from(b.trace.loss));
      expect(Array.from(a.trace.batchLoss)).toEqual(Array.from(b.trace.batchLoss));
      expect(Array.from(a.trace.batchSharpness)).toEqual(Array.from(b.trace.batchSharpness));
      const c = train(makeModel(), theta0, { ...opts, batches: { ...opts.batches, seed: 13 } });
      expect(Array.from(c.theta)).not.toEqual(Array.from(a.theta));
    }
  });

  for (const replacement of [false, true]) {
    it(`steps follow the seeded sampler (replacement: ${replacement}); recorded full and batch sharpness match the closed-form Hessians`, () => {
      const size = 4;
      const eta = 0.3;
      const run = train(makeModel(), theta0, {
        learningRate: eta,
        batches: { size, seed: 21, replacement },
        maxSteps: 30,
        record: { every: 10, sharpnessEvery: 10, batchSharpnessEvery: 10 },
      });
      expect(Array.from(run.trace.sharpnessStep)).toEqual([0, 10, 20, 30]);
      expect(Array.from(run.trace.batchSharpnessStep)).toEqual([0, 10, 20, 30]);
      // Replay: the sampler's batches through a view of another model instance, θ_{k+1} = θ_k − η∇L_{B_k}(θ_k).
      const sampler = createBatchSampler({ examples: n, size, seed: 21, replacement });
      const view = makeModel().createBatchView();
      const idx = new Int32Array(size);
      const theta = Float64Array.from(theta0);
      const g = new Float64Array(d);
      for (let k = 0; k <= 30; k++) {
        const count = sampler.next(idx);
        view.select(idx, count);
        if (k % 10 === 0) {
          const j = k / 10;
          const full = closedForm(theta, all, n);
          const batch = closedForm(theta, idx, count);
          // d = 3: the sharpness is a dense eigenvalue (method 'auto'); both sides are eigenvalues of 3 × 3 matrices
          // agreeing to 1e-13, so 1e-10 leaves room for the eigensolvers' rounding only.
          expectRelClose(run.trace.sharpness[j], lambdaMax(full.hessian), { rel: 1e-10, label: `λ_max(∇²L(θ_${k}))` });
          expectRelClose(run.trace.batchSharpness[j], lambdaMax(batch.hessian), { rel: 1e-10, label: `λ_max(∇²L_B(θ_${k}))` });
          expectRelClose(run.trace.batchLoss[j], batch.loss, { rel: 1e-13, label: `L_B(θ_${k})` });
          expectRelClose(run.trace.loss[j], full.loss, { rel: 1e-13, label: `L(θ_${k})` });
        }
        if (k === 30) break;
        view.lossAndGrad(theta, g);
        for (let i = 0; i < d; i++) theta[i] = theta[i] - eta * g[i];
      }
      expect(Array.from(run.theta)).toEqual(Array.from(theta));
    });
  }
});
