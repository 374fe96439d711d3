import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { createModel, registeredModelKinds } from '../../../src/core/registry.js';
import { rng } from '../../../src/core/rng.js';
import { chebyshev } from '../../../src/data/chebyshev.js';
import { teacher } from '../../../src/data/teacher.js';
import { create, init } from '../../../src/models/mlp/index.js';
import { expectRelClose } from '../../../src/testing/index.js';
import { errorCode } from '../../helpers/errors.js';
import { referenceCrossEntropy, referenceForward, referenceMse } from './reference.js';

const r = rng(11);
const X = Array.from({ length: 9 }, () => [r.normal(), r.normal(), r.normal()]);
const Yreg = X.map(() => [r.normal(), r.normal()]);
const labels = X.map((_, i) => i % 3);
const oneHot = labels.map((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));

describe('mlp.create: losses against an independent per-example forward pass', () => {
  for (const activation of ['tanh', 'relu', 'identity'] as const) {
    it(`${activation}, MSE: L = (1/(2n)) Σᵢ ‖f(xᵢ) − yᵢ‖²; outputs match`, () => {
      const layers = [3, 6, 5, 2];
      const m = create({ layers, activation, loss: 'mse', inputs: X, targets: Yreg });
      const theta = init(m, { seed: 4, scale: 2 });
      const ref = referenceForward(layers, activation, theta, X);
      // Sums of ≤ 7 products per entry in a different order: relative differences of a few ε; 1e-13 leaves room.
      expectRelClose(m.loss(theta), referenceMse(ref.outputs, Yreg), { rel: 1e-13 });
      const out = new Float64Array(9 * 2);
      expect(m.outputs(theta, out)).toBe(out);
      expectRelClose(out, ref.outputs.flat(), { rel: 1e-13, abs: 1e-15 });
      expect(m.lossAndGrad(theta, new Float64Array(m.dim))).toBe(m.loss(theta));
    });
  }

  it('cross-entropy: mean of logsumexp(fᵢ) − f_{yᵢ}; labels, Int32Array labels and one-hot rows give the same model', () => {
    const layers = [3, 4, 3];
    const a = create({ layers, loss: 'cross-entropy', inputs: X, targets: labels });
    const b = create({ layers, loss: 'cross-entropy', inputs: X, targets: Int32Array.from(labels) });
    const c = create({ layers, loss: 'cross-entropy', inputs: X, targets: oneHot });
    const theta = init(a, { seed: 1 });
    const ref = referenceForward(layers, 'tanh', theta, X);
    expectRelClose(a.loss(theta), referenceCrossEntropy(ref.outputs, oneHot), { rel: 1e-13 });
    expect(b.loss(theta)).toBe(a.loss(theta));
    expect(c.loss(theta)).toBe(a.loss(theta));
    // At θ = 0 all logits vanish: L = log k exactly up to rounding.
    expectRelClose(a.loss(new Float64Array(a.dim)), Math.log(3), { rel: 4 * Number.EPSILON });
  });

  it('cross-entropy stays finite and exact for logits of ±1000 (max-shifted log-sum-exp)', () => {
    const m = create({ layers: [1, 2], loss: 'cross-entropy', inputs: [[1], [-1]], targets: [0, 1] });
    // W = [[1000], [-1000]], b = 0: example 1 has logits (1000, −1000) and label 0 → loss ≈ e^{−2000} ≈ 0;
    // example 2 has logits (−1000, 1000) and label 1 → ≈ 0. Label swap gives loss 2000 per example.
    const theta = new Float64Array([1000, -1000, 0, 0]);
    expect(m.loss(theta)).toBe(0);
    const swapped = create({ layers: [1, 2], loss: 'cross-entropy', inputs: [[1], [-1]], targets: [1, 0] });
    expect(swapped.loss(theta)).toBe(2000);
    const g = new Float64Array(4);
    swapped.lossAndGrad(theta, g);
    // ∂L/∂f = (s − y)/n with s = one-hot of the wrong class: δ₁ = (1, −1)/2, δ₂ = (−1, 1)/2; ∇W = Σ δᵢ xᵢ.
    expect(Array.from(g)).toEqual([1, -1, 0, 0]);
  });

  it('MSE with k = 1 accepts a plain array of targets; with k ≥ 2 a plain array means labels (one-hot)', () => {
    const xs = [[0.5], [-1], [2]];
    const a = create({ layers: [1, 3, 1], inputs: xs, targets: [1, 2, 3] });
    const b = create({ layers: [1, 3, 1], inputs: xs, targets: [[1], [2], [3]] });
    const theta = init(a, { seed: 0 });
    expect(a.loss(theta)).toBe(b.loss(theta));
    const c = create({ layers: [1, 3, 2], inputs: xs, targets: [1, 0, 1] });
    const d = create({ layers: [1, 3, 2], inputs: xs, targets: [[0, 1], [1, 0], [0, 1]] });
    const t2 = init(c, { seed: 0 });
    expect(c.loss(t2)).toBe(d.loss(t2));
  });

  it('accepts ndarray inputs with any strides (copied)', () => {
    // A transposed view: data stored column-major.
    const colMajor = new Float64Array(9 * 3);
    X.forEach((row, i) => row.forEach((v, j) => (colMajor[j * 9 + i] = v)));
    const view = ndarray(colMajor, [9, 3], [1, 9]);
    const a = create({ layers: [3, 2, 2], inputs: view, targets: Yreg });
    const b = create({ layers: [3, 2, 2], inputs: X, targets: Yreg });
    const theta = init(a, { seed: 5 });
    expect(a.loss(theta)).toBe(b.loss(theta));
    colMajor.fill(0); // the model copied its data
    expect(a.loss(theta)).toBe(b.loss(theta));
  });
});

describe('mlp.create: spec and createModel', () => {
  it('registers under "mlp"; createModel(JSON of spec) rebuilds a model with bit-identical loss, gradient and HVP', () => {
    expect(registeredModelKinds()).toContain('mlp');
    const models = [
      create({ layers: [3, 5, 2], activation: 'relu', inputs: X, targets: Yreg }),
      create({ layers: [3, 4, 3], loss: 'cross-entropy', inputs: X, targets: labels }),
      create({ layers: [1, 8, 1], data: chebyshev({ points: 12, degree: 3 }) }),
      create({ layers: [1, 8, 1], data: { dataset: 'chebyshev', points: 12, degree: 3 } }),
      create({ layers: [2, 4, 1], data: teacher({ layers: [2, 3, 1], points: 10, seed: 9 }) }),
    ];
    for (const m of models) {
      const json = JSON.parse(JSON.stringify(m.spec));
      expect(json).toEqual(m.spec);
      const twin = createModel(json);
      const theta = init(m, { seed: 3 });
      const v = rng(1).fillNormal(new Float64Array(m.dim));
      const g1 = new Float64Array(m.dim);
      const g2 = new Float64Array(m.dim);
      expect(twin.lossAndGrad(theta, g2)).toBe(m.lossAndGrad(theta, g1));
      expect(g2).toEqual(g1);
      const h1 = new Float64Array(m.dim);
      const h2 = new Float64Array(m.dim);
      m.hvp(theta, v, h1);
      twin.hvp(theta, v, h2);
      expect(h2).toEqual(h1);
    }
    // Data from a built-in data set are stored by descriptor, not by value.
    expect(models[2].spec).toEqual({ kind: 'mlp', layers: [1, 8, 1], activation: 'tanh', loss: 'mse', data: { dataset: 'chebyshev', points: 12, degree: 3 } });
    expect(models[0].spec.inputs).toEqual(X);
    expect(models[1].spec.targets).toEqual(labels);
  });

  it('dim = Σ n_ℓ(n_{ℓ−1} + 1); examples = n; layers exposed', () => {
    const m = create({ layers: [3, 6, 5, 2], inputs: X, targets: Yreg });
    expect(m.dim).toBe(6 * 4 + 5 * 7 + 2 * 6);
    expect(m.examples).toBe(9);
    expect(m.layers).toEqual([3, 6, 5, 2]);
  });

  it('reuses its scratch safely: interleaved calls at different θ give the results of a fresh model', () => {
    const m = create({ layers: [3, 5, 2], inputs: X, targets: Yreg });
    const fresh = () => create({ layers: [3, 5, 2], inputs: X, targets: Yreg });
    const t1 = init(m, { seed: 1 });
    const t2 = init(m, { seed: 2 });
    const v = rng(2).fillNormal(new Float64Array(m.dim));
    const out = new Float64Array(m.dim);
    m.hvp(t1, v, out);
    m.lossAndGrad(t1, new Float64Array(m.dim));
    m.hvp(t2, v, out);
    const ref = new Float64Array(m.dim);
    fresh().hvp(t2, v, ref);
    expect(out).toEqual(ref);
    const g = new Float64Array(m.dim);
    const gRef = new Float64Array(m.dim);
    expect(m.lossAndGrad(t1, g)).toBe(fresh().lossAndGrad(t1, gRef));
    expect(g).toEqual(gRef);
  });

  it('never modifies θ or v', () => {
    const m = create({ layers: [3, 5, 2], loss: 'mse', activation: 'relu', inputs: X, targets: Yreg });
    const theta = init(m, { seed: 1 });
    const v = rng(2).fillNormal(new Float64Array(m.dim));
    const t0 = Float64Array.from(theta);
    const v0 = Float64Array.from(v);
    m.hvp(theta, v, new Float64Array(m.dim));
    m.lossAndGrad(theta, new Float64Array(m.dim));
    m.hessian(theta);
    expect(theta).toEqual(t0);
    expect(v).toEqual(v0);
  });
});

describe('mlp.create: input validation', () => {
  const ok = { layers: [3, 2, 2], inputs: X, targets: Yreg };
  it('rejects bad widths, activation, loss', () => {
    expect(errorCode(() => create({ ...ok, layers: [3] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...ok, layers: [3, 0, 2] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...ok, layers: [3, 2.5, 2] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...ok, activation: 'sigmoid' as 'tanh' }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...ok, loss: 'l1' as 'mse' }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create(undefined as unknown as { layers: number[] }))).toBe('E_BAD_OPTION');
  });
  it('rejects data given both ways, neither way, or half inline', () => {
    expect(errorCode(() => create({ layers: [3, 2, 2] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ ...ok, data: chebyshev() }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ layers: [3, 2, 2], inputs: X }))).toBe('E_BAD_OPTION');
  });
  it('rejects shapes that do not match the widths, empty data, non-finite values', () => {
    expect(errorCode(() => create({ ...ok, layers: [2, 2, 2] }))).toBe('E_DIM_MISMATCH');
    expect(errorCode(() => create({ ...ok, layers: [3, 2, 3] }))).toBe('E_DIM_MISMATCH');
    expect(errorCode(() => create({ ...ok, targets: Yreg.slice(1) }))).toBe('E_DIM_MISMATCH');
    expect(errorCode(() => create({ ...ok, inputs: [[1, 2, 3], [1, 2]] }))).toBe('E_DIM_MISMATCH');
    expect(errorCode(() => create({ ...ok, inputs: [], targets: [] }))).toBe('E_EMPTY');
    expect(errorCode(() => create({ ...ok, inputs: X.map((row, i) => (i === 4 ? [row[0], NaN, row[2]] : row)) }))).toBe('E_NONFINITE');
    expect(errorCode(() => create({ layers: [1, 2], data: chebyshev() }))).toBe('E_DIM_MISMATCH');
  });
  it('rejects labels out of range, cross-entropy with one output or negative targets', () => {
    expect(errorCode(() => create({ layers: [3, 2, 3], loss: 'cross-entropy', inputs: X, targets: labels.map((c) => c + 1) }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ layers: [3, 2, 3], loss: 'cross-entropy', inputs: X, targets: labels.map((c) => c + 0.5) }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ layers: [3, 2, 1], loss: 'cross-entropy', inputs: X, targets: X.map(() => [1]) }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => create({ layers: [3, 2, 2], loss: 'cross-entropy', inputs: X, targets: Yreg }))).toBe('E_BAD_OPTION');
  });
  it('the dense Hessian is refused above p = 4096 (use HVPs)', () => {
    const m = create({ layers: [3, 1100, 2], inputs: X, targets: Yreg });
    expect(m.dim).toBeGreaterThan(4096);
    expect(errorCode(() => m.hessian(new Float64Array(m.dim)))).toBe('E_NOT_SUPPORTED');
  });
});
