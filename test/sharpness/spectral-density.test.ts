/**
 * spectralDensity (stochastic Lanczos quadrature) against dense ground truth: quadratics whose eigendecomposition
 * is known by construction (test/helpers/quadratic.ts) and the MLP fixture's numpy/LAPACK eigenvalues
 * (test/fixtures/mlp). Distances between the SLQ measure (1/N) Σ τ δ_θ and the eigenvalue measure (1/p) Σ δ_λ are
 * computed from the atoms (test/helpers/spectral-measures.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { create } from '../../src/models/mlp/index.js';
import { hessianTrace } from '../../src/sharpness/hessian-trace.js';
import { spectralDensity } from '../../src/sharpness/spectral-density.js';
import { rng } from '../../src/core/rng.js';
import { createQuadratic } from '../helpers/quadratic.js';
import { eigenvalueMeasure, ksDistance, quadratureMeasure, w1Distance } from '../helpers/spectral-measures.js';
import { errorCode as code } from '../helpers/errors.js';

const here = dirname(fileURLToPath(import.meta.url));
const fx = JSON.parse(readFileSync(join(here, '../fixtures/mlp/tanh-4-16-1.json'), 'utf8')) as {
  layers: number[];
  inputs: number[][];
  targets: number[][];
  theta: number[];
  eigenvaluesDescending: number[];
};

describe('spectralDensity', () => {
  it('with m = p steps the nodes are the eigenvalues and the weights (qᵀvᵢ)² of the Rademacher probe', () => {
    const eig = Array.from({ length: 30 }, (_, i) => 10 - i * 0.37 + (i % 3) * 0.05);
    const quad = createQuadratic(eig, 5);
    const p = quad.dim;
    const theta = new Float64Array(p);
    const slq = spectralDensity(quad.model, theta, { probes: 2, steps: p, seed: 3 });
    // Reproduce the probes: rng(3), uniform < ½ → −1 else +1, entry by entry, probe after probe; q = z/√p.
    const r = rng(3);
    for (let l = 0; l < 2; l++) {
      const q = Float64Array.from({ length: p }, () => (r.uniform() < 0.5 ? -1 : 1) / Math.sqrt(p));
      const coords = quad.toEigenbasis(q);
      const order = Array.from(slq.nodes[l].keys()).sort((a, b) => slq.nodes[l][a] - slq.nodes[l][b]);
      const ascending = [...eig].map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
      expect(order.length).toBe(p);
      order.forEach((j, rank) => {
        expect(Math.abs(slq.nodes[l][j] - ascending[rank].v)).toBeLessThan(1e-10 * 10);
        expect(Math.abs(slq.weights[l][j] - coords[ascending[rank].i] ** 2)).toBeLessThan(1e-10);
      });
    }
  });

  it('its trace equals Hutchinson’s with the same probes, and the density integrates to 1', () => {
    const eig = Array.from({ length: 50 }, (_, i) => Math.cos(i) * 3 + (i < 3 ? 10 : 0));
    const quad = createQuadratic(eig, 8);
    const theta = new Float64Array(quad.dim);
    const slq = spectralDensity(quad.model, theta, { probes: 6, steps: 12, seed: 21, gridPoints: 4000 });
    const hutch = hessianTrace(quad.model, theta, { probes: 6, seed: 21 });
    // zᵀHz = p·Σ τθ exactly in exact arithmetic (the quadrature is exact for degree-1 polynomials).
    expect(Math.abs(slq.trace.estimate - hutch.estimate)).toBeLessThan(1e-10 * 13 * quad.dim);
    expect(Math.abs(slq.trace.standardError - hutch.standardError)).toBeLessThan(1e-8 * (hutch.standardError + 1));
    const h = slq.grid[1] - slq.grid[0];
    let integral = 0;
    for (let g = 0; g + 1 < slq.grid.length; g++) integral += (h * (slq.density[g] + slq.density[g + 1])) / 2;
    // The grid spans ±5σ beyond the extreme nodes: the missing tails are 2·Φ(−5) ≈ 6e-7.
    expect(Math.abs(integral - 1)).toBeLessThan(1e-5);
    expect(slq.hvps).toBe(6 * 12);
  });

  it('the CDF distance to the dense spectrum shrinks as probes and Lanczos steps grow (p = 400)', () => {
    // A Hessian-like spectrum: 6 outliers above a bulk decaying from 4 to slightly negative.
    const p = 400;
    const eig = Array.from({ length: p }, (_, i) => (i < 6 ? 60 - 8 * i : 4 * Math.exp((-6 * (i - 6)) / p) - 0.3 * (i / p)));
    const quad = createQuadratic(eig, 13);
    const exact = eigenvalueMeasure(eig);
    const theta = new Float64Array(p);
    const distances = (probes: number, steps: number) => {
      const s = spectralDensity(quad.model, theta, { probes, steps, seed: 1 });
      const m = quadratureMeasure(s.nodes, s.weights);
      return { w1: w1Distance(m, exact), ks: ksDistance(m, exact) };
    };
    const settings: [number, number][] = [[1, 5], [4, 20], [16, 80]];
    const d = settings.map(([n, m]) => distances(n, m));
    // Thresholds fixed before running: strictly decreasing W1; the largest setting at most a quarter of the smallest's;
    // KS of the largest setting ≤ 0.05.
    expect(d[1].w1).toBeLessThan(d[0].w1);
    expect(d[2].w1).toBeLessThan(d[1].w1);
    expect(d[2].w1).toBeLessThanOrEqual(d[0].w1 / 4);
    expect(d[2].ks).toBeLessThanOrEqual(0.05);
    // Steps alone (N = 16): W1 decreases with m.
    const bySteps = [5, 20, 80].map((m) => distances(16, m).w1);
    expect(bySteps[1]).toBeLessThan(bySteps[0]);
    expect(bySteps[2]).toBeLessThan(bySteps[1]);
  });

  it('with exact nodes (m = p), the CDF distance shrinks with the number of probes (p = 120)', () => {
    const p = 120;
    const eig = Array.from({ length: p }, (_, i) => (i < 3 ? 30 - 5 * i : 3 * Math.exp((-5 * i) / p)));
    const quad = createQuadratic(eig, 17);
    const exact = eigenvalueMeasure(eig);
    const theta = new Float64Array(p);
    // Only the weights are random: mean KS over 5 seeds at N = 16 is at most half of that at N = 1 (Monte Carlo
    // error ∝ 1/√N: a factor 4 expected).
    const meanKs = (probes: number) => {
      let s = 0;
      for (let seed = 0; seed < 5; seed++) {
        const slq = spectralDensity(quad.model, theta, { probes, steps: p, seed, gridPoints: 2 });
        s += ksDistance(quadratureMeasure(slq.nodes, slq.weights), exact);
      }
      return s / 5;
    };
    expect(meanKs(16)).toBeLessThanOrEqual(meanKs(1) / 2);
  });

  it('on the MLP fixture (p = 97): close to the numpy eigenvalues, with the top node at λ_max', () => {
    const model = create({ layers: fx.layers, activation: 'tanh', loss: 'mse', inputs: fx.inputs, targets: fx.targets });
    const th = Float64Array.from(fx.theta);
    const exactValues = fx.eigenvaluesDescending;
    const spread = exactValues[0] - exactValues[exactValues.length - 1];
    const slq = spectralDensity(model, th, { probes: 20, steps: 60, seed: 2 });
    const m = quadratureMeasure(slq.nodes, slq.weights);
    const exact = eigenvalueMeasure(exactValues);
    // Thresholds fixed before running: W1 ≤ 5% of the spectral spread, KS ≤ 0.1.
    expect(w1Distance(m, exact)).toBeLessThanOrEqual(0.05 * spread);
    expect(ksDistance(m, exact)).toBeLessThanOrEqual(0.1);
    const top = Math.max(...slq.nodes.map((n) => Math.max(...n)));
    expect(Math.abs(top - exactValues[0])).toBeLessThan(1e-8 * Math.abs(exactValues[0]));
    const exactTrace = exactValues.reduce((a, b) => a + b, 0);
    expect(Math.abs(slq.trace.estimate - exactTrace)).toBeLessThanOrEqual(3 * slq.trace.standardError);
  });

  it('rejects bad input', () => {
    const quad = createQuadratic([1, 2, 3], 1);
    const th = new Float64Array(3);
    expect(code(() => spectralDensity(quad.model, th, { probes: 0 }))).toBe('E_BAD_OPTION');
    expect(code(() => spectralDensity(quad.model, th, { broadening: 0 }))).toBe('E_BAD_OPTION');
    expect(code(() => spectralDensity(quad.model, th, { range: [1, 1] }))).toBe('E_BAD_OPTION');
    expect(code(() => spectralDensity(quad.model, th, { gridPoints: 1 }))).toBe('E_BAD_OPTION');
    expect(code(() => spectralDensity(quad.model, th, { sigma: 1 } as never))).toBe('E_BAD_OPTION');
    expect(code(() => spectralDensity(quad.model, new Float64Array(2)))).toBe('E_DIM_MISMATCH');
  });
});
