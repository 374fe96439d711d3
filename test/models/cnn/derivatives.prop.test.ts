/**
 * The CNN's exact derivatives on random architectures (input channels and sizes, conv depths, channel counts, kernel
 * sizes, even and odd feature maps), activations, losses, data and parameters: gradient and HVP against
 * Richardson-extrapolated central differences (eos-lab/testing, default tolerance rel 1e-6 of max(1, ‖·‖∞) plus the
 * rounding allowance), the HVP against the dense Hessian, and the symmetry ⟨u, H v⟩ = ⟨H u, v⟩ of the R-operator
 * (not symmetric by construction) within 64·p·ε-sized rounding of the largest intermediate terms.
 *
 * ReLU: cases whose smallest |pre-activation| is below 0.05 are discarded (fc.pre), since a finite-difference
 * stencil crossing a kink measures a jump; the pre-activations come from the independent loop-by-loop forward pass
 * below, which also checks the model's outputs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rng } from '../../../src/core/rng.js';
import { create, init, type CnnModel } from '../../../src/models/cnn/index.js';
import { checkGradient, checkHvp } from '../../../src/testing/index.js';

const EPS = Number.EPSILON;

const problem = fc
  .record({
    c0: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 4, max: 7 }),
    w: fc.integer({ min: 4, max: 7 }),
    kernelSize: fc.integer({ min: 1, max: 3 }),
    channels: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
    outputs: fc.integer({ min: 1, max: 3 }),
    activation: fc.constantFrom('tanh', 'relu', 'identity'),
    loss: fc.constantFrom('mse', 'cross-entropy'),
    examples: fc.integer({ min: 1, max: 3 }),
    scale: fc.constantFrom(0.5, 1, 3),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .filter((p) => p.h - p.channels.length * (p.kernelSize - 1) >= 2 && p.w - p.channels.length * (p.kernelSize - 1) >= 2);

type Problem = {
  c0: number;
  h: number;
  w: number;
  kernelSize: number;
  channels: number[];
  outputs: number;
  activation: 'tanh' | 'relu' | 'identity';
  loss: 'mse' | 'cross-entropy';
  examples: number;
  scale: number;
  seed: number;
};

/** Loop-by-loop forward pass from the documented formulas; returns the outputs and min |hidden pre-activation|. */
function referenceForward(model: CnnModel, p: Problem, theta: Float64Array, x: number[]) {
  const { layout } = model;
  const k = layout.kernelSize;
  let a = x.slice();
  let minAbs = Infinity;
  for (const s of layout.conv) {
    const next: number[] = [];
    for (let o = 0; o < s.outChannels; o++) {
      for (let i = 0; i < s.outHeight; i++) {
        for (let j = 0; j < s.outWidth; j++) {
          let z = theta[s.biasOffset + o];
          for (let c = 0; c < s.inChannels; c++)
            for (let u = 0; u < k; u++)
              for (let v = 0; v < k; v++) z += theta[s.weightOffset + ((o * s.inChannels + c) * k + u) * k + v] * a[(c * s.inHeight + i + u) * s.inWidth + j + v];
          minAbs = Math.min(minAbs, Math.abs(z));
          next.push(p.activation === 'tanh' ? Math.tanh(z) : p.activation === 'relu' ? Math.max(z, 0) : z);
        }
      }
    }
    a = next;
  }
  const last = layout.conv[layout.conv.length - 1];
  const pooled: number[] = [];
  for (let o = 0; o < last.outChannels; o++)
    for (let i = 0; i < layout.pooledHeight; i++)
      for (let j = 0; j < layout.pooledWidth; j++) {
        const at = (r: number, c: number) => a[(o * last.outHeight + r) * last.outWidth + c];
        pooled.push((at(2 * i, 2 * j) + at(2 * i + 1, 2 * j) + at(2 * i, 2 * j + 1) + at(2 * i + 1, 2 * j + 1)) / 4);
      }
  const f = Array.from({ length: layout.outputs }, (_, c) =>
    pooled.reduce((s, q, m) => s + theta[layout.headWeightOffset + c * layout.features + m] * q, theta[layout.headBiasOffset + c]),
  );
  return { f, minAbs };
}

function build(p: Problem) {
  const outputs = p.loss === 'cross-entropy' ? Math.max(2, p.outputs) : p.outputs;
  const d = p.c0 * p.h * p.w;
  const r = rng(p.seed);
  const inputs = Array.from({ length: p.examples }, () => Array.from({ length: d }, () => r.normal()));
  const targets =
    p.loss === 'mse'
      ? inputs.map(() => Array.from({ length: outputs }, () => r.normal()))
      : inputs.map(() => {
          const w = Array.from({ length: outputs }, () => r.uniform());
          const s = w.reduce((a, b) => a + b, 0);
          return w.map((x) => x / s);
        });
  const options = { input: [p.c0, p.h, p.w] as [number, number, number], channels: p.channels, outputs, kernelSize: p.kernelSize, activation: p.activation, inputs };
  const model = create({ ...options, loss: p.loss, targets });
  const twin = create({ ...options, loss: 'mse', targets: inputs.map(() => new Array<number>(outputs).fill(0)) });
  const theta = init(model, { seed: p.seed, scale: p.scale });
  const v = r.fillNormal(new Float64Array(model.dim));
  const u = r.fillNormal(new Float64Array(model.dim));
  const refs = inputs.map((x) => referenceForward(model, p, theta, x));
  return { model, twin, theta, v, u, refs, outputs };
}

describe('CNN derivatives (properties)', () => {
  it('outputs match a loop-by-loop forward pass; gradient and HVP agree with finite differences (ReLU: away from kinks)', () => {
    fc.assert(
      fc.property(problem, (p) => {
        const { model, theta, v, refs, outputs } = build(p as Problem);
        const f = model.outputs(theta, new Float64Array(model.examples * outputs));
        refs.forEach((ref, i) => ref.f.forEach((y, c) => expect(Math.abs(f[i * outputs + c] - y)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(y)))));
        fc.pre(p.activation !== 'relu' || Math.min(...refs.map((x) => x.minAbs)) > 0.05);
        const g = checkGradient(model, theta);
        if (!g.pass) throw new Error(`gradient: max error ${g.maxError} > ${g.tolerance} at ${g.worstIndex}`);
        const h = checkHvp(model, theta, v);
        if (!h.pass) throw new Error(`hvp: max error ${h.maxError} > ${h.tolerance} at ${h.worstIndex}`);
      }),
      { numRuns: 150 },
    );
  });

  it('HVP equals the dense Hessian times v, and ⟨u, H v⟩ = ⟨H u, v⟩', () => {
    fc.assert(
      fc.property(problem, (p) => {
        const { model, twin, theta, v, u } = build(p as Problem);
        const n = model.dim;
        const H = model.hessian(theta);
        let scale = twin.hessian(theta).data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
        for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(H.data[i]));
        const hv = new Float64Array(n);
        const hu = new Float64Array(n);
        model.hvp(theta, v, hv);
        model.hvp(theta, u, hu);
        const vMax = Math.max(...Array.from(v, Math.abs));
        const uMax = Math.max(...Array.from(u, Math.abs));
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += H.data[i * n + j] * v[j];
          expect(Math.abs(s - hv[i])).toBeLessThanOrEqual(64 * n * EPS * 2 * scale * vMax + 1e-300);
        }
        let uhv = 0;
        let huv = 0;
        let mag = 0;
        for (let i = 0; i < n; i++) {
          uhv += u[i] * hv[i];
          huv += hu[i] * v[i];
          mag += Math.abs(u[i]) * Math.abs(hv[i]) + Math.abs(hu[i]) * Math.abs(v[i]);
        }
        expect(Math.abs(uhv - huv)).toBeLessThanOrEqual(64 * n * EPS * (mag + n * 2 * scale * uMax * vMax) + 1e-300);
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(Math.abs(H.data[i * n + j] - H.data[j * n + i])).toBeLessThanOrEqual(64 * n * EPS * 2 * scale + 1e-300);
      }),
      { numRuns: 100 },
    );
  });
});
