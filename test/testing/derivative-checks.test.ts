import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ndarray from 'ndarray';
import type { LossModel } from '../../src/core/loss-model.js';
import { checkGradient, checkHessian, checkHvp, expectRelClose, finiteVector } from '../../src/testing/index.js';

// L(θ) = Σ cos(θᵢ) θᵢ₊₁² + exp(θ₀/3): cheap, non-quadratic, with a dense Hessian written independently of the gradient.
function wavyModel(p: number, bug: 'none' | 'gradient' | 'hvp' | 'hessian' = 'none'): LossModel {
  const grad = (t: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let l = Math.exp(t[0] / 3);
    g[0] += Math.exp(t[0] / 3) / 3;
    for (let i = 0; i + 1 < p; i++) {
      l += Math.cos(t[i]) * t[i + 1] ** 2;
      g[i] += -Math.sin(t[i]) * t[i + 1] ** 2;
      g[i + 1] += 2 * Math.cos(t[i]) * t[i + 1];
    }
    if (bug === 'gradient') g[p - 1] *= 1.001;
    return l;
  };
  const hess = (t: Float64Array) => {
    const H = ndarray(new Float64Array(p * p), [p, p]);
    H.set(0, 0, Math.exp(t[0] / 3) / 9);
    for (let i = 0; i + 1 < p; i++) {
      H.set(i, i, H.get(i, i) - Math.cos(t[i]) * t[i + 1] ** 2);
      H.set(i, i + 1, H.get(i, i + 1) - 2 * Math.sin(t[i]) * t[i + 1]);
      H.set(i + 1, i, H.get(i + 1, i) - 2 * Math.sin(t[i]) * t[i + 1]);
      H.set(i + 1, i + 1, H.get(i + 1, i + 1) + 2 * Math.cos(t[i]));
    }
    if (bug === 'hessian') H.set(0, 1, H.get(0, 1) + 1e-3);
    return H;
  };
  return {
    spec: { kind: 'test-wavy', p },
    dim: p,
    loss: (t) => grad(t, new Float64Array(p)),
    lossAndGrad: grad,
    hvp(t, v, out) {
      const H = hess(t);
      for (let i = 0; i < p; i++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += (bug === 'hessian' ? hess(t).get(i, j) - (i === 0 && j === 1 ? 1e-3 : 0) : H.get(i, j)) * v[j];
        out[i] = bug === 'hvp' && i === 0 ? s + 1e-4 * v[0] : s;
      }
    },
    hessian: hess,
  };
}

describe('derivative checkers', () => {
  const theta = new Float64Array([0.3, -1.2, 2.0, 0.7]);
  const v = new Float64Array([1, -0.5, 0.25, 2]);

  it('pass on a correct model with errors far below the tolerance (Richardson: O(h⁴))', () => {
    const m = wavyModel(4);
    const g = checkGradient(m, theta);
    expect(g.pass).toBe(true);
    expect(g.maxError).toBeLessThan(1e-9);
    const h = checkHvp(m, theta, v);
    expect(h.pass).toBe(true);
    expect(h.maxError).toBeLessThan(1e-9);
    const H = checkHessian(m, theta);
    expect(H.pass).toBe(true);
    expect(H.symmetryError).toBe(0);
  });

  it('catch a gradient that is wrong by 0.1% in one entry', () => {
    const res = checkGradient(wavyModel(4, 'gradient'), theta);
    expect(res.pass).toBe(false);
    expect(res.worstIndex).toBe(3);
  });

  it('catch an HVP that is wrong by 1e-4·v₀', () => {
    expect(checkHvp(wavyModel(4, 'hvp'), theta, v).pass).toBe(false);
  });

  it('catch a dense Hessian that is asymmetric and disagrees with the HVP', () => {
    const res = checkHessian(wavyModel(4, 'hessian'), theta);
    expect(res.pass).toBe(false);
    expectRelClose(res.symmetryError, 1e-3, { rel: 1e-9 });
    expect(res.hvpError).toBeGreaterThan(1e-4);
  });

  it('pass for random points (property, 1000 runs)', () => {
    const m = wavyModel(3);
    fc.assert(
      fc.property(finiteVector({ dim: 3, min: -3, max: 3 }), finiteVector({ dim: 3, min: -1, max: 1 }), (t, dir) => {
        expect(checkGradient(m, t).pass).toBe(true);
        if (dir.some((x) => x !== 0)) expect(checkHvp(m, t, dir).pass).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('reject bad input with codes', () => {
    const m = wavyModel(2);
    expect(() => checkGradient(m, new Float64Array(3))).toThrow(expect.objectContaining({ code: 'E_DIM_MISMATCH' }));
    expect(() => checkHvp(m, new Float64Array(2), new Float64Array(2))).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    expect(() => checkGradient(m, new Float64Array([NaN, 0]))).toThrow(expect.objectContaining({ code: 'E_NONFINITE' }));
    expect(() => checkGradient(m, new Float64Array(2), { step: 0 })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    const { hessian: _h, ...noHessian } = m;
    expect(() => checkHessian(noHessian, new Float64Array(2))).toThrow(expect.objectContaining({ code: 'E_NOT_SUPPORTED' }));
  });
});

describe('expectRelClose', () => {
  it('passes within abs + rel·|expected| and fails outside, printing Δ and the tolerance', () => {
    expect(() => expectRelClose(1 + 1e-13, 1, { rel: 1e-12 })).not.toThrow();
    expect(() => expectRelClose(1 + 1e-11, 1, { rel: 1e-12, label: 'theta = 1' })).toThrow(/theta = 1.*Δ = 1\.0\d*e-11.*tolerance 1\.000e-12/);
    expect(() => expectRelClose(1e-20, 0, { abs: 1e-19 })).not.toThrow();
    expect(() => expectRelClose([1, 2], [1, 2.1], { rel: 1e-3 })).toThrow(/\[1\]/);
    expect(() => expectRelClose([1], [1, 2])).toThrow(/length/);
    expect(() => expectRelClose(NaN, 1)).toThrow();
    expect(() => expectRelClose(NaN, NaN)).not.toThrow();
  });
});
