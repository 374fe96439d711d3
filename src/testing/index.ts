/**
 * `eos-lab/testing`: fast-check arbitraries and derivative checkers for property tests of your own models
 * and of theorems. The arbitraries need `fast-check` (an optional peer dependency of eos-lab), loaded when one is
 * first built; the checkers (`checkGradient`, `checkHvp`, `checkHessian`, `expectRelClose`) work without it.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { scalarFactorization } from 'eos-lab';
 * import { checkHvp, finiteVector } from 'eos-lab/testing';
 * const model = scalarFactorization.create({ depth: 3 });
 * fc.assert(fc.property(finiteVector({ dim: 3, min: -2, max: 2 }), finiteVector({ dim: 3, min: -1, max: 1 }),
 *   (theta, v) => v.every((x) => x === 0) || checkHvp(model, theta, v).pass));
 * ```
 * @module
 */
export { expectRelClose, type RelCloseOptions } from './expect-rel-close.js';
export {
  checkGradient,
  checkHvp,
  checkHessian,
  type DerivativeCheck,
  type DerivativeCheckOptions,
  type HessianCheck,
} from './derivative-checks.js';
export { checkThirdOrder, type ThirdOrderCheck } from './third-order-check.js';
export {
  finiteVector,
  learningRate,
  symmetricMatrix,
  scalarFactorizationPoint,
  type FiniteVectorOptions,
  type LearningRateOptions,
  type SymmetricMatrixOptions,
  type ScalarFactorizationPointOptions,
} from './arbitraries.js';
