import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../../src/core/errors.js';
import { createModel, registeredModelKinds } from '../../../src/core/registry.js';
import { matrixToRows } from '../../../src/linalg/matrix.js';
import { create } from '../../../src/models/scalar-factorization/model.js';
import { errorCode as codeOf } from '../../helpers/errors.js';


describe('scalarFactorization.create: reference values (hand-computed, exact in binary)', () => {
  it('defaults to [Scalar factorization]: depth 2, target 1', () => {
    const m = create();
    expect(m.dim).toBe(2);
    expect(m.spec).toEqual({ kind: 'scalar-factorization', target: 1, depth: 2 });
    expect(JSON.parse(JSON.stringify(m.spec))).toEqual(m.spec);
  });

  it('depth 2 at (2, 1): L = ½(1 − 2)² = 0.5, ∇L = (y(xy − 1), x(xy − 1)) = (1, 2), H = [[1, 3], [3, 4]]', () => {
    const m = create();
    const theta = new Float64Array([2, 1]);
    const g = new Float64Array(2);
    expect(m.loss(theta)).toBe(0.5);
    expect(m.lossAndGrad(theta, g)).toBe(0.5);
    expect(Array.from(g)).toEqual([1, 2]);
    const out = new Float64Array(2);
    m.hvp(theta, new Float64Array([1, -1]), out);
    expect(Array.from(out)).toEqual([1 - 3, 3 - 4]);
    expect(matrixToRows(m.hessian(theta))).toEqual([
      [1, 3],
      [3, 4],
    ]);
    expect(Array.from(theta)).toEqual([2, 1]); // input untouched
  });

  it('the saddle (0, 0) of [Scalar factorization] has Hessian [[0, −1], [−1, 0]] and zero gradient', () => {
    const m = create();
    const g = new Float64Array(2);
    expect(m.lossAndGrad(new Float64Array([0, 0]), g)).toBe(0.5);
    expect(Array.from(g, Math.abs)).toEqual([0, 0]);
    expect(matrixToRows(m.hessian(new Float64Array([0, 0])))).toEqual([
      [0, -1],
      [-1, 0],
    ]);
  });

  it('depth 2, target −2 at (1, 3): p = 5, ∇L = (15, 5), H = [[9, 8], [8, 1]]', () => {
    const m = create({ target: -2 });
    const g = new Float64Array(2);
    expect(m.lossAndGrad(new Float64Array([1, 3]), g)).toBe(12.5);
    expect(Array.from(g)).toEqual([15, 5]);
    expect(matrixToRows(m.hessian(new Float64Array([1, 3])))).toEqual([
      [9, 2 * 3 + 2],
      [2 * 3 + 2, 1],
    ]);
  });

  it('depth 3 at (1, 2, 3): π = 6, p = 5, πᵢ = (6, 3, 2), ∇L = (30, 15, 10), H = ∇π∇πᵀ + p·[πᵢⱼ]', () => {
    const m = create({ depth: 3 });
    const theta = new Float64Array([1, 2, 3]);
    const g = new Float64Array(3);
    expect(m.loss(theta)).toBe(12.5);
    expect(m.lossAndGrad(theta, g)).toBe(12.5);
    expect(Array.from(g)).toEqual([30, 15, 10]);
    const H = [
      [36, 18 + 15, 12 + 10],
      [18 + 15, 9, 6 + 5],
      [12 + 10, 6 + 5, 4],
    ];
    expect(matrixToRows(m.hessian(theta))).toEqual(H);
    const v = new Float64Array([1, -2, 0.5]);
    const out = new Float64Array(3);
    m.hvp(theta, v, out);
    expect(Array.from(out)).toEqual(H.map((row) => row[0] * 1 + row[1] * -2 + row[2] * 0.5));
  });

  it('zero coordinates need no division: depth 4 at (0, 0, 2, 3)', () => {
    const m = create({ depth: 4 });
    const theta = new Float64Array([0, 0, 2, 3]);
    const g = new Float64Array(4);
    expect(m.lossAndGrad(theta, g)).toBe(0.5);
    expect(Array.from(g, Math.abs)).toEqual([0, 0, 0, 0]); // a critical point: two zero factors
    // Only π₀₁ = 6 is nonzero: H₀₁ = p·π₀₁ = −6, every other entry 0; eigenvalues ±6, 0, 0.
    const H = matrixToRows(m.hessian(theta)).map((r) => r.map((x) => x + 0)); // normalize −0
    expect(H).toEqual([
      [0, -6, 0, 0],
      [-6, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });
});

describe('scalarFactorization.create: registry and spec', () => {
  it('registers the kind at module load and rebuilds from a JSON round trip', () => {
    expect(registeredModelKinds()).toContain('scalar-factorization');
    const m = create({ depth: 3, target: -0.7 });
    const r = createModel(JSON.parse(JSON.stringify(m.spec)));
    expect(r.spec).toEqual(m.spec);
    expect(r.dim).toBe(3);
    const theta = new Float64Array([0.3, -1.1, 2.9]);
    expect(Object.is(r.loss(theta), m.loss(theta))).toBe(true);
  });

  it('spec is frozen', () => {
    expect(Object.isFrozen(create().spec)).toBe(true);
  });
});

describe('scalarFactorization.create: bad options', () => {
  it.each([
    [{ depth: 1 }, 'E_BAD_OPTION'],
    [{ depth: 65 }, 'E_BAD_OPTION'],
    [{ depth: 2.5 }, 'E_BAD_OPTION'],
    [{ depth: '3' }, 'E_BAD_OPTION'],
    [{ depth: Number.NaN }, 'E_NONFINITE'],
    [{ target: 0 }, 'E_BAD_OPTION'],
    [{ target: -0 }, 'E_BAD_OPTION'],
    [{ target: '1' }, 'E_BAD_OPTION'],
    [{ target: Number.NaN }, 'E_NONFINITE'],
    [{ target: Number.POSITIVE_INFINITY }, 'E_NONFINITE'],
  ])('%o → %s', (options, code) => {
    expect(codeOf(() => create(options as never))).toBe(code);
  });

  it('rejects a non-object options argument', () => {
    expect(codeOf(() => create(null as never))).toBe('E_BAD_OPTION');
    expect(codeOf(() => create([] as never))).toBe('E_BAD_OPTION');
    expect(codeOf(() => create(3 as never))).toBe('E_BAD_OPTION');
  });

  it('createModel with a bad spec reports the option', () => {
    let err: unknown;
    try {
      createModel({ kind: 'scalar-factorization', depth: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EosLabError);
    expect((err as EosLabError).code).toBe('E_BAD_OPTION');
    expect((err as EosLabError).details.argument).toBe('options.depth');
    expect((err as EosLabError).message).toMatch(/^scalarFactorization\.create: options\.depth must be an integer in \[2, 64\]/);
  });

  it('the largest depth works', () => {
    const m = create({ depth: 64 });
    const theta = new Float64Array(64).fill(1);
    const g = new Float64Array(64);
    expect(m.lossAndGrad(theta, g)).toBe(0);
    expect(Array.from(g, Math.abs).every((x) => x === 0)).toBe(true);
  });
});
