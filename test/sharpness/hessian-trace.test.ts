/**
 * hessianTrace (Hutchinson, Rademacher probes) against closed forms: the exact trace of a quadratic known by
 * construction, zero variance for a diagonal Hessian, the single-probe variance 2(‖H‖_F² − Σ H_ii²), coverage of
 * ±2 standard errors over many seeds, and the MLP fixture's eigenvalues (numpy/LAPACK, test/fixtures/mlp).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LossModel } from '../../src/core/loss-model.js';
import { create } from '../../src/models/mlp/index.js';
import { hessianTrace } from '../../src/sharpness/hessian-trace.js';
import { rng } from '../../src/core/rng.js';
import { createQuadratic } from '../helpers/quadratic.js';
import { errorCode as code } from '../helpers/errors.js';

const here = dirname(fileURLToPath(import.meta.url));
const fx = JSON.parse(readFileSync(join(here, '../fixtures/mlp/tanh-4-16-1.json'), 'utf8')) as {
  layers: number[];
  inputs: number[][];
  targets: number[][];
  theta: number[];
  eigenvaluesDescending: number[];
};

/** 2(‖A‖_F² − Σ A_ii²): the variance of zᵀAz for Rademacher z. */
function rademacherVariance(a: Float64Array, p: number): number {
  let off = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) if (i !== j) off += a[i * p + j] ** 2;
  return 2 * off;
}

describe('hessianTrace', () => {
  const eig = Array.from({ length: 120 }, (_, i) => (i < 5 ? 20 - 3 * i : 2 * Math.exp(-i / 40) - 0.2));
  const quad = createQuadratic(eig, 3);
  const trace = eig.reduce((a, b) => a + b, 0);
  const theta = rng(2).fillNormal(new Float64Array(quad.dim));

  it('is exact with zero standard error for a diagonal Hessian (Rademacher: z_i² = 1)', () => {
    const d = [3, -1, 0.5, 7];
    const model: LossModel = {
      spec: { kind: 'test-diagonal' },
      dim: 4,
      loss: () => 0,
      lossAndGrad: () => 0,
      hvp: (_t, v, out) => v.forEach((x, i) => (out[i] = d[i] * x)),
    };
    const t = hessianTrace(model, new Float64Array(4), { probes: 5 });
    expect(t.estimate).toBe(9.5);
    expect(t.standardError).toBe(0);
    expect(t.hvps).toBe(5);
  });

  it('single-probe variance matches 2(‖H‖_F² − Σ H_ii²) within 10% at N = 4000 (≈ 4.5 sampling SDs)', () => {
    const t = hessianTrace(quad.model, theta, { probes: 4000, seed: 9 });
    const expected = rademacherVariance(quad.a, quad.dim);
    const sampleVar = t.standardError ** 2 * 4000;
    expect(Math.abs(sampleVar / expected - 1)).toBeLessThan(0.1);
    expect(Math.abs(t.estimate - trace)).toBeLessThan(4 * Math.sqrt(expected / 4000));
  });

  it('±2 standard errors hold the exact trace in at least 34 of 40 seeds (95% nominal, N = 60)', () => {
    let inside = 0;
    for (let seed = 0; seed < 40; seed++) {
      const t = hessianTrace(quad.model, theta, { probes: 60, seed });
      if (Math.abs(t.estimate - trace) <= 2 * t.standardError) inside++;
    }
    expect(inside).toBeGreaterThanOrEqual(34);
  });

  it('on the MLP fixture: within 3 standard errors of the sum of the numpy eigenvalues', () => {
    const model = create({ layers: fx.layers, activation: 'tanh', loss: 'mse', inputs: fx.inputs, targets: fx.targets });
    const th = Float64Array.from(fx.theta);
    const exact = fx.eigenvaluesDescending.reduce((a, b) => a + b, 0);
    const t = hessianTrace(model, th, { probes: 500, seed: 4 });
    expect(Math.abs(t.estimate - exact)).toBeLessThanOrEqual(3 * t.standardError);
    // The reported standard error agrees with the closed form √(2(‖H‖_F² − Σ H_ii²)/N) within 20%.
    const H = model.hessian(th);
    const a = Float64Array.from(H.data as Float64Array);
    const closed = Math.sqrt(rademacherVariance(a, model.dim) / 500);
    expect(Math.abs(t.standardError / closed - 1)).toBeLessThan(0.2);
  });

  it('is bit-reproducible for a seed and rejects bad input', () => {
    const a = hessianTrace(quad.model, theta, { probes: 7, seed: 5 });
    const b = hessianTrace(quad.model, theta, { probes: 7, seed: 5 });
    expect(Array.from(a.samples)).toEqual(Array.from(b.samples));
    expect(code(() => hessianTrace(quad.model, theta, { probes: 1 }))).toBe('E_BAD_OPTION');
    expect(code(() => hessianTrace(quad.model, theta, { seed: 0.5 }))).toBe('E_BAD_OPTION');
    expect(code(() => hessianTrace(quad.model, theta, { probe: 5 } as never))).toBe('E_BAD_OPTION');
    expect(code(() => hessianTrace(quad.model, new Float64Array(3)))).toBe('E_DIM_MISMATCH');
  });
});
