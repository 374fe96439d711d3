import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { rng } from '../../src/core/rng.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { networkMeasures } from '../../src/measures/network-measures.js';
import { nuclearNorm } from '../../src/measures/nuclear-norm.js';
import { create as createCnn, init as initCnn } from '../../src/models/cnn/index.js';
import { create, init } from '../../src/models/mlp/index.js';
import { expectRelClose } from '../../src/testing/index.js';
import { errorCode } from '../helpers/errors.js';

describe('nuclearNorm', () => {
  it('closed forms: rank one ‖u‖‖v‖; a rotation times diag(3, −2, 0.5) gives 5.5; zero; tall and wide agree', () => {
    // u vᵀ, u = (1, 2, 2), v = (3, 4): σ₁ = 3·5 = 15
    const uv = [1, 2, 2].flatMap((u) => [3 * u, 4 * u]);
    expectRelClose(nuclearNorm(ndarray(new Float64Array(uv), [3, 2])), 15, { rel: 1e-14 });
    expectRelClose(nuclearNorm(ndarray(new Float64Array(uv), [2, 3], [1, 2])), 15, { rel: 1e-14 }); // the transpose, strided
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    // R(0.7) ⊕ 1 times diag(3, −2, 0.5): singular values 3, 2, 0.5
    const m = [c * 3, -s * -2, 0, s * 3, c * -2, 0, 0, 0, 0.5];
    expectRelClose(nuclearNorm(ndarray(new Float64Array(m), [3, 3])), 5.5, { rel: 1e-14 });
    expect(nuclearNorm(ndarray(new Float64Array(6), [2, 3]))).toBe(0);
  });

  it('a random 12 × 7 matrix: Σ σᵢ = Σ √λᵢ(WᵀW) from the dense symmetric eigensolver (rel 1e-10)', () => {
    const r = rng(2);
    const w = r.fillNormal(new Float64Array(84));
    const gram = new Float64Array(49);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) for (let k = 0; k < 12; k++) gram[i * 7 + j] += w[k * 7 + i] * w[k * 7 + j];
    const eig = symmetricEigen(ndarray(gram, [7, 7])).values;
    const ref = Array.from(eig).reduce((t, x) => t + Math.sqrt(Math.max(x, 0)), 0);
    expectRelClose(nuclearNorm(ndarray(w, [12, 7])), ref, { rel: 1e-10 });
  });

  it('rejects a 1-d array and NaN entries', () => {
    expect(errorCode(() => nuclearNorm(ndarray(new Float64Array(3), [3])))).toBe('E_BAD_OPTION');
    expect(errorCode(() => nuclearNorm(ndarray(new Float64Array([1, NaN]), [1, 2])))).toBe('E_NONFINITE');
  });
});

describe('networkMeasures', () => {
  it('MLP: per-layer Frobenius, ℓ1 and bias norms add up to ‖θ‖₂², ‖θ‖₁; distances to references', () => {
    const model = create({ layers: [3, 5, 2], inputs: [[1, 2, 3]], targets: [[0, 1]] });
    const theta = init(model, { seed: 1 });
    const theta0 = init(model, { seed: 2 });
    const m = networkMeasures(model, theta, { references: { init: theta0, zero: new Float64Array(model.dim) } });
    expect(m.layers.map((l) => l.shape)).toEqual([[5, 3], [2, 5]]);
    expect(m.layers.map((l) => l.parameters)).toEqual([20, 12]);
    const sq = m.layers.reduce((t, l) => t + l.frobenius ** 2 + l.biasNorm ** 2, 0);
    expectRelClose(sq, m.l2 ** 2, { rel: 1e-14 });
    expectRelClose(m.layers[0].l1 + m.layers[1].l1, m.l1, { rel: 1e-14 });
    expectRelClose(m.l2, Math.hypot(...theta), { rel: 1e-14 });
    expect(m.distances.zero).toEqual({ l1: m.l1, l2: m.l2 });
    expectRelClose(m.distances.init.l1, theta.reduce((t, x, i) => t + Math.abs(x - theta0[i]), 0), { rel: 1e-14 });
    // ‖W‖_F ≤ ‖W‖_* ≤ √rank ‖W‖_F
    for (const l of m.layers) {
      expect(l.nuclear).toBeGreaterThanOrEqual(l.frobenius * (1 - 1e-14));
      expect(l.nuclear).toBeLessThanOrEqual(Math.sqrt(Math.min(...l.shape)) * l.frobenius * (1 + 1e-14));
    }
    expect(Number.isNaN(networkMeasures(model, theta, { nuclear: false }).layers[0].nuclear)).toBe(true);
  });

  it('CNN: conv kernels as [C_out, C_in·k²] matrices, then the head', () => {
    const model = createCnn({ input: [2, 6, 6], channels: [3], outputs: 2, inputs: [Array(72).fill(1)], targets: [[0, 1]] });
    const theta = initCnn(model, { seed: 0 });
    const m = networkMeasures(model, theta);
    expect(m.layers.map((l) => [l.kind, ...l.shape])).toEqual([['conv', 3, 18], ['dense', 2, 12]]);
    const k = theta.subarray(0, 54);
    expectRelClose(m.layers[0].frobenius, Math.hypot(...k), { rel: 1e-14 });
    expectRelClose(m.layers[0].nuclear, nuclearNorm(ndarray(Float64Array.from(k), [3, 18])), { rel: 1e-14 });
  });

  it('rejects other models, unknown options and wrong-length references', () => {
    const model = create({ layers: [1, 1], inputs: [[1]], targets: [[0]] });
    const theta = new Float64Array(2);
    expect(errorCode(() => networkMeasures({ ...model, spec: { kind: 'scalar-factorization' } }, theta))).toBe('E_BAD_OPTION');
    expect(errorCode(() => networkMeasures(model, theta, { refs: {} } as never))).toBe('E_BAD_OPTION');
    expect(errorCode(() => networkMeasures(model, theta, { references: { a: new Float64Array(3) } }))).toBe('E_DIM_MISMATCH');
  });
});
