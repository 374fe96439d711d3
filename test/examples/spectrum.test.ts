/**
 * Smoke test of `npm run reproduce --quick --only spectrum`: the runner writes the files, the SVGs are well-formed,
 * and the JSON is checked against independent recomputations — θ at the checkpoints by a plain loop θ ← θ − η∇L,
 * the top-5 eigenvalues and the trace by the dense Hessian and a dense eigensolver (not Lanczos), the outlier and
 * bulk statistics from the SLQ nodes and weights, the density's normalization — and the claims hold in quick mode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { quickRun } from './quick-run.js';
import { createModel } from '../../src/core/registry.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { init, type MlpModel, type MlpSpec } from '../../src/models/mlp/index.js';
import { checkSvg } from './svg-check.js';

// The quick run (about 10 s alone) runs in quickRun's beforeAll: allow for a loaded machine.
vi.setConfig({ hookTimeout: 180_000 });

const NAME = 'spectrum';
const quick = quickRun(NAME);
const dir = quick.dir;

interface CheckpointJson {
  label: string;
  step: number;
  topEigenvalues: number[];
  hutchinson: { estimate: number; standardError: number };
  outlierCount: number;
  bulkQuantile: number;
  dense: { trace: number; lambdaMax: number } | null;
}
interface SummaryJson {
  settings: { initSeed: number; learningRate: number; steps: number; topK: number; topKEvery: number };
  thresholds: { outlierFraction: number; bulkQuantile: number };
  spec: MlpSpec;
  dim: number;
  onsetStep: number | null;
  checkpoints: CheckpointJson[];
  claims: { claim: string; holds: boolean; numbers: string }[];
}
interface SpectraJson {
  checkpoints: { label: string; step: number; grid: number[]; density: number[]; nodes: number[]; weights: number[] }[];
  topK: { k: number; step: number[]; values: number[]; updateProjection: number[] };
  alignment: { step: number[]; cosine: (number | null)[] };
  trace: { step: number[]; estimate: number[]; standardError: number[] };
}

const summary = (): SummaryJson => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const spectra = (): SpectraJson => JSON.parse(readFileSync(join(dir, 'spectra.json'), 'utf8'));

/** θ_k by plain GD from the example's initialization. */
function replay(model: MlpModel, s: SummaryJson, steps: number): Float64Array {
  const theta = init(model, { seed: s.settings.initSeed });
  const g = new Float64Array(model.dim);
  for (let k = 0; k < steps; k++) {
    model.lossAndGrad(theta, g);
    for (let i = 0; i < theta.length; i++) theta[i] -= s.settings.learningRate * g[i];
  }
  return theta;
}

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes the JSON and well-formed SVG files', () => {
    quick.expectOutputs(['alignment.svg', 'density.svg', 'figure.svg', 'loss.svg', 'spectra.json', 'summary.json', 'top-k.svg', 'trace.svg'], { minPaths: 3 });
    const figure = checkSvg(readFileSync(join(dir, 'figure.svg'), 'utf8'));
    for (const t of ['(a) Hessian spectral density (SLQ, Gaussian broadening)', '(c) Hessian trace along training', '2/η = 10']) expect(figure.texts).toContain(t);
  });

  it('the top-5 records and the trace at the checkpoints agree with the dense Hessian of the replayed iterates', () => {
    const s = summary();
    const model = createModel(s.spec) as MlpModel;
    const sp = spectra();
    const k = sp.topK.k;
    for (const c of s.checkpoints) {
      const theta = replay(model, s, c.step);
      const values = symmetricEigen(model.hessian(theta)).values;
      const p = values.length;
      const j = sp.topK.step.indexOf(c.step);
      expect(j).toBeGreaterThanOrEqual(0);
      // Lanczos tol 1e-8 (relative residual): eigenvalue errors ≲ tol·λ₁ when the top eigenvalues are separated.
      for (let i = 0; i < k; i++) expect(Math.abs(sp.topK.values[j * k + i] - values[p - 1 - i])).toBeLessThan(1e-6 * values[p - 1]);
      const trace = values.reduce((a, b) => a + b, 0);
      expect(c.dense!.trace).toBeCloseTo(trace, 8);
      // Hutchinson with 30 probes: within 4 of its standard errors of the exact trace.
      expect(Math.abs(c.hutchinson.estimate - trace)).toBeLessThanOrEqual(4 * c.hutchinson.standardError);
    }
  });

  it('the onset is the first top-k record with λ₁ ≥ 2/η, and the statistics follow from the SLQ nodes and weights', () => {
    const s = summary();
    const sp = spectra();
    const k = sp.topK.k;
    const limit = 2 / s.settings.learningRate;
    const first = sp.topK.step.findIndex((_, j) => sp.topK.values[j * k] >= limit);
    expect(s.onsetStep).toBe(sp.topK.step[first]);
    for (const [i, c] of sp.checkpoints.entries()) {
      const sc = s.checkpoints[i];
      const lambda1 = sc.topEigenvalues[0];
      let mass = 0;
      let total = 0;
      c.nodes.forEach((x, j) => {
        total += c.weights[j];
        if (x > s.thresholds.outlierFraction * lambda1) mass += c.weights[j];
      });
      expect(total).toBeCloseTo(1, 10);
      expect(sc.outlierCount).toBeCloseTo(s.dim * mass, 10);
      // The bulk quantile: mass of |λ| ≤ q is ≥ the quantile level, and of |λ| < q below it.
      const below = c.nodes.reduce((m, x, j) => m + (Math.abs(x) < sc.bulkQuantile ? c.weights[j] : 0), 0);
      const atOrBelow = c.nodes.reduce((m, x, j) => m + (Math.abs(x) <= sc.bulkQuantile ? c.weights[j] : 0), 0);
      expect(below).toBeLessThan(s.thresholds.bulkQuantile);
      expect(atOrBelow).toBeGreaterThanOrEqual(s.thresholds.bulkQuantile - 1e-12);
      // The broadened density integrates to ≈ 1 over the common grid (trapezoid rule; the grid extends 5% of the
      // spectral spread beyond the extreme eigenvalues, many σ = 1% of the node spread).
      const h = c.grid[1] - c.grid[0];
      let integral = 0;
      for (let g = 0; g + 1 < c.grid.length; g++) integral += (h * (c.density[g] + c.density[g + 1])) / 2;
      expect(Math.abs(integral - 1)).toBeLessThan(1e-3);
    }
  });

  it('the update projection at the onset is ⟨θ_{s+1} − θ_s, v₁⟩ with v₁ from the dense eigensolver, and the cosine follows', () => {
    const s = summary();
    const sp = spectra();
    const model = createModel(s.spec) as MlpModel;
    const onset = s.onsetStep!;
    const before = replay(model, s, onset);
    const after = replay(model, s, onset + 1);
    const H = model.hessian(before);
    const { values, vectors } = symmetricEigen(H);
    const p = values.length;
    let proj = 0;
    for (let i = 0; i < p; i++) proj += vectors.get(i, p - 1) * (after[i] - before[i]);
    const j = sp.topK.step.indexOf(onset);
    // v₁ from Lanczos (tol 1e-8) is within angle ~tol·λ₁/gap of the dense one; the step has norm η‖∇L‖.
    const g = new Float64Array(p);
    model.lossAndGrad(before, g);
    const stepNorm = s.settings.learningRate * Math.sqrt(g.reduce((a, x) => a + x * x, 0));
    const gap = values[p - 1] - values[p - 2];
    expect(Math.abs(Math.abs(sp.topK.updateProjection[j]) - Math.abs(proj))).toBeLessThanOrEqual(stepNorm * (1e-8 * values[p - 1]) / gap * 10 + 1e-15);
    expect(sp.alignment.cosine[j]).toBeCloseTo(Math.abs(proj) / stepNorm, 6);
  });

  it('the claims hold in quick mode: EoS reached, a few outliers above a separated bulk, the trace rising', () => {
    const s = summary();
    for (const c of s.claims) expect(c.holds, `${c.claim}: ${c.numbers}`).toBe(true);
    expect(s.checkpoints.map((c) => c.label)).toEqual(['initialization', 'onset of EoS', 'end']);
  });
});
