/**
 * Smoke test of `npm run reproduce --quick --only mlp-eos`: the runner writes the files, the SVGs are well-formed,
 * and the JSON is checked against independent recomputations — the statistics from the traces (recomputed here),
 * the first GD steps by a plain loop θ ← θ − η∇L, λ_max at θ₀ and at the final iterate by the dense Hessian and a
 * dense eigensolver (not Lanczos) — and the edge-of-stability claims hold at η = 0.2 and 0.3.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickRun } from './quick-run.js';
import { createModel } from '../../src/core/registry.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { init, type MlpModel, type MlpSpec } from '../../src/models/mlp/index.js';
import { expectRelClose } from '../../src/testing/index.js';
import { checkSvg } from './svg-check.js';

const NAME = 'mlp-eos';
const quick = quickRun(NAME);
const dir = quick.dir;
const lines = quick.lines;

interface RunJson {
  learningRate: number;
  stabilityLimit: number;
  status: string;
  steps: number;
  finalLoss: number;
  initialRatio: number;
  progressiveSharpeningStep: number | null;
  lateMaxRatio: number;
  lateFractionInBand: number;
  lossIncreasesBeforeEdge: number;
  lossIncreasesAfterEdge: number;
  reproduces: { progressiveSharpening: boolean; hoversAtEdge: boolean; nonMonotoneLoss: boolean; lossKeepsFalling: boolean };
  finalTheta: number[];
}
interface SummaryJson {
  settings: { initSeed: number; steps: number; sharpnessEvery: number; lateFrom: number; band: number; learningRates: number[] };
  spec: MlpSpec;
  dim: number;
  initialSharpness: number;
  runs: RunJson[];
}
interface TracesJson {
  runs: { learningRate: number; step: number[]; loss: number[]; sharpnessStep: number[]; sharpness: number[] }[];
}

const summary = (): SummaryJson => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const traces = (): TracesJson => JSON.parse(readFileSync(join(dir, 'traces.json'), 'utf8'));

function denseLambdaMax(model: MlpModel, theta: Float64Array): number {
  const v = symmetricEigen(model.hessian(theta)).values;
  return v[v.length - 1];
}

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes the JSON and well-formed SVG files, with no renderer warnings', () => {
    quick.expectOutputs(['figure.svg', 'loss.svg', 'sharpness-normalized.svg', 'sharpness.svg', 'summary.json', 'traces.json'], { minPaths: 3 });
    const figure = checkSvg(readFileSync(join(dir, 'figure.svg'), 'utf8'));
    for (const t of ['(a) training loss', 'GD η = 0.2', '2/η = 10']) expect(figure.texts).toContain(t);
    expect(lines.join('\n')).toMatch(/hovering at 2\/η .*: reproduces at η = .*0\.2, 0\.3/);
  });

  it('the traces are GD’s: the first 40 steps replayed by θ ← θ − η∇L(θ) give the same losses, bit for bit', () => {
    const s = summary();
    const model = createModel(s.spec) as MlpModel;
    const t = traces();
    for (const tr of t.runs) {
      const theta = init(model, { seed: s.settings.initSeed });
      const g = new Float64Array(model.dim);
      for (let k = 0; k < 40; k++) {
        expect(tr.step[k]).toBe(k);
        expect(model.lossAndGrad(theta, g)).toBe(tr.loss[k]);
        for (let i = 0; i < theta.length; i++) theta[i] -= tr.learningRate * g[i];
      }
    }
  });

  it('λ_max at θ₀ and at each final iterate agree with the dense Hessian’s largest eigenvalue', () => {
    const s = summary();
    const model = createModel(s.spec) as MlpModel;
    expect(model.dim).toBe(s.dim);
    // Lanczos stops at relative residual 1e-6; its eigenvalue error is ~tol²·λ²/gap, far below 1e-6 relative.
    expectRelClose(s.initialSharpness, denseLambdaMax(model, init(model, { seed: s.settings.initSeed })), { rel: 1e-6, label: 'λ_max(θ₀)' });
    const t = traces();
    for (const [i, r] of s.runs.entries()) {
      const theta = Float64Array.from(r.finalTheta);
      expect(r.status).toBe('max-steps');
      expectRelClose(r.finalLoss, model.loss(theta), { rel: 1e-15, label: `final loss, η = ${r.learningRate}` });
      const tr = t.runs[i];
      expect(tr.sharpnessStep[tr.sharpnessStep.length - 1]).toBe(s.settings.steps);
      expectRelClose(tr.sharpness[tr.sharpness.length - 1], denseLambdaMax(model, theta), { rel: 1e-6, label: `final λ_max, η = ${r.learningRate}` });
    }
  });

  it('the reported statistics match the traces (recomputed here)', () => {
    const s = summary();
    const t = traces();
    for (const [i, r] of s.runs.entries()) {
      const tr = t.runs[i];
      const limit = 2 / tr.learningRate;
      const edgeAt = tr.sharpness.findIndex((x) => x >= limit);
      const edgeStep = edgeAt < 0 ? null : tr.sharpnessStep[edgeAt];
      expect(r.progressiveSharpeningStep).toBe(edgeStep);
      const late = tr.sharpness.filter((_, j) => tr.sharpnessStep[j] >= s.settings.lateFrom * s.settings.steps).map((x) => x / limit);
      expect(r.lateFractionInBand).toBeCloseTo(late.filter((x) => Math.abs(x - 1) <= s.settings.band).length / late.length, 12);
      expect(r.lateMaxRatio).toBe(Math.max(...late));
      let before = 0;
      let after = 0;
      for (let k = 0; k + 1 < tr.loss.length; k++) {
        if (tr.loss[k + 1] > tr.loss[k]) {
          if (edgeStep !== null && k >= edgeStep) after++;
          else before++;
        }
      }
      expect([r.lossIncreasesBeforeEdge, r.lossIncreasesAfterEdge]).toEqual([before, after]);
    }
  });

  it('Cohen et al.’s picture at η = 0.2 and 0.3: sharpening from below 2/η, hovering, loss falling non-monotonically', () => {
    for (const r of summary().runs.filter((x) => x.learningRate >= 0.2)) {
      expect(r.initialRatio).toBeLessThan(0.9);
      expect(r.progressiveSharpeningStep).not.toBeNull();
      expect(r.lateFractionInBand).toBeGreaterThanOrEqual(0.8);
      expect(r.lossIncreasesAfterEdge).toBeGreaterThan(0);
      expect(r.lossIncreasesBeforeEdge).toBe(0); // the stable phase descends monotonically
      expect(Object.values(r.reproduces).every(Boolean)).toBe(true);
    }
  });
});
