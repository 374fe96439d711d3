import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';

describe('rng', () => {
  it('is deterministic: the same seed gives bit-identical sequences, another seed a different one', () => {
    const a = rng(7).fillNormal(new Float64Array(50));
    const b = rng(7).fillNormal(new Float64Array(50));
    const c = rng(8).fillNormal(new Float64Array(50));
    expect(Array.from(a).map((x, i) => Object.is(x, b[i])).every(Boolean)).toBe(true);
    expect(a).not.toEqual(c);
  });

  it('normal draws have mean 0 and variance 1 within 5 standard errors (n = 200,000)', () => {
    const n = 200_000;
    const z = rng(123).fillNormal(new Float64Array(n));
    let m = 0;
    for (const x of z) m += x;
    m /= n;
    let v = 0;
    let k4 = 0;
    for (const x of z) {
      v += (x - m) ** 2;
      k4 += (x - m) ** 4;
    }
    v /= n;
    k4 /= n;
    // SE(mean) = 1/√n; SE(var) = √(2/n) for a normal; E[z⁴] = 3 with SE √(96/n).
    expect(Math.abs(m)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(v - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(k4 - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it('uniform draws lie in [a, b) with mean (a+b)/2 within 5 standard errors', () => {
    const n = 100_000;
    const u = rng(5).fillUniform(new Float64Array(n), -1, 3);
    let m = 0;
    for (const x of u) {
      expect(x >= -1 && x < 3).toBe(true);
      m += x;
    }
    m /= n;
    expect(Math.abs(m - 1)).toBeLessThan((5 * 4) / Math.sqrt(12 * n));
  });

  it('int(n) covers [0, n) uniformly (chi-square, 9 d.o.f., 99.9% quantile 27.9)', () => {
    const r = rng(11);
    const counts = new Array(10).fill(0);
    const n = 50_000;
    for (let i = 0; i < n; i++) counts[r.int(10)]++;
    const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('rejects a non-integer or out-of-range seed', () => {
    expect(() => rng(1.5)).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    expect(() => rng(2 ** 40)).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
  });
});
