/**
 * Smoke test of `npm run reproduce --quick --only scalar-factorization-gd`: the runner writes the files, the SVGs
 * are well-formed, and the numbers in the JSON agree with [Scalar factorization]'s theory, recomputed here from closed forms
 * (not from the library).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickRun } from './quick-run.js';
import { expectRelClose } from '../../src/testing/index.js';
import { checkSvg } from './svg-check.js';

const NAME = 'scalar-factorization-gd';
const quick = quickRun(NAME);
const dir = quick.dir;
const lines = quick.lines;

interface RunJson {
  learningRate: number;
  stabilityLimit: number;
  status: string;
  steps: number;
  theta: [number, number];
  finalSharpness: number;
  belowStabilityLimit: boolean;
  edgeOfStability: { lateFrom: number | null; medianDistance: number | null; nearEdge: boolean };
}
interface SummaryJson {
  start: [number, number];
  imbalance: number;
  gradientFlowSolution: { theta: [number, number]; sharpness: number };
  gradientFlow: { status: string; theta: [number, number] };
  runs: RunJson[];
}
interface TracesJson {
  runs: { learningRate: number; x: number[]; y: number[]; step: number[]; loss: number[]; sharpnessStep: number[]; sharpness: number[] }[];
  gradientFlow: { time: number[]; x: number[]; y: number[] };
}

/** λ_max of the Hessian [[y², 2xy − 1], [2xy − 1, x²]] of ½(1 − xy)² (docs/math.md §1), by the 2 × 2 closed form. */
function lambdaMax(x: number, y: number): number {
  const a = y * y;
  const c = x * x;
  const b = 2 * x * y - 1;
  return (a + c) / 2 + Math.hypot((a - c) / 2, b);
}

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes the JSON and well-formed SVG files, with no renderer warnings', () => {
    quick.expectOutputs(['figure.svg', 'loss.svg', 'paths-close-up.svg', 'paths.svg', 'sharpness.svg', 'summary.json', 'traces.json'], { minPaths: 3 });
    const figure = checkSvg(readFileSync(join(dir, 'figure.svg'), 'utf8'));
    for (const t of ['(a) loss', 'GD η = 0.95', 'gradient flow', 'xy = 1', '2/η = 2.105']) expect(figure.texts).toContain(t);
    expect(lines.join('\n')).toMatch(/η = 0\.95: converged/);
  });

  const summary = (): SummaryJson => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const traces = (): TracesJson => JSON.parse(readFileSync(join(dir, 'traces.json'), 'utf8'));

  it('reports the gradient-flow solution of docs/math.md §1 and a flow that reaches it', () => {
    const s = summary();
    const [x0, y0] = s.start;
    const delta = x0 * x0 - y0 * y0;
    // x∞² = (δ + √(δ² + 4))/2 for δ > 0, y∞ = 1/x∞, signs kept (x₀, y₀ > 0); s_GFS = √(δ² + 4).
    const xInf = Math.sqrt((delta + Math.sqrt(delta * delta + 4)) / 2);
    expectRelClose(s.gradientFlowSolution.sharpness, Math.sqrt(delta * delta + 4), { rel: 1e-12, label: 's_GFS' });
    expectRelClose(s.gradientFlowSolution.theta, [xInf, 1 / xInf], { rel: 1e-12, label: 'GFS point' });
    // RK4 stopped at loss ≤ 1e-18, i.e. |xy − 1| ≤ 1.5e-9 near the GFS; the flow's O(dt⁴) drift is far smaller.
    expect(s.gradientFlow.status).toBe('converged');
    expectRelClose(s.gradientFlow.theta, [xInf, 1 / xInf], { rel: 1e-6, label: 'GF end point' });
    // The start shows the phenomenon: s_GFS exceeds 2/η for η = 0.5 and 0.95, not for η = 0.1.
    expect(s.runs.map((r) => Math.sqrt(delta * delta + 4) > 2 / r.learningRate)).toEqual([false, true, true]);
  });

  it('every converged run ends at sharpness ≤ 2/η, and the λ_max trace matches the 2 × 2 closed form', () => {
    const s = summary();
    const t = traces();
    expect(s.runs.map((r) => r.learningRate)).toEqual([0.1, 0.5, 0.95]);
    for (const [i, r] of s.runs.entries()) {
      expect(r.status).toBe('converged');
      const [x, y] = r.theta;
      expectRelClose(r.finalSharpness, lambdaMax(x, y), { rel: 1e-10, label: `final λ_max, η = ${r.learningRate}` });
      // Stability ([Scalar factorization]): the limit has sharpness ≤ 2/η; at loss ≤ 1e-18 λ_max is within ~1e-8 of the limit's.
      expect(r.finalSharpness, `η = ${r.learningRate}`).toBeLessThanOrEqual(r.stabilityLimit * (1 + 1e-6));
      expect(r.belowStabilityLimit).toBe(true);
      const tr = t.runs[i];
      expect(tr.x.length).toBe(r.steps + 1);
      expect([tr.x[tr.x.length - 1], tr.y[tr.y.length - 1]]).toEqual(r.theta);
      for (let j = 0; j < tr.sharpnessStep.length; j += 7) {
        const k = tr.sharpnessStep[j];
        expectRelClose(tr.sharpness[j], lambdaMax(tr.x[k], tr.y[k]), { rel: 1e-10, label: `λ_max at step ${k}, η = ${r.learningRate}` });
      }
      for (let j = 0; j < tr.step.length; j += 5) {
        const k = tr.step[j];
        const p = 1 - tr.x[k] * tr.y[k];
        expectRelClose(tr.loss[j], 0.5 * p * p, { rel: 1e-9, abs: 1e-30, label: `loss at step ${k}, η = ${r.learningRate}` });
      }
    }
  });

  it('final sharpness follows the GD imbalance recurrence; η = 0.1 stays within 1% of s_GFS', () => {
    const s = summary();
    const t = traces();
    for (const [i, r] of s.runs.entries()) {
      const { x, y, learningRate: eta } = t.runs[i];
      // x'² − y'² = (x² − y²)(1 − η²(xy − 1)²) (docs/math.md §1), iterated along the path; at the limit on xy = 1 the
      // sharpness is √(δ_∞² + 4). Tolerance: ~steps·ε from the product, plus |xy − 1| ≤ 1.5e-9 at the stop.
      let d = x[0] * x[0] - y[0] * y[0];
      for (let k = 0; k + 1 < x.length; k++) {
        const p = x[k] * y[k] - 1;
        d *= 1 - eta * eta * p * p;
      }
      expectRelClose(r.finalSharpness, Math.sqrt(d * d + 4), { rel: 1e-7, label: `recurrence, η = ${eta}` });
    }
    const gfs = s.gradientFlowSolution.sharpness;
    expectRelClose(s.runs[0].finalSharpness, gfs, { rel: 0.01, label: 'η = 0.1 vs s_GFS' });
    // Large η: a flatter minimizer than gradient flow's.
    expect(s.runs[1].finalSharpness).toBeLessThan(0.95 * gfs);
    expect(s.runs[2].finalSharpness).toBeLessThan(0.95 * gfs);
  });

  it('η = 0.95 spends its late phase near the edge of stability ([Scalar factorization] criterion, recomputed)', () => {
    const s = summary();
    const { x, y } = traces().runs[2];
    const eta = 0.95;
    const gap0 = Math.abs(x[0] * y[0] - 1);
    const late = x.findIndex((_, k) => Math.abs(x[k] * y[k] - 1) < 0.01 * gap0);
    expect(late).toBeGreaterThan(0);
    const dist = x.slice(late).map((_, j) => Math.abs(eta * (x[late + j] ** 2 + y[late + j] ** 2) - 2)).sort((a, b) => a - b);
    const m = dist.length >> 1;
    const med = dist.length % 2 ? dist[m] : (dist[m - 1] + dist[m]) / 2;
    expect(med).toBeLessThan(0.1);
    expect(s.runs[2].edgeOfStability.lateFrom).toBe(late);
    expectRelClose(s.runs[2].edgeOfStability.medianDistance ?? NaN, med, { rel: 1e-12, label: 'median |ηs − 2|' });
    expect(s.runs[2].edgeOfStability.nearEdge).toBe(true);
    // η = 0.1 is nowhere near it (η s ≈ 0.41).
    expect(s.runs[0].edgeOfStability.nearEdge).toBe(false);
  });
});
