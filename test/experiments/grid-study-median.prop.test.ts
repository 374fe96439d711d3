/**
 * The exact medians (quickselect, and selection from monotone runs) and [Scalar factorization]'s late-phase rule, against sorting
 * and hand-made sequences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { edgeOfStabilityCriterion } from '../../src/experiments/grid-study/eos-criterion.js';
import { findRuns, MAX_RUNS, medianInPlace, medianOfRuns, medianWithRepeats, selectInPlace } from '../../src/experiments/grid-study/median.js';

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
        // The first `count` entries are a permutation of the input (sorted with −0 before +0: toEqual tells them apart).
        const order = (x: number, y: number) => x - y || 1 / x - 1 / y;
        expect(Array.from(a.subarray(0, values.length)).sort(order)).toEqual([...values].sort(order));
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

/** Interleaves two sequences as a[2i] = even[i], a[2i + 1] = odd[i] (trimming the longer one to fit). */
function interleave(even: readonly number[], odd: readonly number[]): number[] {
  const nOdd = Math.min(odd.length, even.length);
  const nEven = Math.min(even.length, nOdd + 1);
  const out: number[] = [];
  for (let i = 0; i < nEven; i++) {
    out.push(even[i]);
    if (i < nOdd) out.push(odd[i]);
  }
  return out;
}

/** A monotone segment: start, then steps ≥ 0 (small integers, so ties are common) up or down. */
const segment = fc
  .record({ start: fc.integer({ min: -20, max: 20 }), up: fc.boolean(), steps: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 25 }) })
  .map(({ start, up, steps }) => {
    const values = [start];
    for (const d of steps) values.push(values[values.length - 1] + (up ? d : -d));
    return values;
  });
/** A sequence made of at most 3 monotone segments. */
const fewRuns = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => segments.flat());

describe('findRuns / medianOfRuns', () => {
  it('splits the even- and odd-indexed values into monotone runs, smallest element first', () => {
    // Even indices 1, 2, 3, 4 (up), odd indices 9, 8, 7 (down): two runs.
    const a = new Float64Array([1, 9, 2, 8, 3, 7, 4]);
    const runs = new Int32Array(3 * MAX_RUNS);
    expect(findRuns(a, 7, runs)).toBe(2);
    expect(Array.from(runs.subarray(0, 6))).toEqual([0, 2, 4, 5, -2, 3]); // (first, step, length) each
    // Even indices 5, 5, 6, 2: up then down (ties allowed in a run); odd indices 1, 1, 1: one run.
    expect(findRuns(new Float64Array([5, 1, 5, 1, 6, 1, 2]), 7, runs)).toBe(3);
    expect(Array.from(runs.subarray(0, 9))).toEqual([0, 2, 3, 6, 2, 1, 1, 2, 3]);
    // A zigzag in the even indices has a run per value: more than MAX_RUNS gives −1.
    const zigzag = Float64Array.from({ length: 4 * MAX_RUNS }, (_, i) => (i % 4 === 0 ? 0 : i % 4 === 2 ? 1 : 7));
    expect(findRuns(zigzag, zigzag.length, runs)).toBe(-1);
  });

  it('equals the sorted median for interleaved sequences of few monotone runs (the fast path), without reordering them', () => {
    const runs = new Int32Array(3 * MAX_RUNS);
    fc.assert(
      fc.property(fewRuns, fewRuns, (even, odd) => {
        const values = interleave(even, odd);
        const a = Float64Array.from(values);
        expect(findRuns(a, a.length, runs)).toBeGreaterThan(0);
        expect(medianOfRuns(a, a.length, runs) === sortedMedian(values)).toBe(true);
        expect(Array.from(a)).toEqual(values);
      }),
    );
  });

  it('equals the sorted median for any values (through quickselect when there are many runs)', () => {
    const runs = new Int32Array(3 * MAX_RUNS);
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (values) => {
        expect(medianOfRuns(Float64Array.from(values), values.length, runs) === sortedMedian(values)).toBe(true);
      }),
    );
    expect(medianOfRuns(new Float64Array([3]), 0, runs)).toBeNaN();
  });

  it('equals the sorted median of |η·s − 2| along real GD runs near the edge of stability', () => {
    const runs = new Int32Array(3 * MAX_RUNS);
    // GD on L(x, y) = ½(1 − xy)² from starts that end near xy = 1 at η = 0.99 (period-2 oscillation in the late phase).
    for (const [x0, y0] of [[2.1, 0.2], [0.3, 2.6], [-1.7, -0.9], [2.4, 1.3]]) {
      let x = x0;
      let y = y0;
      const proxy: number[] = [];
      for (let k = 0; k < 3000; k++) {
        const p = x * y - 1;
        if (k >= 20) proxy.push(Math.abs(0.99 * (x * x + y * y) - 2));
        const nx = x - 0.99 * (y * p);
        y = y - 0.99 * (x * p);
        x = nx;
      }
      for (const length of [proxy.length, proxy.length - 1, 101, 2]) {
        const values = proxy.slice(0, length);
        expect(medianOfRuns(Float64Array.from(values), length, runs), `start (${x0}, ${y0}), ${length} values`).toBe(sortedMedian(values));
      }
    }
  });
});

describe('edgeOfStabilityCriterion ([Scalar factorization]: late phase after |r| < 1% of |r₀|, median |ηs − 2| < 0.1)', () => {
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

describe('medianWithRepeats', () => {
  it('equals the sorted median of the values with the copies of the last one (and the one before) appended', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 80 }),
        (values, repeats, repeatsOfPrevious) => {
          const previous = values.length >= 2 ? repeatsOfPrevious : 0;
          const explicit = [...values, ...Array(repeats).fill(values[values.length - 1]), ...Array(previous).fill(values[values.length - 2])];
          const m = medianWithRepeats(Float64Array.from(values), values.length, repeats, new Int32Array(3 * MAX_RUNS), previous);
          expect(Object.is(m, sortedMedian(explicit)) || m === sortedMedian(explicit)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
