/**
 * gradientFlowSolution where the squares of the inputs overflow but the answer is representable (issue 10): the
 * limit is checked against what gradient flow conserves — the imbalances δᵢ = wᵢ² − wₘ² and the end condition
 * ∏ w∞ᵢ = c [Scalar factorization] — evaluated on 2^−k-scaled copies so the check itself cannot overflow.
 */
import { describe, expect, it } from 'vitest';
import { gradientFlowSolution } from '../../../src/models/scalar-factorization/index.js';

const EPS = Number.EPSILON;
const SCALE = 2 ** -600; // exact; (1e200·2^−600)² ≈ 1e-162 is far from both overflow and underflow

describe('gradientFlowSolution without overflow in intermediates', () => {
  it('depth 2 from (1e200, 1): w∞ ≈ (1e200, 1e-200) (was [Infinity, 0]), x∞y∞ = 1 and x² − y² conserved', () => {
    const r = gradientFlowSolution(Float64Array.of(1e200, 1));
    const [x, y] = r.theta;
    expect(r.reachesMinimizer).toBe(true);
    expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
    // x∞² − y∞² = 1e400 − 1 and x∞y∞ = 1 give x∞ = 1e200(1 + O(1e-400)): equal to 1e200 within rounding.
    expect(Math.abs(x / 1e200 - 1)).toBeLessThanOrEqual(4 * EPS);
    expect(Math.abs(x * y - 1)).toBeLessThanOrEqual(4 * EPS);
    // s = x∞² + y∞² = 1e400 is not representable: Infinity is the honest answer for the sharpness.
    expect(r.sharpness).toBe(Infinity);
    // A start on the other branch crosses: (−3e155, 2) ends with x∞ < 0, y∞ < 0 for c = 1.
    const other = gradientFlowSolution(Float64Array.of(-3e155, 2));
    expect(Math.abs(other.theta[0] / -3e155 - 1)).toBeLessThanOrEqual(4 * EPS);
    expect(Math.abs(other.theta[0] * other.theta[1] - 1)).toBeLessThanOrEqual(4 * EPS);
  });

  it('depth 2 with a huge target c = 1e300 from (1e200, 1e100): conserved imbalance and x∞y∞ = c', () => {
    const x0 = 1e200;
    const y0 = 1e100;
    const r = gradientFlowSolution(Float64Array.of(x0, y0), { target: 1e300 });
    const [x, y] = r.theta;
    expect(Math.abs((x * y) / 1e300 - 1)).toBeLessThanOrEqual(4 * EPS);
    const before = (x0 * SCALE) ** 2 - (y0 * SCALE) ** 2;
    const after = (x * SCALE) ** 2 - (y * SCALE) ** 2;
    expect(Math.abs(after / before - 1)).toBeLessThanOrEqual(8 * EPS);
  });

  it('depth 3 from (1e200, 3, 1): finite limit (was [Infinity, 0, 0], sharpness NaN) with conserved imbalances and ∏ = 1', () => {
    const w0 = Float64Array.of(1e200, 3, 1);
    const r = gradientFlowSolution(w0);
    const w = r.theta;
    expect(Array.from(w).every(Number.isFinite)).toBe(true);
    expect(r.reachesMinimizer).toBe(true);
    // ∏ w∞ = 1: the log-space root solve is accurate to about 2ε·|log u| ≈ 1e-13 relative.
    expect(Math.abs(w[0] * w[1] * w[2] - 1)).toBeLessThanOrEqual(1e-12);
    // w₁² − w₂² = 9 − 1 = 8 is conserved; w₀² − w₂² ≈ 1e400 conserved (checked scaled).
    expect(Math.abs(w[1] * w[1] - w[2] * w[2] - 8)).toBeLessThanOrEqual(1e-12 * 9);
    const before = (w0[0] * SCALE) ** 2 - (w0[2] * SCALE) ** 2;
    const after = (w[0] * SCALE) ** 2 - (w[2] * SCALE) ** 2;
    expect(Math.abs(after / before - 1)).toBeLessThanOrEqual(1e-12);
  });
});
