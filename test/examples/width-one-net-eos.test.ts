/**
 * Smoke test of `npm run reproduce --quick --only width-one-net-eos`: the runner writes the files, the SVGs are
 * well-formed, and the numbers in the JSON agree with [Minimalist EoS]'s model and claims recomputed here from closed forms
 * (docs/math.md §3: loss terms, the 3×3 Hessian's top eigenvalue by the trigonometric formula, the GFS from the balance, the
 * predicted rate (1 − 2λ₂/λ₁)², the GD update) — not from the library.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickRun } from './quick-run.js';
import { expectRelClose } from '../../src/testing/index.js';
import { checkSvg } from './svg-check.js';

const NAME = 'width-one-net-eos';
const quick = quickRun(NAME);
const dir = quick.dir;
const lines = quick.lines;

interface Trace {
  step: number[];
  alpha: number[];
  betaOne: number[];
  betaTwo: number[];
  loss: number[];
  oscillatory: number[];
  convergence: number[];
  sharpness: number[];
  gfsSharpness: number[];
  clipped: number[];
}
interface RunJson {
  learningRate: number;
  threshold: number;
  clipConstant: number;
  firstEdgeStep: number | null;
  cycles: { count: number; band: number };
  convergenceRate: { from: number; to: number; gd: number; projected: number; predicted: number };
  limitingSharpness: { final: number };
}
interface SummaryJson {
  settings: { varianceIrrelevant: number; varianceRelevant: number; start: number[]; steps: number; cycleBand: number; minCycles: number; clip: { fraction: number } };
  gradientFlowSolution: { alphaSquared: number; sharpness: number; balance: number; theta: number[] | null };
  gradientFlow: { distanceToSolution: number };
  runs: RunJson[];
  unclipped: { status: string; alphaCollapse: { min: number; minStep: number } | null };
  search: { clip: string; cycles: number; status: string }[];
  replayGap: number;
}
interface TracesJson {
  stride: number;
  runs: { learningRate: number; trace: Trace; projectedConvergence: number[] }[];
  unclipped: { trace: Trace };
}

/** λ_max of a symmetric 3×3 matrix by the trigonometric closed form (Smith 1961), independent of the eigensolver. */
function lambdaMax3(H: number[][]): number {
  const p1 = H[0][1] ** 2 + H[0][2] ** 2 + H[1][2] ** 2;
  const q = (H[0][0] + H[1][1] + H[2][2]) / 3;
  const p2 = (H[0][0] - q) ** 2 + (H[1][1] - q) ** 2 + (H[2][2] - q) ** 2 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  if (p === 0) return q;
  const B = H.map((row, i) => row.map((v, j) => (v - (i === j ? q : 0)) / p));
  const det = B[0][0] * (B[1][1] * B[2][2] - B[1][2] * B[2][1]) - B[0][1] * (B[1][0] * B[2][2] - B[1][2] * B[2][0]) + B[0][2] * (B[1][0] * B[2][1] - B[1][1] * B[2][0]);
  const phi = Math.acos(Math.max(-1, Math.min(1, det / 2))) / 3;
  return q + 2 * p * Math.cos(phi);
}

const summary = (): SummaryJson => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const traces = (): TracesJson => JSON.parse(readFileSync(join(dir, 'traces.json'), 'utf8'));

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes the JSON and well-formed SVG files, with no renderer warnings', () => {
    quick.expectOutputs([
      'convergence-rate.svg',
      'figure.svg',
      'gfs-sharpness.svg',
      'loss.svg',
      'parameters-eta-12.svg',
      'parameters-eta-6.svg',
      'parameters-eta-8.svg',
      'path-alpha-beta1.svg',
      'path-alpha-beta2.svg',
      'sharpness.svg',
      'summary.json',
      'traces.json',
      'unclipped.svg',
    ], { minPaths: 3 });
    const figure = checkSvg(readFileSync(join(dir, 'figure.svg'), 'utf8'));
    for (const t of ['GD η = 8', 'gradient flow', 'αβ₂ = 1', '2/η = 0.25', 'projected GD η = 8']) expect(figure.texts).toContain(t);
    expect(lines.join('\n')).toMatch(/η = 8 \(2\/η = 0\.25\).*repeated cycles REPRODUCED/);
    expect(summary().replayGap).toBe(0);
  });

  it('the traces follow the model: loss terms, λ_max (3×3 closed form) and GFS sharpness recomputed from θ_k', () => {
    const s = summary();
    const { varianceIrrelevant: l1, varianceRelevant: l2 } = s.settings;
    const t = traces();
    expect(t.stride).toBe(1);
    for (const r of t.runs) {
      const tr = r.trace;
      expect(tr.alpha.length).toBe(s.settings.steps + 1);
      for (let k = 0; k < tr.alpha.length; k += 7) {
        const [a, b1, b2] = [tr.alpha[k], tr.betaOne[k], tr.betaTwo[k]];
        const osc = 0.5 * l1 * a * a * b1 * b1;
        const conv = 0.5 * l2 * (a * b2 - 1) ** 2;
        expectRelClose(tr.oscillatory[k], osc, { rel: 1e-14, abs: 1e-300 });
        expectRelClose(tr.convergence[k], conv, { rel: 1e-12, abs: 1e-300 });
        expectRelClose(tr.loss[k], osc + conv, { rel: 1e-12, abs: 1e-300 });
        const H = [
          [l1 * b1 * b1 + l2 * b2 * b2, 2 * l1 * a * b1, l2 * (2 * a * b2 - 1)],
          [2 * l1 * a * b1, l1 * a * a, 0],
          [l2 * (2 * a * b2 - 1), 0, l2 * a * a],
        ];
        expectRelClose(tr.sharpness[k], lambdaMax3(H), { rel: 1e-9, label: `λ_max at step ${k}, η = ${r.learningRate}` });
        const c = a * a - b1 * b1 - b2 * b2;
        const a2 = (c + Math.sqrt(c * c + 4)) / 2;
        expectRelClose(tr.gfsSharpness[k], Math.max(l1 * a2, l2 * Math.sqrt(c * c + 4)), { rel: 1e-9 });
      }
    }
    // The GFS of θ₀ and the flow's end point.
    const [a0, b10, b20] = s.settings.start;
    const c0 = a0 * a0 - b10 * b10 - b20 * b20;
    const a2 = (c0 + Math.sqrt(c0 * c0 + 4)) / 2;
    expectRelClose(s.gradientFlowSolution.alphaSquared, a2, { rel: 1e-14 });
    expectRelClose(s.gradientFlowSolution.theta as number[], [Math.sqrt(a2), 0, 1 / Math.sqrt(a2)], { rel: 1e-14 });
    expect(s.gradientFlow.distanceToSolution).toBeLessThan(1e-6);
  });

  it('each step is GD on the β’s and GD or the floor C = 0.9·√(2/(ηλ₁)) on α', () => {
    const s = summary();
    const { varianceIrrelevant: l1, varianceRelevant: l2 } = s.settings;
    for (const r of traces().runs) {
      const eta = r.learningRate;
      const C = s.settings.clip.fraction * Math.sqrt(2 / (eta * l1));
      const { alpha, betaOne, betaTwo } = r.trace;
      for (let k = 0; k + 1 < alpha.length; k++) {
        const [a, b1, b2] = [alpha[k], betaOne[k], betaTwo[k]];
        const q = a * b2 - 1;
        const tol = (x: number) => 8 * Number.EPSILON * (Math.abs(x) + 1);
        expect(Math.abs(betaOne[k + 1] - (b1 - eta * l1 * a * a * b1))).toBeLessThanOrEqual(tol(b1) * (1 + eta * l1 * a * a));
        expect(Math.abs(betaTwo[k + 1] - (b2 - eta * l2 * a * q))).toBeLessThanOrEqual(tol(b2) * (1 + eta * l2 * Math.abs(a)));
        const gd = a - eta * (l1 * a * b1 * b1 + l2 * b2 * q);
        const next = alpha[k + 1];
        const expected = gd >= C || a < C ? (a < C && gd < a ? a : gd) : C; // the floor stops the move toward 0 at C
        expect(Math.abs(next - expected), `α step ${k}, η = ${eta}`).toBeLessThanOrEqual(tol(a) * (1 + eta));
      }
    }
  });

  it('repeated cycles around 2/η, recounted from the trace; the rates match (1 − 2λ₂/λ₁)²', () => {
    const s = summary();
    const band = s.settings.cycleBand;
    const t = traces();
    s.runs.forEach((r, i) => {
      const tau = 2 / r.learningRate;
      expectRelClose(r.threshold, tau, { rel: 1e-15 });
      let n = 0;
      let above = false;
      for (const x of t.runs[i].trace.sharpness) {
        if (!above && x > (1 + band) * tau) above = true;
        else if (above && x < (1 - band) * tau) {
          above = false;
          n++;
        }
      }
      expect(r.cycles.count).toBe(n);
      expect(n, `η = ${r.learningRate}`).toBeGreaterThanOrEqual(s.settings.minCycles);
      const rho = 1 - (2 * s.settings.varianceRelevant) / s.settings.varianceIrrelevant;
      expectRelClose(r.convergenceRate.predicted, rho * rho, { rel: 1e-15 });
      // Projected GD: its convergence term, read from the trace, shrinks by ρ² per step once α is capped.
      const pc = t.runs[i].projectedConvergence;
      for (let k = 300; k < 310; k++) expectRelClose(pc[k + 1] / pc[k], rho * rho, { rel: 1e-9 });
      // GD's fitted rate: within 5% of the predicted one in −ln (the fit window starts with the cycles).
      expect(Math.abs(Math.log(r.convergenceRate.gd) / Math.log(rho * rho) - 1)).toBeLessThan(0.05);
    });
  });

  it('unclipped GD: α collapses toward 0 (App. F) and the run stops as diverged; the search table is complete', () => {
    const s = summary();
    expect(s.unclipped.status).toBe('diverged');
    expect(s.unclipped.alphaCollapse?.min).toBeLessThan(0.1);
    const un = traces().unclipped.trace;
    expect(Math.min(...un.alpha.slice(0, 200))).toBe(s.unclipped.alphaCollapse?.min);
    expect(s.search.map((r) => r.clip)).toEqual(['no clip', '|α| ≥ 0.9·√(2/(ηλ₁))']);
    expect(s.search[0].status).toBe('diverged');
    expect(s.search[1].cycles).toBe(s.runs[0].cycles.count); // the same run as the main η = 8 setting
  });
});
