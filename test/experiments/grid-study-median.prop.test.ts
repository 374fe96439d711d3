/**
 * The exact median by quickselect and seed 000's late-phase rule, against sorting and hand-made sequences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { edgeOfStabilityCriterion } from '../../src/experiments/grid-study/eos-criterion.js';
import { medianInPlace, selectInPlace } from '../../src/experiments/grid-study/median.js';

/** numpy's median: sort, middle value or mean of the two middle values. */
function sortedMedian(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

// Few distinct values (many ties) as well as arbitrary doubles.
const value = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -3, max: 3 }));

describe('medianInPlace / selectInPlace', () => {
  it('equals the sorted median, for any values and length (ties included)', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.integer({ min: 0, max: 20 }), (values, extra) => {
        // Only the first `count` entries count; garbage after them must be ignored.
        const a = new Float64Array([...values, ...Array.from({ length: extra }, () => -1e300)]);
        const m = medianInPlace(a, values.length);
        expect(m === sortedMedian(values)).toBe(true);
        // The first `count` entries are a permutation of the input.
        expect(Array.from(a.subarray(0, values.length)).sort((x, y) => x - y)).toEqual([...values].sort((x, y) => x - y));
      }),
    );
  });

  it('places the k-th smallest at k with smaller-or-equal values before it and larger-or-equal after', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 200 }), fc.nat(), (values, kk) => {
        const k = kk % values.length;
        const a = Float64Array.from(values);
        const v = selectInPlace(a, 0, a.length - 1, k);
        // == rather than Object.is: −0 and +0 are tied values, either may be selected.
        expect(v === [...values].sort((x, y) => x - y)[k]).toBe(true);
        for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(v);
        for (let i = k + 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(v);
      }),
    );
  });

  it('handles hand-made cases and patterns that defeat naive pivots (sorted, reversed, organ pipe, alternating, constant)', () => {
    expect(medianInPlace(new Float64Array([3, 1, 2]), 3)).toBe(2);
    expect(medianInPlace(new Float64Array([4, 1, 3, 2]), 4)).toBe(2.5);
    expect(medianInPlace(new Float64Array([7]), 1)).toBe(7);
    expect(medianInPlace(new Float64Array([1, 2]), 0)).toBeNaN();
    const n = 20001;
    const patterns: Record<string, (i: number) => number> = {
      sorted: (i) => i,
      reversed: (i) => n - i,
      organPipe: (i) => Math.min(i, n - i),
      alternating: (i) => (i % 2 === 0 ? i : n + i),
      constant: () => 5,
      twoInterleavedDecays: (i) => (i % 2 === 0 ? 1 : 2) + Math.exp(-i / 500),
      sawtooth: (i) => i % 17,
    };
    for (const [name, f] of Object.entries(patterns)) {
      for (const len of [n, n - 1]) {
        const values = Array.from({ length: len }, (_, i) => f(i));
        expect(medianInPlace(Float64Array.from(values), len), `${name}, n = ${len}`).toBe(sortedMedian(values));
      }
    }
  });
});

describe('edgeOfStabilityCriterion (seed 000: late phase after |r| < 1% of |r₀|, median |ηs − 2| < 0.1)', () => {
  it('starts the late phase at the first |r_k| strictly below 0.01·|r₀| and takes the median to the end', () => {
    // r₀ = −2: threshold 0.02. r₂ = 0.02 is not below it; r₃ = −0.019 is.
    const r = new Float64Array([-2, 0.5, 0.02, -0.019, 0.03, 0.001]);
    const s = new Float64Array([9, 9, 9, 2.0, 2.2, 2.1]);
    const eta = 0.95;
    const eos = edgeOfStabilityCriterion(r, s, eta);
    expect(eos.lateFrom).toBe(3);
    expect(eos.lateCount).toBe(3);
    // Late values |0.95·s − 2| for s = 2.0, 2.2, 2.1 (iterate 4 is late although |r₄| rose again).
    expect(eos.median).toBe(sortedMedian([2.0, 2.2, 2.1].map((v) => Math.abs(eta * v - 2))));
    expect(eos.nearEdge).toBe(true);
  });

  it('uses the mean of the two middle values for an even count, and a strict band', () => {
    const r = new Float64Array([1, 0.001, 0.001, 0.001, 0.001]);
    // Binary fractions, so every value is exact: |1·s − 2| = 0.0625, 0.1875, 0.0625, 0.25 → median (0.0625 + 0.1875)/2.
    const s = new Float64Array([0, 2.0625, 2.1875, 1.9375, 2.25]);
    const eos = edgeOfStabilityCriterion(r, s, 1);
    expect(eos.lateCount).toBe(4);
    expect(eos.median).toBe(0.125);
    expect(edgeOfStabilityCriterion(r, s, 1, { eosBand: 0.125 }).nearEdge).toBe(false);
    expect(edgeOfStabilityCriterion(r, s, 1, { eosBand: 0.12500001 }).nearEdge).toBe(true);
    expect(eos.nearEdge).toBe(false);
  });

  it('reports no late phase when |r| never drops below the threshold (or r₀ = 0)', () => {
    const none = edgeOfStabilityCriterion(new Float64Array([1, 0.5, 0.011]), new Float64Array([2, 2, 2]), 1);
    expect(none).toEqual({ lateFrom: -1, lateCount: 0, median: NaN, nearEdge: false });
    expect(edgeOfStabilityCriterion(new Float64Array([0, 0]), new Float64Array([2, 2]), 1).lateFrom).toBe(-1);
    expect(edgeOfStabilityCriterion(new Float64Array([1, 0.5, 0.011]), new Float64Array([2, 2, 2]), 1, { lateFraction: 0.5 }).lateFrom).toBe(2);
  });

  it('rejects bad input with coded errors', () => {
    const r = new Float64Array([1, 0]);
    const s = new Float64Array([2, 2]);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as EosLabError).code;
      }
      return 'no error';
    };
    expect(code(() => edgeOfStabilityCriterion(r, new Float64Array(3), 1))).toBe('E_DIM_MISMATCH');
    expect(code(() => edgeOfStabilityCriterion(new Float64Array(0), new Float64Array(0), 1))).toBe('E_EMPTY');
    expect(code(() => edgeOfStabilityCriterion(r, new Float64Array([2, NaN]), 1))).toBe('E_NONFINITE');
    expect(code(() => edgeOfStabilityCriterion(r, s, 0))).toBe('E_BAD_OPTION');
    expect(code(() => edgeOfStabilityCriterion(r, s, 1, { lateFraction: 1.5 }))).toBe('E_BAD_OPTION');
    expect(code(() => edgeOfStabilityCriterion(r, s, 1, { eosBand: -0.1 }))).toBe('E_BAD_OPTION');
    expect(code(() => edgeOfStabilityCriterion([1, 0] as never, s, 1))).toBe('E_BAD_OPTION');
  });
});
