import { describe, expect, it } from 'vitest';
import type { LossModel } from '../../src/core/loss-model.js';
import { create } from '../../src/models/scalar-factorization/model.js';
import { checkThirdOrder } from '../../src/testing/index.js';
import { errorCode } from '../helpers/errors.js';

// L(θ) = exp(θ₀)·θ₁² (not polynomial, so Richardson has a real truncation error): ∂₀₀₀ = e^{θ₀}θ₁², ∂₀₀₁ = 2e^{θ₀}θ₁,
// ∂₀₁₁ = 2e^{θ₀}, ∂₁₁₁ = 0 — written from these entries, with an optional bug.
function expModel(bug: 'none' | 'value' | 'asymmetric' = 'none'): LossModel {
  return {
    spec: { kind: 'test-exp' },
    dim: 2,
    loss: (t) => Math.exp(t[0]) * t[1] ** 2,
    lossAndGrad(t, g) {
      const e = Math.exp(t[0]);
      g[0] = e * t[1] ** 2;
      g[1] = 2 * e * t[1];
      return e * t[1] ** 2;
    },
    hvp(t, v, out) {
      const e = Math.exp(t[0]);
      out[0] = e * t[1] ** 2 * v[0] + 2 * e * t[1] * v[1];
      out[1] = 2 * e * t[1] * v[0] + 2 * e * v[1];
    },
    thirdOrder(t, u, v, out) {
      const e = Math.exp(t[0]);
      const T000 = e * t[1] ** 2;
      const T001 = 2 * e * t[1];
      const T011 = 2 * e;
      out[0] = T000 * u[0] * v[0] + T001 * (u[0] * v[1] + u[1] * v[0]) + T011 * u[1] * v[1];
      out[1] = T001 * u[0] * v[0] + T011 * (u[0] * v[1] + u[1] * v[0]);
      if (bug === 'value') out[1] *= 1.0001;
      if (bug === 'asymmetric') out[0] += 1e-6 * u[0] * v[1];
    },
  };
}

describe('checkThirdOrder', () => {
  const theta = new Float64Array([0.3, -1.2]);
  const u = new Float64Array([1, -0.5]);
  const v = new Float64Array([0.25, 2]);

  it('passes on a correct model with an error far below the tolerance (Richardson: O(h⁴))', () => {
    const res = checkThirdOrder(expModel(), theta, u, v);
    expect(res.pass).toBe(true);
    // truncation h⁴|f⁽⁵⁾|/480 with h = 1e-3 and |f⁽⁵⁾| ≈ e^{0.3}·(1.44 + 2.4·2 + 2·4)·... ≲ 50: ≲ 1e-13, plus rounding.
    expect(res.maxError).toBeLessThan(1e-9);
    expect(res.symmetryError).toBeLessThan(1e-15);
  });

  it('fails on a wrong value (1e-4 relative) and on an asymmetric contraction (1e-6)', () => {
    expect(checkThirdOrder(expModel('value'), theta, u, v).pass).toBe(false);
    const asym = checkThirdOrder(expModel('asymmetric'), theta, u, v, { rel: 1e-3 });
    expect(asym.symmetryError).toBeGreaterThan(1e-7);
    expect(asym.pass).toBe(false);
  });

  it('differentiates along u/‖u‖∞ and scales back, so a tiny u (1e-200) keeps a sane step and the answer', () => {
    const model = create({ depth: 3 });
    const th = new Float64Array([0.5, 1, 2]);
    const w = new Float64Array([0.3, 1, 1]);
    const res = checkThirdOrder(model, th, new Float64Array([1e-200, -0.5e-200, 0]), w);
    expect(res.pass).toBe(true);
    expect(res.analytic[0]).not.toBe(0);
  });

  it('rejects a model without thirdOrder, u = 0 and bad vectors with coded errors', () => {
    const { thirdOrder: _, ...noThird } = expModel();
    expect(errorCode(() => checkThirdOrder(noThird as LossModel, theta, u, v))).toBe('E_NOT_SUPPORTED');
    expect(errorCode(() => checkThirdOrder(expModel(), theta, new Float64Array(2), v))).toBe('E_BAD_OPTION');
    expect(errorCode(() => checkThirdOrder(expModel(), theta, u, new Float64Array(3)))).toBe('E_DIM_MISMATCH');
    expect(errorCode(() => checkThirdOrder(expModel(), new Float64Array([NaN, 0]), u, v))).toBe('E_NONFINITE');
    expect(errorCode(() => checkThirdOrder(expModel(), theta, u, v, { step: -1 }))).toBe('E_BAD_OPTION');
  });
});
