import { describe, expect, it } from 'vitest';
import type { LossModel } from '../../src/core/loss-model.js';
import { rng } from '../../src/core/rng.js';
import { create as diagonalNet } from '../../src/models/diagonal-net/model.js';
import { create as scalarFactorization } from '../../src/models/scalar-factorization/model.js';
import { sharpnessGradient } from '../../src/sharpness/sharpness-gradient.js';
import { errorCode, thrown } from '../helpers/errors.js';

describe('sharpnessGradient', () => {
  it('Lanczos (HVPs only) agrees with the dense eigensolver on a 2×40-parameter diagonal net', () => {
    // Same eigenvector up to (Lanczos residual ≤ 1e-12·|λ|)/gap, so the gradients agree to ≈ 1e-12·‖∇³L‖/gap·|λ|;
    // tolerance 1e-7 relative to max(1, ‖∇λ‖∞) leaves room for a small gap without hiding a wrong vector.
    const g = rng(3);
    const n = 5;
    const d = 40;
    const inputs = Array.from({ length: n }, () => Array.from({ length: d }, () => g.normal()));
    const targets = Array.from({ length: n }, () => g.normal());
    const model = diagonalNet({ inputs, targets, parametrization: 'difference' });
    const theta = Float64Array.from({ length: 2 * d }, () => 0.5 * g.normal());
    const dense = sharpnessGradient(model, theta, { method: 'dense' });
    const lz = sharpnessGradient(model, theta, { method: 'lanczos', tol: 1e-12 });
    expect(dense.method).toBe('dense');
    expect(lz.method).toBe('lanczos');
    expect(lz.converged).toBe(true);
    expect(lz.hvps).toBeGreaterThan(0);
    expect(dense.hvps).toBe(0);
    expect(lz.relativeGap).toBeGreaterThan(1e-3);
    expect(Math.abs(lz.value - dense.value)).toBeLessThanOrEqual(1e-11 * dense.value);
    const scale = Math.max(1, ...Array.from(dense.gradient, Math.abs));
    for (let i = 0; i < 2 * d; i++) expect(Math.abs(lz.gradient[i] - dense.gradient[i])).toBeLessThanOrEqual(1e-7 * scale);
    expect(lz.thirdOrderProducts).toBe(1);
  });

  it('throws E_REPEATED_EIGENVALUE at a repeated top eigenvalue, or flags it with onRepeated: "flag"', () => {
    // Orthogonal inputs e₁, e₂ with equal targets and w = (a, a): ∇²L = 2a²I + (a² − 1)I is a multiple of I.
    const model = diagonalNet({ inputs: [[1, 0], [0, 1]], targets: [1, 1] });
    const theta = new Float64Array([1.3, 1.3]);
    const e = thrown(() => sharpnessGradient(model, theta));
    expect(e.code).toBe('E_REPEATED_EIGENVALUE');
    expect(e.message).toContain('relative gap');
    const flagged = sharpnessGradient(model, theta, { onRepeated: 'flag' });
    expect(flagged.repeated).toBe(true);
    expect(flagged.relativeGap).toBeLessThanOrEqual(1e-6);
    // A simple eigenvalue nearby is not flagged; gapTolerance 0 flags exact ties only.
    expect(sharpnessGradient(model, new Float64Array([1.3, 1.0])).repeated).toBe(false);
    expect(sharpnessGradient(model, new Float64Array([1.3, 1.3 * (1 + 1e-9)]), { gapTolerance: 0 }).repeated).toBe(false);
  });

  it('writes into options.out and returns it; does not modify θ', () => {
    const model = scalarFactorization({ depth: 3 });
    const theta = new Float64Array([0.5, 1, 2]);
    const out = new Float64Array(3);
    const res = sharpnessGradient(model, theta, { out });
    expect(res.gradient).toBe(out);
    expect(Array.from(theta)).toEqual([0.5, 1, 2]);
  });

  it('rejects bad input with coded errors', () => {
    const model = scalarFactorization();
    const theta = new Float64Array([1, 2]);
    const { thirdOrder: _, ...noThird } = model;
    expect(errorCode(() => sharpnessGradient(noThird as LossModel, theta))).toBe('E_NOT_SUPPORTED');
    const { hessian: __, ...noHessian } = model;
    expect(errorCode(() => sharpnessGradient(noHessian as LossModel, theta, { method: 'dense' }))).toBe('E_NOT_SUPPORTED');
    expect(errorCode(() => sharpnessGradient(model, new Float64Array(3)))).toBe('E_DIM_MISMATCH');
    expect(errorCode(() => sharpnessGradient(model, new Float64Array([NaN, 1])))).toBe('E_NONFINITE');
    expect(errorCode(() => sharpnessGradient(model, theta, { gapTol: 1 } as never))).toBe('E_BAD_OPTION');
    expect(errorCode(() => sharpnessGradient(model, theta, { method: 'dense', tol: 1e-8 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => sharpnessGradient(model, theta, { onRepeated: 'ignore' as never }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => sharpnessGradient(model, theta, { gapTolerance: -1 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => sharpnessGradient(model, theta, { out: theta }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => sharpnessGradient(model, theta, { out: new Float64Array(3) }))).toBe('E_DIM_MISMATCH');
  });
});
