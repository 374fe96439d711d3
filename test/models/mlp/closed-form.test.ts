/**
 * The MLP's dense Hessian against closed forms written out entry by entry in this file (independent of the
 * R-operator): the least-squares Hessian of a one-layer network, the Hessian of a two-layer linear network with
 * biases (Gauss–Newton part plus the residual-weighted bilinear part), the cross-entropy Hessian of the last
 * layer (PSD: a sum of Kronecker products of PSD matrices), and ReLU's vanishing second derivative (the first-layer
 * block of a one-hidden-layer ReLU network is exactly its Gauss–Newton block).
 *
 * Tolerance: the entries are sums over n examples of products of a few factors, computed here and in the model in
 * different orders: |Δ| ≤ 64·n·ε·max|H|-sized, and rel 1e-12 of max|H| is used (well above that, far below any
 * formula error).
 */
import { describe, expect, it } from 'vitest';
import { rng } from '../../../src/core/rng.js';
import { symmetricEigen } from '../../../src/linalg/symmetric-eigen.js';
import { matrixFromRows } from '../../../src/linalg/matrix.js';
import { create, init } from '../../../src/models/mlp/index.js';
import { referenceForward } from './reference.js';

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function expectMatrixClose(actual: Float64Array, expected: number[][], relOfMax: number, label: string): void {
  const n = expected.length;
  const scale = Math.max(...expected.map((row) => maxAbs(row)));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = Math.abs(actual[i * n + j] - expected[i][j]);
      if (!(d <= relOfMax * scale)) throw new Error(`${label}: H[${i}][${j}] = ${actual[i * n + j]}, expected ${expected[i][j]} (Δ ${d})`);
    }
  }
}

const zeros = (p: number) => Array.from({ length: p }, () => new Array<number>(p).fill(0));

describe('MLP Hessian: closed forms', () => {
  it('one layer (linear least squares): H = (1/n) X̃ᵀX̃ ⊗ I_k, X̃ = [X, 1], independent of θ', () => {
    const d = 3;
    const k = 2;
    const n = 7;
    const r = rng(21);
    const X = Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
    const Y = Array.from({ length: n }, () => Array.from({ length: k }, () => r.normal()));
    const model = create({ layers: [d, k], activation: 'identity', inputs: X, targets: Y });
    const p = model.dim;
    const idx = (c: number, j: number) => (j < d ? c * d + j : k * d + c); // W[c, j] then b[c]
    const expected = zeros(p);
    for (let c = 0; c < k; c++)
      for (let j = 0; j <= d; j++)
        for (let jj = 0; jj <= d; jj++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += (j < d ? X[i][j] : 1) * (jj < d ? X[i][jj] : 1);
          expected[idx(c, j)][idx(c, jj)] = s / n;
        }
    for (const seed of [0, 1]) expectMatrixClose(model.hessian(init(model, { seed, scale: 3 })).data, expected, 1e-13, `seed ${seed}`);
  });

  it('two-layer linear network f = W₂(W₁x + b₁) + b₂: H = (1/n) Σᵢ [Jᵢᵀ Jᵢ + Σ_c r_ic ∇²f_ic]', () => {
    const d = 3;
    const h = 4;
    const k = 2;
    const n = 6;
    const r = rng(22);
    const X = Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
    const Y = Array.from({ length: n }, () => Array.from({ length: k }, () => r.normal()));
    const model = create({ layers: [d, h, k], activation: 'identity', inputs: X, targets: Y });
    const theta = init(model, { seed: 5, scale: 1.5 });
    const p = model.dim;
    // Layout: W₁[j, m] at j·d + m; b₁[j] at h·d + j; W₂[c, j] at o2 + c·h + j; b₂[c] at o2 + k·h + c.
    const o2 = h * (d + 1);
    const W1 = (j: number, m: number) => theta[j * d + m];
    const b1 = (j: number) => theta[h * d + j];
    const W2 = (c: number, j: number) => theta[o2 + c * h + j];
    const b2 = (c: number) => theta[o2 + k * h + c];
    const H = zeros(p);
    for (let i = 0; i < n; i++) {
      const hid = Array.from({ length: h }, (_, j) => X[i].reduce((s, xm, m) => s + W1(j, m) * xm, 0) + b1(j));
      for (let c = 0; c < k; c++) {
        const f = hid.reduce((s, hj, j) => s + W2(c, j) * hj, 0) + b2(c);
        const res = f - Y[i][c];
        const J = new Array<number>(p).fill(0); // ∂f_c/∂θ
        for (let j = 0; j < h; j++) {
          for (let m = 0; m < d; m++) J[j * d + m] = W2(c, j) * X[i][m];
          J[h * d + j] = W2(c, j);
          J[o2 + c * h + j] = hid[j];
        }
        J[o2 + k * h + c] = 1;
        for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) H[a][b] += (J[a] * J[b]) / n;
        // ∇²f_c: ∂²f_c/∂W₂[c, j]∂W₁[j, m] = x_m and ∂²f_c/∂W₂[c, j]∂b₁[j] = 1 (f is bilinear in layer 1 and layer 2).
        for (let j = 0; j < h; j++) {
          const w2 = o2 + c * h + j;
          for (let m = 0; m < d; m++) {
            H[w2][j * d + m] += (res * X[i][m]) / n;
            H[j * d + m][w2] += (res * X[i][m]) / n;
          }
          H[w2][h * d + j] += res / n;
          H[h * d + j][w2] += res / n;
        }
      }
    }
    expectMatrixClose(model.hessian(theta).data, H, 1e-12, 'two-layer linear');
    // The residual part matters here (θ is far from a minimizer): the Gauss–Newton part alone would fail.
    expect(model.loss(theta)).toBeGreaterThan(0.1);
  });

  it('cross-entropy: the last-layer block is (1/n) Σᵢ ãᵢãᵢᵀ ⊗ (diag(sᵢ) − sᵢsᵢᵀ), PSD; the full Hessian is indefinite', () => {
    const layers = [3, 5, 4];
    const [d, h, k] = layers;
    const n = 8;
    const r = rng(23);
    const X = Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
    const labels = X.map((_, i) => i % k);
    const model = create({ layers, activation: 'tanh', loss: 'cross-entropy', inputs: X, targets: labels });
    const theta = init(model, { seed: 7, scale: 2 });
    const p = model.dim;
    const ref = referenceForward(layers, 'tanh', theta, X);
    const off = h * (d + 1);
    const q = k * (h + 1); // last-layer parameters
    const idx = (c: number, j: number) => (j < h ? c * h + j : k * h + c);
    const block = zeros(q);
    for (let i = 0; i < n; i++) {
      const f = ref.outputs[i];
      const m = Math.max(...f);
      const e = f.map((v) => Math.exp(v - m));
      const z = e.reduce((a, b) => a + b, 0);
      const s = e.map((v) => v / z);
      const a = [...ref.lastLayerInputs[i], 1];
      for (let c = 0; c < k; c++)
        for (let cc = 0; cc < k; cc++) {
          const sm = (c === cc ? s[c] : 0) - s[c] * s[cc];
          for (let j = 0; j <= h; j++) for (let jj = 0; jj <= h; jj++) block[idx(c, j)][idx(cc, jj)] += (a[j] * a[jj] * sm) / n;
        }
    }
    const H = model.hessian(theta);
    const sub = new Float64Array(q * q);
    for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) sub[i * q + j] = H.data[(off + i) * p + off + j];
    expectMatrixClose(sub, block, 1e-12, 'last-layer CE block');
    const blockEig = symmetricEigen(matrixFromRows(Array.from({ length: q }, (_, i) => Array.from(sub.subarray(i * q, (i + 1) * q))))).values;
    // PSD up to rounding (backward error of the eigensolver ~ 4q·ε·‖H‖); the softmax null direction (all classes
    // shifted alike) gives eigenvalues 0, so the smallest ones sit at rounding level.
    expect(blockEig[0]).toBeGreaterThanOrEqual(-4 * q * Number.EPSILON * blockEig[q - 1]);
    const full = symmetricEigen(matrixFromRows(Array.from({ length: p }, (_, i) => Array.from(H.data.subarray(i * p, (i + 1) * p))))).values;
    expect(full[0]).toBeLessThan(-1e-6 * full[p - 1]);
  });

  it("ReLU: σ'' = 0, so the first-layer block of a one-hidden-layer net equals its Gauss–Newton block (tanh's does not)", () => {
    const layers = [2, 6, 2];
    const [d, h, k] = layers;
    const n = 10;
    const r = rng(24);
    const X = Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
    const Y = Array.from({ length: n }, () => Array.from({ length: k }, () => r.normal()));
    for (const activation of ['relu', 'tanh'] as const) {
      const model = create({ layers, activation, inputs: X, targets: Y });
      const theta = init(model, { seed: 8, scale: 1.5 });
      const ref = referenceForward(layers, activation, theta, X);
      const q = h * (d + 1); // W₁ and b₁
      const o2 = q;
      const gn = zeros(q);
      for (let i = 0; i < n; i++) {
        const z = ref.lastHiddenPreactivations[i];
        const dsig = z.map((zj) => (activation === 'relu' ? (zj > 0 ? 1 : 0) : 1 - Math.tanh(zj) ** 2));
        for (let c = 0; c < k; c++) {
          const J = new Array<number>(q).fill(0); // ∂f_c/∂(W₁, b₁)
          for (let j = 0; j < h; j++) {
            const g = theta[o2 + c * h + j] * dsig[j];
            for (let m = 0; m < d; m++) J[j * d + m] = g * X[i][m];
            J[h * d + j] = g;
          }
          for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) gn[a][b] += (J[a] * J[b]) / n;
        }
      }
      const H = model.hessian(theta);
      const p = model.dim;
      const sub = new Float64Array(q * q);
      for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) sub[i * q + j] = H.data[i * p + j];
      if (activation === 'relu') {
        expectMatrixClose(sub, gn, 1e-12, 'ReLU first-layer block vs Gauss–Newton');
      } else {
        let diff = 0;
        for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) diff = Math.max(diff, Math.abs(sub[i * q + j] - gn[i][j]));
        expect(diff).toBeGreaterThan(1e-3 * Math.max(...gn.map((row) => maxAbs(row))));
      }
    }
  });
});
