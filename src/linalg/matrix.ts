import ndarray, { type NdArray } from 'ndarray';
import { EosLabError } from '../core/errors.js';
import { integerInRange } from '../core/validate.js';

/**
 * A new n×m row-major matrix of zeros as an `ndarray` view over a fresh `Float64Array`.
 *
 * @param rows - n, an integer ≥ 0.
 * @param cols - m, an integer ≥ 0.
 * @returns the n×m zero matrix.
 * @throws EosLabError `E_BAD_OPTION` for a negative or non-integer size (since 0.2.0), `E_NONFINITE` for NaN/±∞.
 * @example
 * ```ts
 * import { zerosMatrix } from 'eos-lab';
 * const H = zerosMatrix(2, 2);
 * H.set(0, 1, 3);
 * ```
 * @since 0.1.0
 */
export function zerosMatrix(rows: number, cols: number): NdArray<Float64Array> {
  integerInRange('zerosMatrix', 'rows', rows, 0, 2 ** 31 - 1);
  integerInRange('zerosMatrix', 'cols', cols, 0, 2 ** 31 - 1);
  return ndarray(new Float64Array(rows * cols), [rows, cols]);
}

/**
 * A row-major matrix from nested arrays (copied).
 *
 * @throws EosLabError `E_EMPTY` for no rows, `E_DIM_MISMATCH` for ragged rows, `E_NONFINITE` for NaN/Infinity.
 * @example
 * ```ts
 * import { matrixFromRows } from 'eos-lab';
 * const A = matrixFromRows([[2, 1], [1, 2]]);
 * A.get(0, 1); // 1
 * ```
 * @since 0.1.0
 */
export function matrixFromRows(rows: readonly (readonly number[])[]): NdArray<Float64Array> {
  const fn = 'matrixFromRows';
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new EosLabError('E_EMPTY', fn, { argument: 'rows', value: rows, expected: 'a non-empty array of rows' });
  }
  const cols = rows[0].length;
  const data = new Float64Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].length !== cols) {
      throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `rows[${i}].length`, value: rows[i].length, expected: `${cols} (the length of rows[0])` });
    }
    for (let j = 0; j < cols; j++) {
      const v = rows[i][j];
      if (!Number.isFinite(v)) {
        throw new EosLabError('E_NONFINITE', fn, { argument: `rows[${i}][${j}]`, value: v, expected: 'a finite number' });
      }
      data[i * cols + j] = v;
    }
  }
  return ndarray(data, [rows.length, cols]);
}

/**
 * Nested arrays from a 2-d view (for JSON output and tests), read through `m.get(i, j)` so strided and
 * transposed views come out in their logical order.
 *
 * @remarks Cost O(rows·cols); allocates the nested arrays.
 * @param m - a 2-d `ndarray` view.
 * @returns `rows` arrays of `cols` numbers each.
 * @throws EosLabError `E_BAD_OPTION` if `m` is not a 2-d `ndarray` view.
 * @example
 * ```ts
 * import { matrixFromRows, matrixToRows } from 'eos-lab';
 * matrixToRows(matrixFromRows([[1, 2], [3, 4]]).transpose(1, 0)); // [[1, 3], [2, 4]]
 * ```
 * @since 0.1.0
 */
export function matrixToRows(m: NdArray): number[][] {
  if (m === null || typeof m !== 'object' || !Array.isArray(m.shape) || m.shape.length !== 2 || typeof m.get !== 'function') {
    throw new EosLabError('E_BAD_OPTION', 'matrixToRows', { argument: 'm', value: m, expected: 'a 2-d ndarray view' });
  }
  const [r, c] = m.shape;
  const out: number[][] = [];
  for (let i = 0; i < r; i++) {
    const row: number[] = [];
    for (let j = 0; j < c; j++) row.push(m.get(i, j));
    out.push(row);
  }
  return out;
}

/**
 * Validates a square matrix at a public boundary: a 2-d `ndarray` whose backing store covers its shape and
 * whose entries are finite. With `symmetricTol` it also checks |Aᵢⱼ − Aⱼᵢ| ≤ symmetricTol·max|A|.
 * Returns its order n.
 */
export function validateSquareMatrix(fn: string, argument: string, a: unknown, symmetricTol?: number): number {
  const m = a as NdArray;
  if (m === null || typeof m !== 'object' || !Array.isArray(m.shape) || typeof m.get !== 'function') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: a, expected: 'a 2-d ndarray' });
  }
  if (m.shape.length !== 2 || m.shape[0] !== m.shape[1]) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.shape`, value: m.shape, expected: 'a square shape [n, n]' });
  }
  const n = m.shape[0];
  if (n === 0) throw new EosLabError('E_EMPTY', fn, { argument: `${argument}.shape`, value: m.shape, expected: 'n >= 1' });
  // ndarray never checks its data against its shape: check the largest offset it would touch.
  let maxOffset = m.offset;
  let minOffset = m.offset;
  for (let d = 0; d < 2; d++) {
    const reach = (m.shape[d] - 1) * m.stride[d];
    if (reach > 0) maxOffset += reach;
    else minOffset += reach;
  }
  if (minOffset < 0 || maxOffset >= (m.data as ArrayLike<number>).length) {
    throw new EosLabError('E_DIM_MISMATCH', fn, {
      argument: `${argument}.data.length`,
      value: (m.data as ArrayLike<number>).length,
      expected: `a backing store that covers shape [${n}, ${n}] with its strides and offset`,
    });
  }
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = m.get(i, j);
      if (!Number.isFinite(v)) {
        throw new EosLabError('E_NONFINITE', fn, { argument: `${argument}[${i}, ${j}]`, value: v, expected: 'a finite number' });
      }
      scale = Math.max(scale, Math.abs(v));
    }
  }
  if (symmetricTol !== undefined) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const d = Math.abs(m.get(i, j) - m.get(j, i));
        if (d > symmetricTol * scale) {
          throw new EosLabError('E_BAD_OPTION', fn, {
            argument: `${argument}[${i}, ${j}]`,
            value: m.get(i, j),
            expected: `equal to ${argument}[${j}, ${i}] = ${m.get(j, i)} (a symmetric matrix, tolerance ${symmetricTol}·max|A|)`,
          });
        }
      }
    }
  }
  return n;
}
