/**
 * Long sharpness computations: the Lanczos basis is bounded by default (1 GiB), progress is reported every
 * `progressEvery` HVPs and a signal stops the computation.
 */
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import type { LossModel } from '../../src/core/loss-model.js';
import { gd } from '../../src/dynamics/gd.js';
import { defaultLanczosIterations, LANCZOS_BASIS_BYTES } from '../../src/linalg/lanczos.js';
import { sharpness, sharpnessEstimate, type SharpnessProgress } from '../../src/sharpness/sharpness.js';

/** L(θ) = ½ Σ dᵢ θᵢ² with d = (1, 1/2, 1/3, …) scaled: Hessian diag(d), λ_max = d₀ = 1. */
function diagonalModel(dim: number): LossModel {
  const d = Float64Array.from({ length: dim }, (_, i) => 1 / (1 + i));
  return {
    spec: { kind: 'test-diagonal', dim },
    dim,
    loss: (t) => t.reduce((s, x, i) => s + 0.5 * d[i] * x * x, 0),
    lossAndGrad(t, g) {
      let s = 0;
      for (let i = 0; i < dim; i++) {
        g[i] = d[i] * t[i];
        s += 0.5 * d[i] * t[i] * t[i];
      }
      return s;
    },
    hvp(_t, v, out) {
      for (let i = 0; i < dim; i++) out[i] = d[i] * v[i];
    },
  };
}

describe('Lanczos memory bound', () => {
  it('caps the default step budget at ⌊2³⁰/(8n)⌋ (never below 2k): 1 GiB of basis at most', () => {
    expect(LANCZOS_BASIS_BYTES).toBe(2 ** 30);
    expect(defaultLanczosIterations(1000, 1)).toBe(300);
    expect(defaultLanczosIterations(447_392, 1)).toBe(300); // 2³⁰/(8·447392) = 300.0…
    expect(defaultLanczosIterations(447_393, 1)).toBe(299);
    expect(defaultLanczosIterations(4_100_000, 1)).toBe(32); // the width-2000 MLP of the report: 1.05 GB, not 9.9 GB
    expect(defaultLanczosIterations(1e9, 1)).toBe(2);
    expect(defaultLanczosIterations(50, 1)).toBe(50);
    for (const n of [1e5, 1e6, 4.1e6, 3e7]) expect(8 * n * defaultLanczosIterations(n, 1)).toBeLessThanOrEqual(LANCZOS_BASIS_BYTES);
  });

  it('sharpness uses the bounded budget by default: dim 10⁶ allows ⌊2³⁰/(8·10⁶)⌋ = 134 Lanczos steps', () => {
    const seen: SharpnessProgress[] = [];
    const est = sharpnessEstimate(diagonalModel(1_000_000), new Float64Array(1_000_000), {
      method: 'lanczos',
      tol: 1e-3,
      onProgress: (p) => seen.push(p),
      progressEvery: 5,
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toEqual({ hvps: 5, maxHvps: 134 });
    expect(est.hvps).toBeLessThanOrEqual(134);
  });
});

describe('sharpness progress and signal', () => {
  it('reports every progressEvery HVPs and stops with E_ABORTED when the signal fires', () => {
    const model = diagonalModel(2000);
    const theta = new Float64Array(2000);
    const seen: number[] = [];
    const controller = new AbortController();
    let error: unknown;
    try {
      sharpness(model, theta, {
        tol: 1e-14,
        progressEvery: 4,
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.hvps);
          if (p.hvps === 12) controller.abort('enough');
        },
      });
    } catch (e) {
      error = e;
    }
    expect(seen).toEqual([4, 8, 12]);
    expect(error).toBeInstanceOf(EosLabError);
    expect((error as EosLabError).code).toBe('E_ABORTED');
    expect((error as EosLabError).message).toMatch(/after 12 Hessian-vector products/);
    expect(() => sharpness(model, theta, { signal: AbortSignal.abort() })).toThrow(expect.objectContaining({ code: 'E_ABORTED' }));
    expect(() => sharpness(model, theta, { progressEvery: 3 })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    // Not inside a run's nested sharpness options, where they would be ignored.
    expect(() => gd(model, theta, { learningRate: 0.1, record: { sharpnessEvery: 1, sharpness: { onProgress: () => {} } } })).toThrow(
      expect.objectContaining({ code: 'E_BAD_OPTION', details: expect.objectContaining({ argument: 'options.record.sharpness.onProgress' }) }),
    );
    // Without the watch options, the same value as before (the wrapper does not change the computation).
    const seenPower: number[] = [];
    const a = sharpnessEstimate(model, theta, { method: 'power', tol: 1e-6, onProgress: (p) => seenPower.push(p.maxHvps) });
    const b = sharpnessEstimate(model, theta, { method: 'power', tol: 1e-6 });
    expect(a).toEqual(b);
    expect(seenPower.every((m) => m === 1000)).toBe(true);
  });
});
