/**
 * Smoke test of `npm run reproduce --quick --only optimizers-eos`: files written, thresholds equal their closed forms,
 * the traces are those of the stated optimizers (first steps replayed by textbook loops written here), the last
 * recorded sharpness agrees with a dense eigensolve (λ_max(H), or λ(P⁻¹H) with the replayed Adam preconditioner), and
 * the verdicts follow from the traces (recomputed here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/core/registry.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { init, type MlpModel, type MlpSpec } from '../../src/models/mlp/index.js';
import { expectRelClose } from '../../src/testing/index.js';
import { quickRun } from './quick-run.js';

const NAME = 'optimizers-eos';
const quick = quickRun(NAME);

interface RunJson {
  name: string;
  optimizer: { kind: string; momentum?: number; beta1?: number; beta2?: number; epsilon?: number };
  learningRate: number;
  threshold: number;
  finalTheta: number[];
  lateFractionInBand: number;
  lateMaxRatio: number;
  initialRatio: number;
  reachedAt: number | null;
  reproduces: { risesToThreshold: boolean; hoversAtThreshold: boolean };
}
interface Summary {
  settings: { initSeed: number; steps: number; lateFrom: number; band: number; minFractionInBand: number; maxLateRatio: number };
  spec: MlpSpec;
  runs: RunJson[];
}
const summary = (): Summary => JSON.parse(readFileSync(join(quick.dir, 'summary.json'), 'utf8'));
const traces = (): { runs: { loss: number[]; sharpnessStep: number[]; sharpness: number[] }[] } => JSON.parse(readFileSync(join(quick.dir, 'traces.json'), 'utf8'));

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes its files; prints a verdict for both claims', () => {
    quick.expectOutputs(['figure.svg', 'loss.svg', 'sharpness-ratio.svg', 'summary.json', 'traces.json'], { minPaths: 2 });
    const text = quick.lines.join('\n');
    expect(text).toMatch(/rises to its own threshold: /);
    expect(text).toMatch(/hovers at its own threshold: /);
  });

  it('thresholds are the closed forms 2/η, (2 + 2β)/η and (2 + 2β₁)/((1 − β₁)η)', () => {
    for (const r of summary().runs) {
      const eta = r.learningRate;
      const expected = r.optimizer.kind === 'gd' ? 2 / eta : r.optimizer.kind === 'heavy-ball' ? (2 + 2 * r.optimizer.momentum!) / eta : (2 + 2 * r.optimizer.beta1!) / ((1 - r.optimizer.beta1!) * eta);
      expectRelClose(r.threshold, expected, { rel: 1e-15, label: r.name });
    }
  });

  it('the recorded losses are the optimizers’ (first 30 steps replayed by textbook loops) and the final sharpness matches a dense eigensolve', () => {
    const s = summary();
    const t = traces();
    const model = createModel(s.spec) as MlpModel;
    for (const [j, r] of s.runs.entries()) {
      const theta = init(model, { seed: s.settings.initSeed });
      const g = new Float64Array(model.dim);
      const m = new Float64Array(model.dim);
      const v = new Float64Array(model.dim);
      const o = r.optimizer;
      for (let k = 0; k < 30; k++) {
        const L = model.lossAndGrad(theta, g);
        // 1e-9 relative: textbook arithmetic order differs from the kernel's by a few roundings per step
        expectRelClose(t.runs[j].loss[k], L, { rel: 1e-9, label: `${r.name} loss at ${k}` });
        for (let i = 0; i < model.dim; i++) {
          if (o.kind === 'gd') theta[i] -= r.learningRate * g[i];
          else if (o.kind === 'heavy-ball') {
            m[i] = o.momentum! * m[i] + g[i];
            theta[i] -= r.learningRate * m[i];
          } else {
            m[i] = o.beta1! * m[i] + (1 - o.beta1!) * g[i];
            v[i] = o.beta2! * v[i] + (1 - o.beta2!) * g[i] * g[i];
          }
        }
        if (o.kind === 'adam') {
          const c1 = 1 - o.beta1! ** (k + 1);
          const c2 = 1 - o.beta2! ** (k + 1);
          for (let i = 0; i < model.dim; i++) theta[i] -= (r.learningRate * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + o.epsilon!);
        }
      }
    }
    // GD and heavy ball: the last recorded λ_max (at k = steps) against the dense Hessian at the final iterate.
    for (const [j, r] of s.runs.entries()) {
      if (r.optimizer.kind === 'adam') continue;
      const tr = t.runs[j];
      expect(tr.sharpnessStep[tr.sharpnessStep.length - 1]).toBe(s.settings.steps);
      const vals = symmetricEigen(model.hessian(Float64Array.from(r.finalTheta))).values;
      expectRelClose(tr.sharpness[tr.sharpness.length - 1], vals[vals.length - 1], { rel: 1e-6, label: `${r.name} final λ_max` });
    }
  });

  it('Adam’s recorded λ(P⁻¹H) at step 200 equals a dense non-symmetric eigensolve with the replayed preconditioner', () => {
    const s = summary();
    const t = traces();
    const model = createModel(s.spec) as MlpModel;
    const j = s.runs.findIndex((r) => r.optimizer.kind === 'adam');
    const r = s.runs[j];
    const o = r.optimizer;
    const K = 200;
    const idx = t.runs[j].sharpnessStep.indexOf(K);
    expect(idx).toBeGreaterThanOrEqual(0);
    const theta = init(model, { seed: s.settings.initSeed });
    const g = new Float64Array(model.dim);
    const m = new Float64Array(model.dim);
    const v = new Float64Array(model.dim);
    let p = new Float64Array(model.dim);
    let thetaK = theta;
    for (let k = 0; k <= K; k++) {
      model.lossAndGrad(theta, g);
      const c1 = 1 - o.beta1! ** (k + 1);
      const c2 = 1 - o.beta2! ** (k + 1);
      for (let i = 0; i < model.dim; i++) {
        m[i] = o.beta1! * m[i] + (1 - o.beta1!) * g[i];
        v[i] = o.beta2! * v[i] + (1 - o.beta2!) * g[i] * g[i];
      }
      if (k === K) {
        p = Float64Array.from(v, (vi) => Math.sqrt(vi / c2) + o.epsilon!);
        thetaK = Float64Array.from(theta);
        break;
      }
      for (let i = 0; i < model.dim; i++) theta[i] -= (r.learningRate * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + o.epsilon!);
    }
    const h = model.hessian(thetaK);
    const n = model.dim;
    const rows = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => h.data[a * n + b] / p[a]));
    const dense = Math.max(...new EigenvalueDecomposition(new Matrix(rows)).realEigenvalues);
    // Lanczos tol 1e-6 (relative residual) and a replay whose roundings differ: 1e-4 relative.
    expectRelClose(t.runs[j].sharpness[idx], dense, { rel: 1e-4, label: 'λ_max(P⁻¹H) at step 200' });
  });

  it('the verdicts follow from the traces (recomputed here)', () => {
    const s = summary();
    const t = traces();
    for (const [j, r] of s.runs.entries()) {
      const tr = t.runs[j];
      const ratios = tr.sharpness.map((x) => x / r.threshold);
      const late = ratios.filter((_, i) => tr.sharpnessStep[i] >= s.settings.lateFrom * s.settings.steps);
      const frac = late.filter((x) => Math.abs(x - 1) <= s.settings.band).length / late.length;
      expect(r.lateFractionInBand).toBeCloseTo(frac, 12);
      expect(r.reproduces.hoversAtThreshold).toBe(frac >= s.settings.minFractionInBand && Math.max(...late) <= s.settings.maxLateRatio);
      expect(r.reproduces.risesToThreshold).toBe(ratios[0] < 0.9 && ratios.some((x) => x >= 1));
    }
  });
});
