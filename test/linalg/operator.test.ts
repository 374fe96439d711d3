import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { denseOperator, hessianOperator } from '../../src/linalg/operator.js';
import { lanczos } from '../../src/linalg/lanczos.js';
import { matrixFromRows } from '../../src/linalg/matrix.js';
import { createQuadratic } from '../helpers/quadratic.js';
import { expectRelClose } from '../../src/testing/index.js';
import { errorCode as code } from '../helpers/errors.js';


describe('denseOperator', () => {
  it('applies A v exactly for small integer matrices, from any strides, and snapshots the matrix', () => {
    const a = matrixFromRows([
      [2, -1, 0],
      [-1, 3, 4],
      [0, 4, 5],
    ]);
    const op = denseOperator(a);
    expect(op.dim).toBe(3);
    const out = new Float64Array(3);
    op.apply(Float64Array.of(1, 2, 3), out);
    expect(Array.from(out)).toEqual([0, 17, 23]);
    const t = denseOperator(a.transpose(1, 0)); // strided view of the same symmetric matrix
    t.apply(Float64Array.of(1, 2, 3), out);
    expect(Array.from(out)).toEqual([0, 17, 23]);
    a.set(0, 0, 100); // later changes do not affect the operator
    op.apply(Float64Array.of(1, 0, 0), out);
    expect(Array.from(out)).toEqual([2, -1, 0]);
  });

  it('uses the symmetric part when asymmetry is within the tolerance, and rejects it beyond', () => {
    const a = matrixFromRows([
      [1, 2.5],
      [1.5, 1],
    ]);
    expect(code(() => denseOperator(a))).toBe('E_BAD_OPTION');
    const op = denseOperator(a, { symmetryTolerance: 0.5 });
    const out = new Float64Array(2);
    op.apply(Float64Array.of(0, 1), out);
    expect(Array.from(out)).toEqual([2, 1]);
    expect(code(() => denseOperator(a, { symmetryTolerance: -1 }))).toBe('E_BAD_OPTION');
    expect(code(() => denseOperator(ndarray(Float64Array.of(1, NaN, NaN, 1), [2, 2])))).toBe('E_NONFINITE');
    expect(code(() => denseOperator(ndarray(new Float64Array(2), [1, 2])))).toBe('E_DIM_MISMATCH');
  });
});

describe('hessianOperator', () => {
  it('applies the model HVP at a copy of θ, and lanczos on it finds λ_max of the Hessian', () => {
    const q = createQuadratic([4, -1, 0.5, 2], 5);
    const theta = Float64Array.of(1, 2, 3, 4);
    const op = hessianOperator(q.model, theta);
    expect(op.dim).toBe(4);
    const out = new Float64Array(4);
    const e0 = Float64Array.of(1, 0, 0, 0);
    op.apply(e0, out);
    expect(Array.from(out)).toEqual(Array.from(q.a.subarray(0, 4))); // first column of A = first row (symmetric)
    const res = lanczos(op, { k: 2 });
    expectRelClose(res.values, [4, 2], { rel: 1e-13 });

    // θ is copied: the operator keeps the point it was built at.
    const seen: number[] = [];
    const spy = { ...q.model, hvp: (t: Float64Array, v: Float64Array, o: Float64Array) => (seen.push(t[0]), q.model.hvp(t, v, o)) };
    const op2 = hessianOperator(spy, theta);
    theta[0] = 99;
    op2.apply(e0, out);
    expect(seen).toEqual([1]);
  });

  it('validates the model and θ', () => {
    const q = createQuadratic([1, 2], 1);
    expect(code(() => hessianOperator(q.model, new Float64Array(3)))).toBe('E_DIM_MISMATCH');
    expect(code(() => hessianOperator(q.model, Float64Array.of(1, NaN)))).toBe('E_NONFINITE');
    expect(code(() => hessianOperator(q.model, [1, 2] as never))).toBe('E_BAD_OPTION');
    expect(code(() => hessianOperator({ dim: 2 } as never, Float64Array.of(1, 2)))).toBe('E_BAD_OPTION');
    expect(code(() => hessianOperator(null as never, Float64Array.of(1, 2)))).toBe('E_BAD_OPTION');
  });
});
