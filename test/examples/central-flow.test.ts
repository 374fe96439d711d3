/**
 * Smoke test of `npm run reproduce --quick --only central-flow`: the files are written, the figure is drawn, every
 * verdict agrees with its value and threshold, and the central flow's recorded points on ½(1 − xy)² have sharpness
 * 2/η after the entry — recomputed here from the closed form λ_max = m + √(d² + b²) of the 2 × 2 Hessian, not by
 * the library — and so do the MLP's (a dense eigen-decomposition of its full Hessian, not the flow's Lanczos).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { create as createMlp } from '../../src/models/mlp/index.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { quickRun } from './quick-run.js';

const quick = quickRun('central-flow');

interface Check {
  check: string;
  value: number;
  threshold: number;
  holds: boolean;
}

describe('example central-flow (quick)', () => {
  it('writes summary.json, traces.json and a drawn figure.svg', () => {
    quick.expectOutputs(['summary.json', 'traces.json', 'figure.svg'], { minPaths: 20 });
  });

  it('reports nine checks whose verdicts agree with their values and thresholds', () => {
    const summary = JSON.parse(readFileSync(join(quick.dir, 'summary.json'), 'utf8')) as { checks: Check[]; allHold: boolean };
    expect(summary.checks.length).toBe(9);
    for (const c of summary.checks) expect(c.holds).toBe(c.value <= c.threshold);
    expect(summary.allHold).toBe(summary.checks.every((c) => c.holds));
  });

  it('scalar factorization: the recorded central-flow points sit at λ_max = 2/η (closed form) after the entry', () => {
    const traces = JSON.parse(readFileSync(join(quick.dir, 'traces.json'), 'utf8')) as {
      learningRate: number;
      step: number[];
      cfTheta: number[][];
      events: { kind: string; gdStep: number }[];
    }[];
    const scalar = traces[0];
    const thr = 2 / scalar.learningRate;
    const enter = scalar.events.find((e) => e.kind === 'enter');
    expect(enter).toBeDefined();
    let checked = 0;
    for (let i = 0; i < scalar.step.length; i++) {
      if (scalar.step[i] <= enter!.gdStep + 1) continue;
      const [x, y] = scalar.cfTheta[i];
      const m = (x * x + y * y) / 2;
      const d = (y * y - x * x) / 2;
      const b = 2 * x * y - 1;
      const s = m + Math.hypot(d, b);
      expect(Math.abs(s / thr - 1)).toBeLessThanOrEqual(1e-8);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('MLP: the recorded central-flow points after the entry sit at λ_max = 2/η (dense eigensolver, 1e-8)', () => {
    const traces = JSON.parse(readFileSync(join(quick.dir, 'traces.json'), 'utf8')) as {
      learningRate: number;
      step: number[];
      cfTheta: number[][];
      events: { kind: string; gdStep: number }[];
    }[];
    const mlp = traces[2];
    const thr = 2 / mlp.learningRate;
    const model = createMlp({ layers: [1, 16, 16, 1], activation: 'tanh', loss: 'mse', data: { dataset: 'chebyshev', points: 20, degree: 4 } });
    const enter = mlp.events.find((e) => e.kind === 'enter');
    expect(enter).toBeDefined();
    let checked = 0;
    for (let i = 0; i < mlp.step.length; i++) {
      if (mlp.step[i] <= enter!.gdStep + 1) continue;
      const H = model.hessian(Float64Array.from(mlp.cfTheta[i]));
      const p = model.dim;
      const dense = new Float64Array(p * p);
      for (let r = 0; r < p; r++) for (let c = 0; c < p; c++) dense[r * p + c] = 0.5 * (H.get(r, c) + H.get(c, r));
      const values = symmetricEigen(ndarray(dense, [p, p])).values;
      const top = Math.max(...values);
      expect(Math.abs(top / thr - 1)).toBeLessThanOrEqual(1e-8);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });
});
