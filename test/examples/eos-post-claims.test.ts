/**
 * Smoke test of `npm run reproduce --quick --only eos-post-claims`: the runner writes the files, the SVGs are
 * well-formed, and the JSON's numbers agree with what is known independently — the closed form of GD on a quadratic,
 * the bit-exactness of a power-of-two rescaling of a ReLU network (redone here by hand on the layout), the proven
 * lower bound of the rescaled sharpness, and the catapult's spike and landing below 2/η.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { create, init } from '../../src/models/mlp/index.js';
import { quickRun } from './quick-run.js';

// The quick run happens in a beforeAll hook; on a loaded machine it can take well over vitest's default 10 s.
vi.setConfig({ hookTimeout: 180_000 });

const NAME = 'eos-post-claims';
const quick = quickRun(NAME);
const dir = quick.dir;

// The JSON as written by the example (untyped: only the fields read below matter).
const summary = (): any => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes the JSON and well-formed SVG files, with no renderer warnings', () => {
    quick.expectOutputs(['summary.json', 'descent-lemma.svg', 'rescale.svg', 'catapult.svg']);
  });

  it('A: GD on ½ Σ λᵢθᵢ² follows (1 − ηλᵢ)^{2k}: decrease below η = 2/λ_max, growth above', () => {
    const { quadratic, settings } = summary();
    const lambda: number[] = settings.quadraticEigenvalues;
    const K = settings.quadraticSteps;
    for (const r of quadratic.runs) {
      const eta = (2 * r.ratio) / Math.max(...lambda);
      const l0 = lambda.reduce((a, l) => a + 0.5 * l, 0);
      const lK = lambda.reduce((a, l) => a + 0.5 * l * (1 - eta * l) ** (2 * K), 0);
      expect(r.finalOverInitial / (lK / l0), `ratio ${r.ratio}`).toBeCloseTo(1, 10);
      if (r.ratio < 1) {
        expect(r.increases).toBe(0);
        expect(r.worstDescentLemmaGap).toBeLessThanOrEqual(1e-12);
      } else {
        expect(r.increases).toBe(K);
        expect(r.finalOverInitial).toBeGreaterThan(1);
      }
    }
  });

  it('B: rescaling by powers of two keeps the loss bit for bit; the sharpness obeys its lower bound and varies', () => {
    const { rescale } = summary();
    for (const r of rescale.rows) {
      expect(r.lossIdentical, `c = ${r.c}`).toBe(true);
      expect(r.outputsIdentical, `c = ${r.c}`).toBe(true);
      expect(r.sharpness, `c = ${r.c}`).toBeGreaterThanOrEqual(Math.max(r.c ** 2 * rescale.mu2, rescale.mu1 / r.c ** 2) * (1 - 1e-9));
    }
    const s = rescale.rows.map((r: { sharpness: number }) => r.sharpness);
    expect(Math.max(...s) / Math.min(...s)).toBeGreaterThan(10);
  });

  it('B, independently: the layout [W₁ (h×1), b₁, W₂ (1×h), b₂] rescaled by hand gives the same loss bit for bit', () => {
    const h = 8;
    const layers = [1, h, 1];
    const model = create({ layers, activation: 'relu', data: { dataset: 'chebyshev', points: 20, degree: 4 } });
    const theta = init({ layers }, { seed: 3 });
    const base = model.loss(theta);
    for (const c of [0.25, 4, 1024]) {
      const t = Float64Array.from(theta);
      for (let i = 0; i < 2 * h; i++) t[i] *= c; // W₁ and b₁
      for (let i = 2 * h; i < 3 * h; i++) t[i] /= c; // W₂
      expect(Object.is(model.loss(t), base), `c = ${c}`).toBe(true);
    }
    // A non-power-of-two scale is the same function in exact arithmetic but not in floating point (in general).
    const t = Float64Array.from(theta);
    for (let i = 0; i < 2 * h; i++) t[i] *= 3;
    for (let i = 2 * h; i < 3 * h; i++) t[i] /= 3;
    expect(Math.abs(model.loss(t) - base) / base).toBeLessThan(1e-14);
  });

  it('C: below 2/λ₀ no spike; between 2/λ₀ and 4/λ₀ the catapult lands below 2/η (the 1.5 and 1.8 runs)', () => {
    const { catapult } = summary();
    for (const r of catapult.runs) {
      if (r.ratio < 1) expect(r.peakStep).toBe(0);
      if (r.ratio === 1.5 || r.ratio === 1.8) {
        expect(r.peakLoss).toBeGreaterThan(r.initialLoss);
        expect(r.landingOverEdge).toBeLessThan(1);
        expect(r.finalOverEdge).toBeLessThan(1);
      }
    }
  });

  it('D: the mlp-lr-sweep run is reported with its η·λ₀/2 and its loss spike from the recorded loss', () => {
    const { sweepCatapult: d, settings } = summary();
    expect(d.ratio).toBeCloseTo((settings.sweepRate * d.lambda0) / 2, 12);
    expect(d.peakLoss).toBeGreaterThanOrEqual(d.initialLoss);
    expect(d.status).not.toBe('diverged');
  });
});
