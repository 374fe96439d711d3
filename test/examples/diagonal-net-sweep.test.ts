/**
 * Smoke test of `npm run reproduce --quick --only diagonal-net-sweep`: the runner writes the files, the SVGs are
 * well-formed, and the numbers in the JSON agree with [Conflicting biases]'s theory recomputed here from closed forms (not from
 * the library).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickRun } from './quick-run.js';
import { expectRelClose } from '../../src/testing/index.js';
import { checkSvg } from './svg-check.js';

const NAME = 'diagonal-net-sweep';
const quick = quickRun(NAME);
const dir = quick.dir;
const lines = quick.lines;

interface Point {
  learningRate: number;
  status: string;
  unstableAtGoal: boolean;
  lambdaMax: number | null;
  l1: number;
  risk: number;
  theta: [number, number];
}

/** λ_max of D_{2rx} + 4(x⊙w)(x⊙w)ᵀ for x = (1, 4), y = 2 (App. D), closed form of a symmetric 2×2 matrix. */
function lambdaMax(w1: number, w2: number): number {
  const r = w1 * w1 + 4 * w2 * w2 - 2;
  const a = 2 * r + 4 * w1 * w1;
  const c = 8 * r + 64 * w2 * w2;
  const b = 16 * w1 * w2;
  return (a + c) / 2 + Math.hypot((a - c) / 2, b);
}

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes the JSON and well-formed SVG files, with no renderer warnings', () => {
    quick.expectOutputs(['figure-15.svg', 'figure-16.svg', 'norm.svg', 'paths.json', 'risk.svg', 'sharpness.svg', 'summary.json', 'sweep.json']);
    const fig = checkSvg(readFileSync(join(dir, 'figure-16.svg'), 'utf8'));
    expect(fig.elements.get('path') ?? 0).toBeGreaterThan(100); // the heat-map cells
    for (const t of ['M', 'S = 2/η', 'KKT']) expect(fig.texts).toContain(t);
    expect(lines.join('\n')).not.toMatch(/NOT reproduced/);
  });

  it('reports the closed-form theory of x = (1, 4), y = 2', () => {
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    // ℓ1 minimizer (0, 1/√2): ‖w‖² = y/x_max = 0.5, S = 4·y·x_max = 32, R = ½·¼ − ½ + 3/2 = 1.125.
    expectRelClose([s.theory.l1Minimizer.l1, s.theory.l1Minimizer.sharpness, s.theory.l1Minimizer.risk], [0.5, 32, 1.125], { rel: 1e-14 });
    // Sharpness minimizer (√2, 0): S = 4·y·x_min = 8 (the dense Hessian too), R = ½·4 − 2 + 3/2 = 1.5.
    expectRelClose([s.theory.sharpnessMinimizer.sharpness, s.theory.sharpnessMinimizer.denseHessianLambdaMax, s.theory.sharpnessMinimizer.risk], [8, 8, 1.5], { rel: 1e-14 });
    // Risk minimizer w^{⊙2} = 1 − (3/17)x = (14/17, 5/17): R = ½(196 + 25)/289 − 19/17 + 3/2, S = 4(14 + 80)/17.
    expectRelClose(s.theory.riskMinimizer.risk, 0.5 * (221 / 289) - 19 / 17 + 1.5, { rel: 1e-13 });
    expectRelClose(s.theory.riskMinimizer.sharpness, (4 * 94) / 17, { rel: 1e-13 });
    expect(s.claims.every((c: { reproduced: boolean }) => c.reproduced)).toBe(true);
  });

  it('every converged point: λ_max recomputed from w, ‖w‖² and Lemma E.1 risk; flow-aligned runs at s_GF, EoS runs at ≤ 2/η', () => {
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const { points } = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { points: Point[] };
    const etaC: number = s.criticalLearningRate;
    // The flow conserves log(w₁/α)/x₁ = log(w₂/α)/x₂ (wᵢ' = −2r xᵢ wᵢ), and s_GF ≈ 32 at its end (|r| ≤ 1.5e-3).
    const [f1, f2] = s.denseFlow.theta;
    expectRelClose(Math.log(f1 / 0.01), Math.log(f2 / 0.01) / 4, { rel: 1e-4 });
    expectRelClose(s.flowSharpness, 32, { rel: 2e-3 });
    let eos = 0;
    for (const p of points.filter((q) => q.status === 'converged')) {
      const [w1, w2] = p.theta;
      expectRelClose(p.lambdaMax as number, lambdaMax(w1, w2), { rel: 1e-9, label: `η = ${p.learningRate}` });
      expectRelClose(p.l1, w1 * w1 + w2 * w2, { rel: 1e-14 });
      expectRelClose(p.risk, 0.5 * (w1 ** 4 + w2 ** 4) - (w1 * w1 + w2 * w2) + 1.5, { rel: 1e-12 });
      if (p.unstableAtGoal) continue;
      // Stable end points respect the stability limit (up to the loss-goal slack |r| ≤ 1.5e-3: 2|r|x_max ≤ 0.012).
      expect(p.lambdaMax as number).toBeLessThanOrEqual(2 / p.learningRate + 0.012);
      if (p.learningRate < etaC) expectRelClose(p.lambdaMax as number, s.flowSharpness, { rel: 0.01 });
      else eos++;
    }
    expect(eos).toBeGreaterThan(2);
  });
});
