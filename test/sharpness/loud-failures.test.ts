/**
 * Regression tests of issue 10, "Numerical failures must be loud": non-finite Hessians give a coded error from the
 * public functions and a recorded NaN / not-converged flag inside runs (never a TypeError), a NaN is never reported
 * as converged, unconverged numbers do not pass silently, the Lanczos basis is protected from an operator that
 * writes into its input, and a non-symmetric HVP is detected.
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import type { LossModel } from '../../src/core/loss-model.js';
import { gd } from '../../src/dynamics/gd.js';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import { lrSweep } from '../../src/experiments/lr-sweep/index.js';
import { gridStudy } from '../../src/experiments/grid-study/index.js';
import { registerModel } from '../../src/core/registry.js';
import { lanczos } from '../../src/linalg/lanczos.js';
import { matrixFromRows } from '../../src/linalg/matrix.js';
import { denseOperator } from '../../src/linalg/operator.js';
import { powerIteration } from '../../src/linalg/power-iteration.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { create as scalarFactorization } from '../../src/models/scalar-factorization/index.js';
import { sharpness, sharpnessEstimate } from '../../src/sharpness/sharpness.js';
import { thrown } from '../helpers/errors.js';

/**
 * L(θ) = ½ Σ aᵢ θᵢ² + b·θ₀⁴/4 where the curvature of coordinate 0 becomes NaN once |θ₀| ≥ `nanFrom` (a model whose
 * Hessian fails at a far-out point, as a real model's would through overflow). Hessian diag(a₀ + 3bθ₀², a₁, …).
 */
function failingModel(a: number[], nanFrom: number, withHessian: boolean): LossModel {
  const curv = (t: Float64Array, i: number): number => (i === 0 ? (Math.abs(t[0]) >= nanFrom ? NaN : a[0]) : a[i]);
  const model: LossModel = {
    spec: { kind: 'test-failing-quadratic' },
    dim: a.length,
    loss: (t) => a.reduce((s, ai, i) => s + 0.5 * ai * t[i] * t[i], 0),
    lossAndGrad(t, g) {
      let s = 0;
      for (let i = 0; i < a.length; i++) {
        g[i] = a[i] * t[i];
        s += 0.5 * a[i] * t[i] * t[i];
      }
      return s;
    },
    hvp(t, v, out) {
      for (let i = 0; i < a.length; i++) out[i] = curv(t, i) * v[i];
    },
  };
  if (withHessian) {
    return {
      ...model,
      hessian: (t) => {
        const n = a.length;
        const h = new Float64Array(n * n);
        for (let i = 0; i < n; i++) h[i * n + i] = curv(t, i);
        return ndarray(h, [n, n]);
      },
    };
  }
  return model;
}

describe('non-finite Hessians', () => {
  it('sharpness of scalarFactorization depth 3 at [1e80, 1e80, 1e80] (Hessian entries overflow) throws E_NONFINITE, not a TypeError', () => {
    const model = scalarFactorization({ depth: 3 });
    const theta = new Float64Array([1e80, 1e80, 1e80]);
    for (const method of ['auto', 'dense', 'lanczos', 'power'] as const) {
      const e = thrown(() => sharpness(model, theta, { method }));
      expect(e.code).toBe('E_NONFINITE');
      expect(e.message).toMatch(/^sharpness: model\.(hessian|hvp)/);
      expect(thrown(() => sharpnessEstimate(model, theta, { method })).code).toBe('E_NONFINITE');
    }
  });

  it('symmetricEigen on a finite matrix with 1e308 entries: eigenvalues of [[a, a], [a, a]] are {0, 2a} — 2a overflows, so use [[a, a], [a, -a]] with ±√2·a', () => {
    // [[a, a], [a, a]] has 2a = 2e308 (not representable); take a = 1e308/√2·0.9 so that √2·a is finite.
    const a = 0.9e308 / Math.SQRT2;
    const { values } = symmetricEigen(matrixFromRows([[a, a], [a, -a]]));
    // Exact eigenvalues ±√2·a = ±0.9e308; backward stable to n·ε·‖A‖.
    expect(Math.abs(values[1] - 0.9e308)).toBeLessThanOrEqual(4 * Number.EPSILON * 0.9e308);
    expect(Math.abs(values[0] + 0.9e308)).toBeLessThanOrEqual(4 * Number.EPSILON * 0.9e308);
    const big = symmetricEigen(matrixFromRows([[1e308, 1e308, 0], [1e308, -1e308, 0], [0, 0, 1]])).values;
    // eigenvalues −√2·1e308 (overflows? √2·1e308 = 1.414e308 < 1.797e308: finite), 1, √2·1e308
    expect(Math.abs(big[2] - Math.SQRT2 * 1e308)).toBeLessThanOrEqual(8 * Number.EPSILON * 1.5e308);
    expect(Math.abs(big[1] - 1)).toBeLessThanOrEqual(8 * Number.EPSILON * 1.5e308);
    expect(Math.abs(big[0] + Math.SQRT2 * 1e308)).toBeLessThanOrEqual(8 * Number.EPSILON * 1.5e308);
  });

  it('a denseOperator of a 1e308 matrix applies the matrix (its symmetric part does not overflow)', () => {
    const op = denseOperator(matrixFromRows([[0, 1e308], [1e308, 0]]));
    const out = new Float64Array(2);
    op.apply(Float64Array.of(1, 0.5), out);
    expect(Array.from(out)).toEqual([0.5e308, 1e308]);
  });

  it('gd and gradientFlow traces record NaN and sharpnessConverged = 0 where the Hessian is not finite (dense and Lanczos)', () => {
    for (const withHessian of [true, false]) {
      // θ₀ = (4, 1): GD with η = 0.1 on a₀ = 1 shrinks θ₀ by 0.9 per step: |θ₀| ≥ 3 for steps 0..2 (4, 3.6, 3.24) only.
      const model = failingModel([1, 2, 0.5], 3, withHessian);
      const run = gd(model, Float64Array.of(4, 1, 1), { learningRate: 0.1, maxSteps: 5, record: { sharpnessEvery: 1 } });
      expect(run.status).toBe('max-steps');
      expect(Array.from(run.trace.sharpness.slice(0, 3)).every(Number.isNaN)).toBe(true);
      expect(Array.from(run.trace.sharpnessConverged)).toEqual([0, 0, 0, 1, 1, 1]);
      expect(run.trace.sharpness[3]).toBeCloseTo(2, 12); // λ_max = max(1, 2, 0.5)
      const flow = gradientFlow(model, Float64Array.of(4, 1, 1), { step: stepSize.fixed(0.1), maxSteps: 3, record: { sharpnessEvery: 1 } });
      expect(flow.trace.sharpnessConverged[0]).toBe(0);
      expect(Number.isNaN(flow.maxSharpness as number)).toBe(true); // was -Infinity: a NaN sample is not hidden
    }
  });

  it('lrSweep with a flow whose sharpness is NaN: η_c is NaN (not −0) and regimes are "undetermined" (not "eos")', async () => {
    const model = failingModel([1, 2], 0, false); // every HVP is NaN
    const sweep = await lrSweep(model, Float64Array.of(1, 1), { learningRates: [0.1, 0.5], lossGoal: 1e-6, workers: 1 });
    expect(Number.isNaN(sweep.criticalLearningRate)).toBe(true);
    expect(Object.is(sweep.criticalLearningRate, -0)).toBe(false);
    for (const r of sweep.runs) expect(r.regime).toBe('undetermined');
    expect(sweep.notes.some((n) => n.includes('NaN'))).toBe(true);
  });

  it('lrSweep with a dense NaN Hessian does not throw a TypeError', async () => {
    const model = failingModel([1, 2], 0, true);
    const sweep = await lrSweep(model, Float64Array.of(1, 1), { learningRates: [0.1], lossGoal: 1e-6, workers: 1 });
    expect(Number.isNaN(sweep.runs[0].finalSharpness?.max as number)).toBe(true);
  });
});

describe('gridStudy with a Hessian that is not finite near the minimum', () => {
  it('records NaN exact sharpness and a NaN exact EoS median instead of throwing a TypeError (dense path, dim 3)', async () => {
    // L = ½|θ|² (dim 3: the dense path goes through the eigensolver, not the 2×2 closed form) with an analytic
    // Hessian that is +Infinity once |θ₀| < 0.5 (the late iterates and the end point).
    registerModel('test-grid-nan-hessian', (spec) => ({
      ...failingModel([1, 1, 1], Infinity, true),
      spec,
      hessian: (t: Float64Array) => ndarray(new Float64Array(9).map((_, i) => (Math.abs(t[0]) < 0.5 ? Infinity : i % 4 === 0 ? 1 : 0)), [3, 3]),
    }));
    const starts = ndarray(Float64Array.of(3, 0.1, 0.1, 0.2, 0.2, 0.2), [2, 3]);
    const study = await gridStudy({ kind: 'test-grid-nan-hessian' }, { starts, learningRates: [0.1], engine: 'generic', workers: 0 });
    const rate = study.rates[0];
    for (let s = 0; s < 2; s++) {
      expect(Number.isNaN(rate.sharpnessExact[s])).toBe(true);
      expect(Number.isNaN(rate.eosMedianExact[s])).toBe(true);
      expect(Number.isFinite(rate.eosMedianProxy[s])).toBe(true); // the proxy does not need the Hessian
    }
  });
});

describe('a NaN is never reported as converged', () => {
  it('lanczos with an operator that returns NaN: converged false, NaN values, infinite error bounds', () => {
    for (const dim of [1, 3, 40]) {
      const r = lanczos({ dim, apply: (_v, out) => out.fill(NaN) });
      expect(r.converged).toBe(false);
      expect(Number.isNaN(r.values[0])).toBe(true);
      expect(r.errorBounds[0]).toBe(Infinity);
    }
    const p = powerIteration({ dim: 3, apply: (_v, out) => out.fill(NaN) }, { maxIterations: 50 });
    expect(p.converged).toBe(false);
    expect(p.iterations).toBe(1); // stops at the first non-finite product
  });

  it('a wrong-shape hessian is E_DIM_MISMATCH (was undefined with converged: true)', () => {
    const good = failingModel([1, 2, 3], Infinity, false);
    const bad: LossModel = { ...good, hessian: () => ndarray(new Float64Array(4), [2, 2]) };
    const e = thrown(() => sharpnessEstimate(bad, Float64Array.of(1, 1, 1), { method: 'dense' }));
    expect(e.code).toBe('E_DIM_MISMATCH');
    expect(e.message).toContain('model.hessian(theta)');
    const short: LossModel = { ...good, hessian: () => ndarray(new Float64Array(4), [3, 3]) };
    expect(thrown(() => sharpness(short, Float64Array.of(1, 1, 1), { method: 'dense' })).code).toBe('E_DIM_MISMATCH');
  });

  it("sharpness() throws E_NOT_CONVERGED for method 'power' at the saddle of ½(1−xy)² (eigenvalues ±1: no dominant one)", () => {
    const model = scalarFactorization();
    const e = thrown(() => sharpness(model, Float64Array.of(0, 0), { method: 'power' }));
    expect(e.code).toBe('E_NOT_CONVERGED');
    expect(e.message).toMatch(/^sharpness: options\.maxIterations must be enough iterations/);
    const est = sharpnessEstimate(model, Float64Array.of(0, 0), { method: 'power' });
    expect(est.converged).toBe(false);
    expect(est.errorBound).toBe(Infinity);
    // The converged methods give the answer 1 (λ_max of [[0, −1], [−1, 0]]).
    expect(sharpness(model, Float64Array.of(0, 0), { method: 'lanczos' })).toBeCloseTo(1, 14);
  });

  it('gd traces record per-sample convergence of an iterative estimate (0 when maxIterations is too small)', () => {
    const a = Array.from({ length: 30 }, (_, i) => 1 + i / 29); // no gap: Lanczos needs many steps
    const model = failingModel(a, Infinity, false);
    const run = gd(model, new Float64Array(30).fill(1), {
      learningRate: 0.1,
      maxSteps: 2,
      record: { sharpnessEvery: 1, sharpness: { method: 'lanczos', maxIterations: 3 } },
    });
    expect(Array.from(run.trace.sharpnessConverged)).toEqual([0, 0, 0]);
    const ok = gd(model, new Float64Array(30).fill(1), { learningRate: 0.1, maxSteps: 2, record: { sharpnessEvery: 1, sharpness: { method: 'lanczos' } } });
    expect(Array.from(ok.trace.sharpnessConverged)).toEqual([1, 1, 1]);
  });
});

describe('misbehaving Hessian-vector products', () => {
  it('an hvp that writes into v does not corrupt the Lanczos basis: λ_max of diag(1, 2, 3) is 3 within its bound', () => {
    const d = [1, 2, 3];
    const model: LossModel = {
      spec: { kind: 'test-clobbering' },
      dim: 3,
      loss: () => 0,
      lossAndGrad: (_t, g) => (g.fill(0), 0),
      hvp(_t, v, out) {
        for (let i = 0; i < 3; i++) out[i] = d[i] * v[i];
        v.fill(0.5); // violates the contract: writes into its input
      },
    };
    const est = sharpnessEstimate(model, new Float64Array(3), { method: 'lanczos', checkSymmetry: false });
    expect(est.converged).toBe(true);
    expect(Math.abs(est.value - 3)).toBeLessThanOrEqual(est.errorBound);
    expect(sharpness(model, new Float64Array(3), { method: 'power', checkSymmetry: false })).toBeCloseTo(3, 8);
  });

  it('a non-symmetric "HVP" (eigenvalues 1 and 3, applied as [[1, 4], [0, 3]]) is E_BAD_OPTION naming model.hvp; checkSymmetry: false skips the probe', async () => {
    const model: LossModel = {
      spec: { kind: 'test-asymmetric' },
      dim: 2,
      loss: () => 0,
      lossAndGrad: (_t, g) => (g.fill(0), 0),
      hvp(_t, v, out) {
        out[0] = v[0] + 4 * v[1];
        out[1] = 3 * v[1];
      },
      hessian: () => ndarray(Float64Array.of(1, 4, 0, 3), [2, 2]),
    };
    for (const method of ['lanczos', 'power', 'dense'] as const) {
      const e = thrown(() => sharpness(model, new Float64Array(2), { method }));
      expect(e.code).toBe('E_BAD_OPTION');
      expect(e.details.argument).toBe(method === 'dense' ? 'model.hessian(theta)' : 'model.hvp');
      expect(e.message).toContain('checkSymmetry: false');
    }
    expect(thrown(() => gd(model, new Float64Array(2), { learningRate: 0.1, maxSteps: 1, record: { sharpnessEvery: 1, sharpness: { method: 'lanczos' } } })).details.argument).toBe('model.hvp');
    expect(() => sharpnessEstimate(model, new Float64Array(2), { method: 'lanczos', checkSymmetry: false })).not.toThrow();
    // The runs probe once before they start: lrSweep (dense check here: the model has a hessian) and gridStudy.
    const sweep = await lrSweep(model, new Float64Array(2), { lossGoal: 1e-3, learningRates: [0.1] }).catch((e: unknown) => e);
    expect((sweep as { details: { argument: string } }).details.argument).toBe('model.hessian(theta)');
    registerModel('test-asymmetric-grid', (spec) => ({ ...model, spec }));
    const study = await gridStudy({ kind: 'test-asymmetric-grid' }, { starts: ndarray(Float64Array.of(0.5, 0.5), [1, 2]), learningRates: [0.1], workers: 0 }).catch((e: unknown) => e);
    expect((study as { code: string }).code).toBe('E_BAD_OPTION');
    expect((study as { details: { argument: string } }).details.argument).toBe('model.hessian(theta)');
  });

  it('the probe counts its 2 HVPs and leaves symmetric user models alone', () => {
    const model = failingModel([1, 2, 3], Infinity, false);
    const probed = sharpnessEstimate(model, Float64Array.of(1, 1, 1), { method: 'lanczos' });
    const skipped = sharpnessEstimate(model, Float64Array.of(1, 1, 1), { method: 'lanczos', checkSymmetry: false });
    expect(probed.hvps).toBe(skipped.hvps + 2);
    expect(probed.value).toBe(skipped.value);
  });
});
