import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { axpy, copy, dot, maxAbs, nrm1, nrm2, scal } from '../../src/linalg/vector.js';
import { finiteVector, expectRelClose } from '../../src/testing/index.js';
import { matrixFromRows, validateSquareMatrix } from '../../src/linalg/matrix.js';
import ndarray from 'ndarray';

describe('vector kernels', () => {
  it('return their out buffer (same object) and compute the BLAS-1 formulas', () => {
    const x = new Float64Array([1, -2, 3]);
    const y = new Float64Array([4, 5, -6]);
    const out = new Float64Array(3);
    expect(axpy(2, x, y, out)).toBe(out);
    expect(Array.from(out)).toEqual([6, 1, 0]);
    expect(scal(-1, x, out)).toBe(out);
    expect(Array.from(out)).toEqual([-1, 2, -3]);
    expect(copy(y, out)).toBe(out);
    expect(Array.from(out)).toEqual([4, 5, -6]);
    expect(dot(x, y)).toBe(4 - 10 - 18);
    expect(nrm1(x)).toBe(6);
    expect(maxAbs(x)).toBe(3);
    expect(maxAbs(new Float64Array([1, NaN]))).toBeNaN();
  });

  it('nrm2 agrees with √dot(x, x) and survives entries near the overflow and underflow limits', () => {
    fc.assert(
      fc.property(finiteVector({ dim: 6, min: -1e3, max: 1e3 }), (x) => {
        expectRelClose(nrm2(x), Math.sqrt(dot(x, x)), { rel: 8 * Number.EPSILON, abs: 1e-150 }); // √dot underflows below ~1e-154; nrm2 does not
      }),
      { numRuns: 1000 },
    );
    expect(nrm2(new Float64Array([3e200, 4e200]))).toBeCloseTo(5e200, -190);
    expectRelClose(nrm2(new Float64Array([3e-200, 4e-200])), 5e-200, { rel: 4 * Number.EPSILON });
  });

  it('axpy allows out to alias an input', () => {
    const x = new Float64Array([1, 2]);
    axpy(3, x, x, x);
    expect(Array.from(x)).toEqual([4, 8]);
  });
});

describe('matrix helpers', () => {
  it('matrixFromRows validates shape and finiteness', () => {
    expect(matrixFromRows([[1, 2], [3, 4]]).get(1, 0)).toBe(3);
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow(expect.objectContaining({ code: 'E_DIM_MISMATCH' }));
    expect(() => matrixFromRows([])).toThrow(expect.objectContaining({ code: 'E_EMPTY' }));
    expect(() => matrixFromRows([[NaN]])).toThrow(expect.objectContaining({ code: 'E_NONFINITE' }));
  });

  it('validateSquareMatrix catches a backing store shorter than the shape (ndarray never checks)', () => {
    const short = ndarray(new Float64Array(3), [2, 2]);
    expect(() => validateSquareMatrix('f', 'A', short)).toThrow(expect.objectContaining({ code: 'E_DIM_MISMATCH' }));
    expect(() => validateSquareMatrix('f', 'A', ndarray(new Float64Array(6), [2, 3]))).toThrow(/square/);
    expect(() => validateSquareMatrix('f', 'A', matrixFromRows([[1, 2], [3, 1]]), 1e-12)).toThrow(/symmetric/);
    expect(validateSquareMatrix('f', 'A', matrixFromRows([[1, 2], [2, 1]]), 1e-12)).toBe(2);
  });
});
