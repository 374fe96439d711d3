/**
 * lrSweep's `record.network` (per-layer norms, nuclear norms, distances to θ₀ and θ_GF) and `run.time` = steps·η,
 * checked against independent computations: θ sliced by hand by the documented layouts (mlp: W_ℓ row-major
 * [n_ℓ, n_{ℓ−1}] then b_ℓ; cnn: kernels then biases, then the head), the 2 × 2 closed form σ₁ + σ₂ =
 * (‖W‖_F² + 2|det W|)^{1/2}, ‖w‖₂ for a 1 × n matrix, and the dense symmetric eigensolver (Σ √λᵢ of the smaller Gram matrix).
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { lrSweep, type LrSweepRun } from '../../src/experiments/lr-sweep/index.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { create as createCnn, init as initCnn } from '../../src/models/cnn/index.js';
import { create as diagonalNet } from '../../src/models/diagonal-net/model.js';
import { create as createMlp, init as initMlp } from '../../src/models/mlp/index.js';
import { recordsToCsv } from '../../src/results/csv.js';
import { parseResult, stringifyResult } from '../../src/results/serialize.js';
import { expectRelClose } from '../../src/testing/index.js';

const l1 = (v: ArrayLike<number>): number => Array.from(v).reduce((t, x) => t + Math.abs(x), 0);
const l2 = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((t, x) => t + x * x, 0));
const diff = (a: ArrayLike<number>, b: ArrayLike<number>): number[] => Array.from(a, (x, i) => x - b[i]);

/**
 * Σ σᵢ(W) for W [m, n] row-major, as Σ √λᵢ(G) from the dense symmetric eigensolver, G the smaller Gram matrix
 * (WᵀW when n ≤ m, else WWᵀ: the larger one has zero eigenvalues whose rounding noise ~1e-16 would add √1e-16 each).
 */
function nuclearByEig(w: ArrayLike<number>, m: number, n: number): number {
  const at = (i: number, j: number): number => (n <= m ? w[i * n + j] : w[j * n + i]); // the taller of W and Wᵀ
  const [rows, cols] = n <= m ? [m, n] : [n, m];
  const g = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) for (let k = 0; k < rows; k++) g[i * cols + j] += at(k, i) * at(k, j);
  return Array.from(symmetricEigen(ndarray(g, [cols, cols])).values).reduce((t, x) => t + Math.sqrt(Math.max(x, 0)), 0);
}

const mlpData = { inputs: [[1, 0], [0, 1], [1, 1], [-1, 0.5]], targets: [[1], [-1], [0], [0.5]] };

describe('lrSweep record.network', () => {
  it('MLP [2, 2, 1]: per-layer norms by hand slicing, 2 × 2 nuclear norm in closed form, distances, time = steps·η', async () => {
    const model = createMlp({ layers: [2, 2, 1], activation: 'tanh', ...mlpData });
    const theta0 = initMlp(model, { seed: 3 });
    const sweep = await lrSweep(model, theta0, { lossGoal: 1e-3, learningRates: [0.02, 0.1, 0.3], maxSteps: 200_000, record: { network: true } });
    const flowTheta = sweep.flow.theta as number[];
    const converged = sweep.runs.filter((r) => r.status === 'converged');
    expect(converged.length).toBeGreaterThanOrEqual(2);
    for (const r of sweep.runs) {
      expect(r.time).toBe(r.steps * r.learningRate);
      if (r.status === 'diverged') {
        expect(r.network).toBeNull();
        continue;
      }
      const t = r.theta as number[];
      const n = r.network;
      if (n === null) throw new Error('network measures missing');
      // layout: W1 [2, 2] at 0..3, b1 at 4..5, W2 [1, 2] at 6..7, b2 at 8
      const W1 = t.slice(0, 4);
      const b1 = t.slice(4, 6);
      const W2 = t.slice(6, 8);
      const b2 = t.slice(8, 9);
      expect(t).toHaveLength(9);
      expect(n.layerParameters).toEqual([6, 3]);
      expectRelClose(n.layerNorm1[0], l1(W1) + l1(b1), { rel: 1e-14 });
      expectRelClose(n.layerNorm1[1], l1(W2) + l1(b2), { rel: 1e-14 });
      expectRelClose(n.layerNorm2[0], l2([...W1, ...b1]), { rel: 1e-14 });
      expectRelClose(n.layerNorm2[1], l2([...W2, ...b2]), { rel: 1e-14 });
      expectRelClose(n.layerFrobenius[0], l2(W1), { rel: 1e-14 });
      // 2 × 2: (σ₁ + σ₂)² = σ₁² + σ₂² + 2σ₁σ₂ = ‖W‖_F² + 2|det W|
      const det = W1[0] * W1[3] - W1[1] * W1[2];
      expectRelClose(n.layerNuclear[0], Math.sqrt(l2(W1) ** 2 + 2 * Math.abs(det)), { rel: 1e-12 });
      expectRelClose(n.layerNuclear[1], l2(W2), { rel: 1e-12 }); // rank one: σ₁ = ‖w‖₂
      expectRelClose(n.distanceToInit.l1, l1(diff(t, theta0)), { rel: 1e-14 });
      expectRelClose(n.distanceToInit.l2, l2(diff(t, theta0)), { rel: 1e-14 });
      expectRelClose(n.distanceToFlow.l1, l1(diff(t, flowTheta)), { rel: 1e-14 });
      expectRelClose(n.distanceToFlow.l2, r.distanceToFlow, { rel: 1e-14 });
    }
    const f = sweep.flow.network;
    if (f === null) throw new Error('flow network measures missing');
    expect('distanceToFlow' in f).toBe(false);
    expectRelClose(f.layerNorm1[0] + f.layerNorm1[1], sweep.flow.norm1, { rel: 1e-14 });
    expectRelClose(f.distanceToInit.l2, l2(diff(flowTheta, theta0)), { rel: 1e-14 });
  });

  it('k·η tracks the flow time t_GF at a small η (stated bound: |kη − t_GF| ≤ 5% of t_GF at η = 0.2·η_c)', async () => {
    const model = createMlp({ layers: [2, 2, 1], activation: 'tanh', ...mlpData });
    const theta0 = initMlp(model, { seed: 3 });
    const first = await lrSweep(model, theta0, { lossGoal: 1e-3, learningRates: [1e-3], maxSteps: 1 });
    const eta = 0.2 * first.criticalLearningRate;
    const sweep = await lrSweep(model, theta0, { lossGoal: 1e-3, learningRates: [eta], maxSteps: 1_000_000 });
    const r = sweep.runs[0];
    expect(r.status).toBe('converged');
    expect(Math.abs(r.time - sweep.flow.time)).toBeLessThanOrEqual(0.05 * sweep.flow.time);
  });

  it('MLP [3, 5, 4, 2]: nuclear norms agree with Σ √λ(WᵀW) of the hand-sliced matrices; nuclear: false gives NaN', async () => {
    const model = createMlp({ layers: [3, 5, 4, 2], inputs: [[1, 0, 2], [0, 1, -1], [1, 1, 0]], targets: [[1, 0], [0, 1], [0.5, 0.5]] });
    const theta0 = initMlp(model, { seed: 7 });
    const sweep = await lrSweep(model, theta0, { lossGoal: 1e-2, learningRates: [0.05], record: { network: true } });
    const t = sweep.runs[0].theta as number[];
    const shapes: [number, number][] = [[5, 3], [4, 5], [2, 4]];
    let off = 0;
    shapes.forEach(([m, n], l) => {
      expectRelClose((sweep.runs[0].network as NonNullable<LrSweepRun['network']>).layerNuclear[l], nuclearByEig(t.slice(off, off + m * n), m, n), { rel: 1e-9 });
      off += m * n + m;
    });
    expect(off).toBe(model.dim);
    const cheap = await lrSweep(model, theta0, { lossGoal: 1e-2, learningRates: [0.05], record: { network: true, nuclear: false } });
    expect(cheap.runs[0].network?.layerNuclear.every(Number.isNaN)).toBe(true);
    expect(cheap.runs[0].network?.layerNorm1).toEqual(sweep.runs[0].network?.layerNorm1);
    // without record: no network measures, but time is always there
    const plain = await lrSweep(model, theta0, { lossGoal: 1e-2, learningRates: [0.05] });
    expect(plain.runs[0].network).toBeNull();
    expect(plain.flow.network).toBeNull();
    expect(plain.runs[0].time).toBe(sweep.runs[0].time);
  });

  it('CNN: the conv kernel as the [C_out, C_in·k²] matrix and the head, sliced by hand; ℓ1 of the layers sums to ‖θ‖₁', async () => {
    const inputs = [0, 1, 2, 3].map((s) => Array.from({ length: 25 }, (_, i) => Math.sin(i * (s + 1) * 0.37)));
    const model = createCnn({ input: [1, 5, 5], channels: [2], outputs: 1, activation: 'tanh', inputs, targets: [[1], [0], [-1], [0.5]] });
    const theta0 = initCnn(model, { seed: 1 });
    // conv: kernel [2, 1, 3, 3] (18) + bias 2; 3 × 3 → pooled 1 × 1 → 2 features; head [1, 2] + bias 1
    expect(model.dim).toBe(23);
    const sweep = await lrSweep(model, theta0, { lossGoal: 1e-2, learningRates: [0.05], maxSteps: 100_000, record: { network: true } });
    const r = sweep.runs[0];
    const t = r.theta as number[];
    const n = r.network as NonNullable<LrSweepRun['network']>;
    expect(n.layerParameters).toEqual([20, 3]);
    expectRelClose(n.layerNorm2[0], l2(t.slice(0, 20)), { rel: 1e-14 });
    expectRelClose(n.layerNorm2[1], l2(t.slice(20, 23)), { rel: 1e-14 });
    expectRelClose(n.layerNuclear[0], nuclearByEig(t.slice(0, 18), 2, 9), { rel: 1e-9 });
    expectRelClose(n.layerNuclear[1], l2(t.slice(20, 22)), { rel: 1e-12 });
    expectRelClose(n.layerNorm1[0] + n.layerNorm1[1], r.norm1, { rel: 1e-14 });
  });

  it('bit-identical with workers 0 and 2 (MLP and CNN), and through JSON and CSV export', async () => {
    const model = createMlp({ layers: [2, 3, 1], activation: 'tanh', ...mlpData });
    const theta0 = initMlp(model, { seed: 5 });
    const options = { lossGoal: 1e-3, learningRates: [0.05, 0.2, 0.6, 3], maxSteps: 20_000, record: { network: true } };
    const serial = await lrSweep(model, theta0, options);
    const threaded = await lrSweep(model, theta0, { ...options, workers: 2 });
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(serial));
    expect(serial.runs.some((r) => r.network !== null)).toBe(true);
    const cnnModel = createCnn({ input: [1, 5, 5], channels: [2], outputs: 1, inputs: [Array.from({ length: 25 }, (_, i) => i / 25)], targets: [[1]] });
    const c0 = initCnn(cnnModel, { seed: 2 });
    const cOptions = { lossGoal: 1e-4, learningRates: [0.05, 0.1], maxSteps: 20_000, record: { network: true } };
    expect(JSON.stringify(await lrSweep(cnnModel, c0, { ...cOptions, workers: 2 }))).toBe(JSON.stringify(await lrSweep(cnnModel, c0, cOptions)));
    // JSON export: bit for bit back
    expect(parseResult(stringifyResult('lrSweep', serial), 'lrSweep')).toEqual(serial);
    // CSV export: one cell per per-layer array (space-separated), dotted columns for the distances
    const csv = recordsToCsv(serial.runs.map(({ theta: _t, ...rest }) => rest));
    const [header, first] = csv.split('\n');
    const cols = header.split(',');
    for (const c of ['time', 'network.layerNorm1', 'network.layerNuclear', 'network.distanceToInit.l1', 'network.distanceToFlow.l2']) expect(cols).toContain(c);
    const cell = first.split(',')[cols.indexOf('network.layerNorm1')];
    expect(cell.split(' ').map(Number)).toEqual(serial.runs[0].network?.layerNorm1);
  });

  it('errors: a model without layers (E_NOT_SUPPORTED), unknown or bad record keys (E_BAD_OPTION)', async () => {
    const diag = diagonalNet({ inputs: [[1, 4]], targets: [2] });
    const d0 = new Float64Array([0.01, 0.01]);
    await expect(lrSweep(diag, d0, { lossGoal: 1e-6, record: { network: true } })).rejects.toMatchObject({ code: 'E_NOT_SUPPORTED', details: { argument: 'options.record.network' } });
    // network: false on any model is fine (and records nothing)
    expect((await lrSweep(diag, d0, { lossGoal: 1e-6, learningRates: [0.01], record: { network: false } })).runs[0].network).toBeNull();
    const model = createMlp({ layers: [2, 2, 1], ...mlpData });
    const theta0 = initMlp(model, { seed: 0 });
    const bad = (record: unknown) => lrSweep(model, theta0, { lossGoal: 1e-3, learningRates: [0.1], record: record as never });
    await expect(bad({ netwrok: true })).rejects.toMatchObject({ code: 'E_BAD_OPTION', details: { argument: 'options.record.netwrok' } });
    await expect(bad({ network: 'yes' })).rejects.toMatchObject({ code: 'E_BAD_OPTION', details: { argument: 'options.record.network' } });
    await expect(bad({ nuclear: false })).rejects.toMatchObject({ code: 'E_BAD_OPTION', details: { argument: 'options.record.nuclear' } });
  });
});
