import type { Arbitrary } from 'fast-check';
import ndarray, { type NdArray } from 'ndarray';
import { EosLabError } from '../core/errors.js';
import { finiteNumber, integerInRange, optionKeys, optionsObject, positiveFinite } from '../core/validate.js';
import { requireFastCheck } from './fast-check-loader.js';

/** Options of {@link finiteVector}. */
export interface FiniteVectorOptions {
  /** Length of the vector. @defaultValue 2 */
  dim?: number;
  /** Smallest entry. @defaultValue -10 */
  min?: number;
  /** Largest entry. @defaultValue 10 */
  max?: number;
}

function range(fn: string, min: number, max: number): void {
  finiteNumber(fn, 'options.min', min);
  finiteNumber(fn, 'options.max', max);
  if (!(min < max)) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.max', value: max, expected: `> options.min = ${min}` });
}

/**
 * Arbitrary `Float64Array` of length `dim` with finite entries in [min, max] (fast-check's doubles: boundary
 * values such as 0, −0, min and max come up often, which is the point).
 *
 * @throws EosLabError `E_BAD_OPTION` for dim < 1 or min ≥ max. `E_NOT_SUPPORTED` if the optional peer `fast-check` is not installed.
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { finiteVector } from 'eos-lab/testing';
 * fc.assert(fc.property(finiteVector({ dim: 3 }), (v) => v.length === 3));
 * ```
 * @since 0.1.0
 */
export function finiteVector(options: FiniteVectorOptions = {}): Arbitrary<Float64Array> {
  const fn = 'finiteVector';
  options = optionsObject(fn, options, optionKeys<FiniteVectorOptions>({ dim: true, min: true, max: true }));
  const dim = integerInRange(fn, 'options.dim', options.dim ?? 2, 1);
  const min = options.min ?? -10;
  const max = options.max ?? 10;
  range(fn, min, max);
  const fc = requireFastCheck(fn);
  return fc
    .array(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), { minLength: dim, maxLength: dim })
    .map((a) => Float64Array.from(a));
}

/** Options of {@link learningRate}. */
export interface LearningRateOptions {
  /** Smallest learning rate (> 0). @defaultValue 1e-3 */
  min?: number;
  /** Largest learning rate. @defaultValue 1 */
  max?: number;
}

/**
 * Arbitrary learning rate η in [min, max], 0 < min < max.
 *
 * @throws EosLabError `E_BAD_OPTION` for options outside their ranges; `E_NOT_SUPPORTED` if the optional peer
 * `fast-check` is not installed.
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { learningRate } from 'eos-lab/testing';
 * fc.assert(fc.property(learningRate({ max: 0.5 }), (eta) => eta > 0 && eta <= 0.5));
 * ```
 * @since 0.1.0
 */
export function learningRate(options: LearningRateOptions = {}): Arbitrary<number> {
  const fn = 'learningRate';
  options = optionsObject(fn, options, optionKeys<LearningRateOptions>({ min: true, max: true }));
  const min = positiveFinite(fn, 'options.min', options.min ?? 1e-3);
  const max = options.max ?? 1;
  range(fn, min, max);
  const fc = requireFastCheck(fn);
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Options of {@link symmetricMatrix}. */
export interface SymmetricMatrixOptions {
  /** Order n of the matrix. @defaultValue 4 */
  n?: number;
  /** Smallest entry. @defaultValue -10 */
  min?: number;
  /** Largest entry. @defaultValue 10 */
  max?: number;
}

/**
 * Arbitrary dense symmetric n×n matrix (row-major `NdArray` over a `Float64Array`), built from its n(n+1)/2
 * upper-triangle entries, so it is exactly symmetric by construction.
 *
 * @throws EosLabError `E_BAD_OPTION` for options outside their ranges; `E_NOT_SUPPORTED` if the optional peer
 * `fast-check` is not installed.
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { symmetricMatrix } from 'eos-lab/testing';
 * fc.assert(fc.property(symmetricMatrix({ n: 3 }), (A) => A.get(0, 2) === A.get(2, 0)));
 * ```
 * @since 0.1.0
 */
export function symmetricMatrix(options: SymmetricMatrixOptions = {}): Arbitrary<NdArray<Float64Array>> {
  const fn = 'symmetricMatrix';
  options = optionsObject(fn, options, optionKeys<SymmetricMatrixOptions>({ n: true, min: true, max: true }));
  const n = integerInRange(fn, 'options.n', options.n ?? 4, 1);
  const min = options.min ?? -10;
  const max = options.max ?? 10;
  range(fn, min, max);
  const m = (n * (n + 1)) / 2;
  const fc = requireFastCheck(fn);
  return fc
    .array(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), { minLength: m, maxLength: m })
    .map((upper) => {
      const data = new Float64Array(n * n);
      let k = 0;
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          data[i * n + j] = upper[k];
          data[j * n + i] = upper[k];
          k++;
        }
      }
      return ndarray(data, [n, n]);
    });
}

/** Options of {@link scalarFactorizationPoint}. */
export interface ScalarFactorizationPointOptions {
  /** Depth D (number of factors). @defaultValue 2 */
  depth?: number;
  /** Target c ≠ 0 of L(w) = ½(c − ∏wᵢ)². @defaultValue 1 */
  target?: number;
  /** Place the point on the minimizer manifold ∏wᵢ = c. @defaultValue false */
  onManifold?: boolean;
  /** Smallest |wᵢ| of the free coordinates on the manifold (keeps the last coordinate bounded). @defaultValue 0.25 */
  minAbs?: number;
  /** Largest |wᵢ| of the free coordinates. @defaultValue 3 */
  maxAbs?: number;
}

/**
 * Arbitrary parameter vector of the depth-D scalar factorization ([Scalar factorization]; docs/math.md §1). Off the manifold:
 * entries uniform-ish in [−maxAbs, maxAbs]. On the manifold ∏wᵢ = c: w₁…w_{D−1} with |wᵢ| ∈ [minAbs, maxAbs]
 * and free signs, and w_D = c/∏_{i<D} wᵢ, so the point is on the manifold up to one rounding of the product.
 *
 * @throws EosLabError `E_BAD_OPTION` for options outside their ranges; `E_NOT_SUPPORTED` if the optional peer
 * `fast-check` is not installed.
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { scalarFactorizationPoint } from 'eos-lab/testing';
 * fc.assert(fc.property(scalarFactorizationPoint({ onManifold: true }), ([x, y]) => Math.abs(x * y - 1) < 1e-12));
 * ```
 * @since 0.1.0
 */
export function scalarFactorizationPoint(options: ScalarFactorizationPointOptions = {}): Arbitrary<Float64Array> {
  const fn = 'scalarFactorizationPoint';
  options = optionsObject(fn, options, optionKeys<ScalarFactorizationPointOptions>({ depth: true, target: true, onManifold: true, minAbs: true, maxAbs: true }));
  const depth = integerInRange(fn, 'options.depth', options.depth ?? 2, 2);
  const target = finiteNumber(fn, 'options.target', options.target ?? 1);
  if (target === 0) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.target', value: 0, expected: 'a nonzero number' });
  const minAbs = positiveFinite(fn, 'options.minAbs', options.minAbs ?? 0.25);
  const maxAbs = options.maxAbs ?? 3;
  range(fn, minAbs, maxAbs);
  if (!options.onManifold) return finiteVector({ dim: depth, min: -maxAbs, max: maxAbs });
  const fc = requireFastCheck(fn);
  const free = fc.tuple(fc.double({ min: minAbs, max: maxAbs, noNaN: true }), fc.boolean());
  return fc.array(free, { minLength: depth - 1, maxLength: depth - 1 }).map((parts) => {
    const w = new Float64Array(depth);
    let prod = 1;
    for (let i = 0; i < depth - 1; i++) {
      w[i] = parts[i][1] ? -parts[i][0] : parts[i][0];
      prod *= w[i];
    }
    w[depth - 1] = target / prod;
    return w;
  });
}
