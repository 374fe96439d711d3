import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../../src/core/errors.js';
import { createModel, registeredModelKinds } from '../../../src/core/registry.js';
import { matrixToRows } from '../../../src/linalg/matrix.js';
import { symmetricEigen } from '../../../src/linalg/symmetric-eigen.js';
import { create } from '../../../src/models/width-one-net/model.js';
import { checkGradient, checkHessian, checkHvp } from '../../../src/testing/index.js';
import { errorCode as codeOf } from '../../helpers/errors.js';


describe('widthOneNet.create: reference values (hand-computed, exact in binary)', () => {
  it('defaults: λ₁ = 1, λ₂ = 0.001, dim 3, JSON spec, registered for createModel', () => {
    const m = create();
    expect(m.dim).toBe(3);
    expect(m.spec).toEqual({ kind: 'width-one-net', varianceIrrelevant: 1, varianceRelevant: 0.001 });
    expect(m.secondMoments).toEqual({ xx11: 1, xx12: 0, xx22: 0.001 });
    expect(registeredModelKinds()).toContain('width-one-net');
    const b = createModel(JSON.parse(JSON.stringify(m.spec)));
    const theta = new Float64Array([0.7, -0.2, 1.3]);
    expect(b.loss(theta)).toBe(m.loss(theta));
  });

  it('λ₁ = 1, λ₂ = 0.5 at θ = (2, 1, 1): L = 2.25, ∇L = (2.5, 4, 1), H = [[1.5, 4, 1.5], [4, 4, 0], [1.5, 0, 2]]', () => {
    // L = ½·1·4·1 + ½·0.5·(2 − 1)²; ∂α = λ₁αβ₁² + λ₂β₂(αβ₂ − 1) = 2 + 0.5; ∂β₁ = λ₁α²β₁ = 4; ∂β₂ = λ₂α(αβ₂ − 1) = 1.
    // H (docs/math.md §3): [[λ₁β₁² + λ₂β₂², 2λ₁αβ₁, λ₂(2αβ₂ − 1)], [2λ₁αβ₁, λ₁α², 0], [λ₂(2αβ₂ − 1), 0, λ₂α²]].
    const m = create({ varianceIrrelevant: 1, varianceRelevant: 0.5 });
    const theta = new Float64Array([2, 1, 1]);
    const g = new Float64Array(3);
    expect(m.loss(theta)).toBe(2.25);
    expect(m.lossAndGrad(theta, g)).toBe(2.25);
    expect(Array.from(g)).toEqual([2.5, 4, 1]);
    const H = [
      [1.5, 4, 1.5],
      [4, 4, 0],
      [1.5, 0, 2],
    ];
    expect(matrixToRows(m.hessian(theta))).toEqual(H);
    const out = new Float64Array(3);
    m.hvp(theta, new Float64Array([1, -1, 2]), out);
    expect(Array.from(out)).toEqual([1.5 - 4 + 3, 4 - 4, 1.5 + 4]);
    expect(Array.from(theta)).toEqual([2, 1, 1]); // inputs untouched
  });

  it('at a minimizer (α, 0, 1/α) the gradient vanishes and the Hessian eigenvalues are 0, λ₂(α² + α⁻²), λ₁α²', () => {
    // α = 2, β₂ = 0.5 (exact): H = [[λ₂/4, 0, λ₂], [0, 4λ₁, 0], [λ₂, 0, 4λ₂]].
    const m = create({ varianceIrrelevant: 3, varianceRelevant: 0.25 });
    const theta = new Float64Array([2, 0, 0.5]);
    const g = new Float64Array(3);
    expect(m.lossAndGrad(theta, g)).toBe(0);
    expect(Array.from(g, Math.abs)).toEqual([0, 0, 0]);
    const { values } = symmetricEigen(m.hessian(theta));
    const expected = [0, 0.25 * (4 + 0.25), 3 * 4];
    for (let i = 0; i < 3; i++) expect(Math.abs(values[i] - expected[i])).toBeLessThanOrEqual(1e-14 * 12);
  });

  it('the critical line α = β₂ = 0: zero gradient, loss ½λ₂, Hessian [[λ₁b², 0, −λ₂], [0, 0, 0], [−λ₂, 0, 0]]', () => {
    const m = create({ varianceIrrelevant: 2, varianceRelevant: 0.5 });
    const theta = new Float64Array([0, 1.5, 0]);
    const g = new Float64Array(3);
    expect(m.lossAndGrad(theta, g)).toBe(0.25);
    expect(Array.from(g, Math.abs)).toEqual([0, 0, 0]);
    expect(matrixToRows(m.hessian(theta)).map((r) => r.map((x) => x + 0))).toEqual([
      [4.5, 0, -0.5],
      [0, 0, 0],
      [-0.5, 0, 0],
    ]);
  });

  it('derivatives agree with finite differences at a few fixed points (L is a quartic: differences exact to rounding)', () => {
    const m = create({ varianceIrrelevant: 1, varianceRelevant: 1e-3 });
    for (const t of [
      [0.45, 0.01, 0],
      [0.5, 0.3, 2],
      [-1.2, 0.7, -0.4],
      [1e-3, 2, 1e3],
    ]) {
      const theta = new Float64Array(t);
      expect(checkGradient(m, theta, { rel: 1e-9 }).pass, `gradient at ${t}`).toBe(true);
      expect(checkHvp(m, theta, new Float64Array([0.3, -1, 0.2]), { rel: 1e-9 }).pass, `HVP at ${t}`).toBe(true);
      expect(checkHessian(m, theta, { rel: 1e-9 }).pass, `Hessian at ${t}`).toBe(true);
    }
  });

  it('rejects bad options with E_BAD_OPTION naming the argument', () => {
    expect(codeOf(() => create({ varianceIrrelevant: 0 }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => create({ varianceRelevant: -1 }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => create({ varianceRelevant: Number.NaN }))).toBe('E_NONFINITE');
    expect(codeOf(() => create(null as never))).toBe('E_BAD_OPTION');
    let err: unknown;
    try {
      create({ varianceIrrelevant: Infinity });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EosLabError);
    expect((err as EosLabError).details.argument).toBe('options.varianceIrrelevant');
  });
});
