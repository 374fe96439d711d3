import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { matrixFromRows, matrixToRows } from '../../src/linalg/matrix.js';
import { errorCode } from '../helpers/errors.js';

describe('matrixToRows', () => {
  it('reads the logical order of strided views (a transpose comes out transposed)', () => {
    const a = matrixFromRows([[1, 2, 3], [4, 5, 6]]);
    expect(matrixToRows(a)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(matrixToRows(a.transpose(1, 0))).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('rejects a view that is not 2-d with E_BAD_OPTION', () => {
    expect(errorCode(() => matrixToRows(ndarray(new Float64Array(4), [4])))).toBe('E_BAD_OPTION');
    expect(errorCode(() => matrixToRows(null as never))).toBe('E_BAD_OPTION');
  });
});
