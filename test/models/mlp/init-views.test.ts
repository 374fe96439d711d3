import { describe, expect, it } from 'vitest';
import { rng } from '../../../src/core/rng.js';
import { init, views } from '../../../src/models/mlp/index.js';
import { errorCode } from '../../helpers/errors.js';

describe('mlp.init (pytorch-default, [Conflicting biases, App. G])', () => {
  it('draws every weight and bias of layer ℓ in [−1/√fan_in, 1/√fan_in), layer by layer, W row-major then b', () => {
    const layers = [5, 7, 3];
    const theta = init({ layers }, { seed: 12 });
    expect(theta.length).toBe(7 * 6 + 3 * 8);
    const b1 = 1 / Math.sqrt(5);
    const b2 = 1 / Math.sqrt(7);
    for (let i = 0; i < 42; i++) expect(Math.abs(theta[i])).toBeLessThanOrEqual(b1);
    for (let i = 42; i < theta.length; i++) expect(Math.abs(theta[i])).toBeLessThanOrEqual(b2);
    // The draw order is documented: rng(seed).uniformIn(−bound, bound) entry by entry in θ order.
    const r = rng(12);
    const expected = [...Array.from({ length: 42 }, () => r.uniformIn(-b1, b1)), ...Array.from({ length: 24 }, () => r.uniformIn(-b2, b2))];
    expect(Array.from(theta)).toEqual(expected);
  });

  it('has the uniform distribution’s moments: mean 0, variance bound²/3 (784 × 200 layer, 157,000 draws)', () => {
    const theta = init({ layers: [784, 200] }, { seed: 3 });
    const n = theta.length;
    let s = 0;
    let s2 = 0;
    for (const x of theta) {
      s += x;
      s2 += x * x;
    }
    const bound2 = 1 / 784;
    // Standard errors: mean √(b²/3/n) ≈ 5.2e-5; variance ≈ b²/3·√(0.8/n) (uniform: Var(x²) = 4b⁴/45). 5σ bounds.
    expect(Math.abs(s / n)).toBeLessThan(5 * Math.sqrt(bound2 / 3 / n));
    expect(Math.abs(s2 / n - bound2 / 3)).toBeLessThan(5 * Math.sqrt((4 * bound2 * bound2) / 45 / n));
  });

  it('is deterministic per seed; scale multiplies the draws (App. H.6)', () => {
    const spec = { layers: [3, 4, 2] };
    expect(init(spec, { seed: 9 })).toEqual(init(spec, { seed: 9 }));
    expect(init(spec, { seed: 9 })).not.toEqual(init(spec, { seed: 10 }));
    expect(init(spec)).toEqual(init(spec, { seed: 0, scheme: 'pytorch-default', scale: 1 }));
    const a = init(spec, { seed: 9 });
    const b = init(spec, { seed: 9, scale: 5 });
    // uniformIn(−5c, 5c) = −5c + 10c·u versus 5·(−c + 2c·u): equal up to one rounding each.
    for (let i = 0; i < a.length; i++) expect(Math.abs(b[i] - 5 * a[i])).toBeLessThanOrEqual(8 * Number.EPSILON * 5);
  });

  it('validates its arguments', () => {
    expect(errorCode(() => init({ layers: [3] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => init(null as unknown as { layers: number[] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => init({ layers: [2, 2] }, { seed: 1.5 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => init({ layers: [2, 2] }, { scale: 0 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => init({ layers: [2, 2] }, { scheme: 'xavier' as 'pytorch-default' }))).toBe('E_BAD_OPTION');
  });
});

describe('mlp.views', () => {
  it('gives [out, in] weight and [out] bias views at the documented offsets, without copying', () => {
    const spec = { layers: [3, 2, 4] };
    const theta = Float64Array.from({ length: 2 * 4 + 4 * 3 }, (_, i) => i);
    const [l1, l2] = views(spec, theta);
    expect(l1.weight.shape).toEqual([2, 3]);
    expect(l1.bias.shape).toEqual([2]);
    expect(l2.weight.shape).toEqual([4, 2]);
    expect(l2.bias.shape).toEqual([4]);
    expect(l1.weight.get(1, 2)).toBe(5); // row 1, column 2 → 1·3 + 2
    expect(l1.bias.get(1)).toBe(7); // after the 6 weights
    expect(l2.weight.get(3, 1)).toBe(8 + 3 * 2 + 1);
    expect(l2.bias.get(0)).toBe(16);
    expect(l1.weight.data).toBe(theta);
    l2.bias.set(3, -1);
    expect(theta[19]).toBe(-1);
  });

  it('validates θ against the widths', () => {
    expect(errorCode(() => views({ layers: [3, 2] }, new Float64Array(7)))).toBe('E_DIM_MISMATCH');
    expect(errorCode(() => views({ layers: [3, 2] }, [1, 2] as unknown as Float64Array))).toBe('E_BAD_OPTION');
    expect(errorCode(() => views({ layers: [3, -2] }, new Float64Array(8)))).toBe('E_BAD_OPTION');
  });
});
