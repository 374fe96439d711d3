/**
 * The diagonal network model against closed forms ([Conflicting biases, eq. (4) and App. D]; docs/math.md §2), its spec, its
 * input handling and its errors.
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../../src/core/errors.js';
import { createModel } from '../../../src/core/registry.js';
import { create } from '../../../src/models/diagonal-net/model.js';
import { checkGradient, checkHessian, checkHvp, expectRelClose } from '../../../src/testing/index.js';

const EPS = Number.EPSILON;

describe('diagonalNet.create, n = 1, L = 2 [Conflicting biases, eq. (4)]', () => {
  const x = [0.7, -1.3, 2.1];
  const y = 0.9;
  const model = create({ inputs: [x], targets: [y] });
  const w = new Float64Array([0.4, 1.1, -0.6]);
  const r = x[0] * w[0] ** 2 + x[1] * w[1] ** 2 + x[2] * w[2] ** 2 - y;

  it('loss ½r² and gradient 2r(x ⊙ w)', () => {
    const g = new Float64Array(3);
    const loss = model.lossAndGrad(w, g);
    // r is a sum of 4 rounded terms: |error| ≤ ~8ε·max term; the loss and gradient add a few more roundings.
    expectRelClose(loss, 0.5 * r * r, { rel: 64 * EPS });
    expectRelClose(model.loss(w), loss, { rel: 0 });
    expectRelClose(g, x.map((xi, i) => 2 * r * xi * w[i]), { rel: 64 * EPS, abs: 64 * EPS });
  });

  it('dense Hessian = D_{2rx} + 4(x⊙w)(x⊙w)ᵀ (App. D), and the HVP agrees with it', () => {
    const H = model.hessian(w);
    const xw = x.map((xi, i) => xi * w[i]);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const expected = (i === j ? 2 * r * x[i] : 0) + 4 * xw[i] * xw[j];
        expectRelClose(H.get(i, j), expected, { rel: 64 * EPS, abs: 64 * EPS, label: `H[${i}][${j}]` });
      }
    }
    const v = new Float64Array([0.3, -2, 1]);
    const hv = new Float64Array(3);
    model.hvp(w, v, hv);
    const expected = [0, 1, 2].map((i) => H.get(i, 0) * v[0] + H.get(i, 1) * v[1] + H.get(i, 2) * v[2]);
    expectRelClose(hv, expected, { rel: 64 * EPS, abs: 64 * EPS });
  });

  it('has dim d, records its data in a JSON spec, and createModel(spec) rebuilds it bit for bit', () => {
    expect(model.dim).toBe(3);
    expect(model.samples).toBe(1);
    expect(model.inputDim).toBe(3);
    expect(model.spec).toEqual({ kind: 'diagonal-net', inputs: [x], targets: [y], depth: 2, parametrization: 'shared' });
    const again = createModel(JSON.parse(JSON.stringify(model.spec)));
    const g1 = new Float64Array(3);
    const g2 = new Float64Array(3);
    expect(again.lossAndGrad(w, g2)).toBe(model.lossAndGrad(w, g1));
    expect(Array.from(g2)).toEqual(Array.from(g1));
  });

  it('regressor is w^{⊙2}', () => {
    expect(Array.from(model.regressor(w, new Float64Array(3)))).toEqual(Array.from(w, (a) => a * a));
  });
});

describe('diagonalNet.create, several points, depth and parametrization', () => {
  const X = [
    [1, 0.5, -2, 0.3],
    [0.2, -1, 0.4, 1.5],
    [-0.7, 0.9, 1.1, -0.2],
  ];
  const Y = [0.3, -1.2, 2];

  it('the loss is the mean over the points with the ½: 1/(2n) Σ (⟨xᵢ, w^{⊙L}⟩ − yᵢ)²', () => {
    for (const depth of [2, 3, 5]) {
      const model = create({ inputs: X, targets: Y, depth });
      const w = new Float64Array([0.9, -1.1, 0.6, 1.2]);
      let sum = 0;
      for (let i = 0; i < 3; i++) {
        let s = 0;
        for (let j = 0; j < 4; j++) s += X[i][j] * w[j] ** depth;
        sum += (s - Y[i]) ** 2;
      }
      expectRelClose(model.loss(w), sum / 6, { rel: 1e-13, label: `depth ${depth}` });
    }
  });

  it("'difference' with v = 0 equals 'shared' on u, and β = u^{⊙L} − v^{⊙L}", () => {
    const shared = create({ inputs: X, targets: Y, depth: 3 });
    const diff = create({ inputs: X, targets: Y, depth: 3, parametrization: 'difference' });
    expect(diff.dim).toBe(8);
    const u = new Float64Array([0.9, -1.1, 0.6, 1.2]);
    const theta = new Float64Array([...u, 0, 0, 0, 0]);
    const gs = new Float64Array(4);
    const gd = new Float64Array(8);
    expect(diff.lossAndGrad(theta, gd)).toBe(shared.lossAndGrad(u, gs));
    expect(Array.from(gd.subarray(0, 4))).toEqual(Array.from(gs));
    expect(Array.from(gd.subarray(4)).every((gi) => gi === 0)).toBe(true); // ±0
    const t2 = new Float64Array([0.9, -1.1, 0.6, 1.2, 0.5, 0.5, -0.4, 1]);
    const beta = diff.regressor(t2, new Float64Array(4));
    expectRelClose(beta, [0, 1, 2, 3].map((j) => t2[j] ** 3 - t2[4 + j] ** 3), { rel: 8 * EPS });
  });

  it('an NdArray input (here a transposed, strided view) gives the same model as the nested arrays', () => {
    const data = new Float64Array(12);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) data[j * 3 + i] = X[i][j]; // column-major storage
    const view = ndarray(data, [3, 4], [1, 3]);
    const a = create({ inputs: view, targets: Float64Array.from(Y) });
    const b = create({ inputs: X, targets: Y });
    const w = new Float64Array([0.1, 0.2, -0.3, 0.4]);
    expect(a.loss(w)).toBe(b.loss(w));
    expect(a.spec).toEqual(b.spec);
  });

  it('derivatives pass the finite-difference, HVP and Hessian checks for both parametrizations and L = 2…4', () => {
    for (const parametrization of ['shared', 'difference'] as const) {
      for (const depth of [2, 3, 4]) {
        const model = create({ inputs: X, targets: Y, depth, parametrization });
        const theta = new Float64Array(model.dim).map((_, i) => 0.8 * Math.sin(1.7 * i + depth) + 0.1);
        const v = new Float64Array(model.dim).map((_, i) => Math.cos(0.9 * i));
        const label = `${parametrization}, L = ${depth}`;
        expect(checkGradient(model, theta).pass, label).toBe(true);
        expect(checkHvp(model, theta, v).pass, label).toBe(true);
        const h = checkHessian(model, theta);
        expect(h.pass, label).toBe(true);
        expect(h.symmetryError, label).toBe(0);
      }
    }
  });

  it('zero coordinates stay exact: a coordinate at 0 has zero gradient (the kernels never divide)', () => {
    const model = create({ inputs: X, targets: Y, depth: 3 });
    const g = new Float64Array(4);
    model.lossAndGrad(new Float64Array([0, 1, -0.5, 0]), g);
    expect(g[0]).toBe(0);
    expect(g[3]).toBe(0);
  });
});

describe('diagonalNet.create errors', () => {
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof EosLabError) return `${e.code} ${e.details.argument}`;
      throw e;
    }
    return 'no error';
  };
  it('names the argument and uses stable codes', () => {
    expect(code(() => create(undefined as never))).toBe('E_BAD_OPTION options');
    expect(code(() => create({ inputs: [], targets: [] }))).toBe('E_EMPTY options.inputs');
    expect(code(() => create({ inputs: [[1, 2], [3]], targets: [1, 2] }))).toBe('E_DIM_MISMATCH options.inputs[1].length');
    expect(code(() => create({ inputs: [[1, NaN]], targets: [1] }))).toBe('E_NONFINITE options.inputs[0][1]');
    expect(code(() => create({ inputs: [[1, 2]], targets: [1, 2] }))).toBe('E_DIM_MISMATCH options.targets.length');
    expect(code(() => create({ inputs: [[1, 2]], targets: [Infinity] }))).toBe('E_NONFINITE options.targets[0]');
    expect(code(() => create({ inputs: [[1, 2]], targets: [1], depth: 1 }))).toBe('E_BAD_OPTION options.depth');
    expect(code(() => create({ inputs: [[1, 2]], targets: [1], parametrization: 'other' as never }))).toBe('E_BAD_OPTION options.parametrization');
    expect(code(() => create({ inputs: ndarray(new Float64Array(3), [2, 2]), targets: [1, 2] }))).toBe('E_DIM_MISMATCH options.inputs.data.length');
  });
});
