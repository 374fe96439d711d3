import { describe, expect, it } from 'vitest';
import { matrixToRows } from '../../../src/linalg/matrix.js';
import {
  gdImbalanceFactor,
  gradientFlowSolution,
  imbalances,
  minimizerSharpness,
  productGap,
  stabilityLimit,
} from '../../../src/models/scalar-factorization/theory.js';
import * as scalarFactorization from '../../../src/models/scalar-factorization/index.js';
import { expectRelClose } from '../../../src/testing/index.js';
import { errorCode as codeOf } from '../../helpers/errors.js';

const EPS = Number.EPSILON;
const f64 = (...a: number[]) => new Float64Array(a);


describe('scalar factorization theory: reference values (hand-computed)', () => {
  it('productGap = ∏wᵢ − c', () => {
    expect(productGap(f64(2, 3))).toBe(5);
    expect(productGap(f64(1, 2, 3), { target: 6 })).toBe(0);
    expect(productGap(f64(-1, 2, 0.5, 4), { target: -2 })).toBe(-2);
  });

  it('minimizerSharpness = Σᵢ ∏_{j≠i} wⱼ² (x² + y² at depth 2)', () => {
    expect(minimizerSharpness(f64(1, 1))).toBe(2); // [Scalar factorization]: the minimum of s on xy = 1
    expect(minimizerSharpness(f64(2, 0.5))).toBe(4.25);
    expect(minimizerSharpness(f64(1, 2, 3))).toBe(36 + 9 + 4);
    expect(minimizerSharpness(f64(0, 2, 3))).toBe(36); // only π₀ = 6 survives
    expect(minimizerSharpness(f64(0, 0, 3))).toBe(0);
  });

  it('stabilityLimit = 2/s: 1 at the balanced minimizer (1, 1) of [Scalar factorization]', () => {
    expect(stabilityLimit(f64(1, 1))).toBe(1);
    expect(stabilityLimit(f64(-1, -1))).toBe(1);
    expect(stabilityLimit(f64(2, 0.5))).toBe(2 / 4.25);
    expect(stabilityLimit(f64(0, 0, 3))).toBe(Infinity);
  });

  it('imbalances is the D×D matrix of wᵢ² − wⱼ²', () => {
    expect(matrixToRows(imbalances(f64(3, 1, 2))).map((r) => r.map((x) => x + 0))).toEqual([
      [0, 8, 5],
      [-8, 0, -3],
      [-5, 3, 0],
    ]);
    expect(imbalances(f64(2, 0.1)).get(0, 1)).toBe((2 - 0.1) * (2 + 0.1));
  });

  it('gdImbalanceFactor = 1 − η²(π − c)²πᵢⱼ²', () => {
    expect(gdImbalanceFactor(f64(2, 1), 0.1, 0, 1)).toBe(1 - 0.1 * 0.1); // [Scalar factorization]: 1 − η²(xy − 1)²
    expect(gdImbalanceFactor(f64(2, 1), 0.1, 1, 0)).toBe(1 - 0.1 * 0.1);
    // depth 3, (1, 2, 3), c = 1, η = 0.5: π − c = 5; pair (0, 2): π₀₂ = 2 → 1 − (0.5·5·2)² = −24.
    expect(gdImbalanceFactor(f64(1, 2, 3), 0.5, 0, 2)).toBe(-24);
    expect(gdImbalanceFactor(f64(1, 2, 3), 0.5, 2, 0)).toBe(-24);
    // Zero coordinates: the division-free form stays defined. (0, 2, 3), pair (0, 1): π₀₁ = 3, π − c = −1.
    expect(gdImbalanceFactor(f64(0, 2, 3), 0.25, 0, 1)).toBe(1 - 0.75 * 0.75);
    // On the manifold the factor is exactly 1.
    expect(gdImbalanceFactor(f64(2, 0.5), 0.9, 0, 1)).toBe(1);
  });

  it('one GD step multiplies x² − y² by the factor ([Scalar factorization] example, exact arithmetic in binary)', () => {
    // (x, y) = (2, 1), η = 0.25: ∇L = (1, 2) → (1.75, 0.5); x'² − y'² = 3.0625 − 0.25 = 2.8125 = 3·(1 − 1/16).
    const x = 2 - 0.25 * 1;
    const y = 1 - 0.25 * 2;
    expect(x * x - y * y).toBe(imbalances(f64(2, 1)).get(0, 1) * gdImbalanceFactor(f64(2, 1), 0.25, 0, 1));
  });
});

describe('gradientFlowSolution: closed forms', () => {
  it('depth 2, δ = 1.5 from (1.25, 0.25): s = √(δ² + 4) = 2.5, x∞² = (δ + s)/2 = 2, y∞ = 1/√2', () => {
    const r = gradientFlowSolution(f64(1.25, 0.25));
    expect(r.reachesMinimizer).toBe(true);
    expectRelClose(r.sharpness, 2.5, { rel: 2 * EPS });
    expectRelClose(r.theta, [Math.SQRT2, Math.SQRT1_2], { rel: 4 * EPS });
  });

  it('depth 2 branch rules (docs/math.md §1): δ > 0 keeps sign(x), δ < 0 keeps sign(y)', () => {
    // (1.25, −0.25): xy < 0, |x| > |y| → y crosses zero: (√2, 1/√2).
    expectRelClose(gradientFlowSolution(f64(1.25, -0.25)).theta, [Math.SQRT2, Math.SQRT1_2], { rel: 4 * EPS });
    // (−1.25, 0.25) → (−√2, −1/√2).
    expectRelClose(gradientFlowSolution(f64(-1.25, 0.25)).theta, [-Math.SQRT2, -Math.SQRT1_2], { rel: 4 * EPS });
    // (0.25, −1.25): δ < 0, y keeps its sign → (−1/√2, −√2).
    expectRelClose(gradientFlowSolution(f64(0.25, -1.25)).theta, [-Math.SQRT1_2, -Math.SQRT2], { rel: 4 * EPS });
    // A start with x = 0 exactly: y keeps its sign, x takes it (0, 1.5) → δ = −2.25.
    const r = gradientFlowSolution(f64(0, 1.5));
    expect(r.reachesMinimizer).toBe(true);
    const s = Math.sqrt(2.25 ** 2 + 4);
    expectRelClose(r.theta, [Math.sqrt((s - 2.25) / 2), Math.sqrt((s + 2.25) / 2)], { rel: 8 * EPS });
  });

  it('depth 2 balanced starts (δ = 0) go to the balanced minimizers (±1, ±1), s = 2', () => {
    for (const [a, b] of [
      [0.5, 0.5],
      [3, 3],
      [-0.5, -0.5],
    ]) {
      const r = gradientFlowSolution(f64(a, b));
      expect(r.reachesMinimizer).toBe(true);
      expect(Array.from(r.theta)).toEqual([Math.sign(a), Math.sign(b)]);
      expect(r.sharpness).toBe(2);
    }
  });

  it('depth 2: starts on x = −y (and the origin) go to the saddle (0, 0), whose λ_max is 1', () => {
    for (const t of [f64(1, -1), f64(-0.3, 0.3), f64(0, 0)]) {
      const r = gradientFlowSolution(t);
      expect(r.reachesMinimizer).toBe(false);
      expect(Array.from(r.theta)).toEqual([0, 0]);
      expect(r.sharpness).toBe(1);
    }
    // With c < 0 the bad line is x = y instead.
    expect(gradientFlowSolution(f64(0.7, 0.7), { target: -1 }).reachesMinimizer).toBe(false);
    expect(gradientFlowSolution(f64(0.7, -0.7), { target: -1 }).theta[0]).toBe(1);
  });

  it('depth 2, general target c = 3 from (2, 1): δ = 3, s = √(9 + 36) = √45, x∞² = (3 + √45)/2', () => {
    const r = gradientFlowSolution(f64(2, 1), { target: 3 });
    expectRelClose(r.sharpness, Math.sqrt(45), { rel: 2 * EPS });
    expectRelClose(r.theta[0] ** 2, (3 + Math.sqrt(45)) / 2, { rel: 8 * EPS });
    expectRelClose(r.theta[0] * r.theta[1], 3, { rel: 8 * EPS });
  });

  it('depth 3 from (1.75, 0.25, 0.25), c = 2: δ = (3, 0, 0), u²(u + 3) = 4 → u = 1, limit (2, 1, 1), s = 9', () => {
    const r = gradientFlowSolution(f64(1.75, 0.25, 0.25), { target: 2 });
    expect(r.reachesMinimizer).toBe(true);
    expectRelClose(r.theta, [2, 1, 1], { rel: 16 * EPS });
    expectRelClose(r.sharpness, 1 + 4 + 4, { rel: 32 * EPS });
    // A sign flip of one tied coordinate: the tied pair must vanish together → saddle-type limit (√3, 0, 0),
    // where λ_max = |c|·√3 (H has only H₁₂ = −c·w₀ nonzero).
    const s = gradientFlowSolution(f64(1.75, -0.25, 0.25), { target: 2 });
    expect(s.reachesMinimizer).toBe(false);
    expectRelClose(s.theta, [Math.sqrt(3), 0, 0], { rel: 2 * EPS });
    expectRelClose(s.sharpness, 2 * Math.sqrt(3), { rel: 4 * EPS });
  });

  it('depth 3, unique smallest coordinate on the wrong branch: it crosses zero, others keep their signs', () => {
    // (−2, 1.5, 0.5), c = 1: π₀ = −1.5 < 0; |w₂| is the unique least, so w₂ flips: signs (−, +, −).
    const r = gradientFlowSolution(f64(-2, 1.5, 0.5));
    expect(r.reachesMinimizer).toBe(true);
    expect(Array.from(r.theta, Math.sign)).toEqual([-1, 1, -1]);
    expectRelClose(r.theta[0] * r.theta[1] * r.theta[2], 1, { rel: 32 * EPS });
  });

  it('a start on the manifold is its own limit', () => {
    expectRelClose(gradientFlowSolution(f64(4, 0.25)).theta, [4, 0.25], { rel: 8 * EPS });
    expectRelClose(gradientFlowSolution(f64(1, -2, 0.5), { target: -1 }).theta, [1, -2, 0.5], { rel: 32 * EPS });
  });

  it('three or more coordinates tied at zero: a critical point with λ_max = 0', () => {
    const r = gradientFlowSolution(f64(0, 0, 0, 2));
    expect(r.reachesMinimizer).toBe(false);
    expect(Array.from(r.theta)).toEqual([0, 0, 0, 2]);
    expect(r.sharpness).toBe(0);
  });
});

describe('scalar factorization theory: bad inputs', () => {
  const ok = f64(1, 2);
  it.each<[string, () => unknown, string]>([
    ['theta not a Float64Array', () => productGap([1, 2] as never), 'E_BAD_OPTION'],
    ['theta of length 1', () => minimizerSharpness(f64(1)), 'E_DIM_MISMATCH'],
    ['theta of length 65', () => imbalances(new Float64Array(65)), 'E_DIM_MISMATCH'],
    ['empty theta', () => stabilityLimit(f64()), 'E_EMPTY'],
    ['NaN in theta', () => gradientFlowSolution(f64(1, Number.NaN)), 'E_NONFINITE'],
    ['Infinity in theta', () => productGap(f64(Infinity, 1)), 'E_NONFINITE'],
    ['target 0', () => productGap(ok, { target: 0 }), 'E_BAD_OPTION'],
    ['target NaN', () => gradientFlowSolution(ok, { target: Number.NaN }), 'E_NONFINITE'],
    ['options not an object', () => gradientFlowSolution(ok, 3 as never), 'E_BAD_OPTION'],
    ['learning rate 0', () => gdImbalanceFactor(ok, 0, 0, 1), 'E_BAD_OPTION'],
    ['learning rate NaN', () => gdImbalanceFactor(ok, Number.NaN, 0, 1), 'E_NONFINITE'],
    ['index out of range', () => gdImbalanceFactor(ok, 0.1, 0, 2), 'E_BAD_OPTION'],
    ['non-integer index', () => gdImbalanceFactor(ok, 0.1, 0.5, 1), 'E_BAD_OPTION'],
    ['equal indices', () => gdImbalanceFactor(ok, 0.1, 1, 1), 'E_BAD_OPTION'],
    ['factor target 0', () => gdImbalanceFactor(ok, 0.1, 0, 1, { target: 0 }), 'E_BAD_OPTION'],
  ])('%s', (_name, f, code) => {
    expect(codeOf(f)).toBe(code);
  });

  it('messages name the function and the argument', () => {
    expect(() => gdImbalanceFactor(ok, 0.1, 1, 1)).toThrow(/^scalarFactorization\.gdImbalanceFactor: j must be an index different from i = 1/);
    expect(() => minimizerSharpness(f64(1))).toThrow(/^scalarFactorization\.minimizerSharpness: theta\.length must be a depth in \[2, 64\]/);
  });
});

describe('scalarFactorization namespace (index.ts)', () => {
  it('exports create and the theory functions', () => {
    expect(Object.keys(scalarFactorization).sort()).toEqual(
      ['create', 'gdImbalanceFactor', 'gradientFlowSolution', 'imbalances', 'minimizerSharpness', 'productGap', 'stabilityLimit'].sort(),
    );
  });
});
