/**
 * The depth-D scalar factorization L(w) = ½(c − ∏ᵢ wᵢ)² ([Scalar factorization]; docs/math.md §1): the model factory `create` beside
 * its closed-form theory (product gap, minimizer sharpness, imbalances and their GD recurrence, gradient-flow
 * solution, stability limit). Public as the `scalarFactorization` namespace of `eos-lab`.
 *
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create({ depth: 2, target: 1 });
 * const gfs = scalarFactorization.gradientFlowSolution(new Float64Array([2, 0.1]));
 * console.log(gfs.theta, gfs.sharpness, scalarFactorization.stabilityLimit(gfs.theta));
 * ```
 * @module
 */
export {
  create,
  type ScalarFactorizationOptions,
  type ScalarFactorizationSpec,
  type ScalarFactorizationModel,
} from './model.js';
export {
  productGap,
  minimizerSharpness,
  imbalances,
  gdImbalanceFactor,
  gradientFlowSolution,
  stabilityLimit,
  type ProductGapOptions,
  type GdImbalanceFactorOptions,
  type GradientFlowSolutionOptions,
  type GradientFlowSolution,
} from './theory.js';
